"""Appending to the tamper-evident chronology and access log, and checking their chains.

Every entry is written here: the chain head of its table and setting is locked (SELECT ... FOR
UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers), the entry is
hashed together with the previous entry's hash, and the head moves on, all in one transaction.
"""

from collections.abc import Iterator
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from incidents import audit_chain
from incidents.models import AccessLogEntry, AuditChainHead, ChronologyEntry

Entry = TypeVar("Entry", ChronologyEntry, AccessLogEntry)

CHAINED: dict[type[models.Model], tuple[str, ...]] = {
    ChronologyEntry: audit_chain.CHRONOLOGY_FIELDS,
    AccessLogEntry: audit_chain.ACCESS_FIELDS,
}


def _locked_head(table: str, setting_id: int | None) -> AuditChainHead:
    key = audit_chain.chain_key(table, setting_id)
    head = AuditChainHead.objects.select_for_update().filter(key=key).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(
                key=key, setting_id=setting_id, last_hash=audit_chain.GENESIS, length=0
            )
    except IntegrityError:
        # Another writer started this chain a moment ago: wait for its lock like everyone else.
        return AuditChainHead.objects.select_for_update().get(key=key)


def chain_append(entry: Entry) -> Entry:
    """Hash and insert an unsaved entry at the end of its setting's chain."""
    if entry.pk is not None:
        raise ValueError("Chained entries are written once; this one is already saved.")
    fields = CHAINED[type(entry)]
    if entry.at is None:
        entry.at = timezone.now()
    # No savepoint of its own: nothing here is caught and carried on from, and an entry that fails
    # must take the change it describes down with it anyway. Two statements fewer on every write and read.
    with transaction.atomic(savepoint=False):
        head = _locked_head(type(entry)._meta.db_table, entry.setting_id)
        row = {name: getattr(entry, name) for name in fields}
        entry.prev_hash = head.last_hash
        entry.entry_hash = audit_chain.entry_hash(fields, row, head.last_hash)
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=head.pk).update(
            last_hash=entry.entry_hash, length=models.F("length") + 1, updated_at=timezone.now()
        )
    return entry


def access_log_record(
    *,
    user: Any,
    setting_id: int | None,
    incident_id: int | None,
    role: str,
    action: str,
    path: str,
    ip_address: str | None,
) -> AccessLogEntry:
    if action not in AccessLogEntry.Action.values:
        raise ValueError(f"Unknown access-log action {action!r}: add it to AccessLogEntry.Action.")
    return chain_append(
        AccessLogEntry(
            setting_id=setting_id,
            incident_id=incident_id,
            user=user,
            role=role,
            at=timezone.now(),
            action=action,
            path=path[:500],
            ip_address=ip_address or None,
        )
    )


def _rows(model: type[models.Model], fields: tuple[str, ...], setting_id: int | None) -> Iterator[dict[str, Any]]:
    return (
        model.objects.filter(setting_id=setting_id)
        .order_by("id")
        .values("id", "prev_hash", "entry_hash", *fields)
        .iterator(chunk_size=2000)
    )


def verify_audit_trail(*, setting_ids: list[int | None] | None = None) -> tuple[int, list[audit_chain.Break]]:
    """Walk every chain (or those of the given settings). Returns (entries checked, first break per chain)."""
    checked = 0
    breaks: list[audit_chain.Break] = []
    for model, fields in CHAINED.items():
        table = model._meta.db_table
        heads = {head.key: head for head in AuditChainHead.objects.filter(key__startswith=f"{table}:")}
        present = set(model.objects.order_by().values_list("setting_id", flat=True).distinct())
        chains = present | {head.setting_id for head in heads.values()}
        if setting_ids is not None:
            chains &= set(setting_ids)
        for setting_id in sorted(chains, key=lambda value: (value is not None, value or 0)):
            key = audit_chain.chain_key(table, setting_id)
            head = heads.get(key)
            count, found = audit_chain.check_chain(
                key,
                fields,
                _rows(model, fields, setting_id),
                head_hash=head.last_hash if head else audit_chain.GENESIS,
                head_length=head.length if head else 0,
            )
            checked += count
            if found:
                breaks.append(found)
    return checked, breaks
