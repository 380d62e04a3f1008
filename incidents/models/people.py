import uuid
from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from incidents.dates import age_on
from incidents.models.validators import refuse_direction_controls


class YoungPerson(models.Model):
    """A child or young person (under 18) known to a setting. Only what the record needs is kept."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other or prefers not to say"
        NOT_RECORDED = "not_recorded", "Not recorded"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="young_people")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100, validators=[refuse_direction_controls])
    last_name = models.CharField(max_length=100, validators=[refuse_direction_controls])
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.NOT_RECORDED)
    year_group = models.CharField(max_length=40, blank=True, help_text="For example: Year 9, Reception, Year 12.")
    additional_needs = models.BooleanField(
        "has additional needs", default=False, help_text="Special educational needs or other vulnerabilities."
    )
    additional_needs_note = models.TextField("about their needs", blank=True)
    known_to_social_care = models.BooleanField("children's social care is or has been involved", default=False)
    date_left = models.DateField("date left", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["setting", "last_name", "first_name"], name="youngperson_setting_name"),
            # The dashboard's "transfers due" reads those who have left, on every visit: a few among
            # thousands in a setting.
            models.Index(
                fields=["setting", "date_left"],
                name="youngperson_setting_left",
                condition=models.Q(date_left__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(additional_needs=True) | models.Q(additional_needs_note=""),
                name="youngperson_needs_note_only_with_needs",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("incidents:young_person_detail", args=[self.code])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()

    def age_on(self, day: date) -> int:
        return age_on(self.date_of_birth, day)

    @property
    def age_today(self) -> int:
        return age_on(self.date_of_birth, timezone.localdate())
