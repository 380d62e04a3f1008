"""Reads for the reporting pages, the DSL's queue and the incident's reports."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from incidents import access, workflow
from incidents.models import Disclosure, DisclosureAnnotation, Incident, Membership, Setting, UnavoidableViewing, User

# The policy asks for a report to reach the DSL "as soon as possible": after an hour it stands out.
OVERDUE_AFTER = timedelta(hours=1)
QUEUE_LIMIT = 50
RECENTLY_ACKNOWLEDGED = timedelta(days=7)


def safeguarding_contacts(settings: QuerySet[Setting] | list[Setting]) -> list[Membership]:
    """The DSLs and deputies of these settings, with their phone numbers, DSL first."""
    return list(
        Membership.objects.filter(
            setting__in=settings,
            role__in=[Membership.Role.DSL, Membership.Role.DEPUTY],
            is_active=True,
            user__is_active=True,
        )
        .select_related("user", "setting")
        .order_by("setting__name", "role", "user__last_name", "user__first_name")
    )


def reports_by(user: User) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(reporter=user).select_related("setting").order_by("-reported_at", "-id")


def own_annotations(disclosure: Disclosure, user: User) -> QuerySet[DisclosureAnnotation]:
    """What the reporter added later; what the safeguarding team wrote is case work, not theirs."""
    return disclosure.annotations.filter(author=user).order_by("at", "id")


@dataclass(frozen=True)
class QueueRow:
    """One report in the DSL's queue, as plain values: the dashboard lists up to a hundred."""

    code: UUID
    reference: str
    incident_code: UUID
    immediate_risk: bool
    reported_at: datetime
    age: timedelta
    acknowledged_at: datetime | None = None
    acknowledged_by: str = ""

    @property
    def overdue(self) -> bool:
        return self.acknowledged_at is None and self.age > OVERDUE_AFTER

    @property
    def time_to_dsl(self) -> timedelta | None:
        return self.acknowledged_at - self.reported_at if self.acknowledged_at else None


@dataclass(frozen=True)
class Queue:
    waiting: list[QueueRow]
    # How many wait in all: more than QUEUE_LIMIT must never look like QUEUE_LIMIT.
    waiting_total: int
    acknowledged: list[QueueRow]


_QUEUE_FIELDS = (
    "code",
    "reference",
    "incident__code",
    "immediate_risk",
    "reported_at",
    "acknowledged_at",
    "acknowledged_by__first_name",
    "acknowledged_by__last_name",
    "acknowledged_by__username",
)


def _queue_rows(queryset: QuerySet[Disclosure], now: datetime) -> list[QueueRow]:
    rows = []
    for code, reference, incident_code, risk, reported_at, acked_at, first, last, username in queryset.values_list(
        *_QUEUE_FIELDS
    ):
        rows.append(
            QueueRow(
                code=code,
                reference=reference,
                incident_code=incident_code,
                immediate_risk=risk,
                reported_at=reported_at,
                age=now - reported_at,
                acknowledged_at=acked_at,
                acknowledged_by=User.display_name(first, last, username) if acked_at and username else "",
            )
        )
    return rows


def disclosure_queue(user: User, *, newest_first: bool = False) -> Queue:
    """Unacknowledged reports (oldest first unless asked otherwise), how many wait in all, and those
    acknowledged this week."""
    now = timezone.now()
    visible = access.disclosures_visible_to(user)
    unacknowledged = visible.filter(acknowledged_at__isnull=True)
    waiting = _queue_rows(
        unacknowledged.order_by(*(["-reported_at", "-id"] if newest_first else ["reported_at", "id"]))[:QUEUE_LIMIT],
        now,
    )
    done = visible.filter(acknowledged_at__gte=now - RECENTLY_ACKNOWLEDGED).order_by("-reported_at", "-id")
    return Queue(
        waiting=waiting,
        waiting_total=unacknowledged.count() if len(waiting) == QUEUE_LIMIT else len(waiting),
        acknowledged=_queue_rows(done[:QUEUE_LIMIT], now),
    )


def staff_awaiting_support(user: User) -> QuerySet[UnavoidableViewing]:
    return (
        access.staff_awaiting_support_visible_to(user)
        .filter(incident__status__in=workflow.OPEN_STATUSES)
        .select_related("staff_member", "incident")
        .order_by("viewed_on", "id")
    )


def disclosures_of_incident(incident: Incident) -> list[Disclosure]:
    disclosures = list(
        Disclosure.objects.filter(incident=incident)
        .select_related("setting", "reporter", "acknowledged_by", "original_incident")
        .prefetch_related("annotations__author")
        .order_by("reported_at", "id")
    )
    return disclosures
