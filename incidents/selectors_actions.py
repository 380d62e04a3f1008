"""Reads for the actions after the review: the incident page's sections, completeness, due dates."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from incidents import completeness, workflow
from incidents.due import SIGN_OFF_DAYS, STAFF_SUPPORT_DAYS, VIEWING_CONFIRM_DAYS, DueItem
from incidents.models import (
    Conversation,
    Decision,
    DeletionDecision,
    DeletionRequest,
    Device,
    Disclosure,
    Incident,
    Involvement,
    OnlineReport,
    ParentsDecision,
    Referral,
    Sanction,
    UnavoidableViewing,
    ViewingRecord,
)


@dataclass
class IncidentActions:
    referrals: list[Referral]
    parents: list[ParentsDecision]
    devices: list[Device]
    viewings: list[ViewingRecord]
    unavoidable: list[UnavoidableViewing]
    deletion_decisions: list[DeletionDecision]
    deletion_requests: list[DeletionRequest]
    conversations: list[Conversation]
    online_reports: list[OnlineReport]
    sanctions: list[Sanction]


def _action_querysets() -> dict[str, QuerySet]:
    """Every kind of action record, unfiltered, in the order the incident page lists them."""
    return {
        "referrals": Referral.objects.prefetch_related("chases").order_by("made_at", "id"),
        "parents": ParentsDecision.objects.select_related("young_person", "informed_by"),
        "devices": Device.objects.select_related("seized_by").prefetch_related(Prefetch("custody")),
        "viewings": ViewingRecord.objects.select_related("young_person", "viewer", "witness", "headteacher"),
        "unavoidable": UnavoidableViewing.objects.select_related("staff_member", "support_offered_by"),
        "deletion_decisions": DeletionDecision.objects.select_related("decided_by"),
        "deletion_requests": DeletionRequest.objects.select_related("young_person").order_by("deadline", "id"),
        "conversations": Conversation.objects.select_related("young_person", "led_by"),
        "online_reports": OnlineReport.objects.all(),
        "sanctions": Sanction.objects.select_related("young_person", "headteacher"),
    }


def incident_actions(incident: Incident) -> IncidentActions:
    """Every action record of one incident, one query per kind (ten in all)."""
    queries = _action_querysets()
    return IncidentActions(**{name: list(query.filter(incident=incident)) for name, query in queries.items()})


def incident_actions_for(incidents: list[Incident]) -> dict[int, IncidentActions]:
    """`incident_actions` of many incidents (of one or more settings) at once: still ten queries."""
    grouped: dict[int, dict[str, list]] = {incident.pk: {} for incident in incidents}
    setting_ids = {incident.setting_id for incident in incidents}
    for name, query in _action_querysets().items():
        for group in grouped.values():
            group[name] = []
        if not grouped:
            continue
        for record in query.filter(setting_id__in=setting_ids, incident_id__in=list(grouped)):
            grouped[record.incident_id][name].append(record)
    return {pk: IncidentActions(**group) for pk, group in grouped.items()}


def latest_parents_decisions(actions: IncidentActions) -> list[ParentsDecision]:
    """The decision in force for each young person: the latest one recorded."""
    latest: dict[int, ParentsDecision] = {}
    for record in actions.parents:
        latest[record.young_person_id] = record
    return sorted(latest.values(), key=lambda r: (r.young_person.last_name, r.young_person.first_name))


def _facts_of_decision(decision: Decision | None) -> tuple[str | None, bool, bool | None]:
    """The review's current decision (issue 4), whether it has a reason, and whether it is signed off."""
    if decision is None:
        return None, False, None
    kind = completeness.MANAGE if decision.outcome == Decision.Outcome.MANAGE_IN_SETTING else completeness.REFER
    return kind, bool(decision.reason.strip()), decision.status == Decision.Status.SIGNED


def _current_decisions() -> QuerySet[Decision]:
    return Decision.objects.current().exclude(status=Decision.Status.DRAFT).order_by("recorded_at", "id")


