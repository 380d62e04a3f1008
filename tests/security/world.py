"""A fixture world for the security tests: two settings, each with one of every kind of record.

Setting A (Oakfield) has the whole cast: a DSL, a deputy, a headteacher, a member of staff, an
auditor and a member of staff granted one incident. Setting B (Riverside) has the same records
and its own cast; its DSL is the "another setting" role of the permission matrix. Everything is
made through the services, as the app makes it."""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from incidents import rules
from incidents.models import Decision, Disclosure, Involvement, Membership, OutboxEmail, Setting, User
from incidents.services import actions, imagery
from incidents.services import decisions as decision_services
from incidents.services import policy as policy_services
from incidents.services.disclosures import DisclosureInput, disclosure_report
from incidents.services.grants import incident_grant_access
from incidents.services.incidents import incident_create, note_add
from incidents.services.people import involvement_add, young_person_create
from incidents.services.transfers import transfer_record
from tests.factories import MembershipFactory, SettingFactory, UserFactory

Role = Membership.Role

@dataclass
class SettingWorld:
    """One setting and one of each record the URLs name, keyed by what the URL calls them."""

    setting: Setting
    users: dict[str, User]
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    a: SettingWorld
    b: SettingWorld

    def user(self, role: str) -> User | None:
        """The user of a permission-matrix role (None: not signed in)."""
        if role == "anon":
            return None
        if role == "other_dsl":
            return self.b.users["dsl"]
        return self.a.users[role]

    @property
    def users(self) -> list[User]:
        return [*self.a.users.values(), *self.b.users.values()]


def ago(**kwargs) -> timezone.datetime:
    return timezone.now() - timedelta(**kwargs)


def _cast(setting: Setting, prefix: str) -> dict[str, User]:
    people = {
        "dsl": (Role.DSL, "Dana"),
        "deputy": (Role.DEPUTY, "Owen"),
        "head": (Role.HEADTEACHER, "Helen"),
        "staff": (Role.STAFF, "Sam"),
        "granted": (Role.STAFF, "Tess"),
        "auditor": (Role.AUDITOR, "Alex"),
    }
    users = {}
    for key, (role, first_name) in people.items():
        user = UserFactory(username=f"{prefix}-{key}", first_name=first_name, last_name=prefix.title())
        MembershipFactory(setting=setting, user=user, role=role)
        users[key] = user
    return users


