"""Dates and times as the templates' `date` filter shows them, for table rows built in Python.

Aware datetimes are shown in the setting's time zone, as the filter shows them.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dates import MONTHS_3


def _month(day: date) -> str:
    return str(MONTHS_3[day.month]).title()


def day_month_year(day: date) -> str:
    """`date:"j M Y"`: 5 Dec 2026."""
    return f"{day.day} {_month(day)} {day.year}"


def day_month_time(moment: datetime) -> str:
    """`date:"j M, H:i"`: 5 Dec, 14:03."""
    local = timezone.localtime(moment)
    return f"{local.day} {_month(local)}, {local:%H:%M}"


def day_month_year_time(moment: datetime) -> str:
    """`date:"j M Y, H:i"`: 5 Dec 2026, 14:03."""
    local = timezone.localtime(moment)
    return f"{day_month_year(local)}, {local:%H:%M}"
