"""The services of the initial review, assessments, risk assessments, decisions and sign-offs."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from incidents import rules
from incidents.models import ChronologyEntry, Decision, Incident, ReviewMeeting, SignOff, StoredAssessment
from incidents.services import decisions as svc
from tests.factories import InvolvementFactory, YoungPersonFactory, years_ago

Outcome = Decision.Outcome
Status = Decision.Status
Kind = ChronologyEntry.Kind

ANSWERS = {
    "immediate_risk": "no",
    "spread": ReviewMeeting.Spread.CONTAINED,
    "removal": ReviewMeeting.Removal.NOW,
    "contact_others": "no",
    "tell_parents": ReviewMeeting.Parents.YES,
}


@pytest.fixture
def pupil(oakfield, incident):
    person = YoungPersonFactory(setting=oakfield, date_of_birth=years_ago(14, days=30))
    InvolvementFactory(incident=incident, young_person=person)
    return person


def review(incident, dsl, *, facts=None, outcome=Outcome.MANAGE_IN_SETTING, reason="Consensual, contained.", **kw):
    answers = {**ANSWERS, **kw.pop("answers", {})}
    return svc.review_record(
        actor=dsl,
        incident=incident,
        held_at=kw.pop("held_at", timezone.now()),
        attendees=kw.pop("attendees", [dsl]),
        other_attendees=kw.pop("other_attendees", [{"name": "Pat Jones", "role": "Social worker"}]),
        answers=answers,
        facts=facts or rules.Facts(ages=(14,), classification=rules.EXPERIMENTAL),
        outcome=outcome,
        reason=reason,
        **kw,
    )


def kinds(incident):
    return list(incident.chronology.values_list("kind", flat=True))


# --- Prefilled facts --------------------------------------------------------------------


def test_the_facts_start_from_the_ages_and_adults_the_incident_knows(incident, pupil, dsl):
    incident.adults_involved = Incident.AdultsInvolved.YES
    incident.classification = Incident.Classification.EXPERIMENTAL
    incident.save()

    facts = svc.prefilled_facts(incident)

    assert facts.ages == (14,)
    assert facts.adult_involved is True
    assert facts.classification == rules.EXPERIMENTAL


def test_an_unclassified_incident_starts_unjudged(incident, pupil):
    assert svc.prefilled_facts(incident).classification is None


def test_ages_are_taken_on_the_day_of_the_incident(incident, oakfield):
    incident.occurred_on = timezone.localdate().replace(year=timezone.localdate().year - 1)
    incident.save()
    InvolvementFactory(
        incident=incident, young_person=YoungPersonFactory(setting=oakfield, date_of_birth=years_ago(13))
    )

    assert svc.ages_at_incident(incident) == (12,)


# --- The initial review ---------------------------------------------------------------


def test_a_review_records_the_meeting_the_assessment_and_a_decision_awaiting_sign_off(incident, pupil, dsl):
    decision = review(incident, dsl)

    meeting = decision.review_meeting
    assert meeting.other_attendees == [{"name": "Pat Jones", "role": "Social worker"}]
    assert list(meeting.attendees.all()) == [dsl]
    assert decision.status == Status.AWAITING_SIGN_OFF
    assert decision.assessment.rule_set == rules.WOLVERHAMPTON_2016
    assert decision.assessment.facts["ages"] == [14]
    assert decision.assessment.result["recommendation"] == rules.MANAGE_IN_SETTING
    assert decision.departs_from_recommendation is False
    incident.refresh_from_db()
    assert incident.status == Incident.Status.MANAGED_IN_SETTING
    assert kinds(incident)[-5:] == [Kind.REVIEW_MEETING, Kind.ASSESSMENT, Kind.UPDATED, Kind.DECISION, Kind.STATUS]
    assert incident.classification == Incident.Classification.EXPERIMENTAL


def test_the_assessment_is_kept_whole_as_the_rules_said_it(incident, pupil, dsl):
    facts = rules.Facts(ages=(14,), classification=rules.AGGRAVATED, malicious_intent=True)
    decision = review(incident, dsl, facts=facts, outcome=Outcome.REFER_MASH, reason="Malicious sharing.")

    stored = decision.assessment
    assert stored.rules_facts() == facts
    assert stored.result == svc.assessment_to_json(rules.assess(facts))
    assert stored.result["explanation"]
    assert decision.status == Status.RECORDED


def test_not_referring_needs_a_reason(incident, pupil, dsl):
    with pytest.raises(ValidationError) as error:
        review(incident, dsl, reason="  ")

    assert "signed off by the headteacher" in error.value.message_dict["reason"][0]
    assert not ReviewMeeting.objects.exists()


def test_departing_from_a_referral_needs_a_justification_and_is_flagged(incident, pupil, dsl):
    facts = rules.Facts(ages=(14,), classification=rules.AGGRAVATED)
    with pytest.raises(ValidationError) as error:
        review(incident, dsl, facts=facts)
    assert "justification" in error.value.message_dict
    assert not StoredAssessment.objects.exists()

    decision = review(incident, dsl, facts=facts, justification="Both 15, images deleted, no malice found.")

    assert decision.departs_from_recommendation is True
    assert decision.status == Status.AWAITING_SIGN_OFF
    assert "departs from the rules' recommendation" in incident.chronology.filter(kind=Kind.DECISION).get().summary


def test_managing_an_unjudged_incident_is_refused_until_it_is_classified(incident, pupil, dsl):
    with pytest.raises(ValidationError) as error:
        review(incident, dsl, facts=rules.Facts(ages=(14,)))

    assert "experimental or aggravated" in error.value.message_dict["outcome"][0]


def test_viewing_the_imagery_needs_a_reason(incident, pupil, dsl):
    with pytest.raises(ValidationError) as error:
        review(incident, dsl, answers={"viewing_necessary": True})

    assert "viewing_reason" in error.value.message_dict


def test_a_meeting_in_the_future_is_refused(incident, pupil, dsl):
    with pytest.raises(ValidationError) as error:
        review(incident, dsl, held_at=timezone.now() + timezone.timedelta(days=1))

    assert "held_at" in error.value.message_dict


def test_attendees_must_be_staff_of_the_setting(incident, pupil, dsl, other_dsl):
    with pytest.raises(ValidationError) as error:
        review(incident, dsl, attendees=[dsl, other_dsl])

    assert "attendees" in error.value.message_dict


def test_financial_sextortion_sets_blackmail_and_calls_for_a_referral(incident, pupil, dsl):
    with pytest.raises(ValidationError):
        review(incident, dsl, answers={"financial_sextortion": True})

    decision = review(
        incident, dsl, answers={"financial_sextortion": True}, outcome=Outcome.REFER_POLICE, reason="Sextortion."
    )

    assert decision.assessment.facts["coerced_blackmailed_or_groomed"] is True
    assert decision.assessment.context["financial_sextortion"] is True
    assert decision.assessment.recommendation == rules.REFER_IMMEDIATELY


def test_ai_generated_imagery_changes_nothing_in_the_rules_but_is_kept(incident, pupil, dsl):
    decision = review(incident, dsl, answers={"ai_generated": True})

    assert decision.assessment.context["ai_generated"] is True
    assert decision.assessment.recommendation == rules.MANAGE_IN_SETTING


# --- Sign-off and return --------------------------------------------------------------


def test_the_headteacher_signs_off_a_decision_not_to_refer(incident, pupil, dsl, head):
    decision = review(incident, dsl)
    digest = decision.content_sha256()

    sign_off = svc.decision_sign_off(actor=head, decision=decision, password_confirmed=True)

    decision.refresh_from_db()
    assert decision.status == Status.SIGNED
    assert sign_off.name == "Helen Tester"
    assert sign_off.role == "Headteacher"
    assert sign_off.statement == SignOff.STATEMENT
    assert sign_off.decision_sha256 == digest
    assert sign_off.still_matches
    assert kinds(incident)[-1] == Kind.SIGNED_OFF


@pytest.mark.parametrize("who", ["dsl", "deputy", "auditor", "other_dsl"])
def test_nobody_but_the_headteacher_of_the_setting_signs_off(request, incident, pupil, dsl, who):
    decision = review(incident, dsl)

    with pytest.raises(ValidationError):
        svc.decision_sign_off(actor=request.getfixturevalue(who), decision=decision, password_confirmed=True)

    assert not SignOff.objects.exists()


def test_signing_off_needs_the_password_confirmed(incident, pupil, dsl, head):
    decision = review(incident, dsl)

    with pytest.raises(ValidationError):
        svc.decision_sign_off(actor=head, decision=decision, password_confirmed=False)


def test_a_decision_can_be_signed_only_once(incident, pupil, dsl, head):
    decision = review(incident, dsl)
    svc.decision_sign_off(actor=head, decision=decision, password_confirmed=True)

    with pytest.raises(ValidationError):
        svc.decision_sign_off(actor=head, decision=decision, password_confirmed=True)


def test_the_headteacher_returns_a_decision_with_comments_and_the_dsl_revises_it(incident, pupil, dsl, head):
    decision = review(incident, dsl)
    with pytest.raises(ValidationError):
        svc.decision_return(actor=head, decision=decision, comments=" ")

    svc.decision_return(actor=head, decision=decision, comments="Say what the parents were told.")
    decision.refresh_from_db()
    assert decision.status == Status.RETURNED
    revised = svc.decision_revise(
        actor=dsl, decision=decision, outcome=Outcome.MANAGE_IN_SETTING, reason="Contained; parents told today."
    )

    decision.refresh_from_db()
    assert decision.superseded_by == revised
    assert revised.supersedes == decision
    assert revised.status == Status.AWAITING_SIGN_OFF
    assert list(Decision.objects.awaiting_sign_off()) == [revised]
    assert decision.status == Status.SUPERSEDED


# --- Immutability -----------------------------------------------------------------------


@pytest.fixture
def signed(incident, pupil, dsl, head):
    decision = review(incident, dsl)
    svc.decision_sign_off(actor=head, decision=decision, password_confirmed=True)
    decision.refresh_from_db()
    return decision


def test_the_model_refuses_to_change_or_delete_a_signed_decision(signed):
    signed.reason = "Something else"
    with pytest.raises(ValidationError):
        signed.save()
    with pytest.raises(ValidationError):
        signed.delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE incidents_decision SET reason = 'rewritten' WHERE id = %s",
        "UPDATE incidents_decision SET status = 'draft' WHERE id = %s",
        "DELETE FROM incidents_decision WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_a_signed_decision(signed, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [signed.pk])

    assert Decision.objects.get(pk=signed.pk).reason == signed.reason


def test_the_database_lets_the_services_move_an_unsigned_decision_on(incident, pupil, dsl):
    decision = review(incident, dsl)

    with connection.cursor() as cursor:
        cursor.execute("UPDATE incidents_decision SET return_comments = 'x' WHERE id = %s", [decision.pk])

    decision.refresh_from_db()
    assert decision.return_comments == "x"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE incidents_storedassessment SET rule_set = 'ukcis-2024'",
        "DELETE FROM incidents_storedassessment",
        "UPDATE incidents_signoff SET name = 'Someone else'",
        "DELETE FROM incidents_signoff",
    ],
)
def test_the_database_refuses_to_change_assessments_and_sign_offs(signed, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_a_signed_decision_still_matches_its_hash(signed):
    assert signed.sign_off.still_matches


# --- Escalation -------------------------------------------------------------------------


def test_refer_now_from_a_signed_decision_keeps_the_signed_one_in_the_history(signed, dsl):
    referral = svc.escalate_refer_now(
        actor=dsl,
        incident=signed.incident,
        outcome=Outcome.REFER_MASH,
        reason="She now says he threatened her.",
        immediate_risk_of_harm=True,
    )

    assert referral.supersedes == signed
    assert referral.status == Status.RECORDED
    assert referral.assessment.occasion == StoredAssessment.Occasion.ESCALATION
    assert referral.assessment.facts["immediate_risk_of_harm"] is True
    assert referral.assessment.recommendation == rules.REFER_IMMEDIATELY
    signed.refresh_from_db()
    assert signed.status == Status.SIGNED
    assert signed.sign_off.still_matches
    assert svc.current_decision(signed.incident) == referral
    signed.incident.refresh_from_db()
    assert signed.incident.status == Incident.Status.REFERRED


def test_refer_now_works_before_any_review_and_needs_a_reason(incident, pupil, dsl):
    with pytest.raises(ValidationError):
        svc.escalate_refer_now(actor=dsl, incident=incident, outcome=Outcome.REFER_POLICE, reason="")

    referral = svc.escalate_refer_now(actor=dsl, incident=incident, outcome=Outcome.REFER_POLICE, reason="Adult.")

    assert referral.supersedes is None
    assert kinds(incident)[-3:] == [Kind.ASSESSMENT, Kind.ESCALATED, Kind.STATUS]


def test_refer_now_withdraws_a_decision_awaiting_sign_off(incident, pupil, dsl):
    waiting = review(incident, dsl)

    svc.escalate_refer_now(actor=dsl, incident=incident, outcome=Outcome.REFER_MASH, reason="New concern.")

    waiting.refresh_from_db()
    assert waiting.status == Status.SUPERSEDED
    assert not Decision.objects.awaiting_sign_off().exists()


# --- Risk assessment -----------------------------------------------------------------------

RISK = {
    "why_shared": "romantic",
    "coerced": "no",
    "who_shared": "The two pupils only.",
    "where_shared": "Snapchat, between the two.",
    "with_knowledge": "yes",
    "adults_involved": "no",
    "impact": "some",
    "additional_vulnerabilities": "no",
    "understands_consent": "yes",
    "done_before": "no",
    "interviewed_young_person": True,
    "risk_level": "low",
}


def test_a_low_risk_assessment_reruns_the_rules_and_keeps_managing(incident, pupil, dsl):
    review(incident, dsl)

    risk = svc.risk_assessment_record(actor=dsl, incident=incident, answers={**RISK, "interview_at": timezone.now()})

    assert risk.assessment.facts["risk_level"] == "low"
    assert risk.assessment.recommendation == rules.MANAGE_IN_SETTING
    assert len(risk.answers()) == 10
    assert "interview with the young person" in incident.chronology.filter(kind=Kind.RISK_ASSESSMENT).get().summary


def test_a_risk_assessment_that_finds_a_referral_says_so_at_once(incident, pupil, dsl):
    review(incident, dsl)

    risk = svc.risk_assessment_record(
        actor=dsl,
        incident=incident,
        answers={**RISK, "with_knowledge": "no", "risk_level": "high", "interview_at": timezone.now()},
    )

    assert risk.assessment.facts["shared_without_consent"] is True
    assert risk.assessment.recommendation == rules.REFER_IMMEDIATELY
    assert risk.assessment.refers
    assert "Refer now" in incident.chronology.filter(kind=Kind.RISK_ASSESSMENT).get().summary


def test_a_risk_assessment_forgets_nothing_learnt_earlier(incident, pupil, dsl):
    facts = rules.Facts(ages=(14,), classification=rules.EXPERIMENTAL, capacity_to_consent_concern=True)
    review(incident, dsl, facts=facts)

    risk = svc.risk_assessment_record(actor=dsl, incident=incident, answers={**RISK, "interview_at": timezone.now()})

    assert risk.assessment.facts["capacity_to_consent_concern"] is True


def test_an_interview_needs_its_date_and_time(incident, pupil, dsl):
    with pytest.raises(ValidationError) as error:
        svc.risk_assessment_record(actor=dsl, incident=incident, answers=RISK)

    assert "interview_at" in error.value.message_dict


def test_risk_facts_only_ever_add(pupil):
    base = rules.Facts(ages=(14,), adult_involved=True, malicious_intent=True)
    facts = svc.risk_facts(base, {**RISK, "risk_level": "medium"})

    assert facts == dataclasses.replace(base, risk_level="medium")
