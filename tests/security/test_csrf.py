"""Every form POST is CSRF-protected: no view in the URLconf is exempt, and forms sent without a valid
token are refused with nothing written (the report form shows the reporter their text back)."""

import pytest
from django.conf import settings
from django.urls import reverse

from incidents.models import Decision, Disclosure, Incident
from tests.security.urlconf import row_counts, url_patterns
from tests.test_decision_views import record_review
from tests.test_disclosures import form_data as report_data
from tests.test_incidents import form_data as incident_data

NO_TOKEN = None
STALE_TOKEN = "stale" * 8


def _wrapped(callback):
    """The view and every function it wraps (decorators keep the original as __wrapped__)."""
    while callback is not None:
        yield callback
        callback = getattr(callback, "__wrapped__", None)


def test_no_view_in_the_urlconf_is_csrf_exempt():
    exempt = [p.key for p in url_patterns() if any(getattr(f, "csrf_exempt", False) for f in _wrapped(p.callback))]
    assert not exempt, f"These views are csrf_exempt; protect them: {exempt}"


def test_the_csrf_middleware_runs_for_every_request():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


@pytest.fixture
def strict(client_for):
    """A signed-in client that, like a browser, must send the CSRF token (the test client skips it)."""

    def sign_in(user):
        client = client_for(user)
        client.handler.enforce_csrf_checks = True
        return client

    return sign_in


def _with_token(client, page_url: str, data: dict, token) -> dict:
    if token is STALE_TOKEN:
        return {**data, "csrfmiddlewaretoken": STALE_TOKEN}
    if token is NO_TOKEN:
        return data
    page = client.get(page_url)
    return {**data, "csrfmiddlewaretoken": str(page.context["csrf_token"])}


@pytest.mark.django_db
class TestFormsRefuseAPostWithoutAValidToken:
    @pytest.mark.parametrize("token", [NO_TOKEN, STALE_TOKEN])
    def test_the_report_form_refuses_it_and_gives_the_text_back(self, strict, oakfield, staff, dsl, token):
        client = strict(staff)
        text = "Jess said a photo of her is going round <b>Year 10</b>."
        before = row_counts()
        response = client.post(
            reverse("incidents:report"),
            _with_token(client, "/report/", report_data(oakfield, what_was_said=text), token),
        )
        assert response.status_code == 403
        assert "Jess said a photo of her is going round &lt;b&gt;Year 10&lt;/b&gt;." in response.text
        assert row_counts() == before
        assert not Disclosure.objects.exists()

    def test_the_report_form_accepts_a_valid_token(self, strict, oakfield, staff, dsl):
        client = strict(staff)
        data = _with_token(client, "/report/", report_data(oakfield), "valid")
        assert client.post(reverse("incidents:report"), data).status_code == 302
        assert Disclosure.objects.count() == 1

    @pytest.mark.parametrize("token", [NO_TOKEN, STALE_TOKEN, "valid"])
    def test_recording_an_incident_needs_the_token(self, strict, oakfield, dsl, token):
        client = strict(dsl)
        url = reverse("incidents:incident_create")
        data = _with_token(client, url, incident_data(setting=oakfield.pk, owner=dsl.pk, shares_anothers="on"), token)
        before = row_counts()
        response = client.post(url, data)
        if token == "valid":
            assert response.status_code == 302 and Incident.objects.count() == 1
        else:
            assert response.status_code == 403
            assert "could not be accepted" in response.text
            assert row_counts() == before

    @pytest.mark.parametrize("token", [NO_TOKEN, STALE_TOKEN, "valid"])
    def test_signing_off_a_decision_needs_the_token(self, strict, head, dsl, incident, password, token):
        from tests.factories import InvolvementFactory, YoungPersonFactory, years_ago

        InvolvementFactory(
            incident=incident, young_person=YoungPersonFactory(setting=incident.setting, date_of_birth=years_ago(14))
        )
        decision = record_review(incident, dsl)
        client = strict(head)
        url = reverse("incidents:decision_sign_off", args=[decision.code])
        data = _with_token(client, url, {"action": "sign", "password": password}, token)
        before = row_counts()
        response = client.post(url, data)
        decision.refresh_from_db()
        if token == "valid":
            assert response.status_code == 302 and decision.status == Decision.Status.SIGNED
        else:
            assert response.status_code == 403
            assert decision.status == Decision.Status.AWAITING_SIGN_OFF
            assert row_counts() == before
