"""The actions after the review, in the browser, to a complete record and closure.

One aggravated incident referred to the MASH (with a chase and an outcome), parents told, a device
seized and handed over link by link to the police, a viewing with every safeguard confirmed by the
viewer and the witness with their own sign-in, deletion, a conversation led by the young person's
preferred teacher, and a Report Remove report. One experimental incident managed in school, signed
off by the headteacher, through deletion confirmation to closure, after a refused early close."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import rules
from incidents.models import (
    ChronologyEntry,
    CustodyEntry,
    Decision,
    Device,
    Incident,
    ReviewMeeting,
    ViewingRecord,
)
from incidents.services import decisions
from tests.browser.conftest import check_page, sign_in, sign_out, visit
from tests.factories import InvolvementFactory, YoungPersonFactory, years_ago

pytestmark = pytest.mark.django_db(transaction=True)

COMPLETE = "Everything the checklist looks for is recorded."


@pytest.fixture
def pupil(oakfield, incident):
    person = YoungPersonFactory(
        setting=oakfield, first_name="Amara", last_name="Okafor", sex="female", date_of_birth=years_ago(14, days=30)
    )
    InvolvementFactory(incident=incident, young_person=person)
    return person


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def save(page, name: str) -> None:
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    check_page(page, name)


def open_form(page, link: str, name: str) -> None:
    page.get_by_role("link", name=link).first.click()
    page.wait_for_load_state("load")
    check_page(page, name)


def close(page, reason: str) -> None:
    status = page.locator("section[aria-labelledby=status-title]")
    status.locator("select[name=status]").select_option("closed")
    status.locator("textarea[name=reason]").fill(reason)
    status.get_by_role("button", name="Change status").click()
    page.wait_for_load_state("load")


def checklist(page) -> str:
    return page.locator("section[aria-labelledby=completeness]").inner_text()


def test_an_aggravated_incident_referred_to_the_mash_with_a_device_handed_to_the_police(
    page, live_server, oakfield, dsl, deputy, head, trusted_teacher, password, incident, pupil
):
    sign_in(page, live_server, dsl.username, password)
    visit(page, f"{live_server.url}{incident.get_absolute_url()}", "incident-before-actions")
    missing = checklist(page)
    assert "Decision and reason recorded" in missing and "Parents' and carers' decision recorded" in missing
    assert (
        page.get_by_role("link", name=re.compile(r"^Fix this\W+parents. and carers. decision recorded$")).count() == 1
    )

    # Refer now: an adult is involved, so the decision is to refer to the MASH.
    page.get_by_role("link", name="Refer now").first.click()
    check_page(page, "refer-now")
    page.check("input[name=outcome][value=refer_mash]")
    page.get_by_label("Why refer now?").fill("An adult (19) has asked Amara for more images.")
    page.get_by_role("button", name="Record the referral").click()
    page.wait_for_load_state("load")
    check_page(page, "decision-to-refer")
    assert "Referral made" in checklist(page)

    # The referral, with the police warning beside it, a chase and the outcome.
    open_form(page, "Record a referral", "referral-form")
    assert "the police will conduct an investigation" in page.locator("main").inner_text()
    page.locator("#id_agency").select_option("mash")
    page.locator("#id_method").select_option("phone")
    page.get_by_label("Contact name").fill("Sue Patel, MASH duty social worker")
    page.get_by_label("The agency's reference").fill("MASH/2026/0412")
    page.get_by_label("What was shared").fill("What Amara told her tutor; the adult's account name.")
    page.get_by_label("Next chase due").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    save(page, "referral-recorded")
    assert "Referral recorded." in page.content()
    open_form(page, "Record a chase of MASH / children's social care", "chase-form")
    page.get_by_label("Result").fill("Sue says a strategy meeting is booked for Thursday.")
    page.get_by_label("Next chase due").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    save(page, "chase-recorded")
    assert "Sue says a strategy meeting is booked" in page.locator("section[aria-labelledby=referrals]").inner_text()
    open_form(page, "Record the outcome from MASH / children's social care", "outcome-form")
    page.locator("#id_outcome").select_option("accepted")
    page.get_by_label("About the outcome").fill("Section 47 enquiry; police informed by the MASH.")
    save(page, "outcome-recorded")

    # Parents and carers told.
    open_form(page, "Record a decision", "parents-form")
    page.locator("#id_young_person").select_option(label="Amara Okafor")
    page.get_by_label("Inform them (the usual course)").check()
    page.get_by_label("By whom").select_option(label=str(dsl))
    page.locator("#id_method").select_option("phone")
    save(page, "parents-recorded")

    # A device, seized and switched off, handed on link by link; never before it was seized.
    open_form(page, "Record a seized device", "device-form")
    page.locator("#id_description").fill("Black iPhone 13 in a red case")
    page.get_by_label("Whose it is").fill("Amara Okafor")
    seized_at = timezone.now() - timedelta(hours=2)
    page.get_by_label("Seized at").fill(local(seized_at))
    page.get_by_label("Seized by").select_option(label=str(dsl))
    page.get_by_label("Where it is locked away").fill("The DSL's safe")
    save(page, "device-not-switched-off")
    assert "must be switched off" in page.content()
    assert page.get_by_label("Where it is locked away").input_value() == "The DSL's safe"
    assert not Device.objects.exists()
    page.get_by_label("It was switched off").check()
    save(page, "device-recorded")
    device = Device.objects.get()

    open_form(page, "Record a hand-over of Black iPhone 13 in a red case", "hand-over-form")
    page.locator("#id_to_name").fill(str(head))
    page.locator("#id_at").fill(local(seized_at - timedelta(hours=1)))
    save(page, "hand-over-before-seizure")
    assert "cannot be handed over before it was seized" in page.content()
    assert not CustodyEntry.objects.exists()
    page.locator("#id_at").fill(local(seized_at + timedelta(minutes=30)))
    save(page, "hand-over-to-head")
    open_form(page, "Record a hand-over of Black iPhone 13 in a red case", "hand-over-to-police-form")
    page.get_by_label("Handed to the police").check()
    page.get_by_label("Officer's name").fill("PC Jo Mills")
    page.get_by_label("Officer's number").fill("4521")
    page.locator("#id_at").fill(local(seized_at + timedelta(hours=1)))
    save(page, "device-with-police")
    chain = list(device.custody.values_list("sequence", "from_name", "to_name"))
    assert chain == [(1, str(dsl), str(head)), (2, str(head), "PC Jo Mills (4521), police")]
    devices = page.locator("section[aria-labelledby=devices]").inner_text()
    assert "With the police" in devices and "PC Jo Mills (4521)" in devices

    # A viewing: refused until every safeguard is recorded; the typed text comes back.
    open_form(page, "Record a viewing", "viewing-form")
    main = page.locator("main").inner_text()
    assert "Discuss the decision with the Headteacher" in main
    page.get_by_label("Young person in the imagery").select_option(label="Amara Okafor")
    page.check("input[name=justification][value=only_way]")
    page.get_by_label("Discussed with the headteacher").select_option(label=str(head))
    page.get_by_label("Who viewed it").select_option(label=str(dsl))
    page.get_by_label("Member of staff present").select_option(label=str(deputy))
    page.locator("#id_location").fill("The headteacher's office")
    page.check("input[name=same_sex][value=no]")
    page.get_by_label("Why it was viewed").fill("Amara could not say whether the adult's face is shown.")
    page.get_by_label("What followed").fill("Details passed to the MASH.")
    save(page, "viewing-refused")
    text = page.locator("main").inner_text()
    assert "Say why the imagery could not be viewed by someone of the same sex." in text
    assert "Confirm the imagery was not copied, printed or shared" in text
    assert "must never be viewed if that would cause the young person significant distress" in text
    assert page.get_by_label("Why it was viewed").input_value().startswith("Amara could not say")
    assert not ViewingRecord.objects.exists()
    page.get_by_label("If not, why").fill("No female member of the safeguarding team was on site.")
    page.get_by_label("The imagery was not copied, printed or shared").check()
    page.get_by_label("Viewing would not cause the young person significant distress or harm").check()
    save(page, "viewing-recorded")
    assert "Viewing of imagery logged and confirmed" in checklist(page)
    page.get_by_role("link", name="Confirm this record").click()
    check_page(page, "viewing-confirm-by-viewer")
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Confirm this record").click()
    page.wait_for_load_state("load")
    check_page(page, "viewing-confirmed-by-viewer")

    # A conversation led by the teacher Amara chose, and a Report Remove report.
    open_form(page, "Record a conversation", "conversation-form")
    page.locator("#id_young_person").select_option(label="Amara Okafor")
    page.get_by_label("Who talked with them").select_option(label=str(trusted_teacher))
    page.get_by_label("The young person's preferred member of staff led it").check()
    page.get_by_label("The pressures young people can be under to share imagery").check()
    page.get_by_label("Who has seen or shared it").fill("The adult; nobody at school as far as she knows.")
    save(page, "conversation-recorded")
    assert str(trusted_teacher) in page.locator("section[aria-labelledby=access-title]").inner_text()

    open_form(page, "Record a report", "online-report-form")
    assert "Report Remove" in page.locator("main").inner_text()
    page.get_by_label("Childline and IWF Report Remove (under-18s)").check()
    page.get_by_label("By whom").fill("Amara, with Dana Tester")
    page.locator("#id_reference").fill("RR-88213")
    save(page, "online-report-recorded")

    # Deletion: Amara is asked, told it is an offence to keep it, and confirms.
    open_form(page, "Record a deletion decision", "deletion-decision-form")
    page.locator("#id_reason").fill("The police will keep the phone; Amara's cloud copy must go.")
    save(page, "deletion-decided")
    open_form(page, "Record a young person asked to delete it", "deletion-ask-form")
    page.locator("#id_young_person").select_option(label="Amara Okafor")
    page.get_by_label("Deadline for deletion").fill((timezone.localdate() + timedelta(days=1)).isoformat())
    page.get_by_label("Online storage").check()
    save(page, "deletion-ask-refused")
    assert "must be told that keeping the imagery" in page.content()
    page.get_by_label("They were told that keeping the imagery", exact=False).check()
    save(page, "deletion-asked")
    open_form(page, "Record confirmation for Amara Okafor", "deletion-confirm-form")
    page.locator("#id_method").select_option("in_person")
    save(page, "deletion-confirmed")

    # Still missing: the witness's confirmation.
    assert COMPLETE not in page.content()
    assert "not yet confirmed by both viewer and witness" in checklist(page)
    sign_out(page)

    sign_in(page, live_server, deputy.username, password)
    check_page(page, "deputy-dashboard")
    page.get_by_role("link", name=f"check and confirm the viewing record for {incident.reference}").first.click()
    check_page(page, "viewing-confirm-by-witness")
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Confirm this record").click()
    page.wait_for_load_state("load")
    check_page(page, "viewing-confirmed-by-both")
    assert ViewingRecord.objects.get().fully_confirmed
    sign_out(page)

    sign_in(page, live_server, dsl.username, password)
    visit(page, f"{live_server.url}{incident.get_absolute_url()}", "incident-complete")
    assert COMPLETE in checklist(page)
    assert page.get_by_label("Reason for closing with the record incomplete").count() == 0
    close(page, "Referred; the MASH leads. Everything is recorded.")
    check_page(page, "incident-closed")
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    assert not incident.chronology.filter(kind=ChronologyEntry.Kind.CLOSED_INCOMPLETE).exists()
    kinds = set(incident.chronology.values_list("kind", flat=True))
    Kind = ChronologyEntry.Kind
    for kind in (
        Kind.ESCALATED,
        Kind.REFERRAL,
        Kind.REFERRAL_CHASE,
        Kind.REFERRAL_OUTCOME,
        Kind.PARENTS,
        Kind.DEVICE,
        Kind.CUSTODY,
        Kind.VIEWING,
        Kind.VIEWING_CONFIRMED,
        Kind.CONVERSATION,
        Kind.ACCESS_GRANTED,
        Kind.ONLINE_REPORT,
        Kind.DELETION,
        Kind.DELETION_CONFIRMED,
    ):
        assert kind in kinds, kind


def managed_in_school(incident, dsl, head) -> Decision:
    """The review and the headteacher's sign-off (their own browser journey is test_decisions_journey)."""
    decision = decisions.review_record(
        actor=dsl,
        incident=incident,
        held_at=timezone.now() - timedelta(hours=1),
        attendees=[dsl],
        other_attendees=[],
        answers={
            "immediate_risk": "no",
            "spread": ReviewMeeting.Spread.CONTAINED,
            "removal": ReviewMeeting.Removal.NOW,
            "contact_others": "no",
            "tell_parents": ReviewMeeting.Parents.YES,
        },
        facts=rules.Facts(ages=(14,), classification=rules.EXPERIMENTAL),
        outcome=Decision.Outcome.MANAGE_IN_SETTING,
        reason="Consensual between two 14-year-olds; not shared further.",
    )
    decisions.decision_sign_off(actor=head, decision=decision, password_confirmed=True)
    return decision


