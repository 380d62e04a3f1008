"""A member of staff reports a concern from their phone; the DSL is told, acknowledges it and opens
the incident; the reporter sees the acknowledgement and adds to their report. Also: the immediate-
risk numbers with and without JavaScript, and a second report of the same thing merged."""

import re

import pytest
from django.core import mail

from incidents.models import Disclosure, Incident, OutboxEmail
from incidents.services.outbox import send_due
from tests.browser.conftest import SCREENSHOTS, check_page, sign_in, sign_out, visit

pytestmark = pytest.mark.django_db(transaction=True)

NARRATIVE = "Jess said a photo of her is going round the Year 10 Snapchat group. She was crying."
NAMES = "Jess Smith, Year 9; Tom Brown, Year 10"


def fill_report(page, *, saw: str = "No, I have not seen it") -> None:
    page.get_by_label("The young person themself told me").check()
    page.get_by_label("Young people named").fill(NAMES)
    page.get_by_label("What was said").fill(NARRATIVE)
    page.get_by_label("What do you know about the imagery, without looking at it?").fill(
        "Tom has it; shared in the Year 10 group."
    )
    page.get_by_label("Devices involved").fill("Tom's phone")
    page.get_by_label(saw).check()


def send(page) -> None:
    page.get_by_role("button", name="Send to the safeguarding team").click()
    page.wait_for_load_state("load")


def without_javascript(browser, signed_in_page):
    """The same phone and session with JavaScript switched off: what matters must still work."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        java_script_enabled=False,
        storage_state=signed_in_page.context.storage_state(),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def screenshot(page, test_name: str, name: str) -> None:
    """A screenshot only: axe-core needs JavaScript, and the same pages are checked with it above."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{test_name}-{name}.png"), full_page=True)


def name_screens(phone_page, page) -> None:
    """Two browsers in one test: keep their screenshots apart."""
    phone_page.ysi_test_name += "-phone"
    page.ysi_test_name += "-desktop"


def test_staff_report_from_a_phone_and_the_dsl_acknowledges_it(
    phone_page, page, live_server, oakfield, staff, dsl, deputy, password
):
    name_screens(phone_page, page)
    sign_in(phone_page, live_server, staff.username, password)
    check_page(phone_page, "staff-home-on-phone")
    phone_page.get_by_role("link", name="Report a concern").click()
    check_page(phone_page, "report-form-on-phone")
    form_text = phone_page.locator("main").inner_text()
    assert "Do not view, copy, print, forward or screenshot the imagery" in form_text
    assert phone_page.locator("input[type=file]").count() == 0
    # The page fits the phone: nothing to scroll sideways.
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    risk_panel = phone_page.locator("#risk-panel")
    assert not risk_panel.is_visible()
    phone_page.get_by_label("I believe a young person is at immediate risk of harm").check()
    assert risk_panel.is_visible()
    assert "call 999" in risk_panel.inner_text()
    assert "Dana Tester" in risk_panel.inner_text()
    assert "01632 960 111" in risk_panel.inner_text()
    check_page(phone_page, "report-form-risk-ticked")
    phone_page.get_by_label("I believe a young person is at immediate risk of harm").uncheck()
    assert not risk_panel.is_visible()

    fill_report(phone_page, saw="Yes, I saw it unavoidably")
    # An impatient double tap sends one report.
    phone_page.get_by_role("button", name="Send to the safeguarding team").dblclick()
    phone_page.wait_for_url(re.compile(r"/report/[0-9a-f-]{36}/$"))
    phone_page.wait_for_load_state("load")
    check_page(phone_page, "receipt-on-phone")
    assert Disclosure.objects.count() == 1 and Incident.objects.count() == 1
    disclosure = Disclosure.objects.get()
    receipt = phone_page.locator("main").inner_text()
    assert "Your report has been sent" in receipt
    assert disclosure.reference in receipt
    assert "What happens next" in receipt
    assert "your DSL will offer you support" in receipt
    assert "Received; not yet acknowledged." in receipt

    # The DSL and the deputy are told at once, with the reference and a link, and nothing else.
    send_due()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert sorted(email.to) == sorted([dsl.email, deputy.email])
    assert disclosure.reference in email.subject
    assert disclosure.incident.get_absolute_url() in email.body
    for secret in ("Jess", "Tom", "Snapchat", "Year 9", "crying", "Sam", str(staff)):
        assert secret not in email.subject + email.body
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT

    sign_in(page, live_server, dsl.username, password)
    check_page(page, "dashboard-with-new-report")
    queue = page.locator("section[aria-labelledby=queue-title]")
    assert disclosure.reference in queue.inner_text()
    support = page.locator("section[aria-labelledby=support-title]")
    assert "Sam Tester" in support.inner_text()
    queue.get_by_role("button", name=f"Acknowledge {disclosure.reference}").click()
    page.wait_for_load_state("load")
    check_page(page, "incident-after-acknowledging")
    assert page.url.endswith(disclosure.incident.get_absolute_url())
    detail = page.locator("main").inner_text()
    assert f"Report {disclosure.reference} acknowledged" in detail
    assert "Time to DSL" in detail
    assert NARRATIVE in detail

    page.get_by_label(f"Add to report {disclosure.reference}").fill("Spoke to Sam at break.")
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_load_state("load")
    check_page(page, "incident-report-annotated")
    assert "Spoke to Sam at break." in page.locator("main").inner_text()
    assert "The report is kept as it was written" in page.locator("main").inner_text()

    # Back on the phone: My reports shows the acknowledgement, and nothing of what the DSL added.
    visit(phone_page, f"{live_server.url}/report/mine/", "my-reports-acknowledged")
    row = phone_page.get_by_role("row", name=re.compile(disclosure.reference))
    assert "Acknowledged" in row.inner_text()
    row.get_by_role("link", name=disclosure.reference).click()
    check_page(phone_page, "receipt-acknowledged")
    receipt = phone_page.locator("main").inner_text()
    assert "Acknowledged by the safeguarding team on" in receipt
    assert "Spoke to Sam at break." not in receipt
    phone_page.get_by_label("Add to this report").fill("Also in the Year 11 group.")
    phone_page.get_by_role("button", name="Add to my report").click()
    phone_page.wait_for_load_state("load")
    check_page(phone_page, "receipt-added-to")
    assert "Also in the Year 11 group." in phone_page.locator("main").inner_text()
    disclosure.refresh_from_db()
    assert disclosure.what_was_said == NARRATIVE


