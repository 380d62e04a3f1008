"""Demo data for the setting's policy: an adopted version, confirmations and a training session."""

from datetime import timedelta

from django.utils import timezone

from incidents.models import PolicyVersion, Setting, User
from incidents.services import policy as policy_service


def seed_policy(setting: Setting, users: dict[str, User]) -> None:
    """Adopt a first version once; leave `staff` unconfirmed so signing in as them shows the prompt."""
    if PolicyVersion.objects.filter(setting=setting).exists():
        return
    draft = policy_service.policy_draft_get_or_start(setting=setting)
    draft = policy_service.policy_draft_update(
        actor=users["dsl"],
        draft=draft,
        expected_revision=draft.revision,
        lado_phone=setting.lado_phone or "01632 960 501",
        curriculum="our PSHE and RSHE programme in every year group, and our computing lessons",
        local_additions={
            "disclosures": (
                "Pupils can also leave a note in the worry box outside the library, which the DSL "
                "checks every morning."
            ),
            "training": "Every new member of staff meets the DSL in their first week.",
        },
    )
    version = policy_service.policy_adopt(
        actor=users["head"],
        draft=draft,
        expected_revision=draft.revision,
        governors_ratified_on=timezone.localdate() - timedelta(days=1),
    )
    for name in ("dsl", "deputy", "head"):
        policy_service.policy_read_confirm(user=users[name], version=version)
    policy_service.training_session_create(
        actor=users["dsl"],
        setting=setting,
        held_on=timezone.localdate() - timedelta(days=60),
        title="Youth produced sexual imagery: recognising and passing on a disclosure",
        led_by=str(users["dsl"]),
        attendees=[users["dsl"], users["deputy"], users["staff"]],
    )
