"""Every safeguard of issue 5 that tests/test_actions.py does not already pin down, one rule a test,
and the policy's words in the help text checked against the policy itself."""

import ast
import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import (
    ChronologyEntry,
    CustodyEntry,
    DeletionRequest,
    Device,
    OnlineReport,
    ParentsDecision,
    Referral,
    ReferralChase,
    ViewingRecord,
)
from incidents.services import actions, followup, imagery
from incidents.services.followup import ONLINE_SERVICE_HELP
from tests.action_values import ago, deletion_request_values, seizure_values, viewing_values
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
POLICY = Path("/work/shared/reference/ypsi-policy-guidance.txt")
if not POLICY.exists():
    POLICY = ROOT.parent / "shared" / "reference" / "ypsi-policy-guidance.txt"


def errors_of(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def entries(incident) -> int:
    return incident.chronology.count()


# --- Referrals -----------------------------------------------------------------------------------


def a_referral(incident, dsl, **overrides) -> dict:
    values = {
        "actor": dsl,
        "incident": incident,
        "agency": Referral.Agency.POLICE_101,
        "made_at": timezone.now(),
        "method": Referral.Method.PHONE,
        "contact_name": "PC Hill",
        "information_shared": "What the pupil told us.",
    }
    values.update(overrides)
    return values


class TestReferralRules:
    def test_every_agency_the_issue_names_can_be_recorded(self, incident, dsl):
        agencies = {choice for choice, _ in Referral.Agency.choices}
        assert agencies == {"mash", "police_101", "police_999", "ceop", "lado", "other_setting"}
        assert {m for m, _ in Referral.Method.choices} == {"phone", "online_form", "email"}
        for agency in agencies - {"other_setting"}:
            actions.referral_create(**a_referral(incident, dsl, agency=agency))
        assert Referral.objects.count() == len(agencies) - 1

    def test_the_agency_how_and_when_are_required(self, incident, dsl):
        before = entries(incident)
        errors = errors_of(actions.referral_create, **a_referral(incident, dsl, agency="", method="", made_at=None))
        assert {"agency", "method", "made_at"} <= set(errors)
        assert entries(incident) == before

    def test_the_next_chase_cannot_be_due_before_the_referral(self, incident, dsl):
        errors = errors_of(
            actions.referral_create,
            **a_referral(incident, dsl, next_chase_due=timezone.localdate() - timedelta(days=1)),
        )
        assert "before the referral was made" in errors["next_chase_due"][0]

    def test_a_chase_needs_its_result_and_no_date_in_the_past(self, incident, dsl):
        referral = actions.referral_create(**a_referral(incident, dsl))
        errors = errors_of(
            actions.referral_chase,
            actor=dsl,
            referral=referral,
            chased_at=timezone.now(),
            result=" ",
            next_chase_due=timezone.localdate() - timedelta(days=1),
        )
        assert set(errors) == {"result", "next_chase_due"}
        assert not ReferralChase.objects.exists()

    def test_a_chase_cannot_be_in_the_future(self, incident, dsl):
        referral = actions.referral_create(**a_referral(incident, dsl))
        errors = errors_of(
            actions.referral_chase, actor=dsl, referral=referral, chased_at=ago(hours=-2), result="Called."
        )
        assert "future" in errors["chased_at"][0]

    def test_once_the_outcome_is_in_no_further_chase_is_due(self, incident, dsl):
        referral = actions.referral_create(**a_referral(incident, dsl))
        referral = actions.referral_record_outcome(actor=dsl, referral=referral, outcome=Referral.Outcome.ACCEPTED)
        errors = errors_of(
            actions.referral_chase,
            actor=dsl,
            referral=referral,
            chased_at=timezone.now(),
            result="Asked for an update.",
            next_chase_due=timezone.localdate() + timedelta(days=3),
        )
        assert "no further chase is due" in errors["next_chase_due"][0]

    def test_an_other_outcome_must_be_described_and_awaiting_is_not_an_outcome(self, incident, dsl):
        referral = actions.referral_create(**a_referral(incident, dsl))
        assert "notes" in errors_of(
            actions.referral_record_outcome, actor=dsl, referral=referral, outcome=Referral.Outcome.OTHER
        )
        assert "outcome" in errors_of(
            actions.referral_record_outcome, actor=dsl, referral=referral, outcome=Referral.Outcome.AWAITING
        )
        referral.refresh_from_db()
        assert referral.awaiting_outcome

    def test_the_police_warning_is_beside_referrals(self, client_for, dsl, incident):
        client = client_for(dsl)
        page = client.get(incident.get_absolute_url()).text
        assert "once children are named, the police must record the incident and\n    investigate" in page
        form = client.get(reverse("incidents:referral_add", args=[incident.code])).text
        assert "the police will conduct an investigation" in form
        assert "Once children are named to the police, the police must record the incident and investigate" in form


# --- Parents and carers --------------------------------------------------------------------------


class TestParentsRules:
    def test_supported_to_tell_needs_when_and_who_but_not_how(self, incident, dsl, pupil):
        errors = errors_of(
            actions.parents_decision_record, actor=dsl, incident=incident, young_person=pupil, decision="supported"
        )
        assert set(errors) == {"informed_at", "informed_by"}
        actions.parents_decision_record(
            actor=dsl,
            incident=incident,
            young_person=pupil,
            decision="supported",
            informed_at=ago(hours=1),
            informed_by=dsl,
        )
        assert "was supported by Dana Tester to tell" in incident.chronology.last().summary

    def test_whoever_told_them_works_in_the_setting(self, incident, dsl, other_dsl, pupil):
        errors = errors_of(
            actions.parents_decision_record,
            actor=dsl,
            incident=incident,
            young_person=pupil,
            decision="inform",
            informed_at=ago(hours=1),
            informed_by=other_dsl,
            method="phone",
        )
        assert "not a member of this setting" in errors["informed_by"][0]
        assert not ParentsDecision.objects.exists()

    def test_parents_cannot_have_been_told_in_the_future(self, incident, dsl, pupil):
        errors = errors_of(
            actions.parents_decision_record,
            actor=dsl,
            incident=incident,
            young_person=pupil,
            decision="inform",
            informed_at=ago(hours=-2),
            informed_by=dsl,
            method="phone",
        )
        assert "future" in errors["informed_at"][0]


# --- Devices -------------------------------------------------------------------------------------


class TestDeviceRules:
    def test_what_where_whose_when_and_by_whom_are_required(self, incident, dsl):
        errors = errors_of(
            actions.device_record_seizure,
            **seizure_values(
                incident, dsl, description="", owner="", seized_at=None, seized_by=None, locked_away_where=""
            ),
        )
        assert set(errors) == {"description", "owner", "seized_at", "seized_by", "locked_away_where"}
        assert not Device.objects.exists()

    def test_it_is_seized_by_someone_in_the_setting_and_not_in_the_future(self, incident, dsl, other_dsl):
        errors = errors_of(
            actions.device_record_seizure, **seizure_values(incident, dsl, seized_by=other_dsl, seized_at=ago(hours=-2))
        )
        assert set(errors) == {"seized_by", "seized_at"}

    def test_a_hand_over_names_who_received_it_and_is_not_in_the_future(self, incident, dsl):
        device = actions.device_record_seizure(**seizure_values(incident, dsl))
        errors = errors_of(actions.device_hand_over, actor=dsl, device=device, to_name=" ", at=ago(hours=-2))
        assert set(errors) == {"to_name", "at"}
        assert not CustodyEntry.objects.exists()

    def test_each_link_starts_where_the_last_one_ended(self, incident, dsl, head, deputy):
        device = actions.device_record_seizure(**seizure_values(incident, dsl))
        for holder, hours in ((str(head), 2), (str(deputy), 1), ("Ms Grant, IT technician", 0)):
            actions.device_hand_over(actor=dsl, device=device, to_name=holder, at=ago(hours=hours))
        chain = list(device.custody.order_by("sequence"))
        assert [entry.sequence for entry in chain] == [1, 2, 3]
        assert chain[0].from_name == str(dsl)
        for earlier, later in zip(chain, chain[1:], strict=False):
            assert later.from_name == earlier.to_name
            assert later.at >= earlier.at


# --- Viewing -------------------------------------------------------------------------------------


class TestViewingRules:
    def test_the_people_the_place_and_the_time_are_required(self, incident, dsl, head, deputy, pupil):
        errors = errors_of(
            imagery.viewing_record,
            **viewing_values(
                incident,
                dsl,
                head,
                deputy,
                pupil,
                young_person=None,
                headteacher=None,
                viewer=None,
                witness=None,
                location="",
                same_sex="",
                viewed_at=None,
            ),
        )
        assert {"young_person", "headteacher", "viewer", "witness", "location", "same_sex", "viewed_at"} <= set(errors)
        assert "discussed with the headteacher" in errors["headteacher"][0]
        assert not ViewingRecord.objects.exists()

    def test_only_the_three_justifications_of_the_policy_are_accepted(self, incident, dsl, head, deputy, pupil):
        assert len(ViewingRecord.Justification.choices) == 3
        errors = errors_of(
            imagery.viewing_record, **viewing_values(incident, dsl, head, deputy, pupil, justification="curiosity")
        )
        assert "three reasons" in errors["justification"][0]

    def test_off_the_premises_must_say_where_and_why(self, incident, dsl, head, deputy, pupil):
        errors = errors_of(
            imagery.viewing_record,
            **viewing_values(incident, dsl, head, deputy, pupil, on_premises=False, location="Home"),
        )
        assert "off the premises" in errors["location"][0]
        record = imagery.viewing_record(
            **viewing_values(
                incident,
                dsl,
                head,
                deputy,
                pupil,
                on_premises=False,
                location="Police station interview room, at the officer's request",
            )
        )
        assert not record.on_premises

    def test_a_different_sex_needs_the_reason_and_the_same_sex_keeps_none(self, incident, dsl, head, deputy, pupil):
        record = imagery.viewing_record(
            **viewing_values(incident, dsl, head, deputy, pupil, same_sex="yes", same_sex_reason="ignored")
        )
        assert record.same_sex_reason == ""
        record = imagery.viewing_record(
            **viewing_values(incident, dsl, head, deputy, pupil, same_sex="no", same_sex_reason="Nobody else on site.")
        )
        assert record.same_sex_reason == "Nobody else on site."

    def test_the_young_person_must_be_in_the_incident_and_the_viewing_not_in_the_future(
        self, incident, dsl, head, deputy, pupil
    ):
        stranger = YoungPersonFactory(setting=incident.setting)
        errors = errors_of(
            imagery.viewing_record,
            **viewing_values(incident, dsl, head, deputy, pupil, young_person=stranger, viewed_at=ago(hours=-2)),
        )
        assert set(errors) == {"young_person", "viewed_at"}

    def test_the_form_page_refuses_a_viewing_without_the_safeguards_and_keeps_the_text(
        self, client_for, dsl, head, deputy, incident, pupil
    ):
        response = client_for(dsl).post(
            reverse("incidents:viewing_add", args=[incident.code]),
            {
                "young_person": pupil.pk,
                "justification": "only_way",
                "headteacher": head.pk,
                "viewer": dsl.pk,
                "witness": deputy.pk,
                "on_premises": "on",
                "location": "Head's office",
                "same_sex": "yes",
                "viewed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "reason": "Only way to establish the facts.",
                "what_followed": "Referred.",
            },
        )
        assert response.status_code == 400
        assert "Only way to establish the facts." in response.text
        assert "not copied, printed or shared: doing so is illegal" in response.text
        assert "significant distress or harm" in response.text
        assert not ViewingRecord.objects.exists()


# --- Staff who saw it unavoidably ----------------------------------------------------------------


class TestStaffSupportRules:
    def test_support_is_offered_by_someone_in_the_setting_and_not_in_the_future(self, incident, dsl, staff, other_dsl):
        record = imagery.unavoidable_viewing_record(
            actor=dsl,
            incident=incident,
            staff_member=staff,
            circumstance="it_monitoring",
            viewed_on=timezone.localdate(),
        )
        errors = errors_of(
            imagery.staff_support_record,
            actor=dsl,
            record=record,
            offered_by=other_dsl,
            offered_at=ago(hours=-2),
            notes="Talked it through.",
        )
        assert set(errors) == {"offered_by", "offered_at"}
        record.refresh_from_db()
        assert not record.support_given

    def test_the_support_closes_the_task_the_report_form_opened(self, client_for, oakfield, dsl, staff):
        from tests.test_disclosures import report

        disclosure = report(staff, oakfield, reporter_saw_imagery="saw")
        record = disclosure.incident.unavoidable_viewings.get()
        client = client_for(dsl)
        assert "Staff to offer support" in client.get(reverse("incidents:dashboard")).text
        imagery.staff_support_record(
            actor=dsl, record=record, offered_by=dsl, offered_at=timezone.now(), notes="Talked it through; EAP."
        )
        assert "Staff to offer support" not in client.get(reverse("incidents:dashboard")).text
        assert disclosure.incident.chronology.filter(kind=ChronologyEntry.Kind.STAFF_SUPPORT).exists()


# --- Deletion ------------------------------------------------------------------------------------


class TestDeletionRules:
    def decide(self, incident, dsl, method="ask"):
        return imagery.deletion_decide(actor=dsl, incident=incident, method=method, reason="r", decided_at=ago(hours=2))

    def ask(self, decision, dsl, pupil, **overrides):
        values = deletion_request_values(decision, dsl, pupil, **({"in_online_storage": True} | overrides))
        return imagery.deletion_request_record(**values)

    def test_the_setting_may_search_and_delete_with_a_reason(self, incident, dsl):
        decision = imagery.deletion_decide(
            actor=dsl,
            incident=incident,
            method="search",
            reason="The pupil refused; searched under the searching and confiscation powers.",
            decided_at=ago(hours=1),
        )
        assert "searching and confiscation powers" in decision.get_method_display()
        assert "searching and confiscation" in incident.chronology.last().summary
        assert "method" in errors_of(
            imagery.deletion_decide, actor=dsl, incident=incident, method="burn", reason="r", decided_at=ago(hours=1)
        )

    def test_the_deadline_cannot_be_before_they_were_asked(self, incident, dsl, pupil):
        errors = errors_of(
            self.ask,
            decision=self.decide(incident, dsl),
            dsl=dsl,
            pupil=pupil,
            deadline=timezone.localdate() - timedelta(days=2),
        )
        assert "before they were asked" in errors["deadline"][0]
        assert not DeletionRequest.objects.exists()

    def test_only_young_people_of_the_incident_are_asked(self, incident, dsl):
        stranger = YoungPersonFactory(setting=incident.setting)
        errors = errors_of(self.ask, decision=self.decide(incident, dsl), dsl=dsl, pupil=stranger)
        assert "young_person" in errors

    def test_confirmation_says_how_and_is_recorded_once(self, incident, dsl, pupil):
        request = self.ask(self.decide(incident, dsl), dsl, pupil)
        assert "method" in errors_of(
            imagery.deletion_confirm, actor=dsl, request=request, confirmed_at=timezone.now(), method=""
        )
        request = imagery.deletion_confirm(actor=dsl, request=request, confirmed_at=timezone.now(), method="written")
        assert (
            "already been confirmed"
            in errors_of(
                imagery.deletion_confirm, actor=dsl, request=request, confirmed_at=timezone.now(), method="written"
            )["__all__"][0]
        )

    def test_escalation_says_what_was_done(self, incident, dsl, pupil):
        request = self.ask(self.decide(incident, dsl), dsl, pupil)
        assert "notes" in errors_of(imagery.deletion_escalate, actor=dsl, request=request, notes=" ")
        request.refresh_from_db()
        assert request.escalated_at is None

    def test_parents_told_is_the_default(self, incident, dsl, pupil):
        request = self.ask(self.decide(incident, dsl), dsl, pupil)
        assert request.parents_informed == DeletionRequest.ParentsInformed.YES
        assert request.parents_reason == ""


# --- Conversations and online reports ------------------------------------------------------------


class TestConversationAndOnlineReportRules:
    def test_a_conversation_is_with_a_young_person_of_the_incident_led_by_staff_of_the_setting(
        self, incident, dsl, other_dsl
    ):
        stranger = YoungPersonFactory(setting=incident.setting)
        errors = errors_of(
            followup.conversation_record,
            actor=dsl,
            incident=incident,
            young_person=stranger,
            led_by=other_dsl,
            held_at=ago(hours=-2),
            notes="Talked.",
        )
        assert set(errors) == {"young_person", "led_by", "held_at"}

    def test_the_preferred_teacher_is_given_this_incident_and_no_other(
        self, incident, dsl, trusted_teacher, pupil, oakfield
    ):
        from incidents.models import Incident
        from incidents.services.incidents import incident_create

        other = incident_create(actor=dsl, setting=oakfield, summary="Another incident.")
        followup.conversation_record(
            actor=dsl,
            incident=incident,
            young_person=pupil,
            led_by=trusted_teacher,
            held_at=ago(hours=1),
            preferred_staff_led=True,
            stopping_spread="Asked friends to delete.",
        )
        visible = set(Incident.objects.visible_to(trusted_teacher))
        assert visible == {incident}
        assert other not in visible

    def test_the_purposes_and_topics_of_the_policy_are_on_the_form(self, client_for, dsl, incident):
        page = client_for(dsl).get(reverse("incidents:conversation_add", args=[incident.code])).text
        for words in (
            "The pressures young people can be under to share imagery",
            "Consent and trust within healthy relationships",
            "Who they can tell if this happens again",
            "What the image contains, identified without looking",
            "Who has seen or shared it",
            "How further spread can be stopped",
        ):
            assert words in page

    def test_the_form_says_what_each_online_service_is_for(self, client_for, dsl, incident):
        page = html.unescape(client_for(dsl).get(reverse("incidents:online_report_add", args=[incident.code])).text)
        for service in OnlineReport.Service:
            assert ONLINE_SERVICE_HELP[service] in page
        assert "Report Remove" in page and "Take It Down" in page

    def test_an_online_report_says_when_and_by_whom_and_not_in_the_future(self, incident, dsl):
        errors = errors_of(
            followup.online_report_record,
            actor=dsl,
            incident=incident,
            service="take_it_down",
            reported_at=ago(hours=-2),
            reported_by=" ",
        )
        assert set(errors) == {"reported_at", "reported_by"}
        assert not OnlineReport.objects.exists()


# --- The policy's words in help text -------------------------------------------------------------


def _normalise(text: str) -> str:
    text = text.replace("**", "").replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _quoted_phrases(path: Path) -> list[str]:
    """Every phrase in curly quotes in the module's string literals."""
    phrases = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            phrases += re.findall("\u201c(.*?)\u201d", node.value)
    return phrases


@pytest.mark.skipif(not POLICY.exists(), reason="the policy text is not on this machine")
def test_every_quoted_phrase_in_the_action_forms_is_the_policys_own_words():
    module = "incidents/forms/actions.py"
    policy = _normalise(POLICY.read_text())
    phrases = _quoted_phrases(ROOT / module)
    assert len(phrases) >= 20  # the walk is looking at the help texts
    for phrase in phrases:
        for part in phrase.split("..."):
            part = _normalise(part).strip(" .;,")
            assert part in policy, f"{module}: \u201c{phrase}\u201d is not in the policy"


# --- Due and overdue: reports not yet acknowledged -----------------------------------------------


class TestUnacknowledgedReportsAreDue:
    def test_an_unacknowledged_report_is_due_and_drops_off_once_acknowledged(self, oakfield, staff, dsl):
        from incidents import due, selectors_actions
        from incidents.services.disclosures import disclosure_acknowledge
        from tests.test_disclosures import report

        disclosure = report(staff, oakfield)
        items = [i for i in selectors_actions.due_items([oakfield.pk]) if i.key.startswith("disclosure_ack:")]
        assert [i.incident_reference for i in items] == [disclosure.reference]
        overdue, upcoming = due.split(items, timezone.localdate() + timedelta(days=1))
        assert overdue == items and upcoming == []
        disclosure_acknowledge(actor=dsl, disclosure=disclosure)
        assert not [i for i in selectors_actions.due_items([oakfield.pk]) if i.key.startswith("disclosure_ack:")]

    def test_the_reminder_names_the_reference_and_nothing_of_the_report(self, oakfield, staff, dsl):
        from incidents.services.reminders import queue_overdue_reminders
        from tests.test_disclosures import NARRATIVE, report

        disclosure = report(staff, oakfield)
        emails = queue_overdue_reminders(today=timezone.localdate() + timedelta(days=1))
        assert len(emails) == 1
        body = emails[0].subject + emails[0].body
        assert disclosure.reference in body
        assert "not yet acknowledged" in body
        for secret in (NARRATIVE[:20], "Jess", "Tom", str(staff)):
            assert secret not in body
        assert queue_overdue_reminders(today=timezone.localdate() + timedelta(days=1)) == []


def _policy_sections() -> dict[str, str]:
    """The policy's text by section: a heading is a short line of its own without end punctuation."""
    lines = POLICY.read_text().splitlines()
    sections: dict[str, list[str]] = {}
    current = None
    for number, line in enumerate(lines):
        stripped = line.strip()
        is_heading = (
            3 < len(stripped) < 70
            and not stripped.startswith(("-", "(", "*"))
            and not stripped.endswith((".", ":", ";", ",", "?"))
            and (number == 0 or not lines[number - 1].strip())
        )
        if is_heading:
            current = stripped
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return {name: _normalise("\n".join(body)) for name, body in sections.items()}


@pytest.mark.skipif(not POLICY.exists(), reason="the policy text is not on this machine")
def test_every_policy_quote_in_the_action_and_decision_forms_names_its_section_and_comes_from_it():
    import inspect

    from django import forms as django_forms

    from incidents.forms import actions as action_forms
    from incidents.forms import decisions as decision_forms

    sections = _policy_sections()
    cited = 0
    classes = [
        form_class
        for module in (action_forms, decision_forms)
        for _, form_class in inspect.getmembers(module, inspect.isclass)
        if issubclass(form_class, django_forms.BaseForm) and form_class.__module__ == module.__name__
    ]
    for form_class in classes:
        for name, field in form_class.base_fields.items():
            help_text = str(field.help_text)
            if "\u201c" not in help_text:
                continue
            source = re.search(r"\(Policy guidance, \u2018(.+?)\u2019\.\)$", help_text)
            assert source, f"{form_class.__name__}.{name}: the quote does not say where it comes from"
            section = sections.get(source.group(1))
            assert section is not None, f"{form_class.__name__}.{name}: no section {source.group(1)!r} in the policy"
            for phrase in re.findall("\u201c(.*?)\u201d", help_text):
                for part in phrase.split("..."):
                    part = _normalise(part).strip(" .;,")
                    assert part in section, f"{form_class.__name__}.{name}: \u201c{part}\u201d is not in that section"
            cited += 1
    assert cited >= 22


class TestUnconfirmedDeletionPromptsEscalation:
    def test_a_deadline_passed_without_confirmation_is_flagged_with_the_escalate_link(
        self, client_for, incident, dsl, pupil
    ):
        decision = imagery.deletion_decide(
            actor=dsl, incident=incident, method="ask", reason="Usual course.", decided_at=ago(days=3)
        )
        request = imagery.deletion_request_record(
            actor=dsl,
            decision=decision,
            young_person=pupil,
            asked_at=ago(days=3),
            deadline=timezone.localdate() - timedelta(days=1),
            told_offence=True,
            on_devices=True,
        )
        client = client_for(dsl)
        section = client.get(incident.get_absolute_url()).text.split('id="deletion"')[1].split("</section>")[0]
        assert "Overdue" in section
        assert reverse("incidents:deletion_escalate", args=[incident.code, request.code]) in section
        dashboard = html.unescape(client.get(reverse("incidents:dashboard")).text)
        assert "escalate if the deadline has passed" in dashboard
        assert incident.reference in dashboard

        imagery.deletion_escalate(actor=dsl, request=request, notes="Refused; police told on 101.")
        section = client.get(incident.get_absolute_url()).text.split('id="deletion"')[1].split("</section>")[0]
        assert "Escalated" in section and "Overdue" not in section
