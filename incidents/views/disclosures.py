"""Reporting a concern (any member of a setting) and acting on reports (the DSL and deputies)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from incidents import access
from incidents import disclosure_selectors as selectors
from incidents.forms.disclosures import AnnotationForm, DisclosureForm, MergeForm
from incidents.services.disclosures import (
    disclosure_acknowledge,
    disclosure_annotate,
    disclosure_merge,
    disclosure_report,
)
from incidents.views.common import add_service_errors
from incidents.views.errors import report_not_sent

logger = logging.getLogger("ysi.disclosures")

SAVE_FAILED = (
    "Your report could not be saved because of a problem on our side, and nothing has been stored. "
    "Everything you wrote is still in the form below: try sending it again in a minute. If it still "
    "fails, tell your DSL in person or by phone now."
)


@sensitive_post_parameters()
@sensitive_variables()
def report(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # A report sent after the session ended must not be lost in a redirect to sign in.
        if request.method == "POST":
            return report_not_sent(request, signed_out=True)
        return redirect_to_login(request.get_full_path())
    access.require_reporter(request)
    reporter_settings = access.settings_where_user_reports(request.user)
    form = DisclosureForm(request.POST or None, reporter_settings=reporter_settings)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            disclosure, created = disclosure_report(
                reporter=request.user,
                setting=form.cleaned_data["setting"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                data=form.service_input(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if getattr(error, "code", None) == "rate_limited":
                status = 429
        except DatabaseError as error:
            # The database's message can quote the row, i.e. the report: log the kind of error only.
            logger.error("A report could not be saved: %s (details withheld: they may quote the report).",
                         type(error).__name__)
            form.add_error(None, SAVE_FAILED)
        else:
            if created:
                messages.success(request, f"Sent to the safeguarding team: {disclosure.reference}.")
            else:
                messages.info(request, "You had already sent this report, so it was not sent twice. Here it is.")
            return redirect(disclosure)
    return render(
        request,
        "incidents/disclosure_form.html",
        {
            "form": form,
            "team": selectors.safeguarding_contacts(reporter_settings),
            "show_settings": len(reporter_settings) > 1,
            # The warning comes before the session ends: after the idle limit, or sooner near the absolute one.
            "idle_seconds": _seconds_left(request),
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        },
        status=status,
    )


def _seconds_left(request: HttpRequest) -> int:
    from incidents import signin_rules
    from incidents.services import security

    signed_in_at = request.session.get(security.SIGNED_IN_AT)
    if signed_in_at is None:
        return settings.SESSION_IDLE_SECONDS
    return signin_rules.seconds_left(
        now=security.now_ts(),
        signed_in_at=signed_in_at,
        last_seen_at=request.session.get(security.LAST_SEEN_AT),
        limits=security.session_limits(),
    )


@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    disclosure = access.get_own_disclosure(request, code)
    return render(
        request,
        "incidents/disclosure_receipt.html",
        {
            "disclosure": disclosure,
            "annotations": selectors.own_annotations(disclosure, request.user),
            "form": AnnotationForm(),
            "team": selectors.safeguarding_contacts([disclosure.setting]) if disclosure.immediate_risk else [],
        },
    )


@sensitive_post_parameters()
@login_required
@require_POST
def add_to_own_report(request: HttpRequest, code: str) -> HttpResponse:
    disclosure = access.get_own_disclosure(request, code)
    form = AnnotationForm(request.POST)
    if form.is_valid():
        try:
            disclosure_annotate(actor=request.user, disclosure=disclosure, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added to your report. The safeguarding team can see it.")
            return redirect(disclosure)
    return render(
        request,
        "incidents/disclosure_receipt.html",
        {
            "disclosure": disclosure,
            "annotations": selectors.own_annotations(disclosure, request.user),
            "form": form,
            "team": [],
        },
    )


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    access.require_reporter(request)
    return render(request, "incidents/my_reports.html", {"reports": selectors.reports_by(request.user)})


@login_required
@require_POST
def acknowledge(request: HttpRequest, code: str) -> HttpResponse:
    disclosure = access.get_disclosure_for_team(request, code)
    try:
        disclosure = disclosure_acknowledge(actor=request.user, disclosure=disclosure)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, f"Report {disclosure.reference} acknowledged. Continue with the incident below.")
    return redirect(disclosure.incident)


@login_required
def merge(request: HttpRequest, code: str) -> HttpResponse:
    disclosure = access.get_disclosure_for_team(request, code)
    form = MergeForm(request.POST or None, disclosure=disclosure)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            disclosure_merge(actor=request.user, disclosure=disclosure, target=target)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Report {disclosure.reference} is now part of {target.reference}.")
            return redirect(target)
    return render(request, "incidents/disclosure_merge.html", {"disclosure": disclosure, "form": form})


@sensitive_post_parameters()
@login_required
@require_POST
def annotate(request: HttpRequest, code: str) -> HttpResponse:
    disclosure = access.get_disclosure_for_team(request, code)
    form = AnnotationForm(request.POST)
    if form.is_valid():
        disclosure_annotate(actor=request.user, disclosure=disclosure, text=form.cleaned_data["text"])
        messages.success(request, f"Added to report {disclosure.reference}.")
    else:
        messages.error(request, "Write what you want to add before sending it.")
    return redirect(disclosure.incident)
