"""The assembled policy document: every section, the chosen values, the rule set's own criteria. No database."""

import re
from pathlib import Path

import pytest

from incidents import rules
from incidents.policy_document import (
    BOX,
    GUIDANCE_COVERAGE,
    OPTIONAL_VALUES,
    REQUIRED_SECTIONS,
    SECTION_TITLES,
    VALUE_LABELS,
    Document,
    Gap,
    PolicyValues,
    assemble,
    fill,
    text_str,
)

REFERENCE = Path("/work/shared/reference/ypsi-policy-guidance.txt")

COMPLETE = PolicyValues(
    setting_name="Oakfield Academy",
    place="school",
    child="student",
    dsl="Dana Tester",
    deputies=("Owen Tester", "Olu Adebayo"),
    headteacher="Helen Tester",
    mash_phone="01632 960 500",
    mash_email="mash@example.org",
    police_phone="101",
    lado_phone="01632 960 501",
    lado_email="lado@example.org",
    curriculum="our PSHE programme and computing lessons",
    rule_set=rules.WOLVERHAMPTON_2016,
    next_review="25 November 2027",
    local_additions={"disclosures": "Staff may also use the green worry box outside the library."},
)


def section(document: Document, key: str):
    return next(s for s in document.sections if s.key == key)


def section_text(document: Document, key: str) -> str:
    return "\n".join(text_str(line) for block in section(document, key).blocks for line in block.lines)


def test_it_has_every_required_section_in_order():
    document = assemble(COMPLETE)
    assert tuple(s.key for s in document.sections) == REQUIRED_SECTIONS
    assert [s.number for s in document.sections] == list(range(1, len(REQUIRED_SECTIONS) + 1))
    for s in document.sections:
        assert s.title == SECTION_TITLES[s.key]
        assert s.blocks, f"section {s.key} is empty"


def test_every_heading_of_the_reference_guidance_is_covered_by_a_section():
    reference = REFERENCE.read_text()
    keys = {s.key for s in assemble(COMPLETE).sections}
    for heading, key in GUIDANCE_COVERAGE.items():
        assert heading in reference, f"{heading!r} is not in the reference: the coverage map is stale"
        assert key in keys


def test_it_covers_what_the_issue_names():
    text = assemble(COMPLETE).plain_text()
    for phrase in (
        "initial review meeting",
        "experimental or aggravated",
        "Assessing the risks",
        "Parents or carers are told",
        "Searching, screening and confiscation",
        "Staff do not view youth produced sexual imagery",
        "never copies, prints, shares",
        "delete the imagery themselves",
        "solutions",
        "Ofsted",
        "Report Remove",
        "emotionally safe classroom",
        "Every member of staff, including those who do not teach",
        "outcome 21",
    ):
        assert phrase in text, phrase


def test_it_prints_the_chosen_values_and_no_placeholder():
    document = assemble(COMPLETE)
    text = document.plain_text()
    assert document.gaps() == ()
    assert "not yet filled in" not in text
    assert not re.search(r"\{\w+\}", text)
    assert "XXXX" not in text
    for value in (
        "Oakfield Academy",
        "Dana Tester",
        "Owen Tester and Olu Adebayo",
        "Helen Tester",
        "01632 960 500",
        "mash@example.org",
        "01632 960 501",
        "lado@example.org",
        "our PSHE programme and computing lessons",
        "25 November 2027",
        "students",
    ):
        assert value in text, value
    assert document.title == "Oakfield Academy: youth produced sexual imagery policy"


def test_local_additions_are_printed_under_their_section_as_typed():
    document = assemble(COMPLETE)
    local = [b for b in section(document, "disclosures").blocks if b.kind == "local"]
    assert [text_str(line) for line in local[0].lines] == [
        "Staff may also use the green worry box outside the library."
    ]


def test_local_additions_with_braces_are_not_read_as_values():
    document = assemble(PolicyValues(**{**COMPLETE.__dict__, "local_additions": {"education": "Use {curly} words"}}))
    assert "Use {curly} words" in section_text(document, "education")


def test_missing_values_become_gaps_listed_once_each():
    document = assemble(PolicyValues())
    keys = [gap.key for gap in document.gaps()]
    required = set(VALUE_LABELS) - OPTIONAL_VALUES - {"place", "child", "children", "police_phone"}
    assert set(keys) == required
    assert len(keys) == len(set(keys))
    assert "[not yet filled in: Designated Safeguarding Lead]" in document.plain_text()


