"""The policy's safeguards around imagery: viewing it, staff who saw it unavoidably, deleting it.

Nothing here holds imagery: these are records *about* it. A viewing record is fixed once both the
viewer and the witness have confirmed it (database trigger).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class ViewingRecord(models.Model):
    class Justification(models.TextChoices):
        ONLY_WAY_TO_DECIDE = (
            "only_way",
            (
                "It is the only way to decide whether to involve other agencies (the facts cannot be "
                "established from the young people)"
            ),
        )
        TO_REPORT = (
            "to_report",
            (
                "It is necessary to report the image to have it taken down, or to support the young person "
                "or parent in making a report"
            ),
        )
        UNAVOIDABLE = (
            "unavoidable",
            ("It is unavoidable: a young person presented it to staff, or it was found on a school device or network"),
        )

    class SameSex(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="viewings")
    young_person = models.ForeignKey(
        "incidents.YoungPerson",
        verbose_name="young person in the imagery",
        on_delete=models.PROTECT,
        related_name="+",
    )
    justification = models.CharField("why viewing is necessary", max_length=20, choices=Justification.choices)
    headteacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="discussed with the headteacher",
        on_delete=models.PROTECT,
        related_name="+",
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="who viewed it", on_delete=models.PROTECT, related_name="+"
    )
    delegated_authority = models.BooleanField("the viewer has the headteacher's delegated authority", default=False)
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="member of staff present", on_delete=models.PROTECT, related_name="+"
    )
    on_premises = models.BooleanField("on the setting's premises", default=True)
    location = models.CharField("where", max_length=200, help_text="For example: the headteacher's office.")
    same_sex = models.CharField("the viewer is the same sex as the young person", max_length=3, choices=SameSex.choices)
    same_sex_reason = models.TextField("why not", blank=True)
    viewed_at = models.DateTimeField("viewed at")
    reason = models.TextField("why it was viewed")
    what_followed = models.TextField("what followed")
    confirm_not_copied = models.BooleanField("the imagery was not copied, printed or shared", default=False)
    confirm_no_distress = models.BooleanField(
        "viewing would not cause the young person significant distress or harm", default=False
    )
    viewer_confirmed_at = models.DateTimeField(null=True, blank=True)
    witness_confirmed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["viewed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirm_not_copied=True, confirm_no_distress=True), name="viewing_confirmations_given"
            ),
            models.CheckConstraint(condition=~Q(viewer=F("witness")), name="viewing_witness_is_someone_else"),
            models.CheckConstraint(
                condition=Q(same_sex="yes") | ~Q(same_sex_reason=""), name="viewing_different_sex_explained"
            ),
        ]
        indexes = [models.Index(fields=["setting", "incident"], name="viewing_setting_incident")]

    def __str__(self) -> str:
        return f"Viewing for {self.incident} at {self.viewed_at:%Y-%m-%d %H:%M}"

    @property
    def fully_confirmed(self) -> bool:
        return self.viewer_confirmed_at is not None and self.witness_confirmed_at is not None


class UnavoidableViewing(models.Model):
    """A member of staff who saw imagery without choosing to, and the support offered to them."""

    class Circumstance(models.TextChoices):
        DISCLOSURE = "disclosure", "A young person showed it during a disclosure"
        IT_MONITORING = "it_monitoring", "IT monitoring of school systems"
        OTHER = "other", "Other part of their daily role"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="unavoidable_viewings")
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="member of staff", on_delete=models.PROTECT, related_name="+"
    )
    circumstance = models.CharField("how it happened", max_length=20, choices=Circumstance.choices)
    viewed_on = models.DateField("when")
    support_offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="support offered by",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    support_offered_at = models.DateTimeField("support offered at", null=True, blank=True)
    support_notes = models.TextField("support offered", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["viewed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(support_offered_at__isnull=True)
                | (Q(support_offered_by__isnull=False) & ~Q(support_notes="")),
                name="unavoidable_support_complete",
            ),
        ]
        indexes = [models.Index(fields=["setting", "support_offered_at"], name="unavoidable_setting_support")]

    def __str__(self) -> str:
        return f"{self.staff_member} viewed imagery unavoidably ({self.incident})"

    @property
    def support_given(self) -> bool:
        return self.support_offered_at is not None


class DeletionDecision(models.Model):
    class Method(models.TextChoices):
        ASK_YOUNG_PEOPLE = "ask", "Ask the young people to delete it (the usual course)"
        SETTING_SEARCHES = "search", "The setting searches and deletes under its searching and confiscation powers"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="deletion_decisions")
    method = models.CharField("decision", max_length=10, choices=Method.choices, default=Method.ASK_YOUNG_PEOPLE)
    reason = models.TextField("reason")
    decided_at = models.DateTimeField("decided at")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="deletion_decision_has_reason")]
        indexes = [models.Index(fields=["setting", "incident"], name="deletiondecision_setting_inc")]

    def __str__(self) -> str:
        return f"Deletion for {self.incident}: {self.get_method_display()}"


class DeletionRequest(models.Model):
    """One young person asked to delete the imagery, and whether they confirmed it."""

    class ConfirmationMethod(models.TextChoices):
        IN_PERSON = "in_person", "Told the DSL in person"
        WRITTEN = "written", "In writing"
        PARENT = "parent", "Confirmed by a parent or carer"
        SEEN_DELETED = "searched", "Deleted by the setting after a search"

    class ParentsInformed(models.TextChoices):
        YES = "yes", "Yes"
        NO_RISK = "no_risk", "No: telling them presents a further risk to the young person"
        NOT_YET = "not_yet", "Not yet"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.ForeignKey(DeletionDecision, on_delete=models.PROTECT, related_name="requests")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="deletion_requests")
    young_person = models.ForeignKey("incidents.YoungPerson", on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField("asked at")
    deadline = models.DateField("deadline for deletion")
    on_devices = models.BooleanField("devices", default=False)
    in_online_storage = models.BooleanField("online storage", default=False)
    on_social_media = models.BooleanField("social media", default=False)
    told_offence = models.BooleanField(
        "told that keeping the imagery, or refusing to delete it, is a criminal offence and the police may "
        "become involved",
        default=False,
    )
    parents_informed = models.CharField(
        "parents or carers informed", max_length=10, choices=ParentsInformed.choices, default=ParentsInformed.YES
    )
    parents_reason = models.TextField("why parents are not told", blank=True)
    confirmed_at = models.DateTimeField("deletion confirmed at", null=True, blank=True)
    confirmation_method = models.CharField("how", max_length=20, choices=ConfirmationMethod.choices, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_notes = models.TextField("what was done", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(told_offence=True), name="deletion_told_offence"),
            models.CheckConstraint(
                condition=Q(on_devices=True) | Q(in_online_storage=True) | Q(on_social_media=True),
                name="deletion_says_where",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | ~Q(confirmation_method=""),
                name="deletion_confirmation_says_how",
            ),
            models.CheckConstraint(
                condition=~Q(parents_informed="no_risk") | ~Q(parents_reason=""),
                name="deletion_parents_not_told_explained",
            ),
            models.UniqueConstraint(fields=["decision", "young_person"], name="deletion_one_request_per_person"),
        ]
        indexes = [models.Index(fields=["setting", "deadline"], name="deletionrequest_setting_due")]

    def __str__(self) -> str:
        return f"{self.young_person} asked to delete imagery ({self.incident})"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def where_labels(self) -> list[str]:
        names = ("on_devices", "in_online_storage", "on_social_media")
        return [str(self._meta.get_field(name).verbose_name) for name in names if getattr(self, name)]
