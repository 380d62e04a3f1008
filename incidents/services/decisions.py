"""Writes for the initial review, assessments, risk assessments, decisions and sign-offs.

Each function validates, saves and records the chronology in one transaction. The rules
themselves live in `incidents/rules.py`; here they are run, and their result kept whole.
"""

import dataclasses
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents import rules, workflow
from incidents.models import (
    ChronologyEntry,
    Decision,
    Incident,
    Membership,
    ReviewMeeting,
    RiskAssessment,
    SignOff,
    StoredAssessment,
    User,
)
from incidents.models.decisions import Answer
from incidents.services.chronology import chronology_record
from incidents.services.incidents import CLOCK_TOLERANCE, incident_change_status, incident_update
from incidents.services.policy import policy_version_in_force

Outcome = Decision.Outcome
Status = Decision.Status

REVIEW_ANSWER_FIELDS = [
    "immediate_risk",
    "immediate_risk_notes",
    "referral_notes",
    "viewing_necessary",
    "viewing_reason",
    "further_information",
    "spread",
    "where_shared",
    "removal",
    "removal_notes",
    "young_people_facts",
    "contact_others",
    "contact_others_notes",
    "tell_parents",
    "tell_parents_notes",
    "ai_generated",
    "financial_sextortion",
]

RISK_ANSWER_FIELDS = [name for question, _ in RiskAssessment.QUESTIONS for name in (question, f"{question}_notes")] + [
    "interviewed_young_person",
    "interview_at",
    "interview_notes",
    "risk_level",
    "notes",
]

# Where the incident goes once a decision is recorded.
_STATUS_AFTER = {
    Outcome.REFER_MASH: workflow.REFERRED,
    Outcome.REFER_POLICE: workflow.REFERRED,
    Outcome.MANAGE_IN_SETTING: workflow.MANAGED_IN_SETTING,
    Outcome.SEEK_MASH_ADVICE: workflow.UNDER_REVIEW,
}


# --- Reading what is known ----------------------------------------------------------


def latest_assessment(incident: Incident) -> StoredAssessment | None:
    return incident.assessments.order_by("-created_at", "-id").first()


def current_decision(incident: Incident) -> Decision | None:
    return Decision.objects.current().filter(incident=incident).select_related("assessment").first()


def ages_at_incident(incident: Incident) -> tuple[int, ...]:
    """The age on the day of the incident of each young person recorded as involved."""
    day = incident.incident_date
    people = {inv.young_person_id: inv.young_person for inv in incident.involvements.select_related("young_person")}
    return tuple(sorted(min(person.age_on(day), rules.OLDEST_AGE) for person in people.values()))


def prefilled_facts(incident: Incident) -> rules.Facts:
    """The facts as far as the incident already knows them, to start the review form from.

    A later assessment's facts are kept (nothing learnt is forgotten); ages always come from
    the dates of birth as they are now, and the classification from the incident.
    """
    earlier = latest_assessment(incident)
    classification = incident.classification if incident.classification in rules.CLASSIFICATIONS else None
    if classification is None and earlier is not None:
        classification = earlier.facts.get("classification")
    flags: dict[str, Any] = {}
    if earlier is not None:
        flags = {k: v for k, v in earlier.facts.items() if k not in ("ages", "classification")}
    if incident.adults_involved == Incident.AdultsInvolved.YES:
        flags["adult_involved"] = True
    return rules.Facts(ages=ages_at_incident(incident), classification=classification, **flags)


def departs_from(recommendation: str, outcome: str) -> bool:
    """Whether deciding `outcome` goes against the rules: not referring when they say refer."""
    return recommendation in (rules.REFER_IMMEDIATELY, rules.REFER) and outcome not in Decision.REFERRALS


def assessment_to_json(assessment: rules.Assessment) -> dict[str, Any]:
    result = dataclasses.asdict(assessment)
    # Tuples become lists in JSON anyway; converting here makes what is stored and what is
    # compared in tests the same.
    return _lists(result)


def facts_to_json(facts: rules.Facts) -> dict[str, Any]:
    return _lists(dataclasses.asdict(facts))


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


