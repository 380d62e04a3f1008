import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Disclosure(models.Model):
    """What a member of staff reported through the form, exactly as they wrote it.

    The original text can never be changed (database triggers refuse it); later additions are
    DisclosureAnnotations. Only the incident it belongs to (after a merge) and its acknowledgement,
    set once, may change.
    """

    class Source(models.TextChoices):
        YOUNG_PERSON = "young_person", "The young person themself told me"
        FRIEND = "friend", "A friend or another young person told me"
        PARENT = "parent", "A parent or carer told me"
        STAFF_SAW = "staff_saw", "I (or another member of staff) saw it or was shown it"
        IT_MONITORING = "it_monitoring", "IT monitoring or filtering"
        OTHER = "other", "Other"

    class SawImagery(models.TextChoices):
        NO = "no", "No, I have not seen it"
        SAW = "saw", "Yes, I saw it unavoidably"
        SHOWN = "shown", "Yes, it was shown to me"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="disclosures")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="disclosures")
    # Generated when the form is shown; a second submission of the same form finds the first report.
    idempotency_key = models.UUIDField(editable=False)
    reported_at = models.DateTimeField("received at", default=timezone.now)
    source = models.CharField("who told you, or how it came to your attention", max_length=30, choices=Source.choices)
    disclosed_at = models.DateTimeField("when it was disclosed or came to your attention")
    young_people_named = models.TextField("young people named", help_text="Names and year groups, as you know them.")
    what_was_said = models.TextField("what was said")
    imagery_known = models.TextField("what is known about the imagery, without looking at it", blank=True)
    devices = models.TextField("devices involved", blank=True)
    reporter_saw_imagery = models.CharField(
        "did you see the imagery?", max_length=10, choices=SawImagery.choices, default=SawImagery.NO
    )
    immediate_risk = models.BooleanField("I believe a young person is at immediate risk of harm", default=False)
    # The reference the reporter was given; it stays theirs even if the DSL merges the report.
    reference = models.CharField(max_length=40)
    original_incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, related_name="+", editable=False
    )
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="disclosures")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # What the triggers keep as it was written.
    ORIGINAL_COLUMNS = [
        "setting_id",
        "code",
        "reporter_id",
        "idempotency_key",
        "reported_at",
        "source",
        "disclosed_at",
        "young_people_named",
        "what_was_said",
        "imagery_known",
        "devices",
        "reporter_saw_imagery",
        "immediate_risk",
        "reference",
        "original_incident_id",
    ]
    SET_ONCE_COLUMNS = ("acknowledged_at", "acknowledged_by_id")

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "idempotency_key"], name="disclosure_idempotency_key_unique"),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | models.Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="disclosure_acknowledged_by_and_at_together",
            ),
        ]
        indexes = [
            models.Index(fields=["setting", "acknowledged_at", "reported_at"], name="disclosure_setting_queue"),
            models.Index(fields=["setting", "reporter", "-reported_at"], name="disclosure_setting_reporter"),
        ]

    def __str__(self) -> str:
        return f"Disclosure {self.reference} ({self.reported_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("incidents:disclosure_receipt", args=[self.code])

    @property
    def reporter_saw_it(self) -> bool:
        return self.reporter_saw_imagery != self.SawImagery.NO

    @property
    def time_to_dsl(self):
        return self.acknowledged_at - self.reported_at if self.acknowledged_at else None


class DisclosureAnnotation(models.Model):
    """Something added to a disclosure afterwards. Append-only: triggers refuse changes."""

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["setting", "disclosure", "at"], name="disclosureannotation_setting")]

    def __str__(self) -> str:
        return f"Annotation on {self.disclosure.reference} by {self.author}"
