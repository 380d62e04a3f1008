"""The casework of generated incidents: disclosures, the initial review, decisions, and actions after it.

A mixin of `incidents.loadgen.Generator`, kept apart only for length. Each record is written with the
chronology entry its service would write, at a time that follows the one before, and each choice
follows the incident's final status: a referred incident has a referral decision and a referral; an
incident managed in the setting (or closed) has a decision not to refer, signed off by the headteacher
with the SHA-256 the sign-off service would have taken; one still under review has no decision yet.
Rules results are computed once per distinct set of facts and kept as JSON text.
"""

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from incidents import rules, workflow
from incidents.models import (
    ChronologyEntry,
    Conversation,
    DeletionDecision,
    DeletionRequest,
    Device,
    Disclosure,
    Incident,
    Membership,
    ParentsDecision,
    Referral,
    ReviewMeeting,
    RiskAssessment,
    SignOff,
    StoredAssessment,
    ViewingRecord,
)
from incidents.models import Decision as DecisionModel
from incidents.services.decisions import assessment_to_json, facts_to_json

Kind = ChronologyEntry.Kind
Outcome = DecisionModel.Outcome

# Shares, each of the incidents it can apply to (see `Generator._casework`).
FROM_DISCLOSURE = 0.75  # of all incidents: the rest the DSL recorded directly
AWAITING_SIGN_OFF = 0.15  # of incidents managed in the setting and still open
RISK_ASSESSED = 0.4  # of incidents managed in the setting (open or closed)
PARENTS_DECIDED = 0.7  # of reviewed incidents, for their first young person
CONVERSATION_HELD = 0.5  # of reviewed incidents
DELETION_ASKED = 0.35  # of reviewed incidents
DEVICE_SEIZED = 0.2  # of referred incidents
VIEWED = 0.003  # of reviewed incidents: the policy says imagery should almost never be viewed

DISCLOSURE_SOURCES = (
    (Disclosure.Source.YOUNG_PERSON, Incident.CameToAttention.YOUNG_PERSON),
    (Disclosure.Source.FRIEND, Incident.CameToAttention.FRIEND),
    (Disclosure.Source.PARENT, Incident.CameToAttention.PARENT),
    (Disclosure.Source.STAFF_SAW, Incident.CameToAttention.STAFF_SAW),
    (Disclosure.Source.IT_MONITORING, Incident.CameToAttention.IT_MONITORING),
)
REFERRAL_OUTCOMES = (
    Referral.Outcome.ACCEPTED,
    Referral.Outcome.ADVICE,
    Referral.Outcome.NO_FURTHER_ACTION,
    Referral.Outcome.OUTCOME_21,
)
PARENT_METHODS = ParentsDecision.Method.values
DEVICES = ("Black iPhone in a red case", "Samsung phone, cracked screen", "School laptop", "Tablet in a blue cover")
RISK_LEVELS = (rules.LOW, rules.LOW, rules.LOW, rules.MEDIUM)
VIEWING_REASON = "To support the young person in reporting it for removal."