def test_optional_values_leave_no_gap():
    values = PolicyValues(**{**COMPLETE.__dict__, "deputies": (), "mash_email": "", "lado_email": ""})
    document = assemble(values)
    assert document.gaps() == ()
    assert "No deputy DSL is named" in document.plain_text()


def test_fill_marks_an_empty_value_as_a_gap():
    assert fill("Call {dsl} now", {"dsl": ""}) == ("Call ", Gap("dsl", VALUE_LABELS["dsl"]), " now")
    assert fill("Call {dsl} now", {"dsl": "Dana"}) == ("Call Dana now",)
    with pytest.raises(KeyError):
        fill("{nobody}", {})


@pytest.mark.parametrize("rule_set", rules.RULE_SETS)
def test_the_criteria_printed_are_the_rules_modules_own(rule_set):
    description = rules.describe_rule_set(rule_set)
    document = assemble(PolicyValues(**{**COMPLETE.__dict__, "rule_set": rule_set}))
    text = section_text(document, "referral-criteria")
    for criterion in description.criteria:
        assert criterion.wording in text
    assert description.combination in text
    assert description.title in text
    assert str(description.source) in text


def test_changing_the_rule_set_changes_the_printed_criteria():
    local = assemble(COMPLETE)
    national = assemble(PolicyValues(**{**COMPLETE.__dict__, "rule_set": rules.NATIONAL_RULE_SET}))
    local_text = section_text(local, "referral-criteria")
    national_text = section_text(national, "referral-criteria")
    assert local_text != national_text
    only_local = {c.wording for c in rules.describe_rule_set(rules.WOLVERHAMPTON_2016).criteria} - {
        c.wording for c in rules.describe_rule_set(rules.NATIONAL_RULE_SET).criteria
    }
    assert only_local
    for wording in only_local:
        assert wording in local_text
        assert wording not in national_text


@pytest.mark.parametrize("rule_set", rules.RULE_SETS)
def test_a_marked_box_says_when_the_rule_set_departs_from_national_advice(rule_set):
    description = rules.describe_rule_set(rule_set)
    document = assemble(PolicyValues(**{**COMPLETE.__dict__, "rule_set": rule_set}))
    boxes = [b for b in section(document, "referral-criteria").blocks if b.kind == BOX]
    assert document.departs_from_national == bool(description.departs_from_national)
    if description.departs_from_national:
        assert len(boxes) == 1
        box_text = [text_str(line) for line in boxes[0].lines]
        for difference in description.departs_from_national:
            assert difference in box_text
    else:
        assert boxes == []


def test_the_summary_says_what_to_do_what_never_to_do_and_how_to_report():
    summary = assemble(COMPLETE).summary
    assert any("Dana Tester" in text_str(line) for line in summary.do)
    assert any("Never look at" in text_str(line) for line in summary.never)
    assert any("whether or not you have read this policy" in text_str(line) for line in summary.report)


def test_it_survives_a_round_trip_through_json():
    for values in (COMPLETE, PolicyValues()):
        document = assemble(values)
        assert Document.from_json(document.to_json()) == document


def test_the_wording_is_our_own_not_a_copy_of_the_reference():
    """No run of twelve words is taken from the reference except inside a marked quotation.

    The criteria printed from the rules module are that module's wording and are checked there;
    the list of further guidance cites documents by their titles."""
    description = rules.describe_rule_set(COMPLETE.rule_set)
    from_rules = {c.wording for c in description.criteria} | {description.combination, description.summary}
    reference_words = re.findall(r"[a-z0-9']+", REFERENCE.read_text().lower().replace("\u2019", "'"))
    runs = {" ".join(reference_words[i : i + 12]) for i in range(len(reference_words) - 11)}
    document = assemble(COMPLETE)
    for s in document.sections:
        if s.key == "further":
            continue
        for block in s.blocks:
            if block.kind == "quote":
                continue
            for line in block.lines:
                if text_str(line) in from_rules:
                    continue
                words = re.findall(r"[a-z0-9']+", text_str(line).lower().replace("\u2019", "'"))
                for i in range(len(words) - 11):
                    assert " ".join(words[i : i + 12]) not in runs, (s.key, text_str(line))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"place": "academy"}, "Unknown word for the setting"),
        ({"child": "kid"}, "Unknown word for a child"),
        ({"rule_set": "nowhere-1999"}, "Unknown rule set"),
        ({"local_additions": {"nowhere": "x"}}, "unknown sections"),
    ],
)
def test_it_refuses_values_nobody_could_mean(changes, message):
    with pytest.raises(ValueError, match=message):
        PolicyValues(**changes)
