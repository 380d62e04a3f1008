"""Writes for referrals, chases, parents' decisions, devices and their custody.

Each function validates, saves and records the chronology in one transaction, and refuses bad input
with a ValidationError keyed by field so that forms can show it where it belongs.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from incidents.models import (
    ChronologyEntry,
    CustodyEntry,
    Device,
    Incident,
    Membership,
    ParentsDecision,
    Referral,
    ReferralChase,
    User,
    YoungPerson,
)
from incidents.services.chronology import chronology_record
from incidents.services.incidents import CLOCK_TOLERANCE


def when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j M Y, H:i")


def day(value: date) -> str:
    return formats.date_format(value, "j M Y")


def not_in_future(errors: dict[str, str], field: str, value: datetime | None, what: str) -> None:
    if value is not None and value > timezone.now() + CLOCK_TOLERANCE:
        errors.setdefault(field, f"{what} cannot be in the future.")


def require(errors: dict[str, str], values: dict, messages: dict[str, str]) -> None:
    for field, message in messages.items():
        value = values.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.setdefault(field, message)


def check_person_involved(errors: dict[str, str], incident: Incident, person: YoungPerson | None) -> None:
    if person is not None and not incident.involvements.filter(young_person=person).exists():
        errors.setdefault("young_person", f"{person} is not recorded as involved in {incident.reference}.")


def check_member(
    errors: dict[str, str], field: str, incident: Incident, user: User | None, roles: tuple[str, ...] | None = None
) -> None:
    """A person named on a record must belong to the incident's setting (in one of `roles`, if given)."""
    if user is None:
        return
    memberships = Membership.objects.filter(setting_id=incident.setting_id, user=user, is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    if not memberships.exists():
        errors.setdefault(field, f"{user} is not {'in the right role in' if roles else 'a member of'} this setting.")


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Referrals -----------------------------------------------------------------------------------


def referral_create(
    *,
    actor: User,
    incident: Incident,
    agency: str,
    made_at: datetime,
    method: str,
    contact_name: str,
    information_shared: str,
    agency_reference: str = "",
    agency_name: str = "",
    next_chase_due: date | None = None,
) -> Referral:
    values = locals()
    errors: dict[str, str] = {}
    require(
        errors,
        values,
        {
            "agency": "Choose the agency referred to.",
            "made_at": "Enter when the referral was made.",
            "method": "Choose how the referral was made.",
            "contact_name": "Enter the name of the person you spoke to or sent it to.",
            "information_shared": "Record what was shared with the agency.",
        },
    )
    if agency == Referral.Agency.OTHER_SETTING and not agency_name.strip():
        errors["agency_name"] = "Name the school or college."
    not_in_future(errors, "made_at", made_at, "The time of the referral")
    if made_at and made_at < incident.reported_at - CLOCK_TOLERANCE:
        errors.setdefault(
            "made_at", f"The referral cannot be before the incident was reported ({when(incident.reported_at)})."
        )
    if next_chase_due and made_at and next_chase_due < timezone.localtime(made_at).date():
        errors["next_chase_due"] = "The next chase cannot be due before the referral was made."
    raise_if(errors)
    referral = Referral(
        setting_id=incident.setting_id,
        incident=incident,
        agency=agency,
        agency_name=agency_name.strip() if agency == Referral.Agency.OTHER_SETTING else "",
        made_at=made_at,
        method=method,
        contact_name=contact_name.strip(),
        agency_reference=agency_reference.strip(),
        information_shared=information_shared.strip(),
        next_chase_due=next_chase_due,
        recorded_by=actor,
    )
    referral.full_clean()
    with transaction.atomic():
        referral.save()
        chase = f" Next chase due {day(next_chase_due)}." if next_chase_due else ""
        ref = f" Their reference: {referral.agency_reference}." if referral.agency_reference else ""
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.REFERRAL,
            summary=f"Referred to {referral.agency_label} by {referral.get_method_display().lower()} at "
            f"{when(made_at)} (contact: {referral.contact_name}).{ref}{chase}",
            details={"referral": str(referral.code), "agency": agency},
        )
    return referral


