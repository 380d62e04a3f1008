"""When an incident of youth produced sexual imagery is referred at once, and why.

This module is the policy, written as code. It imports nothing from Django or the
database so that it can be read, tested and reasoned about on its own: the initial
review page shows what `assess` says, stored assessments keep its result, and the
setting's printed policy prints `describe_rule_set`, so the document staff read and the
decision the app proposes come from the same place and cannot drift apart.

Three rule sets are encoded, each beside the wording it follows:

- "wolverhampton-2016": the Wolverhampton Safeguarding Children Board policy guidance in
  `shared/reference/ypsi-policy-guidance.txt` (the default);
- "ukcis-2024": the current national advice, "Sharing nudes and semi-nudes" (UKCIS,
  2020, updated 2024);
- "ukccis-2016": the national advice it replaced, "Sexting in schools and colleges"
  (UKCCIS, 2016).

The rules only ever *recommend*. The DSL decides; elsewhere in the app a decision that
departs from the recommendation is justified in writing and flagged for the headteacher.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

# --- Vocabulary -----------------------------------------------------------------------

WOLVERHAMPTON_2016 = "wolverhampton-2016"
UKCIS_2024 = "ukcis-2024"
UKCCIS_2016 = "ukccis-2016"

RULE_SETS: tuple[str, ...] = (WOLVERHAMPTON_2016, UKCIS_2024, UKCCIS_2016)
DEFAULT_RULE_SET = WOLVERHAMPTON_2016
# The national advice a setting's own rules are compared with, so a DSL is told when
# they differ.
NATIONAL_RULE_SET = UKCIS_2024

EXPERIMENTAL = "experimental"
AGGRAVATED = "aggravated"
UNCLASSIFIED = "unclassified"

# What the DSL may record (None meaning "not yet judged").
CLASSIFICATIONS: tuple[str, ...] = (EXPERIMENTAL, AGGRAVATED)
# What an assessment may report: the facts can make an incident aggravated before anyone
# says so.
EFFECTIVE_CLASSIFICATIONS: tuple[str, ...] = (AGGRAVATED, EXPERIMENTAL, UNCLASSIFIED)
CLASSIFICATION_LABELS: dict[str, str] = {
    AGGRAVATED: "Aggravated",
    EXPERIMENTAL: "Experimental",
    UNCLASSIFIED: "Not yet judged",
}

LOW = "low"
MEDIUM = "medium"
HIGH = "high"
# Lowest first: the order matters to the promise that a higher risk never lowers the
# response.
RISK_LEVELS: tuple[str, ...] = (LOW, MEDIUM, HIGH)

REFER_IMMEDIATELY = "refer_immediately"
REFER = "refer"
MANAGE_IN_SETTING = "manage_in_setting"
CLASSIFY_FIRST = "classify_first"
RECOMMENDATIONS: tuple[str, ...] = (
    REFER_IMMEDIATELY,
    REFER,
    MANAGE_IN_SETTING,
    CLASSIFY_FIRST,
)
RECOMMENDATION_LABELS: dict[str, str] = {
    REFER_IMMEDIATELY: "Refer to the MASH (and/or police) now",
    REFER: "Refer to the MASH (and/or police)",
    MANAGE_IN_SETTING: "Manage in the setting after assessing the risks",
    CLASSIFY_FIRST: "Decide whether the incident is experimental or aggravated first",
}

# Immediate-referral criteria, in the order the Wolverhampton policy lists them.
AGED_12_OR_UNDER = "aged_12_or_under"
ADULT_INVOLVED = "adult_involved"
HIGH_RISK_13_TO_17 = "high_risk_13_to_17"
COERCION_OR_CAPACITY = "coercion_or_capacity"
UNUSUAL_OR_VIOLENT_CONTENT = "unusual_or_violent_content"
IMMEDIATE_RISK_OF_HARM = "immediate_risk_of_harm"
CRITERIA: tuple[str, ...] = (
    AGED_12_OR_UNDER,
    ADULT_INVOLVED,
    HIGH_RISK_13_TO_17,
    COERCION_OR_CAPACITY,
    UNUSUAL_OR_VIOLENT_CONTENT,
    IMMEDIATE_RISK_OF_HARM,
)
CRITERION_LABELS: dict[str, str] = {
    AGED_12_OR_UNDER: "Aged 12 or under",
    ADULT_INVOLVED: "Adult involved",
    HIGH_RISK_13_TO_17: "Aged 13 to 17 and assessed as high risk",
    COERCION_OR_CAPACITY: ("Coercion, blackmail or grooming, or doubt about capacity to consent"),
    UNUSUAL_OR_VIOLENT_CONTENT: "Unusual or violent content",
    IMMEDIATE_RISK_OF_HARM: "Immediate risk of harm",
}

# The Facts fields that make an incident aggravated in Wolak and Finkelhor's typology
# ("adult involvement or criminal or abusive behaviour by minors such as ... extortion,
# threats, malicious conduct ... or ... images without the knowledge or against the will
# of a minor").
AGGRAVATING_FACTS: tuple[str, ...] = (
    "adult_involved",
    "coerced_blackmailed_or_groomed",
    "shared_without_consent",
    "malicious_intent",
)
AGGRAVATING_FACT_LABELS: dict[str, str] = {
    "adult_involved": "an adult is involved",
    "coerced_blackmailed_or_groomed": ("a young person was coerced, blackmailed or groomed"),
    "shared_without_consent": (
        "the imagery was shared without the knowledge, or against the will, of the young person pictured"
    ),
    "malicious_intent": "there was malicious intent",
}

# The facts describe children: anyone 18 or over is the adult of `adult_involved`.
OLDEST_AGE = 17
# Where the policy's "older young people (13-17)" begin.
YOUNGEST_OLDER_AGE = 13

_FLAG_FIELDS: tuple[str, ...] = (
    "adult_involved",
    "coerced_blackmailed_or_groomed",
    "capacity_to_consent_concern",
    "unusual_or_violent_content",
    "depicts_sexual_acts",
    "immediate_risk_of_harm",
    "shared_without_consent",
    "malicious_intent",
)


# --- The 2024 national update -----------------------------------------------------------
#
# "Sharing nudes and semi-nudes" (UKCIS, updated March 2024) added two things the facts do
# not carry as fields of their own, because they change nothing in the rules above:
#
# - AI-generated or digitally altered imagery of a child is treated exactly as real
#   imagery: the same questions, the same criteria, the same response.
# - Financially motivated sexual extortion (a young person blackmailed for money or for
#   more images) IS blackmail, so the app records it by setting
#   `coerced_blackmailed_or_groomed`, which is a criterion for an immediate referral
#   under every rule set, and shows the steps below at once.

AI_GENERATED_ADVICE = (
    "AI-generated or digitally altered imagery of a child is treated exactly as real "
    "imagery: the same questions, criteria and response apply."
)

SEXTORTION_FAST_PATH: tuple[str, ...] = (
    "Refer now: blackmail is a criterion for an immediate referral to the MASH and/or the police.",
    "Tell the young person not to pay and not to send anything more.",
    "Stop contact with the blackmailer, but do not delete the account or the messages: they are evidence.",
    "Report it to the police (999 if a young person is in immediate danger) or to CEOP.",
    "Help the young person get the imagery removed: Report Remove (Childline and the IWF) "
    "for under-18s, and Take It Down (NCMEC) for imagery shared online.",
)


def with_sextortion(facts: Facts) -> Facts:
    """The facts once a young person is known to be blackmailed for money or more images."""
    return dataclasses.replace(facts, coerced_blackmailed_or_groomed=True)


# --- Facts and assessments ------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the initial review (and later the risk assessment) knows about an incident.

    Invalid values raise ValueError when the facts are built, so an assessment is never
    made from facts nobody could have meant. `ages` may be empty while no young person
    is recorded; the assessment then lists the age questions as unanswered. A list is
    accepted for `ages` (forms and JSON produce lists) and kept as a tuple so the facts
    stay hashable.
    """

    # Age at the incident of every young person involved (all under 18).
    ages: tuple[int, ...]
    # "experimental", "aggravated", or None (not yet judged).
    classification: str | None = None
    # "low", "medium", "high", or None (no risk assessment yet).
    risk_level: str | None = None
    adult_involved: bool = False
    coerced_blackmailed_or_groomed: bool = False
    # E.g. owing to special educational needs.
    capacity_to_consent_concern: bool = False
    # Unusual for the developmental stage, or violent.
    unusual_or_violent_content: bool = False
    # What is known (without viewing) suggests sexual acts.
    depicts_sexual_acts: bool = False
    # E.g. presenting as suicidal or self-harming.
    immediate_risk_of_harm: bool = False
    # Without the knowledge, or against the will, of the young person pictured.
    shared_without_consent: bool = False
    malicious_intent: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.ages, list):
            object.__setattr__(self, "ages", tuple(self.ages))
        if not isinstance(self.ages, tuple):
            raise ValueError(f"ages must be a tuple of whole numbers, not {self.ages!r}.")
        for age in self.ages:
            # bool is a subclass of int, and True is no one's age.
            if isinstance(age, bool) or not isinstance(age, int):
                raise ValueError(f"Each age must be a whole number of years, not {age!r}.")
            if not 0 <= age <= OLDEST_AGE:
                raise ValueError(
                    f"Age {age} is outside 0 to {OLDEST_AGE}: the young people "
                    "involved are under 18. Record anyone aged 18 or over as an adult "
                    "involved."
                )
        if self.classification is not None and self.classification not in CLASSIFICATIONS:
            raise ValueError(
                f"Unknown classification {self.classification!r}: expected "
                f"{_or_list(CLASSIFICATIONS)}, or None while not yet judged."
            )
        if self.risk_level is not None and self.risk_level not in RISK_LEVELS:
            raise ValueError(
                f"Unknown risk level {self.risk_level!r}: expected "
                f"{_or_list(RISK_LEVELS)}, or None while the risks have not been "
                "assessed."
            )
        for name in _FLAG_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be True or False, not {value!r}.")


