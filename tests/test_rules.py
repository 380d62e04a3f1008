"""The referral rules: facts in, a recommendation and its reasons out. No database."""

import dataclasses
import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.rules import (
    ADULT_INVOLVED,
    AGED_12_OR_UNDER,
    AGGRAVATED,
    AGGRAVATING_FACTS,
    CLASSIFICATIONS,
    CLASSIFY_FIRST,
    COERCION_OR_CAPACITY,
    CRITERIA,
    CRITERION_LABELS,
    DEFAULT_RULE_SET,
    EFFECTIVE_CLASSIFICATIONS,
    EXPERIMENTAL,
    HIGH,
    HIGH_RISK_13_TO_17,
    IMMEDIATE_RISK_OF_HARM,
    MANAGE_IN_SETTING,
    NATIONAL_RULE_SET,
    RECOMMENDATIONS,
    REFER,
    REFER_IMMEDIATELY,
    RISK_LEVELS,
    RULE_SETS,
    SEXTORTION_FAST_PATH,
    UKCCIS_2016,
    UKCIS_2024,
    UNCLASSIFIED,
    UNUSUAL_OR_VIOLENT_CONTENT,
    WOLVERHAMPTON_2016,
    Assessment,
    Facts,
    assess,
    describe_rule_set,
    with_sextortion,
)

NATIONAL_RULE_SETS = (UKCIS_2024, UKCCIS_2016)
FLAGS = tuple(
    field.name for field in dataclasses.fields(Facts) if field.name not in ("ages", "classification", "risk_level")
)
# What each criterion needs on its own, in an aggravated incident with a 15-year-old.
# The age criterion brings sexual acts along because the national advice needs both.
ONLY_CRITERION: dict[str, dict[str, object]] = {
    AGED_12_OR_UNDER: {"ages": (12,), "depicts_sexual_acts": True},
    ADULT_INVOLVED: {"adult_involved": True},
    HIGH_RISK_13_TO_17: {"risk_level": HIGH},
    COERCION_OR_CAPACITY: {"capacity_to_consent_concern": True},
    UNUSUAL_OR_VIOLENT_CONTENT: {"unusual_or_violent_content": True},
    IMMEDIATE_RISK_OF_HARM: {"immediate_risk_of_harm": True},
}


def facts(**values: object) -> Facts:
    values.setdefault("ages", (15,))
    return Facts(**values)  # type: ignore[arg-type]


def explained(assessment: Assessment) -> str:
    return " ".join(assessment.explanation)


# --- The vocabulary -------------------------------------------------------------------


def test_it_names_the_three_rule_sets_with_wolverhampton_as_default():
    assert RULE_SETS == ("wolverhampton-2016", "ukcis-2024", "ukccis-2016")
    assert DEFAULT_RULE_SET == "wolverhampton-2016"
    assert NATIONAL_RULE_SET == "ukcis-2024"
    assert assess(facts()).rule_set == DEFAULT_RULE_SET


def test_it_lists_the_criteria_in_the_policys_order_with_a_label_each():
    assert CRITERIA == (
        "aged_12_or_under",
        "adult_involved",
        "high_risk_13_to_17",
        "coercion_or_capacity",
        "unusual_or_violent_content",
        "immediate_risk_of_harm",
    )
    assert tuple(CRITERION_LABELS) == CRITERIA
    assert all(CRITERION_LABELS.values())


def test_it_lists_the_allowed_values():
    assert CLASSIFICATIONS == ("experimental", "aggravated")
    assert set(EFFECTIVE_CLASSIFICATIONS) == {
        "aggravated",
        "experimental",
        "unclassified",
    }
    assert RISK_LEVELS == ("low", "medium", "high")
    assert RECOMMENDATIONS == (
        "refer_immediately",
        "refer",
        "manage_in_setting",
        "classify_first",
    )


