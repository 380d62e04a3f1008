import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class TransferRecord(models.Model):
    """A young person's safeguarding file sent to the setting they moved to, and its receipt."""

    class Method(models.TextChoices):
        SECURE_EMAIL = "secure_email", "Secure (encrypted) email"
        PORTAL = "portal", "Secure file transfer or the local authority's portal"
        BY_HAND = "by_hand", "By hand, signed for"
        RECORDED_POST = "recorded_post", "Recorded delivery post"
        OTHER = "other", "Other"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    young_person = models.ForeignKey("incidents.YoungPerson", on_delete=models.PROTECT, related_name="transfers")
    receiving_setting = models.CharField("school or college it was sent to", max_length=200)
    sent_on = models.DateField("date sent")
    method = models.CharField("how it was sent", max_length=20, choices=Method.choices)
    method_notes = models.TextField("about how it was sent", blank=True)
    export = models.ForeignKey(
        "incidents.ExportLog",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="transfer file sent",
    )
    receipt_confirmed_on = models.DateField("receipt confirmed on", null=True, blank=True)
    receipt_confirmed_by = models.CharField("who confirmed receipt", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["setting", "young_person"], name="transfer_setting_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(receipt_confirmed_on__isnull=True) | Q(receipt_confirmed_on__gte=F("sent_on")),
                name="transfer_receipt_not_before_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer of {self.young_person} to {self.receiving_setting} on {self.sent_on:%d %b %Y}"
