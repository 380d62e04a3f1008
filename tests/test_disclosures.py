"""Reporting a concern: the form, the disclosure and its incident, alerts, receipt, my reports,
the DSL's queue, acknowledging and merging."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from incidents.models import (
    AccessLogEntry,
    ChronologyEntry,
    Disclosure,
    DisclosureAnnotation,
    Incident,
    OutboxEmail,
    UnavoidableViewing,
)
from incidents.services import disclosures as service
from incidents.services.disclosures import (
    DisclosureInput,
    disclosure_acknowledge,
    disclosure_annotate,
    disclosure_merge,
    disclosure_report,
)
from incidents.services.outbox import send_due
from tests.factories import MembershipFactory, SettingFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = ChronologyEntry.Kind

NARRATIVE = "Jess (Year 9) said a photo of her is going round the Year 10 Snapchat group. She is very upset."
NAMES = "Jess Smith, Year 9; Tom Brown, Year 10"


def an_input(**overrides) -> DisclosureInput:
    fields = {
        "source": Disclosure.Source.YOUNG_PERSON,
        "disclosed_at": timezone.now() - timedelta(minutes=10),
        "young_people_named": NAMES,
        "what_was_said": NARRATIVE,
        "imagery_known": "Tom has it; shared in a Snapchat group.",
        "devices": "Tom's phone",
    }
    fields.update(overrides)
    return DisclosureInput(**fields)


def report(reporter, setting, key=None, **overrides):
    return disclosure_report(
        reporter=reporter, setting=setting, idempotency_key=key or uuid.uuid4(), data=an_input(**overrides)
    )[0]


def form_data(setting, **overrides):
    data = {
        "setting": setting.pk,
        "idempotency_key": str(uuid.uuid4()),
        "source": "young_person",
        "disclosed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "young_people_named": NAMES,
        "what_was_said": NARRATIVE,
        "imagery_known": "Tom has it.",
        "devices": "",
        "reporter_saw_imagery": "no",
    }
    data.update(overrides)
    return data


@pytest.fixture
def team(dsl, deputy, head, auditor):
    return {"dsl": dsl, "deputy": deputy}


class TestReportService:
    def test_it_stores_the_disclosure_and_opens_a_reported_incident(self, oakfield, staff, team):
        disclosure = report(staff, oakfield)
        incident = disclosure.incident
        assert incident.status == Incident.Status.REPORTED
        assert incident.setting == oakfield
        assert incident.came_to_attention == Incident.CameToAttention.YOUNG_PERSON
        assert incident.summary == NARRATIVE
        assert disclosure.original_incident == incident
        assert disclosure.reference == incident.reference
        assert disclosure.what_was_said == NARRATIVE
        kinds = list(incident.chronology.values_list("kind", flat=True))
        assert kinds == [Kind.CREATED, Kind.DISCLOSURE_RECEIVED]

    def test_it_alerts_every_dsl_and_deputy_without_personal_details(self, oakfield, staff, team):
        disclosure = report(staff, oakfield)
        email = OutboxEmail.objects.get()
        assert email.to == ["dana@example.org", "owen@example.org"]
        assert disclosure.reference in email.subject
        assert disclosure.incident.get_absolute_url() in email.body
        for secret in ("Jess", "Tom", "Snapchat", "Year 9", "upset", "Sam", str(staff)):
            assert secret not in email.subject + email.body
        send_due()
        assert len(mail.outbox) == 1

    def test_inactive_members_and_other_roles_get_no_alert(self, oakfield, staff, team):
        team["deputy"].memberships.update(is_active=False)
        report(staff, oakfield)
        assert OutboxEmail.objects.get().to == ["dana@example.org"]

    def test_immediate_risk_makes_the_alert_urgent(self, oakfield, staff, team):
        disclosure = report(staff, oakfield, immediate_risk=True)
        email = OutboxEmail.objects.get()
        assert email.subject.startswith("URGENT")
        assert "immediate risk" in email.body
        assert "immediate risk" in disclosure.incident.chronology.get(kind=Kind.DISCLOSURE_RECEIVED).summary

    def test_a_failing_mail_server_does_not_lose_the_report(self, oakfield, staff, team, settings):
        settings.EMAIL_BACKEND = "tests.test_outbox.BrokenBackend"
        disclosure = report(staff, oakfield)
        send_due()
        assert Disclosure.objects.filter(pk=disclosure.pk).exists()
        assert OutboxEmail.objects.get().last_error

    def test_a_failing_mail_server_is_logged_and_shown_to_the_dsl_and_the_reporter_keeps_the_receipt(
        self, client_for, oakfield, staff, team, settings, caplog
    ):
        settings.EMAIL_BACKEND = "tests.test_outbox.BrokenBackend"
        response = client_for(staff).post("/report/", form_data(oakfield), follow=True)
        disclosure = Disclosure.objects.get()
        assert disclosure.reference in response.text
        assert "What happens next" in response.text
        with caplog.at_level("WARNING"):
            send_due()
        assert any("refused" in record.getMessage() for record in caplog.records)
        dashboard = client_for(team["dsl"]).get(reverse("incidents:dashboard")).text
        assert "Emails that could not be sent" in dashboard
        assert disclosure.reference in dashboard

    def test_the_same_key_gives_back_the_first_report(self, oakfield, staff, team):
        key = uuid.uuid4()
        first, created = disclosure_report(reporter=staff, setting=oakfield, idempotency_key=key, data=an_input())
        again, created_again = disclosure_report(reporter=staff, setting=oakfield, idempotency_key=key, data=an_input())
        assert (created, created_again) == (True, False)
        assert first == again
        assert (Disclosure.objects.count(), Incident.objects.count(), OutboxEmail.objects.count()) == (1, 1, 1)

    def test_the_database_refuses_a_second_row_with_the_same_key(self, oakfield, staff, team):
        disclosure = report(staff, oakfield)
        with pytest.raises(IntegrityError), transaction.atomic():
            Disclosure.objects.create(
                setting=oakfield,
                reporter=staff,
                idempotency_key=disclosure.idempotency_key,
                source="other",
                disclosed_at=timezone.now(),
                young_people_named="x",
                what_was_said="x",
                reference="x",
                original_incident=disclosure.incident,
                incident=disclosure.incident,
            )

    def test_a_lost_race_on_the_key_returns_the_winner(self, oakfield, staff, team, monkeypatch):
        winner = report(staff, oakfield)
        real_filter = Disclosure.objects.filter
        calls = []

        def first_check_misses(*args, **kwargs):
            calls.append(kwargs)
            if len(calls) == 1:
                return Disclosure.objects.none()
            return real_filter(*args, **kwargs)

        monkeypatch.setattr(Disclosure.objects, "filter", first_check_misses)
        again, created = disclosure_report(
            reporter=staff, setting=oakfield, idempotency_key=winner.idempotency_key, data=an_input()
        )
        assert (again, created) == (winner, False)
        monkeypatch.undo()
        assert Incident.objects.count() == 1

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("what_was_said", "  ", "Write what was said"),
            ("young_people_named", "", "not known"),
            ("source", "nonsense", "Choose who told you"),
            ("reporter_saw_imagery", "maybe", "Say whether"),
        ],
    )
    def test_it_refuses_incomplete_reports(self, oakfield, staff, field, value, message):
        with pytest.raises(ValidationError) as caught:
            report(staff, oakfield, **{field: value})
        assert message in str(caught.value.message_dict[field])
        assert not Disclosure.objects.exists() and not Incident.objects.exists()

    def test_it_refuses_a_time_in_the_future(self, oakfield, staff):
        with pytest.raises(ValidationError, match="future"):
            report(staff, oakfield, disclosed_at=timezone.now() + timedelta(hours=2))

    def test_only_members_report_to_a_setting(self, riverside, staff):
        with pytest.raises(ValidationError, match="setting you work in"):
            report(staff, riverside)

    @pytest.mark.parametrize(
        ("saw", "source", "circumstance"),
        [
            ("saw", "young_person", "disclosure"),
            ("shown", "friend", "disclosure"),
            ("saw", "it_monitoring", "it_monitoring"),
            ("saw", "parent", "other"),
        ],
    )
    def test_a_reporter_who_saw_the_imagery_is_owed_support(self, oakfield, staff, team, saw, source, circumstance):
        disclosure = report(staff, oakfield, reporter_saw_imagery=saw, source=source)
        task = UnavoidableViewing.objects.get()
        assert (task.incident, task.staff_member, task.circumstance) == (disclosure.incident, staff, circumstance)
        assert task.support_offered_at is None
        assert disclosure.incident.chronology.filter(kind=Kind.UNAVOIDABLE_VIEWING).exists()

    def test_no_support_task_when_they_did_not_see_it(self, oakfield, staff, team):
        report(staff, oakfield)
        assert not UnavoidableViewing.objects.exists()


class TestImmutable:
    @pytest.mark.parametrize("field", ["what_was_said", "young_people_named", "imagery_known", "reference"])
    def test_the_database_refuses_to_change_the_original_text(self, oakfield, staff, team, field):
        disclosure = report(staff, oakfield)
        with pytest.raises(DatabaseError), transaction.atomic():
            Disclosure.objects.filter(pk=disclosure.pk).update(**{field: "rewritten"})
        disclosure.refresh_from_db()
        assert getattr(disclosure, field) != "rewritten"

    def test_the_database_refuses_to_delete_it(self, oakfield, staff, team):
        disclosure = report(staff, oakfield)
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM incidents_disclosure WHERE id = %s", [disclosure.pk])
        assert Disclosure.objects.filter(pk=disclosure.pk).exists()

    def test_an_acknowledgement_cannot_be_rewritten(self, oakfield, staff, dsl, deputy):
        disclosure = disclosure_acknowledge(actor=dsl, disclosure=report(staff, oakfield))
        with pytest.raises(DatabaseError), transaction.atomic():
            Disclosure.objects.filter(pk=disclosure.pk).update(acknowledged_by=deputy)

    def test_annotations_are_append_only(self, oakfield, staff, team):
        annotation = disclosure_annotate(actor=staff, disclosure=report(staff, oakfield), text="Also: Year 11.")
        with pytest.raises(DatabaseError), transaction.atomic():
            DisclosureAnnotation.objects.filter(pk=annotation.pk).update(text="changed")


class TestAcknowledgeAndMerge:
    def test_acknowledging_records_who_when_and_time_to_dsl(self, oakfield, staff, dsl):
        disclosure = report(staff, oakfield)
        Disclosure.objects.filter(pk=disclosure.pk)  # nothing changes the report's own time
        acknowledged = disclosure_acknowledge(actor=dsl, disclosure=disclosure)
        assert acknowledged.acknowledged_by == dsl
        assert acknowledged.time_to_dsl >= timedelta(0)
        entry = disclosure.incident.chronology.get(kind=Kind.DISCLOSURE_ACKNOWLEDGED)
        assert "after it was reported" in entry.summary
        assert entry.actor == dsl

    def test_it_is_acknowledged_once(self, oakfield, staff, dsl, deputy):
        disclosure = report(staff, oakfield)
        disclosure_acknowledge(actor=dsl, disclosure=disclosure)
        with pytest.raises(ValidationError, match="already acknowledged"):
            disclosure_acknowledge(actor=deputy, disclosure=disclosure)

    def test_merging_moves_the_report_and_closes_the_untouched_incident(self, oakfield, staff, dsl, incident):
        disclosure = report(staff, oakfield)
        created = disclosure.incident
        disclosure_merge(actor=dsl, disclosure=disclosure, target=incident)
        disclosure.refresh_from_db()
        created.refresh_from_db()
        assert disclosure.incident == incident
        assert disclosure.original_incident == created
        assert disclosure.what_was_said == NARRATIVE
        assert disclosure.acknowledged_by == dsl
        assert created.status == Incident.Status.CLOSED
        assert incident.chronology.filter(kind=Kind.DISCLOSURE_MERGED).exists()
        assert created.chronology.filter(kind=Kind.DISCLOSURE_MERGED).exists()

    def test_support_owed_to_the_reporter_follows_the_merged_report(self, oakfield, staff, dsl, incident):
        disclosure = report(staff, oakfield, reporter_saw_imagery="saw")
        disclosure_merge(actor=dsl, disclosure=disclosure, target=incident)
        assert UnavoidableViewing.objects.get().incident == incident

    def test_merging_into_a_closed_or_other_settings_incident_is_refused(self, oakfield, staff, dsl, other_incident):
        disclosure = report(staff, oakfield)
        with pytest.raises(ValidationError, match="same setting"):
            disclosure_merge(actor=dsl, disclosure=disclosure, target=other_incident)
        with pytest.raises(ValidationError, match="already part"):
            disclosure_merge(actor=dsl, disclosure=disclosure, target=disclosure.incident)

    def test_merging_into_a_closed_incident_is_refused(self, oakfield, staff, dsl, incident):
        from incidents.services.incidents import incident_change_status

        incident_change_status(actor=dsl, incident=incident, status="closed", reason="Done.", override_reason="Test.")
        incident.refresh_from_db()
        disclosure = report(staff, oakfield)
        with pytest.raises(ValidationError, match="is closed: reopen it first"):
            disclosure_merge(actor=dsl, disclosure=disclosure, target=incident)
        disclosure.refresh_from_db()
        assert disclosure.incident == disclosure.original_incident
        assert not incident.chronology.filter(kind=Kind.DISCLOSURE_MERGED).exists()

    def test_an_incident_already_worked_on_stays_open_after_a_merge(self, oakfield, staff, dsl, incident):
        from incidents.services.incidents import incident_change_status

        disclosure = report(staff, oakfield)
        incident_change_status(actor=dsl, incident=disclosure.incident, status="under_review")
        disclosure_merge(actor=dsl, disclosure=disclosure, target=incident)
        assert Incident.objects.get(pk=disclosure.original_incident_id).status == "under_review"


class TestReportPage:
    @pytest.mark.parametrize("who", ["staff", "dsl", "deputy", "head", "auditor", "trusted_teacher"])
    def test_every_member_can_open_the_form(self, request, client_for, who):
        response = client_for(request.getfixturevalue(who)).get("/report/")
        assert response.status_code == 200
        assert "Report a concern" in response.text
        assert 'type="file"' not in response.text
        assert "enctype" not in response.text

    def test_the_guidance_is_on_the_page(self, client_for, staff):
        text = client_for(staff).get("/report/").text
        for advice in (
            "view, copy, print, forward or screenshot the imagery",
            "do not ask anyone to show or send it to you",
            "Do not search or delete anything on anyone's phone or device yourself",
            "Reassure the young person",
            "Tell the DSL now",
        ):
            assert advice in text.replace("&#x27;", "'").replace("<strong>", "").replace("</strong>", "")

    def test_the_reporter_is_never_shown_the_pupil_list(self, client_for, oakfield, staff):
        from tests.factories import YoungPersonFactory

        YoungPersonFactory(setting=oakfield, first_name="Zebedee", last_name="Quartermaine")
        text = client_for(staff).get("/report/").text
        assert "Quartermaine" not in text
        assert "<select" not in text  # free text only: no list of the setting's pupils to pick from

    def test_a_user_without_a_role_is_refused(self, client_for, db):
        response = client_for(UserFactory(username="nobody")).get("/report/")
        assert response.status_code == 403

    def test_signed_out_people_are_sent_to_sign_in(self, client, db):
        response = client.get("/report/")
        assert response.status_code == 302
        assert "/accounts/login/" in response.url

    def test_every_page_header_links_to_it(self, client_for, dsl, staff):
        for user, url in ((dsl, reverse("incidents:dashboard")), (staff, reverse("incidents:staff_home"))):
            assert 'href="/report/"' in client_for(user).get(url).text

    def test_sending_it_stores_it_and_shows_the_receipt(self, client_for, oakfield, staff, team):
        response = client_for(staff).post("/report/", form_data(oakfield), follow=True)
        disclosure = Disclosure.objects.get()
        assert response.redirect_chain[-1][0] == disclosure.get_absolute_url()
        assert disclosure.reporter == staff
        assert disclosure.reference in response.text
        assert "What happens next" in response.text
        assert NARRATIVE in response.text

    def test_a_double_submission_makes_one_report(self, client_for, oakfield, staff, team):
        data = form_data(oakfield)
        client = client_for(staff)
        first = client.post("/report/", data)
        second = client.post("/report/", data, follow=True)
        assert Disclosure.objects.count() == 1
        assert first.url == Disclosure.objects.get().get_absolute_url()
        assert "not sent twice" in second.text

    def test_errors_keep_everything_typed(self, client_for, oakfield, staff):
        response = client_for(staff).post("/report/", form_data(oakfield, what_was_said=""))
        assert response.status_code == 200
        assert "There is a problem" in response.text
        assert "Jess Smith, Year 9" in response.text
        assert not Disclosure.objects.exists()

    def test_a_database_failure_shows_the_text_back_and_saves_nothing(self, client_for, oakfield, staff, monkeypatch):
        def refuse(*args, **kwargs):
            raise DatabaseError("disk full")

        monkeypatch.setattr(service.Disclosure.objects, "create", refuse)
        response = client_for(staff).post("/report/", form_data(oakfield))
        assert response.status_code == 200
        assert "could not be saved" in response.text
        assert "Jess (Year 9) said a photo of her" in response.text
        assert "Jess Smith, Year 9; Tom Brown, Year 10" in response.text
        assert not Incident.objects.exists()
        assert not ChronologyEntry.objects.exists()
        assert not OutboxEmail.objects.exists()

    def test_immediate_risk_shows_the_numbers_after_submit(self, client_for, oakfield, staff, team):
        response = client_for(staff).post("/report/", form_data(oakfield, immediate_risk="on"), follow=True)
        assert "call 999" in response.text
        assert "01632 960 111" in response.text
        assert "Dana Tester" in response.text

    def test_the_numbers_show_on_a_refused_form_when_ticked(self, client_for, oakfield, staff, team):
        response = client_for(staff).post("/report/", form_data(oakfield, immediate_risk="on", what_was_said=""))
        assert "report-form risk-ticked" in response.text

    def test_the_receipt_has_no_numbers_without_risk(self, client_for, oakfield, staff, team):
        response = client_for(staff).post("/report/", form_data(oakfield), follow=True)
        assert "call 999" not in response.text

    def test_the_setting_is_chosen_only_by_people_in_several(self, client_for, oakfield, riverside, staff):
        assert 'type="hidden" name="setting"' in client_for(staff).get("/report/").text
        MembershipFactory(setting=riverside, user=staff)
        response = client_for(staff).get("/report/")
        assert "Riverside College" in response.text

    def test_reporting_to_a_setting_you_are_not_in_is_refused(self, client_for, oakfield, riverside, staff):
        response = client_for(staff).post("/report/", form_data(riverside))
        assert response.status_code == 200
        assert not Disclosure.objects.exists()


class TestReceiptAndMyReports:
    def test_the_reporter_sees_their_reports_and_status(self, client_for, oakfield, staff, dsl):
        first = report(staff, oakfield)
        report(staff, oakfield)
        disclosure_acknowledge(actor=dsl, disclosure=first)
        response = client_for(staff).get(reverse("incidents:my_reports"))
        assert response.text.count(oakfield.reference_prefix) == 2
        assert "Acknowledged" in response.text
        assert "Received" in response.text

    def test_my_reports_shows_nothing_of_the_case(self, client_for, oakfield, staff, dsl):
        disclosure = report(staff, oakfield)
        disclosure_annotate(actor=dsl, disclosure=disclosure, text="DSL: spoke to parents")
        response = client_for(staff).get(disclosure.get_absolute_url())
        assert NARRATIVE in response.text
        assert "spoke to parents" not in response.text
        assert disclosure.incident.get_absolute_url() not in response.text

    @pytest.mark.parametrize("who", ["dsl", "trusted_teacher", "other_dsl"])
    def test_nobody_else_opens_the_receipt(self, request, client_for, oakfield, staff, who):
        disclosure = report(staff, oakfield)
        response = client_for(request.getfixturevalue(who)).get(disclosure.get_absolute_url())
        assert response.status_code == 404
        assert AccessLogEntry.objects.filter(action="refused").exists()

    def test_the_reporter_adds_to_their_report(self, client_for, oakfield, staff):
        disclosure = report(staff, oakfield)
        client = client_for(staff)
        client.post(reverse("incidents:disclosure_add", args=[disclosure.code]), {"text": "Also in Year 11 group."})
        assert disclosure.annotations.get().text == "Also in Year 11 group."
        assert "Also in Year 11 group." in client.get(disclosure.get_absolute_url()).text
        disclosure.refresh_from_db()
        assert disclosure.what_was_said == NARRATIVE

    def test_my_reports_query_budget(self, client_for, oakfield, staff, django_assert_max_num_queries):
        report(staff, oakfield)
        client = client_for(staff)
        with django_assert_max_num_queries(99) as one:
            client.get(reverse("incidents:my_reports"))
        for _ in range(4):
            report(staff, oakfield)
        with django_assert_max_num_queries(len(one.captured_queries)):
            client.get(reverse("incidents:my_reports"))


class TestTriage:
    def test_the_queue_lists_unacknowledged_reports_with_their_age(self, client_for, oakfield, staff, dsl):
        disclosure = report(staff, oakfield)
        response = client_for(dsl).get(reverse("incidents:dashboard"))
        assert "New disclosures" in response.text
        assert disclosure.reference in response.text
        assert "over an hour" not in response.text

    def test_an_old_unacknowledged_report_is_highlighted(self, client_for, oakfield, staff, dsl, monkeypatch):
        disclosure = report(staff, oakfield)
        later = timezone.now() + timedelta(hours=2)
        monkeypatch.setattr("incidents.disclosure_selectors.timezone.now", lambda: later)
        response = client_for(dsl).get(reverse("incidents:dashboard"))
        assert "over an hour" in response.text
        assert "table-danger" in response.text
        assert disclosure.reference in response.text

    def test_oldest_first_then_newest_first(self, client_for, oakfield, staff, dsl):
        old = report(staff, oakfield)
        Disclosure.objects.filter(pk=old.pk)  # reported first
        new = report(staff, oakfield)
        text = client_for(dsl).get(reverse("incidents:dashboard")).text
        assert text.index(old.reference) < text.index(new.reference)
        text = client_for(dsl).get(reverse("incidents:dashboard") + "?queue=newest").text
        assert text.index(new.reference) < text.index(old.reference)

    def test_more_reports_waiting_than_the_queue_shows_are_counted(self, client_for, oakfield, staff, dsl, monkeypatch):
        monkeypatch.setattr("incidents.disclosure_selectors.QUEUE_LIMIT", 2)
        first, second, third = (report(staff, oakfield) for _ in range(3))
        page = client_for(dsl).get(reverse("incidents:dashboard")).text
        queue = page[page.index('id="queue-title"') : page.index("</section>", page.index('id="queue-title"'))]
        assert "3 reports are waiting to be acknowledged" in queue
        assert "These are the 2 oldest" in queue
        assert first.reference in queue and second.reference in queue and third.reference not in queue

    def test_the_queue_acknowledges_through_its_own_form(self, oakfield, staff, dsl):
        from django.test import Client

        from tests.signin import sign_in_client

        disclosure = report(staff, oakfield)
        browser = sign_in_client(Client(enforce_csrf_checks=True), dsl)
        page = browser.get(reverse("incidents:dashboard")).text
        action = reverse("incidents:disclosure_acknowledge", args=[disclosure.code])
        form = page[page.index(f'<form method="post" action="{action}">') :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        response = browser.post(action, {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        disclosure.refresh_from_db()
        assert disclosure.acknowledged_by == dsl

    def test_the_dsl_acknowledges_and_lands_on_the_incident(self, client_for, oakfield, staff, dsl):
        disclosure = report(staff, oakfield)
        client = client_for(dsl)
        response = client.post(reverse("incidents:disclosure_acknowledge", args=[disclosure.code]))
        assert response.url == disclosure.incident.get_absolute_url()
        page = client.get(response.url).text
        assert "Time to DSL" in page
        assert NARRATIVE in page
        dashboard = client.get(reverse("incidents:dashboard")).text
        assert "No reports are waiting" in dashboard
        assert "Time to DSL" in dashboard

    @pytest.mark.parametrize("who", ["head", "auditor"])
    def test_heads_and_auditors_see_but_cannot_acknowledge(self, request, client_for, oakfield, staff, who):
        disclosure = report(staff, oakfield)
        client = client_for(request.getfixturevalue(who))
        assert disclosure.reference in client.get(reverse("incidents:dashboard")).text
        response = client.post(reverse("incidents:disclosure_acknowledge", args=[disclosure.code]))
        assert response.status_code == 403
        disclosure.refresh_from_db()
        assert disclosure.acknowledged_at is None

    @pytest.mark.parametrize("who", ["staff", "trusted_teacher", "other_dsl"])
    def test_others_get_not_found(self, request, client_for, oakfield, staff, who):
        disclosure = report(staff, oakfield)
        client = client_for(request.getfixturevalue(who))
        for name in ("disclosure_acknowledge", "disclosure_merge", "disclosure_annotate"):
            assert client.post(reverse(f"incidents:{name}", args=[disclosure.code])).status_code == 404

    def test_the_dsl_merges_two_reports_of_the_same_thing(self, client_for, oakfield, staff, trusted_teacher, dsl):
        first = report(staff, oakfield)
        second = report(trusted_teacher, oakfield)
        client = client_for(dsl)
        page = client.get(reverse("incidents:disclosure_merge", args=[second.code])).text
        assert first.reference in page
        response = client.post(reverse("incidents:disclosure_merge", args=[second.code]), {"target": first.incident.pk})
        assert response.url == first.incident.get_absolute_url()
        detail = client.get(response.url).text
        assert f"Merged into this incident from {second.reference}" in detail

    def test_support_tasks_are_listed_for_the_dsl(self, client_for, oakfield, staff, dsl):
        report(staff, oakfield, reporter_saw_imagery="saw")
        response = client_for(dsl).get(reverse("incidents:dashboard"))
        assert "Staff to offer support" in response.text
        assert "Sam Tester" in response.text

    def test_the_dsl_annotates_a_report_from_the_incident(self, client_for, oakfield, staff, dsl):
        disclosure = report(staff, oakfield)
        client = client_for(dsl)
        client.post(reverse("incidents:disclosure_annotate", args=[disclosure.code]), {"text": "Spoke to Sam."})
        assert disclosure.annotations.get().author == dsl
        assert "Spoke to Sam." in client.get(disclosure.incident.get_absolute_url()).text

    def test_dashboard_query_budget(self, client_for, oakfield, staff, dsl, django_assert_max_num_queries):
        report(staff, oakfield, reporter_saw_imagery="saw")
        client = client_for(dsl)
        with django_assert_max_num_queries(99) as one:
            client.get(reverse("incidents:dashboard"))
        for _ in range(4):
            disclosure_acknowledge(actor=dsl, disclosure=report(staff, oakfield, reporter_saw_imagery="saw"))
            report(staff, oakfield)
        with django_assert_max_num_queries(len(one.captured_queries)):
            client.get(reverse("incidents:dashboard"))

    def test_incident_detail_query_budget(
        self, client_for, oakfield, staff, trusted_teacher, dsl, incident, django_assert_max_num_queries
    ):
        first = report(staff, oakfield)
        disclosure_annotate(actor=dsl, disclosure=first, text="note")
        disclosure_merge(actor=dsl, disclosure=first, target=incident)
        client = client_for(dsl)
        with django_assert_max_num_queries(99) as one:
            client.get(incident.get_absolute_url())
        for _ in range(3):
            d = report(trusted_teacher, oakfield)
            disclosure_annotate(actor=dsl, disclosure=d, text="note")
            disclosure_merge(actor=dsl, disclosure=d, target=incident)
        with django_assert_max_num_queries(len(one.captured_queries)):
            client.get(incident.get_absolute_url())


def test_another_setting_is_untouched(oakfield, riverside, staff, other_dsl):
    report(staff, oakfield)
    assert not Disclosure.objects.filter(setting=riverside).exists()
    assert OutboxEmail.objects.get().setting == oakfield
    SettingFactory()
