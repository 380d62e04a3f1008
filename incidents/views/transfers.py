"""Transfer files for young people who have left (issue 6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from incidents import access
from incidents.forms.records import ConfirmPasswordForm, ReceiptForm, TransferForm
from incidents.models import ExportLog, TransferRecord
from incidents.services.transfers import (
    incidents_of,
    transfer_confirm_receipt,
    transfer_file_export,
    transfer_record,
    transfers_due,
)
from incidents.views.common import add_service_errors
from incidents.views.records import password_confirmed, pdf_response, requester_for


@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    setting_ids = access.require_transfer_role(request)
    recorded = (
        TransferRecord.objects.filter(setting_id__in=setting_ids)
        .select_related("young_person", "recorded_by")
        .order_by("-sent_on", "-id")[:200]
    )
    return render(
        request,
        "incidents/records_transfers.html",
        {"due": transfers_due(setting_ids), "recorded": recorded, "today": timezone.localdate()},
    )


def _person_page(request, person, *, download_form=None, transfer_form=None, status=200) -> HttpResponse:
    latest_export = (
        ExportLog.objects.filter(setting_id=person.setting_id, kind=ExportLog.Kind.TRANSFER, young_person=person)
        .order_by("-generated_at")
        .first()
    )
    return render(
        request,
        "incidents/records_transfer_person.html",
        {
            "person": person,
            "incidents": incidents_of(person),
            "transfers": person.transfers.select_related("recorded_by", "export").order_by("-sent_on"),
            "latest_export": latest_export,
            "download_form": download_form or ConfirmPasswordForm(),
            "transfer_form": transfer_form or TransferForm(initial={"method": TransferRecord.Method.SECURE_EMAIL}),
        },
        status=status,
    )


@login_required
@never_cache
def transfer_person(request: HttpRequest, code: str) -> HttpResponse:
    person = access.get_young_person_for_transfer(request, code)
    if request.method != "POST":
        return _person_page(request, person)
    form = ConfirmPasswordForm(request.POST)
    if password_confirmed(request, form, purpose="export transfer file PDF", setting_id=person.setting_id):
        try:
            _, pdf = transfer_file_export(person=person, requester=requester_for(request, person.setting_id))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return pdf_response(pdf, f"transfer-{person.last_name}-{person.first_name}.pdf".replace(" ", "-"))
    return _person_page(request, person, download_form=form, status=400)


@login_required
@require_POST
def transfer_record_view(request: HttpRequest, code: str) -> HttpResponse:
    person = access.get_young_person_for_transfer(request, code)
    form = TransferForm(request.POST)
    if form.is_valid():
        latest_export = (
            ExportLog.objects.filter(setting_id=person.setting_id, kind=ExportLog.Kind.TRANSFER, young_person=person)
            .order_by("-generated_at")
            .first()
        )
        try:
            transfer_record(actor=request.user, person=person, export=latest_export, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Transfer of {person.full_name}'s file recorded.")
            return redirect("incidents:transfer_list")
    return _person_page(request, person, transfer_form=form, status=400)


@login_required
@require_POST
def transfer_receipt(request: HttpRequest, code: str) -> HttpResponse:
    transfer = access.get_transfer_for_user(request, code)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            transfer_confirm_receipt(actor=request.user, transfer=transfer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Receipt recorded.")
            return redirect("incidents:transfer_list")
    return render(request, "incidents/records_transfer_receipt.html", {"form": form, "transfer": transfer}, status=400)