def test_an_experimental_incident_managed_in_school_through_deletion_to_closure(
    page, live_server, oakfield, dsl, head, password, incident, pupil
):
    managed_in_school(incident, dsl, head)
    sign_in(page, live_server, dsl.username, password)
    visit(page, f"{live_server.url}{incident.get_absolute_url()}", "managed-incident")
    missing = checklist(page)
    assert "Deletion decided and young people asked" in missing
    assert "Decision not to refer signed off by the headteacher" in missing  # listed, and done

    # Closing now is refused without an override, and says what is missing.
    close(page, "Dealt with.")
    check_page(page, "close-refused")
    assert "deletion decided and young people asked" in page.locator("main").inner_text()
    incident.refresh_from_db()
    assert incident.status != Incident.Status.CLOSED
    visit(page, f"{live_server.url}{incident.get_absolute_url()}", "managed-incident-again")

    open_form(page, "Record a decision", "parents-form")
    page.locator("#id_young_person").select_option(label="Amara Okafor")
    page.get_by_label("The young person was supported to tell them").check()
    page.get_by_label("By whom").select_option(label=str(dsl))
    save(page, "parents-supported-to-tell")

    open_form(page, "Record a deletion decision", "deletion-decision-form")
    page.locator("#id_reason").fill("No agency involved; the usual course.")
    save(page, "deletion-decided")
    open_form(page, "Record a young person asked to delete it", "deletion-ask-form")
    page.locator("#id_young_person").select_option(label="Amara Okafor")
    page.get_by_label("Deadline for deletion").fill((timezone.localdate() + timedelta(days=1)).isoformat())
    page.locator("#id_on_devices").check()
    page.get_by_label("Social media").check()
    page.get_by_label("They were told that keeping the imagery", exact=False).check()
    save(page, "deletion-asked")
    assert "Not yet confirmed by Amara Okafor" in checklist(page)
    visit(page, f"{live_server.url}/dashboard/", "dashboard-deletion-due")
    assert incident.reference in page.locator("main").inner_text()
    visit(page, f"{live_server.url}{incident.get_absolute_url()}", "back-to-incident")
    open_form(page, "Record confirmation for Amara Okafor", "deletion-confirm-form")
    page.locator("#id_method").select_option("in_person")
    save(page, "deletion-confirmed")

    assert COMPLETE in checklist(page)
    close(page, "Deleted and confirmed; parents told; signed off.")
    check_page(page, "managed-incident-closed")
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    assert not incident.chronology.filter(kind=ChronologyEntry.Kind.CLOSED_INCOMPLETE).exists()
