from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from incidents import access, selectors
from incidents.forms.people import YoungPersonForm
from incidents.services.incidents import StaleEdit
from incidents.services.people import young_person_create, young_person_update
from incidents.views.common import add_service_errors, paginate


@login_required
def young_person_list(request: HttpRequest) -> HttpResponse:
    access.require_case_browser(request)
    text = request.GET.get("q", "").strip()
    search_error = ""
    if "\x00" in text:
        # PostgreSQL cannot compare with a NUL byte: say so instead of failing.
        search_error = "A name cannot contain a null character. Type the name again and search."
        text = text.replace("\x00", "")
    people = selectors.filtered_young_people(request.user, text)
    page = paginate(request, people.none() if search_error else people)
    return render(
        request,
        "incidents/young_person_list.html",
        {
            "page": page,
            "q": text,
            "search_error": search_error,
            "q_query": urlencode({"q": text}) if text else "",
            "can_record": access.can_record_incidents(request.user),
        },
    )


@login_required
def young_person_detail(request: HttpRequest, code: str) -> HttpResponse:
    person = access.get_young_person_for_user(request, code)
    access.log_read(request, person=person)
    return render(
        request,
        "incidents/young_person_detail.html",
        {
            "person": person,
            "incidents": selectors.incidents_of_person(request.user, person),
            "can_edit": access.role_in(request.user, person.setting_id) in access.CASE_EDIT_ROLES,
            "can_transfer": access.can_transfer(request.user, person.setting_id),
        },
    )


@login_required
def young_person_create_view(request: HttpRequest) -> HttpResponse:
    access.require_recorder(request)
    form = YoungPersonForm(request.POST or None, recorder_settings=access.settings_where_user_records(request.user))
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            person = young_person_create(actor=request.user, setting=form.cleaned_data["setting"], **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} added.")
            return redirect(person)
    return render(request, "incidents/young_person_form.html", {"form": form, "person": None})


@login_required
def young_person_edit(request: HttpRequest, code: str) -> HttpResponse:
    person = access.get_young_person_for_user(request, code, edit=True)
    form = YoungPersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            young_person_update(
                actor=request.user,
                person=person,
                expected_version=form.cleaned_data.get("version") or 0,
                **form.service_fields(),
            )
        except StaleEdit:
            form.add_error(
                None,
                "Someone else changed this record while you were editing it, so your changes have not been "
                "saved. Your text is still in the form: check the record as it is now, then save again.",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect(person)
    return render(request, "incidents/young_person_form.html", {"form": form, "person": person})
