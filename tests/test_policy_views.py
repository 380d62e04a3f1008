"""The policy pages per role: read, write, preview, adopt, confirm, training, the staff list and CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import rules
from incidents.models import PolicyVersion, ReadConfirmation, TrainingSession
from incidents.services import policy as svc
from tests.factories import MembershipFactory
from tests.test_policy import adopt, complete_draft


def url(name, setting, *args):
    return reverse(f"incidents:{name}", args=[setting.code, *args])


@pytest.fixture
def cast(dsl, deputy, head, staff, auditor, other_dsl):
    return {"dsl": dsl, "deputy": deputy, "head": head, "staff": staff, "auditor": auditor, "other_dsl": other_dsl}


@pytest.fixture
def version(oakfield, cast):
    return adopt(complete_draft(oakfield, cast["dsl"]), cast["head"])


def draft_post(draft, **changes):
    data = {
        "revision": draft.revision,
        "setting_name": draft.setting_name,
        "place_term": draft.place_term,
        "child_term": draft.child_term,
        "dsl": draft.dsl_id or "",
        "deputies": [u.pk for u in draft.deputies.all()],
        "headteacher": draft.headteacher_id or "",
        "mash_phone": draft.mash_phone,
        "mash_email": draft.mash_email,
        "police_phone": draft.police_phone,
        "lado_phone": draft.lado_phone,
        "lado_email": draft.lado_email,
        "rule_set": draft.rule_set,
        "curriculum": draft.curriculum,
        "next_review_on": draft.next_review_on.isoformat() if draft.next_review_on else "",
    }
    data.update(changes)
    return data


class TestWhoMaySeeWhat:
    @pytest.mark.parametrize(
        "who, name, status",
        [
            ("dsl", "policy_edit", 200),
            ("head", "policy_edit", 200),
            ("deputy", "policy_edit", 403),
            ("staff", "policy_edit", 403),
            ("auditor", "policy_edit", 403),
            ("other_dsl", "policy_edit", 404),
            ("dsl", "policy_preview", 200),
            ("head", "policy_preview", 200),
            ("staff", "policy_preview", 403),
            ("other_dsl", "policy_preview", 404),
            ("staff", "policy_current", 200),
            ("auditor", "policy_current", 200),
            ("other_dsl", "policy_current", 404),
            ("staff", "policy_versions", 200),
            ("other_dsl", "policy_versions", 404),
            ("dsl", "training_list", 200),
            ("deputy", "training_list", 200),
            ("head", "training_list", 200),
            ("auditor", "training_list", 200),
            ("staff", "training_list", 403),
            ("other_dsl", "training_list", 404),
            ("dsl", "training_create", 200),
            ("auditor", "training_create", 403),
            ("staff", "training_create", 403),
            ("dsl", "staff_policy_status", 200),
            ("auditor", "staff_policy_status", 200),
            ("staff", "staff_policy_status", 403),
            ("other_dsl", "staff_policy_status", 404),
        ],
    )
    def test_pages_per_role(self, client_for, oakfield, cast, who, name, status):
        assert client_for(cast[who]).get(url(name, oakfield)).status_code == status

    def test_a_version_of_another_setting_is_not_found(self, client_for, oakfield, cast, version):
        response = client_for(cast["other_dsl"]).get(version.get_absolute_url())
        assert response.status_code == 404

    @pytest.mark.parametrize("who, status", [("dsl", 403), ("deputy", 403), ("staff", 403), ("other_dsl", 404)])
    def test_only_the_headteacher_adopts(self, client_for, oakfield, cast, who, status):
        draft = complete_draft(oakfield, cast["dsl"])
        response = client_for(cast[who]).post(
            url("policy_adopt", oakfield), {"revision": draft.revision, "confirm": "on"}
        )
        assert response.status_code == status
        assert not PolicyVersion.objects.exists()

    def test_a_training_session_is_not_shown_to_staff(self, client_for, oakfield, cast):
        session = svc.training_session_create(
            actor=cast["dsl"], setting=oakfield, held_on=timezone.localdate(), title="T", led_by="L", attendees=[]
        )
        assert client_for(cast["staff"]).get(session.get_absolute_url()).status_code == 403
        assert client_for(cast["other_dsl"]).get(session.get_absolute_url()).status_code == 404
        assert client_for(cast["auditor"]).get(session.get_absolute_url()).status_code == 200
        assert client_for(cast["auditor"]).get(url("training_edit", oakfield, session.code)).status_code == 403

    def test_signed_out_people_are_sent_to_sign_in(self, client, oakfield):
        response = client.get(url("policy_current", oakfield))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


class TestWriting:
    def test_the_dsl_saves_values_and_local_additions_and_sees_the_preview(self, client_for, oakfield, cast):
        draft = svc.policy_draft_get_or_start(setting=oakfield)
        data = draft_post(
            draft,
            lado_phone="01632 960 777",
            curriculum="PSHE and computing",
            local_disclosures="Use the worry box.",
            confirm_departure="on",
        )
        response = client_for(cast["dsl"]).post(url("policy_edit", oakfield), data, follow=True)
        assert response.redirect_chain[-1][0] == url("policy_preview", oakfield)
        content = response.content.decode()
        assert "01632 960 777" in content
        assert "Use the worry box." in content
        assert "Everything the policy needs is filled in" in content
        draft.refresh_from_db()
        assert draft.local_additions == {"disclosures": "Use the worry box."}
        assert draft.updated_by == cast["dsl"]

    def test_the_editor_shows_the_departure_box_before_saving(self, client_for, oakfield, cast):
        response = client_for(cast["dsl"]).get(url("policy_edit", oakfield))
        content = response.content.decode()
        description = rules.describe_rule_set(rules.WOLVERHAMPTON_2016)
        assert "departs from current national advice" in content
        assert description.departs_from_national[0].replace("'", "&#x27;") in content

    def test_choosing_a_departing_rule_set_needs_a_confirmation(self, client_for, oakfield, cast):
        draft = complete_draft(oakfield, cast["dsl"], rule_set=rules.UKCIS_2024)
        data = draft_post(draft, rule_set=rules.UKCCIS_2016)
        response = client_for(cast["dsl"]).post(url("policy_edit", oakfield), data)
        assert response.status_code == 200
        assert "departs from current national advice: read the box" in response.content.decode()
        draft.refresh_from_db()
        assert draft.rule_set == rules.UKCIS_2024

    def test_the_national_rule_set_needs_no_confirmation(self, client_for, oakfield, cast):
        draft = complete_draft(oakfield, cast["dsl"])
        data = draft_post(draft, rule_set=rules.UKCIS_2024)
        response = client_for(cast["head"]).post(url("policy_edit", oakfield), data)
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.rule_set == rules.UKCIS_2024

    def test_a_bad_value_comes_back_with_what_was_typed(self, client_for, oakfield, cast):
        draft = svc.policy_draft_get_or_start(setting=oakfield)
        data = draft_post(draft, mash_email="not-an-email", curriculum="Typed curriculum", confirm_departure="on")
        response = client_for(cast["dsl"]).post(url("policy_edit", oakfield), data)
        content = response.content.decode()
        assert "There is a problem" in content
        assert "Typed curriculum" in content
        draft.refresh_from_db()
        assert draft.curriculum == ""

    def test_a_stale_edit_is_refused_with_the_text_kept(self, client_for, oakfield, cast):
        draft = complete_draft(oakfield, cast["dsl"], rule_set=rules.UKCIS_2024)
        data = draft_post(draft, revision=0, curriculum="My words")
        response = client_for(cast["head"]).post(url("policy_edit", oakfield), data)
        content = response.content.decode()
        assert "while you were editing it" in content
        assert "My words" in content

    def test_the_preview_highlights_what_is_not_filled_in(self, client_for, oakfield, cast):
        svc.policy_draft_get_or_start(setting=oakfield)
        response = client_for(cast["head"]).get(url("policy_preview", oakfield))
        content = response.content.decode()
        assert '<mark class="policy-gap">[not yet filled in: LADO phone number]</mark>' in content
        assert "Approve and adopt this version" not in content
        assert "once nothing is left to fill in" in content


class TestAdopting:
    def test_the_headteacher_adopts_and_the_version_is_shown(self, client_for, oakfield, cast):
        draft = complete_draft(oakfield, cast["dsl"])
        day = timezone.localdate() - timedelta(days=1)
        client = client_for(cast["head"])
        response = client.post(
            url("policy_adopt", oakfield),
            {"revision": draft.revision, "confirm": "on", "governors_ratified_on": day.isoformat()},
            follow=True,
        )
        version = PolicyVersion.objects.get()
        assert response.redirect_chain[-1][0] == version.get_absolute_url()
        content = response.content.decode()
        assert "Version 1 (in force)" in content
        assert "Helen Tester" in content
        assert 'id="section-referral-criteria"' in content
        assert "Contents" in content
        assert version.governors_ratified_on == day

    def test_adoption_with_a_placeholder_left_is_refused(self, client_for, oakfield, cast):
        draft = svc.policy_draft_get_or_start(setting=oakfield)
        response = client_for(cast["head"]).post(
            url("policy_adopt", oakfield), {"revision": draft.revision, "confirm": "on"}
        )
        assert response.status_code == 400
        assert "cannot be adopted while something is not filled in" in response.content.decode()
        assert not PolicyVersion.objects.exists()

    def test_adoption_needs_the_confirmation_ticked(self, client_for, oakfield, cast):
        draft = complete_draft(oakfield, cast["dsl"])
        response = client_for(cast["head"]).post(url("policy_adopt", oakfield), {"revision": draft.revision})
        assert response.status_code == 400
        assert not PolicyVersion.objects.exists()

    def test_a_draft_changed_since_the_preview_is_not_adopted(self, client_for, oakfield, cast):
        draft = complete_draft(oakfield, cast["dsl"])
        response = client_for(cast["head"]).post(
            url("policy_adopt", oakfield), {"revision": draft.revision - 1, "confirm": "on"}
        )
        assert response.status_code == 400
        assert not PolicyVersion.objects.exists()

    def test_the_version_page_has_a_print_stylesheet(self, client_for, oakfield, cast, version):
        content = client_for(cast["staff"]).get(version.get_absolute_url()).content.decode()
        assert "css/policy.css" in content
        assert "<script>" not in content and "style=" not in content


class TestReadingAndConfirming:
    def test_staff_are_asked_to_read_a_new_version_from_the_home_pages(self, client_for, oakfield, cast, version):
        client = client_for(cast["staff"])
        for name in ("incidents:home", "incidents:staff_home"):
            response = client.get(reverse(name))
            assert response.status_code == 302
            assert response["Location"] == reverse("incidents:policy_read")
        page = client.get(reverse("incidents:policy_read")).content.decode()
        assert "What never to do with imagery" in page
        assert "Never look at, ask to see or ask to be sent any imagery." in page

    def test_the_dsl_is_asked_from_the_dashboard_too(self, client_for, oakfield, cast, version):
        response = client_for(cast["dsl"]).get(reverse("incidents:dashboard"))
        assert response["Location"] == reverse("incidents:policy_read")

    def test_confirming_records_the_version_and_time_and_stops_the_asking(self, client_for, oakfield, cast, version):
        client = client_for(cast["staff"])
        response = client.post(url("policy_confirm", oakfield, version.code))
        assert response.status_code == 302
        confirmation = ReadConfirmation.objects.get(user=cast["staff"])
        assert confirmation.version == version
        assert timezone.now() - confirmation.confirmed_at < timedelta(minutes=1)
        assert client.get(reverse("incidents:staff_home")).status_code == 200

    def test_not_now_stops_the_asking_until_the_next_sign_in(self, client_for, client, oakfield, cast, version):
        signed_in = client_for(cast["staff"])
        signed_in.post(reverse("incidents:policy_defer"))
        assert signed_in.get(reverse("incidents:staff_home")).status_code == 200
        signed_in.logout()
        signed_in = client_for(cast["staff"])
        assert signed_in.get(reverse("incidents:staff_home")).status_code == 302
        assert not ReadConfirmation.objects.exists()

    def test_the_prompt_never_stands_in_front_of_other_pages(self, client_for, oakfield, cast, version):
        client = client_for(cast["dsl"])
        assert client.get(reverse("incidents:incident_list")).status_code == 200
        assert client.get(url("policy_current", oakfield)).status_code == 200

    def test_the_prompt_links_to_reporting(self, client_for, oakfield, cast, version):
        content = client_for(cast["staff"]).get(reverse("incidents:policy_read")).content.decode()
        assert "you do not have to read the policy first" in content

    def test_a_new_version_asks_again(self, client_for, oakfield, cast, version):
        svc.policy_read_confirm(user=cast["staff"], version=version)
        draft = svc.policy_draft_get_or_start(setting=oakfield)
        second = adopt(draft, cast["head"])
        response = client_for(cast["staff"]).get(reverse("incidents:policy_read"))
        assert f"version {second.number}" in response.content.decode()

    def test_another_settings_member_cannot_confirm(self, client_for, oakfield, cast, version):
        response = client_for(cast["other_dsl"]).post(url("policy_confirm", oakfield, version.code))
        assert response.status_code == 404
        assert not ReadConfirmation.objects.exists()


class TestTrainingAndTheStaffList:
    def test_the_dsl_records_a_session(self, client_for, oakfield, cast):
        day = timezone.localdate() - timedelta(days=3)
        response = client_for(cast["dsl"]).post(
            url("training_create", oakfield),
            {
                "held_on": day.isoformat(),
                "title": "YPSI awareness",
                "led_by": "Dana Tester",
                "attendees": [cast["staff"].pk],
            },
        )
        session = TrainingSession.objects.get()
        assert response["Location"] == session.get_absolute_url()
        assert list(session.attendees.all()) == [cast["staff"]]

    def test_a_future_session_is_refused_with_the_title_kept(self, client_for, oakfield, cast):
        day = timezone.localdate() + timedelta(days=3)
        response = client_for(cast["dsl"]).post(
            url("training_create", oakfield), {"held_on": day.isoformat(), "title": "Kept title", "led_by": "D"}
        )
        content = response.content.decode()
        assert "cannot be in the future" in content and "Kept title" in content
        assert not TrainingSession.objects.exists()

    def test_the_staff_list_and_its_csv(self, client_for, oakfield, cast, version):
        svc.policy_read_confirm(user=cast["staff"], version=version)
        svc.training_session_create(
            actor=cast["dsl"],
            setting=oakfield,
            held_on=timezone.localdate(),
            title="T",
            led_by="L",
            attendees=[cast["staff"]],
        )
        client = client_for(cast["dsl"])
        page = client.get(url("staff_policy_status", oakfield)).content.decode()
        not_read = page.split('id="not-read"')[1].split("</table>")[0]
        untrained = page.split('id="untrained"')[1].split("</table>")[0]
        assert "Sam Tester" not in not_read and "Sam Tester" not in untrained
        assert "Owen Tester" in not_read and "Owen Tester" in untrained
        response = client.get(url("staff_policy_status", oakfield) + "?format=csv")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        by_name = {row["Name"]: row for row in rows}
        assert by_name["Sam Tester"]["Not yet read"] == "no"
        assert by_name["Sam Tester"]["No training in the last year"] == "no"
        assert by_name["Owen Tester"]["Not yet read"] == "yes"
        assert by_name["Owen Tester"]["Policy version in force"] == "1"

    def test_the_csv_export_is_in_the_access_log(self, client_for, oakfield, cast):
        from incidents.models import AccessLogEntry

        client = client_for(cast["dsl"])
        client.get(url("staff_policy_status", oakfield))
        assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT_STAFF_CSV).exists()
        client.get(url("staff_policy_status", oakfield) + "?format=csv")
        entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.EXPORT_STAFF_CSV)
        assert (entry.user, entry.setting_id, entry.role) == (cast["dsl"], oakfield.pk, "dsl")

    def test_the_csv_is_safe_from_formulas(self, client_for, oakfield, cast):
        cast["staff"].first_name = "=HYPERLINK(1)"
        cast["staff"].save()
        response = client_for(cast["dsl"]).get(url("staff_policy_status", oakfield) + "?format=csv")
        assert "'=HYPERLINK(1)" in response.content.decode()

    def test_the_staff_list_has_a_query_budget(
        self, client_for, oakfield, cast, version, django_assert_max_num_queries
    ):
        client = client_for(cast["dsl"])
        with django_assert_max_num_queries(99) as one:
            client.get(url("staff_policy_status", oakfield))
        for _ in range(5):
            MembershipFactory(setting=oakfield)
        with django_assert_max_num_queries(len(one.captured_queries)):
            client.get(url("staff_policy_status", oakfield))


class TestDashboardPanel:
    def test_it_says_when_no_policy_is_adopted(self, client_for, oakfield, cast):
        content = client_for(cast["dsl"]).get(reverse("incidents:dashboard")).content.decode()
        assert "No policy adopted" in content

    def test_it_says_when_the_review_is_due_and_overdue(self, client_for, oakfield, cast, version, monkeypatch):
        svc.policy_read_confirm(user=cast["dsl"], version=version)
        client = client_for(cast["dsl"])
        real = timezone.localdate
        monkeypatch.setattr(timezone, "localdate", lambda *a: version.next_review_on - timedelta(days=5))
        assert "Review due" in client.get(reverse("incidents:dashboard")).content.decode()
        monkeypatch.setattr(timezone, "localdate", lambda *a: version.next_review_on + timedelta(days=5))
        assert "Review overdue" in client.get(reverse("incidents:dashboard")).content.decode()
        monkeypatch.setattr(timezone, "localdate", real)

    def test_the_nav_links_to_the_policy(self, client_for, oakfield, cast):
        content = client_for(cast["staff"]).get(reverse("incidents:staff_home")).content.decode()
        assert 'href="/policy/"' in content


def test_the_incident_shows_the_policy_version_in_force_at_each_decision(client_for, oakfield, cast, incident):
    from tests.test_decisions import review

    review(incident, cast["dsl"])
    version = adopt(complete_draft(oakfield, cast["dsl"]), cast["head"])
    review(incident, cast["dsl"])
    svc.policy_read_confirm(user=cast["dsl"], version=version)
    content = client_for(cast["dsl"]).get(incident.get_absolute_url()).content.decode()
    section = content.split('id="decision-policy-title"')[1].split("</section>")[0]
    assert "No policy had been adopted in YSI" in section
    assert f'href="{version.get_absolute_url()}">Version 1</a>' in section


class TestSignedPdf:
    def test_a_member_downloads_the_adopted_version_signed(
        self, signing_key, client_for, oakfield, cast, version, password
    ):
        from pypdf import PdfReader

        from incidents.services.exports import verify_pdf

        client = client_for(cast["staff"])
        asked = client.get(url("policy_pdf", oakfield, version.code))
        assert asked.status_code == 200 and 'type="password"' in asked.content.decode()
        response = client.post(url("policy_pdf", oakfield, version.code), {"password": password})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        pdf = response.content
        result = verify_pdf(pdf)
        assert (result.signed, result.intact, result.valid, result.whole_file) == (True,) * 4
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        description = rules.describe_rule_set(version.rule_set)
        assert "When we refer at once" in text
        assert "not yet filled in" not in text
        assert description.criteria[0].wording.split(" ")[0] in text

    def test_the_pdf_of_another_setting_is_not_found(self, client_for, oakfield, cast, version):
        assert client_for(cast["other_dsl"]).get(url("policy_pdf", oakfield, version.code)).status_code == 404

    def test_the_version_page_links_to_the_pdf(self, client_for, oakfield, cast, version):
        content = client_for(cast["staff"]).get(version.get_absolute_url()).content.decode()
        assert url("policy_pdf", oakfield, version.code) in content


def test_reviewing_an_overdue_policy_suggests_a_year_ahead(client_for, oakfield, cast, version):
    draft = svc.policy_draft_get_or_start(setting=oakfield)
    type(draft).objects.filter(pk=draft.pk).update(next_review_on=timezone.localdate() - timedelta(days=3))
    svc.policy_read_confirm(user=cast["dsl"], version=version)
    content = client_for(cast["dsl"]).get(url("policy_edit", oakfield)).content.decode()
    assert f'value="{svc.one_year_after(timezone.localdate()).isoformat()}"' in content
