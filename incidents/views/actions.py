"""Pages for the actions after the review. Each: access check, form, service, back to the incident.

Every form page shares one template; each action's history is shown in its section of the incident
page (templates/incidents/_actions_sections.html).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from incidents import access, completeness, due, selectors_actions
from incidents.forms import actions as forms
from incidents.models import (
    DeletionDecision,
    DeletionRequest,
    Device,
    Incident,
    Referral,
    UnavoidableViewing,
    User,
)
from incidents.selectors import PersonInIncident
from incidents.services import actions, followup, imagery
from incidents.views.common import add_service_errors


def detail_context(user: User, incident: Incident, people: list[PersonInIncident]) -> dict[str, Any]:
    """The incident page's action sections. A member of staff granted this one incident (for example
    to talk with the young person) sees the conversations only, not the viewing or deletion logs."""
    incident_actions = selectors_actions.incident_actions(incident)
    checklist = selectors_actions.checklist(incident, incident_actions)
    contacted_mash = any(r.agency == Referral.Agency.MASH for r in incident_actions.referrals)
    return {
        "actions": incident_actions,
        "actions_shown": not access.has_single_grant(user, incident),
        "checklist": checklist,
        "record_complete": completeness.is_complete(checklist),
        "social_care_people": []
        if contacted_mash
        else [entry.young_person for entry in people if entry.young_person.known_to_social_care],
        "today": timezone.localdate(),
    }


def _page(
    request: HttpRequest,
    incident: Incident,
    form: Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    section: str,
    done: str,
    intro: str = "",
    submit: str = "Save",
    subject: str = "",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(f"{incident.get_absolute_url()}#{section}")
    return render(
        request,
        "incidents/action_form.html",
        {
            "incident": incident,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "subject": subject,
            "section": section,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def referral_add(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = forms.ReferralForm(request.POST or None, incident=incident)
    return _page(
        request,
        incident,
        form,
        lambda data: actions.referral_create(actor=request.user, incident=incident, **data),
        title="Record a referral",
        section="referrals",
        done="Referral recorded.",
        intro="At any point, if a young person has been harmed or is at risk of harm, a referral should be made "
        "to children's social care and/or the police immediately. Once children are named to the police, the "
        "police must record the incident and investigate.",
    )


@login_required
def referral_chase(request: HttpRequest, code: str, referral_code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    referral = get_object_or_404(Referral, incident=incident, code=referral_code)
    form = forms.ChaseForm(request.POST or None)
    return _page(
        request,
        incident,
        form,
        lambda data: actions.referral_chase(actor=request.user, referral=referral, **data),
        title="Record a chase",
        subject=f"Referral to {referral.agency_label}, {referral.made_at:%d %b %Y}",
        section="referrals",
        done="Chase recorded.",
    )


@login_required
def referral_outcome(request: HttpRequest, code: str, referral_code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    referral = get_object_or_404(Referral, incident=incident, code=referral_code)
    form = forms.OutcomeForm(request.POST or None)
    return _page(
        request,
        incident,
        form,
        lambda data: actions.referral_record_outcome(actor=request.user, referral=referral, **data),
        title="Record the outcome",
        subject=f"Referral to {referral.agency_label}",
        section="referrals",
        done="Outcome recorded.",
    )


@login_required
def parents_add(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = forms.ParentsForm(request.POST or None, incident=incident)
    return _page(
        request,
        incident,
        form,
        lambda data: actions.parents_decision_record(actor=request.user, incident=incident, **data),
        title="Parents and carers",
        section="parents",
        done="Decision about parents and carers recorded.",
        intro="Our DSL may work with the young people involved to decide on the best approach for informing "
        "parents, and may support the young people to inform their parents themselves.",
    )


@login_required
def device_add(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = forms.DeviceForm(request.POST or None, incident=incident, initial={"seized_by": request.user})
    return _page(
        request,
        incident,
        form,
        lambda data: actions.device_record_seizure(actor=request.user, incident=incident, **data),
        title="Record a seized device",
        section="devices",
        done="Device recorded.",
    )


@login_required
def device_hand_over(request: HttpRequest, code: str, device_code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    device = get_object_or_404(Device.objects.select_related("seized_by"), incident=incident, code=device_code)
    form = forms.HandOverForm(request.POST or None)
    return _page(
        request,
        incident,
        form,
        lambda data: actions.device_hand_over(actor=request.user, device=device, **data),
        title="Record a hand-over",
        subject=f"{device.description}, now held by {actions.current_holder(device)}",
        section="devices",
        done="Hand-over recorded.",
    )


@login_required
def viewing_add(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = forms.ViewingForm(request.POST or None, incident=incident)
    return _page(
        request,
        incident,
        form,
        lambda data: imagery.viewing_record(actor=request.user, incident=incident, **data),
        title="Record a viewing of the imagery",
        section="viewing",
        done="Viewing recorded. The viewer and the member of staff present must now each confirm it.",
        intro="Wherever possible, responses are based on what the DSL has been told about the content of the "
        "imagery. Record a viewing only after the decision was discussed with the headteacher. Never copy, print "
        "or share the imagery; this is illegal.",
    )


@login_required
def viewing_confirm(request: HttpRequest, viewing_code: str) -> HttpResponse:
    viewing = access.get_viewing_for_confirmer(request, viewing_code)
    form = forms.ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            imagery.viewing_confirm(actor=request.user, viewing=viewing, password=form.cleaned_data["password"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Thank you: you have confirmed the viewing record.")
            if access.can_view_incident(request.user, viewing.incident):
                return redirect(f"{viewing.incident.get_absolute_url()}#viewing")
            return redirect("incidents:home")
    return render(
        request,
        "incidents/viewing_confirm.html",
        {"viewing": viewing, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def unavoidable_add(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = forms.UnavoidableForm(request.POST or None, incident=incident)
    return _page(
        request,
        incident,
        form,
        lambda data: imagery.unavoidable_viewing_record(actor=request.user, incident=incident, **data),
        title="Record a member of staff who saw imagery unavoidably",
        section="viewing",
        done="Recorded. Support for them now shows as due.",
    )


@login_required
def support_add(request: HttpRequest, code: str, record_code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    record = get_object_or_404(
        UnavoidableViewing.objects.select_related("staff_member", "incident"), incident=incident, code=record_code
    )
    form = forms.SupportForm(request.POST or None, incident=incident, initial={"offered_by": request.user})
    return _page(
        request,
        incident,
        form,
        lambda data: imagery.staff_support_record(
            actor=request.user,
            record=record,
            offered_by=data["offered_by"],
            offered_at=data["offered_at"],
            notes=data["notes"],
        ),
        title="Record support offered",
        subject=f"For {record.staff_member}",
        section="viewing",
        done="Support recorded.",
    )


@login_required
def deletion_decide(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = forms.DeletionDecisionForm(request.POST or None, incident=incident)
    return _page(
        request,
        incident,
        form,
        lambda data: imagery.deletion_decide(actor=request.user, incident=incident, **data),
        title="Decide how the imagery is deleted",
        section="deletion",
        done="Deletion decision recorded. Now record each young person asked to delete it.",
        intro="If other agencies do not need to be involved, consider deleting imagery from devices and online "
        "services to limit further sharing.",
    )


@login_required
def deletion_ask(request: HttpRequest, code: str, decision_code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    decision = get_object_or_404(
        DeletionDecision.objects.select_related("incident"), incident=incident, code=decision_code
    )
    form = forms.DeletionRequestForm(request.POST or None, incident=incident)
    return _page(
        request,
        incident,
        form,
        lambda data: imagery.deletion_request_record(actor=request.user, decision=decision, **data),
        title="Record a young person asked to delete the imagery",
        subject=decision.get_method_display(),
        section="deletion",
        done="Recorded. The deadline shows on the dashboard until deletion is confirmed.",
        intro="Young people will be reminded that possession of youth produced sexual imagery is illegal.",
    )


def _deletion_request(incident: Incident, request_code: str) -> DeletionRequest:
    return get_object_or_404(
        DeletionRequest.objects.select_related("young_person", "incident"), incident=incident, code=request_code
    )


@login_required
def deletion_confirm(request: HttpRequest, code: str, request_code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    deletion = _deletion_request(incident, request_code)
    form = forms.DeletionConfirmForm(request.POST or None)
    return _page(
        request,
        incident,
        form,
        lambda data: imagery.deletion_confirm(actor=request.user, request=deletion, **data),
        title="Record that deletion was confirmed",
        subject=str(deletion.young_person),
        section="deletion",
        done="Deletion confirmed.",
    )


@login_required
def deletion_escalate(request: HttpRequest, code: str, request_code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    deletion = _deletion_request(incident, request_code)
    form = forms.EscalateForm(request.POST or None)
    return _page(
        request,
        incident,
        form,
        lambda data: imagery.deletion_escalate(actor=request.user, request=deletion, **data),
        title="Deletion not confirmed: escalate",
        subject=str(deletion.young_person),
        section="deletion",
        done="Escalation recorded.",
    )


@login_required
def conversation_add(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = forms.ConversationForm(request.POST or None, incident=incident)
    return _page(
        request,
        incident,
        form,
        lambda data: followup.conversation_record(actor=request.user, incident=incident, **data),
        title="Record a conversation with a young person",
        section="conversations",
        done="Conversation recorded.",
        intro="Recognise the pressures young people can be under; stay solution-focused; reassure them they are "
        "not alone; discuss consent and trust within healthy relationships.",
    )


@login_required
def online_report_add(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = forms.OnlineReportForm(request.POST or None, incident=incident)
    return _page(
        request,
        incident,
        form,
        lambda data: followup.online_report_record(actor=request.user, incident=incident, **data),
        title="Record a report to an online service",
        section="online-reports",
        done="Online report recorded.",
        intro="We provide help and support with the removal of imagery from devices and social media, especially "
        "if the young person is distressed.",
    )


@login_required
def sanction_add(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = forms.SanctionForm(request.POST or None, incident=incident)
    return _page(
        request,
        incident,
        form,
        lambda data: followup.sanction_record(actor=request.user, incident=incident, **data),
        title="Record a sanction",
        section="sanctions",
        done="Sanction recorded.",
    )


# Dates a page: enough to scan for what is most overdue without a page that takes long to draw.
DUE_PER_PAGE = 100


@login_required
@require_safe
def due_list(request: HttpRequest) -> HttpResponse:
    """Every date that matters across the reader's settings, overdue first: the dashboard shows only
    the first fifty."""
    access.require_case_browser(request)
    today = timezone.localdate()
    items = due.oldest_first(
        selectors_actions.due_items(access.setting_ids_with_roles(request.user, access.CASE_VIEW_ROLES))
    )
    page = Paginator(items, DUE_PER_PAGE).get_page(request.GET.get("page"))
    overdue, upcoming = due.split(page.object_list, today)
    return render(
        request,
        "incidents/due_list.html",
        {
            "page": page,
            "overdue": overdue,
            "upcoming": upcoming,
            "today": today,
            "overdue_total": sum(1 for item in items if item.is_overdue(today)),
        },
    )
