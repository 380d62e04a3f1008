"""The Content-Security-Policy in a real browser: the main pages load and work (their scripts run)
with no violation reported in the console, which catches any inline script, handler or style a
template or a Python-generated fragment slipped in. And a page kept out of caches (no-store) still
gives the reporter their typed text back when they go Back to it."""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_page, sign_in, sign_out, visit

pytestmark = pytest.mark.django_db(transaction=True)


def watch_console(page) -> list[str]:
    """Collect every console error and page error; CSP violations are reported as console errors."""
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def csp_violations(problems: list[str]) -> list[str]:
    return [p for p in problems if "Content Security Policy" in p or "Refused to" in p]


def test_the_console_watch_sees_a_csp_violation(page, live_server):
    problems = watch_console(page)
    visit(page, f"{live_server.url}{reverse('login')}", "sign-in")

    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate("document.body.append(Object.assign(document.createElement('script'), {textContent: '1'}))")
    page.wait_for_timeout(200)

    violations = csp_violations(problems)
    assert any("inline style" in v for v in violations), problems
    assert any("inline script" in v for v in violations), problems


def test_the_main_pages_load_with_no_csp_violation(
    page, live_server, oakfield, dsl, head, staff, incident, password, signing_key
):
    problems = watch_console(page)

    sign_in(page, live_server, dsl.username, password)
    for name, path in [
        ("dashboard", reverse("incidents:dashboard")),
        ("incident-list", reverse("incidents:incident_list")),
        ("incident-detail", incident.get_absolute_url()),
        ("young-people", reverse("incidents:young_person_list")),
        ("statistics", reverse("incidents:statistics")),
        ("policy-editor", reverse("incidents:policy_edit", args=[oakfield.code])),
        ("not-found", "/incidents/00000000-0000-0000-0000-000000000000/"),
    ]:
        visit(page, f"{live_server.url}{path}", name)
    # The menu's collapse (Bootstrap's script) works on a narrow window.
    page.set_viewport_size({"width": 600, "height": 900})
    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("link", name="Dashboard").wait_for(state="visible")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    sign_in(page, live_server, staff.username, password)
    visit(page, f"{live_server.url}{reverse('incidents:report')}", "report-form")
    # report.js runs: ticking the box shows the risk panel and announces the numbers.
    page.get_by_label("I believe a young person is at immediate risk of harm").check()
    assert "call 999" in page.locator("#risk-announcement").text_content()
    page.get_by_label("The young person themself told me").check()
    page.get_by_label("Young people named").fill("Jess, Year 9")
    page.get_by_label("What was said").fill("Jess said a photo of her is being shared in a group chat.")
    page.get_by_role("button", name="Send to the safeguarding team").click()
    page.wait_for_load_state("load")
    check_page(page, "report-receipt")
    assert "Sent to the safeguarding team" in page.content()

    assert csp_violations(problems) == []


def test_going_back_to_a_no_store_form_keeps_what_was_typed(page, live_server, oakfield, staff, password):
    sign_in(page, live_server, staff.username, password)
    visit(page, f"{live_server.url}{reverse('incidents:report')}", "report-form")
    text = "Jess said a photo of her is being shared in a group chat."
    page.get_by_label("What was said").fill(text)

    page.get_by_role("link", name="My reports").click()
    page.wait_for_load_state("load")
    page.go_back()
    page.wait_for_load_state("load")

    assert page.get_by_label("What was said").input_value() == text