def referral_chase(
    *, actor: User, referral: Referral, chased_at: datetime, result: str, next_chase_due: date | None = None
) -> ReferralChase:
    errors: dict[str, str] = {}
    require(
        errors,
        {"chased_at": chased_at, "result": result},
        {
            "chased_at": "Enter when the agency was chased.",
            "result": "Record what the agency said.",
        },
    )
    not_in_future(errors, "chased_at", chased_at, "The time of the chase")
    if chased_at and chased_at < referral.made_at:
        errors.setdefault("chased_at", f"A chase cannot be before the referral was made ({when(referral.made_at)}).")
    if next_chase_due and next_chase_due < timezone.localdate():
        errors["next_chase_due"] = "The next chase cannot be due in the past."
    if not referral.awaiting_outcome and next_chase_due:
        errors["next_chase_due"] = "The outcome is recorded, so no further chase is due."
    raise_if(errors)
    with transaction.atomic():
        current = Referral.objects.select_for_update().get(pk=referral.pk)
        chase = ReferralChase.objects.create(
            setting_id=current.setting_id,
            referral=current,
            chased_at=chased_at,
            result=result.strip(),
            next_chase_due=next_chase_due,
            recorded_by=actor,
        )
        current.next_chase_due = next_chase_due
        current.save(update_fields=["next_chase_due"])
        chronology_record(
            incident=current.incident,
            actor=actor,
            kind=ChronologyEntry.Kind.REFERRAL_CHASE,
            summary=f"Chased {current.agency_label} at {when(chased_at)}: {chase.result}"
            + (f" Next chase due {day(next_chase_due)}." if next_chase_due else " No further chase set."),
            details={"referral": str(current.code)},
        )
    referral.refresh_from_db()
    return chase


def referral_record_outcome(*, actor: User, referral: Referral, outcome: str, notes: str = "") -> Referral:
    errors: dict[str, str] = {}
    if outcome not in Referral.Outcome.values or outcome == Referral.Outcome.AWAITING:
        errors["outcome"] = "Choose the outcome the agency gave."
    elif outcome == Referral.Outcome.OUTCOME_21 and not referral.is_police:
        errors["outcome"] = "Outcome 21 is a police decision: it applies only to a referral to the police."
    if outcome == Referral.Outcome.OTHER and not notes.strip():
        errors["notes"] = "Say what the outcome was."
    raise_if(errors)
    with transaction.atomic():
        current = Referral.objects.select_for_update().get(pk=referral.pk)
        old = current.get_outcome_display()
        current.outcome = outcome
        current.outcome_notes = notes.strip()
        current.outcome_recorded_at = timezone.now()
        current.next_chase_due = None
        current.save(update_fields=["outcome", "outcome_notes", "outcome_recorded_at", "next_chase_due"])
        chronology_record(
            incident=current.incident,
            actor=actor,
            kind=ChronologyEntry.Kind.REFERRAL_OUTCOME,
            summary=f"Outcome of the referral to {current.agency_label}: {current.get_outcome_display()}"
            + (f" (was: {old})" if old != Referral.Outcome.AWAITING.label else "")
            + (f". {current.outcome_notes}" if current.outcome_notes else "."),
            details={"referral": str(current.code), "outcome": outcome},
        )
    return current


# --- Parents and carers --------------------------------------------------------------------------


def parents_decision_record(
    *,
    actor: User,
    incident: Incident,
    young_person: YoungPerson,
    decision: str,
    reason: str = "",
    decided_with: str = "",
    decided_with_name: str = "",
    informed_at: datetime | None = None,
    informed_by: User | None = None,
    method: str = "",
    notes: str = "",
) -> ParentsDecision:
    errors: dict[str, str] = {}
    check_person_involved(errors, incident, young_person)
    if decision == ParentsDecision.Decision.NOT_INFORM:
        require(
            errors,
            locals(),
            {
                "reason": "Not informing parents needs the reason: the risk of harm to the young person.",
                "decided_with": "Say who it was decided with (the MASH and/or the police).",
            },
        )
        informed_at, informed_by, method = None, None, ""
    else:
        require(
            errors,
            {"informed_at": informed_at, "informed_by": informed_by},
            {
                "informed_at": "Enter when the parents or carers were told.",
                "informed_by": "Choose who told them, or who supported the young person to tell them.",
            },
        )
        if decision == ParentsDecision.Decision.INFORM and not method:
            errors["method"] = "Choose how they were told."
        reason, decided_with, decided_with_name = reason, "", ""
        check_member(errors, "informed_by", incident, informed_by)
    not_in_future(errors, "informed_at", informed_at, "The time parents were told")
    raise_if(errors)
    with transaction.atomic():
        record = ParentsDecision.objects.create(
            setting_id=incident.setting_id,
            incident=incident,
            young_person=young_person,
            decision=decision,
            reason=reason.strip(),
            decided_with=decided_with,
            decided_with_name=decided_with_name.strip(),
            informed_at=informed_at,
            informed_by=informed_by,
            method=method,
            notes=notes.strip(),
            recorded_by=actor,
        )
        if decision == ParentsDecision.Decision.NOT_INFORM:
            summary = (
                f"Parents or carers of {young_person} are not to be told, decided with "
                f"{record.get_decided_with_display()}"
                + (f" ({record.decided_with_name})" if record.decided_with_name else "")
                + f". Reason: {record.reason}"
            )
        elif decision == ParentsDecision.Decision.SUPPORTED_TO_TELL:
            summary = (
                f"{young_person} was supported by {informed_by} to tell their parents or carers ({when(informed_at)})."
            )
        else:
            summary = (
                f"Parents or carers of {young_person} told by {informed_by} "
                f"({record.get_method_display().lower()}, {when(informed_at)})."
            )
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.PARENTS,
            summary=summary,
            details={"young_person": str(young_person.code), "decision": decision},
        )
    return record


