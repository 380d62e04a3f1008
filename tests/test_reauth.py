"""The password asked again before signing off a decision and before every PDF export (issue 7).

One mechanism (incidents.reauth.password_confirmed) guards each action; these tests try each one
with a wrong password (nothing signed or exported, a clear error, logged) and the right one."""

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import AccessLogEntry, ExportLog, SecurityEvent, SignOff
from tests.test_decision_views import pupil, waiting  # noqa: F401 - fixtures
from tests.test_policy_views import cast, version  # noqa: F401 - fixtures
from tests.test_transfers import leaver  # noqa: F401 - fixtures

Kind = SecurityEvent.Kind
pytestmark = pytest.mark.django_db


def record(request):
    incident = request.getfixturevalue("incident")
    return "dsl", reverse("incidents:record_download", args=[incident.code]), {}, "export incident record PDF"


def audit_pack(request):
    request.getfixturevalue("incident")
    today = timezone.localdate()
    data = {"start": today.replace(day=1), "end": today, "initials_only": "on"}
    return "auditor", reverse("incidents:audit_pack"), data, "export audit pack PDF"


def transfer(request):
    person = request.getfixturevalue("leaver")
    return "dsl", reverse("incidents:transfer_person", args=[person.code]), {}, "export transfer file PDF"


def policy(request):
    v = request.getfixturevalue("version")
    url = reverse("incidents:policy_pdf", args=[v.setting.code, v.code])
    return "staff", url, {}, "export policy PDF"


EXPORTS = {"record": record, "audit_pack": audit_pack, "transfer": transfer, "policy": policy}


@pytest.mark.parametrize("action", EXPORTS)
def test_a_wrong_password_exports_nothing_and_is_logged(client_for, request, signing_key, action):
    who, url, data, purpose = EXPORTS[action](request)
    user = request.getfixturevalue(who)
    client = client_for(user)
    response = client.post(url, {**data, "password": "not my password"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "That is not your password. Nothing has been exported" in response.content.decode()
    assert not ExportLog.objects.exists()
    assert SecurityEvent.objects.filter(kind=Kind.REAUTH_FAILED, user=user, detail=purpose).count() == 1
    assert AccessLogEntry.objects.filter(user=user, action=AccessLogEntry.Action.REFUSED, path=url).exists()


@pytest.mark.parametrize("action", EXPORTS)
def test_the_right_password_exports_the_pdf(client_for, request, signing_key, password, action):
    who, url, data, purpose = EXPORTS[action](request)
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(url)["Content-Type"].startswith("text/html")  # asking, not exporting
    response = client.post(url, {**data, "password": password})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert SecurityEvent.objects.filter(kind=Kind.REAUTH_OK, user=user, detail=purpose).count() == 1


def test_signing_off_asks_for_the_password_and_a_wrong_one_signs_nothing(client_for, head, waiting, password):  # noqa: F811
    client = client_for(head)
    url = reverse("incidents:decision_sign_off", args=[waiting.code])
    response = client.post(url, {"action": "sign", "password": "not my password"})
    assert "That is not your password. Nothing has been signed" in response.content.decode()
    assert not SignOff.objects.exists()
    assert SecurityEvent.objects.filter(kind=Kind.REAUTH_FAILED, user=head, detail="sign off decision").exists()
    assert AccessLogEntry.objects.filter(
        user=head, action=AccessLogEntry.Action.REFUSED, incident=waiting.incident
    ).exists()
    assert client.post(url, {"action": "sign", "password": password}).status_code == 302
    assert SignOff.objects.filter(decision=waiting).exists()


def test_five_wrong_passwords_in_a_row_sign_the_session_out(client_for, dsl, incident):
    client = client_for(dsl)
    url = reverse("incidents:record_download", args=[incident.code])
    for _ in range(4):
        assert client.post(url, {"password": "guess"}).status_code == 400
    response = client.post(url, {"password": "guess"})
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("incidents:dashboard")).status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert "entered wrongly too many times" in page
    assert not ExportLog.objects.exists()


def test_a_right_password_resets_the_count(client_for, dsl, incident, signing_key, password):
    client = client_for(dsl)
    url = reverse("incidents:record_download", args=[incident.code])
    for _ in range(4):
        client.post(url, {"password": "guess"})
    assert client.post(url, {"password": password}).status_code == 200
    for _ in range(4):
        assert client.post(url, {"password": "guess"}).status_code == 400
