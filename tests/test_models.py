"""Rules that hold for every model, whatever later issues add."""

import pytest
from django.apps import apps
from django.db import models

CASE_MODELS_EXEMPT = {
    # Accounts and settings are not case records; the counter is bookkeeping; guardian's grant
    # table is keyed by incident.
    "User",
    "Setting",
    "ReferenceCounter",
    "IncidentUserObjectPermission",
    # Sign-in security (issue 7): about people signing in, not case records.
    "SecurityEvent",
    "UserSession",
}


def incidents_models():
    return [m for m in apps.get_app_config("incidents").get_models() if not m.__name__.startswith("Historical")]


def test_no_model_can_hold_a_file_or_an_image():
    offenders = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert offenders == []


def test_every_case_model_carries_its_setting():
    missing = [
        model.__name__
        for model in incidents_models()
        if model.__name__ not in CASE_MODELS_EXEMPT
        and not any(f.name == "setting" and f.related_model.__name__ == "Setting" for f in model._meta.fields)
    ]
    assert missing == []


def test_models_addressed_in_urls_have_a_uuid_code():
    for name in ("Incident", "YoungPerson", "Involvement", "Setting"):
        field = apps.get_model("incidents", name)._meta.get_field("code")
        assert isinstance(field, models.UUIDField) and field.unique


@pytest.mark.parametrize("model", incidents_models(), ids=lambda m: m.__name__)
def test_every_model_names_itself(model):
    assert "__str__" in model.__dict__ or any("__str__" in base.__dict__ for base in model.__mro__[1:-1])