# --- Criteria -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "criteria"),
    [
        ({"ages": (12,)}, (AGED_12_OR_UNDER,)),
        ({"ages": (0,)}, (AGED_12_OR_UNDER,)),
        ({"ages": (13,)}, ()),
        ({"ages": (17,)}, ()),
        ({"ages": (16, 12)}, (AGED_12_OR_UNDER,)),
        ({"adult_involved": True}, (ADULT_INVOLVED,)),
        ({"ages": (13,), "risk_level": "high"}, (HIGH_RISK_13_TO_17,)),
        ({"ages": (17,), "risk_level": "high"}, (HIGH_RISK_13_TO_17,)),
        ({"ages": (12,), "risk_level": "high"}, (AGED_12_OR_UNDER,)),
        ({"ages": (), "risk_level": "high"}, ()),
        ({"ages": (13,), "risk_level": "medium"}, ()),
        ({"ages": (17,), "risk_level": "low"}, ()),
        ({"coerced_blackmailed_or_groomed": True}, (COERCION_OR_CAPACITY,)),
        ({"capacity_to_consent_concern": True}, (COERCION_OR_CAPACITY,)),
        ({"unusual_or_violent_content": True}, (UNUSUAL_OR_VIOLENT_CONTENT,)),
        ({"immediate_risk_of_harm": True}, (IMMEDIATE_RISK_OF_HARM,)),
        ({"shared_without_consent": True}, ()),
        ({"malicious_intent": True}, ()),
        ({"depicts_sexual_acts": True}, ()),
        (
            {
                "ages": (11, 14),
                "risk_level": "high",
                **{flag: True for flag in FLAGS},
            },
            CRITERIA,
        ),
    ],
)
@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_it_lists_every_criterion_met_whatever_the_rule_set(values, criteria, rule_set):
    assert assess(facts(**values), rule_set).criteria == criteria


@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_it_names_each_criterion_met_in_the_explanation(rule_set):
    everything = facts(ages=(11, 14), risk_level="high", **{flag: True for flag in FLAGS})

    explanation = explained(assess(everything, rule_set))

    for code in CRITERIA:
        assert CRITERION_LABELS[code] in explanation


def test_it_says_so_when_no_criterion_is_met():
    assessment = assess(facts(classification=EXPERIMENTAL))

    assert "None of the criteria for an immediate referral is met." in (assessment.explanation)


# --- Ages -----------------------------------------------------------------------------


@pytest.mark.parametrize("age", [0, 12, 13, 17])
def test_it_accepts_every_age_under_18(age):
    assert Facts(ages=(age,)).ages == (age,)


@pytest.mark.parametrize("ages", [(18,), (-1,), (12, 18), (True,), ("12",), (12.5,)])
def test_it_refuses_an_age_that_is_not_a_childs(ages):
    with pytest.raises(ValueError, match="[Aa]ge"):
        Facts(ages=ages)


def test_it_suggests_recording_an_adult_when_given_an_age_of_18():
    with pytest.raises(ValueError, match="adult involved"):
        Facts(ages=(18,))


def test_it_keeps_ages_given_as_a_list_as_a_tuple():
    assert Facts(ages=[12, 14]).ages == (12, 14)  # type: ignore[arg-type]


@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_it_asks_for_the_ages_when_none_is_recorded(rule_set):
    assessment = assess(Facts(ages=(), classification=EXPERIMENTAL), rule_set)

    assert AGED_12_OR_UNDER not in assessment.criteria
    assert any("How old" in question for question in assessment.unanswered)


# --- Invalid facts and rule sets ------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"classification": "consensual"},
        {"classification": "Aggravated"},
        {"classification": UNCLASSIFIED},
        {"risk_level": "severe"},
        {"risk_level": "High"},
        {"adult_involved": "yes"},
        {"immediate_risk_of_harm": 1},
        {"ages": 12},
    ],
)
def test_it_refuses_values_the_policy_does_not_know(values):
    with pytest.raises(ValueError):
        facts(**values)


def test_it_refuses_an_unknown_rule_set_by_name():
    with pytest.raises(ValueError, match="Unknown rule set 'ukcis-2020'.*wolverhampton-2016"):
        assess(facts(), "ukcis-2020")


def test_it_refuses_to_describe_an_unknown_rule_set():
    with pytest.raises(ValueError, match="Unknown rule set"):
        describe_rule_set("")


# --- Effective classification ---------------------------------------------------------


@pytest.mark.parametrize("aggravating_fact", AGGRAVATING_FACTS)
@pytest.mark.parametrize("declared", [EXPERIMENTAL, None, AGGRAVATED])
def test_each_aggravating_fact_makes_the_incident_aggravated(aggravating_fact, declared):
    assessment = assess(facts(classification=declared, **{aggravating_fact: True}))

    assert assessment.classification == AGGRAVATED
    assert assessment.aggravating_facts == (aggravating_fact,)