@dataclass(frozen=True)
class PolicyQuote:
    """Words of the policy that an assessment leans on, with where they come from."""

    text: str
    source: str


@dataclass(frozen=True)
class Assessment:
    """What a rule set says about some facts, and why, in words a DSL can sign off."""

    rule_set: str
    # Effective: "aggravated", "experimental" or "unclassified".
    classification: str
    refer_immediately: bool
    # "refer_immediately", "refer", "manage_in_setting" or "classify_first".
    recommendation: str
    # Immediate-referral criteria that the facts meet, in policy order.
    criteria: tuple[str, ...]
    # Plain-English sentences: why refer, or why not.
    explanation: tuple[str, ...]
    # Things the DSL should weigh that do not change the recommendation: the national
    # advice disagreeing, a recorded classification the facts contradict, criteria met
    # but not decisive.
    advisories: tuple[str, ...] = ()
    # Questions still open whose answers could change the outcome or are needed before
    # acting.
    unanswered: tuple[str, ...] = ()
    # The AGGRAVATING_FACTS that hold, in that order.
    aggravating_facts: tuple[str, ...] = ()
    # What NATIONAL_RULE_SET says for the same facts.
    national_refer_immediately: bool = False
    policy_quotes: tuple[PolicyQuote, ...] = ()