# --- Assessments ------------------------------------------------------------------------


def assessment_record(
    *,
    actor: User,
    incident: Incident,
    occasion: str,
    facts: rules.Facts,
    context: dict[str, Any] | None = None,
) -> StoredAssessment:
    """Run the setting's rule set on `facts` and keep the whole result."""
    rule_set = incident.setting.rule_set
    result = rules.assess(facts, rule_set)
    with transaction.atomic():
        stored = StoredAssessment.objects.create(
            setting_id=incident.setting_id,
            incident=incident,
            occasion=occasion,
            rule_set=rule_set,
            facts=facts_to_json(facts),
            context=context or {},
            result=assessment_to_json(result),
            created_by=actor,
        )
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.ASSESSMENT,
            summary=(
                f"{stored.get_occasion_display()}: the rules ({rule_set}) recommend: "
                f"{rules.RECOMMENDATION_LABELS[result.recommendation].lower()}"
                + (f"; criteria met: {', '.join(stored.criteria_labels).lower()}." if result.criteria else ".")
            ),
            details={"assessment": str(stored.code), "recommendation": result.recommendation},
        )
    return stored


# --- The initial review and its decision ------------------------------------------------


def review_record(
    *,
    actor: User,
    incident: Incident,
    held_at: datetime,
    attendees: list[User],
    other_attendees: list[dict[str, str]],
    answers: dict[str, Any],
    facts: rules.Facts,
    outcome: str,
    reason: str,
    justification: str = "",
) -> Decision:
    """Record the initial review meeting, the rules' assessment of its facts and the decision."""
    unknown = set(answers) - set(REVIEW_ANSWER_FIELDS)
    if unknown:
        raise TypeError(f"Not review answers: {sorted(unknown)}")
    errors: dict[str, str] = {}
    if held_at > timezone.now() + CLOCK_TOLERANCE:
        errors["held_at"] = "The meeting cannot be in the future. Record it once it has taken place."
    if answers.get("viewing_necessary") and not (answers.get("viewing_reason") or "").strip():
        errors["viewing_reason"] = "Say why viewing the imagery is necessary: in most cases it should not be viewed."
    for person in attendees:
        if person.memberships.filter(setting_id=incident.setting_id, is_active=True).count() == 0:
            errors["attendees"] = f"{person} is not a member of staff of {incident.setting}."
    if answers.get("financial_sextortion"):
        facts = rules.with_sextortion(facts)
    try:
        _validate_decision(
            recommendation=rules.assess(facts, incident.setting.rule_set).recommendation,
            outcome=outcome,
            reason=reason,
            justification=justification,
        )
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    context = {
        "ai_generated": bool(answers.get("ai_generated")),
        "financial_sextortion": bool(answers.get("financial_sextortion")),
    }
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        meeting = ReviewMeeting(
            setting_id=incident.setting_id,
            incident=incident,
            held_at=held_at,
            other_attendees=other_attendees,
            recorded_by=actor,
            **answers,
        )
        meeting.full_clean()
        meeting.save()
        meeting.attendees.set(attendees)
        names = ", ".join([str(p) for p in attendees] + [f"{o['name']} ({o['role']})" for o in other_attendees])
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.REVIEW_MEETING,
            summary=(
                f"Initial review meeting held {timezone.localtime(held_at):%d %b %Y %H:%M}"
                + (f" with {names}." if names else ".")
                + (
                    " The imagery is AI-generated or digitally altered (treated as real)."
                    if context["ai_generated"]
                    else ""
                )
                + (
                    " A young person is blackmailed for money or more images."
                    if context["financial_sextortion"]
                    else ""
                )
            ),
            details={"review_meeting": str(meeting.code)},
        )
        assessment = assessment_record(
            actor=actor,
            incident=incident,
            occasion=StoredAssessment.Occasion.INITIAL_REVIEW,
            facts=facts,
            context=context,
        )
        _record_classification(actor=actor, incident=incident, classification=assessment.result["classification"])
        return _decision_create(
            actor=actor,
            incident=incident,
            assessment=assessment,
            outcome=outcome,
            reason=reason,
            justification=justification,
            review_meeting=meeting,
        )


