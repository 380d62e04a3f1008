"""The setting's policy: read it, write it, adopt it, confirm it, and the training records."""

import csv
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from incidents import access, rules
from incidents.forms.policy import PolicyAdoptForm, PolicyDraftForm, TrainingSessionForm
from incidents.forms.records import ConfirmPasswordForm
from incidents.models import AccessLogEntry, PolicyVersion, ReadConfirmation, TrainingSession
from incidents.services import policy as svc
from incidents.services.policy_exports import export_policy_version
from incidents.views.common import add_service_errors
from incidents.views.records import password_confirmed, pdf_response, requester_for

DEFERRED_KEY = "ysi_policy_prompt_deferred"


# --- The read-and-confirm prompt ------------------------------------------------------


def _waiting(request: HttpRequest) -> list[PolicyVersion]:
    deferred = set(request.session.get(DEFERRED_KEY, []))
    return [v for v in svc.versions_awaiting_reading(request.user) if v.pk not in deferred]


def asks_to_read_policy(view: Callable) -> Callable:
    """On the home pages, send someone to read a newly adopted policy first.

    Only the landing pages do this, never a gate on every URL: nothing stands between a member of
    staff and reporting a concern. "Not now" keeps them from being asked again until they next sign in.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "GET" and request.user.is_authenticated and _waiting(request):
            return redirect("incidents:policy_read")
        return view(request, *args, **kwargs)

    return wrapper


def _report_url() -> str:
    """The staff reporting page, once it exists (issue 3); the staff home page until then."""
    try:
        return reverse("incidents:report")
    except NoReverseMatch:
        return reverse("incidents:staff_home")


@login_required
def policy_read(request: HttpRequest) -> HttpResponse:
    waiting = _waiting(request)
    if not waiting:
        return redirect("incidents:home")
    version = waiting[0]
    return render(
        request,
        "incidents/policy_read.html",
        {
            "version": version,
            "document": svc.version_document(version),
            "others": waiting[1:],
            "report_url": _report_url(),
        },
    )


@login_required
@require_POST
def policy_defer(request: HttpRequest) -> HttpResponse:
    deferred = set(request.session.get(DEFERRED_KEY, []))
    deferred |= {v.pk for v in svc.versions_awaiting_reading(request.user)}
    request.session[DEFERRED_KEY] = sorted(deferred)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("incidents:home")


@login_required
@require_POST
def policy_confirm(request: HttpRequest, setting_code, code) -> HttpResponse:
    setting = access.get_setting_for_policy(request, setting_code)
    version = access.get_policy_version_for_user(request, setting, code)
    try:
        svc.policy_read_confirm(user=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(version.get_absolute_url())
    messages.success(request, f"Thank you: you have confirmed you have read version {version.number} of the policy.")
    if _waiting(request):
        return redirect("incidents:policy_read")
    return redirect("incidents:home")


# --- Reading the policy ---------------------------------------------------------------


@login_required
def policy_index(request: HttpRequest) -> HttpResponse:
    settings = list(access.settings_of_member(request.user))
    if len(settings) == 1:
        return redirect("incidents:policy_current", settings[0].code)
    return render(request, "incidents/policy_index.html", {"settings": settings})


def _links(request: HttpRequest, setting) -> dict:
    return {
        "can_edit": access.can_edit_policy(request.user, setting.pk),
        "can_adopt": access.can_adopt_policy(request.user, setting.pk),
        "can_see_staff": access.can_see_staff_records(request.user, setting.pk),
        "can_record_training": access.can_record_training(request.user, setting.pk),
    }


@login_required
def policy_current(request: HttpRequest, setting_code) -> HttpResponse:
    setting = access.get_setting_for_policy(request, setting_code)
    version = svc.policy_version_in_force(setting)
    if version is None:
        return render(request, "incidents/policy_none.html", {"setting": setting, **_links(request, setting)})
    return _version_page(request, setting, version)


@login_required
def policy_version(request: HttpRequest, setting_code, code) -> HttpResponse:
    setting = access.get_setting_for_policy(request, setting_code)
    version = access.get_policy_version_for_user(request, setting, code)
    return _version_page(request, setting, version)


def _version_page(request: HttpRequest, setting, version: PolicyVersion) -> HttpResponse:
    in_force = svc.policy_version_in_force(setting)
    confirmation = ReadConfirmation.objects.filter(version=version, user=request.user).first()
    return render(
        request,
        "incidents/policy_version.html",
        {
            "setting": setting,
            "version": version,
            "document": svc.version_document(version),
            "is_in_force": in_force is not None and in_force.pk == version.pk,
            "in_force": in_force,
            "confirmation": confirmation,
            "rule_set_title": rules.describe_rule_set(version.rule_set).title,
            "pdf_url": reverse("incidents:policy_pdf", args=[setting.code, version.code]),
            **_links(request, setting),
        },
    )


@login_required
@never_cache
def policy_pdf(request: HttpRequest, setting_code, code) -> HttpResponse:
    """The adopted version as a signed PDF. The policy is no secret: every member of the setting may have it,
    but like every PDF the app exports, only after the password is entered again."""
    setting = access.get_setting_for_policy(request, setting_code)
    version = access.get_policy_version_for_user(request, setting, code)
    form = ConfirmPasswordForm(request.POST or None)
    if not password_confirmed(request, form, purpose="export policy PDF", setting_id=setting.pk):
        return render(
            request,
            "incidents/policy_pdf_download.html",
            {"form": form, "version": version, "setting": setting},
            status=400 if request.method == "POST" else 200,
        )
    try:
        _, pdf = export_policy_version(version=version, requester=requester_for(request, setting.pk))
    except ImproperlyConfigured:
        messages.error(request, "The signed PDF cannot be made: no signing key is set up. Print this page instead.")
        return redirect(version.get_absolute_url())
    return pdf_response(pdf, f"policy-version-{version.number}.pdf")


@login_required
def policy_versions(request: HttpRequest, setting_code) -> HttpResponse:
    setting = access.get_setting_for_policy(request, setting_code)
    versions = PolicyVersion.objects.filter(setting=setting).order_by("-number")
    return render(
        request,
        "incidents/policy_versions.html",
        {"setting": setting, "versions": versions, **_links(request, setting)},
    )


# --- Writing and adopting -------------------------------------------------------------


def _departure_boxes() -> list[dict]:
    national = rules.describe_rule_set(rules.NATIONAL_RULE_SET)
    boxes = []
    for name in rules.RULE_SETS:
        description = rules.describe_rule_set(name)
        if description.departs_from_national:
            boxes.append({"name": name, "description": description, "national": national})
    return boxes


@login_required
def policy_edit(request: HttpRequest, setting_code) -> HttpResponse:
    setting = access.get_setting_for_policy(
        request,
        setting_code,
        roles=access.POLICY_EDIT_ROLES,
        refusal="Only the DSL and the headteacher can write the policy.",
    )
    draft = svc.policy_draft_get_or_start(setting=setting)
    initial = {}
    if draft.next_review_on is None or draft.next_review_on <= timezone.localdate():
        # Reviewing the policy: the next review is a year from now, not the date that fell due.
        initial["next_review_on"] = svc.one_year_after(timezone.localdate())
    form = PolicyDraftForm(request.POST or None, instance=draft, setting=setting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.policy_draft_update(
                actor=request.user,
                draft=draft,
                expected_revision=form.cleaned_data["revision"],
                deputies=list(form.cleaned_data["deputies"]),
                **form.service_fields(),
            )
        except svc.StaleDraft as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The draft has been saved. Check it below before it is adopted.")
            return redirect("incidents:policy_preview", setting.code)
    chosen = form["rule_set"].value() or draft.rule_set
    return render(
        request,
        "incidents/policy_edit.html",
        {
            "setting": setting,
            "draft": draft,
            "form": form,
            "departure_boxes": _departure_boxes(),
            "chosen_rule_set": chosen,
            **_links(request, setting),
        },
    )


@login_required
def policy_preview(request: HttpRequest, setting_code) -> HttpResponse:
    setting = access.get_setting_for_policy(
        request,
        setting_code,
        roles=access.POLICY_EDIT_ROLES,
        refusal="Only the DSL and the headteacher can see the draft policy.",
    )
    draft = svc.policy_draft_get_or_start(setting=setting)
    document = svc.draft_document(draft)
    return render(
        request,
        "incidents/policy_preview.html",
        {
            "setting": setting,
            "draft": draft,
            "document": document,
            "gaps": document.gaps(),
            "adopt_form": PolicyAdoptForm(initial={"revision": draft.revision}),
            **_links(request, setting),
        },
    )


@login_required
def policy_adopt(request: HttpRequest, setting_code) -> HttpResponse:
    setting = access.get_setting_for_policy(
        request,
        setting_code,
        roles=access.POLICY_ADOPT_ROLES,
        refusal="Only the headteacher can approve and adopt the policy.",
    )
    if request.method != "POST":
        return redirect("incidents:policy_preview", setting.code)
    draft = svc.policy_draft_get_or_start(setting=setting)
    form = PolicyAdoptForm(request.POST)
    if form.is_valid():
        try:
            version = svc.policy_adopt(
                actor=request.user,
                draft=draft,
                expected_revision=form.cleaned_data["revision"],
                governors_ratified_on=form.cleaned_data["governors_ratified_on"],
            )
        except svc.StaleDraft as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Version {version.number} of the policy is adopted. Every member of the setting will be asked "
                "to read it when they next sign in.",
            )
            return redirect(version.get_absolute_url())
    document = svc.draft_document(draft)
    return render(
        request,
        "incidents/policy_preview.html",
        {
            "setting": setting,
            "draft": draft,
            "document": document,
            "gaps": document.gaps(),
            "adopt_form": form,
            **_links(request, setting),
        },
        status=400,
    )


# --- Training and who needs reminding -------------------------------------------------


def _staff_records_setting(request: HttpRequest, setting_code):
    return access.get_setting_for_policy(
        request,
        setting_code,
        roles=access.STAFF_RECORD_ROLES,
        refusal="Training records are kept by the safeguarding team and the headteacher.",
    )


def _training_setting(request: HttpRequest, setting_code):
    return access.get_setting_for_policy(
        request,
        setting_code,
        roles=access.TRAINING_RECORD_ROLES,
        refusal="Only the safeguarding team and the headteacher record training.",
    )


@login_required
def training_list(request: HttpRequest, setting_code) -> HttpResponse:
    setting = _staff_records_setting(request, setting_code)
    sessions = TrainingSession.objects.filter(setting=setting).prefetch_related("attendees").order_by("-held_on", "-id")
    return render(
        request,
        "incidents/training_list.html",
        {"setting": setting, "sessions": sessions, **_links(request, setting)},
    )


@login_required
def training_create(request: HttpRequest, setting_code) -> HttpResponse:
    setting = _training_setting(request, setting_code)
    form = TrainingSessionForm(request.POST or None, setting=setting, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            session = svc.training_session_create(actor=request.user, setting=setting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Training session \u201c{session.title}\u201d recorded.")
            return redirect(session.get_absolute_url())
    return render(request, "incidents/training_form.html", {"setting": setting, "form": form, "session": None})


@login_required
def training_detail(request: HttpRequest, setting_code, code) -> HttpResponse:
    setting = _staff_records_setting(request, setting_code)
    session = access.get_training_session_for_user(request, setting, code)
    attendance = session.attendance.select_related("user").order_by("user__last_name", "user__first_name")
    return render(
        request,
        "incidents/training_detail.html",
        {"setting": setting, "session": session, "attendance": attendance, **_links(request, setting)},
    )


@login_required
def training_edit(request: HttpRequest, setting_code, code) -> HttpResponse:
    setting = _training_setting(request, setting_code)
    session = access.get_training_session_for_user(request, setting, code)
    initial = {
        "held_on": session.held_on,
        "title": session.title,
        "led_by": session.led_by,
        "attendees": list(session.attendees.all()),
    }
    form = TrainingSessionForm(request.POST or None, setting=setting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.training_session_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Training session updated.")
            return redirect(session.get_absolute_url())
    return render(request, "incidents/training_form.html", {"setting": setting, "form": form, "session": session})


CSV_COLUMNS = [
    "Name",
    "Username",
    "Role",
    "Policy version in force",
    "Confirmed reading it",
    "Versions confirmed",
    "Last training",
    "Not yet read",
    "No training in the last year",
]


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@login_required
def staff_policy_status(request: HttpRequest, setting_code) -> HttpResponse:
    setting = _staff_records_setting(request, setting_code)
    version, statuses = svc.staff_policy_status(setting)
    if request.GET.get("format") == "csv":
        access.log_read(request, action=AccessLogEntry.Action.EXPORT_STAFF_CSV, setting_id=setting.pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="policy-and-training-{day}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for status in statuses:
            writer.writerow(
                [
                    _csv_safe(str(status.user)),
                    _csv_safe(status.user.username),
                    status.role_label,
                    version.number if version else "",
                    timezone.localtime(status.read_current_at).strftime("%Y-%m-%d %H:%M")
                    if status.read_current_at
                    else "",
                    " ".join(str(number) for number in status.versions_read),
                    status.last_training_on.isoformat() if status.last_training_on else "",
                    "yes" if status.not_read else "no",
                    "yes" if status.no_recent_training else "no",
                ]
            )
        return response
    return render(
        request,
        "incidents/staff_policy_status.html",
        {
            "setting": setting,
            "version": version,
            "not_read": [s for s in statuses if s.not_read],
            "untrained": [s for s in statuses if s.no_recent_training],
            "statuses": statuses,
            "today": formats.date_format(timezone.localdate(), "j F Y"),
            **_links(request, setting),
        },
    )
