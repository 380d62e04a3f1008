"""The hot pages stay fast as the data grows: scoped by setting first, no full counts, fixed query budgets.

Times are measured by bench/ against generated data; here the tests pin down the shapes that keep
them flat: how many queries a page runs, and (on PostgreSQL) that each list query can be answered
from an index that starts with the setting.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents import access, selectors
from incidents.models import Incident
from incidents.views import common
from tests.factories import (
    IncidentFactory,
    InvolvementFactory,
    MembershipFactory,
    SettingFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db


def _list_sql(user, **filters) -> str:
    queryset = selectors.filtered_incidents(user, filters)[:51]
    return str(queryset.query)


class TestThePageCount:
    def test_a_long_list_says_more_than_the_cap_instead_of_counting_everything(
        self, client_for, dsl, oakfield, monkeypatch
    ):
        monkeypatch.setattr(common, "COUNT_CAP", 3)
        for _ in range(5):
            IncidentFactory(setting=oakfield)
        page = client_for(dsl).get(reverse("incidents:incident_list"))
        assert "More than 3 incidents found" in page.content.decode()
        assert page.context["page"].count_capped

    def test_a_short_list_says_exactly_how_many(self, client_for, dsl, oakfield):
        IncidentFactory(setting=oakfield)
        IncidentFactory(setting=oakfield)
        page = client_for(dsl).get(reverse("incidents:incident_list"))
        assert "2 incidents found." in page.content.decode()

    def test_pages_follow_one_another_without_a_total(self, client_for, dsl, oakfield, monkeypatch):
        monkeypatch.setattr(common, "PAGE_SIZE", 2)
        made = [IncidentFactory(setting=oakfield) for _ in range(5)]
        client = client_for(dsl)
        url = reverse("incidents:incident_list")
        seen = []
        for number in (1, 2, 3):
            page = client.get(url, {"page": number}).context["page"]
            seen += page.object_list
            assert page.has_next == (number < 3)
            assert page.has_previous == (number > 1)
        assert sorted(i.pk for i in seen) == sorted(i.pk for i in made)
        body = client.get(url, {"page": 2}).content.decode()
        assert "Page 2</span>" in body and "page=3" in body and "page=1" in body

    def test_the_last_page_counts_from_its_rows_and_a_page_past_the_end_still_counts(
        self, client_for, dsl, oakfield, monkeypatch
    ):
        monkeypatch.setattr(common, "PAGE_SIZE", 2)
        for _ in range(5):
            IncidentFactory(setting=oakfield)
        client = client_for(dsl)
        url = reverse("incidents:incident_list")
        for number, expected in ((1, 5), (2, 5), (3, 5), (9, 5)):
            with CaptureQueriesContext(connection) as queries:
                page = client.get(url, {"page": number}).context["page"]
            counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
            assert page.count == expected, number
            # Page 3 is the last: its row holds the count. Earlier pages and one past the end ask.
            assert len(counts) == (0 if number == 3 else 1), (number, counts)
            assert all("ORDER BY" not in sql for sql in counts), counts

    def test_a_first_page_with_everything_on_it_asks_for_no_count(self, client_for, dsl, oakfield):
        IncidentFactory(setting=oakfield)
        client = client_for(dsl)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("incidents:incident_list")).content.decode()
        assert "1 incident found." in body
        assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]

    @pytest.mark.parametrize("value", ["x", "-4", "0", ""])
    def test_a_nonsense_page_number_shows_the_first_page(self, client_for, dsl, oakfield, value):
        IncidentFactory(setting=oakfield)
        page = client_for(dsl).get(reverse("incidents:incident_list"), {"page": value})
        assert page.status_code == 200
        assert page.context["page"].number == 1


class TestScopedBySettingFirst:
    def test_a_dsl_list_filters_on_the_setting_and_asks_no_grant_question(self, dsl, oakfield):
        sql = _list_sql(dsl)
        assert f'"incidents_incident"."setting_id" IN ({oakfield.pk})' in sql
        assert "EXISTS" not in sql
        assert "incidentuserobjectpermission" not in sql

    def test_grants_are_asked_only_in_settings_where_the_role_does_not_show_every_case(
        self, dsl, oakfield, riverside, other_dsl
    ):
        MembershipFactory(setting=riverside, user=dsl, role="staff")
        granted = IncidentFactory(setting=riverside)
        IncidentFactory(setting=riverside)
        access.grant_view(dsl, granted)
        access.forget_cached_roles(dsl)
        sql = _list_sql(dsl)
        assert f'"incidents_incident"."setting_id" IN ({riverside.pk}) AND EXISTS' in sql
        own = IncidentFactory(setting=oakfield)
        visible = set(Incident.objects.visible_to(dsl).values_list("pk", flat=True))
        assert visible == {own.pk, granted.pk}

    def test_a_name_search_looks_among_the_readers_own_young_people_only(self, dsl, oakfield, riverside):
        mine = IncidentFactory(setting=oakfield)
        InvolvementFactory(incident=mine, young_person=YoungPersonFactory(setting=oakfield, last_name="Quill"))
        theirs = IncidentFactory(setting=riverside)
        InvolvementFactory(incident=theirs, young_person=YoungPersonFactory(setting=riverside, last_name="Quill"))
        with CaptureQueriesContext(connection) as names:
            sql = _list_sql(dsl, q="Quill")
        # The young people are matched once, within the setting, and handed to the list as ids ...
        (match,) = [query["sql"] for query in names.captured_queries if "incidents_youngperson" in query["sql"]]
        assert f'"incidents_youngperson"."setting_id" IN ({oakfield.pk})' in match
        # ... whose incidents and involvements are each read within the setting too.
        assert sql.count(f'"setting_id" IN ({oakfield.pk})') == 2, sql
        assert "incidents_youngperson" not in sql
        assert list(selectors.filtered_incidents(dsl, {"q": "quill"})) == [mine]

    def test_a_name_matching_very_many_people_stays_a_subquery(self, dsl, oakfield, riverside, monkeypatch):
        from incidents.models import incident as incident_models

        monkeypatch.setattr(incident_models, "NAME_MATCHES_LISTED", 1)
        found = []
        for last_name in ("Quill", "Quillon"):
            found.append(IncidentFactory(setting=oakfield))
            person = YoungPersonFactory(setting=oakfield, last_name=last_name)
            InvolvementFactory(incident=found[-1], young_person=person)
        theirs = IncidentFactory(setting=riverside)
        InvolvementFactory(incident=theirs, young_person=YoungPersonFactory(setting=riverside, last_name="Quill"))
        sql = _list_sql(dsl, q="Quill")
        assert sql.count(f'"setting_id" IN ({oakfield.pk})') == 3, sql
        assert set(selectors.filtered_incidents(dsl, {"q": "quill"})) == set(found)

    def test_the_chronology_is_read_by_setting_and_incident(self, incident):
        sql = str(selectors.chronology_of(incident).query)
        assert f'"incidents_chronologyentry"."setting_id" = {incident.setting_id}' in sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
class TestPlansOnPostgreSQL:
    """With sequential scans priced out, the planner shows which indexes a query *can* use: a query
    that could only be answered by reading every setting's rows still shows a Seq Scan."""

    def _plan(self, sql_and_params) -> str:
        sql, params = sql_and_params
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())

    @pytest.mark.parametrize(
        "filters",
        [{}, {"status": "open"}, {"status": "closed", "classification": "aggravated"}, {"q": "Quill"},
         {"q": "YPSI-2026"}],
        ids=["plain", "open", "filtered", "name", "reference"],
    )
    def test_each_list_query_starts_from_an_index_on_the_setting(self, dsl, oakfield, filters):
        other = SettingFactory()
        for setting in (oakfield, other):
            for _ in range(3):
                InvolvementFactory(incident=IncidentFactory(setting=setting), young_person__last_name="Quill")
        queryset = selectors.filtered_incidents(dsl, filters)[:51]
        plan = self._plan(queryset.query.sql_with_params())
        assert "Seq Scan on incidents_incident" not in plan, plan
        assert "incident_setting" in plan or "incidents_incident_setting_id" in plan, plan

    def test_the_dashboards_open_incidents_come_from_the_open_index(self, dsl, oakfield):
        IncidentFactory(setting=oakfield)
        queryset = selectors.open_incidents_for_dashboard(dsl)
        plan = self._plan(queryset.query.sql_with_params())
        assert "incident_setting_open" in plan, plan
