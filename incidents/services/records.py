"""The incident record as a document: a list of section builders, each adding its part when its data exists.

Other parts of the app add their sections by appending a builder to SECTIONS (a function taking
the incident and the options and returning a Section, or None when it has nothing to show).
Nothing here ever reads or shows imagery: the app stores none.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from incidents import selectors
from incidents.models import AccessLogEntry, ChronologyEntry, ExportLog, Incident, YoungPerson
from incidents.services.exports import Requester, export_document, register_fingerprint


@dataclass(frozen=True)
class RecordOptions:
    """`only_person`: a transfer file shows only this young person's part of a shared incident.
    `initials_only`: young people appear by their initials (audit packs for governors)."""

    only_person: YoungPerson | None = None
    initials_only: bool = False


@dataclass
class Section:
    key: str
    title: str
    template: str
    data: dict[str, Any] = field(default_factory=dict)


SectionBuilder = Callable[[Incident, RecordOptions], Section | None]
SECTIONS: list[SectionBuilder] = []


def section(builder: SectionBuilder) -> SectionBuilder:
    SECTIONS.append(builder)
    return builder


PERSON_KINDS = {
    ChronologyEntry.Kind.PERSON_ADDED,
    ChronologyEntry.Kind.PERSON_REMOVED,
    ChronologyEntry.Kind.PERSON_UPDATED,
}


class Redactor:
    """Replaces other young people's names in free text with a neutral phrase (transfer files)."""

    def __init__(self, others: list[YoungPerson]):
        names = set()
        for person in others:
            names.add(person.full_name)
            names.update(part for part in (person.first_name, person.last_name) if len(part) > 1)
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = re.compile(r"\b(" + "|".join(map(re.escape, ordered)) + r")\b", re.I) if ordered else None

    def __call__(self, text: str) -> str:
        if not self.pattern or not text:
            return text
        return self.pattern.sub("[another young person]", text)


def redactor_for(incident: Incident, options: RecordOptions) -> Redactor:
    if options.only_person is None:
        return Redactor([])
    others = YoungPerson.objects.filter(involvements__incident=incident).exclude(pk=options.only_person.pk).distinct()
    return Redactor(list(others))


@section
def summary_section(incident: Incident, options: RecordOptions) -> Section:
    redact = redactor_for(incident, options)
    return Section(
        "summary",
        "Summary",
        "pdf/sections/summary.html",
        {
            "incident": incident,
            "summary": redact(incident.summary),
            "adults_description": redact(incident.adults_description),
        },
    )


@section
def people_section(incident: Incident, options: RecordOptions) -> Section:
    people = selectors.people_in_incident(incident)
    others = 0
    if options.only_person is not None:
        others = len([p for p in people if p.young_person.pk != options.only_person.pk])
        people = [p for p in people if p.young_person.pk == options.only_person.pk]
    return Section(
        "people",
        "Young people involved",
        "pdf/sections/people.html",
        {"people": people, "others": others, "initials_only": options.initials_only},
    )


@section
def classification_section(incident: Incident, options: RecordOptions) -> Section:
    return Section("classification", "Classification", "pdf/sections/classification.html", {"incident": incident})


@section
def chronology_section(incident: Incident, options: RecordOptions) -> Section:
    entries = list(selectors.chronology_of(incident))
    if options.only_person is not None:
        mine = str(options.only_person.code)
        # Entries about one young person (added, removed, details changed, transferred) stay only if
        # they are about this one.
        entries = [e for e in entries if e.details.get("young_person") in (None, mine)]
        redact = redactor_for(incident, options)
        for entry in entries:
            entry.summary = redact(entry.summary)
    return Section("chronology", "Chronology", "pdf/sections/chronology.html", {"entries": entries})


@section
def access_section(incident: Incident, options: RecordOptions) -> Section | None:
    """Who has read or exported the record: part of the full record, not of a transfer file."""
    if options.only_person is not None:
        return None
    entries = list(
        AccessLogEntry.objects.filter(setting_id=incident.setting_id, incident=incident)
        .select_related("user")
        .order_by("at", "id")
    )
    exports = list(
        ExportLog.objects.filter(setting_id=incident.setting_id, incident=incident)
        .select_related("generated_by")
        .order_by("generated_at", "id")
    )
    return Section(
        "access", "Who has accessed the record", "pdf/sections/access.html", {"entries": entries, "exports": exports}
    )


def build_sections(incident: Incident, options: RecordOptions) -> list[Section]:
    # Sections added by other modules keep their place in the record's order (see ORDER).
    built = [s for s in (builder(incident, options) for builder in SECTIONS) if s is not None]
    return sorted(built, key=lambda s: ORDER.index(s.key) if s.key in ORDER else len(ORDER))


# The order the policy's record follows; keys not listed go at the end, before the chronology.
ORDER = [
    "summary",
    "people",
    "classification",
    "disclosures",
    "review",
    "assessments",
    "risk",
    "decisions",
    "referrals",
    "follow_ups",
    "parents",
    "devices",
    "viewing",
    "deletion",
    "conversations",
    "online_reports",
    "completeness",
    "chronology",
    "access",
]


def record_fingerprint(incident: Incident) -> str:
    """A hash of the record's state. Every change to an incident writes a chronology entry, and each
    entry's hash covers all before it, so the last entry and the incident's version pin the record."""
    last = ChronologyEntry.objects.filter(incident=incident).order_by("-id").values_list("entry_hash", flat=True)
    state = {
        "incident": str(incident.code),
        "version": Incident.objects.filter(pk=incident.pk).values_list("version", flat=True).first(),
        "entries": ChronologyEntry.objects.filter(incident=incident).count(),
        "last_entry": last.first() or "",
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


@register_fingerprint(ExportLog.Kind.RECORD)
def _record_fingerprint_of_export(export: ExportLog) -> str:
    return record_fingerprint(export.incident)


def record_title(incident: Incident) -> str:
    return f"Incident record {incident.reference}"


def export_incident_record(*, incident: Incident, requester: Requester, via: str = "web") -> tuple[ExportLog, bytes]:
    sections = build_sections(incident, RecordOptions())
    return export_document(
        kind=ExportLog.Kind.RECORD,
        setting=incident.setting,
        requester=requester,
        access_action=(AccessLogEntry.Action.DOWNLOAD_RECORD if via == "web" else AccessLogEntry.Action.EXPORT_RECORD),
        title=record_title(incident),
        template_name="pdf/incident_record.html",
        context={"incident": incident, "sections": sections},
        content_hash=record_fingerprint(incident),
        incident=incident,
        via=via,
    )


# The sections for other parts of the app register themselves when imported.
from incidents.services import record_sections  # noqa: E402, F401
