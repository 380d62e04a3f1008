"""The record's sections for the work other parts of the app record: disclosures, the review,
assessments, decisions and sign-offs, and the actions after the review.

Each section lists its records with every field they hold, labelled as the models label them, so
a field added later appears in the record without a template change. A section whose model is not
installed (or has no rows) is left out. Transfer files keep only the young person's own rows where a
record names a young person, and other young people's names are replaced in free text.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone

from incidents.models import Incident
from incidents.services.records import RecordOptions, Redactor, Section, redactor_for, section

# Fields every case row has that the record shows elsewhere or that mean nothing to a reader.
SKIP = {"id", "setting", "incident", "code", "version", "original_incident"}


@dataclass
class Item:
    heading: str
    fields: list[tuple[str, str]]
    children: list[tuple[str, list["Item"]]] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, dict):
        return "\n".join(f"{key.replace('_', ' ')}: {_text(item) or '—'}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return "\n".join(_text(item) for item in value)
    return str(value)


def describe(obj: models.Model, redact: Redactor, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    rows = []
    skipped = SKIP | set(skip)
    for model_field in obj._meta.concrete_fields:
        if model_field.name in skipped or model_field.primary_key:
            continue
        if model_field.choices:
            value: Any = getattr(obj, f"get_{model_field.name}_display")()
        elif model_field.is_relation:
            value = getattr(obj, model_field.name)
        else:
            value = getattr(obj, model_field.attname)
        text = _text(value)
        if text:
            rows.append((str(model_field.verbose_name).capitalize(), redact(text)))
    for m2m in obj._meta.many_to_many:
        if m2m.name in skipped:
            continue
        names = ", ".join(str(related) for related in getattr(obj, m2m.name).all())
        if names:
            rows.append((str(m2m.verbose_name).capitalize(), names))
    return rows


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model("incidents", label)
    except LookupError:
        return None


def _rows(model: type[models.Model], incident: Incident, options: RecordOptions, **filters: Any) -> list[Any]:
    query = model.objects.filter(setting_id=incident.setting_id, **(filters or {"incident": incident}))
    names = {f.name for f in model._meta.concrete_fields}
    if options.only_person is not None and "young_person" in names:
        query = query.filter(young_person=options.only_person)
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name not in SKIP]
    return list(query.select_related(*relations).prefetch_related(*[m.name for m in model._meta.many_to_many]))


def _items(objects: list[Any], redact: Redactor, children: Callable[[Any], list] | None = None) -> list[Item]:
    return [Item(redact(str(obj)), describe(obj, redact), children(obj) if children else []) for obj in objects]


@dataclass(frozen=True)
class Spec:
    key: str
    title: str
    models: tuple[str, ...]
    # Related rows shown under each record: (related name, heading).
    children: tuple[tuple[str, str], ...] = ()
    empty: str = ""


SPECS = [
    Spec("review", "Initial review meeting", ("ReviewMeeting",)),
    Spec("assessments", "Assessments (rule set, facts and explanation)", ("StoredAssessment",)),
    Spec("risk", "Risk assessment", ("RiskAssessment",)),
    Spec("referrals", "Referrals and follow-ups", ("Referral",), (("chases", "Follow-ups"),)),
    Spec("parents", "Parents and carers", ("ParentsDecision",)),
    Spec("devices", "Devices and their custody", ("Device",), (("custody", "Chain of custody"),)),
    Spec("viewing", "Viewing log", ("ViewingRecord", "UnavoidableViewing")),
    Spec("deletion", "Deletion", ("DeletionDecision", "DeletionRequest")),
    Spec("conversations", "Conversations", ("Conversation",)),
    Spec("online_reports", "Online reports", ("OnlineReport",)),
    Spec("sanctions", "Sanctions", ("Sanction",)),
]


def _builder(spec: Spec) -> Callable[[Incident, RecordOptions], Section | None]:
    def build(incident: Incident, options: RecordOptions) -> Section | None:
        redact = redactor_for(incident, options)
        groups = []
        for label in spec.models:
            model = _model(label)
            if model is None:
                continue
            objects = _rows(model, incident, options)

            def children(obj: Any) -> list[tuple[str, list[Item]]]:
                return [(heading, _items(list(getattr(obj, name).all()), redact)) for name, heading in spec.children]

            if objects:
                groups.append((str(model._meta.verbose_name_plural).capitalize(), _items(objects, redact, children)))
        if not groups:
            return None
        return Section(spec.key, spec.title, "pdf/sections/objects.html", {"groups": groups})

    build.__name__ = f"{spec.key}_section"
    return build


for _spec in SPECS:
    section(_builder(_spec))


@section
def disclosures_section(incident: Incident, options: RecordOptions) -> Section | None:
    model = _model("Disclosure")
    if model is None:
        return None
    redact = redactor_for(incident, options)
    objects = list(
        model.objects.filter(setting_id=incident.setting_id, incident=incident)
        .select_related("reporter", "acknowledged_by")
        .prefetch_related("annotations__author")
        .order_by("reported_at", "id")
    )
    if not objects:
        return None
    items = [
        Item(
            redact(str(obj)),
            describe(obj, redact),
            [("Notes added", _items(list(obj.annotations.all()), redact))],
        )
        for obj in objects
    ]
    return Section(
        "disclosures", "Disclosures (reports from staff)", "pdf/sections/objects.html", {"groups": [("", items)]}
    )


@section
def decisions_section(incident: Incident, options: RecordOptions) -> Section | None:
    model = _model("Decision")
    if model is None:
        return None
    redact = redactor_for(incident, options)
    decisions = list(
        model.objects.filter(setting_id=incident.setting_id, incident=incident)
        .select_related("recorded_by", "returned_by", "assessment", "review_meeting", "supersedes", "policy_version")
        .order_by("recorded_at", "id")
    )
    if not decisions:
        return None
    sign_offs = {
        s.decision_id: s for s in _model("SignOff").objects.filter(decision__in=decisions).select_related("signed_by")
    }
    items = []
    for decision in decisions:
        children = []
        sign_off = sign_offs.get(decision.pk)
        if sign_off is not None:
            children.append(
                (
                    "Headteacher's sign-off",
                    [
                        Item(
                            f"Signed by {sign_off.name} ({sign_off.role})",
                            [
                                ("Name", sign_off.name),
                                ("Role", sign_off.role),
                                ("Signed at", _text(sign_off.signed_at)),
                                ("Statement signed", sign_off.statement),
                                ("SHA-256 of the decision as signed", sign_off.decision_sha256),
                            ],
                        )
                    ],
                )
            )
        items.append(Item(redact(str(decision)), describe(decision, redact, skip={"assessment"}), children))
    return Section("decisions", "Decisions and sign-offs", "pdf/sections/objects.html", {"groups": [("", items)]})


@section
def completeness_section(incident: Incident, options: RecordOptions) -> Section | None:
    try:
        from incidents.selectors_actions import checklist
    except ImportError:
        return None
    redact = redactor_for(incident, options)
    items = [
        {"label": redact(item.label), "done": item.done, "detail": redact(item.detail)} for item in checklist(incident)
    ]
    return Section(
        "completeness",
        "Completeness checklist",
        "pdf/sections/completeness.html",
        {"items": items, "done": sum(1 for item in items if item["done"])},
    )


def summarise_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
