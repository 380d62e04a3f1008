"""The dashboard's policy panel: review due or overdue, and who has not read it or been trained."""

from django import template
from django.utils import timezone

from incidents import access
from incidents.models import Setting
from incidents.services import policy as policy_service

register = template.Library()


@register.inclusion_tag("incidents/_policy_panel.html", takes_context=True)
def policy_panel(context) -> dict:
    user = context["request"].user
    today = timezone.localdate()
    rows = []
    setting_ids = access.setting_ids_with_roles(user, access.STAFF_RECORD_ROLES)
    for setting in Setting.objects.filter(id__in=setting_ids).order_by("name"):
        review = policy_service.review_state(setting, today)
        version, statuses = policy_service.staff_policy_status(setting, today)
        rows.append(
            {
                "setting": setting,
                "review": review,
                "not_read": sum(1 for s in statuses if s.not_read),
                "untrained": sum(1 for s in statuses if s.no_recent_training),
                "can_edit": access.can_edit_policy(user, setting.pk),
            }
        )
    return {"rows": rows}


@register.inclusion_tag("incidents/_decision_policy_versions.html")
def decision_policy_versions(incident) -> dict:
    """Which adopted policy each decision on this incident was taken under."""
    decisions = list(incident.decisions.select_related("policy_version", "setting").order_by("recorded_at", "id"))
    return {"decisions": decisions, "incident": incident}
