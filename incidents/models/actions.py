"""What the DSL does after the initial review: referrals (and their chases), parents, devices.

Rows are written only through `incidents/services/actions.py`, which records the chronology in the
same transaction. Chases and custody entries are append-only (database triggers).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class Referral(models.Model):
    class Agency(models.TextChoices):
        MASH = "mash", "MASH / children's social care"
        POLICE_101 = "police_101", "Police (101)"
        POLICE_999 = "police_999", "Police (999)"
        CEOP = "ceop", "CEOP"
        LADO = "lado", "LADO"
        OTHER_SETTING = "other_setting", "Another school or college"

    POLICE_AGENCIES = (Agency.POLICE_101, Agency.POLICE_999)

    class Method(models.TextChoices):
        PHONE = "phone", "Phone"
        ONLINE_FORM = "online_form", "Online form"
        EMAIL = "email", "Email"

    class Outcome(models.TextChoices):
        AWAITING = "awaiting", "Awaiting outcome"
        ACCEPTED = "accepted", "Accepted: the agency is acting"
        ADVICE = "advice", "Advice given, back to the setting"
        NO_FURTHER_ACTION = "nfa", "No further action"
        OUTCOME_21 = "outcome_21", "Police outcome 21: no further action in the public interest"
        OTHER = "other", "Other"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="referrals")
    agency = models.CharField(max_length=20, choices=Agency.choices)
    agency_name = models.CharField(
        "which school or college", max_length=200, blank=True, help_text="Only for a referral to another setting."
    )
    made_at = models.DateTimeField("referred at")
    method = models.CharField("how", max_length=20, choices=Method.choices)
    contact_name = models.CharField("contact name", max_length=200)
    agency_reference = models.CharField("the agency's reference", max_length=100, blank=True)
    information_shared = models.TextField("what was shared")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.AWAITING)
    outcome_notes = models.TextField("about the outcome", blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    next_chase_due = models.DateField(
        "next chase due", null=True, blank=True, help_text="When to chase the agency if nothing has been heard."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["made_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="awaiting") | Q(outcome_recorded_at__isnull=False),
                name="referral_outcome_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(agency="other_setting") | ~Q(agency_name=""),
                name="referral_other_setting_named",
            ),
        ]
        indexes = [models.Index(fields=["setting", "next_chase_due"], name="referral_setting_chase")]

    def __str__(self) -> str:
        return f"Referral to {self.agency_label} ({self.incident})"

    @property
    def agency_label(self) -> str:
        return self.agency_name if self.agency == self.Agency.OTHER_SETTING else self.get_agency_display()

    @property
    def is_police(self) -> bool:
        return self.agency in self.POLICE_AGENCIES

    @property
    def awaiting_outcome(self) -> bool:
        return self.outcome == self.Outcome.AWAITING


class ReferralChase(models.Model):
    """One follow-up with the agency: the policy's "tenacity in following up concerns"."""

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="chases")
    chased_at = models.DateTimeField("chased at")
    result = models.TextField("result")
    next_chase_due = models.DateField("next chase due", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chased_at", "id"]
        indexes = [models.Index(fields=["setting", "referral"], name="referralchase_setting_ref")]

    def __str__(self) -> str:
        return f"Chase of {self.referral} at {self.chased_at:%Y-%m-%d %H:%M}"


class ParentsDecision(models.Model):
    """Whether a young person's parents or carers are told. Later decisions add rows; none are changed."""

    class Decision(models.TextChoices):
        INFORM = "inform", "Inform them (the usual course)"
        SUPPORTED_TO_TELL = "supported", "The young person was supported to tell them"
        NOT_INFORM = "not_inform", "Do not inform them: it would put the young person at risk of harm"

    class DecidedWith(models.TextChoices):
        MASH = "mash", "MASH / children's social care"
        POLICE = "police", "Police"
        BOTH = "both", "MASH and police"

    class Method(models.TextChoices):
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"
        MEETING = "meeting", "Meeting in school"
        EMAIL = "email", "Email or letter"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="parents_decisions")
    young_person = models.ForeignKey("incidents.YoungPerson", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.INFORM)
    reason = models.TextField("reason", blank=True)
    decided_with = models.CharField("decided with", max_length=20, choices=DecidedWith.choices, blank=True)
    decided_with_name = models.CharField("name and role of who it was decided with", max_length=200, blank=True)
    informed_at = models.DateTimeField("when", null=True, blank=True)
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="by whom",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField("how", max_length=20, choices=Method.choices, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="not_inform") | (~Q(reason="") & ~Q(decided_with="")),
                name="parents_not_informing_has_reason_and_partner",
            ),
            models.CheckConstraint(
                condition=Q(decision="not_inform") | Q(informed_at__isnull=False, informed_by__isnull=False),
                name="parents_informing_has_when_and_who",
            ),
        ]
        indexes = [models.Index(fields=["setting", "incident"], name="parentsdecision_setting_inc")]

    def __str__(self) -> str:
        return f"Parents of {self.young_person}: {self.get_decision_display()}"


class Device(models.Model):
    """A device seized because it holds imagery. It is never opened here: the record is about custody."""

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="devices")
    description = models.CharField("device", max_length=200, help_text="For example: black iPhone 13 in a red case.")
    owner = models.CharField("whose it is", max_length=200)
    seized_at = models.DateTimeField("seized at")
    seized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="seized by", on_delete=models.PROTECT, related_name="+"
    )
    switched_off = models.BooleanField("it was switched off", default=False)
    locked_away_where = models.CharField("where it is locked away", max_length=200)
    handed_to_police_at = models.DateTimeField("handed to the police at", null=True, blank=True)
    police_officer_name = models.CharField("officer's name", max_length=200, blank=True)
    police_officer_number = models.CharField("officer's number", max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["seized_at", "id"]
        constraints = [
            # The policy: "The device should be turned off and placed under lock and key".
            models.CheckConstraint(condition=Q(switched_off=True), name="device_switched_off"),
            models.CheckConstraint(
                condition=Q(handed_to_police_at__isnull=True) | Q(handed_to_police_at__gte=F("seized_at")),
                name="device_not_handed_over_before_seized",
            ),
            models.CheckConstraint(
                condition=Q(handed_to_police_at__isnull=True)
                | (~Q(police_officer_name="") & ~Q(police_officer_number="")),
                name="device_police_officer_named",
            ),
        ]
        indexes = [models.Index(fields=["setting", "incident"], name="device_setting_incident")]

    def __str__(self) -> str:
        return f"{self.description} ({self.owner})"

    @property
    def with_police(self) -> bool:
        return self.handed_to_police_at is not None


class CustodyEntry(models.Model):
    """One hand-over of a device. Each entry starts from whoever held it last, so the chain has no gaps."""

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="custody")
    sequence = models.PositiveIntegerField()
    from_name = models.CharField("from", max_length=200)
    to_name = models.CharField("to", max_length=200)
    at = models.DateTimeField("when")
    to_police = models.BooleanField(default=False)
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["device", "sequence"], name="custody_one_entry_per_step"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="custody_sequence_from_one"),
        ]
        indexes = [models.Index(fields=["setting", "device"], name="custody_setting_device")]
        verbose_name_plural = "custody entries"

    def __str__(self) -> str:
        return f"{self.device}: {self.from_name} → {self.to_name}"
