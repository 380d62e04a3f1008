"""Every case model carries its setting: the tenant key for scoping, indexes and distribution.

A new model in the incidents app fails here until it has a `setting` foreign key and its indexes
start with it, or until it is listed below with the reason it is not a case record.
"""

from django.apps import apps

from incidents.models import Setting

NOT_CASE_MODELS = {
    "setting": "the tenant itself",
    "user": "a person may belong to several settings (trusts, local authorities)",
    # Guardian's row for one named member of staff and one incident; it is read by user, and the
    # incident it points at carries the setting. docs/scaling.md notes it for a distributed database.
    "incidentuserobjectpermission": "a guardian permission row, keyed by user and incident",
    # Sign-in security (issue 7): about a person signing in, before and beyond any one setting.
    "securityevent": "the security log of sign-ins, keyed by user (who may belong to several settings)",
    "usersession": "a person's signed-in session, across all their settings",
}
# Indexes for questions asked across settings, each with its reason (docs/scaling.md lists them).
CROSS_SETTING_INDEXES = {
    "membership_user_setting": "which settings a user belongs to is asked before any setting is known",
    "outbox_due": "the email worker serves every setting at once",
    "securityevent_user_at": "a person's sign-in history, whatever their settings",
    "securityevent_kind_at": "lockouts and failures are watched site-wide",
    "usersession_user_created": "signing a person out everywhere ends all their sessions",
}


def case_models():
    for model in apps.get_app_config("incidents").get_models():
        if model._meta.model_name in NOT_CASE_MODELS:
            continue
        if model._meta.model_name.startswith("historical"):  # simple_history's copies of audited models
            continue
        yield model


def test_every_case_model_has_a_setting_foreign_key():
    missing = []
    for model in case_models():
        try:
            field = model._meta.get_field("setting")
        except Exception:
            missing.append(model.__name__)
            continue
        assert field.is_relation and field.related_model is Setting, f"{model.__name__}.setting is not a Setting FK"
    assert not missing, (
        f"Case models without a `setting` foreign key: {missing}. Add one (see STYLE.md, rule 4), or list the model "
        "in NOT_CASE_MODELS in tests/test_tenancy.py with the reason it is not a case record."
    )


def test_indexes_on_case_models_start_with_the_setting():
    wrong = [
        f"{model.__name__}.{index.name}"
        for model in case_models()
        for index in model._meta.indexes
        # Expression indexes (index.fields empty) are left to review.
        if index.fields
        and index.name not in CROSS_SETTING_INDEXES
        and index.fields[0].lstrip("-") not in ("setting", "setting_id")
    ]
    assert not wrong, (
        f"Indexes that do not start with the setting: {wrong}. Start them with it, or add them to "
        "CROSS_SETTING_INDEXES in tests/test_tenancy.py with the reason the query crosses settings."
    )


def test_the_known_case_models_are_checked():
    names = {model.__name__ for model in case_models()}
    assert {"Incident", "YoungPerson", "Involvement", "ChronologyEntry", "AccessLogEntry", "Membership"} <= names
