from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone

from incidents.models import ChronologyEntry, Incident, User
from incidents.services.audit import chain_append


def chronology_record(
    *, incident: Incident, actor: User | None, kind: str, summary: str, details: dict[str, Any] | None = None
) -> ChronologyEntry:
    """Append one entry. Callers run inside the transaction that made the change it describes."""
    if kind not in ChronologyEntry.Kind.values:
        raise ValueError(f"Unknown chronology kind {kind!r}: add it to ChronologyEntry.Kind.")
    return chain_append(
        ChronologyEntry(
            setting_id=incident.setting_id,
            incident=incident,
            actor=actor,
            at=timezone.now(),
            kind=kind,
            summary=summary,
            details=details or {},
        )
    )


def describe_changes(instance: Any, before: dict[str, Any], field_names: list[str]) -> tuple[str, dict[str, Any]]:
    """A readable line and a structured record of which fields changed, old value to new.

    Long free text is named but not copied: the model history keeps every version in full.
    """
    changed: dict[str, Any] = {}
    parts = []
    for name in field_names:
        old, new = before.get(name), getattr(instance, name)
        if old == new:
            continue
        field = instance._meta.get_field(name)
        label = str(field.verbose_name)
        if field.get_internal_type() == "TextField":
            changed[name] = "changed"
            parts.append(label)
            continue
        old_text, new_text = _display(field, old), _display(field, new)
        changed[name] = [old_text, new_text]
        parts.append(f"{label}: {old_text} → {new_text}")
    return "; ".join(parts), changed


def _display(field: Any, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(field, "remote_field") and field.remote_field is not None:
        return str(field.remote_field.model.objects.filter(pk=value).first() or value)
    return str(value)
