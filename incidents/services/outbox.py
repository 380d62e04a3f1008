"""The outbox: every email the app sends is queued here and sent by `manage.py send_outbox`.

Queue with `enqueue_email` inside the transaction of the change the email announces. The worker
claims due rows (SKIP LOCKED on PostgreSQL, so several workers never take the same row), marks each
"sending" before it talks to the mail server and "sent" afterwards. A failure is retried with
exponential back-off and, after the last attempt, marked "failed" and shown on the DSL dashboard.
A row a killed worker left "sending" is never sent again automatically (it may have gone out): it is
marked failed and a DSL decides. Each row keeps one Message-ID, so a manual resend that duplicates
a delivered message is recognisable as the same message.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from incidents.models import OutboxEmail, Setting, User

logger = logging.getLogger("ysi.outbox")

BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
# A worker stuck longer than this on one email has died: the mail server timeout is far shorter.
STALE_AFTER = timedelta(minutes=15)
NO_RECIPIENTS = "Nobody to send it to: no one it was meant for has an email address in YSI."
INTERRUPTED = (
    "The sender stopped while sending this email, so it may or may not have arrived. "
    "Check with the people it was for, or send it again."
)

Status = OutboxEmail.Status


def backoff_delay(attempts: int) -> timedelta:
    """Wait after the given number of failed attempts: 1, 2, 4, 8… minutes, at most an hour."""
    return min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


def max_attempts() -> int:
    return max(1, settings.YSI_OUTBOX_MAX_ATTEMPTS)


def enqueue_email(
    *, setting: Setting, to: list[str], subject: str, body: str, kind: str, dedupe_key: str | None = None
) -> OutboxEmail | None:
    """Queue one email; call inside the caller's transaction. A dedupe_key already queued returns None.

    The subject and body must hold no personal details and no case text.
    """
    if "\n" in subject or "\r" in subject:
        raise ValueError("An email subject is one line.")
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if dedupe_key and OutboxEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    email = OutboxEmail(
        setting=setting, to=recipients, subject=subject, body=body, kind=kind, dedupe_key=dedupe_key or None
    )
    if not recipients:
        email.status = Status.FAILED
        email.last_error = NO_RECIPIENTS
        logger.warning("Outbox email %s (%s) has no recipients; shown as failed.", email.code, kind)
    try:
        # A savepoint, so losing a race on the dedupe key does not break the caller's transaction.
        with transaction.atomic():
            email.save()
    except IntegrityError:
        if dedupe_key and OutboxEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if recipients and settings.DEBUG and settings.YSI_SEND_EMAIL_INLINE:
        transaction.on_commit(lambda: _send_inline(email.pk))
    return email


def _send_inline(pk: int) -> None:
    logger.info("Development (DEBUG and YSI_SEND_EMAIL_INLINE): sending outbox email %s now, not via the worker.", pk)
    claim = uuid.uuid4()
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed:
        _send_claimed(OutboxEmail.objects.get(pk=pk), get_connection())


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    interrupted: int = 0

    def __str__(self) -> str:
        return (
            f"sent {self.sent}, will retry {self.retrying}, failed {self.failed}, "
            f"interrupted earlier {self.interrupted}"
        )


def claim_due(*, now: datetime | None = None, limit: int = 50) -> list[OutboxEmail]:
    """Take up to `limit` due emails for this worker, marking them "sending" in their own transaction."""
    now = now or timezone.now()
    claim = uuid.uuid4()
    with transaction.atomic():
        due = OutboxEmail.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        # The status condition makes the claim safe even where rows cannot be locked (SQLite
        # serialises writers instead).
        OutboxEmail.objects.filter(pk__in=ids, status=Status.QUEUED).update(
            status=Status.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(OutboxEmail.objects.filter(claim=claim, status=Status.SENDING).order_by("next_attempt_at", "id"))


def _message(email: OutboxEmail, mail_connection) -> EmailMessage:
    return EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        connection=mail_connection,
        headers={"Message-ID": email.message_id, "X-YSI-Kind": email.kind},
    )


def _send_claimed(email: OutboxEmail, mail_connection) -> str:
    """Send one claimed email and record the outcome; returns the status it ends in."""
    try:
        _message(email, mail_connection).send(fail_silently=False)
    except Exception as error:  # any failure of the mail server is recorded, never raised
        return _record_failure(email, error)
    OutboxEmail.objects.filter(pk=email.pk, claim=email.claim, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("Outbox email %s (%s) sent.", email.code, email.kind)
    return Status.SENT


def _record_failure(email: OutboxEmail, error: Exception) -> str:
    message = f"{type(error).__name__}: {error}"[:1000]
    now = timezone.now()
    if email.attempts >= max_attempts():
        status, next_at = Status.FAILED, now
        logger.error("Outbox email %s (%s) failed for good after %d attempts: %s", email.code, email.kind,
                     email.attempts, message)
    else:
        status, next_at = Status.QUEUED, now + backoff_delay(email.attempts)
        logger.warning("Outbox email %s (%s) failed (attempt %d), retrying at %s: %s", email.code, email.kind,
                       email.attempts, next_at.isoformat(), message)
    OutboxEmail.objects.filter(pk=email.pk, claim=email.claim, status=Status.SENDING).update(
        status=status, next_attempt_at=next_at, last_error=message
    )
    return status


def recover_interrupted(*, now: datetime | None = None) -> int:
    """Mark failed the emails a dead worker left "sending"; they are not resent automatically."""
    now = now or timezone.now()
    stale = OutboxEmail.objects.filter(status=Status.SENDING, claimed_at__lt=now - STALE_AFTER)
    count = stale.update(status=Status.FAILED, last_error=INTERRUPTED)
    if count:
        logger.error("%d outbox email(s) were interrupted while sending; marked failed for a DSL to check.", count)
    return count


def send_due(*, now: datetime | None = None, limit: int = 50) -> SendReport:
    """One pass of the worker: recover interrupted rows, then claim and send what is due."""
    report = SendReport(interrupted=recover_interrupted(now=now))
    claimed = claim_due(now=now, limit=limit)
    if not claimed:
        return report
    mail_connection = get_connection()
    for email in claimed:
        outcome = _send_claimed(email, mail_connection)
        if outcome == Status.SENT:
            report.sent += 1
        elif outcome == Status.QUEUED:
            report.retrying += 1
        else:
            report.failed += 1
    return report


def outbox_retry(*, actor: User, email: OutboxEmail) -> OutboxEmail:
    """A DSL asks for a failed email to be sent again: it gets a fresh set of attempts."""
    if email.status != Status.FAILED:
        raise ValueError("Only an email that could not be sent can be sent again.")
    if not email.to:
        raise ValueError(NO_RECIPIENTS)
    OutboxEmail.objects.filter(pk=email.pk, status=Status.FAILED).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), claim=None, claimed_at=None
    )
    logger.info("Outbox email %s (%s) queued again by %s.", email.code, email.kind, actor.username)
    email.refresh_from_db()
    if settings.DEBUG and settings.YSI_SEND_EMAIL_INLINE:
        transaction.on_commit(lambda: _send_inline(email.pk))
    return email