# --- Describing rule sets -------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    document: str
    publisher: str
    year: int
    edition: str = ""  # e.g. "first published 2020, updated 2024"

    def __str__(self) -> str:
        edition = f" ({self.edition})" if self.edition else ""
        return f"{self.document}, {self.publisher}, {self.year}{edition}"


@dataclass(frozen=True)
class CriterionDescription:
    code: str
    label: str
    wording: str  # in the project's own words, for printing in the setting's policy


@dataclass(frozen=True)
class RuleSetDescription:
    name: str
    title: str
    source: Source
    summary: str
    # Those that can lead to an immediate referral under this rule set.
    criteria: tuple[CriterionDescription, ...]
    # How the criteria combine into a decision to refer immediately.
    combination: str
    # How it differs from NATIONAL_RULE_SET; empty for the national rule set itself.
    departs_from_national: tuple[str, ...]


# Each criterion in the project's own words, as the policy document prints it. The
# national advice words its age rule differently, so it has its own (below).
_CRITERION_WORDING: dict[str, CriterionDescription] = {
    code: CriterionDescription(code, CRITERION_LABELS[code], wording)
    for code, wording in (
        (AGED_12_OR_UNDER, "A young person involved is 12 or under."),
        (ADULT_INVOLVED, "An adult (18 or over) is involved."),
        (
            HIGH_RISK_13_TO_17,
            "Young people aged 13 to 17 are involved and a risk assessment finds the incident high risk.",
        ),
        (
            COERCION_OR_CAPACITY,
            "There is reason to believe a young person has been coerced, blackmailed "
            "or groomed, or there is concern about their capacity to consent (for "
            "example, because of special educational needs).",
        ),
        (
            UNUSUAL_OR_VIOLENT_CONTENT,
            "What is known about the imagery, without viewing it, suggests sexual "
            "acts that are unusual for the young person's developmental stage, or "
            "violence.",
        ),
        (
            IMMEDIATE_RISK_OF_HARM,
            "There is reason to believe a young person is at immediate risk of harm "
            "because the imagery was shared, for example they are presenting as "
            "suicidal or self-harming.",
        ),
    )
}


# --- Findings shared by every rule set ------------------------------------------------


@dataclass(frozen=True)
class _Findings:
    facts: Facts
    classification: str
    aggravating_facts: tuple[str, ...]
    criteria: tuple[str, ...]


def _find(facts: Facts) -> _Findings:
    aggravating = tuple(name for name in AGGRAVATING_FACTS if getattr(facts, name))
    if facts.classification == AGGRAVATED or aggravating:
        classification = AGGRAVATED
    else:
        classification = facts.classification or UNCLASSIFIED
    return _Findings(
        facts=facts,
        classification=classification,
        aggravating_facts=aggravating,
        criteria=tuple(code for code in CRITERIA if _CRITERION_TESTS[code](facts)),
    )


def _involves_older_young_person(facts: Facts) -> bool:
    return any(YOUNGEST_OLDER_AGE <= age <= OLDEST_AGE for age in facts.ages)


