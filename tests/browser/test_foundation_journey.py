"""A DSL records an incident with two young people and finds it; a member of staff cannot reach it."""

import pytest

from incidents.models import Incident
from tests.browser.conftest import check_page, sign_in, sign_out, visit
from tests.factories import years_ago

pytestmark = pytest.mark.django_db(transaction=True)


def add_person(page, first, last, born, year, roles, *, another):
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_label("Year group").fill(year)
    for role in roles:
        page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Add and add another" if another else "Add to incident").click()
    page.wait_for_load_state("load")


def test_a_dsl_records_an_incident_with_two_young_people_and_staff_cannot_see_it(
    page, live_server, dsl, staff, password
):
    sign_in(page, live_server, dsl.username, password)
    check_page(page, "dashboard")
    page.get_by_role("link", name="Record an incident").first.click()
    check_page(page, "incident-form")

    page.get_by_label("How it came to attention").select_option("young_person")
    page.get_by_label("Summary").fill("A Year 10 pupil said a picture she sent to a boy has been shown to others.")
    page.get_by_label("A young person shared imagery of another young person").check()
    page.get_by_label("Services or platforms involved").fill("Snapchat")
    page.get_by_role("button", name="Record incident").click()
    page.wait_for_load_state("load")
    check_page(page, "incident-recorded")
    incident = Incident.objects.get()
    assert incident.reference in page.content()

    page.get_by_role("link", name="Add a young person").click()
    check_page(page, "add-person-form")
    add_person(page, "Amara", "Okafor", years_ago(15).isoformat(), "Year 10", ["Pictured", "Created"], another=True)
    check_page(page, "add-another-person")
    add_person(page, "Ben", "Hughes", years_ago(15, 40).isoformat(), "Year 10", ["Shared"], another=False)
    check_page(page, "incident-with-people")
    people = page.locator("section", has_text="Young people involved")
    assert people.get_by_role("link", name="Amara Okafor", exact=True).count() == 1
    assert people.get_by_role("link", name="Ben Hughes", exact=True).count() == 1
    chronology = page.locator("table.chronology")
    assert chronology.get_by_text("Amara Okafor added (pictured, created).").count() == 1
    assert chronology.get_by_text("Ben Hughes added (shared).").count() == 1

    visit(page, f"{live_server.url}/incidents/?q=Hughes", "incident-list-search")
    page.get_by_role("link", name=incident.reference).click()
    check_page(page, "incident-from-list")
    sign_out(page)

    sign_in(page, live_server, staff.username, password)
    check_page(page, "staff-home")
    assert incident.reference not in page.content()
    assert page.get_by_role("link", name="Incidents").count() == 0
    response = page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    assert response.status == 404
    check_page(page, "staff-refused-incident")
    response = page.goto(f"{live_server.url}/incidents/")
    assert response.status == 403
    check_page(page, "staff-refused-list")


def test_the_form_shows_an_error_summary_and_keeps_what_was_typed(page, live_server, dsl, password):
    sign_in(page, live_server, dsl.username, password)
    visit(page, f"{live_server.url}/incidents/new/", "incident-form")
    page.get_by_label("Services or platforms involved").fill("Typed platform")
    page.get_by_role("button", name="Record incident").click()
    page.wait_for_load_state("load")
    check_page(page, "incident-form-errors")
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_summary"
    assert page.get_by_label("Services or platforms involved").input_value() == "Typed platform"
