"""Dashboard panels for the actions after the review (issue 5): what is due or overdue, oldest first,
and the viewing records waiting for this person's confirmation."""

from django import template
from django.utils import timezone

from incidents import access, due, selectors_actions
from incidents.models.incident import CASE_VIEW_ROLES

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


@register.filter
def days_overdue(item: due.DueItem, today) -> int:
    return item.days_overdue(today)