_CRITERION_TESTS: dict[str, Callable[[Facts], bool]] = {
    AGED_12_OR_UNDER: lambda facts: any(age < YOUNGEST_OLDER_AGE for age in facts.ages),
    ADULT_INVOLVED: lambda facts: facts.adult_involved,
    HIGH_RISK_13_TO_17: lambda facts: _involves_older_young_person(facts) and facts.risk_level == HIGH,
    COERCION_OR_CAPACITY: lambda facts: facts.coerced_blackmailed_or_groomed or facts.capacity_to_consent_concern,
    UNUSUAL_OR_VIOLENT_CONTENT: lambda facts: facts.unusual_or_violent_content,
    IMMEDIATE_RISK_OF_HARM: lambda facts: facts.immediate_risk_of_harm,
}


def _criterion_finding(code: str, facts: Facts) -> str:
    """One sentence saying why a criterion is met, naming it by its label."""
    if code == AGED_12_OR_UNDER:
        ages = ", ".join(str(age) for age in facts.ages)
        detail = f"a young person involved was 12 or under at the time (ages recorded: {ages})"
    elif code == ADULT_INVOLVED:
        detail = "an adult (18 or over) is involved"
    elif code == HIGH_RISK_13_TO_17:
        detail = "a young person aged 13 to 17 is involved and the risk assessment found the risk high"
    elif code == COERCION_OR_CAPACITY:
        concerns: list[str] = []
        if facts.coerced_blackmailed_or_groomed:
            concerns.append("there is reason to believe a young person was coerced, blackmailed or groomed")
        if facts.capacity_to_consent_concern:
            concerns.append("there is a concern about a young person's capacity to consent")
        detail = _and_list(tuple(concerns))
    elif code == UNUSUAL_OR_VIOLENT_CONTENT:
        detail = (
            "what is known about the imagery suggests sexual acts unusual for the "
            "young person's developmental stage, or violence"
        )
    else:
        detail = (
            "there is reason to believe a young person is at immediate risk of harm, "
            "for example presenting as suicidal or self-harming"
        )
    return f"{CRITERION_LABELS[code]}: {detail}."


# --- wolverhampton-2016 ---------------------------------------------------------------
#
# Source: Wolverhampton Safeguarding Children Board, "Youth Produced Sexual Imagery
# (sexting) Policy Guidance" (shared/reference/ypsi-policy-guidance.txt), section
# "Initial review meeting":
#
#   "An immediate referral to Wolverhampton's Multi-Agency Safeguarding Hub (MASH) will
#   be made at this initial stage if: The incident is considered to be 'Aggravated' AND
#   - The young person (people) involved is/are 12 years old or under
#   - The incident also involves an adult (18 and above)
#   - If older young people (13-17) are involved, a risk assessment identifies the
#     incident as high risk
#   - There is reason to believe that a young person has been coerced, blackmailed or
#     groomed, or if there are concerns about their capacity to consent (for example,
#     owing to special educational needs)
#   - What you know about the imagery suggests the content depicts sexual acts which are
#     unusual for the young person's developmental stage, or are violent
#   - We have reason to believe a young person is at immediate risk of harm owing to the
#     sharing of the imagery, for example, the young person is presenting as suicidal or
#     self-harming"
#
# and, from "An initial response", the exception to the AND that no reading of the list
# may override: "At any point in the process if there is a concern a child/young person
# has been harmed or is at risk of harm a referral should be made to children's social
# care and/or the police immediately."
#
# The same section also says "any incidents with aggravating factors ... will be
# referred to the MASH (and/or police)", so an aggravated incident that meets no
# criterion is still recommended for referral (not immediately) rather than left to the
# setting.

_WOLVERHAMPTON_SOURCE = Source(
    document="Youth Produced Sexual Imagery (sexting) Policy Guidance",
    publisher="Wolverhampton Safeguarding Children Board",
    year=2016,
)
_WOLVERHAMPTON_CITATION = "Wolverhampton policy guidance, 'Initial review meeting'"
_QUOTE_ANY_POINT = PolicyQuote(
    text=(
        "At any point in the process if there is a concern a child/young person has "
        "been harmed or is at risk of harm a referral should be made to children's "
        "social care and/or the police immediately."
    ),
    source="Wolverhampton policy guidance, 'An initial response'",
)
_QUOTE_AGGRAVATED_AND = PolicyQuote(
    text=(
        "An immediate referral to Wolverhampton's Multi-Agency Safeguarding Hub "
        "(MASH) will be made at this initial stage if: The incident is considered to "
        "be 'Aggravated' AND ..."
    ),
    source=_WOLVERHAMPTON_CITATION,
)
_QUOTE_AGGRAVATING_FACTORS = PolicyQuote(
    text=(
        "any incidents with aggravating factors, for example, a young person sharing "
        "someone else's imagery without consent and with malicious intent, will be "
        "referred to the MASH (and/or police)."
    ),
    source=_WOLVERHAMPTON_CITATION,
)
_QUOTE_EXPERIMENTAL = PolicyQuote(
    text=(
        "If the incident is considered to be 'Experimental' ... it may be more "
        "appropriate for our school to manage the incident directly."
    ),
    source=_WOLVERHAMPTON_CITATION,
)
_QUOTE_SIGN_OFF = PolicyQuote(
    text=(
        "if our school decides not to refer incidents to the police or children's "
        "social care, we will record our reason for doing so and ensure that this is "
        "signed off by the Headteacher."
    ),
    source="Wolverhampton policy guidance, 'Recording incidents'",
)


