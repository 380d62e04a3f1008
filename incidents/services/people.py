"""Writes to young people and their involvement in incidents."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from incidents.dates import is_young_person_on
from incidents.models import ChronologyEntry, Incident, Involvement, Setting, User, YoungPerson
from incidents.services.chronology import chronology_record, describe_changes
from incidents.services.incidents import StaleEdit

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "year_group",
    "additional_needs",
    "additional_needs_note",
    "known_to_social_care",
    "date_left",
]


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def validate_person_dates(person: YoungPerson) -> None:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if person.date_of_birth and person.date_of_birth > today:
        errors["date_of_birth"] = "The date of birth cannot be in the future."
    elif person.pk and person.date_of_birth:
        for involvement in person.involvements.select_related("incident"):
            day = involvement.incident.incident_date
            if person.date_of_birth > day:
                errors["date_of_birth"] = (
                    f"{person.full_name} is recorded in {involvement.incident.reference}, which happened on "
                    f"{_day(day)}, before this date of birth. Check the date."
                )
                break
    if person.date_left and person.date_of_birth and person.date_left < person.date_of_birth:
        errors["date_left"] = "The date they left cannot be before their date of birth."
    if errors:
        raise ValidationError(errors)


def young_person_create(*, actor: User, setting: Setting, **fields: Any) -> YoungPerson:
    person = YoungPerson(setting=setting, **fields)
    validate_person_dates(person)
    person.full_clean()
    with transaction.atomic():
        person.save()
    return person


def young_person_update(*, actor: User, person: YoungPerson, expected_version: int, **changes: Any) -> YoungPerson:
    with transaction.atomic():
        current = YoungPerson.objects.select_for_update().get(pk=person.pk)
        if current.version != expected_version:
            raise StaleEdit(None)
        before = {name: getattr(current, name) for name in PERSON_FIELDS}
        for name, value in changes.items():
            setattr(current, name, value)
        validate_person_dates(current)
        current.full_clean()
        summary, changed = describe_changes(current, before, PERSON_FIELDS)
        if not changed:
            return current
        current.version += 1
        current.save()
        # The change matters to every incident the person is in, so each chronology says so.
        incidents = Incident.objects.filter(involvements__young_person=current).distinct()
        for incident in incidents:
            chronology_record(
                incident=incident,
                actor=actor,
                kind=ChronologyEntry.Kind.PERSON_UPDATED,
                summary=f"{current.full_name}'s details changed: {summary}.",
                details={"young_person": str(current.code), "changes": changed},
            )
    return current


def involvement_add(*, actor: User, incident: Incident, person: YoungPerson, roles: list[str]) -> list[Involvement]:
    if person.setting_id != incident.setting_id:
        raise ValidationError({"young_person": "That young person belongs to another setting."})
    if not roles:
        raise ValidationError({"roles": "Choose at least one part they played in the incident."})
    day = incident.incident_date
    if person.date_of_birth > day:
        raise ValidationError(
            {
                "young_person": f"{person.full_name} was born on {_day(person.date_of_birth)}, after this "
                f"incident ({_day(day)}). Check the dates."
            }
        )
    if not is_young_person_on(person.date_of_birth, day):
        raise ValidationError(
            {
                "young_person": f"{person.full_name} was 18 or over on {_day(day)}, so is not a young person "
                "under this policy. Record them in the incident's adult involvement instead."
            }
        )
    existing = set(incident.involvements.filter(young_person=person).values_list("role", flat=True))
    new_roles = [role for role in roles if role not in existing]
    if not new_roles:
        raise ValidationError({"roles": f"{person.full_name} is already recorded in those roles."})
    with transaction.atomic():
        created = [
            Involvement.objects.create(
                setting_id=incident.setting_id, incident=incident, young_person=person, role=role
            )
            for role in new_roles
        ]
        labels = ", ".join(Involvement.Role(role).label.lower() for role in new_roles)
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.PERSON_ADDED,
            summary=f"{person.full_name} added ({labels}).",
            details={"young_person": str(person.code), "roles": new_roles},
        )
    return created


def involvement_remove(*, actor: User, involvement: Involvement, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for removing this young person from the incident."})
    with transaction.atomic():
        incident, person = involvement.incident, involvement.young_person
        role_label = involvement.get_role_display().lower()
        involvement.delete()
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.PERSON_REMOVED,
            summary=f"{person.full_name} removed ({role_label}). Reason: {reason}",
            details={"young_person": str(person.code), "role": involvement.role, "reason": reason},
        )
