"""Transfer files for young people who have left: what is due, the file itself, and the record of sending it."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from incidents import stats
from incidents.models import (
    AccessLogEntry,
    ChronologyEntry,
    ExportLog,
    Incident,
    TransferRecord,
    User,
    YoungPerson,
)
from incidents.services.chronology import chronology_record
from incidents.services.exports import Requester, export_document, register_fingerprint
from incidents.services.records import RecordOptions, build_sections, record_fingerprint

# Keeping Children Safe in Education: the file goes to the new school within five school days.
TRANSFER_SCHOOL_DAYS = 5


@dataclass(frozen=True)
class TransferDue:
    person: YoungPerson
    due: date
    incidents: int

    def is_overdue(self, today: date) -> bool:
        return self.due < today


def transfers_due(setting_ids: list[int]) -> list[TransferDue]:
    """Young people who have left, were involved in an incident, and whose file has not been sent."""
    people = (
        YoungPerson.objects.filter(setting_id__in=setting_ids, date_left__isnull=False, involvements__isnull=False)
        .exclude(transfers__isnull=False)
        .select_related("setting")
        .distinct()
        .order_by("date_left", "last_name", "first_name")
    )
    counts = {}
    for person_id, incident_id in Incident.objects.filter(involvements__young_person__in=people).values_list(
        "involvements__young_person", "id"
    ):
        counts.setdefault(person_id, set()).add(incident_id)
    return [
        TransferDue(
            person, stats.add_school_days(person.date_left, TRANSFER_SCHOOL_DAYS), len(counts.get(person.pk, ()))
        )
        for person in people
    ]


def incidents_of(person: YoungPerson) -> list[Incident]:
    return list(
        Incident.objects.filter(setting_id=person.setting_id, involvements__young_person=person)
        .select_related("setting", "owner")
        .distinct()
        .order_by("reported_at", "id")
    )


def transfer_file_fingerprint(person: YoungPerson) -> str:

    parts = [str(person.code), str(person.version)] + [record_fingerprint(i) for i in incidents_of(person)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@register_fingerprint(ExportLog.Kind.TRANSFER)
def _fingerprint_of_export(export: ExportLog) -> str:
    return transfer_file_fingerprint(export.young_person)


def transfer_file_export(*, person: YoungPerson, requester: Requester) -> tuple[ExportLog, bytes]:
    if person.date_left is None:
        raise ValidationError("Record the date this young person left before producing their transfer file.")
    options = RecordOptions(only_person=person)
    records = [
        (incident, [s for s in build_sections(incident, options) if s.key != "access"])
        for incident in incidents_of(person)
    ]
    return export_document(
        kind=ExportLog.Kind.TRANSFER,
        setting=person.setting,
        requester=requester,
        access_action=AccessLogEntry.Action.DOWNLOAD_TRANSFER,
        title=f"Safeguarding transfer file: {person.full_name}",
        template_name="pdf/transfer_file.html",
        context={"person": person, "records": records},
        content_hash=transfer_file_fingerprint(person),
        young_person=person,
        params={"young_person": str(person.code)},
    )


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def transfer_record(
    *,
    actor: User,
    person: YoungPerson,
    receiving_setting: str,
    sent_on: date,
    method: str,
    method_notes: str = "",
    export: ExportLog | None = None,
) -> TransferRecord:
    errors = {}
    receiving_setting = receiving_setting.strip()
    if person.date_left is None:
        errors["__all__"] = "Record the date this young person left before recording a transfer."
    if not receiving_setting:
        errors["receiving_setting"] = "Give the name of the school or college the file was sent to."
    if sent_on > timezone.localdate():
        errors["sent_on"] = "The date sent cannot be in the future."
    if method == TransferRecord.Method.OTHER and not method_notes.strip():
        errors["method_notes"] = "Say how the file was sent."
    if export is not None and (export.kind != ExportLog.Kind.TRANSFER or export.young_person_id != person.pk):
        errors["__all__"] = "That export is not this young person's transfer file."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        transfer = TransferRecord.objects.create(
            setting_id=person.setting_id,
            young_person=person,
            receiving_setting=receiving_setting,
            sent_on=sent_on,
            method=method,
            method_notes=method_notes.strip(),
            export=export,
            recorded_by=actor,
        )
        for incident in incidents_of(person):
            chronology_record(
                incident=incident,
                actor=actor,
                kind=ChronologyEntry.Kind.TRANSFER_SENT,
                summary=f"{person.full_name}'s transfer file sent to {receiving_setting} on {_day(sent_on)} "
                f"({transfer.get_method_display().lower()}).",
                details={"young_person": str(person.code), "transfer": str(transfer.code)},
            )
    return transfer


def transfer_confirm_receipt(
    *, actor: User, transfer: TransferRecord, received_on: date, confirmed_by: str
) -> TransferRecord:
    errors = {}
    if transfer.receipt_confirmed_on is not None:
        errors["__all__"] = "Receipt of this transfer is already recorded."
    if received_on > timezone.localdate():
        errors["received_on"] = "The date of receipt cannot be in the future."
    elif received_on < transfer.sent_on:
        errors["received_on"] = f"It cannot have been received before it was sent ({_day(transfer.sent_on)})."
    if not confirmed_by.strip():
        errors["confirmed_by"] = "Give the name of the person at the receiving setting who confirmed receipt."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = TransferRecord.objects.select_for_update().get(pk=transfer.pk)
        if current.receipt_confirmed_on is not None:
            raise ValidationError("Receipt of this transfer is already recorded.")
        current.receipt_confirmed_on = received_on
        current.receipt_confirmed_by = confirmed_by.strip()
        current.save(update_fields=["receipt_confirmed_on", "receipt_confirmed_by"])
        person = current.young_person
        for incident in incidents_of(person):
            chronology_record(
                incident=incident,
                actor=actor,
                kind=ChronologyEntry.Kind.TRANSFER_RECEIVED,
                summary=f"{current.receiving_setting} confirmed receipt of {person.full_name}'s transfer file on "
                f"{_day(received_on)} ({current.receipt_confirmed_by}).",
                details={"young_person": str(person.code), "transfer": str(current.code)},
            )
    return current