def _wolverhampton_triggers(findings: _Findings) -> tuple[str, ...]:
    if findings.classification == AGGRAVATED:
        return findings.criteria
    if IMMEDIATE_RISK_OF_HARM in findings.criteria:
        return (IMMEDIATE_RISK_OF_HARM,)
    return ()


_WOLVERHAMPTON_DESCRIPTION = RuleSetDescription(
    name=WOLVERHAMPTON_2016,
    title="Wolverhampton Safeguarding Children Board guidance (2016)",
    source=_WOLVERHAMPTON_SOURCE,
    summary=(
        "At the initial review the DSL refers an aggravated incident to the MASH at "
        "once when any of six criteria holds, and refers any incident at once, at any "
        "point, when a young person is at risk of harm."
    ),
    criteria=tuple(_CRITERION_WORDING.values()),
    combination=(
        "The incident is aggravated AND at least one of these criteria holds. "
        "Whatever the classification, a young person at immediate risk of harm is "
        'referred at once: the policy says a referral is made "immediately" at any '
        'point when a child "has been harmed or is at risk of harm". An aggravated '
        "incident that meets none of the criteria is still referred, not at once, "
        'because the policy says incidents with aggravating factors "will be referred '
        'to the MASH (and/or police)"; managing one in the setting needs a written '
        "reason flagged for the headteacher."
    ),
    departs_from_national=(
        "Its criteria lead to an immediate referral only when the incident is "
        "aggravated (immediate risk of harm apart). The national advice refers at "
        "once whatever the classification, so an incident judged experimental where "
        "there is a concern about a young person's capacity to consent, or where the "
        "content seems unusual for their developmental stage or violent, goes to the "
        "police and/or children's social care at once under the national advice but "
        "not under this policy.",
        "It refers an aggravated incident involving a child aged 12 or under at once "
        "whether or not the imagery is thought to show sexual acts. The national "
        "advice refers a child under 13 at once only when the imagery involves sexual "
        "acts, but then whatever the classification.",
        "It adds a criterion the national advice does not have: young people aged 13 "
        "to 17 are involved and a risk assessment finds an aggravated incident high "
        "risk.",
        "It predates the 2024 national update, which treats AI-generated or digitally "
        "altered imagery exactly as real imagery and adds advice on financially "
        "motivated sexual extortion (a young person blackmailed for money or more "
        "images).",
    ),
)


# --- ukcis-2024 and ukccis-2016 -------------------------------------------------------
#
# ukcis-2024. Source: UK Council for Internet Safety, "Sharing nudes and semi-nudes:
# advice for education settings working with children and young people" (first
# published December 2020, updated March 2024): the list of when to refer immediately
# at the initial review stage.
#
# ukccis-2016. Source: UK Council for Child Internet Safety, "Sexting in schools and
# colleges: responding to incidents and safeguarding young people" (2016): the same
# list, which the Wolverhampton guidance adapted.
#
# Both lists refer to the police and/or children's social care at once, with no
# condition on the classification, when:
#   - "The incident involves an adult"
#   - there is reason to believe a child or young person "has been coerced, blackmailed
#     or groomed", or there are "concerns about their capacity to consent" (for example,
#     owing to special educational needs)
#   - what is known about the imagery suggests it "depicts sexual acts which are unusual
#     for the young person's developmental stage, or are violent"
#   - "the imagery involves sexual acts and any pupil in the imagery is under 13" (2016;
#     the 2020 advice says "images or videos" for "imagery")
#   - there is reason to believe a young person is at "immediate risk of harm" owing to
#     the sharing, for example "presenting as suicidal or self-harming"
# and otherwise the setting may respond without them, escalating at any time.
#
# The facts hold the age of every young person involved, not only of those pictured, so
# the under-13 rule reads "involved" for "in the imagery": when unsure who is pictured,
# it errs towards referral. The two lists agree in substance, so they share one rule;
# they differ in what else the advice covers, which describe_rule_set says.

_NATIONAL_CRITERIA_ALONE: tuple[str, ...] = (
    ADULT_INVOLVED,
    COERCION_OR_CAPACITY,
    UNUSUAL_OR_VIOLENT_CONTENT,
    IMMEDIATE_RISK_OF_HARM,
)


