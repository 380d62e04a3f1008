"""Writes for conversations with the young people, online reports and sanctions."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from incidents import access
from incidents.models import (
    ChronologyEntry,
    Conversation,
    Incident,
    Membership,
    OnlineReport,
    Sanction,
    User,
    YoungPerson,
)
from incidents.services.actions import check_member, check_person_involved, day, not_in_future, raise_if, require, when
from incidents.services.chronology import chronology_record
from incidents.services.grants import incident_grant_access


def conversation_record(
    *,
    actor: User,
    incident: Incident,
    young_person: YoungPerson,
    led_by: User,
    held_at: datetime,
    preferred_staff_led: bool = False,
    topic_pressures: bool = False,
    topic_consent_trust: bool = False,
    topic_who_to_tell: bool = False,
    image_contents: str = "",
    who_has_seen: str = "",
    stopping_spread: str = "",
    notes: str = "",
) -> Conversation:
    """Record a conversation. If the young person's preferred member of staff led it and they cannot
    already see the incident, they are given this incident only, through the per-incident grant."""
    errors: dict[str, str] = {}
    require(
        errors,
        {"young_person": young_person, "led_by": led_by, "held_at": held_at},
        {
            "young_person": "Choose the young person.",
            "led_by": "Choose who talked with them.",
            "held_at": "Enter when the conversation took place.",
        },
    )
    check_person_involved(errors, incident, young_person)
    check_member(errors, "led_by", incident, led_by)
    not_in_future(errors, "held_at", held_at, "The conversation")
    if not (notes.strip() or image_contents.strip() or who_has_seen.strip() or stopping_spread.strip()):
        errors["notes"] = "Record what was said: notes, or at least one of the purposes of the conversation."
    raise_if(errors)
    grant_needed = (
        preferred_staff_led
        and access.staff_who_may_be_granted(incident).filter(pk=led_by.pk).exists()
        and not access.user_has_grant(led_by, incident)
    )
    with transaction.atomic():
        conversation = Conversation.objects.create(
            setting_id=incident.setting_id,
            incident=incident,
            young_person=young_person,
            led_by=led_by,
            preferred_staff_led=preferred_staff_led,
            held_at=held_at,
            topic_pressures=topic_pressures,
            topic_consent_trust=topic_consent_trust,
            topic_who_to_tell=topic_who_to_tell,
            image_contents=image_contents.strip(),
            who_has_seen=who_has_seen.strip(),
            stopping_spread=stopping_spread.strip(),
            notes=notes.strip(),
            recorded_by=actor,
        )
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.CONVERSATION,
            summary=f"{led_by} talked with {young_person} at {when(held_at)}"
            + (" (the young person's preferred member of staff)" if preferred_staff_led else "")
            + "."
            + (f" Topics: {'; '.join(conversation.topics)}." if conversation.topics else ""),
            details={"conversation": str(conversation.code)},
        )
        if grant_needed:
            incident_grant_access(
                actor=actor,
                incident=incident,
                member=led_by,
                reason=f"{young_person}'s preferred member of staff, who talked with them.",
            )
    return conversation


ONLINE_SERVICE_HELP = {
    OnlineReport.Service.REPORT_REMOVE: (
        "For under-18s: Childline and the IWF's Report Remove lets a young person report a nude image of "
        "themselves so that it can be removed from the internet."
    ),
    OnlineReport.Service.TAKE_IT_DOWN: (
        "NCMEC's Take It Down helps remove nude images taken before 18 from participating platforms, "
        "without the image leaving the young person's device."
    ),
    OnlineReport.Service.PLATFORM: (
        "Most online services have a reporting function for account holders; some let a third party "
        "report on the young person's behalf."
    ),
    OnlineReport.Service.OTHER: "Any other reporting service: name it.",
}


def online_report_record(
    *,
    actor: User,
    incident: Incident,
    service: str,
    reported_at: datetime,
    reported_by: str,
    service_name: str = "",
    reference: str = "",
    outcome: str = "",
) -> OnlineReport:
    errors: dict[str, str] = {}
    require(
        errors,
        {"service": service, "reported_at": reported_at, "reported_by": reported_by},
        {
            "service": "Choose where the report was made.",
            "reported_at": "Enter when the report was made.",
            "reported_by": "Say who made the report.",
        },
    )
    if service in (OnlineReport.Service.PLATFORM, OnlineReport.Service.OTHER) and not service_name.strip():
        errors["service_name"] = "Name the platform or service."
    not_in_future(errors, "reported_at", reported_at, "The report")
    raise_if(errors)
    with transaction.atomic():
        report = OnlineReport.objects.create(
            setting_id=incident.setting_id,
            incident=incident,
            service=service,
            service_name=service_name.strip(),
            reported_at=reported_at,
            reported_by=reported_by.strip(),
            reference=reference.strip(),
            outcome=outcome.strip(),
            recorded_by=actor,
        )
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.ONLINE_REPORT,
            summary=f"Reported to {report.service_label} by {report.reported_by} at {when(reported_at)}."
            + (f" Reference: {report.reference}." if report.reference else "")
            + (f" Outcome: {report.outcome}" if report.outcome else ""),
            details={"online_report": str(report.code)},
        )
    return report


def sanction_record(
    *,
    actor: User,
    incident: Incident,
    young_person: YoungPerson,
    description: str,
    reason: str,
    decided_on: date,
    headteacher: User,
    in_line_with_behaviour_policy: bool,
) -> Sanction:
    errors: dict[str, str] = {}
    require(
        errors,
        locals(),
        {
            "young_person": "Choose the young person.",
            "description": "Describe the sanction.",
            "reason": "Record the reason for it.",
            "decided_on": "Enter when it was decided.",
            "headteacher": "Sanctions are at the headteacher's and DSL's discretion: choose the headteacher.",
        },
    )
    check_person_involved(errors, incident, young_person)
    check_member(errors, "headteacher", incident, headteacher, (Membership.Role.HEADTEACHER,))
    if not in_line_with_behaviour_policy:
        errors["in_line_with_behaviour_policy"] = "A sanction must be in line with the behaviour policy."
    if decided_on and decided_on > timezone.localdate():
        errors["decided_on"] = "The date cannot be in the future."
    raise_if(errors)
    with transaction.atomic():
        sanction = Sanction.objects.create(
            setting_id=incident.setting_id,
            incident=incident,
            young_person=young_person,
            description=description.strip(),
            reason=reason.strip(),
            decided_on=decided_on,
            headteacher=headteacher,
            in_line_with_behaviour_policy=True,
            recorded_by=actor,
        )
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.SANCTION,
            summary=f"Sanction for {young_person} decided on {day(decided_on)} with {headteacher}: "
            f"{sanction.description} Reason: {sanction.reason}",
            details={"sanction": str(sanction.code)},
        )
    return sanction
