"""Who can see and change what, for every page, by URL."""

import re

import pytest
from django.urls import reverse

from incidents import access
from incidents.models import AccessLogEntry, Incident
from incidents.services.grants import incident_grant_access, incident_revoke_access
from tests.factories import InvolvementFactory
from tests.signin import sign_in_client

pytestmark = pytest.mark.django_db

CASE_PAGES = ["incidents:dashboard", "incidents:incident_list", "incidents:young_person_list"]
RECORDER_PAGES = ["incidents:incident_create", "incidents:young_person_create"]


def incident_pages(incident, involvement):
    code = incident.code
    return {
        "detail": ("get", reverse("incidents:incident_detail", args=[code])),
        "edit": ("get", reverse("incidents:incident_edit", args=[code])),
        "add_person": ("get", reverse("incidents:involvement_add", args=[code])),
        "remove_person": ("get", reverse("incidents:involvement_remove", args=[code, involvement.code])),
        "status": ("post", reverse("incidents:incident_status", args=[code])),
        "note": ("post", reverse("incidents:incident_note", args=[code])),
        "grant": ("post", reverse("incidents:grant_add", args=[code])),
        "revoke": ("post", reverse("incidents:grant_revoke", args=[code, "nobody"])),
    }


def request(client, method, url):
    return client.get(url) if method == "get" else client.post(url, {})


class TestVisibleTo:
    def test_the_safeguarding_team_head_and_auditor_see_their_settings_incidents(
        self, incident, dsl, deputy, head, auditor
    ):
        for user in (dsl, deputy, head, auditor):
            assert list(Incident.objects.visible_to(user)) == [incident]

    def test_staff_see_no_incident(self, incident, staff):
        assert not Incident.objects.visible_to(staff).exists()

    def test_a_dsl_of_another_setting_sees_nothing(self, incident, other_dsl, other_incident):
        assert list(Incident.objects.visible_to(other_dsl)) == [other_incident]

    def test_staff_granted_one_incident_see_that_one_only(self, incident, dsl, trusted_teacher, oakfield):
        from incidents.services.incidents import incident_create

        second = incident_create(actor=dsl, setting=oakfield, summary="Another matter.")
        incident_grant_access(actor=dsl, incident=incident, member=trusted_teacher, reason="Pupil asked for her.")
        access.forget_cached_roles(trusted_teacher)
        visible = list(Incident.objects.visible_to(trusted_teacher))
        assert visible == [incident]
        assert second not in visible

    def test_an_inactive_membership_sees_nothing(self, incident, dsl):
        dsl.memberships.update(is_active=False)
        access.forget_cached_roles(dsl)
        assert not Incident.objects.visible_to(dsl).exists()

    def test_a_person_in_two_settings_sees_each_by_their_role_there(self, incident, other_incident, dsl, riverside):
        from tests.factories import MembershipFactory

        MembershipFactory(setting=riverside, user=dsl, role="staff")
        access.forget_cached_roles(dsl)
        assert list(Incident.objects.visible_to(dsl)) == [incident]