def _national_triggers(findings: _Findings) -> tuple[str, ...]:
    def triggers(code: str) -> bool:
        if code == AGED_12_OR_UNDER:
            return findings.facts.depicts_sexual_acts
        return code in _NATIONAL_CRITERIA_ALONE

    return tuple(code for code in findings.criteria if triggers(code))


# Printed in the order the national advice lists them, which puts the age rule fourth.
_NATIONAL_CRITERIA: tuple[CriterionDescription, ...] = (
    _CRITERION_WORDING[ADULT_INVOLVED],
    _CRITERION_WORDING[COERCION_OR_CAPACITY],
    _CRITERION_WORDING[UNUSUAL_OR_VIOLENT_CONTENT],
    CriterionDescription(
        AGED_12_OR_UNDER,
        "Aged 12 or under, with sexual acts",
        "The imagery involves sexual acts and a young person involved is under 13 (aged 12 or under).",
    ),
    _CRITERION_WORDING[IMMEDIATE_RISK_OF_HARM],
)


_NATIONAL_COMBINATION = (
    "Any one of these criteria is enough for an immediate referral to the police "
    "and/or children's social care, whatever the classification. Age alone is not: a "
    "young person under 13 leads to an immediate referral only when the imagery "
    "involves sexual acts. When none holds, the setting may manage the incident "
    "itself after assessing the risks, and may escalate at any time."
)

_UKCIS_2024_DESCRIPTION = RuleSetDescription(
    name=UKCIS_2024,
    title="Sharing nudes and semi-nudes (UKCIS, 2024)",
    source=Source(
        document=("Sharing nudes and semi-nudes: advice for education settings working with children and young people"),
        publisher="UK Council for Internet Safety (UKCIS)",
        year=2024,
        edition="first published 2020, updated 2024",
    ),
    summary=(
        "The current national advice: the DSL refers to the police and/or children's "
        "social care at once when any of five criteria holds, whatever the "
        "classification; otherwise the setting may manage the incident after "
        "assessing the risks."
    ),
    criteria=_NATIONAL_CRITERIA,
    combination=_NATIONAL_COMBINATION,
    departs_from_national=(),
)

_UKCCIS_2016_DESCRIPTION = RuleSetDescription(
    name=UKCCIS_2016,
    title="Sexting in schools and colleges (UKCCIS, 2016)",
    source=Source(
        document=("Sexting in schools and colleges: responding to incidents and safeguarding young people"),
        publisher="UK Council for Child Internet Safety (UKCCIS)",
        year=2016,
    ),
    summary=(
        "The national advice of 2016: the DSL refers to the police and/or children's "
        "social care at once when any of five criteria holds, whatever the "
        "classification; otherwise the setting may manage the incident after "
        "assessing the risks."
    ),
    criteria=_NATIONAL_CRITERIA,
    combination=_NATIONAL_COMBINATION,
    departs_from_national=(
        'It has been replaced by "Sharing nudes and semi-nudes" (UKCIS, 2020, '
        "updated 2024). The immediate-referral criteria are the same in substance, so "
        "decisions do not change.",
        "It predates the current advice on AI-generated or digitally altered imagery "
        "(treated exactly as real imagery) and on financially motivated sexual "
        "extortion (a young person blackmailed for money or more images).",
    ),
)


# --- The rule sets --------------------------------------------------------------------


@dataclass(frozen=True)
class _RuleSet:
    description: RuleSetDescription
    # The criteria that call for an immediate referral for these findings; empty means
    # none do.
    triggers: Callable[[_Findings], tuple[str, ...]]


_RULE_SETS: dict[str, _RuleSet] = {
    WOLVERHAMPTON_2016: _RuleSet(_WOLVERHAMPTON_DESCRIPTION, _wolverhampton_triggers),
    UKCIS_2024: _RuleSet(_UKCIS_2024_DESCRIPTION, _national_triggers),
    UKCCIS_2016: _RuleSet(_UKCCIS_2016_DESCRIPTION, _national_triggers),
}


def _rule_set(name: str) -> _RuleSet:
    try:
        return _RULE_SETS[name]
    except KeyError:
        raise ValueError(f"Unknown rule set {name!r}: expected one of {', '.join(RULE_SETS)}.") from None


def describe_rule_set(rule_set: str) -> RuleSetDescription:
    """The rule set in words, to print in the setting's policy and beside decisions."""
    return _rule_set(rule_set).description


# --- Assessing ------------------------------------------------------------------------


