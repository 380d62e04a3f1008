"""Recording and changing incidents: the services, their chronology and the pages that use them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from incidents.models import ChronologyEntry, Incident
from incidents.services.incidents import (
    StaleEdit,
    incident_change_status,
    incident_create,
    incident_update,
    note_add,
)
from incidents.views import common
from tests.factories import IncidentFactory, InvolvementFactory, SettingFactory, YoungPersonFactory, years_ago
from tests.signin import sign_in_client

pytestmark = pytest.mark.django_db


def form_data(incident=None, **overrides):
    data = {
        "reported_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "occurred_on": "",
        "came_to_attention": "young_person",
        "summary": "A pupil said a picture of him was shared in a group chat.",
        "platforms": "WhatsApp",
        "spread": "unknown",
        "classification": "unclassified",
        "classification_subtype": "",
        "adults_involved": "unknown",
        "adults_description": "",
        "owner": "",
    }
    if incident is not None:
        data["version"] = incident.version
        data["reported_at"] = timezone.localtime(incident.reported_at).strftime("%Y-%m-%dT%H:%M")
        data["summary"] = incident.summary
    data.update(overrides)
    return data


class TestCreate:
    def test_a_dsl_records_an_incident_and_the_chronology_says_so(self, client_for, dsl, oakfield):
        data = form_data(setting=oakfield.pk, owner=dsl.pk, shares_anothers="on")
        response = client_for(dsl).post(reverse("incidents:incident_create"), data)
        incident = Incident.objects.get()
        assert response.status_code == 302
        assert response.url == incident.get_absolute_url()
        assert incident.setting == oakfield
        assert incident.status == Incident.Status.REPORTED
        assert incident.shares_anothers and not incident.possesses_anothers
        entry = incident.chronology.get()
        assert (entry.kind, entry.actor) == (ChronologyEntry.Kind.CREATED, dsl)

    def test_references_count_up_per_setting_and_year(self, oakfield, riverside, dsl, other_dsl):
        year = timezone.localtime().year
        first = incident_create(actor=dsl, setting=oakfield, summary="One.")
        second = incident_create(actor=dsl, setting=oakfield, summary="Two.")
        elsewhere = incident_create(actor=other_dsl, setting=riverside, summary="Three.")
        assert first.reference == f"YPSI-{year}-0001"
        assert second.reference == f"YPSI-{year}-0002"
        assert elsewhere.reference == f"YPSI-{year}-0001"

    def test_references_go_on_from_the_years_counter(self, oakfield, dsl):
        from incidents.models import ReferenceCounter

        year = timezone.localtime().year
        ReferenceCounter.objects.create(setting=oakfield, year=year, last_number=41)
        assert incident_create(actor=dsl, setting=oakfield, summary="One.").reference == f"YPSI-{year}-0042"
        assert ReferenceCounter.objects.get(setting=oakfield, year=year).last_number == 42

    def test_a_dsl_cannot_record_into_a_setting_they_do_not_lead(self, client_for, dsl, riverside):
        response = client_for(dsl).post(reverse("incidents:incident_create"), form_data(setting=riverside.pk))
        assert response.status_code == 200
        assert "setting" in response.context["form"].errors
        assert not Incident.objects.exists()

    def test_the_owner_must_be_in_the_safeguarding_team(self, client_for, dsl, staff, oakfield):
        response = client_for(dsl).post(
            reverse("incidents:incident_create"), form_data(setting=oakfield.pk, owner=staff.pk)
        )
        assert "owner" in response.context["form"].errors
        assert not Incident.objects.exists()

    def test_a_subtype_must_match_the_classification(self, client_for, dsl, oakfield):
        data = form_data(setting=oakfield.pk, classification="experimental", classification_subtype="adult_involved")
        response = client_for(dsl).post(reverse("incidents:incident_create"), data)
        assert "classification_subtype" in response.context["form"].errors
        assert not Incident.objects.exists()

    def test_the_database_refuses_a_mismatched_subtype_too(self, oakfield):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            IncidentFactory(setting=oakfield, classification="experimental", classification_subtype="adult_involved")


class TestDates:
    def test_an_incident_reported_before_it_happened_is_refused_on_the_field(self, client_for, dsl, oakfield):
        yesterday = timezone.localtime() - timedelta(days=1)
        data = form_data(
            setting=oakfield.pk,
            reported_at=yesterday.strftime("%Y-%m-%dT%H:%M"),
            occurred_on=timezone.localdate().isoformat(),
            summary="Typed text that must come back.",
        )
        response = client_for(dsl).post(reverse("incidents:incident_create"), data)
        form = response.context["form"]
        assert "It cannot have happened after it was reported" in form.errors["occurred_on"][0]
        assert "Typed text that must come back." in response.content.decode()
        assert not Incident.objects.exists()
        assert not ChronologyEntry.objects.exists()

    def test_an_incident_in_the_future_is_refused(self, dsl, oakfield):
        tomorrow = timezone.now() + timedelta(days=1)
        with pytest.raises(ValidationError) as error:
            incident_create(actor=dsl, setting=oakfield, summary="x", reported_at=tomorrow)
        assert "reported_at" in error.value.message_dict

    def test_moving_the_date_before_a_young_persons_birth_is_refused(self, dsl, incident):
        person = InvolvementFactory(incident=incident, young_person__date_of_birth=years_ago(13)).young_person
        with pytest.raises(ValidationError) as error:
            incident_update(actor=dsl, incident=incident, expected_version=incident.version, occurred_on=years_ago(14))
        assert person.full_name in error.value.message_dict["occurred_on"][0]
        incident.refresh_from_db()
        assert incident.occurred_on is None


class TestEdit:
    def test_a_change_is_saved_with_its_chronology_entry(self, client_for, dsl, incident):
        data = form_data(incident, spread="wide", classification="aggravated", summary="New summary.")
        response = client_for(dsl).post(reverse("incidents:incident_edit", args=[incident.code]), data)
        assert response.status_code == 302
        incident.refresh_from_db()
        assert (incident.spread, incident.version) == ("wide", 2)
        entry = incident.chronology.get(kind=ChronologyEntry.Kind.UPDATED)
        assert entry.details["changes"]["spread"] == ["Unknown", "Shared widely"]
        assert entry.details["changes"]["summary"] == "changed"
        assert "how far it has spread: Unknown → Shared widely" in entry.summary
        assert "reported" not in entry.summary

    def test_the_second_of_two_concurrent_edits_is_refused_and_keeps_its_text(
        self, client_for, dsl, deputy, incident, client
    ):
        from django.test import Client

        first, second = Client(), Client()
        sign_in_client(first, dsl)
        sign_in_client(second, deputy)
        first_form = form_data(incident, summary="Dana's version.")
        second_form = form_data(incident, summary="Owen's version, typed at length.")
        assert first.post(reverse("incidents:incident_edit", args=[incident.code]), first_form).status_code == 302
        response = second.post(reverse("incidents:incident_edit", args=[incident.code]), second_form)
        assert response.status_code == 200
        page = response.content.decode()
        assert "was changed by Dana Tester" in page
        assert "Owen&#x27;s version, typed at length." in page
        incident.refresh_from_db()
        assert incident.summary == "Dana's version."

    def test_the_service_refuses_a_stale_version(self, dsl, incident):
        incident_update(actor=dsl, incident=incident, expected_version=1, platforms="Snapchat")
        with pytest.raises(StaleEdit):
            incident_update(actor=dsl, incident=incident, expected_version=1, platforms="TikTok")

    def test_saving_without_changes_writes_nothing(self, dsl, incident):
        incident_update(actor=dsl, incident=incident, expected_version=1, summary=incident.summary)
        incident.refresh_from_db()
        assert incident.version == 1
        assert incident.chronology.count() == 1

    def test_every_change_is_kept_in_the_model_history(self, dsl, incident):
        incident_update(actor=dsl, incident=incident, expected_version=1, summary="Second wording.")
        assert [h.summary for h in incident.history.order_by("history_date")] == [
            "A Year 9 pupil told her tutor a picture of her is being passed round a group chat.",
            "Second wording.",
        ]


class TestStatus:
    def test_moving_on_is_recorded(self, client_for, dsl, incident):
        url = reverse("incidents:incident_status", args=[incident.code])
        assert client_for(dsl).post(url, {"status": "under_review"}).status_code == 302
        incident.refresh_from_db()
        assert incident.status == "under_review"
        assert incident.chronology.filter(kind="status", summary__contains="Reported → Under review").exists()

    def test_closing_needs_a_reason(self, client_for, dsl, incident):
        url = reverse("incidents:incident_status", args=[incident.code])
        response = client_for(dsl).post(url, {"status": "closed", "reason": ""})
        assert response.status_code == 400
        assert "Give the reason for closing" in response.content.decode()
        incident.refresh_from_db()
        assert incident.status == "reported"

    def test_reopening_needs_a_reason_and_is_recorded_as_such(self, dsl, incident):
        incident_change_status(
            actor=dsl, incident=incident, status="closed", reason="Done.", override_reason="Test: record incomplete."
        )
        with pytest.raises(ValidationError):
            incident_change_status(actor=dsl, incident=incident, status="under_review")
        incident_change_status(actor=dsl, incident=incident, status="under_review", reason="New report came in.")
        assert incident.chronology.filter(summary__startswith="Reopened: Closed → Under review").exists()

    def test_an_impossible_move_is_refused(self, dsl, incident):
        incident_change_status(
            actor=dsl, incident=incident, status="closed", reason="Done.", override_reason="Test: record incomplete."
        )
        with pytest.raises(ValidationError):
            incident_change_status(actor=dsl, incident=incident, status="referred")


class TestNotes:
    def test_a_note_goes_into_the_chronology(self, client_for, head, incident):
        url = reverse("incidents:incident_note", args=[incident.code])
        assert client_for(head).post(url, {"text": "Discussed with the DSL."}).status_code == 302
        assert incident.chronology.get(kind="note").actor == head

    def test_an_empty_note_is_refused(self, dsl, incident):
        with pytest.raises(ValidationError):
            note_add(actor=dsl, incident=incident, text="   ")


class TestListAndSearch:
    def test_search_by_reference_and_by_young_persons_name(self, client_for, dsl, oakfield):
        found = IncidentFactory(setting=oakfield, reference="YPSI-2026-0042")
        InvolvementFactory(incident=found, young_person__first_name="Zebedee", young_person__last_name="Quill")
        IncidentFactory(setting=oakfield, reference="YPSI-2026-0043")
        client = client_for(dsl)
        for text in ("0042", "zebedee", "Zebedee Quill"):
            page = client.get(reverse("incidents:incident_list"), {"q": text})
            assert [i.reference for i in page.context["page"].object_list] == ["YPSI-2026-0042"], text

    def test_text_without_a_digit_is_looked_for_among_names_only(self, client_for, dsl, oakfield):
        by_reference = IncidentFactory(setting=oakfield, reference="QUILL-2026-0001")
        by_name = IncidentFactory(setting=oakfield, reference="YPSI-2026-0002")
        InvolvementFactory(incident=by_name, young_person__first_name="Zebedee", young_person__last_name="Quill")
        client = client_for(dsl)

        def found(text):
            page = client.get(reverse("incidents:incident_list"), {"q": text}).context["page"]
            return {incident.reference for incident in page.object_list}

        assert found("quill") == {by_name.reference}
        assert found("quill-2026") == {by_reference.reference}
        assert found("2026-000") == {by_name.reference, by_reference.reference}

    def test_filters_by_status_classification_and_date(self, client_for, dsl, oakfield):
        old = IncidentFactory(setting=oakfield, reported_at=timezone.now() - timedelta(days=40))
        new = IncidentFactory(setting=oakfield, status="referred", classification="aggravated")
        client = client_for(dsl)
        url = reverse("incidents:incident_list")

        def listed(**params):
            return list(client.get(url, params).context["page"].object_list)

        assert listed(status="referred") == [new]
        assert listed(classification="aggravated") == [new]
        assert listed(reported_to=(timezone.localdate() - timedelta(days=30)).isoformat()) == [old]
        assert listed(status="open") == [new, old]

    def test_a_backwards_date_range_is_explained(self, client_for, dsl):
        response = client_for(dsl).get(
            reverse("incidents:incident_list"), {"reported_from": "2026-05-01", "reported_to": "2026-04-01"}
        )
        assert "The end of the date range is before its start." in response.content.decode()


class TestQueryBudgets:
    """Pages run the same number of queries whatever the number of rows."""

    def _fill(self, setting, count):
        for _ in range(count):
            incident = IncidentFactory(setting=setting)
            InvolvementFactory(incident=incident)

    @pytest.mark.parametrize("name", ["incidents:incident_list", "incidents:dashboard"])
    def test_lists(self, client_for, dsl, oakfield, django_assert_max_num_queries, name):
        client = client_for(dsl)
        # More than a page from the start: a list that fits on one page needs no count.
        self._fill(oakfield, common.PAGE_SIZE + 1)
        client.get(reverse(name))  # warm the session
        with django_assert_max_num_queries(99) as one:
            client.get(reverse(name))
        self._fill(oakfield, 100)
        with django_assert_max_num_queries(len(one.captured_queries)) as many:
            client.get(reverse(name))
        assert len(many.captured_queries) == len(one.captured_queries)

    def test_detail(self, client_for, dsl, incident, django_assert_max_num_queries):
        client = client_for(dsl)
        url = reverse("incidents:incident_detail", args=[incident.code])
        InvolvementFactory(incident=incident)
        client.get(url)
        with django_assert_max_num_queries(99) as one:
            client.get(url)
        for _ in range(50):
            involvement = InvolvementFactory(incident=incident)
            note_add(actor=dsl, incident=incident, text=f"Note about {involvement.young_person}.")
        with django_assert_max_num_queries(len(one.captured_queries)) as many:
            client.get(url)
        assert len(many.captured_queries) == len(one.captured_queries)

    def test_young_people_list_and_detail(self, client_for, dsl, oakfield, django_assert_max_num_queries):
        client = client_for(dsl)
        person = YoungPersonFactory(setting=oakfield)
        detail = reverse("incidents:young_person_detail", args=[person.code])
        client.get(detail)
        with django_assert_max_num_queries(99) as one:
            client.get(reverse("incidents:young_person_list"))
            client.get(detail)
        for _ in range(50):
            InvolvementFactory(incident=IncidentFactory(setting=oakfield), young_person=person)
            YoungPersonFactory(setting=oakfield)
        with django_assert_max_num_queries(len(one.captured_queries)) as many:
            client.get(reverse("incidents:young_person_list"))
            client.get(detail)
        assert len(many.captured_queries) == len(one.captured_queries)


def test_several_settings_show_which_setting_each_incident_belongs_to(client_for, dsl):
    from tests.factories import MembershipFactory

    second = SettingFactory(name="Second Academy")
    MembershipFactory(setting=second, user=dsl, role="dsl")
    IncidentFactory(setting=second)
    page = client_for(dsl).get(reverse("incidents:incident_list")).content.decode()
    assert "Second Academy" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_incidents_created_at_the_same_moment_get_different_references(oakfield, dsl):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    start = Barrier(6)

    def create(n: int) -> str:
        try:
            start.wait()
            return incident_create(actor=dsl, setting=oakfield, summary=f"At once {n}.").reference
        finally:
            connection.close()

    with ThreadPoolExecutor(6) as pool:
        references = list(pool.map(create, range(6)))
    assert len(set(references)) == 6
    assert sorted(int(reference.rsplit("-", 1)[1]) for reference in references) == [1, 2, 3, 4, 5, 6]