@pytest.mark.parametrize("aggravating_fact", AGGRAVATING_FACTS)
def test_it_says_plainly_when_the_facts_overturn_an_experimental_classification(
    aggravating_fact,
):
    assessment = assess(facts(classification=EXPERIMENTAL, **{aggravating_fact: True}))

    assert "recorded as experimental, but the facts make it aggravated" in assessment.explanation[0]
    assert any("Record it as aggravated" in advice for advice in assessment.advisories)


@pytest.mark.parametrize(
    "flag",
    [
        "capacity_to_consent_concern",
        "unusual_or_violent_content",
        "depicts_sexual_acts",
        "immediate_risk_of_harm",
    ],
)
def test_other_facts_leave_an_experimental_incident_experimental(flag):
    assessment = assess(facts(classification=EXPERIMENTAL, **{flag: True}))

    assert assessment.classification == EXPERIMENTAL
    assert assessment.aggravating_facts == ()


@pytest.mark.parametrize(
    ("declared", "effective"),
    [(None, UNCLASSIFIED), (EXPERIMENTAL, EXPERIMENTAL), (AGGRAVATED, AGGRAVATED)],
)
def test_without_aggravating_facts_the_declared_classification_stands(declared, effective):
    assert assess(facts(classification=declared)).classification == effective


@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_it_says_an_unjudged_classification_must_be_decided(rule_set):
    assessment = assess(facts(), rule_set)

    assert "Is the incident experimental or aggravated?" in assessment.unanswered
    assert any("must be decided" in advice for advice in assessment.advisories)


def test_it_asks_to_record_a_classification_the_facts_already_settle():
    assessment = assess(facts(malicious_intent=True))

    assert assessment.classification == AGGRAVATED
    assert "Is the incident experimental or aggravated?" in assessment.unanswered
    assert any("Record it as aggravated" in advice for advice in assessment.advisories)


# --- wolverhampton-2016 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "refer_immediately", "recommendation"),
    [
        # Aggravated AND a criterion.
        ({"classification": AGGRAVATED, "ages": (12,)}, True, REFER_IMMEDIATELY),
        ({"classification": AGGRAVATED, "ages": (13,)}, False, REFER),
        ({"classification": AGGRAVATED, "risk_level": "high"}, True, REFER_IMMEDIATELY),
        ({"classification": AGGRAVATED, "risk_level": "medium"}, False, REFER),
        (
            {"classification": AGGRAVATED, "unusual_or_violent_content": True},
            True,
            REFER_IMMEDIATELY,
        ),
        (
            {"classification": AGGRAVATED, "capacity_to_consent_concern": True},
            True,
            REFER_IMMEDIATELY,
        ),
        # An adult, or coercion, is both an aggravating fact and a criterion.
        (
            {"classification": EXPERIMENTAL, "adult_involved": True},
            True,
            REFER_IMMEDIATELY,
        ),
        (
            {"classification": None, "coerced_blackmailed_or_groomed": True},
            True,
            REFER_IMMEDIATELY,
        ),
        # Aggravated by the facts, with no criterion: refer, but not at once.
        (
            {"classification": EXPERIMENTAL, "shared_without_consent": True},
            False,
            REFER,
        ),
        ({"classification": None, "malicious_intent": True}, False, REFER),
        # Criteria met by an experimental incident do not refer it at once...
        ({"classification": EXPERIMENTAL, "ages": (12,)}, False, MANAGE_IN_SETTING),
        (
            {"classification": EXPERIMENTAL, "unusual_or_violent_content": True},
            False,
            MANAGE_IN_SETTING,
        ),
        (
            {"classification": EXPERIMENTAL, "capacity_to_consent_concern": True},
            False,
            MANAGE_IN_SETTING,
        ),
        (
            {"classification": EXPERIMENTAL, "ages": (17,), "risk_level": "high"},
            False,
            MANAGE_IN_SETTING,
        ),
        # ...except an immediate risk of harm, whatever the classification.
        (
            {"classification": EXPERIMENTAL, "immediate_risk_of_harm": True},
            True,
            REFER_IMMEDIATELY,
        ),
        (
            {"classification": None, "immediate_risk_of_harm": True},
            True,
            REFER_IMMEDIATELY,
        ),
        ({"classification": EXPERIMENTAL}, False, MANAGE_IN_SETTING),
        ({"classification": None}, False, CLASSIFY_FIRST),
        ({"classification": None, "ages": (12,)}, False, CLASSIFY_FIRST),
    ],
)
def test_wolverhampton_refers_aggravated_incidents_that_meet_a_criterion(values, refer_immediately, recommendation):
    assessment = assess(facts(**values), WOLVERHAMPTON_2016)

    assert assessment.refer_immediately is refer_immediately
    assert assessment.recommendation == recommendation


