"""The initial review meeting, the rules' assessments, the decision and the headteacher's sign-off.

A decision is the record an inspector or a court reads years later, so: every assessment is kept
with the rule set, the facts and the full result as they were; a signed decision cannot change
(the model, the forms and database triggers all refuse); a change of mind is a new decision that
points at the one it supersedes, never an edit.
"""

import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone

from incidents import rules


class Answer(models.TextChoices):
    """The answer to a yes-or-no question about something that may not be known yet."""

    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known yet"


class ReviewMeeting(models.Model):
    """The DSL's initial review meeting and its answers to each question the policy lists."""

    class Spread(models.TextChoices):
        UNKNOWN = "unknown", "Not known"
        CONTAINED = "contained", "Only among the people involved"
        WIDE = "wide", "Shared widely"

    class Removal(models.TextChoices):
        NOT_NEEDED = "not_needed", "No action needed now"
        NOW = "now", "Yes: act now to delete or remove it"
        LATER = "later", "Decide once more is known"

    class Parents(models.TextChoices):
        YES = "yes", "Yes, tell the parents or carers"
        NO = "no", "No: telling them would put a young person at risk"
        LATER = "later", "Decide with the MASH or police"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="review_meetings")
    held_at = models.DateTimeField("date and time of the meeting", default=timezone.now)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="members of staff present", related_name="+", blank=True
    )
    # [{"name": ..., "role": ...}, ...]: people who are not users of YSI (a social worker, a parent).
    other_attendees = models.JSONField("others present", default=list, blank=True)

    immediate_risk = models.CharField(
        "is there an immediate risk to a young person?", max_length=10, choices=Answer.choices
    )
    immediate_risk_notes = models.TextField("about the risk", blank=True)
    referral_notes = models.TextField("whether to refer to the MASH and/or the police: discussion", blank=True)
    # The policy: "in most cases, imagery should not be viewed". No is the default and the advice.
    viewing_necessary = models.BooleanField("is it necessary to view the imagery?", default=False)
    viewing_reason = models.TextField("why viewing is necessary", blank=True)
    further_information = models.TextField("what further information is needed", blank=True)
    spread = models.CharField("how widely it has been shared", max_length=20, choices=Spread.choices)
    where_shared = models.TextField("where it has been shared (services or platforms)", blank=True)
    removal = models.CharField("act now to delete or remove the imagery?", max_length=20, choices=Removal.choices)
    removal_notes = models.TextField("about deleting or removing it", blank=True)
    young_people_facts = models.TextField("relevant facts about the young people", blank=True)
    contact_others = models.CharField(
        "contact another school, college, setting or person?", max_length=10, choices=Answer.choices
    )
    contact_others_notes = models.TextField("who to contact", blank=True)
    tell_parents = models.CharField("tell the parents or carers?", max_length=10, choices=Parents.choices)
    tell_parents_notes = models.TextField("about telling the parents or carers", blank=True)
    # Two facts the 2024 national update added.
    ai_generated = models.BooleanField(
        "the imagery is AI-generated or digitally altered",
        default=False,
        help_text="Treated exactly as real imagery.",
    )
    financial_sextortion = models.BooleanField(
        "a young person is being blackmailed for money or more images",
        default=False,
        help_text="Financially motivated sexual extortion.",
    )

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_at", "id"]
        indexes = [models.Index(fields=["setting", "incident", "held_at"], name="review_setting_incident")]
        constraints = [
            models.CheckConstraint(
                condition=Q(viewing_necessary=False) | ~Q(viewing_reason=""),
                name="review_viewing_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Initial review of {self.incident} on {timezone.localtime(self.held_at):%d %b %Y %H:%M}"

    @property
    def others_text(self) -> str:
        return "; ".join(f"{p.get('name', '')} ({p.get('role', '')})" for p in self.other_attendees)


class StoredAssessment(models.Model):
    """What a rule set said about some facts, kept whole so the decision can be explained later.

    Append-only: database triggers refuse UPDATE and DELETE.
    """

    class Occasion(models.TextChoices):
        INITIAL_REVIEW = "initial_review", "Initial review"
        RISK_ASSESSMENT = "risk_assessment", "Risk assessment"
        ESCALATION = "escalation", "Escalation"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="assessments")
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    rule_set = models.CharField(max_length=40)
    facts = models.JSONField()
    # Facts the rules do not take but the decision was made knowing (the 2024 facts).
    context = models.JSONField(default=dict, blank=True)
    result = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["setting", "incident", "created_at"], name="assessment_setting_incident")]
        constraints = [
            models.CheckConstraint(condition=Q(rule_set__in=list(rules.RULE_SETS)), name="assessment_rule_set_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} assessment of {self.incident} ({self.rule_set})"

    def rules_facts(self) -> rules.Facts:
        return rules.Facts(**self.facts)

    @property
    def recommendation(self) -> str:
        return self.result["recommendation"]

    @property
    def recommendation_label(self) -> str:
        return rules.RECOMMENDATION_LABELS.get(self.recommendation, self.recommendation)

    @property
    def refers(self) -> bool:
        return self.recommendation in (rules.REFER_IMMEDIATELY, rules.REFER)

    @property
    def criteria_labels(self) -> list[str]:
        return [rules.CRITERION_LABELS.get(code, code) for code in self.result.get("criteria", [])]

    @property
    def classification_label(self) -> str:
        return rules.CLASSIFICATION_LABELS.get(self.result["classification"], self.result["classification"])

    def display(self) -> dict[str, Any]:
        """The stored result in the shape the result partial shows (the same as a live preview)."""
        result = self.result
        return {
            "recommendation": result["recommendation"],
            "recommendation_label": self.recommendation_label,
            "refers": self.refers,
            "classification": self.classification_label,
            "criteria": self.criteria_labels,
            "explanation": result.get("explanation", []),
            "advisories": result.get("advisories", []),
            "unanswered": result.get("unanswered", []),
            "policy_quotes": result.get("policy_quotes", []),
            "rule_set": self.rule_set_title,
        }

    @property
    def rule_set_title(self) -> str:
        try:
            return rules.describe_rule_set(self.rule_set).title
        except ValueError:
            return self.rule_set


class RiskAssessment(models.Model):
    """The DSL's further review when the incident was not referred at the initial review."""

    class WhyShared(models.TextChoices):
        ROMANTIC = "romantic", "Consensually, in a relationship"
        JOKE_OR_ATTENTION = "joke_or_attention", "As a joke or to seek attention, without malice"
        MALICE = "malice", "To hurt, shame or get back at someone"
        PRESSURE = "pressure", "Under pressure or for gain"
        UNKNOWN = "unknown", "Not known yet"
        OTHER = "other", "Other (see notes)"

    class Impact(models.TextChoices):
        NONE_APPARENT = "none_apparent", "None apparent"
        SOME = "some", "Some distress"
        SIGNIFICANT = "significant", "Significant distress or harm"
        UNKNOWN = "unknown", "Not known yet"

    class Level(models.TextChoices):
        LOW = rules.LOW, "Low"
        MEDIUM = rules.MEDIUM, "Medium"
        HIGH = rules.HIGH, "High"

    # The ten questions of "Assessing the risks", in the policy's order: (field, question).
    QUESTIONS: tuple[tuple[str, str], ...] = (
        ("why_shared", "Why was the imagery shared?"),
        ("coerced", "Was the young person coerced or put under pressure to produce the imagery?"),
        ("who_shared", "Who has shared the imagery?"),
        ("where_shared", "Where has the imagery been shared?"),
        ("with_knowledge", "Was it shared and received with the knowledge of the young person in the imagery?"),
        ("adults_involved", "Are there any adults involved in the sharing of the imagery?"),
        ("impact", "What is the impact on the young people involved?"),
        ("additional_vulnerabilities", "Do the young people involved have additional vulnerabilities?"),
        ("understands_consent", "Does the young person understand consent?"),
        ("done_before", "Has the young person taken part in this kind of activity before?"),
    )

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="risk_assessments")

    why_shared = models.CharField(QUESTIONS[0][1], max_length=20, choices=WhyShared.choices)
    why_shared_notes = models.TextField("notes", blank=True)
    coerced = models.CharField(QUESTIONS[1][1], max_length=10, choices=Answer.choices)
    coerced_notes = models.TextField("notes", blank=True)
    who_shared = models.TextField(QUESTIONS[2][1])
    who_shared_notes = models.TextField("notes", blank=True)
    where_shared = models.TextField(QUESTIONS[3][1])
    where_shared_notes = models.TextField("notes", blank=True)
    with_knowledge = models.CharField(QUESTIONS[4][1], max_length=10, choices=Answer.choices)
    with_knowledge_notes = models.TextField("notes", blank=True)
    adults_involved = models.CharField(QUESTIONS[5][1], max_length=10, choices=Answer.choices)
    adults_involved_notes = models.TextField("notes", blank=True)
    impact = models.CharField(QUESTIONS[6][1], max_length=20, choices=Impact.choices)
    impact_notes = models.TextField("notes", blank=True)
    additional_vulnerabilities = models.CharField(QUESTIONS[7][1], max_length=10, choices=Answer.choices)
    additional_vulnerabilities_notes = models.TextField("notes", blank=True)
    understands_consent = models.CharField(QUESTIONS[8][1], max_length=10, choices=Answer.choices)
    understands_consent_notes = models.TextField("notes", blank=True)
    done_before = models.CharField(QUESTIONS[9][1], max_length=10, choices=Answer.choices)
    done_before_notes = models.TextField("notes", blank=True)

    interviewed_young_person = models.BooleanField("includes an interview with the young person", default=False)
    interview_at = models.DateTimeField("when the interview took place", null=True, blank=True)
    interview_notes = models.TextField("notes of the interview", blank=True)
    risk_level = models.CharField("overall risk", max_length=10, choices=Level.choices)
    notes = models.TextField("overall notes", blank=True)
    assessment = models.OneToOneField(
        StoredAssessment, on_delete=models.PROTECT, related_name="risk_assessment", null=True, blank=True
    )

    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["setting", "incident", "recorded_at"], name="riskassess_setting_incident")]
        constraints = [
            models.CheckConstraint(
                condition=Q(interviewed_young_person=True) | Q(interview_at__isnull=True),
                name="riskassess_interview_time_only_with_interview",
            ),
        ]

    def __str__(self) -> str:
        return f"Risk assessment of {self.incident} ({self.get_risk_level_display().lower()} risk)"

    def answers(self) -> list[dict[str, str]]:
        """Each question with its answer and notes, for display and for the record."""
        rows = []
        for name, question in self.QUESTIONS:
            value = getattr(self, name)
            display = getattr(self, f"get_{name}_display", None)
            rows.append(
                {
                    "question": question,
                    "answer": str(display()) if display else value,
                    "notes": getattr(self, f"{name}_notes"),
                }
            )
        return rows


