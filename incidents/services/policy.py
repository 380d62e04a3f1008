"""Writes and reads for the setting's policy: the draft, adoption, read confirmations and training.

Each write validates, saves and keeps its record in one transaction. The draft's edits are kept by
its history; an adopted version is immutable (database triggers refuse any change).
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import formats, timezone

from incidents import policy_document, rules
from incidents.models import (
    Membership,
    PolicyDraft,
    PolicyVersion,
    ReadConfirmation,
    Setting,
    TrainingAttendance,
    TrainingSession,
    User,
)

Role = Membership.Role
EDIT_ROLES = (Role.DSL, Role.HEADTEACHER)
ADOPT_ROLES = (Role.HEADTEACHER,)
DRAFT_FIELDS = [
    "setting_name",
    "place_term",
    "child_term",
    "dsl",
    "headteacher",
    "mash_phone",
    "mash_email",
    "police_phone",
    "lado_phone",
    "lado_email",
    "curriculum",
    "rule_set",
    "next_review_on",
    "local_additions",
]
# How long before the review date the dashboard starts to say it is due.
REVIEW_DUE_WARNING = timedelta(days=30)
# "No training in the last year."
TRAINING_PERIOD = timedelta(days=365)


class StaleDraft(Exception):
    def __init__(self, draft: PolicyDraft):
        who = f" by {draft.updated_by}" if draft.updated_by else ""
        when = formats.date_format(timezone.localtime(draft.updated_at), "j F Y, H:i")
        super().__init__(
            f"The draft was changed{who} at {when} while you were editing it, so your changes have not been "
            "saved. Your text is still in the form below: check the draft as it is now, then save again."
        )


def _members(setting: Setting, roles: tuple[str, ...]) -> QuerySet[User]:
    return User.objects.filter(
        memberships__setting=setting, memberships__role__in=roles, memberships__is_active=True, is_active=True
    ).order_by("last_name", "first_name")


def dsl_choices(setting: Setting) -> QuerySet[User]:
    return _members(setting, (Role.DSL,))


def deputy_choices(setting: Setting) -> QuerySet[User]:
    return _members(setting, (Role.DEPUTY,))


def headteacher_choices(setting: Setting) -> QuerySet[User]:
    return _members(setting, (Role.HEADTEACHER,))


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def latest_version(setting: Setting) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(setting=setting).order_by("-number").first()


def policy_version_in_force(setting: Setting | int, at: datetime | None = None) -> PolicyVersion | None:
    """The version adopted most recently at `at` (now by default): what a decision taken then followed."""
    at = at or timezone.now()
    setting_id = setting if isinstance(setting, int) else setting.pk
    return (
        PolicyVersion.objects.filter(setting_id=setting_id, adopted_at__lte=at)
        .order_by("-adopted_at", "-number")
        .first()
    )


def policy_draft_get_or_start(*, setting: Setting) -> PolicyDraft:
    """The setting's draft, started from its last adopted version, or from the setting and its members."""
    draft = PolicyDraft.objects.filter(setting=setting).select_related("dsl", "headteacher", "updated_by").first()
    if draft is not None:
        return draft
    with transaction.atomic():
        draft = PolicyDraft(
            setting=setting,
            setting_name=setting.name,
            place_term=setting.place_term,
            child_term=setting.child_term,
            mash_phone=setting.mash_phone,
            mash_email=setting.mash_email,
            police_phone=setting.police_non_emergency,
            lado_phone=setting.lado_phone,
            lado_email=setting.lado_email,
            rule_set=setting.rule_set,
            next_review_on=one_year_after(timezone.localdate()),
        )
        dsls, heads = list(dsl_choices(setting)[:2]), list(headteacher_choices(setting)[:2])
        # Only an unambiguous choice is made for the setting; otherwise the editor asks.
        draft.dsl = dsls[0] if len(dsls) == 1 else None
        draft.headteacher = heads[0] if len(heads) == 1 else None
        draft.save()
        draft.deputies.set(deputy_choices(setting))
    return draft