def test_it_refers_an_aggravated_incident_with_no_criterion_quoting_the_policy():
    assessment = assess(facts(classification=AGGRAVATED), WOLVERHAMPTON_2016)

    assert assessment.recommendation == REFER
    assert "any incidents with aggravating factors ... will be referred to the MASH" in (explained(assessment))
    assert "written justification" in explained(assessment)
    assert "headteacher" in explained(assessment)
    assert any(
        "aggravating factors" in quote.text and "Wolverhampton" in quote.source for quote in assessment.policy_quotes
    )


def test_it_refers_a_young_person_at_risk_of_harm_whatever_the_classification():
    assessment = assess(
        facts(classification=EXPERIMENTAL, immediate_risk_of_harm=True),
        WOLVERHAMPTON_2016,
    )

    assert assessment.criteria == (IMMEDIATE_RISK_OF_HARM,)
    assert "whatever the classification" in explained(assessment)
    assert any("At any point" in quote.text for quote in assessment.policy_quotes)


def test_it_explains_that_an_unjudged_incident_meeting_a_criterion_would_be_referred():
    assessment = assess(facts(ages=(12,)), WOLVERHAMPTON_2016)

    assert assessment.recommendation == CLASSIFY_FIRST
    assert "If it is aggravated" in explained(assessment)


def test_it_asks_for_a_risk_assessment_when_high_risk_would_decide():
    aggravated_15 = facts(ages=(15,), shared_without_consent=True)

    unassessed = assess(aggravated_15, WOLVERHAMPTON_2016)
    high = assess(dataclasses.replace(aggravated_15, risk_level=HIGH), WOLVERHAMPTON_2016)

    assert not unassessed.refer_immediately
    assert any("risk assessment" in question for question in unassessed.unanswered)
    assert high.refer_immediately
    assert not any("risk assessment" in question for question in high.unanswered)


@pytest.mark.parametrize(
    "values",
    [
        {"ages": (12, 15), "shared_without_consent": True},  # already referred at once
        {"ages": (15,), "classification": AGGRAVATED, "risk_level": "medium"},
    ],
)
def test_it_does_not_ask_for_a_risk_assessment_that_cannot_change_the_referral(values):
    assessment = assess(facts(**values), WOLVERHAMPTON_2016)

    assert not any("13 to 17" in question for question in assessment.unanswered)


def test_it_asks_for_the_risks_to_be_assessed_before_managing_in_the_setting():
    assessment = assess(facts(classification=EXPERIMENTAL), WOLVERHAMPTON_2016)

    assert assessment.recommendation == MANAGE_IN_SETTING
    assert any("risks must be assessed" in question for question in assessment.unanswered)
    assert "signed off by the headteacher" in explained(assessment)


def test_it_advises_seeking_the_mash_when_criteria_are_met_without_a_referral():
    assessment = assess(facts(classification=EXPERIMENTAL, ages=(12,)), WOLVERHAMPTON_2016)

    assert any("seek the MASH's advice" in advice for advice in assessment.advisories)


