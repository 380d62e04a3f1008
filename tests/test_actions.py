"""The services for actions after the review: every safeguard the policy names is enforced."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from incidents.models import (
    ChronologyEntry,
    CustodyEntry,
    Device,
    Incident,
    ParentsDecision,
    Referral,
    ReferralChase,
    ViewingRecord,
)
from incidents.services import actions, followup, imagery
from incidents.services.incidents import incident_change_status
from tests.action_values import ago, deletion_request_values, seizure_values, viewing_values
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def kinds(incident):
    return list(incident.chronology.values_list("kind", flat=True))


def referral_of(incident, dsl, **overrides):
    values = {
        "actor": dsl,
        "incident": incident,
        "agency": Referral.Agency.MASH,
        "made_at": timezone.now(),
        "method": Referral.Method.PHONE,
        "contact_name": "Sue at the MASH",
        "information_shared": "What the pupil told us.",
        "next_chase_due": timezone.localdate() + timedelta(days=2),
    }
    values.update(overrides)
    return actions.referral_create(**values)


class TestReferrals:
    def test_a_referral_is_recorded_with_its_chronology(self, incident, dsl):
        referral = referral_of(incident, dsl, agency_reference="MASH/123")
        assert referral.setting == incident.setting
        entry = incident.chronology.last()
        assert entry.kind == ChronologyEntry.Kind.REFERRAL
        assert "MASH/123" in entry.summary and "Next chase due" in entry.summary

    def test_it_needs_contact_and_what_was_shared(self, incident, dsl):
        with pytest.raises(ValidationError) as error:
            referral_of(incident, dsl, contact_name=" ", information_shared="")
        assert set(error.value.message_dict) == {"contact_name", "information_shared"}
        assert not Referral.objects.exists()
        assert kinds(incident) == [ChronologyEntry.Kind.CREATED]

    def test_another_setting_must_be_named(self, incident, dsl):
        with pytest.raises(ValidationError) as error:
            referral_of(incident, dsl, agency=Referral.Agency.OTHER_SETTING)
        assert "agency_name" in error.value.message_dict

    def test_it_cannot_be_in_the_future_or_before_the_report(self, incident, dsl):
        with pytest.raises(ValidationError, match="future"):
            referral_of(incident, dsl, made_at=timezone.now() + timedelta(hours=2))
        with pytest.raises(ValidationError, match="before the incident was reported"):
            referral_of(incident, dsl, made_at=incident.reported_at - timedelta(days=1))

    def test_a_chase_moves_the_next_chase_date_and_is_kept(self, incident, dsl):
        referral = referral_of(incident, dsl)
        due = timezone.localdate() + timedelta(days=5)
        actions.referral_chase(
            actor=dsl, referral=referral, chased_at=timezone.now(), result="No answer.", next_chase_due=due
        )
        referral.refresh_from_db()
        assert referral.next_chase_due == due
        assert referral.chases.count() == 1
        assert kinds(incident)[-1] == ChronologyEntry.Kind.REFERRAL_CHASE

    def test_a_chase_cannot_be_before_the_referral(self, incident, dsl):
        referral = referral_of(incident, dsl)
        with pytest.raises(ValidationError, match="before the referral was made"):
            actions.referral_chase(
                actor=dsl, referral=referral, chased_at=referral.made_at - timedelta(minutes=1), result="x"
            )

    def test_chases_cannot_be_changed_or_deleted(self, incident, dsl):
        referral = referral_of(incident, dsl)
        chase = actions.referral_chase(actor=dsl, referral=referral, chased_at=timezone.now(), result="Called.")
        with pytest.raises(DatabaseError), transaction.atomic():
            ReferralChase.objects.filter(pk=chase.pk).update(result="Rewritten.")
        with pytest.raises(DatabaseError), transaction.atomic():
            ReferralChase.objects.filter(pk=chase.pk).delete()

    def test_outcome_21_is_only_for_the_police(self, incident, dsl):
        mash = referral_of(incident, dsl)
        with pytest.raises(ValidationError, match="police decision"):
            actions.referral_record_outcome(actor=dsl, referral=mash, outcome=Referral.Outcome.OUTCOME_21)
        police = referral_of(incident, dsl, agency=Referral.Agency.POLICE_101)
        done = actions.referral_record_outcome(actor=dsl, referral=police, outcome=Referral.Outcome.OUTCOME_21)
        assert done.outcome_recorded_at is not None and done.next_chase_due is None
        assert "outcome 21" in incident.chronology.last().summary


class TestParents:
    def test_informing_needs_when_who_and_how(self, incident, dsl, pupil):
        with pytest.raises(ValidationError) as error:
            actions.parents_decision_record(actor=dsl, incident=incident, young_person=pupil, decision="inform")
        assert set(error.value.message_dict) == {"informed_at", "informed_by", "method"}
        record = actions.parents_decision_record(
            actor=dsl,
            incident=incident,
            young_person=pupil,
            decision="inform",
            informed_at=ago(hours=1),
            informed_by=dsl,
            method="phone",
        )
        assert "told by Dana Tester (phone" in incident.chronology.last().summary
        assert record.setting == incident.setting

    def test_not_informing_needs_the_reason_and_who_it_was_decided_with(self, incident, dsl, pupil):
        with pytest.raises(ValidationError) as error:
            actions.parents_decision_record(actor=dsl, incident=incident, young_person=pupil, decision="not_inform")
        assert set(error.value.message_dict) == {"reason", "decided_with"}
        actions.parents_decision_record(
            actor=dsl,
            incident=incident,
            young_person=pupil,
            decision="not_inform",
            reason="Risk of harm at home.",
            decided_with="mash",
            decided_with_name="Sue, MASH",
        )
        assert ParentsDecision.objects.get().decided_with == "mash"

    def test_the_database_refuses_a_non_informing_decision_without_a_reason(self, incident, dsl, pupil):
        with pytest.raises(IntegrityError), transaction.atomic():
            ParentsDecision.objects.create(
                setting=incident.setting, incident=incident, young_person=pupil, decision="not_inform", recorded_by=dsl
            )

    def test_the_young_person_must_be_in_the_incident(self, incident, dsl):
        stranger = YoungPersonFactory(setting=incident.setting)
        with pytest.raises(ValidationError, match="not recorded as involved"):
            actions.parents_decision_record(
                actor=dsl,
                incident=incident,
                young_person=stranger,
                decision="supported",
                informed_at=ago(hours=1),
                informed_by=dsl,
            )


def seize(incident, dsl, **overrides):
    return actions.device_record_seizure(**seizure_values(incident, dsl, **overrides))


class TestDevices:
    def test_a_device_must_be_switched_off(self, incident, dsl):
        with pytest.raises(ValidationError) as error:
            seize(incident, dsl, switched_off=False)
        assert "switched_off" in error.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            Device.objects.create(
                setting=incident.setting,
                incident=incident,
                description="x",
                owner="y",
                seized_at=ago(hours=1),
                seized_by=dsl,
                switched_off=False,
                locked_away_where="safe",
                recorded_by=dsl,
            )

    def test_the_custody_chain_follows_each_holder_without_gaps(self, incident, dsl, head):
        device = seize(incident, dsl)
        first = actions.device_hand_over(actor=dsl, device=device, to_name="Helen Tester", at=ago(hours=2))
        police = actions.device_hand_over(
            actor=dsl,
            device=device,
            to_name="",
            at=ago(hours=1),
            to_police=True,
            police_officer_name="PC Jones",
            police_officer_number="4521",
        )
        assert (first.sequence, first.from_name, first.to_name) == (1, "Dana Tester", "Helen Tester")
        assert (police.sequence, police.from_name) == (2, "Helen Tester")
        device.refresh_from_db()
        assert device.with_police and device.police_officer_number == "4521"
        assert kinds(incident)[-2:] == [ChronologyEntry.Kind.CUSTODY, ChronologyEntry.Kind.CUSTODY]

    def test_no_hand_over_before_seizure_or_before_the_last_one(self, incident, dsl):
        device = seize(incident, dsl)
        with pytest.raises(ValidationError, match="before it was seized"):
            actions.device_hand_over(actor=dsl, device=device, to_name="X", at=device.seized_at - timedelta(minutes=1))
        actions.device_hand_over(actor=dsl, device=device, to_name="X", at=ago(hours=1))
        with pytest.raises(ValidationError, match="cannot be earlier"):
            actions.device_hand_over(actor=dsl, device=device, to_name="Y", at=ago(hours=2))
        assert CustodyEntry.objects.count() == 1

    def test_the_database_refuses_a_police_hand_over_before_seizure(self, incident, dsl):
        device = seize(incident, dsl)
        with pytest.raises(IntegrityError), transaction.atomic():
            Device.objects.filter(pk=device.pk).update(
                handed_to_police_at=device.seized_at - timedelta(hours=1),
                police_officer_name="PC",
                police_officer_number="1",
            )

    def test_police_hand_over_needs_the_officer_and_ends_the_chain(self, incident, dsl):
        device = seize(incident, dsl)
        with pytest.raises(ValidationError) as error:
            actions.device_hand_over(actor=dsl, device=device, to_name="", at=ago(hours=1), to_police=True)
        assert set(error.value.message_dict) == {"police_officer_name", "police_officer_number"}
        actions.device_hand_over(
            actor=dsl,
            device=device,
            to_name="",
            at=ago(hours=1),
            to_police=True,
            police_officer_name="PC Jones",
            police_officer_number="4521",
        )
        with pytest.raises(ValidationError, match="handed to the police"):
            actions.device_hand_over(actor=dsl, device=device, to_name="Back to school", at=timezone.now())

    def test_custody_entries_cannot_be_rewritten(self, incident, dsl):
        entry = actions.device_hand_over(actor=dsl, device=seize(incident, dsl), to_name="X", at=ago(hours=1))
        with pytest.raises(DatabaseError), transaction.atomic():
            CustodyEntry.objects.filter(pk=entry.pk).update(to_name="Someone else")


def view(incident, dsl, head, deputy, pupil, **overrides):
    return imagery.viewing_record(**viewing_values(incident, dsl, head, deputy, pupil, **overrides))


class TestViewing:
    def test_a_viewing_is_recorded_awaiting_both_confirmations(self, incident, dsl, head, deputy, pupil):
        record = view(incident, dsl, head, deputy, pupil)
        assert not record.fully_confirmed
        assert "Discussed with Helen Tester" in incident.chronology.last().summary

    def test_every_safeguard_is_required(self, incident, dsl, head, deputy, pupil):
        with pytest.raises(ValidationError) as error:
            view(
                incident,
                dsl,
                head,
                deputy,
                pupil,
                justification="",
                confirm_not_copied=False,
                confirm_no_distress=False,
                same_sex="no",
                reason="",
                what_followed="",
            )
        assert set(error.value.message_dict) == {
            "justification",
            "confirm_not_copied",
            "confirm_no_distress",
            "same_sex_reason",
            "reason",
            "what_followed",
        }
        assert not ViewingRecord.objects.exists()

    def test_the_headteacher_must_be_the_settings_headteacher(self, incident, dsl, deputy, pupil):
        with pytest.raises(ValidationError) as error:
            view(incident, dsl, deputy, deputy, pupil, witness=dsl, viewer=dsl)
        assert "headteacher" in error.value.message_dict

    def test_a_deputy_views_only_with_delegated_authority_and_staff_never(
        self, incident, dsl, head, deputy, staff, pupil
    ):
        with pytest.raises(ValidationError) as error:
            view(incident, dsl, head, deputy, pupil, viewer=deputy, witness=dsl)
        assert "delegated_authority" in error.value.message_dict
        view(incident, dsl, head, deputy, pupil, viewer=deputy, witness=dsl, delegated_authority=True)
        with pytest.raises(ValidationError) as error:
            view(incident, dsl, head, deputy, pupil, viewer=staff, witness=dsl)
        assert "viewer" in error.value.message_dict

    def test_the_witness_is_someone_else_in_the_setting(self, incident, dsl, head, deputy, other_dsl, pupil):
        with pytest.raises(ValidationError, match="someone other than the viewer"):
            view(incident, dsl, head, deputy, pupil, witness=dsl)
        with pytest.raises(ValidationError, match="not a member"):
            view(incident, dsl, head, deputy, pupil, witness=other_dsl)

    def test_viewer_and_witness_each_confirm_with_their_own_password(
        self, incident, dsl, head, deputy, pupil, password
    ):
        record = view(incident, dsl, head, deputy, pupil)
        with pytest.raises(ValidationError, match="Only the viewer"):
            imagery.viewing_confirm(actor=head, viewing=record, password=password)
        with pytest.raises(ValidationError, match="password is not right"):
            imagery.viewing_confirm(actor=dsl, viewing=record, password="wrong")
        record = imagery.viewing_confirm(actor=dsl, viewing=record, password=password)
        with pytest.raises(ValidationError, match="already confirmed"):
            imagery.viewing_confirm(actor=dsl, viewing=record, password=password)
        record = imagery.viewing_confirm(actor=deputy, viewing=record, password=password)
        assert record.fully_confirmed
        assert "Both have now confirmed it" in incident.chronology.last().summary

    def test_a_confirmed_record_is_fixed_in_the_database(self, incident, dsl, head, deputy, pupil, password):
        record = view(incident, dsl, head, deputy, pupil)
        ViewingRecord.objects.filter(pk=record.pk).update(reason="Still editable before confirmation.")
        imagery.viewing_confirm(actor=dsl, viewing=record, password=password)
        imagery.viewing_confirm(actor=deputy, viewing=record, password=password)
        with pytest.raises(DatabaseError), transaction.atomic():
            ViewingRecord.objects.filter(pk=record.pk).update(reason="Rewritten.")


class TestUnavoidableViewing:
    def test_support_closes_the_task(self, incident, dsl, staff):
        record = imagery.unavoidable_viewing_record(
            actor=dsl, incident=incident, staff_member=staff, circumstance="disclosure", viewed_on=timezone.localdate()
        )
        assert not record.support_given
        with pytest.raises(ValidationError) as error:
            imagery.staff_support_record(actor=dsl, record=record, offered_by=dsl, offered_at=timezone.now(), notes="")
        assert "notes" in error.value.message_dict
        record = imagery.staff_support_record(
            actor=dsl, record=record, offered_by=dsl, offered_at=timezone.now(), notes="Talked it through; EAP details."
        )
        assert record.support_given
        with pytest.raises(ValidationError, match="already been recorded"):
            imagery.staff_support_record(actor=dsl, record=record, offered_by=dsl, offered_at=timezone.now(), notes="x")


class TestDeletion:
    def decide(self, incident, dsl, **overrides):
        values = {
            "actor": dsl,
            "incident": incident,
            "method": "ask",
            "reason": "No agencies involved.",
            "decided_at": ago(hours=2),
        }
        values.update(overrides)
        return imagery.deletion_decide(**values)

    def ask(self, decision, dsl, pupil, **overrides):
        values = deletion_request_values(decision, dsl, pupil, **({"on_devices": True} | overrides))
        return imagery.deletion_request_record(**values)

    def test_a_decision_needs_a_reason(self, incident, dsl):
        with pytest.raises(ValidationError) as error:
            self.decide(incident, dsl, reason=" ")
        assert "reason" in error.value.message_dict

    def test_the_young_person_must_be_told_it_is_an_offence_and_where_to_delete(self, incident, dsl, pupil):
        decision = self.decide(incident, dsl)
        with pytest.raises(ValidationError) as error:
            self.ask(decision, dsl, pupil, told_offence=False, on_devices=False)
        assert set(error.value.message_dict) == {"told_offence", "on_devices"}
        request = self.ask(decision, dsl, pupil, on_social_media=True)
        assert "told that keeping it is a criminal offence" in incident.chronology.last().summary
        assert request.where_labels == ["devices", "social media"]

    def test_parents_not_told_needs_the_risk(self, incident, dsl, pupil):
        with pytest.raises(ValidationError) as error:
            self.ask(self.decide(incident, dsl), dsl, pupil, parents_informed="no_risk")
        assert "parents_reason" in error.value.message_dict

    def test_one_request_per_young_person_per_decision(self, incident, dsl, pupil):
        decision = self.decide(incident, dsl)
        self.ask(decision, dsl, pupil)
        with pytest.raises(ValidationError, match="already been asked"):
            self.ask(decision, dsl, pupil)

    def test_confirmation_or_escalation(self, incident, dsl, pupil):
        request = self.ask(self.decide(incident, dsl), dsl, pupil)
        with pytest.raises(ValidationError, match="before they were asked"):
            imagery.deletion_confirm(actor=dsl, request=request, confirmed_at=ago(days=1), method="in_person")
        request = imagery.deletion_confirm(actor=dsl, request=request, confirmed_at=timezone.now(), method="in_person")
        assert request.confirmed
        assert kinds(incident)[-1] == ChronologyEntry.Kind.DELETION_CONFIRMED
        with pytest.raises(ValidationError, match="nothing to escalate"):
            imagery.deletion_escalate(actor=dsl, request=request, notes="x")

    def test_an_unconfirmed_deletion_is_escalated(self, incident, dsl, pupil):
        request = self.ask(self.decide(incident, dsl), dsl, pupil)
        request = imagery.deletion_escalate(actor=dsl, request=request, notes="Police contacted on 101.")
        assert request.escalated_at is not None
        assert kinds(incident)[-1] == ChronologyEntry.Kind.DELETION_ESCALATED


class TestConversationsReportsSanctions:
    def test_the_preferred_member_of_staff_is_given_this_incident_only(self, incident, dsl, trusted_teacher, pupil):
        followup.conversation_record(
            actor=dsl,
            incident=incident,
            young_person=pupil,
            led_by=trusted_teacher,
            held_at=ago(hours=1),
            preferred_staff_led=True,
            topic_pressures=True,
            who_has_seen="Two friends.",
        )
        assert list(Incident.objects.visible_to(trusted_teacher)) == [incident]
        assert kinds(incident)[-2:] == [ChronologyEntry.Kind.CONVERSATION, ChronologyEntry.Kind.ACCESS_GRANTED]

    def test_a_conversation_led_by_the_dsl_grants_nothing(self, incident, dsl, pupil):
        followup.conversation_record(
            actor=dsl,
            incident=incident,
            young_person=pupil,
            led_by=dsl,
            held_at=ago(hours=1),
            preferred_staff_led=True,
            notes="Talked.",
        )
        assert kinds(incident)[-1] == ChronologyEntry.Kind.CONVERSATION

    def test_a_conversation_must_record_something(self, incident, dsl, pupil):
        with pytest.raises(ValidationError) as error:
            followup.conversation_record(
                actor=dsl, incident=incident, young_person=pupil, led_by=dsl, held_at=ago(hours=1)
            )
        assert "notes" in error.value.message_dict

    def test_an_online_report_names_a_platform(self, incident, dsl):
        with pytest.raises(ValidationError) as error:
            followup.online_report_record(
                actor=dsl, incident=incident, service="platform", reported_at=ago(hours=1), reported_by="Dana"
            )
        assert "service_name" in error.value.message_dict
        report = followup.online_report_record(
            actor=dsl,
            incident=incident,
            service="report_remove",
            reported_at=ago(hours=1),
            reported_by="Ann with Dana",
            reference="RR-1",
        )
        assert report.service_label.startswith("Childline and IWF Report Remove")

    def test_a_sanction_is_agreed_with_the_headteacher_under_the_behaviour_policy(self, incident, dsl, head, pupil):
        values = {
            "actor": dsl,
            "incident": incident,
            "young_person": pupil,
            "description": "Detention.",
            "reason": "Shared an image.",
            "decided_on": timezone.localdate(),
            "headteacher": dsl,
            "in_line_with_behaviour_policy": False,
        }
        with pytest.raises(ValidationError) as error:
            followup.sanction_record(**values)
        assert set(error.value.message_dict) == {"headteacher", "in_line_with_behaviour_policy"}
        followup.sanction_record(**{**values, "headteacher": head, "in_line_with_behaviour_policy": True})
        assert kinds(incident)[-1] == ChronologyEntry.Kind.SANCTION


class TestClosing:
    def test_an_incomplete_record_cannot_be_closed_without_an_override(self, incident, dsl):
        with pytest.raises(ValidationError) as error:
            incident_change_status(actor=dsl, incident=incident, status="closed", reason="Done.")
        assert "override_reason" in error.value.message_dict
        assert "parents' and carers' decision recorded" in error.value.message_dict["override_reason"][0]
        incident.refresh_from_db()
        assert incident.status == Incident.Status.REPORTED

    def test_an_override_closes_it_and_the_chronology_keeps_the_reason(self, incident, dsl):
        incident_change_status(
            actor=dsl, incident=incident, status="closed", reason="Done.", override_reason="Paper file holds the rest."
        )
        incident.refresh_from_db()
        assert incident.status == Incident.Status.CLOSED
        entry = incident.chronology.last()
        assert entry.kind == ChronologyEntry.Kind.CLOSED_INCOMPLETE
        assert "Reason: Paper file holds the rest." in entry.summary
        assert "people" in entry.details["missing"]
