"""Single-incident access for a named member of staff (e.g. the trusted teacher who talks to the young person)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from incidents import access
from incidents.models import ChronologyEntry, Incident, User
from incidents.services.chronology import chronology_record


def incident_grant_access(*, actor: User, incident: Incident, member: User, reason: str) -> None:
    reason = reason.strip()
    if not access.staff_who_may_be_granted(incident).filter(pk=member.pk).exists():
        raise ValidationError({"member": "Only members of staff of this setting can be given access to one incident."})
    if not reason:
        raise ValidationError({"reason": "Say why this person needs to see the incident."})
    with transaction.atomic():
        if not access.grant_view(member, incident):
            raise ValidationError({"member": f"{member} can already see this incident."})
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.ACCESS_GRANTED,
            summary=f"{member} was given access to this incident. Reason: {reason}",
            details={"member": member.username, "reason": reason},
        )


def incident_revoke_access(*, actor: User, incident: Incident, member: User) -> None:
    with transaction.atomic():
        if not access.revoke_view(member, incident):
            raise ValidationError({"member": f"{member} does not have access to this incident."})
        chronology_record(
            incident=incident,
            actor=actor,
            kind=ChronologyEntry.Kind.ACCESS_REVOKED,
            summary=f"{member}'s access to this incident was withdrawn.",
            details={"member": member.username},
        )