def test_the_numbers_show_without_javascript_after_sending(
    browser, phone_page, live_server, oakfield, staff, dsl, password
):
    sign_in(phone_page, live_server, staff.username, password)
    context, page = without_javascript(browser, phone_page)
    name = "test_the_numbers_show_without_javascript_after_sending"
    try:
        page.goto(f"{live_server.url}/report/")
        screenshot(page, name, "01-report-form")
        page.get_by_label("I believe a young person is at immediate risk of harm").check()
        # Sent with "What was said" left empty: refused, the text kept, and the numbers shown.
        page.get_by_label("The young person themself told me").check()
        page.get_by_label("Young people named").fill(NAMES)
        send(page)
        screenshot(page, name, "02-report-refused")
        assert "There is a problem" in page.content()
        assert page.get_by_label("Young people named").input_value() == NAMES
        assert page.locator("#risk-panel").is_visible()
        assert "call 999" in page.locator("#risk-panel").inner_text()
        assert not Disclosure.objects.exists()

        page.get_by_label("What was said").fill(NARRATIVE)
        send(page)
        screenshot(page, name, "03-receipt-with-risk")
        panel = page.locator("#risk-panel")
        assert panel.is_visible()
        assert "If a child is in danger now, call 999" in panel.inner_text()
        assert "01632 960 111" in panel.inner_text()
        assert Disclosure.objects.get().immediate_risk
    finally:
        context.close()


def test_two_staff_report_the_same_thing_and_the_dsl_merges_them(
    phone_page, page, live_server, oakfield, staff, trusted_teacher, dsl, password
):
    name_screens(phone_page, page)
    for person in (staff, trusted_teacher):
        sign_in(phone_page, live_server, person.username, password)
        visit(phone_page, f"{live_server.url}/report/", f"report-form-{person.username}")
        fill_report(phone_page)
        send(phone_page)
        check_page(phone_page, f"receipt-{person.username}")
        # On a phone the header's menu is folded away behind its button.
        phone_page.get_by_role("button", name="Show menu").click()
        sign_out(phone_page)
    first, second = Disclosure.objects.order_by("reported_at", "id")

    sign_in(page, live_server, dsl.username, password)
    visit(page, f"{live_server.url}{second.incident.get_absolute_url()}", "second-report-incident")
    page.get_by_role("link", name=f"Merge into another incident (report {second.reference})").click()
    check_page(page, "merge-form")
    page.get_by_label("Merge this report into").select_option(str(first.incident.pk))
    page.get_by_role("button", name="Merge").click()
    page.wait_for_load_state("load")
    check_page(page, "merged")
    assert page.url.endswith(first.incident.get_absolute_url())
    detail = page.locator("main").inner_text()
    assert f"Merged into this incident from {second.reference}" in detail
    second.refresh_from_db()
    assert second.incident == first.incident
    assert second.what_was_said == NARRATIVE
    assert Incident.objects.get(pk=second.original_incident_id).status == Incident.Status.CLOSED


def test_a_report_written_slowly_is_warned_about_and_comes_back_after_the_session_ends(
    phone_page, live_server, oakfield, staff, dsl, password, settings
):
    # A short idle timeout stands in for half an hour: the warning comes at two thirds of it.
    settings.SESSION_IDLE_SECONDS = settings.SESSION_COOKIE_AGE = 12
    sign_in(phone_page, live_server, staff.username, password)
    visit(phone_page, f"{live_server.url}/report/", "report-form-short-session")
    warning = phone_page.locator("#idle-warning")
    assert not warning.is_visible()
    fill_report(phone_page)
    warning.wait_for(state="visible", timeout=30_000)
    check_page(phone_page, "idle-warning-shown")
    assert "Send your report soon" in warning.inner_text()
    # Nothing of the report is kept in the browser while it is written.
    assert phone_page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0

    phone_page.wait_for_timeout(6_000)  # the session has now ended on the server
    send(phone_page)
    check_page(phone_page, "report-not-sent-text-back")
    assert "has not been sent" in phone_page.content()
    kept = phone_page.locator("#kept-what_was_said")
    assert kept.input_value() == NARRATIVE
    assert phone_page.locator("#kept-young_people_named").input_value() == NAMES
    assert not Disclosure.objects.exists()
