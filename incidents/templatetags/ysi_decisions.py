"""The issue-4 pieces of shared pages: the incident's review and decisions section, the dashboard
panel of decisions awaiting sign-off, and the headteacher's navigation link. Tags rather than code
in the shared views, so each feature's part stays its own piece."""

from django import template

from incidents import access, rules
from incidents.models import Decision

register = template.Library()

PANEL_LIMIT = 10


@register.inclusion_tag("incidents/_decisions_section.html", takes_context=True)
def decisions_section(context, incident) -> dict:
    user = context["request"].user
    if not access.can_see_decisions(user, incident.setting_id):
        return {"visible": False}
    decisions = list(
        incident.decisions.select_related("recorded_by", "sign_off", "assessment").order_by("recorded_at", "id")
    )
    superseded_ids = {d.supersedes_id for d in decisions if d.supersedes_id}
    current = next((d for d in reversed(decisions) if d.pk not in superseded_ids), None)
    latest = incident.assessments.order_by("-created_at", "-id").first()
    risks = list(incident.risk_assessments.select_related("recorded_by").order_by("recorded_at", "id"))
    can_edit = access.can_edit_incident(user, incident) and incident.is_open
    return {
        "visible": True,
        "incident": incident,
        "decisions": decisions,
        "current": current,
        "latest": latest,
        "risks": risks,
        "reviews": incident.review_meetings.count(),
        "can_edit": can_edit,
        "can_sign": access.can_sign_off(user, incident.setting_id),
        "needs_referral": bool(latest and latest.refers and not (current and current.is_referral)),
        "fast_path": rules.SEXTORTION_FAST_PATH,
    }


@register.inclusion_tag("incidents/_decisions_panel.html", takes_context=True)
def decisions_panel(context) -> dict:
    user = context["request"].user
    head_of = access.headteacher_setting_ids(user)
    team_of = access.setting_ids_with_roles(user, access.CASE_EDIT_ROLES)
    waiting = (
        Decision.objects.awaiting_sign_off()
        .filter(setting_id__in=head_of + team_of)
        .select_related("incident")
        .order_by("recorded_at", "id")[:PANEL_LIMIT]
    )
    returned = (
        Decision.objects.current()
        .filter(setting_id__in=team_of, status=Decision.Status.RETURNED)
        .select_related("incident")
        .order_by("returned_at", "id")[:PANEL_LIMIT]
    )
    return {
        "waiting": list(waiting),
        "returned": list(returned),
        "is_head": bool(head_of),
        "shown": bool(head_of or team_of),
    }


@register.inclusion_tag("incidents/_decisions_nav.html", takes_context=True)
def sign_off_nav(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": bool(user and user.is_authenticated and access.headteacher_setting_ids(user))}
