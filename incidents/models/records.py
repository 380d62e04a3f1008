import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ExportLog(models.Model):
    """One signed document the app produced: what, for whom, and the hashes to check it against later.

    Append-only like the chronology: database triggers refuse UPDATE and DELETE.
    """

    class Kind(models.TextChoices):
        RECORD = "record", "Incident record"
        AUDIT_PACK = "audit_pack", "Audit pack"
        TRANSFER = "transfer", "Transfer file"
        DOCUMENT = "document", "Other document"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    young_person = models.ForeignKey(
        "incidents.YoungPerson", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the document was made from (date range, options), so that it can be made again to compare.
    params = models.JSONField(default=dict, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=20, default="web")
    content_hash = models.CharField("hash of the record's content at export", max_length=64)
    file_hash = models.CharField("SHA-256 of the signed file", max_length=64)
    signer = models.CharField(max_length=300)

    class Meta:
        ordering = ["-generated_at", "-id"]
        indexes = [
            models.Index(fields=["setting", "kind", "-generated_at"], name="exportlog_setting_kind"),
            models.Index(fields=["setting", "incident"], name="exportlog_setting_incident"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(content_hash="") & ~models.Q(file_hash=""), name="exportlog_hashes_present"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title} ({self.generated_at:%Y-%m-%d %H:%M})"
