"""The DSL reviews an incident, assesses the risks and decides to manage it in the setting; the
headteacher signs the decision off with their password."""

import pytest

from incidents.models import Decision, SignOff
from tests.browser.conftest import check_page, sign_in, sign_out, visit
from tests.factories import InvolvementFactory, YoungPersonFactory, years_ago

pytestmark = pytest.mark.django_db(transaction=True)


def choose(page, name: str, value: str) -> None:
    page.check(f"input[name={name}][value={value}]")


@pytest.fixture
def pupil(oakfield, incident):
    person = YoungPersonFactory(
        setting=oakfield, first_name="Amara", last_name="Okafor", date_of_birth=years_ago(14, days=30)
    )
    InvolvementFactory(incident=incident, young_person=person)
    return person


def test_review_then_risk_assessment_then_manage_in_setting_then_headteacher_sign_off(
    page, live_server, dsl, head, password, incident, pupil
):
    sign_in(page, live_server, dsl.username, password)
    visit(page, f"{live_server.url}{incident.get_absolute_url()}", "incident-before-review")
    page.get_by_role("link", name="Record the initial review").click()
    check_page(page, "review-form")
    assert page.get_by_label("Ages at the incident of the young people involved").input_value() == "14"

    page.get_by_label("Others present (not YSI users)").fill("Pat Jones, school nurse")
    choose(page, "classification", "experimental")
    choose(page, "immediate_risk", "no")
    choose(page, "spread", "contained")
    page.get_by_label("Where it has been shared (services or platforms)").fill("Snapchat, between the two.")
    choose(page, "removal", "now")
    choose(page, "contact_others", "no")
    choose(page, "tell_parents", "yes")
    page.get_by_role("button", name="Show what the rules say").click()
    page.wait_for_load_state("load")
    check_page(page, "review-rules-result")
    assert "The rules recommend: Manage in the setting after assessing the risks" in page.content()

    choose(page, "outcome", "manage_in_setting")
    page.get_by_label("Reason for the decision").fill("Consensual between two 14-year-olds; deleted; parents told.")
    page.get_by_role("button", name="Record the review and decision").click()
    page.wait_for_load_state("load")
    check_page(page, "incident-awaiting-sign-off")
    assert "Awaiting the headteacher" in page.content()

    page.get_by_role("link", name="Assess the risks").click()
    check_page(page, "risk-assessment-form")
    choose(page, "why_shared", "romantic")
    choose(page, "coerced", "no")
    page.fill("#id_who_shared", "Only the two pupils.")
    page.fill("#id_where_shared", "Snapchat.")
    choose(page, "with_knowledge", "yes")
    choose(page, "adults_involved", "no")
    choose(page, "impact", "some")
    choose(page, "additional_vulnerabilities", "no")
    choose(page, "understands_consent", "yes")
    choose(page, "done_before", "no")
    page.get_by_label("Includes an interview with the young person").check()
    page.get_by_label("When the interview took place").fill("2026-01-05T10:30")
    choose(page, "risk_level", "low")
    page.get_by_role("button", name="Record the risk assessment").click()
    page.wait_for_load_state("load")
    check_page(page, "risk-assessment-result")
    assert "The rules recommend: Manage in the setting" in page.content()
    assert "The rules now recommend a referral" not in page.content()
    sign_out(page)

    sign_in(page, live_server, head.username, password)
    page.get_by_role("link", name="Sign-offs").click()
    check_page(page, "sign-off-queue")
    page.get_by_role("link", name=f"Read and sign the decision on {incident.reference}").click()
    check_page(page, "sign-off-page")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Sign off the decision").click()
    page.wait_for_load_state("load")
    check_page(page, "sign-off-wrong-password")
    assert not SignOff.objects.exists()

    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Sign off the decision").click()
    page.wait_for_load_state("load")
    check_page(page, "sign-off-done")
    assert "Nothing is waiting for your sign-off." in page.content()

    decision = Decision.objects.get()
    assert decision.status == Decision.Status.SIGNED
    visit(page, f"{live_server.url}/decisions/{decision.code}/", "signed-decision")
    assert decision.sign_off.decision_sha256 in page.content()
    assert "the decision still matches it" in page.content()


def test_ticking_sextortion_shows_the_steps_at_once(page, live_server, dsl, password, incident, pupil):
    sign_in(page, live_server, dsl.username, password)
    visit(page, f"{live_server.url}/incidents/{incident.code}/review/", "review-form")
    fast_path = page.locator("#sextortion-fast-path")
    assert not fast_path.is_visible()

    page.get_by_label("A young person is being blackmailed for money or more images").check()

    assert fast_path.is_visible()
    assert "Report Remove" in fast_path.inner_text()
    check_page(page, "review-sextortion-fast-path")