# --- ukcis-2024 and ukccis-2016 -------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "refer_immediately"),
    [
        ({"adult_involved": True}, True),
        ({"coerced_blackmailed_or_groomed": True}, True),
        ({"capacity_to_consent_concern": True}, True),
        ({"unusual_or_violent_content": True}, True),
        ({"immediate_risk_of_harm": True}, True),
        ({"ages": (12,), "depicts_sexual_acts": True}, True),
        ({"ages": (15, 12), "depicts_sexual_acts": True}, True),
        ({"ages": (12,)}, False),
        ({"ages": (13,), "depicts_sexual_acts": True}, False),
        ({"ages": (17,), "risk_level": "high"}, False),
        ({"shared_without_consent": True, "malicious_intent": True}, False),
        ({}, False),
    ],
)
@pytest.mark.parametrize("classification", [EXPERIMENTAL, AGGRAVATED, None])
@pytest.mark.parametrize("rule_set", NATIONAL_RULE_SETS)
def test_national_advice_refers_on_its_criteria_whatever_the_classification(
    values, refer_immediately, classification, rule_set
):
    assessment = assess(facts(classification=classification, **values), rule_set)

    assert assessment.refer_immediately is refer_immediately
    assert assessment.recommendation == (REFER_IMMEDIATELY if refer_immediately else MANAGE_IN_SETTING)


@pytest.mark.parametrize("rule_set", NATIONAL_RULE_SETS)
def test_national_advice_explains_that_age_alone_is_not_enough(rule_set):
    assessment = assess(facts(classification=EXPERIMENTAL, ages=(12,)), rule_set)

    assert "nothing known suggests the imagery involves sexual acts" in (explained(assessment))


@pytest.mark.parametrize("rule_set", NATIONAL_RULE_SETS)
def test_national_advice_names_the_criteria_it_refers_on(rule_set):
    assessment = assess(facts(unusual_or_violent_content=True), rule_set)

    assert "unusual or violent content" in explained(assessment)
    assert "whatever the classification" in explained(assessment)


# --- Disagreement with the national advice --------------------------------------------


def test_it_advises_when_the_national_advice_would_refer_and_the_setting_would_not():
    assessment = assess(
        facts(classification=EXPERIMENTAL, unusual_or_violent_content=True),
        WOLVERHAMPTON_2016,
    )

    assert not assessment.refer_immediately
    assert assessment.national_refer_immediately
    assert any(
        "national advice" in advice and "would refer" in advice and "refer anyway" in advice
        for advice in assessment.advisories
    )


def test_it_advises_when_the_setting_would_refer_and_the_national_advice_would_not():
    assessment = assess(
        facts(classification=AGGRAVATED, ages=(16,), risk_level=HIGH),
        WOLVERHAMPTON_2016,
    )

    assert assessment.refer_immediately
    assert not assessment.national_refer_immediately
    assert any("setting's rule set" in advice and "would not" in advice for advice in assessment.advisories)


@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_it_gives_no_national_advisory_when_both_agree(rule_set):
    assessment = assess(facts(classification=AGGRAVATED, adult_involved=True), rule_set)

    assert assessment.national_refer_immediately
    assert not any("national advice" in advice for advice in assessment.advisories)


# --- Describing rule sets -------------------------------------------------------------


@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_it_describes_each_rule_set_with_its_source(rule_set):
    description = describe_rule_set(rule_set)

    assert description.name == rule_set
    assert description.title
    assert description.summary
    assert description.combination
    assert description.source.document
    assert description.source.publisher
    assert 2010 < description.source.year <= 2024
    assert str(description.source.year) in str(description.source)
    codes = [criterion.code for criterion in description.criteria]
    assert len(codes) == len(set(codes))
    assert set(codes) <= set(CRITERIA)
    assert all(criterion.label and criterion.wording for criterion in description.criteria)


def test_it_describes_wolverhampton_as_aggravated_and_one_of_six_criteria():
    description = describe_rule_set(WOLVERHAMPTON_2016)

    assert tuple(criterion.code for criterion in description.criteria) == CRITERIA
    assert "aggravated AND at least one" in description.combination
    assert description.departs_from_national


@pytest.mark.parametrize("rule_set", NATIONAL_RULE_SETS)
def test_it_describes_the_national_advice_without_the_13_to_17_risk_criterion(rule_set):
    codes = {criterion.code for criterion in describe_rule_set(rule_set).criteria}

    assert codes == set(CRITERIA) - {HIGH_RISK_13_TO_17}


def test_only_rule_sets_other_than_the_national_advice_say_how_they_depart_from_it():
    assert describe_rule_set(NATIONAL_RULE_SET).departs_from_national == ()
    assert describe_rule_set(UKCCIS_2016).departs_from_national
    assert describe_rule_set(WOLVERHAMPTON_2016).departs_from_national


