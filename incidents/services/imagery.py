"""Writes for the viewing log, staff who saw imagery unavoidably, and deletion.

The viewing rules are the policy's "If it is necessary to view the imagery, then the DSL should"
list, enforced: a justification, the headteacher consulted, a viewer with authority, a witness,
a place, the same-sex question, and both people confirming with their own sign-in.
"""

from datetime import date, datetime

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from incidents.models import (
    ChronologyEntry,
    DeletionDecision,
    DeletionRequest,
    Incident,
    Membership,
    UnavoidableViewing,
    User,
    ViewingRecord,
    YoungPerson,
)
from incidents.services.actions import (
    check_member,
    check_person_involved,
    day,
    not_in_future,
    raise_if,
    require,
    when,
)
from incidents.services.chronology import chronology_record

Role = Membership.Role
SAFEGUARDING_TEAM = (Role.DSL, Role.DEPUTY)


def password_matches(user: User, password: str) -> bool:
    """Asks again for the password of the person signed in. Issue 7 routes this through its helper."""
    return bool(password) and check_password(password, user.password)


def viewing_record(
    *,
    actor: User,
    incident: Incident,
    young_person: YoungPerson,
    justification: str,
    headteacher: User,
    viewer: User,
    witness: User,
    location: str,
    same_sex: str,
    viewed_at: datetime,
    reason: str,
    what_followed: str,
    confirm_not_copied: bool,
    confirm_no_distress: bool,
    delegated_authority: bool = False,
    on_premises: bool = True,
    same_sex_reason: str = "",
) -> ViewingRecord:
    errors: dict[str, str] = {}
    require(
        errors,
        locals(),
        {
            "young_person": "Choose the young person in the imagery.",
            "justification": "Choose which of the policy's three reasons makes viewing necessary.",
            "headteacher": "The decision to view must be discussed with the headteacher: choose them.",
            "viewer": "Choose who viewed the imagery.",
            "witness": "Choose the other member of staff present in the room.",
            "location": "Say where the viewing took place.",
            "same_sex": "Say whether the viewer is the same sex as the young person.",
            "viewed_at": "Enter when the imagery was viewed.",
            "reason": "Record why the imagery was viewed.",
            "what_followed": "Record what followed the viewing.",
        },
    )
    if justification and justification not in ViewingRecord.Justification.values:
        errors["justification"] = "Choose one of the policy's three reasons."
    check_person_involved(errors, incident, young_person)
    check_member(errors, "headteacher", incident, headteacher, (Role.HEADTEACHER,))
    if viewer is not None:
        viewer_role = (
            Membership.objects.filter(setting_id=incident.setting_id, user=viewer, is_active=True)
            .values_list("role", flat=True)
            .first()
        )
        if viewer_role not in SAFEGUARDING_TEAM:
            errors["viewer"] = "Only the DSL or a member of the safeguarding team may view imagery."
        elif viewer_role != Role.DSL and not delegated_authority:
            errors["delegated_authority"] = (
                "A viewer who is not the DSL needs the headteacher's delegated authority: confirm they have it."
            )
    check_member(errors, "witness", incident, witness)
    if viewer is not None and witness is not None and viewer == witness:
        errors["witness"] = "The member of staff present must be someone other than the viewer."
    if same_sex == ViewingRecord.SameSex.NO and not same_sex_reason.strip():
        errors["same_sex_reason"] = "Say why the imagery could not be viewed by someone of the same sex."
    if not on_premises and "location" not in errors:
        # The policy says "wherever possible" on premises; off premises is allowed, but must be explained.
        if len(location.strip()) < 10:
            errors["location"] = "Viewing off the premises: say where, and why it could not be on the premises."
    if not confirm_not_copied:
        errors["confirm_not_copied"] = "Confirm the imagery was not copied, printed or shared: doing so is illegal."
    if not confirm_no_distress:
        errors["confirm_no_distress"] = (
            "Imagery must never be viewed if that would cause the young person significant distress or harm."
        )
    not_in_future(errors, "viewed_at", viewed_at, "The viewing")
    raise_if(errors)
    with transaction.atomic():
        record = ViewingRecord.objects.create(
            setting_id=incident.setting_id,
            incident=incident,
            young_person=young_person,
            justification=justification,
            headteacher=headteacher,
            viewer=viewer,
            delegated_authority=delegated_authority,
            witness=witness,
            on_premises=on_premises,
            location=location.strip(),
            same_sex=same_sex,
            same_sex_reason=same_sex_reason.strip() if same_sex == ViewingRecord.SameSex.NO else "",
            viewed_at=viewed_at,
            reason=reason.strip(),
            what_followed=what_followed.strip(),
            confirm_not_copied=True,
            confirm_no_distress=True,
            recorded_by=actor,
        )
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.VIEWING,
            summary=f"Imagery viewed by {viewer} with {witness} present, in {record.location}, at {when(viewed_at)}. "
            f"Discussed with {headteacher}. Reason: {record.get_justification_display()}. "
            "Awaiting confirmation by the viewer and the witness.",
            details={"viewing": str(record.code), "justification": justification},
        )
    return record