def _record_classification(*, actor: User, incident: Incident, classification: str) -> None:
    """The review settles the classification; the incident shows it from then on (with its chronology)."""
    if classification not in rules.CLASSIFICATIONS or incident.classification == classification:
        return
    changes: dict[str, Any] = {"classification": classification}
    subtypes = Incident.AGGRAVATED_SUBTYPES if classification == rules.AGGRAVATED else Incident.EXPERIMENTAL_SUBTYPES
    if incident.classification_subtype and incident.classification_subtype not in subtypes:
        changes["classification_subtype"] = ""
    incident_update(actor=actor, incident=incident, expected_version=incident.version, **changes)
    incident.refresh_from_db()


def _validate_decision(*, recommendation: str, outcome: str, reason: str, justification: str) -> bool:
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose what was decided."
    if not reason.strip():
        errors["reason"] = (
            "Give the reason for not referring: the policy requires it recorded and signed off by the headteacher."
            if outcome == Outcome.MANAGE_IN_SETTING
            else "Give the reason for the decision."
        )
    if outcome == Outcome.MANAGE_IN_SETTING and recommendation == rules.CLASSIFY_FIRST:
        errors["outcome"] = (
            "Decide whether the incident is experimental or aggravated before deciding to manage it in the setting."
        )
    departs = departs_from(recommendation, outcome)
    if departs and not justification.strip():
        errors["justification"] = (
            f"The rules recommend: {rules.RECOMMENDATION_LABELS[recommendation].lower()}. Explain why you are deciding "
            "otherwise; the headteacher will see this."
        )
    if errors:
        raise ValidationError(errors)
    return departs


def _decision_create(
    *,
    actor: User,
    incident: Incident,
    assessment: StoredAssessment,
    outcome: str,
    reason: str,
    justification: str,
    review_meeting: ReviewMeeting | None = None,
    kind: str = ChronologyEntry.Kind.DECISION,
) -> Decision:
    reason, justification = reason.strip(), justification.strip()
    departs = _validate_decision(
        recommendation=assessment.recommendation, outcome=outcome, reason=reason, justification=justification
    )
    with transaction.atomic():
        # The incident row lock serialises decisions on one incident, so the chain cannot fork.
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        previous = current_decision(incident)
        if previous is not None and previous.status in Decision.OPEN_STATUSES:
            previous.status = Status.SUPERSEDED
            previous.save(update_fields=["status"])
        decision = Decision(
            setting_id=incident.setting_id,
            incident=incident,
            review_meeting=review_meeting,
            assessment=assessment,
            outcome=outcome,
            reason=reason,
            departs_from_recommendation=departs,
            justification=justification if departs else "",
            status=Status.AWAITING_SIGN_OFF if outcome == Outcome.MANAGE_IN_SETTING else Status.RECORDED,
            supersedes=previous,
            recorded_by=actor,
            policy_version=policy_version_in_force(incident.setting_id, timezone.now()),
        )
        decision.full_clean()
        decision.save()
        label = decision.get_outcome_display()
        summary = f"{label}. Reason: {reason}"
        if departs:
            summary += (
                f" This departs from the rules' recommendation ({assessment.recommendation_label.lower()}): "
                f"{justification}"
            )
        if decision.status == Status.AWAITING_SIGN_OFF:
            summary += " Awaiting the headteacher's sign-off."
        if previous is not None:
            summary += f" Replaces the decision of {timezone.localtime(previous.recorded_at):%d %b %Y %H:%M}."
        chronology_record(
            incident=incident,
            actor=actor,
            kind=kind,
            summary=summary,
            details={
                "decision": str(decision.code),
                "outcome": outcome,
                "departs_from_recommendation": departs,
                "supersedes": str(previous.code) if previous else None,
            },
        )
        target = _STATUS_AFTER[outcome]
        if incident.status != target and workflow.can_move(incident.status, target):
            incident_change_status(actor=actor, incident=incident, status=target)
    return decision


