"""The chronology table's rows, built in Python.

A long record has hundreds of entries, and the template engine's loop over them (two date filters
and three lookups a row) was most of the incident page's time. The markup is the same as the
template gave.
"""

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.html import format_html_join

from incidents.selectors import ChronologyLine
from incidents.templatetags.shown_dates import day_month_year_time

register = template.Library()

ROW = (
    '<tr><td class="when"><time datetime="{}">{}</time></td><td>{}</td>'
    '<td><span class="fw-semibold">{}:</span> <span class="preserve-lines">{}</span></td></tr>\n'
)


@register.simple_tag
def chronology_rows(lines: Iterable[ChronologyLine]) -> str:
    """format_html_join escapes every value: the summary, the actor's name and the kind alike."""
    rows = []
    for line in lines:
        local = timezone.localtime(line.at)
        rows.append((local.isoformat(), day_month_year_time(local), line.actor or "System", line.kind, line.summary))
    return format_html_join("", ROW, rows)
