"""Panels for the dashboard (the queue of new reports, support for staff) and the incident page
(the reports behind it). Tags rather than view code, so each feature's panel stays its own piece."""

from django import template
from django.utils.html import format_html, format_html_join

from incidents import access
from incidents import disclosure_selectors as selectors
from incidents.forms.disclosures import AnnotationForm
from incidents.paths import incident_detail_path, path_with_code
from incidents.services.disclosures import describe_duration
from incidents.templatetags.shown_dates import day_month_time

register = template.Library()


@register.filter
def duration(delta) -> str:
    return describe_duration(delta) if delta is not None else ""


@register.inclusion_tag("incidents/_disclosure_queue.html", takes_context=True)
def disclosure_queue(context) -> dict:
    request = context["request"]
    newest_first = request.GET.get("queue") == "newest"
    queue = selectors.disclosure_queue(request.user, newest_first=newest_first)
    return {
        "waiting": queue.waiting,
        "waiting_total": queue.waiting_total,
        "acknowledged": queue.acknowledged,
        "newest_first": newest_first,
        "can_act": access.can_record_incidents(request.user),
        "csrf_token": context.get("csrf_token"),
    }


# The queue's rows are built in Python: up to a hundred a visit through the template engine (a form,
# a date and a duration each) were the largest part of the dashboard's time.
WAITING_ROW = '<tr class="{}"><td><a href="{}">{}</a>{}</td><td>{}</td><td>{}{}</td><td>{}</td></tr>\n'
ACKNOWLEDGE_FORM = (
    '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    '<button type="submit" class="btn btn-primary btn-sm">Acknowledge<span class="visually-hidden"> {}</span>'
    "</button></form>"
)
ACKNOWLEDGED_ROW = '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>\n'
IMMEDIATE_RISK = format_html(' <span class="badge text-bg-danger">{}</span>', "Immediate risk")
OVER_AN_HOUR = format_html(" <strong>{}</strong>", "— over an hour")


@register.simple_tag(takes_context=True)
def queue_waiting_rows(context, rows: list[selectors.QueueRow], can_act: bool) -> str:
    """format_html_join escapes every value: references and the token alike."""
    token = str(context.get("csrf_token") or "")
    return format_html_join(
        "",
        WAITING_ROW,
        (
            (
                "table-danger" if row.overdue else "",
                incident_detail_path(row.incident_code),
                row.reference,
                IMMEDIATE_RISK if row.immediate_risk else "",
                day_month_time(row.reported_at),
                describe_duration(row.age),
                OVER_AN_HOUR if row.overdue else "",
                format_html(
                    ACKNOWLEDGE_FORM,
                    path_with_code("incidents:disclosure_acknowledge", row.code),
                    token,
                    row.reference,
                )
                if can_act
                else "",
            )
            for row in rows
        ),
    )


@register.simple_tag
def queue_acknowledged_rows(rows: list[selectors.QueueRow]) -> str:
    return format_html_join(
        "",
        ACKNOWLEDGED_ROW,
        (
            (
                incident_detail_path(row.incident_code),
                row.reference,
                day_month_time(row.reported_at),
                row.acknowledged_by,
                describe_duration(row.time_to_dsl) if row.time_to_dsl is not None else "",
            )
            for row in rows
        ),
    )


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