def validate_draft(draft: PolicyDraft, deputies: list[User]) -> None:
    errors: dict[str, str] = {}
    setting = draft.setting
    if draft.dsl_id and not dsl_choices(setting).filter(pk=draft.dsl_id).exists():
        errors["dsl"] = f"{draft.dsl} is not a Designated Safeguarding Lead of {setting}."
    if draft.headteacher_id and not headteacher_choices(setting).filter(pk=draft.headteacher_id).exists():
        errors["headteacher"] = f"{draft.headteacher} is not the headteacher of {setting}."
    allowed = set(deputy_choices(setting).values_list("pk", flat=True))
    strangers = [str(user) for user in deputies if user.pk not in allowed]
    if strangers:
        errors["deputies"] = f"Not a deputy DSL of {setting}: {', '.join(strangers)}."
    if draft.rule_set not in rules.RULE_SETS:
        errors["rule_set"] = f"Unknown rule set {draft.rule_set!r}."
    if draft.next_review_on and draft.next_review_on <= timezone.localdate():
        errors["next_review_on"] = "The next review must be after today."
    elif draft.next_review_on and draft.next_review_on > one_year_after(timezone.localdate()) + timedelta(days=31):
        errors["next_review_on"] = "Review the policy at least once a year: choose a date within about a year."
    if not isinstance(draft.local_additions, dict):
        errors["local_additions"] = "Local additions must be given section by section."
    else:
        unknown = set(draft.local_additions) - set(policy_document.SECTION_TITLES)
        if unknown:
            errors["local_additions"] = f"Local additions for unknown sections: {', '.join(sorted(unknown))}."
    if errors:
        raise ValidationError(errors)


def policy_draft_update(
    *, actor: User, draft: PolicyDraft, expected_revision: int, deputies: list[User] | None = None, **changes: Any
) -> PolicyDraft:
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"Not policy draft fields: {sorted(unknown)}")
    with transaction.atomic():
        current = PolicyDraft.objects.select_for_update().select_related("setting").get(pk=draft.pk)
        if current.revision != expected_revision:
            raise StaleDraft(current)
        for name, value in changes.items():
            setattr(current, name, value)
        if isinstance(current.local_additions, dict):
            current.local_additions = {k: v.strip() for k, v in current.local_additions.items() if v and v.strip()}
        chosen = list(deputies) if deputies is not None else list(current.deputies.all())
        validate_draft(current, chosen)
        current.full_clean(exclude=["deputies"])
        current.revision += 1
        current.updated_by = actor
        current.save()
        if deputies is not None:
            current.deputies.set(chosen)
    return current


def _name(user: User | None) -> str:
    return str(user) if user else ""


def policy_values(draft: PolicyDraft) -> policy_document.PolicyValues:
    deputies = tuple(_name(user) for user in draft.deputies.order_by("last_name", "first_name"))
    return policy_document.PolicyValues(
        setting_name=draft.setting_name,
        place=draft.place_term,
        child=draft.child_term,
        dsl=_name(draft.dsl),
        deputies=deputies,
        headteacher=_name(draft.headteacher),
        mash_phone=draft.mash_phone,
        mash_email=draft.mash_email,
        police_phone=draft.police_phone,
        lado_phone=draft.lado_phone,
        lado_email=draft.lado_email,
        curriculum=draft.curriculum,
        rule_set=draft.rule_set,
        next_review=formats.date_format(draft.next_review_on, "j F Y") if draft.next_review_on else "",
        local_additions=dict(draft.local_additions or {}),
    )


def draft_document(draft: PolicyDraft) -> policy_document.Document:
    return policy_document.assemble(policy_values(draft))


def version_document(version: PolicyVersion) -> policy_document.Document:
    return policy_document.Document.from_json(version.document)