# --- Devices and custody -------------------------------------------------------------------------


def device_record_seizure(
    *,
    actor: User,
    incident: Incident,
    description: str,
    owner: str,
    seized_at: datetime,
    seized_by: User,
    switched_off: bool,
    locked_away_where: str,
) -> Device:
    errors: dict[str, str] = {}
    require(
        errors,
        locals(),
        {
            "description": "Describe the device.",
            "owner": "Say whose device it is.",
            "seized_at": "Enter when the device was seized.",
            "seized_by": "Choose who seized it.",
            "locked_away_where": "Say where it is locked away.",
        },
    )
    if not switched_off:
        errors["switched_off"] = "The device must be switched off before it is locked away, as the policy says."
    check_member(errors, "seized_by", incident, seized_by)
    not_in_future(errors, "seized_at", seized_at, "The time of seizure")
    raise_if(errors)
    device = Device(
        setting_id=incident.setting_id,
        incident=incident,
        description=description.strip(),
        owner=owner.strip(),
        seized_at=seized_at,
        seized_by=seized_by,
        switched_off=True,
        locked_away_where=locked_away_where.strip(),
        recorded_by=actor,
    )
    device.full_clean()
    with transaction.atomic():
        device.save()
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.DEVICE,
            summary=f"Device seized: {device.description} ({device.owner}), by {seized_by} at {when(seized_at)}, "
            f"switched off and locked away in {device.locked_away_where}.",
            details={"device": str(device.code)},
        )
    return device


def current_holder(device: Device, entries: list[CustodyEntry] | None = None) -> str:
    entries = list(device.custody.all()) if entries is None else entries
    return entries[-1].to_name if entries else str(device.seized_by)


def device_hand_over(
    *,
    actor: User,
    device: Device,
    to_name: str,
    at: datetime,
    to_police: bool = False,
    police_officer_name: str = "",
    police_officer_number: str = "",
    notes: str = "",
) -> CustodyEntry:
    """Add the next link of the chain. It always starts from whoever holds the device now."""
    errors: dict[str, str] = {}
    if to_police:
        require(
            errors,
            locals(),
            {
                "police_officer_name": "Enter the police officer's name.",
                "police_officer_number": "Enter the police officer's number.",
            },
        )
        to_name = f"{police_officer_name.strip()} ({police_officer_number.strip()}), police"
    elif not to_name.strip():
        errors["to_name"] = "Say who the device was handed to."
    require(errors, {"at": at}, {"at": "Enter when it was handed over."})
    not_in_future(errors, "at", at, "The hand-over")
    with transaction.atomic():
        current = Device.objects.select_for_update().get(pk=device.pk)
        entries = list(current.custody.all())
        if current.with_police:
            errors["__all__"] = "This device has been handed to the police; its custody is now theirs to record."
        if at and at < current.seized_at:
            errors.setdefault("at", f"A device cannot be handed over before it was seized ({when(current.seized_at)}).")
        elif at and entries and at < entries[-1].at:
            errors.setdefault("at", f"The last hand-over was at {when(entries[-1].at)}; this one cannot be earlier.")
        raise_if(errors)
        entry = CustodyEntry.objects.create(
            setting_id=current.setting_id,
            device=current,
            sequence=len(entries) + 1,
            from_name=current_holder(current, entries),
            to_name=to_name.strip(),
            at=at,
            to_police=to_police,
            notes=notes.strip(),
            recorded_by=actor,
        )
        if to_police:
            current.handed_to_police_at = at
            current.police_officer_name = police_officer_name.strip()
            current.police_officer_number = police_officer_number.strip()
            current.save(update_fields=["handed_to_police_at", "police_officer_name", "police_officer_number"])
        chronology_record(
            incident=current.incident,
            actor=actor,
            kind=ChronologyEntry.Kind.CUSTODY,
            summary=f"{current.description} handed from {entry.from_name} to {entry.to_name} at {when(at)}."
            + (f" {entry.notes}" if entry.notes else ""),
            details={"device": str(current.code), "sequence": entry.sequence, "to_police": to_police},
        )
    device.refresh_from_db()
    return entry
