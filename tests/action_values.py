"""Valid arguments for the action services, shared by the action tests: each test overrides only what it is about."""

from datetime import timedelta

from django.utils import timezone


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def seizure_values(incident, dsl, **overrides) -> dict:
    return {
        "actor": dsl,
        "incident": incident,
        "description": "Black phone",
        "owner": "Ann Lee",
        "seized_at": ago(hours=3),
        "seized_by": dsl,
        "switched_off": True,
        "locked_away_where": "DSL's safe",
    } | overrides


def viewing_values(incident, dsl, head, deputy, pupil, **overrides) -> dict:
    return {
        "actor": dsl,
        "incident": incident,
        "young_person": pupil,
        "justification": "only_way",
        "headteacher": head,
        "viewer": dsl,
        "witness": deputy,
        "location": "Headteacher's office",
        "same_sex": "yes",
        "viewed_at": ago(hours=1),
        "reason": "To decide on referral.",
        "what_followed": "Referred to the MASH.",
        "confirm_not_copied": True,
        "confirm_no_distress": True,
    } | overrides


def deletion_request_values(decision, dsl, pupil, **overrides) -> dict:
    return {
        "actor": dsl,
        "decision": decision,
        "young_person": pupil,
        "asked_at": ago(hours=1),
        "deadline": timezone.localdate() + timedelta(days=1),
        "told_offence": True,
    } | overrides
