"""Failed authorisation is logged (issue 7): every refused page or object, with the user, the time in
UTC and the address, and nothing of the case."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from incidents.models import AccessLogEntry
from tests.test_disclosures import form_data

pytestmark = pytest.mark.django_db

REFUSED = AccessLogEntry.Action.REFUSED
UTC_TIME = re.compile(r" at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


def refusal_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ysi.security" and r.levelno == logging.WARNING]


def test_a_refused_page_is_logged_once_with_user_time_and_address(client_for, staff, caplog):
    response = client_for(staff).get(reverse("incidents:dashboard"), REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 403
    entry = AccessLogEntry.objects.get(action=REFUSED)
    assert (entry.user, entry.ip_address, entry.path) == (staff, "198.51.100.7", "/dashboard/")
    assert entry.at.utcoffset().total_seconds() == 0
    [line] = refusal_lines(caplog)
    assert line.startswith(f"Refused GET /dashboard/ to user {staff.pk} (sam) from 198.51.100.7 at ")
    assert UTC_TIME.search(line)


def test_another_settings_incident_is_a_logged_404(client_for, other_dsl, incident, caplog):
    response = client_for(other_dsl).get(incident.get_absolute_url(), REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 404
    entry = AccessLogEntry.objects.get(action=REFUSED)
    assert (entry.user, entry.ip_address, entry.incident) == (other_dsl, "203.0.113.5", incident)
    [line] = refusal_lines(caplog)
    assert f"to user {other_dsl.pk} (rita) from 203.0.113.5" in line
    assert incident.summary not in line


def test_a_403_no_access_helper_gave_is_logged_too(client_for, staff, oakfield, caplog):
    # A form whose CSRF token is missing (sent from another site, or from a page open too long).
    client = client_for(staff)
    client.handler.enforce_csrf_checks = True
    typed = "Jess said a photo of her is being passed round."

    response = client.post(
        reverse("incidents:report"), form_data(oakfield, what_was_said=typed), REMOTE_ADDR="192.0.2.9"
    )

    assert response.status_code == 403
    entry = AccessLogEntry.objects.get(action=REFUSED)
    assert (entry.user, entry.ip_address, entry.path) == (staff, "192.0.2.9", "/report/")
    [line] = refusal_lines(caplog)
    assert "Refused POST /report/ to user" in line and UTC_TIME.search(line)
    assert typed not in caplog.text
    assert typed not in str(AccessLogEntry.objects.values().get())


def test_an_anonymous_refusal_goes_to_the_application_log_only(oakfield, caplog):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert not AccessLogEntry.objects.exists()
    [line] = refusal_lines(caplog)
    assert line.startswith("Refused 403 POST /accounts/login/ to anonymous from 127.0.0.1 at ")