@pytest.mark.parametrize("code", CRITERIA)
@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_the_described_criteria_are_exactly_those_that_refer(rule_set, code):
    described = {criterion.code for criterion in describe_rule_set(rule_set).criteria}

    assessment = assess(facts(classification=AGGRAVATED, **ONLY_CRITERION[code]), rule_set)

    assert assessment.criteria == (code,)
    assert assessment.refer_immediately is (code in described)


# --- Properties over every combination ------------------------------------------------


def _with_flag(flag: str) -> Callable[[Facts], Facts]:
    return lambda before: dataclasses.replace(before, **{flag: True})  # type: ignore[arg-type]


def _declared_aggravated(before: Facts) -> Facts:
    return dataclasses.replace(before, classification=AGGRAVATED)


def _raised_risk(before: Facts) -> Facts:
    levels = (None, *RISK_LEVELS)
    higher = levels[min(levels.index(before.risk_level) + 1, len(levels) - 1)]
    return dataclasses.replace(before, risk_level=higher)


def _with_young_person_aged(age: int) -> Callable[[Facts], Facts]:
    return lambda before: dataclasses.replace(before, ages=(*before.ages, age))


# Every way of learning something worse about an incident, one step at a time.
WORSENINGS: tuple[Callable[[Facts], Facts], ...] = (
    *(_with_flag(flag) for flag in FLAGS),
    _declared_aggravated,
    _raised_risk,
)
REFERRALS = {REFER_IMMEDIATELY, REFER}

facts_strategy = st.builds(
    Facts,
    ages=st.lists(st.integers(min_value=0, max_value=17), max_size=4).map(tuple),
    classification=st.sampled_from((None, *CLASSIFICATIONS)),
    risk_level=st.sampled_from((None, *RISK_LEVELS)),
    **{flag: st.booleans() for flag in FLAGS},
)


@settings(database=None, max_examples=300, deadline=None)
@given(
    before=facts_strategy,
    worsen=st.sampled_from((*WORSENINGS, *(_with_young_person_aged(age) for age in (5, 12, 13, 17)))),
    rule_set=st.sampled_from(RULE_SETS),
)
def test_learning_something_worse_never_withdraws_a_referral(before, worsen, rule_set):
    was = assess(before, rule_set)
    now = assess(worsen(before), rule_set)

    if was.refer_immediately:
        assert now.refer_immediately
    if was.recommendation in REFERRALS:
        assert now.recommendation in REFERRALS


@settings(database=None, max_examples=300, deadline=None)
@given(some_facts=facts_strategy, rule_set=st.sampled_from(RULE_SETS))
def test_every_assessment_is_consistent_and_explained(some_facts, rule_set):
    assessment = assess(some_facts, rule_set)

    assert assessment.classification in EFFECTIVE_CLASSIFICATIONS
    assert assessment.recommendation in RECOMMENDATIONS
    assert assessment.refer_immediately is (assessment.recommendation == REFER_IMMEDIATELY)
    assert assessment.criteria == tuple(c for c in CRITERIA if c in assessment.criteria)
    assert assessment.explanation
    assert all(sentence.endswith(".") for sentence in assessment.explanation)
    assert assessment.national_refer_immediately is (assess(some_facts, NATIONAL_RULE_SET).refer_immediately)
    if rule_set != WOLVERHAMPTON_2016:
        assert assessment.recommendation in (REFER_IMMEDIATELY, MANAGE_IN_SETTING)


def test_no_combination_of_facts_withdraws_a_referral_when_something_worse_is_learnt():
    ages_options = ((), (12,), (13,), (17,), (12, 16))
    all_facts = [
        Facts(
            ages=ages,
            classification=classification,
            risk_level=risk_level,
            **dict(zip(FLAGS, flags, strict=True)),
        )
        for ages in ages_options
        for classification in (None, *CLASSIFICATIONS)
        for risk_level in (None, *RISK_LEVELS)
        for flags in itertools.product((False, True), repeat=len(FLAGS))
    ]
    for rule_set in RULE_SETS:
        results = {each: assess(each, rule_set) for each in all_facts}
        for each, worsen in itertools.product(all_facts, WORSENINGS):
            was, now = results[each], results[worsen(each)]
            if was.refer_immediately:
                assert now.refer_immediately, (rule_set, each, worsen)
            if was.recommendation in REFERRALS:
                assert now.recommendation in REFERRALS, (rule_set, each, worsen)


