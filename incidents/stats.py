"""Counting for statistics and audit packs. Plain Python: no Django imports.

Anything meant for governors shows small counts as "fewer than 5", so that no child can be
identified from a table (a count of 1 in a small school is a person).
"""

import statistics
from collections.abc import Iterable
from datetime import date, datetime, timedelta

SMALL_COUNT = 5
FEWER_THAN = f"fewer than {SMALL_COUNT}"


def shown(count: int, *, for_governors: bool) -> str:
    """A count as printed: exact for the safeguarding team; small non-zero counts hidden for governors."""
    if for_governors and 0 < count < SMALL_COUNT:
        return FEWER_THAN
    return str(count)


def is_hidden(count: int, *, for_governors: bool) -> bool:
    return for_governors and 0 < count < SMALL_COUNT


def months_between(start: date, end: date) -> list[date]:
    """The first day of each month from `start`'s month to `end`'s month, inclusive."""
    months = []
    current = date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def median_hours(durations: Iterable[timedelta]) -> float | None:
    hours = [d.total_seconds() / 3600 for d in durations if d is not None and d >= timedelta(0)]
    return statistics.median(hours) if hours else None


def describe_hours(hours: float | None) -> str:
    if hours is None:
        return "no data"
    if hours < 1:
        return f"{round(hours * 60)} minutes"
    if hours < 48:
        return f"{hours:.1f} hours"
    return f"{hours / 24:.1f} days"


def add_school_days(day: date, days: int) -> date:
    """`days` school days after `day`, counting Monday to Friday (term dates are not known to the app)."""
    current = day
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


AGE_BANDS = (
    ("Not yet due", None, 0),
    ("Overdue 1–7 days", 1, 7),
    ("Overdue 8–30 days", 8, 30),
    ("Overdue more than 30 days", 31, None),
)


def age_band(days_overdue: int) -> str:
    for label, low, high in AGE_BANDS:
        if (low is None or days_overdue >= low) and (high is None or days_overdue <= high):
            return label
    return AGE_BANDS[-1][0]


def utc_day(moment: datetime) -> date:
    return moment.date()