def decision_revise(*, actor: User, decision: Decision, outcome: str, reason: str, justification: str = "") -> Decision:
    """A new decision on the same assessment, replacing one that is not yet final."""
    if decision.status not in Decision.OPEN_STATUSES or is_superseded(decision):
        raise ValidationError("Only the current decision, before it is signed, can be revised.")
    return _decision_create(
        actor=actor,
        incident=decision.incident,
        assessment=decision.assessment,
        outcome=outcome,
        reason=reason,
        justification=justification,
        review_meeting=decision.review_meeting,
    )


def is_superseded(decision: Decision) -> bool:
    return Decision.objects.filter(supersedes=decision).exists()


# --- Risk assessment ---------------------------------------------------------------------


def risk_facts(base: rules.Facts, answers: dict[str, Any]) -> rules.Facts:
    """The facts after the risk assessment: what it found is added, nothing known is dropped."""
    return dataclasses.replace(
        base,
        risk_level=answers["risk_level"],
        coerced_blackmailed_or_groomed=base.coerced_blackmailed_or_groomed
        or answers.get("coerced") == Answer.YES
        or answers.get("why_shared") == RiskAssessment.WhyShared.PRESSURE,
        shared_without_consent=base.shared_without_consent or answers.get("with_knowledge") == Answer.NO,
        adult_involved=base.adult_involved or answers.get("adults_involved") == Answer.YES,
        capacity_to_consent_concern=base.capacity_to_consent_concern or answers.get("understands_consent") == Answer.NO,
        malicious_intent=base.malicious_intent or answers.get("why_shared") == RiskAssessment.WhyShared.MALICE,
    )


def risk_assessment_record(*, actor: User, incident: Incident, answers: dict[str, Any]) -> RiskAssessment:
    """Record the risk assessment and re-run the rules with what it found.

    When the rules now say refer, the stored assessment and the chronology say so at once; the
    page then puts "Refer now" in front of the DSL.
    """
    unknown = set(answers) - set(RISK_ANSWER_FIELDS)
    if unknown:
        raise TypeError(f"Not risk assessment answers: {sorted(unknown)}")
    errors: dict[str, str] = {}
    if answers.get("interviewed_young_person") and not answers.get("interview_at"):
        errors["interview_at"] = "Give the date and time of the interview with the young person."
    if not answers.get("interviewed_young_person") and answers.get("interview_at"):
        errors["interviewed_young_person"] = "Tick this box if the interview took place, or clear its date and time."
    interview_at = answers.get("interview_at")
    if interview_at and interview_at > timezone.now() + CLOCK_TOLERANCE:
        errors["interview_at"] = "The interview cannot be in the future."
    if errors:
        raise ValidationError(errors)
    facts = risk_facts(prefilled_facts(incident), answers)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        risk = RiskAssessment(setting_id=incident.setting_id, incident=incident, recorded_by=actor, **answers)
        risk.full_clean(exclude=["assessment"])
        stored = assessment_record(
            actor=actor,
            incident=incident,
            occasion=StoredAssessment.Occasion.RISK_ASSESSMENT,
            facts=facts,
            context=latest_context(incident),
        )
        risk.assessment = stored
        risk.save()
        decision = current_decision(incident)
        summary = f"Risk assessment recorded: {risk.get_risk_level_display().lower()} risk"
        summary += "; includes an interview with the young person." if risk.interviewed_young_person else "."
        if stored.refers and (decision is None or not decision.is_referral):
            summary += f" The rules now recommend: {stored.recommendation_label.lower()}. Refer now, or record why not."
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.RISK_ASSESSMENT,
            summary=summary,
            details={"risk_assessment": str(risk.code), "assessment": str(stored.code), "refers": stored.refers},
        )
    return risk


def latest_context(incident: Incident) -> dict[str, Any]:
    earlier = latest_assessment(incident)
    return dict(earlier.context) if earlier else {}


# --- Escalation ----------------------------------------------------------------------------


