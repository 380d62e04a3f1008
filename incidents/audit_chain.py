"""The hash chain that makes the chronology and the access log tamper-evident. Pure Python.

Each entry stores `entry_hash`, a SHA-256 of its content together with `prev_hash`, the
`entry_hash` of the entry before it in the same chain. There is one chain per table and setting
(entries with no setting, such as refusals before any record was found, form their own chain).
Changing, deleting or reordering an entry breaks every link after it; `verify_audit_trail` walks
the chains and reports the first broken one.

The content is written as canonical JSON (sorted keys, UTC timestamps, normalised IP addresses)
so that the same row hashes the same whichever database stored it and however it read it back.
"""

import hashlib
import ipaddress
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

CHRONOLOGY_FIELDS = ("setting_id", "incident_id", "at", "actor_id", "kind", "summary", "details")
ACCESS_FIELDS = ("setting_id", "incident_id", "user_id", "role", "at", "action", "path", "ip_address")


def _canonical_value(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware to be hashed.")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if name == "ip_address" and value:
        return ipaddress.ip_address(str(value)).compressed
    if value == "" and name == "ip_address":
        return None
    return value


def canonical_bytes(fields: Iterable[str], row: Mapping[str, Any], prev_hash: str) -> bytes:
    content = {name: _canonical_value(name, row.get(name)) for name in fields}
    content["prev_hash"] = prev_hash
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def entry_hash(fields: Iterable[str], row: Mapping[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical_bytes(fields, row, prev_hash)).hexdigest()


def chain_key(table: str, setting_id: int | None) -> str:
    return f"{table}:{setting_id if setting_id is not None else 'none'}"


@dataclass(frozen=True)
class Break:
    chain: str
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"entry {self.entry_id}" if self.entry_id is not None else "the end of the chain"
        return f"{self.chain}: {where}: {self.reason}"


def check_chain(
    chain: str,
    fields: Iterable[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    head_hash: str | None = None,
    head_length: int | None = None,
) -> tuple[int, Break | None]:
    """Walk one chain's rows in insertion order. Returns (entries checked, first break or None).

    `head_hash` and `head_length` are what the chain head recorded when the last entry was
    written; they catch the deletion of entries at the end, which no later link could reveal.
    """
    fields = tuple(fields)
    previous = GENESIS
    count = 0
    for row in rows:
        count += 1
        if row["prev_hash"] != previous:
            return count, Break(
                chain,
                row["id"],
                "its link to the previous entry does not match (an entry before it was changed, removed or inserted)",
            )
        expected = entry_hash(fields, row, row["prev_hash"])
        if row["entry_hash"] != expected:
            return count, Break(chain, row["id"], "its content does not match its hash (the entry was changed)")
        previous = row["entry_hash"]
    if head_length is not None and head_length != count:
        return count, Break(chain, None, f"the chain head records {head_length} entries but {count} were found")
    if head_hash is not None and head_hash != previous:
        return count, Break(chain, None, "the last entry is not the one the chain head recorded")
    return count, None