def viewing_confirm(*, actor: User, viewing: ViewingRecord, password: str) -> ViewingRecord:
    """The viewer or the witness confirms the entry, signed in as themselves and giving their password."""
    if actor.pk not in (viewing.viewer_id, viewing.witness_id):
        raise ValidationError({"password": "Only the viewer and the member of staff present confirm this record."})  # nosec B105 # a message
    if not password_matches(actor, password):
        raise ValidationError({"password": "That password is not right. Enter your own password to confirm."})  # nosec B105 # a message
    with transaction.atomic():
        current = ViewingRecord.objects.select_for_update().get(pk=viewing.pk)
        field = "viewer_confirmed_at" if actor.pk == current.viewer_id else "witness_confirmed_at"
        if getattr(current, field) is not None:
            raise ValidationError({"password": "You have already confirmed this record."})  # nosec B105 # a message
        setattr(current, field, timezone.now())
        current.save(update_fields=[field])
        who = "viewer" if field == "viewer_confirmed_at" else "member of staff present"
        chronology_record(
            incident=current.incident,
            actor=actor,
            kind=ChronologyEntry.Kind.VIEWING_CONFIRMED,
            summary=f"{actor} confirmed the viewing record of {when(current.viewed_at)} as the {who}."
            + (" Both have now confirmed it." if current.fully_confirmed else ""),
            details={"viewing": str(current.code), "as": who},
        )
    return current


# --- Staff who saw imagery unavoidably -----------------------------------------------------------


def unavoidable_viewing_record(
    *, actor: User, incident: Incident, staff_member: User, circumstance: str, viewed_on: date
) -> UnavoidableViewing:
    errors: dict[str, str] = {}
    require(
        errors,
        locals(),
        {
            "staff_member": "Choose the member of staff who saw the imagery.",
            "circumstance": "Say how it happened.",
            "viewed_on": "Enter when it happened.",
        },
    )
    check_member(errors, "staff_member", incident, staff_member)
    if viewed_on and viewed_on > timezone.localdate():
        errors["viewed_on"] = "The date cannot be in the future."
    raise_if(errors)
    with transaction.atomic():
        record = UnavoidableViewing.objects.create(
            setting_id=incident.setting_id,
            incident=incident,
            staff_member=staff_member,
            circumstance=circumstance,
            viewed_on=viewed_on,
            recorded_by=actor,
        )
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.UNAVOIDABLE_VIEWING,
            summary=f"{staff_member} saw the imagery unavoidably ({record.get_circumstance_display().lower()}, "
            f"{day(viewed_on)}). Support to be offered.",
            details={"unavoidable_viewing": str(record.code)},
        )
    return record


def staff_support_record(
    *, actor: User, record: UnavoidableViewing, offered_by: User, offered_at: datetime, notes: str
) -> UnavoidableViewing:
    errors: dict[str, str] = {}
    require(
        errors,
        {"offered_by": offered_by, "offered_at": offered_at, "notes": notes},
        {
            "offered_by": "Choose who offered the support.",
            "offered_at": "Enter when support was offered.",
            "notes": "Say what support was offered.",
        },
    )
    check_member(errors, "offered_by", record.incident, offered_by)
    not_in_future(errors, "offered_at", offered_at, "The time support was offered")
    if record.support_given:
        errors["__all__"] = "Support has already been recorded for this member of staff."
    raise_if(errors)
    with transaction.atomic():
        current = UnavoidableViewing.objects.select_for_update().get(pk=record.pk)
        current.support_offered_by = offered_by
        current.support_offered_at = offered_at
        current.support_notes = notes.strip()
        current.save(update_fields=["support_offered_by", "support_offered_at", "support_notes"])
        chronology_record(
            incident=current.incident,
            actor=actor,
            kind=ChronologyEntry.Kind.STAFF_SUPPORT,
            summary=f"Support offered to {current.staff_member} by {offered_by} at {when(offered_at)}.",
            details={"unavoidable_viewing": str(current.code)},
        )
    return current


# --- Deletion ------------------------------------------------------------------------------------


def deletion_decide(
    *, actor: User, incident: Incident, method: str, reason: str, decided_at: datetime
) -> DeletionDecision:
    errors: dict[str, str] = {}
    require(
        errors,
        locals(),
        {
            "method": "Choose how the imagery will be deleted.",
            "reason": "Record the reason for the decision: the policy asks for times, dates and reasons.",
            "decided_at": "Enter when it was decided.",
        },
    )
    if method and method not in DeletionDecision.Method.values:
        errors["method"] = "Choose how the imagery will be deleted."
    not_in_future(errors, "decided_at", decided_at, "The decision")
    raise_if(errors)
    with transaction.atomic():
        decision = DeletionDecision.objects.create(
            setting_id=incident.setting_id,
            incident=incident,
            method=method,
            reason=reason.strip(),
            decided_at=decided_at,
            decided_by=actor,
        )
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.DELETION,
            summary=f"Deletion decided at {when(decided_at)}: {decision.get_method_display()}. "
            f"Reason: {decision.reason}",
            details={"deletion_decision": str(decision.code), "method": method},
        )
    return decision