def _facts(
    actions: IncidentActions, names: dict[int, str], decision: Decision | None, today: date | None
) -> completeness.Facts:
    kind, reason, signed_off = _facts_of_decision(decision)
    return completeness.Facts(
        today=today or timezone.localdate(),
        young_people=tuple(sorted(set(names.values()))),
        decision=kind,
        decision_reason_recorded=reason,
        non_referral_signed_off=signed_off,
        referrals=tuple(
            completeness.ReferralFacts(
                agency=r.agency,
                is_police=r.is_police,
                awaiting_outcome=r.awaiting_outcome,
                next_chase_due=r.next_chase_due,
            )
            for r in actions.referrals
        ),
        parents_decided_for=frozenset(names[p.young_person_id] for p in actions.parents if p.young_person_id in names),
        viewings_total=len(actions.viewings),
        viewings_unconfirmed=sum(1 for v in actions.viewings if not v.fully_confirmed),
        devices_total=len(actions.devices),
        devices_not_with_police=sum(1 for d in actions.devices if not d.with_police),
        unavoidable_without_support=sum(1 for u in actions.unavoidable if not u.support_given),
        deletion_decided=bool(actions.deletion_decisions),
        deletions=tuple(
            completeness.DeletionFacts(
                person=r.young_person.full_name,
                deadline=r.deadline,
                confirmed=r.confirmed,
                escalated=r.escalated_at is not None,
            )
            for r in actions.deletion_requests
        ),
        conversations=len(actions.conversations),
        online_reports=len(actions.online_reports),
    )


def snapshot(
    incident: Incident, actions: IncidentActions | None = None, today: date | None = None
) -> completeness.Facts:
    actions = actions or incident_actions(incident)
    people = incident.involvements.values_list(
        "young_person_id", "young_person__first_name", "young_person__last_name"
    ).distinct()
    names = {pid: f"{first} {last}" for pid, first, last in people}
    return _facts(actions, names, _current_decisions().filter(incident=incident).first(), today)


def checklist(incident: Incident, actions: IncidentActions | None = None) -> list[completeness.Item]:
    return completeness.check(snapshot(incident, actions))


# Incidents per batch of `checklists_for`, so the IN lists stay well inside every database's limits.
CHECKLIST_BATCH = 500


def checklists_for(incidents: list[Incident], today: date | None = None) -> dict[int, list[completeness.Item]]:
    """`checklist` of many incidents at once (audit packs): twelve queries per 500 incidents."""
    today = today or timezone.localdate()
    if len(incidents) > CHECKLIST_BATCH:
        result: dict[int, list[completeness.Item]] = {}
        for start in range(0, len(incidents), CHECKLIST_BATCH):
            result.update(checklists_for(incidents[start : start + CHECKLIST_BATCH], today))
        return result
    actions = incident_actions_for(incidents)
    pks = list(actions)
    setting_ids = {incident.setting_id for incident in incidents}
    names: dict[int, dict[int, str]] = {pk: {} for pk in pks}
    people = (
        Involvement.objects.filter(setting_id__in=setting_ids, incident_id__in=pks)
        .values_list("incident_id", "young_person_id", "young_person__first_name", "young_person__last_name")
        .distinct()
    )
    for incident_id, pid, first, last in people:
        names[incident_id][pid] = f"{first} {last}"
    decisions: dict[int, Decision] = {}
    for decision in _current_decisions().filter(setting_id__in=setting_ids, incident_id__in=pks):
        decisions.setdefault(decision.incident_id, decision)
    return {pk: completeness.check(_facts(actions[pk], names[pk], decisions.get(pk), today)) for pk in pks}


# --- Due and overdue -----------------------------------------------------------------------------


