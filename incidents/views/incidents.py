from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from incidents import access, selectors
from incidents.forms.incidents import (
    GrantForm,
    IncidentFilterForm,
    IncidentForm,
    InvolvementForm,
    NoteForm,
    RemoveInvolvementForm,
    StatusForm,
)
from incidents.services.grants import incident_grant_access, incident_revoke_access
from incidents.services.incidents import (
    StaleEdit,
    incident_change_status,
    incident_create,
    incident_update,
    note_add,
)
from incidents.services.people import involvement_add, involvement_remove, young_person_create
from incidents.views import actions as action_views
from incidents.views.common import add_service_errors, paginate_capped


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    access.require_case_browser(request)
    form = IncidentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate_capped(request, selectors.filtered_incidents(request.user, filters))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/incident_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_record": access.can_record_incidents(request.user),
            "several_settings": len(access.setting_ids_with_roles(request.user, access.CASE_VIEW_ROLES)) > 1,
        },
    )


@login_required
def incident_create_view(request: HttpRequest) -> HttpResponse:
    access.require_recorder(request)
    recorder_settings = access.settings_where_user_records(request.user)
    form = IncidentForm(request.POST or None, recorder_settings=recorder_settings, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            incident = incident_create(actor=request.user, setting=form.cleaned_data["setting"], **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Incident {incident.reference} recorded. Now add the young people involved.")
            return redirect(incident)
    return render(request, "incidents/incident_form.html", {"form": form, "incident": None})


@login_required
def incident_detail(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code)
    access.log_read(request, incident=incident)
    can_edit = access.can_edit_incident(request.user, incident)
    context = {
        "incident": incident,
        "people": selectors.people_in_incident(incident),
        "chronology": selectors.chronology_lines(incident),
        "can_edit": can_edit,
        "can_open_people": not access.has_single_grant(request.user, incident),
        "note_form": NoteForm(),
    }
    if can_edit:
        context["status_form"] = StatusForm(initial={"status": incident.status})
        context["grants"] = access.grants_for(incident)
        # Its own ids: the status form on the same page has a "reason" field too.
        context["grant_form"] = GrantForm(members=access.staff_who_may_be_granted(incident), auto_id="grant_%s")
    context.update(action_views.detail_context(request.user, incident, context["people"]))  # issue 5
    return render(request, "incidents/incident_detail.html", context)


@login_required
def incident_edit(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = IncidentForm(request.POST or None, instance=incident)
    if request.method == "POST" and form.is_valid():
        try:
            incident_update(
                actor=request.user,
                incident=incident,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.service_fields(),
            )
        except StaleEdit as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect(incident)
    return render(request, "incidents/incident_form.html", {"form": form, "incident": incident})


@login_required
@require_POST
def incident_status(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            incident_change_status(
                actor=request.user,
                incident=incident,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Status changed.")
            return redirect(incident)
    return render(request, "incidents/status_form.html", {"form": form, "incident": incident}, status=400)


@login_required
@require_POST
def incident_note(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_add(actor=request.user, incident=incident, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Note added to the chronology.")
            return redirect(incident)
    return render(request, "incidents/note_form.html", {"form": form, "incident": incident}, status=400)


@login_required
def involvement_add_view(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = InvolvementForm(request.POST or None, setting=incident.setting)
    if request.method == "POST" and form.is_valid():
        try:
            # A new young person and their involvement are saved together or not at all.
            with transaction.atomic():
                person = form.cleaned_data["young_person"] or young_person_create(
                    actor=request.user, setting=incident.setting, **form.new_person_fields()
                )
                involvement_add(actor=request.user, incident=incident, person=person, roles=form.cleaned_data["roles"])
        except ValidationError as error:
            if not form.cleaned_data["young_person"] and hasattr(error, "error_dict"):
                # For someone typed in here, the date they gave is what conflicts, not the picker.
                error = ValidationError(
                    {
                        ("date_of_birth" if key == "young_person" else key): value
                        for key, value in error.error_dict.items()
                    }
                )
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} added to {incident.reference}.")
            if "add_another" in request.POST:
                return redirect("incidents:involvement_add", code=incident.code)
            return redirect(incident)
    return render(request, "incidents/involvement_form.html", {"form": form, "incident": incident})


@login_required
def involvement_remove_view(request: HttpRequest, code: str, involvement_code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    involvement = get_object_or_404(
        incident.involvements.select_related("young_person", "incident"), code=involvement_code
    )
    form = RemoveInvolvementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            involvement_remove(actor=request.user, involvement=involvement, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Removed. The chronology keeps the reason.")
            return redirect(incident)
    return render(
        request, "incidents/involvement_remove.html", {"form": form, "incident": incident, "involvement": involvement}
    )


@login_required
@require_POST
def grant_add(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    form = GrantForm(request.POST, members=access.staff_who_may_be_granted(incident))
    if form.is_valid():
        try:
            incident_grant_access(
                actor=request.user,
                incident=incident,
                member=form.cleaned_data["member"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['member']} can now see this incident, and no other.")
            return redirect(incident)
    return render(request, "incidents/grant_form.html", {"form": form, "incident": incident}, status=400)


@login_required
@require_POST
def grant_revoke(request: HttpRequest, code: str, username: str) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, edit=True)
    grant = get_object_or_404(access.grants_for(incident), user__username=username)
    incident_revoke_access(actor=request.user, incident=incident, member=grant.user)
    messages.success(request, f"{grant.user}'s access withdrawn.")
    return redirect(incident)
