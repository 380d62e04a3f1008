"""Statistics and the audit pack's table, for the DSL, the headteacher, auditors and governors."""

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time

from django.db.models import Min, Prefetch
from django.utils import formats, timezone

from incidents import charts, stats
from incidents.models import Decision, Disclosure, Incident, Involvement, Referral, Setting
from incidents.selectors_actions import checklists_for, due_items


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    key: str
    title: str
    svg: str
    table: Table
    note: str = ""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end, time.max, tzinfo=zone),
        )

    def __str__(self) -> str:
        return f"{formats.date_format(self.start, 'j M Y')} to {formats.date_format(self.end, 'j M Y')}"


def incidents_in(setting_ids: list[int], period: Period):
    low, high = period.bounds
    return Incident.objects.filter(setting_id__in=setting_ids, reported_at__range=(low, high))


def _month_label(month: date) -> str:
    return formats.date_format(month, "M Y")


def incidents_per_month(setting_ids: list[int], period: Period, *, for_governors: bool) -> Chart:
    months = stats.months_between(period.start, period.end)
    classes = list(Incident.Classification.choices)
    counts: Counter[tuple[date, str]] = Counter()
    for reported_at, classification in incidents_in(setting_ids, period).values_list("reported_at", "classification"):
        day = timezone.localtime(reported_at).date()
        counts[(date(day.year, day.month, 1), classification)] += 1
    series = [charts.Series(str(label), [counts[(m, value)] for m in months]) for value, label in classes]
    hidden = {
        (s_index, m_index)
        for s_index, s in enumerate(series)
        for m_index, value in enumerate(s.values)
        if stats.is_hidden(value, for_governors=for_governors)
    }
    labels = [_month_label(m) for m in months]
    rows = [
        [labels[i]]
        + [stats.shown(s.values[i], for_governors=for_governors) for s in series]
        + [stats.shown(sum(s.values[i] for s in series), for_governors=for_governors)]
        for i in range(len(months))
    ]
    table = Table("Incidents per month by classification", ["Month", *[s.name for s in series], "Total"], rows)
    svg = charts.bar_chart(chart_id="per-month", title=table.caption, labels=labels, series=series, hidden=hidden)
    return Chart("per_month", table.caption, svg, table)


def referrals_by_agency(setting_ids: list[int], period: Period, *, for_governors: bool) -> Chart:
    incidents = incidents_in(setting_ids, period)
    referrals = Referral.objects.filter(setting_id__in=setting_ids, incident__in=incidents)
    by_agency = Counter(referrals.values_list("agency", flat=True))
    referred_incidents = referrals.values("incident").distinct().count()
    total = incidents.count()
    agencies = list(Referral.Agency.choices)
    values = [by_agency[value] for value, _ in agencies]
    series = [charts.Series("Referrals", values)]
    hidden = {(0, i) for i, v in enumerate(values) if stats.is_hidden(v, for_governors=for_governors)}
    labels = [str(label) for _, label in agencies]
    rows = [[label, stats.shown(v, for_governors=for_governors)] for label, v in zip(labels, values, strict=True)]
    table = Table("Referrals by agency", ["Referred to", "Referrals"], rows)
    svg = charts.bar_chart(chart_id="referrals", title=table.caption, labels=labels, series=series, hidden=hidden)
    note = (
        f"{stats.shown(referred_incidents, for_governors=for_governors)} of "
        f"{stats.shown(total, for_governors=for_governors)} incidents were referred."
    )
    return Chart("referrals", table.caption, svg, table, note)


def response_times(setting_ids: list[int], period: Period) -> Table:
    low, high = period.bounds
    acknowledged = Disclosure.objects.filter(
        setting_id__in=setting_ids, reported_at__range=(low, high), acknowledged_at__isnull=False
    ).values_list("reported_at", "acknowledged_at")
    to_ack = stats.median_hours(ack - reported for reported, ack in acknowledged)
    decided = (
        incidents_in(setting_ids, period)
        .annotate(first_decision=Min("decisions__recorded_at"))
        .filter(first_decision__isnull=False)
        .values_list("reported_at", "first_decision")
    )
    to_decision = stats.median_hours(first - reported for reported, first in decided)
    return Table(
        "Median response times",
        ["Measure", "Median", "Based on"],
        [
            [
                "From a report to the DSL's acknowledgement",
                stats.describe_hours(to_ack),
                f"{len(acknowledged)} reports",
            ],
            ["From the report to the first decision", stats.describe_hours(to_decision), f"{len(decided)} incidents"],
        ],
    )


