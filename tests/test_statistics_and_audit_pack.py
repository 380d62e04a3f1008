"""Statistics, charts, small counts for governors, and the audit pack PDF."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from incidents import charts, stats
from incidents.models import AccessLogEntry, ExportLog, Incident
from incidents.services.audit_pack import export_audit_pack
from incidents.services.exports import Requester, verify_pdf
from incidents.services.incidents import incident_create
from incidents.services.statistics import Period, audit_pack, statistics_for
from tests.factories import InvolvementFactory, YoungPersonFactory


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


class TestSmallCounts:
    def test_governors_see_fewer_than_5_for_counts_from_1_to_4(self):
        assert [stats.shown(n, for_governors=True) for n in (0, 1, 4, 5, 12)] == [
            "0",
            "fewer than 5",
            "fewer than 5",
            "5",
            "12",
        ]

    def test_the_safeguarding_team_sees_exact_counts(self):
        assert stats.shown(3, for_governors=False) == "3"


def test_school_days_skip_weekends():
    friday = date(2026, 11, 20)
    assert stats.add_school_days(friday, 5) == date(2026, 11, 27)
    assert stats.add_school_days(date(2026, 11, 23), 5) == date(2026, 11, 30)


def test_months_between_spans_the_year_end():
    assert stats.months_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_median_and_description_of_times():
    assert stats.median_hours([timedelta(hours=1), timedelta(hours=3), timedelta(hours=50)]) == 3
    assert stats.describe_hours(None) == "no data"
    assert stats.describe_hours(0.5) == "30 minutes"
    assert stats.describe_hours(72) == "3.0 days"


def test_the_chart_is_accessible_svg_without_styles_or_scripts():
    svg = charts.bar_chart(
        chart_id="c", title="A <title>", labels=["Jan", "Feb"], series=[charts.Series("S", [3, 7])], hidden={(0, 0)}
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert "A &lt;title&gt;" in svg
    assert "style=" not in svg and "<script" not in svg
    assert "&lt;5" in svg  # the hidden small count is marked, not drawn to scale
    assert "S, Feb: 7" in svg
    assert "S, Jan: 3" not in svg


@pytest.fixture
def several(oakfield, dsl):
    created = []
    for number in range(7):
        incident = incident_create(actor=dsl, setting=oakfield, summary=f"Incident {number}.")
        created.append(incident)
    Incident.objects.filter(pk__in=[i.pk for i in created[:2]]).update(classification="aggravated")
    Incident.objects.filter(pk__in=[i.pk for i in created[2:]]).update(classification="experimental")
    return created


def _this_month() -> Period:
    today = timezone.localdate()
    return Period(today.replace(day=1), today)


@pytest.mark.django_db
def test_statistics_count_incidents_per_month_by_classification(several, oakfield):
    result = statistics_for([oakfield.pk], _this_month(), for_governors=False)
    per_month = result.charts[0].table
    assert per_month.headers == ["Month", "Not yet classified", "Experimental", "Aggravated", "Total"]
    assert per_month.rows[-1][1:] == ["0", "5", "2", "7"]

    governors = statistics_for([oakfield.pk], _this_month(), for_governors=True)
    assert governors.charts[0].table.rows[-1][1:] == ["0", "5", "fewer than 5", "7"]


@pytest.mark.django_db
class TestStatisticsPage:
    url = reverse("incidents:statistics")

    @pytest.mark.parametrize("who", ["dsl", "deputy", "head", "auditor"])
    def test_the_team_heads_and_auditors_see_it(self, client_for, request, several, who):
        response = client_for(request.getfixturevalue(who)).get(self.url, {"start": "2025-09-01", "end": "2027-08-31"})
        # A period is required; a full page of charts with tables comes back.
        assert response.status_code == 200
        html = response.content.decode()
        assert "<svg" in html and "Incidents per month by classification" in html
        assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.VIEW_STATISTICS).exists()

    def test_governors_view_hides_small_counts(self, client_for, dsl, several):
        today = timezone.localdate()
        html = client_for(dsl).get(self.url, {"start": today.replace(day=1), "end": today, "for_governors": "on"})
        assert "fewer than 5" in html.content.decode()

    def test_staff_and_other_settings_see_nothing(self, client_for, staff, other_dsl, several):
        assert client_for(staff).get(self.url).status_code == 403
        html = client_for(other_dsl).get(self.url, {"start": "2025-09-01", "end": "2027-08-31"}).content.decode()
        assert "Oakfield" not in html

    def test_a_setting_the_user_does_not_belong_to_is_refused(self, client_for, other_dsl, oakfield):
        response = client_for(other_dsl).get(
            self.url, {"setting": oakfield.pk, "start": "2025-09-01", "end": "2027-08-31"}
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    def test_an_end_before_the_start_is_explained(self, client_for, dsl):
        response = client_for(dsl).get(self.url, {"start": "2026-05-01", "end": "2026-04-01"})
        assert "The end date must be on or after the start date." in response.content.decode()


@pytest.mark.django_db
def test_the_audit_pack_lists_every_incident_with_totals_and_initials(signing_key, several, oakfield, dsl):
    person = YoungPersonFactory(setting=oakfield, first_name="Amy", last_name="Example")
    InvolvementFactory(incident=several[0], young_person=person)

    export, pdf = export_audit_pack(
        setting=oakfield,
        period=_this_month(),
        initials_only=True,
        for_governors=False,
        requester=Requester(user=dsl, role="dsl"),
    )

    text = pdf_text(pdf)
    for incident in several:
        assert incident.reference in text
    assert "AE" in text and "Amy Example" not in text
    assert "Incidents 7" in text
    assert "Statistics" in text and "Median response times" in text
    assert export.kind == ExportLog.Kind.AUDIT_PACK
    result = verify_pdf(pdf)
    assert result.ok and result.content_matches is True
    incident_create(actor=dsl, setting=oakfield, summary="A later one.")
    assert verify_pdf(pdf).content_matches is False


@pytest.mark.django_db
def test_the_governors_pack_hides_small_totals(several, oakfield):
    pack = audit_pack(setting=oakfield, period=_this_month(), initials_only=False, for_governors=True)
    totals = dict(pack.totals)
    assert totals["Incidents"] == "7"
    assert totals["Classified: Aggravated"] == "fewer than 5"
    assert pack.initials_only  # governors never see names


@pytest.mark.django_db
class TestAuditPackDownload:
    url = reverse("incidents:audit_pack")

    def _post(self, client, password, **extra):
        today = timezone.localdate()
        data = {"start": today.replace(day=1), "end": today, "initials_only": "on", "password": password}
        return client.post(self.url, {**data, **extra})

    @pytest.mark.parametrize("who", ["dsl", "head", "auditor"])
    def test_it_downloads_after_the_password(self, signing_key, client_for, request, several, password, who):
        response = self._post(client_for(request.getfixturevalue(who)), password)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.DOWNLOAD_AUDIT_PACK).count() == 1

    def test_a_wrong_password_exports_nothing(self, client_for, dsl, several):
        response = self._post(client_for(dsl), "wrong")
        assert response.status_code == 400
        assert not ExportLog.objects.exists()

    def test_staff_are_refused(self, client_for, staff, password):
        assert self._post(client_for(staff), password).status_code == 403


@pytest.mark.django_db
class TestNavigation:
    @pytest.mark.parametrize("who", ["dsl", "deputy", "head", "auditor"])
    def test_statistics_are_in_the_navigation_and_lead_to_the_audit_pack(self, client_for, request, who):
        client = client_for(request.getfixturevalue(who))
        home = client.get(reverse("incidents:incident_list")).content.decode()
        assert f'href="{reverse("incidents:statistics")}"' in home.split("</nav>")[0]
        statistics = client.get(reverse("incidents:statistics")).content.decode()
        assert f'href="{reverse("incidents:audit_pack")}"' in statistics

    def test_staff_see_neither(self, client_for, staff):
        nav = client_for(staff).get(reverse("incidents:my_reports")).content.decode().split("</nav>")[0]
        assert reverse("incidents:statistics") not in nav
        assert reverse("incidents:audit_pack") not in nav


@pytest.mark.django_db
class TestCompletenessForManyIncidents:
    def test_it_agrees_with_the_checklist_of_each_incident(self):
        from django.core.management import call_command

        from incidents.selectors_actions import checklist, checklists_for

        call_command("seed_demo", stdout=io.StringIO())
        incidents = list(Incident.objects.order_by("id"))
        together = checklists_for(incidents)
        assert set(together) == {incident.pk for incident in incidents}
        assert any(not item.done for items in together.values() for item in items)
        for incident in incidents:
            assert together[incident.pk] == checklist(incident), incident.reference

    def test_the_audit_pack_needs_the_same_queries_for_3_or_12_incidents(self, oakfield, dsl):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries_for_pack() -> int:
            with CaptureQueriesContext(connection) as captured:
                audit_pack(setting=oakfield, period=_this_month(), initials_only=False, for_governors=False)
            return len(captured)

        for number in range(3):
            incident_create(actor=dsl, setting=oakfield, summary=f"First {number}.")
        few = queries_for_pack()
        for number in range(9):
            incident_create(actor=dsl, setting=oakfield, summary=f"More {number}.")
        assert queries_for_pack() == few

    def test_large_packs_are_checked_in_batches(self, oakfield, dsl, monkeypatch):
        from incidents import selectors_actions

        monkeypatch.setattr(selectors_actions, "CHECKLIST_BATCH", 2)
        created = [incident_create(actor=dsl, setting=oakfield, summary=f"Incident {n}.") for n in range(5)]
        together = selectors_actions.checklists_for(created)
        assert list(together) == [incident.pk for incident in created]
        assert all(together[i.pk] == selectors_actions.checklist(i) for i in created)
