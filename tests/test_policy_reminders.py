"""The policy review reminder in `send_reminders`: queued through the outbox, never twice."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from incidents.models import OutboxEmail
from incidents.services.policy_reminders import queue_policy_review_reminders
from tests.test_policy import adopt, complete_draft


def test_nothing_is_queued_without_a_policy_or_before_the_review_is_due(oakfield, dsl, head):
    assert queue_policy_review_reminders() == []
    version = adopt(complete_draft(oakfield, dsl), head)
    assert queue_policy_review_reminders(today=version.next_review_on - timedelta(days=40)) == []
    assert not OutboxEmail.objects.exists()


def test_a_due_review_is_queued_once_to_the_dsl_and_headteacher(oakfield, dsl, deputy, head, staff):
    version = adopt(complete_draft(oakfield, dsl), head)
    day = version.next_review_on - timedelta(days=10)
    [email] = queue_policy_review_reminders(today=day)
    assert email.kind == "policy_review"
    assert sorted(email.to) == sorted([dsl.email, head.email])
    assert "due for review" in email.subject
    assert f"/policy/{oakfield.code}/draft/" in email.body
    assert dsl.last_name not in email.body
    assert queue_policy_review_reminders(today=day) == []
    assert queue_policy_review_reminders(today=day + timedelta(days=3)) == []


def test_an_overdue_review_is_queued_once_a_week(oakfield, dsl, head):
    version = adopt(complete_draft(oakfield, dsl), head)
    day = version.next_review_on + timedelta(days=2)
    [email] = queue_policy_review_reminders(today=day)
    assert "overdue" in email.subject
    assert "2 days overdue" in email.body
    assert queue_policy_review_reminders(today=day) == []
    assert len(queue_policy_review_reminders(today=day + timedelta(days=7))) == 1


def test_the_command_reports_what_it_queued(oakfield, dsl, head):
    adopt(complete_draft(oakfield, dsl), head)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "policy review: 0 reminders queued" in out.getvalue()