def open_actions_by_age(setting_ids: list[int], *, for_governors: bool) -> Chart:
    today = timezone.localdate()
    bands = Counter(stats.age_band(item.days_overdue(today)) for item in due_items(setting_ids))
    labels = [label for label, _, _ in stats.AGE_BANDS]
    values = [bands[label] for label in labels]
    hidden = {(0, i) for i, v in enumerate(values) if stats.is_hidden(v, for_governors=for_governors)}
    rows = [[label, stats.shown(v, for_governors=for_governors)] for label, v in zip(labels, values, strict=True)]
    table = Table("Open actions by how long they are overdue (today)", ["Age", "Open actions"], rows)
    svg = charts.bar_chart(
        chart_id="open-actions",
        title=table.caption,
        labels=labels,
        series=[charts.Series("Open actions", values)],
        hidden=hidden,
    )
    return Chart("open_actions", table.caption, svg, table)


@dataclass
class Statistics:
    period: Period
    for_governors: bool
    charts: list[Chart]
    times: Table
    total: str


def statistics_for(setting_ids: list[int], period: Period, *, for_governors: bool) -> Statistics:
    return Statistics(
        period=period,
        for_governors=for_governors,
        charts=[
            incidents_per_month(setting_ids, period, for_governors=for_governors),
            referrals_by_agency(setting_ids, period, for_governors=for_governors),
            open_actions_by_age(setting_ids, for_governors=for_governors),
        ],
        times=response_times(setting_ids, period),
        total=stats.shown(incidents_in(setting_ids, period).count(), for_governors=for_governors),
    )


# -- The audit pack's table of incidents -----------------------------------------------------------


@dataclass
class AuditRow:
    reference: str
    reported: str
    occurred: str
    status: str
    classification: str
    young_people: str
    decision: str
    referral: str
    sign_off: str
    completeness: str


@dataclass
class AuditPack:
    setting: Setting
    period: Period
    initials_only: bool
    for_governors: bool
    rows: list[AuditRow]
    totals: list[tuple[str, str]] = field(default_factory=list)
    statistics: Statistics | None = None

    def fingerprint(self) -> str:
        data = {
            "setting": str(self.setting.code),
            "period": [self.period.start.isoformat(), self.period.end.isoformat()],
            "initials_only": self.initials_only,
            "for_governors": self.for_governors,
            "rows": [asdict(row) for row in self.rows],
            "totals": self.totals,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _day(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "j M Y")


def audit_pack(*, setting: Setting, period: Period, initials_only: bool, for_governors: bool) -> AuditPack:
    incidents = list(
        incidents_in([setting.pk], period)
        .order_by("reported_at", "id")
        .prefetch_related(
            Prefetch("involvements", queryset=Involvement.objects.select_related("young_person")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.current().select_related("sign_off").order_by("recorded_at", "id"),
            ),
            Prefetch("referrals", queryset=Referral.objects.order_by("made_at", "id")),
        )
    )
    checklists = checklists_for(incidents)
    initials_only = initials_only or for_governors
    rows = []
    statuses: Counter[str] = Counter()
    classes: Counter[str] = Counter()
    referred = signed = complete = 0
    for incident in incidents:
        people = {inv.young_person_id: inv.young_person for inv in incident.involvements.all()}
        names = sorted((p.initials if initials_only else p.full_name) for p in people.values())
        decisions = list(incident.decisions.all())
        latest = decisions[-1] if decisions else None
        sign_off = getattr(latest, "sign_off", None) if latest else None
        if latest is None:
            decision_text, sign_text = "None yet", "—"
        else:
            decision_text = str(latest.get_outcome_display())
            if sign_off is not None:
                sign_text = f"{sign_off.name}, {_day(sign_off.signed_at)}"
                signed += 1
            elif latest.status == Decision.Status.RECORDED:
                sign_text = "Not needed"
            else:
                sign_text = str(latest.get_status_display())
        agencies = sorted({str(r.get_agency_display()) for r in incident.referrals.all()})
        referred += bool(agencies)
        items = checklists[incident.pk]
        done = sum(1 for item in items if item.done)
        complete += done == len(items)
        statuses[str(incident.get_status_display())] += 1
        classes[str(incident.get_classification_display())] += 1
        rows.append(
            AuditRow(
                reference=incident.reference,
                reported=_day(incident.reported_at),
                occurred=_day(incident.occurred_on),
                status=str(incident.get_status_display()),
                classification=str(incident.get_classification_display()),
                young_people=", ".join(names) or "—",
                decision=decision_text,
                referral=", ".join(agencies) or "No",
                sign_off=sign_text,
                completeness=f"{done} of {len(items)}",
            )
        )
    count = len(rows)

    def n(value: int) -> str:
        return stats.shown(value, for_governors=for_governors)

    totals = [("Incidents", n(count))]
    totals += [(f"Classified: {label}", n(value)) for label, value in sorted(classes.items())]
    totals += [(f"Status: {label}", n(value)) for label, value in sorted(statuses.items())]
    totals += [
        ("Referred", n(referred)),
        ("Signed off by the headteacher", n(signed)),
        ("Complete records", n(complete)),
    ]
    return AuditPack(setting, period, initials_only, for_governors, rows, totals)
