"""Reads for pages. Each takes a queryset already scoped by incidents.access."""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.db.models import Count, Q, QuerySet

from incidents import access, workflow
from incidents.models import AccessLogEntry, ChronologyEntry, Incident, Involvement, User, YoungPerson
from incidents.models.incident import roles_by_setting


@dataclass(frozen=True)
class PersonInIncident:
    young_person: YoungPerson
    involvements: list[Involvement]
    age_at_incident: int

    @property
    def role_labels(self) -> str:
        return ", ".join(inv.get_role_display().lower() for inv in self.involvements)


def open_incidents_for_dashboard(user: User, limit: int = 50) -> QuerySet[Incident]:
    setting_ids = access.setting_ids_with_roles(user, access.CASE_VIEW_ROLES)
    return (
        Incident.objects.filter(setting_id__in=setting_ids, status__in=workflow.OPEN_STATUSES)
        .select_related("owner", "setting")
        .order_by("-reported_at", "-id")[:limit]
    )


def incident_counts_by_status(user: User) -> dict[str, int]:
    setting_ids = access.setting_ids_with_roles(user, access.CASE_VIEW_ROLES)
    rows = (
        Incident.objects.filter(setting_id__in=setting_ids, status__in=workflow.OPEN_STATUSES)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def filtered_incidents(user: User, filters: dict) -> QuerySet[Incident]:
    incidents = Incident.objects.visible_to(user).select_related("owner", "setting")
    # Names are looked for among the young people of the reader's own settings only.
    incidents = incidents.search(filters.get("q") or "", setting_ids=list(roles_by_setting(user)))
    status = filters.get("status")
    if status == "open":
        incidents = incidents.filter(status__in=workflow.OPEN_STATUSES)
    elif status:
        incidents = incidents.filter(status=status)
    if filters.get("classification"):
        incidents = incidents.filter(classification=filters["classification"])
    if filters.get("reported_from"):
        incidents = incidents.filter(reported_at__date__gte=filters["reported_from"])
    if filters.get("reported_to"):
        incidents = incidents.filter(reported_at__date__lte=filters["reported_to"])
    return incidents.order_by("-reported_at", "-id")


def people_in_incident(incident: Incident) -> list[PersonInIncident]:
    involvements = (
        Involvement.objects.filter(incident=incident)
        .select_related("young_person")
        .order_by("young_person__last_name", "young_person__first_name", "young_person_id", "role")
    )
    day = incident.incident_date
    people = []
    for _, rows in groupby(involvements, key=lambda inv: inv.young_person_id):
        rows = list(rows)
        person = rows[0].young_person
        people.append(PersonInIncident(person, rows, person.age_on(day)))
    return people


def chronology_of(incident: Incident) -> QuerySet[ChronologyEntry]:
    # The setting first, as in the index (setting, incident, at) every chronology read uses.
    return (
        ChronologyEntry.objects.filter(setting_id=incident.setting_id, incident=incident)
        .select_related("actor")
        .order_by("at", "id")
    )


@dataclass(frozen=True)
class ChronologyLine:
    at: datetime
    actor: str  # empty for the system
    kind: str  # its label
    summary: str


def chronology_lines(incident: Incident) -> list[ChronologyLine]:
    """The chronology as the incident page shows it, read as plain values: a long record has hundreds
    of entries, and building an entry and a user for each was a large part of the page's time."""
    rows = chronology_of(incident).values_list(
        "at", "actor__first_name", "actor__last_name", "actor__username", "kind", "summary"
    )
    return [
        ChronologyLine(
            at=at,
            actor=User.display_name(first, last, username) if username else "",
            kind=ChronologyEntry.kind_label(kind),
            summary=summary,
        )
        for at, first, last, username, kind, summary in rows
    ]


def incidents_of_person(user: User, person: YoungPerson) -> list[tuple[Incident, str]]:
    """Each visible incident the young person is in, with their roles in it."""
    involvements = (
        Involvement.objects.filter(young_person=person, incident__in=Incident.objects.visible_to(user))
        .select_related("incident")
        .order_by("-incident__reported_at", "incident_id", "role")
    )
    result = []
    for _, rows in groupby(involvements, key=lambda inv: inv.incident_id):
        rows = list(rows)
        result.append((rows[0].incident, ", ".join(inv.get_role_display().lower() for inv in rows)))
    return result


def filtered_young_people(user: User, text: str) -> QuerySet[YoungPerson]:
    people = access.young_people_visible_to(user).select_related("setting")
    for word in text.split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return people.annotate(incident_count=Count("involvements__incident", distinct=True)).order_by(
        "last_name", "first_name"
    )


def access_log_of(incident: Incident) -> QuerySet[AccessLogEntry]:
    return (
        AccessLogEntry.objects.filter(setting_id=incident.setting_id, incident=incident)
        .select_related("user")
        .order_by("-at", "-id")
    )
