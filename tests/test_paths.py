"""Addresses built from a reversed pattern (incidents/paths.py) are the addresses reverse() gives."""

import uuid

from django.test import override_settings
from django.urls import include, path, reverse, set_script_prefix

from incidents.paths import incident_detail_path, path_with_code


def test_the_same_addresses_as_reverse():
    code = uuid.uuid4()
    assert incident_detail_path(code) == reverse("incidents:incident_detail", args=[code])
    assert incident_detail_path(str(code)) == reverse("incidents:incident_detail", args=[code])
    assert path_with_code("incidents:disclosure_acknowledge", code) == reverse(
        "incidents:disclosure_acknowledge", args=[code]
    )


def test_under_a_script_prefix():
    code = uuid.uuid4()
    incident_detail_path(code)  # the unprefixed pattern is cached first
    set_script_prefix("/ysi/")
    try:
        assert incident_detail_path(code) == f"/ysi/incidents/{code}/"
    finally:
        set_script_prefix("/")
    assert incident_detail_path(code) == f"/incidents/{code}/"


def _view(request, code):  # pragma: no cover - only reversed
    raise AssertionError


# This module is the URL configuration of the last test: the incident page somewhere else.
urlpatterns = [path("", include(([path("elsewhere/<uuid:code>/", _view, name="incident_detail")], "incidents")))]


def test_a_changed_url_configuration_is_followed():
    code = uuid.uuid4()
    assert incident_detail_path(code) == f"/incidents/{code}/"
    with override_settings(ROOT_URLCONF=__name__):
        assert incident_detail_path(code) == f"/elsewhere/{code}/"
    assert incident_detail_path(code) == f"/incidents/{code}/"
