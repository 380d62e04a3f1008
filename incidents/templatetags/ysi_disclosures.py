"""Panels for the dashboard (the queue of new reports, support for staff) and the incident page
(the reports behind it). Tags rather than view code, so each feature's panel stays its own piece."""

from django import template

from incidents import access
from incidents import disclosure_selectors as selectors
from incidents.forms.disclosures import AnnotationForm
from incidents.services.disclosures import describe_duration

register = template.Library()


@register.filter
def duration(delta) -> str:
    return describe_duration(delta) if delta is not None else ""


@register.inclusion_tag("incidents/_disclosure_queue.html", takes_context=True)
def disclosure_queue(context) -> dict:
    request = context["request"]
    newest_first = request.GET.get("queue") == "newest"
    waiting, acknowledged = selectors.disclosure_queue(request.user, newest_first=newest_first)
    return {
        "waiting": waiting,
        "acknowledged": acknowledged,
        "newest_first": newest_first,
        "can_act": access.can_record_incidents(request.user),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("incidents/_support_tasks.html", takes_context=True)
def staff_support_tasks(context) -> dict:
    return {"tasks": list(selectors.staff_awaiting_support(context["request"].user))}


@register.inclusion_tag("incidents/_incident_disclosures.html", takes_context=True)
def incident_disclosures(context, incident) -> dict:
    request = context["request"]
    return {
        "incident": incident,
        "disclosures": selectors.disclosures_of_incident(incident),
        "can_act": access.can_act_on_disclosures(request.user, incident.setting_id),
        "annotation_form": AnnotationForm(),
        "csrf_token": context.get("csrf_token"),
    }
