"""Records, PDFs and the access log (issue 6): who has accessed an incident, signed documents."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from incidents import access, reauth, selectors
from incidents.forms.records import ConfirmPasswordForm
from incidents.models import AccessLogEntry
from incidents.services.exports import Requester
from incidents.services.records import export_incident_record
from incidents.views.common import paginate


@login_required
def incident_access_log(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_access_log_for_user(request, code)
    access.log_read(request, incident=incident, action=AccessLogEntry.Action.VIEW_ACCESS_LOG)
    page = paginate(request, selectors.access_log_of(incident), per_page=100)
    return render(request, "incidents/records_access_log.html", {"incident": incident, "page": page})


def requester_for(request: HttpRequest, setting_id: int) -> Requester:
    return Requester(
        user=request.user,
        role=access.role_in(request.user, setting_id) or "",
        path=request.path,
        ip_address=access.client_ip(request),
    )


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def password_confirmed(request: HttpRequest, form: ConfirmPasswordForm, *, purpose: str, **refusal) -> bool:
    """Every PDF export asks for the password again (incidents.reauth); nothing is exported without it."""
    return reauth.password_confirmed(request, form, purpose=purpose, done="exported", **refusal)


@login_required
@never_cache
def record_download(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_for_export(request, code)
    form = ConfirmPasswordForm(request.POST or None)
    if password_confirmed(request, form, purpose="export incident record PDF", incident=incident):
        _, pdf = export_incident_record(incident=incident, requester=requester_for(request, incident.setting_id))
        return pdf_response(pdf, f"{incident.reference}-record.pdf")
    status = 400 if request.method == "POST" else 200
    return render(request, "incidents/records_download.html", {"form": form, "incident": incident}, status=status)
