"""Writes to incidents. Each function validates, saves and records the chronology in one transaction."""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import formats, timezone

from incidents import workflow
from incidents.models import ChronologyEntry, Incident, Setting, User
from incidents.services.chronology import chronology_record, describe_changes

EDITABLE_FIELDS = [
    "reported_at",
    "occurred_on",
    "occurred_on_is_approximate",
    "came_to_attention",
    "summary",
    "creates_and_shares_own",
    "shares_anothers",
    "possesses_anothers",
    "platforms",
    "spread",
    "classification",
    "classification_subtype",
    "adults_involved",
    "adults_description",
    "owner",
]

# A clock a minute or two fast on a laptop should not turn "now" into "the future".
CLOCK_TOLERANCE = timedelta(minutes=5)


class StaleEdit(Exception):
    """Someone else saved the record after this edit began."""

    def __init__(self, latest: ChronologyEntry | None):
        self.latest = latest
        who = f" by {latest.actor}" if latest and latest.actor else ""
        when = f" at {formats.date_format(timezone.localtime(latest.at), 'j F Y, H:i')}" if latest else ""
        super().__init__(
            f"This incident was changed{who}{when} while you were editing it, so your changes have not "
            "been saved. Your text is still in the form below: check the incident as it is now, then "
            "save again."
        )


def validate_incident_dates(*, reported_at: datetime, occurred_on: date | None, incident: Incident | None) -> None:
    errors: dict[str, str] = {}
    now = timezone.now()
    if reported_at > now + CLOCK_TOLERANCE:
        errors["reported_at"] = "The time it was reported to the DSL cannot be in the future."
    if occurred_on:
        reported_day = timezone.localtime(reported_at).date()
        if occurred_on > timezone.localdate():
            errors["occurred_on"] = "The date it happened cannot be in the future."
        elif occurred_on > reported_day:
            errors["occurred_on"] = (
                f"It cannot have happened after it was reported ({formats.date_format(reported_day, 'j F Y')}). "
                "Check both dates."
            )
    if incident is not None and incident.pk and "occurred_on" not in errors:
        day = occurred_on or timezone.localtime(reported_at).date()
        born_later = [
            inv.young_person
            for inv in incident.involvements.select_related("young_person")
            if inv.young_person.date_of_birth > day
        ]
        if born_later:
            person = born_later[0]
            errors["occurred_on"] = (
                f"{person.full_name} was born on {formats.date_format(person.date_of_birth, 'j F Y')}, "
                f"after this date. Check the date it happened."
            )
    if errors:
        raise ValidationError(errors)


def _next_reference(setting: Setting, reported_at: datetime) -> str:
    year = timezone.localtime(reported_at).year
    # One statement makes the year's counter or moves it on, and reads the number: it holds the row's
    # lock to the end of the transaction, so two incidents created at once get different numbers.
    # (The ORM needs three statements for this; PostgreSQL and SQLite both have ON CONFLICT and RETURNING.)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO incidents_referencecounter (setting_id, year, last_number) VALUES (%s, %s, 1) "
            "ON CONFLICT (setting_id, year) DO UPDATE SET last_number = incidents_referencecounter.last_number + 1 "
            "RETURNING last_number",
            [setting.pk, year],
        )
        (number,) = cursor.fetchone()
    return f"{setting.reference_prefix}-{year}-{number:04d}"


def incident_create(*, actor: User | None, setting: Setting, **fields: Any) -> Incident:
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"status"}
    if unknown:
        raise TypeError(f"Not incident fields that can be set: {sorted(unknown)}")
    incident = Incident(setting=setting, created_by=actor, **fields)
    validate_incident_dates(reported_at=incident.reported_at, occurred_on=incident.occurred_on, incident=None)
    with transaction.atomic():
        incident.reference = _next_reference(setting, incident.reported_at)
        # Not re-checked by query: the setting and the actor are rows the caller already holds, the code is a
        # new UUID, and the reference comes from the counter locked above (the database's unique constraints
        # still stand behind all four).
        incident.full_clean(exclude=["setting", "created_by", "code"])
        incident.save()
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.CREATED,
            summary=f"Incident {incident.reference} recorded (status: {incident.get_status_display()}).",
        )
    return incident


def incident_update(*, actor: User, incident: Incident, expected_version: int, **changes: Any) -> Incident:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not incident fields that can be changed: {sorted(unknown)}")
    with transaction.atomic():
        current = Incident.objects.select_for_update().get(pk=incident.pk)
        if current.version != expected_version:
            raise StaleEdit(current.chronology.order_by("-at", "-id").first())
        attnames = [current._meta.get_field(name).attname for name in EDITABLE_FIELDS]
        before = {attname: getattr(current, attname) for attname in attnames}
        for name, value in changes.items():
            setattr(current, name, value)
        validate_incident_dates(reported_at=current.reported_at, occurred_on=current.occurred_on, incident=current)
        current.full_clean()
        summary, changed = describe_changes(current, before, attnames)
        if not changed:
            return current
        current.version += 1
        current.save()
        chronology_record(
            incident=current,
            actor=actor,
            kind=ChronologyEntry.Kind.UPDATED,
            summary=f"Changed {summary}.",
            details={"changes": changed},
        )
    return current


def incident_change_status(
    *, actor: User, incident: Incident, status: str, reason: str = "", override_reason: str = ""
) -> Incident:
    from incidents.services.closing import check_can_close, record_override

    reason = reason.strip()
    with transaction.atomic():
        current = Incident.objects.select_for_update().get(pk=incident.pk)
        if not workflow.can_move(current.status, status):
            raise ValidationError(
                {
                    "status": f"An incident that is {current.get_status_display().lower()} cannot be moved to "
                    f"{Incident.Status(status).label.lower()}."
                }
            )
        if workflow.needs_reason(current.status, status) and not reason:
            verb = "reopening" if workflow.is_reopening(current.status, status) else "closing"
            raise ValidationError({"reason": f"Give the reason for {verb} this incident."})
        gaps = check_can_close(incident=current, override_reason=override_reason) if status == workflow.CLOSED else []
        old_status, old_label = current.status, current.get_status_display()
        current.status = status
        current.version += 1
        current.save()
        verb = "Reopened" if workflow.is_reopening(old_status, status) else "Status changed"
        chronology_record(
            incident=current,
            actor=actor,
            kind=ChronologyEntry.Kind.STATUS,
            summary=f"{verb}: {old_label} → {current.get_status_display()}." + (f" Reason: {reason}" if reason else ""),
            details={"from": old_status, "to": status, "reason": reason},
        )
        record_override(actor=actor, incident=current, gaps=gaps, override_reason=override_reason)
    return current


def note_add(*, actor: User, incident: Incident, text: str) -> ChronologyEntry:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the note before adding it."})
    with transaction.atomic():
        return chronology_record(incident=incident, actor=actor, kind=ChronologyEntry.Kind.NOTE, summary=text)