def escalate_refer_now(
    *,
    actor: User,
    incident: Incident,
    outcome: str,
    reason: str,
    immediate_risk_of_harm: bool = False,
) -> Decision:
    """Refer now, from any state: a fresh assessment on what is known, and a referral decision."""
    if outcome not in Decision.REFERRALS:
        raise ValidationError({"outcome": "Choose whether to refer to the MASH or to the police."})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for referring now."})
    if not incident.is_open:
        raise ValidationError("This incident is closed. Reopen it before referring it.")
    facts = prefilled_facts(incident)
    if immediate_risk_of_harm:
        facts = dataclasses.replace(facts, immediate_risk_of_harm=True)
    with transaction.atomic():
        stored = assessment_record(
            actor=actor,
            incident=incident,
            occasion=StoredAssessment.Occasion.ESCALATION,
            facts=facts,
            context=latest_context(incident),
        )
        return _decision_create(
            actor=actor,
            incident=incident,
            assessment=stored,
            outcome=outcome,
            reason=reason,
            justification="",
            kind=ChronologyEntry.Kind.ESCALATED,
        )


# --- The headteacher's sign-off ------------------------------------------------------------


def _lock_awaiting(decision: Decision) -> Decision:
    current = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("incident", "assessment", "recorded_by", "supersedes", "policy_version")
        .get(pk=decision.pk)
    )
    if current.status != Status.AWAITING_SIGN_OFF or is_superseded(current):
        raise ValidationError(
            f"This decision is {current.get_status_display().lower()}, so it cannot be signed off or returned."
        )
    return current


def decision_sign_off(*, actor: User, decision: Decision, password_confirmed: bool) -> SignOff:
    """The headteacher signs a decision not to refer. The caller has re-checked their password."""
    if not password_confirmed:
        raise ValidationError({"password": "Enter your password to sign off the decision."})  # nosec B105 # a message
    membership = Membership.objects.filter(
        user=actor, setting_id=decision.setting_id, role=Membership.Role.HEADTEACHER, is_active=True
    ).first()
    if membership is None:
        raise ValidationError("Only the headteacher of this setting can sign off its decisions.")
    with transaction.atomic():
        current = _lock_awaiting(decision)
        digest = current.content_sha256()
        current.status = Status.SIGNED
        current.save(update_fields=["status"])
        sign_off = SignOff.objects.create(
            setting_id=current.setting_id,
            decision=current,
            signed_by=actor,
            name=actor.get_full_name() or actor.username,
            role=str(membership.get_role_display()),
            statement=SignOff.STATEMENT,
            decision_sha256=digest,
        )
        chronology_record(
            incident=current.incident,
            actor=actor,
            kind=ChronologyEntry.Kind.SIGNED_OFF,
            summary=f"{sign_off.name} ({sign_off.role}) signed off the decision not to refer: "
            f"{current.get_outcome_display().lower()}. SHA-256 {digest}.",
            details={"decision": str(current.code), "sign_off": str(sign_off.code), "sha256": digest},
        )
    return sign_off


def decision_return(*, actor: User, decision: Decision, comments: str) -> Decision:
    comments = comments.strip()
    if not comments:
        raise ValidationError({"comments": "Say why you are returning the decision, so the DSL can act on it."})
    if not Membership.objects.filter(
        user=actor, setting_id=decision.setting_id, role=Membership.Role.HEADTEACHER, is_active=True
    ).exists():
        raise ValidationError("Only the headteacher of this setting can return its decisions.")
    with transaction.atomic():
        current = _lock_awaiting(decision)
        current.status = Status.RETURNED
        current.returned_by = actor
        current.returned_at = timezone.now()
        current.return_comments = comments
        current.full_clean()
        current.save(update_fields=["status", "returned_by", "returned_at", "return_comments"])
        chronology_record(
            incident=current.incident,
            actor=actor,
            kind=ChronologyEntry.Kind.RETURNED,
            summary=f"The headteacher returned the decision ({current.get_outcome_display().lower()}) "
            f"with comments: {comments}",
            details={"decision": str(current.code)},
        )
    return current
