"""The outbox: queueing inside transactions, the worker, retries, failures on the dashboard."""

import os
import signal
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from incidents.models import AccessLogEntry, OutboxEmail
from incidents.services import outbox
from incidents.services.outbox import (
    backoff_delay,
    claim_due,
    enqueue_email,
    outbox_retry,
    recover_interrupted,
    send_due,
)

pytestmark = pytest.mark.django_db
Status = OutboxEmail.Status


def queue(setting, **overrides):
    fields = {
        "setting": setting,
        "to": ["dana@example.org"],
        "subject": "New concern reported: YPSI-2026-0001",
        "body": "A member of staff has reported a concern. Open YSI to read it.",
        "kind": "disclosure_alert",
    }
    fields.update(overrides)
    return enqueue_email(**fields)


class BrokenBackend:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server refused the connection")

    def open(self):
        pass

    def close(self):
        pass


@pytest.fixture
def broken_mail(settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.BrokenBackend"


class TestBackoff:
    def test_it_doubles_from_one_minute(self):
        assert [backoff_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]

    def test_it_never_waits_more_than_an_hour(self):
        assert backoff_delay(30) == timedelta(hours=1)


class TestEnqueue:
    def test_it_queues_without_sending(self, oakfield):
        email = queue(oakfield)
        assert email.status == Status.QUEUED
        assert email.to == ["dana@example.org"]
        assert mail.outbox == []

    def test_a_dedupe_key_already_queued_is_skipped(self, oakfield):
        first = queue(oakfield, dedupe_key="disclosure-1")
        assert queue(oakfield, dedupe_key="disclosure-1") is None
        assert list(OutboxEmail.objects.all()) == [first]

    def test_emails_without_a_key_are_all_queued(self, oakfield):
        queue(oakfield)
        queue(oakfield)
        assert OutboxEmail.objects.count() == 2

    def test_it_is_part_of_the_callers_transaction(self, oakfield):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue(oakfield)
            raise RuntimeError("the change it announced failed")
        assert not OutboxEmail.objects.exists()

    def test_blank_and_repeated_addresses_are_dropped(self, oakfield):
        email = queue(oakfield, to=["b@example.org", " ", "a@example.org", "b@example.org"])
        assert email.to == ["a@example.org", "b@example.org"]

    def test_no_recipients_is_a_visible_failure_not_a_silent_loss(self, oakfield):
        email = queue(oakfield, to=["", None])
        assert email.status == Status.FAILED
        assert "Nobody to send it to" in email.last_error

    def test_a_subject_is_one_line(self, oakfield):
        with pytest.raises(ValueError, match="one line"):
            queue(oakfield, subject="Hello\nBcc: someone@example.org")


class TestInlineSendingInDevelopment:
    def test_it_sends_after_commit_when_debug_and_inline_are_on(
        self, oakfield, settings, django_capture_on_commit_callbacks
    ):
        settings.DEBUG = True
        settings.YSI_SEND_EMAIL_INLINE = True
        with django_capture_on_commit_callbacks(execute=True):
            email = queue(oakfield)
        email.refresh_from_db()
        assert email.status == Status.SENT
        assert len(mail.outbox) == 1

    def test_it_waits_for_the_worker_when_debug_is_off(self, oakfield, settings, django_capture_on_commit_callbacks):
        settings.DEBUG = False
        settings.YSI_SEND_EMAIL_INLINE = True
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            queue(oakfield)
        assert callbacks == []
        assert mail.outbox == []

    def test_the_worker_does_not_resend_what_was_sent_inline(
        self, oakfield, settings, django_capture_on_commit_callbacks
    ):
        settings.DEBUG = True
        with django_capture_on_commit_callbacks(execute=True):
            queue(oakfield)
        assert send_due().sent == 0
        assert len(mail.outbox) == 1


class TestWorker:
    def test_it_sends_due_emails_once(self, oakfield):
        email = queue(oakfield)
        report = send_due()
        assert report.sent == 1
        email.refresh_from_db()
        assert (email.status, email.attempts) == (Status.SENT, 1)
        assert email.sent_at is not None
        message = mail.outbox[0]
        assert message.to == ["dana@example.org"]
        assert message.subject == email.subject
        assert message.extra_headers["Message-ID"] == email.message_id
        assert send_due().sent == 0
        assert len(mail.outbox) == 1

    def test_it_leaves_emails_that_are_not_yet_due(self, oakfield):
        queue(oakfield).__class__.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5))
        assert send_due().sent == 0

    def test_a_claimed_email_is_not_claimed_again(self, oakfield):
        queue(oakfield)
        first = claim_due()
        assert len(first) == 1
        assert claim_due() == []

    def test_on_postgresql_workers_skip_rows_another_worker_has_locked(self, oakfield, django_assert_max_num_queries):
        from django.db import connection

        queue(oakfield)
        with django_assert_max_num_queries(99) as captured:
            claim_due()
        queries = [q["sql"] for q in captured.captured_queries]
        [select] = [sql for sql in queries if sql.startswith("SELECT") and "LIMIT" in sql]
        if connection.vendor == "postgresql":
            assert select.endswith("FOR UPDATE SKIP LOCKED")
        else:
            assert "FOR UPDATE" not in select

    def test_a_failure_is_retried_later_with_back_off(self, oakfield, broken_mail):
        email = queue(oakfield)
        report = send_due()
        assert report.retrying == 1
        email.refresh_from_db()
        assert (email.status, email.attempts) == (Status.QUEUED, 1)
        assert "refused the connection" in email.last_error
        wait = email.next_attempt_at - timezone.now()
        assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
        assert send_due().retrying == 0  # not due yet

    def test_after_the_last_attempt_it_is_failed(self, oakfield, broken_mail, settings):
        settings.YSI_OUTBOX_MAX_ATTEMPTS = 3
        email = queue(oakfield)
        later = timezone.now()
        for _ in range(3):
            later += timedelta(hours=2)
            send_due(now=later)
        email.refresh_from_db()
        assert (email.status, email.attempts) == (Status.FAILED, 3)
        assert send_due(now=later + timedelta(days=1)).failed == 0

    def test_a_recovered_mail_server_sends_the_retry(self, oakfield, broken_mail, settings):
        email = queue(oakfield)
        send_due()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert send_due(now=timezone.now() + timedelta(minutes=2)).sent == 1
        email.refresh_from_db()
        assert (email.status, email.attempts, email.last_error) == (Status.SENT, 2, "")

    def test_an_email_left_sending_by_a_dead_worker_is_failed_not_resent(self, oakfield):
        email = queue(oakfield)
        claim_due()  # the worker claimed it, then was killed before it could say what happened
        assert recover_interrupted(now=timezone.now() + timedelta(minutes=5)) == 0
        report = send_due(now=timezone.now() + timedelta(minutes=20))
        assert (report.interrupted, report.sent) == (1, 0)
        email.refresh_from_db()
        assert email.status == Status.FAILED
        assert "may or may not have arrived" in email.last_error
        assert mail.outbox == []

    def test_a_slow_worker_cannot_mark_a_row_it_no_longer_holds(self, oakfield):
        queue(oakfield)
        [claimed] = claim_due()
        recover_interrupted(now=timezone.now() + timedelta(hours=1))
        assert outbox._send_claimed(claimed, None) == Status.SENT
        claimed.refresh_from_db()
        assert claimed.status == Status.FAILED

    def test_the_command_sends_once_and_reports(self, oakfield):
        queue(oakfield)
        out = StringIO()
        call_command("send_outbox", "--once", stdout=out)
        assert "sent 1" in out.getvalue()
        assert len(mail.outbox) == 1

    def test_the_loop_sends_and_stops_cleanly_on_sigterm(self, oakfield, monkeypatch):
        from incidents.management.commands import send_outbox as command

        passes = []

        def one_pass_then_terminate(**kwargs):
            passes.append(send_due(**kwargs))
            os.kill(os.getpid(), signal.SIGTERM)
            return passes[-1]

        queue(oakfield)
        monkeypatch.setattr(command, "send_due", one_pass_then_terminate)
        # Inside the test's transaction Django would take the connection for a broken one and close it.
        monkeypatch.setattr(command, "close_old_connections", lambda: None)
        previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
        out = StringIO()
        try:
            call_command("send_outbox", "--interval", "0.1", stdout=out)
        finally:
            signal.signal(signal.SIGTERM, previous[0])
            signal.signal(signal.SIGINT, previous[1])
        assert len(passes) == 1
        assert "sent 1" in out.getvalue()
        assert "Outbox worker stopped." in out.getvalue()
        assert len(mail.outbox) == 1