# Columns in the order the row builders below write them.
COLUMNS: dict[type, list[str]] = {
    Disclosure: ["id", "setting_id", "code", "reporter_id", "idempotency_key", "reported_at", "source",
                 "disclosed_at", "young_people_named", "what_was_said", "imagery_known", "devices",
                 "reporter_saw_imagery", "immediate_risk", "reference", "original_incident_id", "incident_id",
                 "acknowledged_at", "acknowledged_by_id"],
    ReviewMeeting: ["id", "setting_id", "code", "incident_id", "held_at", "other_attendees", "immediate_risk",
                    "immediate_risk_notes", "referral_notes", "viewing_necessary", "viewing_reason",
                    "further_information", "spread", "where_shared", "removal", "removal_notes", "young_people_facts",
                    "contact_others", "contact_others_notes", "tell_parents", "tell_parents_notes", "ai_generated",
                    "financial_sextortion", "recorded_by_id", "recorded_at"],
    StoredAssessment: ["id", "setting_id", "code", "incident_id", "occasion", "rule_set", "facts", "context",
                       "result", "created_by_id", "created_at"],
    DecisionModel: ["id", "setting_id", "code", "incident_id", "review_meeting_id", "assessment_id", "outcome",
                    "reason", "departs_from_recommendation", "justification", "status", "supersedes_id",
                    "recorded_by_id", "recorded_at", "returned_by_id", "returned_at", "return_comments",
                    "policy_version_id"],
    SignOff: ["id", "setting_id", "code", "decision_id", "signed_by_id", "name", "role", "signed_at", "statement",
              "decision_sha256"],
    RiskAssessment: ["id", "setting_id", "code", "incident_id",
                     *(f"{name}{suffix}" for name, _ in RiskAssessment.QUESTIONS for suffix in ("", "_notes")),
                     "interviewed_young_person", "interview_at", "interview_notes", "risk_level", "notes",
                     "assessment_id", "recorded_by_id", "recorded_at"],
    Referral: ["id", "setting_id", "code", "incident_id", "agency", "agency_name", "made_at", "method", "contact_name",
               "agency_reference", "information_shared", "outcome", "outcome_notes", "outcome_recorded_at",
               "next_chase_due", "recorded_by_id", "created_at"],
    Device: ["id", "setting_id", "code", "incident_id", "description", "owner", "seized_at", "seized_by_id",
             "switched_off", "locked_away_where", "handed_to_police_at", "police_officer_name",
             "police_officer_number", "recorded_by_id", "created_at"],
    ParentsDecision: ["id", "setting_id", "code", "incident_id", "young_person_id", "decision", "reason",
                      "decided_with", "decided_with_name", "informed_at", "informed_by_id", "method", "notes",
                      "recorded_by_id", "created_at"],
    Conversation: ["id", "setting_id", "code", "incident_id", "young_person_id", "led_by_id", "preferred_staff_led",
                   "held_at", "topic_pressures", "topic_consent_trust", "topic_who_to_tell", "image_contents",
                   "who_has_seen", "stopping_spread", "notes", "recorded_by_id", "created_at"],
    DeletionDecision: ["id", "setting_id", "code", "incident_id", "method", "reason", "decided_at", "decided_by_id",
                       "created_at"],
    DeletionRequest: ["id", "setting_id", "code", "decision_id", "incident_id", "young_person_id", "asked_at",
                      "deadline", "on_devices", "in_online_storage", "on_social_media", "told_offence",
                      "parents_informed", "parents_reason", "confirmed_at", "confirmation_method", "escalated_at",
                      "escalation_notes", "recorded_by_id", "created_at"],
    ViewingRecord: ["id", "setting_id", "code", "incident_id", "young_person_id", "justification", "headteacher_id",
                    "viewer_id", "delegated_authority", "witness_id", "on_premises", "location", "same_sex",
                    "same_sex_reason", "viewed_at", "reason", "what_followed", "confirm_not_copied",
                    "confirm_no_distress", "viewer_confirmed_at", "witness_confirmed_at", "recorded_by_id",
                    "created_at"],
}


@dataclass(slots=True)
class Case:
    """One incident while its casework is written: who, when, and the chronology's clock."""

    setting_id: int
    incident_id: int
    code: str  # the incident's UUID, hyphenated as the sign-off hash reads it
    reference: str
    status: str
    reported: datetime
    at: datetime
    people: list[tuple[int, date]]
    ages: tuple[int, ...]
    classification: str
    adult_involved: bool