def test_the_two_national_rule_sets_never_disagree_on_a_referral():
    for flags in itertools.product((False, True), repeat=len(FLAGS)):
        for ages in ((), (12,), (15,)):
            some_facts = Facts(ages=ages, **dict(zip(FLAGS, flags, strict=True)))
            assert assess(some_facts, UKCIS_2024).refer_immediately is assess(some_facts, UKCCIS_2016).refer_immediately


# --- The 2024 national update ---------------------------------------------------------


@pytest.mark.parametrize("rule_set", RULE_SETS)
@pytest.mark.parametrize("classification", [EXPERIMENTAL, AGGRAVATED, None])
def test_financially_motivated_sextortion_is_blackmail_and_refers_at_once(rule_set, classification):
    some_facts = with_sextortion(Facts(ages=(15,), classification=classification))

    assert some_facts.coerced_blackmailed_or_groomed is True
    assessment = assess(some_facts, rule_set)
    assert assessment.refer_immediately is True
    assert COERCION_OR_CAPACITY in assessment.criteria


def test_the_sextortion_fast_path_says_refer_do_not_pay_keep_the_account_and_report_remove():
    text = " ".join(SEXTORTION_FAST_PATH)
    for words in ("Refer now", "not to pay", "do not delete the account", "CEOP", "Report Remove", "Take It Down"):
        assert words in text


# --- Boundary ages under every rule set -------------------------------------------------


@pytest.mark.parametrize(
    ("rule_set", "ages", "sexual_acts", "classification", "refer_immediately"),
    [
        # Wolverhampton: 12 or under refers an aggravated incident, sexual acts or not.
        (WOLVERHAMPTON_2016, (12,), False, AGGRAVATED, True),
        (WOLVERHAMPTON_2016, (13,), False, AGGRAVATED, False),
        (WOLVERHAMPTON_2016, (13,), True, AGGRAVATED, False),
        (WOLVERHAMPTON_2016, (17,), True, AGGRAVATED, False),
        (WOLVERHAMPTON_2016, (12,), True, EXPERIMENTAL, False),
        (WOLVERHAMPTON_2016, (13, 12), False, AGGRAVATED, True),
        # National advice: under 13 only with sexual acts, but then whatever the classification.
        (UKCIS_2024, (12,), False, AGGRAVATED, False),
        (UKCIS_2024, (12,), True, EXPERIMENTAL, True),
        (UKCIS_2024, (13,), True, AGGRAVATED, False),
        (UKCIS_2024, (17,), True, None, False),
        (UKCCIS_2016, (12,), True, None, True),
        (UKCCIS_2016, (12,), False, EXPERIMENTAL, False),
        (UKCCIS_2016, (13,), True, EXPERIMENTAL, False),
        (UKCCIS_2016, (17, 12), True, AGGRAVATED, True),
    ],
)
def test_the_age_boundary_at_13_under_each_rule_set(rule_set, ages, sexual_acts, classification, refer_immediately):
    some_facts = Facts(ages=ages, classification=classification, depicts_sexual_acts=sexual_acts)

    assert assess(some_facts, rule_set).refer_immediately is refer_immediately


@pytest.mark.parametrize("rule_set", RULE_SETS)
@pytest.mark.parametrize(("age", "meets"), [(12, False), (13, True), (17, True)])
def test_high_risk_counts_for_13_to_17_year_olds_only(rule_set, age, meets):
    assessment = assess(Facts(ages=(age,), classification=AGGRAVATED, risk_level=HIGH), rule_set)

    assert (HIGH_RISK_13_TO_17 in assessment.criteria) is meets


# --- Plain Python -----------------------------------------------------------------------


@pytest.mark.parametrize("module", ["rules", "completeness", "workflow", "dates"])
def test_the_policy_modules_import_nothing_from_django_or_the_app(module):
    import ast
    import importlib
    from pathlib import Path

    source = Path(importlib.import_module(f"incidents.{module}").__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    forbidden = {name for name in imported if name.split(".")[0] in ("django", "incidents") or name.startswith(".")}
    assert not forbidden, f"incidents/{module}.py imports {sorted(forbidden)}"
