import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxEmail(models.Model):
    """One email waiting to be sent, being sent, sent or given up on.

    Every email the app sends is queued here inside the transaction of the change it announces, so
    an alert exists exactly when the change does; `manage.py send_outbox` sends it afterwards.
    Bodies never hold personal details or case text: email is not a secure channel.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=60)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    # Two attempts to queue the same alert (a retried request, a reminder run twice) queue it once.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which worker run claimed it: a sender only ever marks the rows it claimed itself.
    claim = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "outbox email"
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="outboxemail_dedupe_key_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed"]), name="outboxemail_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outboxemail_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["setting", "status", "-created_at"], name="outbox_setting_status"),
            # The worker serves every setting at once, so its index cannot start with the setting.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {len(self.to)} recipient(s), {self.get_status_display().lower()}"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so a receiving server can drop a duplicate."""
        return f"<outbox-{self.code}@ysi.invalid>"