def policy_adopt(
    *, actor: User, draft: PolicyDraft, expected_revision: int, governors_ratified_on: date | None = None
) -> PolicyVersion:
    """The headteacher approves the draft as it stands; it becomes the version in force.

    The setting's rule set, words and contacts follow the adopted policy, so the rules the app
    applies are the rules the staff have read.
    """
    with transaction.atomic():
        current = PolicyDraft.objects.select_for_update().select_related("setting").get(pk=draft.pk)
        setting = Setting.objects.select_for_update().get(pk=current.setting_id)
        if current.revision != expected_revision:
            raise StaleDraft(current)
        if not Membership.objects.filter(setting=setting, user=actor, role__in=ADOPT_ROLES, is_active=True).exists():
            raise ValidationError(f"Only the headteacher of {setting} can approve and adopt its policy.")
        errors: dict[str, str] = {}
        if governors_ratified_on and governors_ratified_on > timezone.localdate():
            errors["governors_ratified_on"] = "The date the governors ratified it cannot be in the future."
        if current.next_review_on and current.next_review_on <= timezone.localdate():
            errors["__all__"] = (
                "The next review date in the draft has already passed: set a new one before adopting it."
            )
        document = draft_document(current)
        gaps = document.gaps()
        if gaps:
            errors["__all__"] = (
                "The policy cannot be adopted while something is not filled in: "
                f"{', '.join(gap.label for gap in gaps)}."
            )
        if current.headteacher_id and current.headteacher_id != actor.pk:
            errors["__all__"] = (
                f"The policy names {current.headteacher} as headteacher: only they can approve it. "
                "Change the headteacher in the draft if that is wrong."
            )
        if errors:
            raise ValidationError(errors)
        values = policy_values(current)
        document_json = document.to_json()
        number = (PolicyVersion.objects.filter(setting=setting).aggregate(n=Max("number"))["n"] or 0) + 1
        version = PolicyVersion.objects.create(
            setting=setting,
            number=number,
            rule_set=current.rule_set,
            values=asdict(values) | {"deputies": list(values.deputies)},
            document=document_json,
            content_sha256=hashlib.sha256(
                json.dumps(document_json, sort_keys=True, ensure_ascii=False).encode()
            ).hexdigest(),
            drafted_by=current.updated_by,
            drafted_by_name=_name(current.updated_by),
            approved_by=actor,
            approved_by_name=_name(actor),
            governors_ratified_on=governors_ratified_on,
            next_review_on=current.next_review_on,
        )
        setting.rule_set = current.rule_set
        setting.child_term = current.child_term
        setting.place_term = current.place_term
        setting.mash_phone = current.mash_phone
        setting.mash_email = current.mash_email
        setting.police_non_emergency = current.police_phone
        setting.lado_phone = current.lado_phone
        setting.lado_email = current.lado_email
        setting._change_reason = f"Policy version {number} adopted"
        setting.save()
    return version


# --- Reading and confirming -----------------------------------------------------------


def policy_read_confirm(*, user: User, version: PolicyVersion) -> ReadConfirmation:
    """Record that `user` has read `version`. Confirming twice keeps the first confirmation."""
    if not Membership.objects.filter(setting_id=version.setting_id, user=user, is_active=True).exists():
        raise ValidationError("Only members of the setting confirm they have read its policy.")
    with transaction.atomic():
        confirmation, _ = ReadConfirmation.objects.get_or_create(
            version=version, user=user, defaults={"setting_id": version.setting_id}
        )
    return confirmation


def versions_awaiting_reading(user: User) -> list[PolicyVersion]:
    """The version in force in each of the user's settings that they have not yet confirmed reading."""
    if not user.is_authenticated:
        return []
    setting_ids = list(Membership.objects.filter(user=user, is_active=True).values_list("setting_id", flat=True))
    if not setting_ids:
        return []
    waiting = []
    for setting_id in setting_ids:
        version = policy_version_in_force(setting_id)
        if version is not None and not ReadConfirmation.objects.filter(version=version, user=user).exists():
            waiting.append(version)
    return waiting


# --- Training -------------------------------------------------------------------------


def _validate_training(setting: Setting, held_on: date | None, attendees: list[User]) -> None:
    errors: dict[str, str] = {}
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = "Record a session once it has taken place: the date cannot be in the future."
    members = set(Membership.objects.filter(setting=setting, is_active=True).values_list("user_id", flat=True))
    strangers = [str(user) for user in attendees if user.pk not in members]
    if strangers:
        errors["attendees"] = f"Not a member of {setting}: {', '.join(strangers)}."
    if errors:
        raise ValidationError(errors)


