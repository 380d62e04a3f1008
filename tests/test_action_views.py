"""The action pages: who may open them, what they save, what the incident page shows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import ChronologyEntry, Conversation, Device, Incident, Referral, ViewingRecord
from incidents.services import actions, imagery
from tests.factories import InvolvementFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def an_hour_ago():
    return local(timezone.now() - timedelta(hours=1))


ADD_PAGES = [
    "referral_add",
    "parents_add",
    "device_add",
    "viewing_add",
    "unavoidable_add",
    "deletion_decide",
    "conversation_add",
    "online_report_add",
    "sanction_add",
]


class TestWhoMayRecord:
    @pytest.mark.parametrize("name", ADD_PAGES)
    def test_the_safeguarding_team_opens_every_form(self, client_for, dsl, deputy, incident, name):
        url = reverse(f"incidents:{name}", args=[incident.code])
        assert client_for(dsl).get(url).status_code == 200
        assert client_for(deputy).get(url).status_code == 200

    @pytest.mark.parametrize("name", ADD_PAGES)
    def test_the_head_and_auditor_may_read_but_not_record(self, client_for, head, auditor, incident, name):
        url = reverse(f"incidents:{name}", args=[incident.code])
        assert client_for(head).get(url).status_code == 403
        assert client_for(auditor).post(url, {}).status_code == 403

    @pytest.mark.parametrize("name", ADD_PAGES)
    def test_staff_and_other_settings_see_nothing(self, client_for, staff, other_dsl, incident, name):
        url = reverse(f"incidents:{name}", args=[incident.code])
        assert client_for(staff).get(url).status_code == 404
        assert client_for(other_dsl).get(url).status_code == 404

    def test_a_member_of_staff_granted_the_incident_cannot_record_actions(
        self, client_for, dsl, trusted_teacher, incident
    ):
        from incidents.services.grants import incident_grant_access

        incident_grant_access(actor=dsl, incident=incident, member=trusted_teacher, reason="Talks with the pupil.")
        url = reverse("incidents:referral_add", args=[incident.code])
        assert client_for(trusted_teacher).get(url).status_code == 403

    def test_a_record_of_another_incident_is_not_found(self, client_for, dsl, incident, other_incident, other_dsl):
        referral = actions.referral_create(
            actor=other_dsl,
            incident=other_incident,
            agency="mash",
            made_at=timezone.now(),
            method="phone",
            contact_name="X",
            information_shared="Y",
        )
        url = reverse("incidents:referral_chase", args=[incident.code, referral.code])
        assert client_for(dsl).get(url).status_code == 404


class TestRecording:
    def test_a_referral_is_recorded_from_the_form(self, client_for, dsl, incident):
        url = reverse("incidents:referral_add", args=[incident.code])
        response = client_for(dsl).post(
            url,
            {
                "agency": "police_101",
                "made_at": local(timezone.now()),
                "method": "phone",
                "contact_name": "PC Jones",
                "agency_reference": "CAD 123",
                "information_shared": "Names and what was said.",
                "next_chase_due": (timezone.localdate() + timedelta(days=3)).isoformat(),
            },
        )
        assert response.status_code == 302
        assert response.url == incident.get_absolute_url() + "#referrals"
        assert Referral.objects.get().agency_reference == "CAD 123"

    def test_bad_input_comes_back_with_the_text_and_nothing_saved(self, client_for, dsl, incident):
        url = reverse("incidents:referral_add", args=[incident.code])
        response = client_for(dsl).post(
            url,
            {
                "agency": "other_setting",
                "made_at": local(timezone.now()),
                "method": "email",
                "contact_name": "Mr Head",
                "information_shared": "Kept this text.",
            },
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "Name the school or college." in body
        assert "Kept this text." in body
        assert not Referral.objects.exists()

    def test_a_device_that_was_not_switched_off_is_refused(self, client_for, dsl, incident):
        url = reverse("incidents:device_add", args=[incident.code])
        response = client_for(dsl).post(
            url,
            {
                "description": "Phone",
                "owner": "Ann",
                "seized_at": an_hour_ago(),
                "seized_by": dsl.pk,
                "locked_away_where": "Safe",
            },
        )
        assert response.status_code == 400
        assert "must be switched off" in response.content.decode()
        assert not Device.objects.exists()

    def test_a_hand_over_to_the_police(self, client_for, dsl, incident):
        device = actions.device_record_seizure(
            actor=dsl,
            incident=incident,
            description="Phone",
            owner="Ann",
            seized_at=timezone.now() - timedelta(hours=2),
            seized_by=dsl,
            switched_off=True,
            locked_away_where="Safe",
        )
        url = reverse("incidents:device_hand_over", args=[incident.code, device.code])
        response = client_for(dsl).post(
            url,
            {
                "to_police": "on",
                "police_officer_name": "PC Jones",
                "police_officer_number": "4521",
                "at": an_hour_ago(),
            },
        )
        assert response.status_code == 302
        device.refresh_from_db()
        assert device.with_police

    def test_a_viewing_is_recorded_and_the_witness_confirms_it_without_seeing_the_case(
        self, client_for, dsl, head, staff, incident, pupil, password
    ):
        url = reverse("incidents:viewing_add", args=[incident.code])
        response = client_for(dsl).post(
            url,
            {
                "young_person": pupil.pk,
                "justification": "to_report",
                "headteacher": head.pk,
                "viewer": dsl.pk,
                "witness": staff.pk,
                "on_premises": "on",
                "location": "Head's office",
                "same_sex": "yes",
                "viewed_at": an_hour_ago(),
                "reason": "To report it for removal.",
                "what_followed": "Reported to IWF.",
                "confirm_not_copied": "on",
                "confirm_no_distress": "on",
            },
        )
        assert response.status_code == 302
        viewing = ViewingRecord.objects.get()
        confirm = reverse("incidents:viewing_confirm", args=[viewing.code])
        client = client_for(staff)
        assert client.get(incident.get_absolute_url()).status_code == 404
        assert client.get(confirm).status_code == 200
        assert client.post(confirm, {"password": "nope"}).status_code == 400
        assert client.post(confirm, {"password": password}).status_code == 302
        viewing.refresh_from_db()
        assert viewing.witness_confirmed_at is not None and viewing.viewer_confirmed_at is None

    def test_only_the_viewer_and_witness_may_open_the_confirmation(
        self, client_for, dsl, head, deputy, incident, pupil
    ):
        viewing = imagery.viewing_record(
            actor=dsl,
            incident=incident,
            young_person=pupil,
            justification="only_way",
            headteacher=head,
            viewer=dsl,
            witness=deputy,
            location="Office",
            same_sex="yes",
            viewed_at=timezone.now(),
            reason="r",
            what_followed="w",
            confirm_not_copied=True,
            confirm_no_distress=True,
        )
        url = reverse("incidents:viewing_confirm", args=[viewing.code])
        assert client_for(head).get(url).status_code == 404
        assert client_for(deputy).get(url).status_code == 200

    def test_the_preferred_teacher_sees_the_conversations_but_not_the_viewing_log(
        self, client_for, dsl, trusted_teacher, incident, pupil
    ):
        url = reverse("incidents:conversation_add", args=[incident.code])
        response = client_for(dsl).post(
            url,
            {
                "young_person": pupil.pk,
                "led_by": trusted_teacher.pk,
                "preferred_staff_led": "on",
                "held_at": an_hour_ago(),
                "topic_consent_trust": "on",
                "notes": "She felt better after talking.",
            },
        )
        assert response.status_code == 302
        assert Conversation.objects.get().preferred_staff_led
        page = client_for(trusted_teacher).get(incident.get_absolute_url())
        assert page.status_code == 200
        body = page.content.decode()
        assert "She felt better after talking." in body
        assert 'id="viewing"' not in body and 'id="completeness"' not in body

    def test_closing_an_incomplete_record_needs_the_override_reason(self, client_for, dsl, incident):
        url = reverse("incidents:incident_status", args=[incident.code])
        response = client_for(dsl).post(url, {"status": "closed", "reason": "All done."})
        assert response.status_code == 400
        assert "give the reason for closing it anyway" in response.content.decode()
        response = client_for(dsl).post(
            url, {"status": "closed", "reason": "All done.", "override_reason": "On paper."}
        )
        assert response.status_code == 302
        assert incident.chronology.filter(kind=ChronologyEntry.Kind.CLOSED_INCOMPLETE).exists()
        incident.refresh_from_db()
        assert incident.status == Incident.Status.CLOSED


class TestIncidentPage:
    def test_the_checklist_links_each_missing_item_to_its_section(self, client_for, dsl, incident, pupil):
        body = client_for(dsl).get(incident.get_absolute_url()).content.decode()
        assert "Is the record complete?" in body
        assert "Not yet recorded for Ann Lee" in body
        assert 'href="#parents"' in body

    def test_the_social_care_prompt_shows_until_the_mash_is_contacted(self, client_for, dsl, incident, pupil):
        pupil.known_to_social_care = True
        pupil.save()
        client = client_for(dsl)
        assert (
            "social care is, or has been, involved with Ann Lee"
            in client.get(incident.get_absolute_url()).content.decode()
        )
        actions.referral_create(
            actor=dsl,
            incident=incident,
            agency="mash",
            made_at=timezone.now(),
            method="phone",
            contact_name="Sue",
            information_shared="x",
        )
        assert "involved with Ann Lee" not in client.get(incident.get_absolute_url()).content.decode()

    def test_the_head_reads_the_sections_without_record_buttons(self, client_for, head, dsl, incident, pupil):
        actions.referral_create(
            actor=dsl,
            incident=incident,
            agency="mash",
            made_at=timezone.now(),
            method="phone",
            contact_name="Sue at the MASH",
            information_shared="x",
        )
        body = client_for(head).get(incident.get_absolute_url()).content.decode()
        assert "Sue at the MASH" in body
        assert "Record a referral" not in body

    def test_the_page_has_a_fixed_query_budget(
        self, client_for, dsl, head, deputy, incident, pupil, django_assert_max_num_queries
    ):
        def add_one_of_each():
            referral = actions.referral_create(
                actor=dsl,
                incident=incident,
                agency="mash",
                made_at=timezone.now(),
                method="phone",
                contact_name="Sue",
                information_shared="x",
            )
            actions.referral_chase(actor=dsl, referral=referral, chased_at=timezone.now(), result="r")
            device = actions.device_record_seizure(
                actor=dsl,
                incident=incident,
                description="Phone",
                owner="Ann",
                seized_at=timezone.now(),
                seized_by=dsl,
                switched_off=True,
                locked_away_where="Safe",
            )
            actions.device_hand_over(actor=dsl, device=device, to_name="Helen", at=timezone.now())
            actions.parents_decision_record(
                actor=dsl,
                incident=incident,
                young_person=pupil,
                decision="inform",
                informed_at=timezone.now(),
                informed_by=dsl,
                method="phone",
            )
            imagery.viewing_record(
                actor=dsl,
                incident=incident,
                young_person=pupil,
                justification="only_way",
                headteacher=head,
                viewer=dsl,
                witness=deputy,
                location="Office",
                same_sex="yes",
                viewed_at=timezone.now(),
                reason="r",
                what_followed="w",
                confirm_not_copied=True,
                confirm_no_distress=True,
            )
            decision = imagery.deletion_decide(
                actor=dsl, incident=incident, method="ask", reason="r", decided_at=timezone.now()
            )
            other = YoungPersonFactory(setting=incident.setting)
            InvolvementFactory(incident=incident, young_person=other)
            imagery.deletion_request_record(
                actor=dsl,
                decision=decision,
                young_person=other,
                asked_at=timezone.now(),
                deadline=timezone.localdate(),
                told_offence=True,
                on_devices=True,
            )

        client = client_for(dsl)
        add_one_of_each()
        with django_assert_max_num_queries(99) as one:
            assert client.get(incident.get_absolute_url()).status_code == 200
        for _ in range(3):
            add_one_of_each()
        # The same number of queries with four of everything as with one: no query per row.
        with django_assert_max_num_queries(len(one.captured_queries)):
            assert client.get(incident.get_absolute_url()).status_code == 200