class TestCasePages:
    @pytest.mark.parametrize("name", CASE_PAGES)
    def test_they_require_sign_in(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    @pytest.mark.parametrize("name", CASE_PAGES)
    def test_staff_are_refused(self, client_for, staff, name):
        assert client_for(staff).get(reverse(name)).status_code == 403

    @pytest.mark.parametrize("name", CASE_PAGES)
    @pytest.mark.parametrize("role", ["dsl", "deputy", "head", "auditor"])
    def test_the_case_roles_can_open_them(self, client_for, request, role, name):
        user = request.getfixturevalue(role)
        assert client_for(user).get(reverse(name)).status_code == 200

    @pytest.mark.parametrize("name", RECORDER_PAGES)
    @pytest.mark.parametrize("role", ["staff", "head", "auditor"])
    def test_only_the_safeguarding_team_can_record(self, client_for, request, role, name):
        user = request.getfixturevalue(role)
        assert client_for(user).get(reverse(name)).status_code == 403

    @pytest.mark.parametrize("name", RECORDER_PAGES)
    @pytest.mark.parametrize("role", ["dsl", "deputy"])
    def test_dsl_and_deputy_can_record(self, client_for, request, role, name):
        user = request.getfixturevalue(role)
        assert client_for(user).get(reverse(name)).status_code == 200

    def test_lists_never_show_another_settings_incidents(self, client_for, other_dsl, incident, other_incident):
        page = client_for(other_dsl).get(reverse("incidents:incident_list")).content.decode()
        assert other_incident.reference in page
        assert str(incident.code) not in page

    def test_staff_home_shows_no_incident(self, client_for, staff, incident):
        response = client_for(staff).get(reverse("incidents:home"), follow=True)
        assert response.status_code == 200
        assert incident.reference not in response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("incidents:staff_home")


class TestIncidentPages:
    @pytest.fixture
    def pages(self, incident):
        return incident_pages(incident, InvolvementFactory(incident=incident))

    @pytest.mark.parametrize("role", ["staff", "other_dsl"])
    def test_outsiders_get_404_on_every_incident_url(self, client_for, request, pages, role):
        client = client_for(request.getfixturevalue(role))
        for name, (method, url) in pages.items():
            assert request_status(client, method, url) == 404, name

    def test_an_unknown_incident_looks_the_same_as_a_hidden_one(self, client_for, staff, incident):
        client = client_for(staff)
        hidden = client.get(reverse("incidents:incident_detail", args=[incident.code]))
        missing = client.get(reverse("incidents:incident_detail", args=["00000000-0000-4000-8000-000000000000"]))
        assert hidden.status_code == missing.status_code == 404
        assert without_csrf_token(hidden.content) == without_csrf_token(missing.content)

    @pytest.mark.parametrize("role", ["head", "auditor"])
    def test_head_and_auditor_read_but_cannot_change(self, client_for, request, pages, role):
        client = client_for(request.getfixturevalue(role))
        assert client.get(pages["detail"][1]).status_code == 200
        for name in ("edit", "add_person", "remove_person", "status", "grant", "revoke"):
            method, url = pages[name]
            assert request_status(client, method, url) == 403, name

    @pytest.mark.parametrize("role", ["dsl", "deputy"])
    def test_the_safeguarding_team_can_use_every_page(self, client_for, request, pages, role):
        client = client_for(request.getfixturevalue(role))
        for name in ("detail", "edit", "add_person", "remove_person"):
            assert client.get(pages[name][1]).status_code == 200, name

    def test_granted_staff_read_and_add_notes_but_change_nothing_else(
        self, client_for, dsl, trusted_teacher, incident, pages
    ):
        incident_grant_access(actor=dsl, incident=incident, member=trusted_teacher, reason="Pupil asked for her.")
        client = client_for(trusted_teacher)
        assert client.get(pages["detail"][1]).status_code == 200
        response = client.post(pages["note"][1], {"text": "Spoke with the pupil at break."})
        assert response.status_code == 302
        for name in ("edit", "add_person", "status", "grant"):
            method, url = pages[name]
            assert request_status(client, method, url) == 403, name
        assert client.get(reverse("incidents:incident_list")).status_code == 403

    def test_revoked_staff_lose_the_incident(self, client_for, dsl, trusted_teacher, incident, pages):
        incident_grant_access(actor=dsl, incident=incident, member=trusted_teacher, reason="Talk to pupil.")
        incident_revoke_access(actor=dsl, incident=incident, member=trusted_teacher)
        assert client_for(trusted_teacher).get(pages["detail"][1]).status_code == 404

    def test_refusals_are_logged_without_revealing_anything(self, client_for, staff, incident, pages):
        client_for(staff).get(pages["detail"][1])
        entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.REFUSED)
        assert entry.user == staff
        assert entry.incident == incident

    def test_every_read_of_an_incident_is_logged(self, client_for, head, incident, pages):
        client_for(head).get(pages["detail"][1])
        entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.VIEW_INCIDENT)
        assert (entry.user, entry.incident, entry.role) == (head, incident, "headteacher")
        assert entry.ip_address == "127.0.0.1"


class TestYoungPersonPages:
    def test_another_settings_dsl_gets_404(self, client_for, other_dsl, incident):
        person = InvolvementFactory(incident=incident).young_person
        for name in ("incidents:young_person_detail", "incidents:young_person_edit"):
            assert client_for(other_dsl).get(reverse(name, args=[person.code])).status_code == 404

    def test_staff_get_404(self, client_for, staff, incident):
        person = InvolvementFactory(incident=incident).young_person
        assert client_for(staff).get(reverse("incidents:young_person_detail", args=[person.code])).status_code == 404

    def test_auditor_reads_but_cannot_edit(self, client_for, auditor, incident):
        person = InvolvementFactory(incident=incident).young_person
        client = client_for(auditor)
        assert client.get(reverse("incidents:young_person_detail", args=[person.code])).status_code == 200
        assert client.get(reverse("incidents:young_person_edit", args=[person.code])).status_code == 403


class TestAdmin:
    def test_only_superusers_reach_the_admin(self, client_for, dsl):
        dsl.is_staff = True
        dsl.save()
        response = client_for(dsl).get("/admin/")
        assert response.status_code == 302

    def test_a_superuser_reaches_the_admin_but_cannot_change_case_records(self, client, incident):
        from tests.factories import UserFactory

        root = UserFactory(username="root", is_staff=True, is_superuser=True)
        sign_in_client(client, root)
        assert client.get("/admin/").status_code == 200
        assert client.get(f"/admin/incidents/incident/{incident.pk}/change/").status_code == 200
        response = client.post(f"/admin/incidents/incident/{incident.pk}/change/", {"summary": "altered"})
        assert response.status_code == 403
        incident.refresh_from_db()
        assert incident.summary != "altered"


def without_csrf_token(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def request_status(client, method, url):
    return request(client, method, url).status_code