class TestRetry:
    def test_a_failed_email_gets_fresh_attempts(self, oakfield, dsl):
        email = queue(oakfield)
        OutboxEmail.objects.filter(pk=email.pk).update(status=Status.FAILED, attempts=6)
        email.refresh_from_db()
        outbox_retry(actor=dsl, email=email)
        assert (email.status, email.attempts) == (Status.QUEUED, 0)
        assert send_due().sent == 1

    def test_only_failed_emails_can_be_retried(self, oakfield, dsl):
        with pytest.raises(ValueError, match="could not be sent"):
            outbox_retry(actor=dsl, email=queue(oakfield))


class TestDashboardPanel:
    def failed(self, setting, subject="New concern reported: YPSI-2026-0007"):
        email = queue(setting, subject=subject)
        OutboxEmail.objects.filter(pk=email.pk).update(status=Status.FAILED, attempts=6, last_error="SMTP down")
        return email

    @pytest.mark.parametrize("who", ["dsl", "deputy"])
    def test_the_safeguarding_team_sees_failed_emails(self, request, client_for, oakfield, who):
        self.failed(oakfield)
        response = client_for(request.getfixturevalue(who)).get(reverse("incidents:dashboard"))
        assert "Emails that could not be sent" in response.text
        assert "New concern reported: YPSI-2026-0007" in response.text
        assert "SMTP down" in response.text

    def test_retrying_emails_are_shown_too(self, client_for, oakfield, dsl, broken_mail):
        queue(oakfield, subject="Retrying subject")
        send_due()
        response = client_for(dsl).get(reverse("incidents:dashboard"))
        assert "Will try again at" in response.text

    def test_sent_emails_are_not_shown(self, client_for, oakfield, dsl):
        queue(oakfield)
        send_due()
        assert "Emails that could not be sent" not in client_for(dsl).get(reverse("incidents:dashboard")).text

    def test_another_settings_failures_are_not_shown(self, client_for, riverside, dsl):
        self.failed(riverside, subject="Riverside alert")
        assert "Riverside alert" not in client_for(dsl).get(reverse("incidents:dashboard")).text

    @pytest.mark.parametrize("who", ["head", "auditor"])
    def test_heads_and_auditors_do_not_see_the_panel(self, request, client_for, oakfield, who):
        self.failed(oakfield)
        response = client_for(request.getfixturevalue(who)).get(reverse("incidents:dashboard"))
        assert response.status_code == 200
        assert "Emails that could not be sent" not in response.text

    def test_a_dsl_sends_a_failed_email_again(self, client_for, oakfield, dsl):
        email = self.failed(oakfield)
        response = client_for(dsl).post(reverse("incidents:outbox_retry", args=[email.code]))
        assert response.status_code == 302
        email.refresh_from_db()
        assert email.status == Status.QUEUED

    @pytest.mark.parametrize("who", ["staff", "head", "auditor", "other_dsl"])
    def test_others_cannot_send_it_again(self, request, client_for, oakfield, who):
        email = self.failed(oakfield)
        response = client_for(request.getfixturevalue(who)).post(reverse("incidents:outbox_retry", args=[email.code]))
        assert response.status_code == 404
        email.refresh_from_db()
        assert email.status == Status.FAILED
        assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REFUSED).exists()

    def test_retry_is_post_only(self, client_for, oakfield, dsl):
        email = self.failed(oakfield)
        assert client_for(dsl).get(reverse("incidents:outbox_retry", args=[email.code])).status_code == 405

    def test_the_panel_costs_the_same_queries_for_one_or_many(self, client_for, oakfield, dsl,
                                                               django_assert_max_num_queries):
        self.failed(oakfield)
        client = client_for(dsl)
        with django_assert_max_num_queries(99) as one:
            client.get(reverse("incidents:dashboard"))
        for n in range(5):
            self.failed(oakfield, subject=f"Alert {n}")
        with django_assert_max_num_queries(len(one.captured_queries)):
            client.get(reverse("incidents:dashboard"))
