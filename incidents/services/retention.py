from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max

from incidents.models import Incident, Setting
from incidents.retention import birthday_at


@dataclass(frozen=True)
class RetentionRow:
    incident: Incident
    retain_until: date
    people: int


def records_past_retention(*, setting: Setting, years: int, today: date) -> list[RetentionRow]:
    """Incidents whose youngest young person has reached `years`; incidents with nobody recorded are kept."""
    incidents = (
        Incident.objects.filter(setting=setting)
        .annotate(
            youngest_born=Max("involvements__young_person__date_of_birth"),
            people=Count("involvements__young_person", distinct=True),
        )
        .filter(youngest_born__isnull=False)
        .order_by("youngest_born", "reference")
    )
    rows = []
    for incident in incidents:
        until = birthday_at(incident.youngest_born, years)
        if until <= today:
            rows.append(RetentionRow(incident, until, incident.people))
    return rows
