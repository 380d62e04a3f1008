"""Disclosures: a member of staff reports a concern; the safeguarding team acknowledges and merges.

Each function validates, saves and records the chronology in one transaction.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from incidents import imagery, workflow
from incidents.models import (
    ChronologyEntry,
    Disclosure,
    DisclosureAnnotation,
    Incident,
    Membership,
    Setting,
    UnavoidableViewing,
    User,
)
from incidents.services.chronology import chronology_record
from incidents.services.imagery import unavoidable_viewing_record
from incidents.services.incidents import CLOCK_TOLERANCE, incident_change_status, incident_create
from incidents.services.outbox import enqueue_email

logger = logging.getLogger("ysi.disclosures")
Kind = ChronologyEntry.Kind

# Disclosure sources are the incident's "how it came to attention" values, from a reporter's side.
SOURCE_TO_CAME_TO_ATTENTION = {
    Disclosure.Source.YOUNG_PERSON: Incident.CameToAttention.YOUNG_PERSON,
    Disclosure.Source.FRIEND: Incident.CameToAttention.FRIEND,
    Disclosure.Source.PARENT: Incident.CameToAttention.PARENT,
    Disclosure.Source.STAFF_SAW: Incident.CameToAttention.STAFF_SAW,
    Disclosure.Source.IT_MONITORING: Incident.CameToAttention.IT_MONITORING,
    Disclosure.Source.OTHER: Incident.CameToAttention.OTHER,
}
ALERT_KIND = "disclosure_alert"


@dataclass(frozen=True)
class DisclosureInput:
    source: str
    disclosed_at: datetime
    young_people_named: str
    what_was_said: str
    imagery_known: str = ""
    devices: str = ""
    reporter_saw_imagery: str = Disclosure.SawImagery.NO
    immediate_risk: bool = False


def validate_disclosure(data: DisclosureInput) -> None:
    errors: dict[str, str] = {}
    if data.source not in Disclosure.Source.values:
        errors["source"] = "Choose who told you, or how it came to your attention."
    if data.disclosed_at > timezone.now() + CLOCK_TOLERANCE:
        errors["disclosed_at"] = "The time it was disclosed cannot be in the future."
    if not data.young_people_named.strip():
        errors["young_people_named"] = "Write the names and year groups you know, or “not known”."
    if not data.what_was_said.strip():
        errors["what_was_said"] = "Write what was said, in the words used if you can."
    if data.reporter_saw_imagery not in Disclosure.SawImagery.values:
        errors["reporter_saw_imagery"] = "Say whether you saw the imagery."
    for name in ("young_people_named", "what_was_said", "imagery_known", "devices"):
        if kind := imagery.detect_text(getattr(data, name)):
            errors[name] = f"This contains {kind}. YSI never accepts imagery: describe it in words instead."
    if errors:
        raise ValidationError(errors)


def is_member(user: User, setting: Setting) -> bool:
    return Membership.objects.filter(user=user, setting=setting, is_active=True).exists()


def disclosure_report(
    *, reporter: User, setting: Setting, idempotency_key: UUID, data: DisclosureInput, now: datetime | None = None
) -> tuple[Disclosure, bool]:
    """Store the disclosure, open an incident from it and alert the safeguarding team.

    Returns the disclosure and whether it is new: the same form sent twice gives the first one back.
    `now` is the time it is received: the form never sets it; demo data does.
    """
    existing = Disclosure.objects.filter(reporter=reporter, idempotency_key=idempotency_key).first()
    if existing:
        return existing, False
    if not is_member(reporter, setting):
        raise ValidationError({"setting": "You can only report to a setting you work in."})
    check_report_rate(reporter, now=now)
    validate_disclosure(data)
    try:
        with transaction.atomic():
            disclosure = _create(
                reporter=reporter, setting=setting, idempotency_key=idempotency_key, data=data, now=now
            )
    except IntegrityError:
        # Two submissions of one form raced past the first check: the other one won.
        existing = Disclosure.objects.filter(reporter=reporter, idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
        raise
    return disclosure, True


RATE_WINDOW = timedelta(hours=1)


def check_report_rate(reporter: User, *, now: datetime | None = None) -> None:
    """Refuse a new report from someone who has sent YSI_REPORTS_PER_HOUR in the last hour.

    It guards against a script or a stuck key filling the safeguarding team's queue. The count comes
    from the reporter's stored disclosures, so every app server sees the same number and nothing is
    kept elsewhere. The check comes before anything is saved; a report that passes it is saved
    (two sent at the same moment may both pass: the limit can be exceeded by one, never lose one).
    A report sent again with its form's key is the same report, and is answered above, never refused.
    """
    limit = settings.YSI_REPORTS_PER_HOUR
    if limit <= 0:
        return
    now = now or timezone.now()
    recent = list(
        Disclosure.objects.filter(reporter=reporter, reported_at__gt=now - RATE_WINDOW, reported_at__lte=now)
        .order_by("-reported_at")
        .values_list("reported_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return
    again_at = formats.time_format(timezone.localtime(recent[-1] + RATE_WINDOW), "H:i")
    logger.warning("A report from user %s was refused: %s reports in the last hour (the limit).", reporter.pk, limit)
    raise ValidationError(
        f"You have sent {limit} reports in the last hour, the most YSI accepts from one person in an hour, so "
        f"this one has not been sent. Nothing you wrote is lost: it is still in the form below. You can send "
        f"it from {again_at}. If a child is in danger now, call 999, then tell your safeguarding lead in "
        f"person or by phone.",
        code="rate_limited",
    )


def _create(
    *, reporter: User, setting: Setting, idempotency_key: UUID, data: DisclosureInput, now: datetime | None
) -> Disclosure:
    now = now or timezone.now()
    incident = incident_create(
        actor=reporter,
        setting=setting,
        reported_at=now,
        came_to_attention=SOURCE_TO_CAME_TO_ATTENTION[data.source],
        summary=data.what_was_said.strip(),
        status=Incident.Status.REPORTED,
    )
    disclosure = Disclosure.objects.create(
        setting=setting,
        reporter=reporter,
        idempotency_key=idempotency_key,
        reported_at=now,
        source=data.source,
        disclosed_at=data.disclosed_at,
        young_people_named=data.young_people_named.strip(),
        what_was_said=data.what_was_said.strip(),
        imagery_known=data.imagery_known.strip(),
        devices=data.devices.strip(),
        reporter_saw_imagery=data.reporter_saw_imagery,
        immediate_risk=data.immediate_risk,
        reference=incident.reference,
        original_incident=incident,
        incident=incident,
    )
    notes = []
    if data.immediate_risk:
        notes.append("The reporter believes a young person is at immediate risk of harm.")
    chronology_record(
        incident=incident,
        actor=reporter,
        kind=Kind.DISCLOSURE_RECEIVED,
        summary=" ".join([f"Disclosure received from {reporter} through the reporting form.", *notes]),
        details={"disclosure": str(disclosure.code)},
    )
    if disclosure.reporter_saw_it:
        # The policy: "DSLs should ensure that the staff member is provided with appropriate
        # support". The record stays open on the incident until the DSL records the support.
        unavoidable_viewing_record(
            actor=reporter,
            incident=incident,
            staff_member=reporter,
            circumstance=_viewing_circumstance(data.source),
            viewed_on=timezone.localtime(data.disclosed_at).date(),
        )
    _alert_safeguarding_team(disclosure, incident)
    return disclosure


def _viewing_circumstance(source: str) -> str:
    if source == Disclosure.Source.IT_MONITORING:
        return UnavoidableViewing.Circumstance.IT_MONITORING
    if source in (Disclosure.Source.YOUNG_PERSON, Disclosure.Source.FRIEND):
        return UnavoidableViewing.Circumstance.DISCLOSURE
    return UnavoidableViewing.Circumstance.OTHER


def safeguarding_team(setting: Setting):
    return User.objects.filter(
        memberships__setting=setting,
        memberships__is_active=True,
        memberships__role__in=[Membership.Role.DSL, Membership.Role.DEPUTY],
        is_active=True,
    ).order_by("memberships__role", "last_name", "first_name")


def _alert_safeguarding_team(disclosure: Disclosure, incident: Incident) -> None:
    """Tell every DSL and deputy at once, with the reference and a link and nothing else:
    email is not a secure channel, so no names and no description."""
    recipients = [user.email for user in safeguarding_team(disclosure.setting) if user.email]
    received = formats.date_format(timezone.localtime(disclosure.reported_at), "j F Y, H:i")
    urgent = disclosure.immediate_risk
    lines = [
        f"A member of staff at {disclosure.setting.name} has reported a concern in YSI.",
        "",
        f"Reference: {disclosure.reference}",
        f"Received: {received}",
    ]
    if urgent:
        lines += ["", "The person reporting it believes a young person may be at immediate risk of harm. Open it now."]
    lines += [
        "",
        f"Open it in YSI (you will be asked to sign in): {settings.SITE_URL.rstrip('/')}{incident.get_absolute_url()}",
        "",
        "This email holds no names or details on purpose: email is not a secure channel.",
    ]
    enqueue_email(
        setting=disclosure.setting,
        to=recipients,
        subject=("URGENT: " if urgent else "") + f"New concern reported: {disclosure.reference}",
        body="\n".join(lines),
        kind=ALERT_KIND,
        dedupe_key=f"disclosure-alert:{disclosure.code}",
    )


def describe_duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} days"


def disclosure_acknowledge(*, actor: User, disclosure: Disclosure, now: datetime | None = None) -> Disclosure:
    """Record who acknowledged the report and when (`now` is for demo data only)."""
    with transaction.atomic():
        current = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if current.acknowledged_at:
            when = formats.date_format(timezone.localtime(current.acknowledged_at), "j F Y, H:i")
            raise ValidationError(f"{current.acknowledged_by} already acknowledged this report at {when}.")
        _acknowledge(actor, current, now)
    return current


def _acknowledge(actor: User, current: Disclosure, now: datetime | None = None) -> None:
    current.acknowledged_at = now or timezone.now()
    current.acknowledged_by = actor
    current.save(update_fields=["acknowledged_at", "acknowledged_by"])
    chronology_record(
        incident=current.incident,
        actor=actor,
        kind=Kind.DISCLOSURE_ACKNOWLEDGED,
        summary=f"Disclosure {current.reference} acknowledged by {actor}, "
        f"{describe_duration(current.time_to_dsl)} after it was reported.",
        details={"disclosure": str(current.code), "seconds_to_dsl": int(current.time_to_dsl.total_seconds())},
    )


def disclosure_merge(*, actor: User, disclosure: Disclosure, target: Incident) -> Disclosure:
    """Move a disclosure to an incident that already records the same thing.

    The disclosure keeps its text and reference. The incident it created is closed when nothing
    else has happened in it yet; otherwise it stays open for the DSL to deal with.
    """
    with transaction.atomic():
        current = Disclosure.objects.select_for_update(of=("self",)).select_related("incident").get(pk=disclosure.pk)
        source = current.incident
        if target.setting_id != current.setting_id:
            raise ValidationError({"target": "A report can only be merged into an incident of the same setting."})
        if target.pk == source.pk:
            raise ValidationError({"target": "This report is already part of that incident."})
        if not target.is_open:
            raise ValidationError({"target": f"{target.reference} is closed: reopen it first, then merge."})
        if not current.acknowledged_at:
            _acknowledge(actor, current)
        current.incident = target
        current.save(update_fields=["incident"])
        chronology_record(
            incident=target,
            actor=actor,
            kind=Kind.DISCLOSURE_MERGED,
            summary=f"Disclosure {current.reference} from {current.reporter} merged into this incident "
            f"from {source.reference}.",
            details={"disclosure": str(current.code), "from": source.reference},
        )
        chronology_record(
            incident=source,
            actor=actor,
            kind=Kind.DISCLOSURE_MERGED,
            summary=f"Disclosure {current.reference} merged into {target.reference}.",
            details={"disclosure": str(current.code), "to": target.reference},
        )
        untouched = source.status == workflow.REPORTED and not source.disclosures.exists()
        if untouched:
            # Whatever was recorded with the report (support owed to staff who saw the imagery)
            # follows it, so that closing the empty incident does not hide it.
            for viewing in UnavoidableViewing.objects.filter(incident=source):
                viewing.incident = target
                viewing.save(update_fields=["incident"])
            incident_change_status(
                actor=actor,
                incident=source,
                status=workflow.CLOSED,
                reason=f"Merged into {target.reference}: it records the same concern.",
                # Its record is empty on purpose: the work continues in the incident it was merged into.
                override_reason=f"Merged into {target.reference}; the record continues there.",
            )
    return current


def disclosure_annotate(*, actor: User, disclosure: Disclosure, text: str) -> DisclosureAnnotation:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write what you want to add before sending it."})
    with transaction.atomic():
        annotation = DisclosureAnnotation.objects.create(
            setting_id=disclosure.setting_id, disclosure=disclosure, author=actor, text=text
        )
        chronology_record(
            incident=disclosure.incident,
            actor=actor,
            kind=Kind.DISCLOSURE_ANNOTATED,
            summary=f"Added to disclosure {disclosure.reference}: {text}",
            details={"disclosure": str(disclosure.code)},
        )
    return annotation
