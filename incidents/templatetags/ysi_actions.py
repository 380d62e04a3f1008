"""Dashboard panels for the actions after the review (issue 5): what is due or overdue, oldest first,
and the viewing records waiting for this person's confirmation."""

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from incidents import access, due, selectors_actions
from incidents.models.incident import CASE_VIEW_ROLES
from incidents.paths import incident_detail_path
from incidents.templatetags.shown_dates import day_month_year

register = template.Library()

# The dashboard lists the most pressing dates; a trust with hundreds waiting sees that there are more.
DUE_SHOWN = 50


@register.inclusion_tag("incidents/_due_panel.html", takes_context=True)
def due_panel(context) -> dict:
    user = context["request"].user
    today = timezone.localdate()
    items = selectors_actions.due_items(access.setting_ids_with_roles(user, CASE_VIEW_ROLES), oldest=DUE_SHOWN + 1)
    shown = due.oldest_first(items)[:DUE_SHOWN]
    overdue, upcoming = due.split(shown, today)
    return {
        "overdue": overdue,
        "upcoming": upcoming,
        "today": today,
        "shown": len(shown),
        "more": len(items) > DUE_SHOWN,
    }


@register.inclusion_tag("incidents/_viewings_to_confirm.html", takes_context=True)
def viewings_to_confirm(context) -> dict:
    return {"viewings": list(access.viewings_to_confirm(context["request"].user)), "user": context["request"].user}


DUE_ROW = '<tr{}><td>{}{}</td><td><a href="{}{}">{}</a></td><td>{}</td></tr>\n'
DUE_TODAY = format_html(' <span class="badge text-bg-warning">{}</span>', "Due today")
OVERDUE_ROW_CLASS = format_html(' class="{}"', "table-danger")


@register.simple_tag
def due_rows(overdue: list[due.DueItem], upcoming: list[due.DueItem], today) -> str:
    """The panel's rows, built in Python (up to fifty a visit); format_html_join escapes every value."""

    def row(item: due.DueItem, is_overdue: bool) -> tuple:
        if is_overdue:
            days = item.days_overdue(today)
            badge = format_html(
                ' <span class="badge text-bg-danger">Overdue {} day{}</span>', days, "" if days == 1 else "s"
            )
        else:
            badge = DUE_TODAY if item.due == today else ""
        return (
            OVERDUE_ROW_CLASS if is_overdue else "",
            day_month_year(item.due),
            badge,
            incident_detail_path(item.incident_code),
            f"#{item.section}" if item.section else "",
            item.incident_reference,
            item.what,
        )

    return format_html_join(
        "", DUE_ROW, [row(item, True) for item in overdue] + [row(item, False) for item in upcoming]
    )

