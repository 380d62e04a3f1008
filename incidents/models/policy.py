"""The setting's own policy: a draft being written, the versions adopted, who has read them, training."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from incidents import rules
from incidents.models.setting import Setting


def _rule_set_choices() -> list[tuple[str, str]]:
    return [(name, rules.describe_rule_set(name).title) for name in rules.RULE_SETS]


class PolicyDraft(models.Model):
    """The working copy of a setting's policy, one per setting. Every saved change is in `history`.

    Adopting it copies it into an immutable PolicyVersion; the draft stays, ready for the next review.
    """

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    setting_name = models.CharField("name of the setting, as the policy prints it", max_length=200, blank=True)
    place_term = models.CharField(
        "word for the organisation", max_length=20, choices=Setting.PlaceTerm.choices, default=Setting.PlaceTerm.SCHOOL
    )
    child_term = models.CharField(
        "word for the children", max_length=20, choices=Setting.ChildTerm.choices, default=Setting.ChildTerm.PUPIL
    )
    dsl = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Designated Safeguarding Lead",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deputies = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="deputy DSLs", blank=True, related_name="policy_drafts_as_deputy"
    )
    headteacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mash_phone = models.CharField("MASH phone", max_length=40, blank=True)
    mash_email = models.EmailField("MASH email", blank=True)
    police_phone = models.CharField("police non-emergency number", max_length=40, blank=True, default="101")
    lado_phone = models.CharField("LADO phone", max_length=40, blank=True)
    lado_email = models.EmailField("LADO email", blank=True)
    curriculum = models.CharField(
        "where the curriculum teaches this",
        max_length=300,
        blank=True,
        help_text="For example: our PSHE and RSHE programme and our computing lessons.",
    )
    rule_set = models.CharField(
        "referral rule set", max_length=40, choices=_rule_set_choices, default=rules.DEFAULT_RULE_SET
    )
    next_review_on = models.DateField("next review due", null=True, blank=True)
    # Section key -> the setting's own words for that section (incidents.policy_document.SECTION_TITLES).
    local_additions = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[deputies])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["setting"], name="policydraft_one_per_setting")]

    def __str__(self) -> str:
        return f"Policy draft for {self.setting}"


class PolicyVersion(models.Model):
    """An adopted version of a setting's policy. Never changed or deleted: database triggers refuse it.

    Names are copied as well as linked, so the version reads the same even if an account is renamed.
    """

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="policy_versions")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField()
    rule_set = models.CharField("referral rule set", max_length=40)
    # The values chosen (incidents.policy_document.PolicyValues) and the document as adopted.
    values = models.JSONField()
    document = models.JSONField()
    content_sha256 = models.CharField(max_length=64)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    drafted_by_name = models.CharField(max_length=300, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by_name = models.CharField("approved by (headteacher)", max_length=300)
    adopted_at = models.DateTimeField(default=timezone.now)
    governors_ratified_on = models.DateField("ratified by governors on", null=True, blank=True)
    next_review_on = models.DateField("next review due")

    class Meta:
        ordering = ["setting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "number"], name="policyversion_number_per_setting"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="policyversion_number_positive"),
        ]
        indexes = [models.Index(fields=["setting", "-adopted_at"], name="policyversion_setting_adopt")]

    def __str__(self) -> str:
        return f"{self.setting} policy, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:policy_version", args=[self.setting.code, self.code])

    def review_overdue_on(self, today: date) -> bool:
        return self.next_review_on < today


class ReadConfirmation(models.Model):
    """A person confirmed they have read one version. Append-only: database triggers refuse changes."""

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="read_confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="policy_confirmations")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="readconfirmation_once_per_version"),
        ]
        indexes = [models.Index(fields=["setting", "user", "-confirmed_at"], name="readconf_setting_user")]

    def __str__(self) -> str:
        return f"{self.user} read version {self.version.number} on {self.confirmed_at:%Y-%m-%d}"


class TrainingSession(models.Model):
    """A safeguarding training session the DSL records, with who attended. Changes are kept in `history`."""

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="training_sessions")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    held_on = models.DateField("date")
    title = models.CharField(max_length=200)
    led_by = models.CharField("led by", max_length=200)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TrainingAttendance", related_name="training_sessions"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["setting", "-held_on"], name="training_setting_held_on")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("incidents:training_detail", args=[self.setting.code, self.code])


class TrainingAttendance(models.Model):
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    # A name taken off a register is kept here, not lost.
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="trainingattendance_once")]
        indexes = [models.Index(fields=["setting", "user"], name="attendance_setting_user")]

    def __str__(self) -> str:
        return f"{self.user} at {self.session}"