def hyphenated(code: str) -> str:
    """A UUID's 32 hex digits as `str(uuid)` writes them (what the sign-off hash and chronology details hold)."""
    return f"{code[:8]}-{code[8:12]}-{code[12:16]}-{code[16:20]}-{code[20:]}"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class CaseWork:
    """Row builders for an incident's casework; `Generator` supplies `_add`, `_id`, `_code` and `_entry`."""

    rng: random.Random
    now: datetime
    staff: dict[str, int]
    staff_names: dict[str, str]

    def _init_casework(self) -> None:
        self.assessments: dict[tuple, tuple[str, str, str, str]] = {}

    def _assessment_json(self, facts: rules.Facts, rule_set: str) -> tuple[str, str, str, str]:
        """(facts JSON, result JSON, recommendation, recommendation label) for these facts, computed once."""
        key = (facts, rule_set)
        found = self.assessments.get(key)
        if found is None:
            result = rules.assess(facts, rule_set)
            found = (
                json.dumps(facts_to_json(facts)),
                json.dumps(assessment_to_json(result)),
                result.recommendation,
                rules.RECOMMENDATION_LABELS[result.recommendation],
            )
            self.assessments[key] = found
        return found

    def _when(self, case: Case, **delta: int) -> datetime:
        case.at = min(self.now, case.at + timedelta(**delta))
        return case.at

    # -- the report ---------------------------------------------------------------------------

    def _disclosure(self, case: Case, source: str, summary: str, acknowledged: bool) -> None:
        rng = self.rng
        reporter = self.staff[Membership.Role.STAFF]
        code = self._code()
        names = ", ".join(f"Pupil {i + 1}" for i in range(len(case.people)))
        ack_at = self._when(case, minutes=rng.randint(5, 240)) if acknowledged else None
        dsl = self.staff[Membership.Role.DSL]
        self._add(Disclosure, (
            self._id(Disclosure), case.setting_id, code, reporter, self._code(), ts(case.reported),
            source, ts(case.reported - timedelta(minutes=rng.randint(5, 120))), names, summary, "", "",
            Disclosure.SawImagery.NO, int(rng.random() < 0.03), case.reference, case.incident_id, case.incident_id,
            ts(ack_at) if ack_at else None, dsl if ack_at else None,
        ))
        self._entry(case, reporter, Kind.DISCLOSURE_RECEIVED,
                    f"Disclosure received from {self.staff_names[Membership.Role.STAFF]} through the reporting form.",
                    {"disclosure": hyphenated(code)}, at=case.reported)
        if ack_at:
            seconds = int((ack_at - case.reported).total_seconds())
            self._entry(case, dsl, Kind.DISCLOSURE_ACKNOWLEDGED,
                        f"Disclosure {case.reference} acknowledged by {self.staff_names[Membership.Role.DSL]}, "
                        f"{seconds // 60} minutes after it was reported.",
                        {"disclosure": hyphenated(code), "seconds_to_dsl": seconds})

    # -- the initial review, its assessment and decision ------------------------------------------

    def _review(self, case: Case, *, rule_set: str, viewing: bool) -> str:
        """The review meeting, the rules' assessment and the decision; returns the outcome decided."""
        rng = self.rng
        dsl = self.staff[Membership.Role.DSL]
        held = self._when(case, hours=rng.randint(2, 72))
        meeting_id, meeting_code = self._id(ReviewMeeting), self._code()
        referring = case.status == workflow.REFERRED
        self._add(ReviewMeeting, (
            meeting_id, case.setting_id, meeting_code, case.incident_id, ts(held), "[]",
            rules_answer(referring, rng), "", "Discussed whether to refer to the MASH.", int(viewing),
            VIEWING_REASON if viewing else "", "",
            ReviewMeeting.Spread.CONTAINED if rng.random() < 0.7 else ReviewMeeting.Spread.UNKNOWN, "",
            ReviewMeeting.Removal.NOW if rng.random() < 0.4 else ReviewMeeting.Removal.LATER, "", "",
            "no", "", ReviewMeeting.Parents.YES if rng.random() < 0.9 else ReviewMeeting.Parents.LATER, "",
            0, 0, dsl, ts(held),
        ))
        self._entry(case, dsl, Kind.REVIEW_MEETING, "Initial review meeting held with the deputy DSL.",
                    {"review_meeting": hyphenated(meeting_code)})
        facts = rules.Facts(ages=case.ages, classification=case.classification, adult_involved=case.adult_involved)
        assessment_id, assessment_code, recommendation, label = self._stored_assessment(
            case, facts, rule_set, StoredAssessment.Occasion.INITIAL_REVIEW
        )
        if referring:
            outcome = Outcome.REFER_POLICE if case.adult_involved or rng.random() < 0.25 else Outcome.REFER_MASH
            status = DecisionModel.Status.RECORDED
            reason = "Aggravating factors: referred as the policy requires."
        else:
            outcome = Outcome.MANAGE_IN_SETTING
            awaiting = case.status == workflow.MANAGED_IN_SETTING and rng.random() < AWAITING_SIGN_OFF
            status = DecisionModel.Status.AWAITING_SIGN_OFF if awaiting else DecisionModel.Status.SIGNED
            reason = "Experimental, no aggravating factors; managed in the setting with the young people supported."
        departs = recommendation in (rules.REFER_IMMEDIATELY, rules.REFER) and outcome not in DecisionModel.REFERRALS
        justification = "Discussed with the MASH, who advised it could be managed in the setting." if departs else ""
        decided = self._when(case, minutes=rng.randint(10, 60))
        decision_id, decision_code = self._id(DecisionModel), self._code()
        self._add(DecisionModel, (
            decision_id, case.setting_id, decision_code, case.incident_id, meeting_id, assessment_id, outcome,
            reason, int(departs), justification, status, None, dsl, ts(decided), None, None, "", None,
        ))
        outcome_label = str(Outcome(outcome).label)
        summary = f"{outcome_label}. Reason: {reason}"
        if departs:
            summary += f" This departs from the rules' recommendation ({label.lower()}): {justification}"
        if outcome == Outcome.MANAGE_IN_SETTING:
            summary += " Awaiting the headteacher's sign-off."
        self._entry(case, dsl, Kind.DECISION, summary, {
            "decision": hyphenated(decision_code), "outcome": outcome, "departs_from_recommendation": departs,
            "supersedes": None,
        })
        self._status(case, workflow.UNDER_REVIEW, workflow.REFERRED if referring else workflow.MANAGED_IN_SETTING)
        if status == DecisionModel.Status.SIGNED:
            payload = {
                "decision": hyphenated(decision_code),
                "incident": case.code,
                "reference": case.reference,
                "outcome": outcome,
                "outcome_label": outcome_label,
                "reason": reason,
                "departs_from_recommendation": departs,
                "justification": justification,
                "assessment": {"code": hyphenated(assessment_code), **self._assessment_payload(facts, rule_set)},
                "recorded_by": self.staff_names[Membership.Role.DSL],
                "recorded_at": decided.isoformat(),
                "supersedes": None,
                "policy_version": None,
            }
            self._sign_off(case, decision_id, decision_code, outcome_label, payload)
        return outcome

    def _assessment_payload(self, facts: rules.Facts, rule_set: str) -> dict:
        facts_json, result_json, _, _ = self._assessment_json(facts, rule_set)
        return {"rule_set": rule_set, "facts": json.loads(facts_json), "context": {}, "result": json.loads(result_json)}

    def _stored_assessment(self, case: Case, facts: rules.Facts, rule_set: str,
                           occasion: str) -> tuple[int, str, str, str]:
        facts_json, result_json, recommendation, label = self._assessment_json(facts, rule_set)
        assessment_id, code = self._id(StoredAssessment), self._code()
        self._add(StoredAssessment, (
            assessment_id, case.setting_id, code, case.incident_id, occasion, rule_set, facts_json, "{}",
            result_json, self.staff[Membership.Role.DSL], ts(case.at),
        ))
        occasion_label = StoredAssessment.Occasion(occasion).label
        self._entry(case, self.staff[Membership.Role.DSL], Kind.ASSESSMENT,
                    f"{occasion_label}: the rules ({rule_set}) recommend: {label.lower()}.",
                    {"assessment": hyphenated(code), "recommendation": recommendation})
        return assessment_id, code, recommendation, label

    def _sign_off(self, case: Case, decision_id: int, decision_code: str, outcome_label: str, payload: dict) -> None:
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        head = self.staff[Membership.Role.HEADTEACHER]
        name, role = self.staff_names[Membership.Role.HEADTEACHER], str(Membership.Role.HEADTEACHER.label)
        signed = self._when(case, hours=self.rng.randint(1, 72))
        code = self._code()
        self._add(SignOff, (self._id(SignOff), case.setting_id, code, decision_id, head, name, role, ts(signed),
                            SignOff.STATEMENT, digest))
        self._entry(case, head, Kind.SIGNED_OFF,
                    f"{name} ({role}) signed off the decision not to refer: {outcome_label.lower()}. SHA-256 {digest}.",
                    {"decision": hyphenated(decision_code), "sign_off": hyphenated(code), "sha256": digest})

    def _risk_assessment(self, case: Case, rule_set: str) -> None:
        rng = self.rng
        level = rng.choice(RISK_LEVELS)
        facts = rules.Facts(ages=case.ages, classification=case.classification, adult_involved=case.adult_involved,
                            risk_level=level)
        self._when(case, days=rng.randint(1, 5))
        assessment_id, assessment_code, _, _ = self._stored_assessment(
            case, facts, rule_set, StoredAssessment.Occasion.RISK_ASSESSMENT
        )
        code = self._code()
        dsl = self.staff[Membership.Role.DSL]
        self._add(RiskAssessment, (
            self._id(RiskAssessment), case.setting_id, code, case.incident_id,
            RiskAssessment.WhyShared.ROMANTIC if rng.random() < 0.6 else RiskAssessment.WhyShared.JOKE_OR_ATTENTION,
            "", "no", "", "The young person's partner.", "", "Sent directly, not shared on.", "", "yes", "",
            "yes" if case.adult_involved else "no", "",
            RiskAssessment.Impact.SOME if rng.random() < 0.5 else RiskAssessment.Impact.NONE_APPARENT, "",
            "no", "", "yes", "", "no", "", 0, None, "", level, "", assessment_id, dsl, ts(case.at),
        ))
        self._entry(case, dsl, Kind.RISK_ASSESSMENT,
                    f"Risk assessment recorded: {RiskAssessment.Level(level).label.lower()} risk.",
                    {"risk_assessment": hyphenated(code), "assessment": hyphenated(assessment_code), "refers": False})

    # -- actions after the review ---------------------------------------------------------------

    def _referral(self, case: Case, outcome: str) -> None:
        rng = self.rng
        police = outcome == Outcome.REFER_POLICE
        agency = Referral.Agency.POLICE_101 if police else Referral.Agency.MASH
        made = self._when(case, hours=rng.randint(1, 24))
        awaiting = rng.random() < 0.3
        result = Referral.Outcome.AWAITING if awaiting else rng.choice(REFERRAL_OUTCOMES)
        heard = None if awaiting else min(self.now, made + timedelta(days=rng.randint(1, 14)))
        chase = (made + timedelta(days=3)).date().isoformat() if awaiting else None
        code = self._code()
        dsl = self.staff[Membership.Role.DSL]
        self._add(Referral, (
            self._id(Referral), case.setting_id, code, case.incident_id, agency, "", ts(made),
            Referral.Method.PHONE, "Duty officer", f"REF{case.incident_id}", "Summary of the incident and the review.",
            result, "", ts(heard) if heard else None, chase, dsl, ts(made),
        ))
        label = Referral.Agency(agency).label
        self._entry(case, dsl, Kind.REFERRAL, f"Referred to {label} by phone (contact: Duty officer).",
                    {"referral": hyphenated(code), "agency": agency})
        if heard:
            case.at = max(case.at, heard)
            self._entry(case, dsl, Kind.REFERRAL_OUTCOME,
                        f"Outcome of the referral to {label}: {Referral.Outcome(result).label}.",
                        {"referral": hyphenated(code)})
        if police and rng.random() < DEVICE_SEIZED:
            self._device(case)

    def _device(self, case: Case) -> None:
        """A device seized for the police, switched off, and handed to them the next day."""
        rng = self.rng
        dsl = self.staff[Membership.Role.DSL]
        seized = case.at
        handed = min(self.now, seized + timedelta(days=1))
        code = self._code()
        description = rng.choice(DEVICES)
        self._add(Device, (
            self._id(Device), case.setting_id, code, case.incident_id, description, "A pupil", ts(seized), dsl, 1,
            "The DSL's locked cabinet", ts(handed), "PC Generated", "1234", dsl, ts(seized),
        ))
        self._entry(case, dsl, Kind.DEVICE, f"Device seized: {description} (a pupil), switched off and locked away "
                    "in the DSL's locked cabinet.", {"device": hyphenated(code)})

    def _parents(self, case: Case, person_id: int) -> None:
        dsl = self.staff[Membership.Role.DSL]
        informed = self._when(case, hours=self.rng.randint(1, 48))
        self._add(ParentsDecision, (
            self._id(ParentsDecision), case.setting_id, self._code(), case.incident_id, person_id,
            ParentsDecision.Decision.INFORM, "", "", "", ts(informed), dsl, self.rng.choice(PARENT_METHODS), "",
            dsl, ts(informed),
        ))
        self._entry(case, dsl, Kind.PARENTS, "Parents or carers informed.", {"decision": "inform"})

    def _conversation(self, case: Case, person_id: int) -> None:
        dsl = self.staff[Membership.Role.DSL]
        held = self._when(case, days=self.rng.randint(0, 7))
        self._add(Conversation, (
            self._id(Conversation), case.setting_id, self._code(), case.incident_id, person_id, dsl, 0, ts(held),
            1, 1, 1, "", "", "", "", dsl, ts(held),
        ))
        self._entry(case, dsl, Kind.CONVERSATION, "The DSL talked with the young person.", {})

    def _deletion(self, case: Case, person_id: int, *, confirm: bool) -> None:
        dsl = self.staff[Membership.Role.DSL]
        decided = self._when(case, hours=self.rng.randint(1, 48))
        decision_id, code = self._id(DeletionDecision), self._code()
        self._add(DeletionDecision, (
            decision_id, case.setting_id, code, case.incident_id, DeletionDecision.Method.ASK_YOUNG_PEOPLE,
            "The usual course: the young people are asked to delete it.", ts(decided), dsl, ts(decided),
        ))
        self._entry(case, dsl, Kind.DELETION, "Deletion decided: ask the young people to delete it.",
                    {"deletion_decision": hyphenated(code), "method": DeletionDecision.Method.ASK_YOUNG_PEOPLE})
        confirmed = min(self.now, decided + timedelta(days=self.rng.randint(1, 6))) if confirm else None
        self._add(DeletionRequest, (
            self._id(DeletionRequest), case.setting_id, self._code(), decision_id, case.incident_id, person_id,
            ts(decided), (decided + timedelta(days=7)).date().isoformat(), 1, 0, 1, 1,
            DeletionRequest.ParentsInformed.YES, "", ts(confirmed) if confirmed else None,
            DeletionRequest.ConfirmationMethod.IN_PERSON if confirmed else "", None, "", dsl, ts(decided),
        ))

    def _viewing(self, case: Case, person_id: int) -> None:
        """A viewing, when it could not be avoided: the headteacher consulted, a witness, both confirming."""
        dsl = self.staff[Membership.Role.DSL]
        viewed = self._when(case, hours=self.rng.randint(1, 24))
        code = self._code()
        self._add(ViewingRecord, (
            self._id(ViewingRecord), case.setting_id, code, case.incident_id, person_id,
            ViewingRecord.Justification.TO_REPORT, self.staff[Membership.Role.HEADTEACHER], dsl, 1,
            self.staff[Membership.Role.DEPUTY], 1, "The headteacher's office", ViewingRecord.SameSex.YES, "",
            ts(viewed), VIEWING_REASON, "Reported for removal.", 1, 1,
            ts(viewed), ts(viewed), dsl, ts(viewed),
        ))
        self._entry(case, dsl, Kind.VIEWING, "Imagery viewed by the DSL with the deputy DSL present, in the "
                    "headteacher's office. Both have confirmed the record.", {"viewing": hyphenated(code)})


def rules_answer(referring: bool, rng: random.Random) -> str:
    """The review's answer to "is there an immediate risk?": only ever yes for a referral."""
    if referring and rng.random() < 0.2:
        return "yes"
    return "no" if rng.random() < 0.9 else "unknown"


def ts(moment: datetime) -> str:
    """UTC, no offset: Django keeps SQLite times that way and sets PostgreSQL sessions to UTC."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")