def deletion_request_record(
    *,
    actor: User,
    decision: DeletionDecision,
    young_person: YoungPerson,
    asked_at: datetime,
    deadline: date,
    told_offence: bool,
    on_devices: bool = False,
    in_online_storage: bool = False,
    on_social_media: bool = False,
    parents_informed: str = DeletionRequest.ParentsInformed.YES,
    parents_reason: str = "",
) -> DeletionRequest:
    incident = decision.incident
    errors: dict[str, str] = {}
    require(
        errors,
        {"young_person": young_person, "asked_at": asked_at, "deadline": deadline},
        {
            "young_person": "Choose the young person.",
            "asked_at": "Enter when they were asked.",
            "deadline": "Give them a deadline for deletion.",
        },
    )
    check_person_involved(errors, incident, young_person)
    if not (on_devices or in_online_storage or on_social_media):
        errors["on_devices"] = "Say where it must be deleted from: devices, online storage or social media."
    if not told_offence:
        errors["told_offence"] = (
            "The young person must be told that keeping the imagery, or refusing to delete it, is a criminal "
            "offence and the police may become involved."
        )
    if parents_informed == DeletionRequest.ParentsInformed.NO_RISK and not parents_reason.strip():
        errors["parents_reason"] = "Say why telling the parents or carers presents a further risk."
    not_in_future(errors, "asked_at", asked_at, "The time they were asked")
    if deadline and asked_at and deadline < timezone.localtime(asked_at).date():
        errors.setdefault("deadline", "The deadline cannot be before they were asked.")
    if young_person and decision.requests.filter(young_person=young_person).exists():
        errors.setdefault("young_person", f"{young_person} has already been asked under this decision.")
    raise_if(errors)
    with transaction.atomic():
        request = DeletionRequest.objects.create(
            setting_id=incident.setting_id,
            decision=decision,
            incident=incident,
            young_person=young_person,
            asked_at=asked_at,
            deadline=deadline,
            on_devices=on_devices,
            in_online_storage=in_online_storage,
            on_social_media=on_social_media,
            told_offence=True,
            parents_informed=parents_informed,
            parents_reason=parents_reason.strip()
            if parents_informed == DeletionRequest.ParentsInformed.NO_RISK
            else "",
            recorded_by=actor,
        )
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.DELETION,
            summary=f"{young_person} asked at {when(asked_at)} to delete the imagery from "
            f"{', '.join(request.where_labels)} by {day(deadline)}, and told that keeping it is a criminal offence. "
            f"Parents informed: {request.get_parents_informed_display().lower()}.",
            details={"deletion_request": str(request.code)},
        )
    return request


def deletion_confirm(*, actor: User, request: DeletionRequest, confirmed_at: datetime, method: str) -> DeletionRequest:
    errors: dict[str, str] = {}
    require(
        errors,
        {"confirmed_at": confirmed_at, "method": method},
        {
            "confirmed_at": "Enter when deletion was confirmed.",
            "method": "Say how deletion was confirmed.",
        },
    )
    not_in_future(errors, "confirmed_at", confirmed_at, "The confirmation")
    if confirmed_at and confirmed_at < request.asked_at:
        errors.setdefault(
            "confirmed_at", f"Deletion cannot be confirmed before they were asked ({when(request.asked_at)})."
        )
    if request.confirmed:
        errors["__all__"] = "Deletion has already been confirmed for this young person."
    raise_if(errors)
    with transaction.atomic():
        current = DeletionRequest.objects.select_for_update().get(pk=request.pk)
        current.confirmed_at = confirmed_at
        current.confirmation_method = method
        current.save(update_fields=["confirmed_at", "confirmation_method"])
        chronology_record(
            incident=current.incident,
            actor=actor,
            kind=ChronologyEntry.Kind.DELETION_CONFIRMED,
            summary=f"{current.young_person} confirmed deletion at {when(confirmed_at)} "
            f"({current.get_confirmation_method_display().lower()}).",
            details={"deletion_request": str(current.code)},
        )
    return current


def deletion_escalate(*, actor: User, request: DeletionRequest, notes: str) -> DeletionRequest:
    """Deletion not confirmed by the deadline: the policy says the police may become involved."""
    errors: dict[str, str] = {}
    require(errors, {"notes": notes}, {"notes": "Record what was done about the missing confirmation."})
    if request.confirmed:
        errors["__all__"] = "Deletion was confirmed; there is nothing to escalate."
    raise_if(errors)
    with transaction.atomic():
        current = DeletionRequest.objects.select_for_update().get(pk=request.pk)
        current.escalated_at = timezone.now()
        current.escalation_notes = notes.strip()
        current.save(update_fields=["escalated_at", "escalation_notes"])
        chronology_record(
            incident=current.incident,
            actor=actor,
            kind=ChronologyEntry.Kind.DELETION_ESCALATED,
            summary=f"{current.young_person} has not confirmed deletion (deadline {day(current.deadline)}). "
            f"Escalated: {current.escalation_notes}",
            details={"deletion_request": str(current.code)},
        )
    return current
