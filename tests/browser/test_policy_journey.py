"""The DSL writes the policy, the headteacher adopts it, a member of staff reads and confirms it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import PolicyVersion, ReadConfirmation
from tests.browser.conftest import check_page, sign_in, sign_out, visit

pytestmark = pytest.mark.django_db(transaction=True)


def not_read_names(page) -> str:
    table = page.locator("#not-read")
    return table.inner_text() if table.count() else ""


def test_the_policy_is_written_adopted_read_and_confirmed(
    page, live_server, oakfield, dsl, deputy, head, staff, password
):
    # The DSL fills in what the template leaves open and previews it.
    sign_in(page, live_server, dsl.username, password)
    check_page(page, "dashboard-no-policy")
    assert page.get_by_text("No policy adopted").count() == 1
    page.get_by_role("link", name="Policy", exact=True).click()
    check_page(page, "no-policy-yet")
    page.get_by_role("link", name="Write the policy").click()
    check_page(page, "editor")
    assert page.get_by_role("heading", name="departs from current national advice").is_visible()
    page.get_by_label("LADO phone").fill("01632 960 501")
    page.get_by_label("Where the curriculum teaches this").fill("our PSHE programme and computing lessons")
    page.get_by_label("When someone tells us: local additions (optional)").fill("Use the worry box by the library.")
    page.get_by_label("Referral rule set").select_option("ukcis-2024")
    assert not page.get_by_role("heading", name="departs from current national advice").is_visible()
    page.get_by_label("Referral rule set").select_option("wolverhampton-2016")
    assert page.get_by_role("heading", name="departs from current national advice").is_visible()
    page.get_by_label("I understand that this rule set departs").check()
    page.get_by_role("button", name="Save and preview").click()
    page.wait_for_load_state("load")
    check_page(page, "preview")
    assert page.get_by_text("Everything the policy needs is filled in").count() == 1
    assert page.get_by_text("Use the worry box by the library.").count() == 1
    assert page.locator("mark.policy-gap").count() == 0
    assert page.get_by_role("button", name="Approve and adopt this version").count() == 0

    # The DSL records a training session that the member of staff attended.
    visit(page, f"{live_server.url}/policy/{oakfield.code}/training/new/", "training-form")
    page.get_by_label("Date").fill((timezone.localdate() - timedelta(days=7)).isoformat())
    page.get_by_label("Title").fill("Recognising and passing on a disclosure")
    page.get_by_label("Led by").fill("Dana Tester")
    page.get_by_label("Sam Tester").check()
    page.get_by_role("button", name="Record the session").click()
    page.wait_for_load_state("load")
    check_page(page, "training-recorded")
    sign_out(page)

    # The headteacher approves and adopts it.
    sign_in(page, live_server, head.username, password)
    visit(page, f"{live_server.url}/policy/{oakfield.code}/draft/preview/", "head-preview")
    page.get_by_label("Date the governors ratified it (if they have)").fill(timezone.localdate().isoformat())
    page.get_by_label("I have read this version and approve it").check()
    page.get_by_role("button", name="Approve and adopt this version").click()
    page.wait_for_load_state("load")
    check_page(page, "adopted")
    version = PolicyVersion.objects.get()
    assert page.get_by_role("heading", name="Version 1 (in force)").count() == 1
    assert page.get_by_role("navigation", name="Contents").count() == 1
    sign_out(page)

    # The DSL sees the member of staff on the "not yet read" list.
    sign_in(page, live_server, dsl.username, password)
    check_page(page, "dsl-asked-to-read")
    page.get_by_role("button", name="I have read the policy").click()
    page.wait_for_load_state("load")
    visit(page, f"{live_server.url}/policy/{oakfield.code}/staff/", "not-yet-read")
    assert "Sam Tester" in not_read_names(page)
    sign_out(page)

    # The member of staff is asked to read it, with a short summary first, and confirms.
    sign_in(page, live_server, staff.username, password)
    check_page(page, "staff-asked-to-read")
    assert page.get_by_role("heading", name="What never to do with imagery").count() == 1
    assert page.get_by_role("link", name="If you need to report a concern, do it now").count() == 1
    page.get_by_role("link", name="Read the whole policy (version 1)").click()
    check_page(page, "staff-reads-policy")
    page.get_by_role("button", name="I have read this policy").click()
    page.wait_for_load_state("load")
    check_page(page, "staff-confirmed")
    assert ReadConfirmation.objects.filter(user=staff, version=version).exists()
    sign_out(page)

    # The DSL sees them move off the list.
    sign_in(page, live_server, dsl.username, password)
    visit(page, f"{live_server.url}/policy/{oakfield.code}/staff/", "moved-off-the-list")
    assert "Sam Tester" not in not_read_names(page)
    assert "Owen Tester" in not_read_names(page)


def test_reporting_is_never_behind_the_prompt(page, live_server, oakfield, dsl, head, staff, password):
    from incidents.services import policy as svc
    from tests.test_policy import adopt, complete_draft

    adopt(complete_draft(oakfield, dsl), head)
    svc.policy_draft_get_or_start(setting=oakfield)
    sign_in(page, live_server, staff.username, password)
    check_page(page, "asked-to-read")
    page.get_by_role("link", name="If you need to report a concern, do it now").click()
    page.wait_for_load_state("load")
    check_page(page, "report-page")
    assert "/policy/read/" not in page.url
    visit(page, f"{live_server.url}/policy/read/", "asked-again")
    page.get_by_role("button", name="Not now").click()
    page.wait_for_load_state("load")
    check_page(page, "not-now")
    assert "/policy/read/" not in page.url
