"""The initial review and risk assessment pages ask what the policy asks, in its words; a decision
that departs from the rules is flagged for the headteacher even when it needs no sign-off."""

import html
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents import rules
from incidents.models import Decision, RiskAssessment
from incidents.services import decisions as svc
from tests.factories import InvolvementFactory, MembershipFactory, SettingFactory, UserFactory, YoungPersonFactory
from tests.test_decisions import ANSWERS

pytestmark = pytest.mark.django_db
POLICY = Path("/work/shared/reference/ypsi-policy-guidance.txt")
if not POLICY.exists():
    POLICY = Path(__file__).resolve().parents[2] / "shared" / "reference" / "ypsi-policy-guidance.txt"


@pytest.fixture
def pupil(incident):
    person = YoungPersonFactory(setting=incident.setting, first_name="Amara", last_name="Okafor")
    InvolvementFactory(incident=incident, young_person=person)
    return person


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text)))


def test_the_review_page_asks_every_question_the_policy_lists(client_for, dsl, incident, pupil):
    page = text_of(client_for(dsl).get(reverse("incidents:review_create", args=[incident.code]))).lower()
    for question in (
        "date and time of the meeting",
        "members of staff present",
        "others present",
        "is there an immediate risk to a young person?",
        "whether to refer to the mash and/or the police",
        "is it necessary to view the imagery?",
        "what further information is needed",
        "how widely it has been shared",
        "not known",  # the spread may be unknown
        "where it has been shared (services or platforms)",
        "act now to delete or remove the imagery?",
        "relevant facts about the young people",
        "contact another school, college, setting or person?",
        "tell the parents or carers?",
        "the imagery is ai-generated or digitally altered",
        "a young person is being blackmailed for money or more images",
    ):
        assert question in page, question

    # The decisions are offered once the rules' result for the facts has been shown.
    checked = client_for(dsl).post(
        reverse("incidents:review_create", args=[incident.code]),
        {
            "action": "check",
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "ages": "14",
            "classification": "experimental",
            **ANSWERS,
        },
    )
    page = text_of(checked)
    assert "The rules recommend" in page
    for outcome in Decision.Outcome:
        assert outcome.label in page


def test_viewing_is_not_ticked_by_default_and_the_page_says_why(client_for, dsl, incident, pupil):
    response = client_for(dsl).get(reverse("incidents:review_create", args=[incident.code]))
    box = re.search(r'<input[^>]*name="viewing_necessary"[^>]*>', response.text).group(0)
    assert "checked" not in box
    page = html.unescape(response.text)
    assert "\u201cIn most cases, imagery should not be viewed.\u201d" in page
    assert "(Policy guidance, \u2018Initial review meeting\u2019.)" in page


@pytest.mark.skipif(not POLICY.exists(), reason="the policy text is not on this machine")
def test_the_risk_assessment_asks_the_policys_ten_questions(client_for, dsl, incident, pupil):
    svc.review_record(
        actor=dsl,
        incident=incident,
        held_at=timezone.now(),
        attendees=[dsl],
        other_attendees=[],
        answers=ANSWERS,
        facts=rules.Facts(ages=(14,), classification=rules.EXPERIMENTAL),
        outcome=Decision.Outcome.MANAGE_IN_SETTING,
        reason="Consensual, contained.",
    )
    policy = re.sub(r"\s+", " ", POLICY.read_text())
    section = policy[policy.index("When assessing the risks") : policy.index("Our DSL will always use")]
    asked = re.findall(r"- ([^-?]+\?)", section)
    assert len(asked) == len(RiskAssessment.QUESTIONS) == 10
    page = text_of(client_for(dsl).get(reverse("incidents:risk_assessment_create", args=[incident.code])))
    for (_, question), policy_question in zip(RiskAssessment.QUESTIONS, asked, strict=True):
        # The policy says "the pupil" once where the rest of it says "the young person".
        assert question == policy_question.replace("the pupil in the imagery", "the young person in the imagery")
        assert question in page
    for words in ("Includes an interview with the young person", "Overall risk"):
        assert words.lower() in page.lower()


def seek_advice(incident, dsl, **kwargs) -> Decision:
    return svc.review_record(
        actor=dsl,
        incident=incident,
        held_at=timezone.now(),
        attendees=[dsl],
        other_attendees=[],
        answers=ANSWERS,
        facts=rules.Facts(ages=(15,), classification=rules.AGGRAVATED, adult_involved=True),
        outcome=Decision.Outcome.SEEK_MASH_ADVICE,
        reason="Not sure the sender is an adult; asking the MASH.",
        **kwargs,
    )


def test_seeking_advice_when_the_rules_say_refer_needs_a_justification(incident, pupil, dsl):
    with pytest.raises(ValidationError) as caught:
        seek_advice(incident, dsl)
    assert "justification" in caught.value.message_dict
    decision = seek_advice(incident, dsl, justification="The 'adult' may be a Year 13 pupil: checking first.")
    assert decision.departs_from_recommendation
    assert decision.status == Decision.Status.RECORDED


def test_a_departure_that_needs_no_sign_off_is_still_shown_to_the_headteacher(
    client_for, head, dsl, other_dsl, incident, pupil
):
    decision = seek_advice(incident, dsl, justification="The 'adult' may be a Year 13 pupil: checking first.")
    response = client_for(head).get(reverse("incidents:sign_off_queue"))
    page = html.unescape(response.text)
    assert "Decisions that depart from the rules" in page
    assert decision.incident.reference in page
    assert "may be a Year 13 pupil" in page
    assert "Nothing is waiting for your sign-off." in page

    riverside_head = UserFactory(username="rhead")
    MembershipFactory(setting=other_dsl.memberships.get().setting, user=riverside_head, role="headteacher")
    assert decision.incident.reference not in client_for(riverside_head).get(reverse("incidents:sign_off_queue")).text


def test_a_decision_that_follows_the_rules_is_not_listed_as_a_departure(client_for, head, dsl, incident, pupil):
    svc.escalate_refer_now(actor=dsl, incident=incident, outcome=Decision.Outcome.REFER_MASH, reason="Adult involved.")
    page = client_for(head).get(reverse("incidents:sign_off_queue")).text
    assert "Decisions that depart from the rules" not in page


def test_the_incident_page_has_no_duplicate_ids(client_for, dsl, incident, pupil):
    SettingFactory()
    page = client_for(dsl).get(incident.get_absolute_url()).text
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []


def test_changing_a_signed_decision_means_a_new_one_for_a_new_sign_off_and_the_signed_one_stays(
    client_for, dsl, head, incident, pupil
):
    from tests.test_decisions import review

    signed = review(incident, dsl)
    svc.decision_sign_off(actor=head, decision=signed, password_confirmed=True)
    changed = review(incident, dsl, reason="Reviewed again after a second disclosure: still contained.")

    assert changed.supersedes == signed
    assert changed.status == Decision.Status.AWAITING_SIGN_OFF
    signed.refresh_from_db()
    assert signed.status == Decision.Status.SIGNED and signed.sign_off.still_matches
    assert list(Decision.objects.awaiting_sign_off()) == [changed]
    page = html.unescape(client_for(dsl).get(incident.get_absolute_url()).text)
    assert "Earlier decisions" in page
    assert f"signed off by the headteacher by {signed.sign_off.name}" in page
    assert reverse("incidents:decision_detail", args=[signed.code]) in page