def training_session_create(
    *, actor: User, setting: Setting, held_on: date, title: str, led_by: str, attendees: list[User]
) -> TrainingSession:
    _validate_training(setting, held_on, attendees)
    session = TrainingSession(
        setting=setting, held_on=held_on, title=title.strip(), led_by=led_by.strip(), recorded_by=actor
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        TrainingAttendance.objects.bulk_create(
            TrainingAttendance(setting=setting, session=session, user=user) for user in attendees
        )
    return session


def training_session_update(
    *, actor: User, session: TrainingSession, held_on: date, title: str, led_by: str, attendees: list[User]
) -> TrainingSession:
    _validate_training(session.setting, held_on, attendees)
    with transaction.atomic():
        session.held_on, session.title, session.led_by = held_on, title.strip(), led_by.strip()
        session.full_clean()
        session._change_reason = f"Changed by {actor}"
        session.save()
        wanted = {user.pk for user in attendees}
        # Deleted one by one so each removal lands in the attendance history.
        for attendance in session.attendance.exclude(user_id__in=wanted):
            attendance._change_reason = f"Removed by {actor}"
            attendance.delete()
        present = set(session.attendance.values_list("user_id", flat=True))
        for user in attendees:
            if user.pk not in present:
                TrainingAttendance.objects.create(setting=session.setting, session=session, user=user)
    return session


# --- Who needs reminding --------------------------------------------------------------


@dataclass(frozen=True)
class StaffPolicyStatus:
    user: User
    role: str
    read_current_at: datetime | None
    last_training_on: date | None
    not_read: bool
    no_recent_training: bool
    # Every version this person has confirmed reading, oldest first.
    versions_read: tuple[int, ...] = ()

    @property
    def needs_attention(self) -> bool:
        return self.not_read or self.no_recent_training

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def staff_policy_status(
    setting: Setting, today: date | None = None
) -> tuple[PolicyVersion | None, list[StaffPolicyStatus]]:
    """Every active member: have they read the version in force, and when were they last trained?

    Five queries whatever the number of staff: the version in force, members, their confirmations of
    it, of every version, and their last training.
    """
    today = today or timezone.localdate()
    version = policy_version_in_force(setting)
    members = list(
        Membership.objects.filter(setting=setting, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    confirmed = (
        dict(ReadConfirmation.objects.filter(version=version).values_list("user_id", "confirmed_at")) if version else {}
    )
    trained = dict(
        TrainingAttendance.objects.filter(setting=setting)
        .values("user_id")
        .annotate(last=Max("session__held_on"))
        .values_list("user_id", "last")
    )
    versions_read: dict[int, list[int]] = {}
    for user_id, number in (
        ReadConfirmation.objects.filter(setting=setting)
        .order_by("version__number")
        .values_list("user_id", "version__number")
    ):
        versions_read.setdefault(user_id, []).append(number)
    since = today - TRAINING_PERIOD
    statuses = []
    for membership in members:
        read_at = confirmed.get(membership.user_id)
        last = trained.get(membership.user_id)
        statuses.append(
            StaffPolicyStatus(
                user=membership.user,
                role=membership.role,
                read_current_at=read_at,
                last_training_on=last,
                not_read=version is not None and read_at is None,
                no_recent_training=last is None or last < since,
                versions_read=tuple(versions_read.get(membership.user_id, ())),
            )
        )
    return version, statuses


@dataclass(frozen=True)
class ReviewState:
    version: PolicyVersion | None
    # "none" (no policy adopted), "ok", "due" (within the warning period) or "overdue".
    state: str
    days: int = 0

    @property
    def needs_attention(self) -> bool:
        return self.state != "ok"


def review_state(setting: Setting, today: date | None = None) -> ReviewState:
    today = today or timezone.localdate()
    version = latest_version(setting)
    if version is None:
        return ReviewState(None, "none")
    days = (version.next_review_on - today).days
    if days < 0:
        return ReviewState(version, "overdue", -days)
    if days <= REVIEW_DUE_WARNING.days:
        return ReviewState(version, "due", days)
    return ReviewState(version, "ok", days)
