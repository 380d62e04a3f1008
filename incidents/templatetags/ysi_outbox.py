"""The dashboard's panel of emails that could not be sent (a tag rather than dashboard view code, so
each feature's panel stays its own piece)."""

from django import template
from django.db.models import Q

from incidents import access
from incidents.models import OutboxEmail

register = template.Library()

PANEL_LIMIT = 20
Status = OutboxEmail.Status


@register.inclusion_tag("incidents/_outbox_problems.html", takes_context=True)
def outbox_problems(context) -> dict:
    request = context["request"]
    problems = (
        access.outbox_emails_visible_to(request.user)
        .filter(Q(status=Status.FAILED) | Q(status=Status.QUEUED, attempts__gt=0))
        .select_related("setting")
        .order_by("-created_at", "-id")[:PANEL_LIMIT]
    )
    return {"problems": list(problems), "csrf_token": context.get("csrf_token")}
