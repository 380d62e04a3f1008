"""Closing needs a complete record, or an explicit override whose reason the chronology keeps."""

from django.core.exceptions import ValidationError

from incidents import completeness
from incidents.models import ChronologyEntry, Incident, User
from incidents.services.chronology import chronology_record


def check_can_close(*, incident: Incident, override_reason: str) -> list[completeness.Item]:
    """The items still missing. Raises unless the record is complete or an override reason is given."""
    from incidents.selectors_actions import checklist

    gaps = completeness.missing(checklist(incident))
    if gaps and not override_reason.strip():
        listed = "; ".join(item.label.lower() for item in gaps)
        raise ValidationError(
            {
                "override_reason": f"The record is not complete ({listed}). Complete it, or give the reason "
                "for closing it anyway."
            }
        )
    return gaps


def record_override(*, actor: User, incident: Incident, gaps: list[completeness.Item], override_reason: str) -> None:
    """Called inside the closing transaction when the record was closed with items missing."""
    if not gaps:
        return
    chronology_record(
        incident=incident,
        actor=actor,
        kind=ChronologyEntry.Kind.CLOSED_INCOMPLETE,
        summary="Closed although the record lacks: "
        + "; ".join(item.label.lower() for item in gaps)
        + f". Reason: {override_reason.strip()}",
        details={"missing": [item.key for item in gaps], "reason": override_reason.strip()},
    )
