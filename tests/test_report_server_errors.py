"""A report that meets a server error anywhere comes back with its text and can be sent again safely."""

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.urls import reverse

from incidents import access
from incidents.models import Disclosure
from tests.signin import session_write_due
from tests.test_disclosures import NARRATIVE, form_data

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & “quotes”"


def _failing(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


class TestServerErrorWhileReporting:
    def test_the_database_failing_before_the_view_saves_shows_the_text_and_a_resend_button(
        self, client_for, oakfield, staff, monkeypatch
    ):
        client = client_for(staff)
        client.raise_request_exception = False
        data = form_data(oakfield, what_was_said=NARRATIVE + " " + HOSTILE, immediate_risk="on")
        monkeypatch.setattr(access, "require_reporter", _failing)
        response = client.post(reverse("incidents:report"), data)
        assert response.status_code == 500
        body = response.content.decode()
        assert "may not have been sent" in body
        assert "Jess (Year 9) said a photo of her" in body
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
        assert f'name="idempotency_key" value="{data["idempotency_key"]}"' in body
        assert "call 999" in body
        assert response["Cache-Control"] == "no-store"
        assert not Disclosure.objects.exists()

    def test_a_session_write_failing_after_the_save_is_answered_the_same_and_resending_saves_once(
        self, client_for, oakfield, staff, monkeypatch
    ):
        client = session_write_due(client_for(staff))
        client.raise_request_exception = False
        data = form_data(oakfield)
        # The database refuses the session row: Django turns that into SessionInterrupted (a 400).
        with monkeypatch.context() as patch:
            patch.setattr(Session, "save", _failing)
            response = client.post(reverse("incidents:report"), data)
        assert response.status_code == 500
        assert "Jess (Year 9) said a photo of her" in response.content.decode()
        assert f'name="idempotency_key" value="{data["idempotency_key"]}"' in response.content.decode()
        assert Disclosure.objects.count() == 1  # it was saved before the session write failed
        again = client.post(reverse("incidents:report"), data)  # the "Send it again" button
        assert again.status_code == 302
        assert Disclosure.objects.count() == 1

    def test_a_lost_session_elsewhere_is_still_a_plain_400(self, client_for, dsl, monkeypatch):
        client = session_write_due(client_for(dsl))
        with monkeypatch.context() as patch:
            patch.setattr(Session, "save", _failing)
            response = client.post(reverse("incidents:incident_create"), {})
        assert response.status_code == 400
        assert "may not have been sent" not in response.content.decode()

    def test_other_pages_keep_their_own_error_page(self, client_for, dsl, monkeypatch):
        client = client_for(dsl)
        client.raise_request_exception = False
        monkeypatch.setattr(access, "require_case_browser", _failing)
        response = client.get(reverse("incidents:incident_list"))
        assert response.status_code == 500
        assert "may not have been sent" not in response.content.decode()

    def test_nginx_passes_the_page_through_and_does_not_resend_it(self):
        # The proxy swaps 502-504 for its static page and resends 503s to the other app server.
        from pathlib import Path

        proxy = (Path(__file__).resolve().parent.parent / "deploy/nginx/ysi-proxy.conf").read_text()
        site = (Path(__file__).resolve().parent.parent / "deploy/nginx/ysi-site.conf").read_text()
        assert "error_page 502 503 504 " in proxy
        assert "http_500" not in site