def build_setting(name: str, prefix: str, pupil_name: tuple[str, str]) -> SettingWorld:
    setting = SettingFactory(name=name)
    users = _cast(setting, prefix)
    dsl, deputy, head = users["dsl"], users["deputy"], users["head"]
    world = SettingWorld(setting=setting, users=users)
    o = world.objects

    # Policy first: an adopted version, read by everyone so no page sends them to read it.
    draft = policy_services.policy_draft_get_or_start(setting=setting)
    draft = policy_services.policy_draft_update(
        actor=dsl,
        draft=draft,
        expected_revision=draft.revision,
        lado_phone="01632 960 501",
        curriculum="our PSHE programme",
    )
    o["policy_version"] = policy_services.policy_adopt(actor=head, draft=draft, expected_revision=draft.revision)
    for user in users.values():
        policy_services.policy_read_confirm(user=user, version=o["policy_version"])
    o["training_session"] = policy_services.training_session_create(
        actor=dsl,
        setting=setting,
        held_on=timezone.localdate(),
        title="Spotting and passing on",
        led_by="Dana",
        attendees=[users["staff"]],
    )

    incident = incident_create(
        actor=dsl,
        setting=setting,
        summary="A pupil told her tutor a picture of her is being passed round a group chat.",
        came_to_attention="young_person",
        owner=dsl,
        reported_at=ago(days=1),
        occurred_on=timezone.localdate() - timedelta(days=2),
    )
    o["incident"] = incident
    pupil = young_person_create(
        actor=dsl,
        setting=setting,
        first_name=pupil_name[0],
        last_name=pupil_name[1],
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 14) - timedelta(days=30),
        sex="female",
        year_group="Year 9",
    )
    o["young_person"] = pupil
    (o["involvement"],) = involvement_add(
        actor=dsl, incident=incident, person=pupil, roles=[Involvement.Role.PICTURED]
    )
    note_add(actor=dsl, incident=incident, text="Spoke with the pupil.")
    incident_grant_access(actor=dsl, incident=incident, member=users["granted"], reason="Talks with the pupil.")

    # A report by the member of staff: its own incident, and an alert email in the outbox.
    o["disclosure"], _ = disclosure_report(
        reporter=users["staff"],
        setting=setting,
        idempotency_key=uuid.uuid4(),
        data=DisclosureInput(
            source=Disclosure.Source.YOUNG_PERSON,
            disclosed_at=ago(minutes=10),
            young_people_named="Jess Smith, Year 9",
            what_was_said="Jess said a photo of her is going round.",
            imagery_known="Shared in a group chat.",
            devices="",
        ),
    )
    o["outbox_email"] = OutboxEmail.objects.filter(setting=setting).first()

    o["decision"] = decision_services.review_record(
        actor=dsl,
        incident=incident,
        held_at=timezone.now(),
        attendees=[dsl],
        other_attendees=[],
        answers={
            "immediate_risk": "no",
            "spread": "contained",
            "removal": "now",
            "contact_others": "no",
            "tell_parents": "yes",
        },
        facts=rules.Facts(ages=(14,), classification=rules.EXPERIMENTAL),
        outcome=Decision.Outcome.MANAGE_IN_SETTING,
        reason="Consensual between two 14-year-olds; deleted.",
    )
    o["risk_assessment"] = decision_services.risk_assessment_record(
        actor=dsl,
        incident=incident,
        answers={
            "why_shared": "romantic",
            "coerced": "no",
            "who_shared": "The two pupils only.",
            "where_shared": "Snapchat, between the two.",
            "with_knowledge": "yes",
            "adults_involved": "no",
            "impact": "some",
            "additional_vulnerabilities": "no",
            "understands_consent": "yes",
            "done_before": "no",
            "interviewed_young_person": True,
            "risk_level": "low",
            "interview_at": timezone.now(),
        },
    )

    o["referral"] = actions.referral_create(
        actor=dsl,
        incident=incident,
        agency="mash",
        made_at=ago(hours=4),
        method="phone",
        contact_name="Duty social worker",
        information_shared="Names and what was said.",
    )
    o["device"] = actions.device_record_seizure(
        actor=dsl,
        incident=incident,
        description="Black phone",
        owner=" ".join(pupil_name),
        seized_at=ago(hours=3),
        seized_by=dsl,
        switched_off=True,
        locked_away_where="DSL's safe",
    )
    o["viewing"] = imagery.viewing_record(
        actor=dsl,
        incident=incident,
        young_person=pupil,
        justification="only_way",
        headteacher=head,
        viewer=dsl,
        witness=deputy,
        location="Headteacher's office",
        same_sex="yes",
        viewed_at=ago(hours=1),
        reason="To decide on referral.",
        what_followed="Referred to the MASH.",
        confirm_not_copied=True,
        confirm_no_distress=True,
    )
    o["unavoidable"] = imagery.unavoidable_viewing_record(
        actor=dsl,
        incident=incident,
        staff_member=users["staff"],
        circumstance="disclosure",
        viewed_on=timezone.localdate(),
    )
    o["deletion_decision"] = imagery.deletion_decide(
        actor=dsl, incident=incident, method="ask", reason="No agencies involved.", decided_at=ago(hours=2)
    )
    o["deletion_request"] = imagery.deletion_request_record(
        actor=dsl,
        decision=o["deletion_decision"],
        young_person=pupil,
        asked_at=ago(hours=1),
        deadline=timezone.localdate() + timedelta(days=1),
        told_offence=True,
        on_devices=True,
    )

    pupil.date_left = timezone.localdate() - timedelta(days=1)
    pupil.save(update_fields=["date_left"])
    o["transfer"] = transfer_record(
        actor=dsl,
        person=pupil,
        receiving_setting="Hillside School",
        sent_on=timezone.localdate(),
        method="secure_email",
    )
    return world


def build_world() -> World:
    return World(
        a=build_setting("Oakfield Academy", "oak", ("Ann", "Lee")),
        b=build_setting("Riverside College", "river", ("Rhea", "Quinlan")),
    )
