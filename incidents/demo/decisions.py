"""Demo reviews, decisions and sign-offs, so `make run` shows issue 4 working end to end."""

from datetime import timedelta

from django.utils import timezone

from incidents import rules, workflow
from incidents.models import Decision, Incident, Setting, User
from incidents.services import decisions as services

ANSWERS = {
    "immediate_risk": "no",
    "referral_notes": "Discussed against the criteria for an immediate referral.",
    "further_information": "Who else received it.",
    "spread": "contained",
    "where_shared": "Snapchat",
    "removal": "now",
    "removal_notes": "The young people deleted it in front of the DSL; Report Remove explained.",
    "young_people_facts": "No additional needs known.",
    "contact_others": "no",
    "tell_parents": "yes",
    "tell_parents_notes": "Parents told the same day.",
}

RISK = {
    "why_shared": "romantic",
    "coerced": "no",
    "who_shared": "Only the two pupils.",
    "where_shared": "Snapchat, between the two of them.",
    "with_knowledge": "yes",
    "adults_involved": "no",
    "impact": "some",
    "additional_vulnerabilities": "no",
    "understands_consent": "yes",
    "done_before": "no",
    "interviewed_young_person": True,
    "interview_notes": "Both spoke openly; embarrassed but not distressed.",
    "risk_level": "low",
}


def seed_decisions(setting: Setting, dsl: User, head: User) -> int:
    """Review each referred or managed demo incident once; sign off some decisions, return one."""
    if Decision.objects.filter(setting=setting).exists():
        return 0
    incidents = Incident.objects.filter(
        setting=setting, status__in=[workflow.REFERRED, workflow.MANAGED_IN_SETTING, workflow.CLOSED]
    ).order_by("reported_at")
    count = waiting = 0
    for incident in incidents:
        facts = services.prefilled_facts(incident)
        if facts.classification is None:
            continue
        result = rules.assess(facts, setting.rule_set)
        if result.recommendation in (rules.REFER_IMMEDIATELY, rules.REFER):
            outcome, reason = Decision.Outcome.REFER_MASH, "The criteria for a referral are met."
        else:
            outcome, reason = (
                Decision.Outcome.MANAGE_IN_SETTING,
                "Consensual sharing between two pupils of the same age; deleted; parents told.",
            )
        decision = services.review_record(
            actor=dsl,
            incident=incident,
            held_at=incident.reported_at + timedelta(hours=2),
            attendees=[dsl],
            other_attendees=[],
            answers=ANSWERS,
            facts=facts,
            outcome=outcome,
            reason=reason,
        )
        count += 1
        if decision.status != Decision.Status.AWAITING_SIGN_OFF:
            continue
        services.risk_assessment_record(
            actor=dsl,
            incident=incident,
            answers={**RISK, "interview_at": min(incident.reported_at + timedelta(days=1), timezone.now())},
        )
        # Sign some, return one and leave some waiting, so the queue and the history show every state.
        if waiting % 3 == 0:
            services.decision_sign_off(actor=head, decision=decision, password_confirmed=True)
        elif waiting % 3 == 2:
            services.decision_return(
                actor=head, decision=decision, comments="Please record what the parents were told and when."
            )
        waiting += 1
    return count
