"""Rows built in Python show dates exactly as the templates' `date` filter does."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from incidents.templatetags.shown_dates import day_month_time, day_month_year, day_month_year_time

MOMENTS = [
    datetime(2026, 1, 5, 9, 7, tzinfo=UTC),
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # the hour before the clocks go forward
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # British Summer Time: 02:00 in London
    datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # 00:30 on the 25th in London
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
]


def date_filter(value, format_string: str) -> str:
    """What a template shows for `{{ value|date:format_string }}` (the engine converts to local time)."""
    return Template(f'{{{{ value|date:"{format_string}" }}}}').render(Context({"value": value}))


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_the_same_as_the_date_filter_in_the_settings_time_zone(moment):
    assert day_month_year_time(moment) == date_filter(moment, "j M Y, H:i")
    assert day_month_time(moment) == date_filter(moment, "j M, H:i")


@pytest.mark.parametrize("day", [date(2026, 5, 1), date(2024, 2, 29), date(2026, 9, 30)], ids=str)
def test_days_as_the_filter_shows_them(day):
    assert day_month_year(day) == date_filter(day, "j M Y")