class DecisionQuerySet(models.QuerySet):
    def current(self) -> "DecisionQuerySet":
        """Decisions nothing has superseded."""
        return self.filter(superseded_by__isnull=True)

    def awaiting_sign_off(self) -> "DecisionQuerySet":
        return self.current().filter(status=Decision.Status.AWAITING_SIGN_OFF)


class Decision(models.Model):
    """What the DSL decided at the initial review (or later), on the strength of an assessment.

    Immutable once signed (or, for referrals, once recorded): the model refuses to save such a
    decision again, and database triggers refuse UPDATE and DELETE of the row. A change is a new decision that
    `supersedes` the old one; `superseded_by` is the way back.
    """

    class Outcome(models.TextChoices):
        REFER_MASH = "refer_mash", "Refer to the MASH now"
        REFER_POLICE = "refer_police", "Refer to the police now"
        MANAGE_IN_SETTING = "manage_in_setting", "Manage in the setting"
        SEEK_MASH_ADVICE = "seek_mash_advice", "Seek the MASH's advice (in doubt)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting the headteacher's sign-off"
        RETURNED = "returned", "Returned by the headteacher"
        SIGNED = "signed", "Signed off by the headteacher"
        # Referrals and requests for advice need no sign-off: they are final when recorded.
        RECORDED = "recorded", "Recorded (no sign-off needed)"
        # A draft, returned or waiting decision that a later one replaced before it was signed.
        SUPERSEDED = "superseded", "Replaced before sign-off"

    REFERRALS = (Outcome.REFER_MASH, Outcome.REFER_POLICE)
    # Statuses in which the row may still change (by the services only).
    OPEN_STATUSES = (Status.DRAFT, Status.AWAITING_SIGN_OFF, Status.RETURNED)
    # Statuses the database triggers freeze (migration 0003).
    FINAL_STATUSES = (Status.SIGNED, Status.RECORDED)

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="decisions")
    review_meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.PROTECT, related_name="decisions", null=True, blank=True
    )
    assessment = models.ForeignKey(StoredAssessment, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    reason = models.TextField("reason for the decision")
    departs_from_recommendation = models.BooleanField(default=False)
    justification = models.TextField("why the decision departs from the rules' recommendation", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="superseded_by", null=True, blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_comments = models.TextField("the headteacher's comments", blank=True)
    # The setting's adopted policy in force when the decision was taken (issue 8); empty if none was.
    policy_version = models.ForeignKey(
        "incidents.PolicyVersion",
        verbose_name="policy version in force",
        on_delete=models.PROTECT,
        related_name="decisions",
        null=True,
        blank=True,
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [
            models.Index(fields=["setting", "incident", "recorded_at"], name="decision_setting_incident"),
            models.Index(fields=["setting", "status"], name="decision_setting_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(departs_from_recommendation=False) | ~Q(justification=""),
                name="decision_departure_needs_justification",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="decision_needs_reason"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "awaiting_sign_off", "returned", "signed", "recorded", "superseded"]),
                name="decision_status_known",
            ),
            # Only a decision not to refer is signed off; referrals are final when recorded.
            models.CheckConstraint(
                condition=~Q(status__in=["awaiting_sign_off", "returned", "signed"]) | Q(outcome="manage_in_setting"),
                name="decision_sign_off_only_when_not_referring",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | (Q(returned_at__isnull=False) & ~Q(return_comments="")),
                name="decision_return_has_comments",
            ),
            # One first decision per incident; with `supersedes` unique, the decisions form one chain.
            models.UniqueConstraint(
                fields=["incident"], condition=Q(supersedes__isnull=True), name="decision_one_first_per_incident"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.incident}, {self.get_status_display().lower()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Checked against the stored row, so a signed decision loaded and "edited" is refused
        # here with a clear message before the database trigger refuses it less kindly.
        if self.pk and type(self).objects.filter(pk=self.pk, status__in=self.FINAL_STATUSES).exists():
            raise ValidationError("A signed or recorded decision cannot be changed. Record a new decision instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk and type(self).objects.filter(pk=self.pk, status__in=self.FINAL_STATUSES).exists():
            raise ValidationError("A signed or recorded decision cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def is_referral(self) -> bool:
        return self.outcome in self.REFERRALS

    def signing_payload(self) -> dict[str, Any]:
        """Everything the headteacher reads and signs, in a stable form to hash.

        Status and the return fields are left out: they describe the path to the signature, not
        what was decided.
        """
        return {
            "decision": str(self.code),
            "incident": str(self.incident.code),
            "reference": self.incident.reference,
            "outcome": self.outcome,
            "outcome_label": str(self.get_outcome_display()),
            "reason": self.reason,
            "departs_from_recommendation": self.departs_from_recommendation,
            "justification": self.justification,
            "assessment": {
                "code": str(self.assessment.code),
                "rule_set": self.assessment.rule_set,
                "facts": self.assessment.facts,
                "context": self.assessment.context,
                "result": self.assessment.result,
            },
            "recorded_by": str(self.recorded_by),
            "recorded_at": self.recorded_at.isoformat(),
            "supersedes": str(self.supersedes.code) if self.supersedes_id else None,
            "policy_version": str(self.policy_version.code) if self.policy_version_id else None,
        }

    def content_sha256(self) -> str:
        canonical = json.dumps(self.signing_payload(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class SignOff(models.Model):
    """The headteacher's signature on a decision not to refer. Append-only (database triggers)."""

    STATEMENT = (
        "I have read the incident record and the DSL's decision to manage this incident in the "
        "setting without referring it to the MASH or the police, and the reason recorded for it. "
        "I agree with the decision and sign it off as Headteacher."
    )

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="sign_off")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Copies, so the record still reads right after a name or a role changes.
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=100)
    signed_at = models.DateTimeField(default=timezone.now)
    statement = models.TextField()
    decision_sha256 = models.CharField("SHA-256 of the decision as signed", max_length=64)

    class Meta:
        ordering = ["signed_at", "id"]
        indexes = [models.Index(fields=["setting", "signed_at"], name="signoff_setting_signed")]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("decision_sha256"), 64), name="signoff_sha256_is_64_characters"
            ),
        ]

    def __str__(self) -> str:
        return f"Signed by {self.name} ({self.role}) on {timezone.localtime(self.signed_at):%d %b %Y %H:%M}"

    @property
    def still_matches(self) -> bool:
        """Whether the decision today hashes to what was signed (it always should)."""
        return self.decision.content_sha256() == self.decision_sha256