def assess(facts: Facts, rule_set: str = DEFAULT_RULE_SET) -> Assessment:
    """What `rule_set` recommends for `facts`, with its reasons and what is unknown."""
    rules = _rule_set(rule_set)
    findings = _find(facts)
    triggers = rules.triggers(findings)
    refer_immediately = bool(triggers)
    national_triggers = _RULE_SETS[NATIONAL_RULE_SET].triggers(findings)

    if rule_set == WOLVERHAMPTON_2016:
        recommendation, decision, quotes = _wolverhampton_decision(findings, triggers)
    else:
        recommendation, decision, quotes = _national_decision(findings, triggers, rules)

    advisories = [
        *_classification_advisories(findings),
        *_national_advisories(rule_set, triggers, national_triggers),
    ]
    if findings.criteria and not refer_immediately:
        advisories.append(
            f"{_and_list(tuple(CRITERION_LABELS[c] for c in findings.criteria))} "
            f"{'is' if len(findings.criteria) == 1 else 'are'} met, but under this "
            "rule set that alone does not call for an immediate referral. If in doubt, "
            "seek the MASH's advice."
        )

    return Assessment(
        rule_set=rule_set,
        classification=findings.classification,
        refer_immediately=refer_immediately,
        recommendation=recommendation,
        criteria=findings.criteria,
        explanation=(
            _classification_sentence(findings),
            *_criteria_sentences(findings),
            *decision,
        ),
        advisories=tuple(advisories),
        unanswered=_unanswered(findings, rule_set, refer_immediately, recommendation),
        aggravating_facts=findings.aggravating_facts,
        national_refer_immediately=bool(national_triggers),
        policy_quotes=quotes,
    )


def _wolverhampton_decision(
    findings: _Findings, triggers: tuple[str, ...]
) -> tuple[str, tuple[str, ...], tuple[PolicyQuote, ...]]:
    if triggers and findings.classification != AGGRAVATED:
        return (
            REFER_IMMEDIATELY,
            (
                "Refer immediately: a young person is at risk of harm, and the policy "
                "says that at any point a referral is then made immediately, whatever "
                "the classification.",
            ),
            (_QUOTE_ANY_POINT,),
        )
    if triggers:
        quotes: tuple[PolicyQuote, ...] = (_QUOTE_AGGRAVATED_AND,)
        if IMMEDIATE_RISK_OF_HARM in triggers:
            quotes += (_QUOTE_ANY_POINT,)
        return (
            REFER_IMMEDIATELY,
            (
                "Refer immediately: the incident is aggravated and meets "
                f"{_count(len(triggers), 'criterion', 'criteria')} for an immediate "
                "referral to the MASH.",
            ),
            quotes,
        )
    if findings.classification == AGGRAVATED:
        return (
            REFER,
            (
                "The incident is aggravated but meets none of the criteria for an immediate referral.",
                "Refer to the MASH (and/or police): the policy says that "
                '"any incidents with aggravating factors ... will be referred to the '
                'MASH (and/or police)".',
                "Managing it in the setting instead needs a written justification, "
                "which is flagged for the headteacher.",
            ),
            (_QUOTE_AGGRAVATING_FACTORS, _QUOTE_SIGN_OFF),
        )
    if findings.classification == EXPERIMENTAL:
        return (
            MANAGE_IN_SETTING,
            (
                "The incident is experimental and no young person is known to be at "
                "risk of harm, so the policy lets the setting manage it, after "
                "assessing the risks.",
                "A decision not to refer is recorded with its reason and signed off "
                "by the headteacher; the setting can still refer at any time if "
                "concerns come to light.",
            ),
            (_QUOTE_EXPERIMENTAL, _QUOTE_SIGN_OFF),
        )
    sentences = [
        "Decide first whether the incident is experimental or aggravated: under this "
        "policy the decision to refer depends on it."
    ]
    if findings.criteria:
        sentences.append("If it is aggravated, the criteria met mean an immediate referral to the MASH.")
    return CLASSIFY_FIRST, tuple(sentences), (_QUOTE_AGGRAVATED_AND,)


def _national_decision(
    findings: _Findings, triggers: tuple[str, ...], rules: _RuleSet
) -> tuple[str, tuple[str, ...], tuple[PolicyQuote, ...]]:
    title = rules.description.title
    if triggers:
        reasons = _and_list(tuple(CRITERION_LABELS[code].lower() for code in triggers))
        sentences = [
            "Refer immediately to the police and/or children's social care: "
            f"{title} refers on any one of its criteria, whatever the classification, "
            f"and this incident meets {_count(len(triggers), 'criterion', 'criteria')} "
            f"({reasons})."
        ]
        if AGED_12_OR_UNDER in triggers:
            sentences.append(
                "A young person involved is under 13 and what is known suggests the imagery involves sexual acts."
            )
        return REFER_IMMEDIATELY, tuple(sentences), ()
    sentences = [
        f"None of the criteria for an immediate referral in {title} is met, so the "
        "setting may manage the incident itself, after assessing the risks, and may "
        "escalate at any time."
    ]
    if AGED_12_OR_UNDER in findings.criteria:
        sentences.append(
            "A young person involved is 12 or under, but nothing known suggests the "
            "imagery involves sexual acts: only together do they call for an "
            "immediate referral."
        )
    if HIGH_RISK_13_TO_17 in findings.criteria:
        sentences.append(
            "The risk assessment found the risk high; this advice has no "
            "immediate-referral criterion for that, so weigh whether the risk can be "
            "managed in the setting."
        )
    return MANAGE_IN_SETTING, tuple(sentences), ()