def due_items(setting_ids: list[int], *, oldest: int | None = None) -> list[DueItem]:
    """Everything with a date that matters, across the given settings' open incidents.

    With `oldest`, at most that many of each kind, those due first: the dashboard shows the `oldest`
    most pressing of all, and they are always among these, however many a trust has waiting.
    Reminders and statistics read them all. Each kind is read as plain values (the dashboard reads
    up to six times `oldest` rows on every visit; building models for them cost more than the SQL).
    """
    open_incidents = {"setting_id__in": setting_ids, "incident__status__in": workflow.OPEN_STATUSES}
    item_fields = ("code", "setting_id", "incident__code", "incident__reference")

    def rows(queryset: QuerySet, date_field: str, *extra: str):
        queryset = queryset.order_by(date_field, "id")
        if oldest:
            queryset = queryset[:oldest]
        return queryset.values_list(*item_fields, date_field, *extra)

    def item(
        kind: str,
        code,
        setting_id: int,
        incident_code,
        reference: str,
        what: str,
        due_on: date,
        section: str,
        key: str | None = None,
    ) -> DueItem:
        return DueItem(
            key=key or f"{kind}:{code}",
            setting_id=setting_id,
            incident_code=str(incident_code),
            incident_reference=reference,
            what=what,
            due=due_on,
            section=section,
        )

    def day_of(moment) -> date:
        return timezone.localtime(moment).date()

    items: list[DueItem] = []
    referrals = Referral.objects.filter(
        **open_incidents, outcome=Referral.Outcome.AWAITING, next_chase_due__isnull=False
    )
    for code, setting_id, incident_code, reference, chase_due, agency in rows(referrals, "next_chase_due", "agency"):
        items.append(
            item(
                "referral_chase",
                code,
                setting_id,
                incident_code,
                reference,
                f"Chase the referral to {Referral.Agency(agency).label}",
                chase_due,
                "referrals",
                key=f"referral_chase:{code}:{chase_due.isoformat()}",
            )
        )
    requests = DeletionRequest.objects.filter(**open_incidents, confirmed_at__isnull=True, escalated_at__isnull=True)
    for code, setting_id, incident_code, reference, deadline in rows(requests, "deadline"):
        items.append(
            item(
                "deletion_deadline",
                code,
                setting_id,
                incident_code,
                reference,
                "Deletion to be confirmed by a young person (escalate if the deadline has passed)",
                deadline,
                "deletion",
            )
        )
    unsupported = UnavoidableViewing.objects.filter(**open_incidents, support_offered_at__isnull=True)
    for code, setting_id, incident_code, reference, viewed_on in rows(unsupported, "viewed_on"):
        items.append(
            item(
                "staff_support",
                code,
                setting_id,
                incident_code,
                reference,
                "Offer support to a member of staff who saw imagery",
                viewed_on + timedelta(days=STAFF_SUPPORT_DAYS),
                "viewing",
            )
        )
    unconfirmed = ViewingRecord.objects.filter(
        Q(viewer_confirmed_at__isnull=True) | Q(witness_confirmed_at__isnull=True), setting_id__in=setting_ids
    )
    for code, setting_id, incident_code, reference, viewed_at in rows(unconfirmed, "viewed_at"):
        items.append(
            item(
                "viewing_confirm",
                code,
                setting_id,
                incident_code,
                reference,
                "Viewing record to be confirmed by the viewer and the member of staff present",
                day_of(viewed_at) + timedelta(days=VIEWING_CONFIRM_DAYS),
                "viewing",
            )
        )
    awaiting = Decision.objects.awaiting_sign_off().filter(setting_id__in=setting_ids)
    for code, setting_id, incident_code, reference, recorded_at in rows(awaiting, "recorded_at"):
        items.append(
            item(
                "sign_off",
                code,
                setting_id,
                incident_code,
                reference,
                "Decision not to refer awaiting the headteacher's sign-off",
                day_of(recorded_at) + timedelta(days=SIGN_OFF_DAYS),
                "decisions-title",
            )
        )
    unacknowledged = Disclosure.objects.filter(setting_id__in=setting_ids, acknowledged_at__isnull=True)
    for code, setting_id, incident_code, reference, reported_at in rows(unacknowledged, "reported_at"):
        # The policy: referred to the DSL "as soon as possible": due the day it arrives.
        items.append(
            item(
                "disclosure_ack",
                code,
                setting_id,
                incident_code,
                reference,
                "Report from a member of staff not yet acknowledged",
                day_of(reported_at),
                "disclosures-title",
            )
        )
    return items
