"""Due and overdue items: the dashboard panel, send_reminders, and the decisions' part in completeness."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from incidents import completeness, rules, selectors_actions
from incidents.models import Decision, DeletionRequest, OutboxEmail, ReminderSent, ReviewMeeting
from incidents.services import actions, decisions, imagery
from incidents.services.incidents import incident_change_status
from incidents.services.reminders import queue_overdue_reminders
from tests.factories import InvolvementFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil(incident):
    person = YoungPersonFactory(setting=incident.setting, first_name="Zara", last_name="Quinn")
    InvolvementFactory(incident=incident, young_person=person)
    return person


def overdue_chase(incident, dsl, days=3):
    referral = actions.referral_create(
        actor=dsl,
        incident=incident,
        agency="mash",
        made_at=timezone.now(),
        method="phone",
        contact_name="Sue",
        information_shared="x",
    )
    type(referral).objects.filter(pk=referral.pk).update(next_chase_due=timezone.localdate() - timedelta(days=days))
    return referral


def ask_to_delete(incident, dsl, pupil):
    decision = imagery.deletion_decide(
        actor=dsl, incident=incident, method="ask", reason="r", decided_at=timezone.now()
    )
    return imagery.deletion_request_record(
        actor=dsl,
        decision=decision,
        young_person=pupil,
        asked_at=timezone.now(),
        deadline=timezone.localdate(),
        told_offence=True,
        on_devices=True,
    )


def review(incident, dsl):
    return decisions.review_record(
        actor=dsl,
        incident=incident,
        held_at=timezone.now(),
        attendees=[dsl],
        other_attendees=[],
        answers={
            "immediate_risk": "no",
            "spread": ReviewMeeting.Spread.CONTAINED,
            "removal": ReviewMeeting.Removal.NOW,
            "contact_others": "no",
            "tell_parents": ReviewMeeting.Parents.YES,
        },
        facts=rules.Facts(ages=(14,), classification=rules.EXPERIMENTAL),
        outcome=Decision.Outcome.MANAGE_IN_SETTING,
        reason="Consensual, contained.",
    )


class TestDueItems:
    def test_every_kind_of_date_is_listed(self, incident, dsl, head, deputy, staff, pupil):
        overdue_chase(incident, dsl)
        ask_to_delete(incident, dsl, pupil)
        imagery.unavoidable_viewing_record(
            actor=dsl, incident=incident, staff_member=staff, circumstance="disclosure", viewed_on=timezone.localdate()
        )
        imagery.viewing_record(
            actor=dsl,
            incident=incident,
            young_person=pupil,
            justification="only_way",
            headteacher=head,
            viewer=dsl,
            witness=deputy,
            location="Office",
            same_sex="yes",
            viewed_at=timezone.now(),
            reason="r",
            what_followed="w",
            confirm_not_copied=True,
            confirm_no_distress=True,
        )
        review(incident, dsl)
        kinds = sorted(item.key.split(":")[0] for item in selectors_actions.due_items([incident.setting_id]))
        assert kinds == ["deletion_deadline", "referral_chase", "sign_off", "staff_support", "viewing_confirm"]

    def test_closed_incidents_and_done_items_drop_off(self, incident, dsl, pupil):
        request = ask_to_delete(incident, dsl, pupil)
        imagery.deletion_confirm(actor=dsl, request=request, confirmed_at=timezone.now(), method="in_person")
        referral = overdue_chase(incident, dsl)
        assert [i.key.split(":")[0] for i in selectors_actions.due_items([incident.setting_id])] == ["referral_chase"]
        actions.referral_record_outcome(actor=dsl, referral=referral, outcome="accepted")
        assert selectors_actions.due_items([incident.setting_id]) == []


class TestDecisionsInCompleteness:
    def test_a_decision_to_manage_needs_the_headteachers_sign_off(self, incident, dsl, head, pupil):
        decision = review(incident, dsl)
        facts = selectors_actions.snapshot(incident)
        assert (facts.decision, facts.decision_reason_recorded, facts.non_referral_signed_off) == (
            completeness.MANAGE,
            True,
            False,
        )
        decisions.decision_sign_off(actor=head, decision=decision, password_confirmed=True)
        assert selectors_actions.snapshot(incident).non_referral_signed_off is True


class TestDashboard:
    def test_the_panel_lists_overdue_items_oldest_first(self, client_for, dsl, incident, pupil):
        overdue_chase(incident, dsl, days=2)
        ask_to_delete(incident, dsl, pupil)
        body = client_for(dsl).get(reverse("incidents:dashboard")).content.decode()
        assert "Due and overdue, oldest first" in body
        assert body.index("Chase the referral") < body.index("Deletion to be confirmed")
        assert "Overdue 2 days" in body and "Due today" in body

    def test_a_long_list_shows_those_due_first_and_says_there_are_more(
        self, client_for, dsl, incident, pupil, monkeypatch
    ):
        from incidents.templatetags import ysi_actions

        monkeypatch.setattr(ysi_actions, "DUE_SHOWN", 3)
        for days in (9, 1, 7, 3, 5):
            overdue_chase(incident, dsl, days=days)
        body = client_for(dsl).get(reverse("incidents:dashboard")).content.decode()
        shown = [f"Overdue {days} days" for days in (9, 7, 5)]
        assert all(label in body for label in shown)
        assert body.index(shown[0]) < body.index(shown[1]) < body.index(shown[2])
        assert "Overdue 3 days" not in body and "Overdue 1 day<" not in body
        assert "More dates are due than fit here: these are the 3 that fell due first." in body
        # Reminders still read every one of them.
        assert len(selectors_actions.due_items([incident.setting_id])) == 5

    def test_every_date_due_is_on_its_own_page_overdue_first(self, client_for, dsl, incident, pupil, monkeypatch):
        from incidents.templatetags import ysi_actions
        from incidents.views import actions as action_views

        monkeypatch.setattr(ysi_actions, "DUE_SHOWN", 3)
        monkeypatch.setattr(action_views, "DUE_PER_PAGE", 4)
        for days in (9, 1, 7, 3, 5):
            overdue_chase(incident, dsl, days=days)
        ask_to_delete(incident, dsl, pupil)  # due later: after every overdue one
        client = client_for(dsl)
        dashboard = client.get(reverse("incidents:dashboard")).content.decode()
        assert f'<a href="{reverse("incidents:due_list")}">See every date due</a>' in dashboard
        first = client.get(reverse("incidents:due_list")).content.decode()
        assert "6 dates due, 5 overdue." in first
        labels = [f"Overdue {days} day" for days in (9, 7, 5, 3)]
        assert all(label in first for label in labels)
        assert [first.index(label) for label in labels] == sorted(first.index(label) for label in labels)
        second = client.get(reverse("incidents:due_list") + "?page=2").content.decode()
        assert "Overdue 1 day<" in second and "Deletion to be confirmed" in second
        assert second.index("Overdue 1 day<") < second.index("Deletion to be confirmed")
        assert "Overdue 9 days" not in second

    def test_the_page_of_dates_due_reads_as_many_queries_for_many(
        self, client_for, dsl, incident, pupil, django_assert_max_num_queries
    ):
        overdue_chase(incident, dsl, days=1)
        client = client_for(dsl)
        with django_assert_max_num_queries(99) as one:
            client.get(reverse("incidents:due_list"))
        for days in (2, 3, 4, 5):
            overdue_chase(incident, dsl, days=days)
        ask_to_delete(incident, dsl, pupil)
        with django_assert_max_num_queries(len(one.captured_queries)):
            assert "6 dates due" in client.get(reverse("incidents:due_list")).content.decode()

    def test_the_page_of_dates_due_shows_only_the_readers_settings(self, client_for, dsl, other_dsl, incident):
        overdue_chase(incident, dsl)
        body = client_for(other_dsl).get(reverse("incidents:due_list")).content.decode()
        assert "Chase the referral" not in body
        assert "Nothing is due." in body

    def test_a_short_list_says_nothing_of_more(self, client_for, dsl, incident, pupil):
        overdue_chase(incident, dsl)
        assert "More dates are due" not in client_for(dsl).get(reverse("incidents:dashboard")).content.decode()

    def test_another_settings_dsl_sees_none_of_it(self, client_for, dsl, other_dsl, incident):
        overdue_chase(incident, dsl)
        body = client_for(other_dsl).get(reverse("incidents:dashboard")).content.decode()
        assert "Chase the referral" not in body
        assert "Nothing is due" in body

    def test_the_panel_has_a_fixed_query_budget(self, client_for, dsl, incident, pupil, django_assert_max_num_queries):
        client = client_for(dsl)
        overdue_chase(incident, dsl)
        with django_assert_max_num_queries(99) as one:
            client.get(reverse("incidents:dashboard"))
        for days in range(4):
            overdue_chase(incident, dsl, days=days)
        with django_assert_max_num_queries(len(one.captured_queries)):
            client.get(reverse("incidents:dashboard"))

    def test_viewing_records_to_confirm_show_on_the_staff_home(self, client_for, dsl, head, staff, incident, pupil):
        imagery.viewing_record(
            actor=dsl,
            incident=incident,
            young_person=pupil,
            justification="only_way",
            headteacher=head,
            viewer=dsl,
            witness=staff,
            location="Office",
            same_sex="yes",
            viewed_at=timezone.now(),
            reason="r",
            what_followed="w",
            confirm_not_copied=True,
            confirm_no_distress=True,
        )
        body = client_for(staff).get(reverse("incidents:staff_home")).content.decode()
        assert "Viewing records waiting for your confirmation" in body
        assert "you were present" in body


class TestSendReminders:
    def test_each_dsl_gets_their_overdue_items_without_personal_details(self, incident, dsl, deputy, other_dsl, pupil):
        overdue_chase(incident, dsl)
        emails = queue_overdue_reminders()
        assert len(emails) == 1
        email = emails[0]
        assert email.to == [dsl.email]
        assert incident.reference in email.body and "Chase the referral to MASH" in email.body
        assert "Zara" not in email.body and "Quinn" not in email.body and "Sue" not in email.body
        assert "3 days overdue" in email.body

    def test_running_again_the_same_day_sends_nothing_twice(self, incident, dsl, pupil):
        overdue_chase(incident, dsl)
        assert len(queue_overdue_reminders()) == 1
        assert queue_overdue_reminders() == []
        # An item that becomes overdue later the same day goes out alone.
        yesterday = timezone.localdate() - timedelta(days=1)
        ask_to_delete(incident, dsl, pupil)
        DeletionRequest.objects.update(deadline=yesterday)
        emails = queue_overdue_reminders()
        assert len(emails) == 1
        assert "Deletion to be confirmed" in emails[0].body and "Chase the referral" not in emails[0].body
        assert ReminderSent.objects.count() == 2

    def test_the_next_day_it_reminds_again(self, incident, dsl):
        overdue_chase(incident, dsl)
        queue_overdue_reminders()
        assert len(queue_overdue_reminders(today=timezone.localdate() + timedelta(days=1))) == 1

    def test_closed_incidents_are_not_reminded(self, incident, dsl):
        overdue_chase(incident, dsl)
        incident_change_status(actor=dsl, incident=incident, status="closed", reason="x", override_reason="y")
        assert queue_overdue_reminders() == []

    def test_the_command_reports_what_it_queued(self, incident, dsl):
        overdue_chase(incident, dsl)
        out = StringIO()
        call_command("send_reminders", stdout=out)
        assert "overdue items: 1 reminder queued" in out.getvalue()
        assert OutboxEmail.objects.filter(kind="overdue_reminder").count() == 1