def _classification_sentence(findings: _Findings) -> str:
    declared = findings.facts.classification
    reasons = _and_list(tuple(AGGRAVATING_FACT_LABELS[name] for name in findings.aggravating_facts))
    if findings.aggravating_facts and declared == EXPERIMENTAL:
        return f"The incident was recorded as experimental, but the facts make it aggravated: {reasons}."
    if findings.aggravating_facts and declared is None:
        return (
            "The incident has not yet been judged experimental or aggravated, but the "
            f"facts make it aggravated: {reasons}."
        )
    if findings.aggravating_facts:
        return f"The incident has been judged aggravated, and the facts bear this out: {reasons}."
    if declared == AGGRAVATED:
        return "The incident has been judged aggravated."
    if declared == EXPERIMENTAL:
        return "The incident has been judged experimental, and no aggravating fact is recorded."
    return "The incident has not yet been judged experimental or aggravated."


def _criteria_sentences(findings: _Findings) -> tuple[str, ...]:
    if not findings.criteria:
        return ("None of the criteria for an immediate referral is met.",)
    return tuple(_criterion_finding(code, findings.facts) for code in findings.criteria)


def _classification_advisories(findings: _Findings) -> tuple[str, ...]:
    declared = findings.facts.classification
    if findings.aggravating_facts and declared == EXPERIMENTAL:
        reasons = _and_list(tuple(AGGRAVATING_FACT_LABELS[name] for name in findings.aggravating_facts))
        return (
            f"The incident is recorded as experimental, but {reasons}, which makes it "
            "aggravated. Record it as aggravated.",
        )
    if findings.aggravating_facts and declared is None:
        return (
            "No classification has been recorded, but the facts make the incident aggravated. Record it as aggravated.",
        )
    if declared is None:
        return (
            "The incident has not yet been judged experimental or aggravated; this "
            "must be decided at the initial review.",
        )
    return ()


def _national_advisories(
    rule_set: str, triggers: tuple[str, ...], national_triggers: tuple[str, ...]
) -> tuple[str, ...]:
    if rule_set == NATIONAL_RULE_SET or bool(triggers) == bool(national_triggers):
        return ()
    national = _RULE_SETS[NATIONAL_RULE_SET].description.title
    setting = _RULE_SETS[rule_set].description.title
    if national_triggers:
        reasons = _and_list(tuple(CRITERION_LABELS[code].lower() for code in national_triggers))
        return (
            f"The current national advice, {national}, would refer this incident to "
            "the police and/or children's social care immediately because of "
            f"{reasons}; the setting's rule set, {setting}, does not. The DSL may "
            "decide to refer anyway.",
        )
    return (
        f"The setting's rule set, {setting}, refers this incident immediately; the "
        f"current national advice, {national}, would not. The setting's own policy "
        "goes further, and applies.",
    )


def _unanswered(findings: _Findings, rule_set: str, refer_immediately: bool, recommendation: str) -> tuple[str, ...]:
    facts = findings.facts
    questions: list[str] = []
    if facts.classification is None:
        questions.append("Is the incident experimental or aggravated?")
    if not facts.ages:
        questions.append(
            "How old was each young person involved? No age is recorded yet, so the age criteria cannot be checked."
        )
    if (
        rule_set == WOLVERHAMPTON_2016
        and facts.risk_level is None
        and not refer_immediately
        and findings.classification != EXPERIMENTAL
        and _involves_older_young_person(facts)
    ):
        condition = (
            "the incident is aggravated, so if the risk is high"
            if findings.classification == AGGRAVATED
            else "if the incident is aggravated and the risk is high"
        )
        questions.append(
            "What does the risk assessment find? A young person aged 13 to 17 is "
            f"involved and {condition}, the policy requires an immediate referral."
        )
    elif facts.risk_level is None and recommendation == MANAGE_IN_SETTING:
        questions.append(
            "What does the risk assessment find? The risks must be assessed before "
            "the incident is managed in the setting."
        )
    return tuple(questions)


# --- Wording helpers ------------------------------------------------------------------


def _and_list(items: tuple[str, ...]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _or_list(items: tuple[str, ...]) -> str:
    quoted = tuple(repr(item) for item in items)
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _count(number: int, singular: str, plural: str) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six")
    word = words[number] if number < len(words) else str(number)
    return f"{word} {singular if number == 1 else plural}"
