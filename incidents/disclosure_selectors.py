"""Reads for the reporting pages, the DSL's queue and the incident's reports."""

from dataclasses import dataclass
from datetime import timedelta

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
    disclosure: Disclosure
    age: timedelta

    @property
    def overdue(self) -> bool:
        return self.disclosure.acknowledged_at is None and self.age > OVERDUE_AFTER


def disclosure_queue(user: User, *, newest_first: bool = False) -> tuple[list[QueueRow], list[QueueRow]]:
    """Unacknowledged reports (oldest first unless asked otherwise) and those acknowledged this week."""
    now = timezone.now()
    visible = access.disclosures_visible_to(user).select_related("setting", "incident", "acknowledged_by")
    waiting = visible.filter(acknowledged_at__isnull=True).order_by(
        *(["-reported_at", "-id"] if newest_first else ["reported_at", "id"])
    )[:QUEUE_LIMIT]
    done = visible.filter(acknowledged_at__gte=now - RECENTLY_ACKNOWLEDGED).order_by("-reported_at", "-id")[
        :QUEUE_LIMIT
    ]
    return (
        [QueueRow(d, now - d.reported_at) for d in waiting],
        [QueueRow(d, now - d.reported_at) for d in done],
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
