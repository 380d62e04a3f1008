"""Records, PDFs and the access log (issue 6): who has accessed an incident, signed documents."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from incidents import access, selectors
from incidents.models import AccessLogEntry
from incidents.views.common import paginate


@login_required
def incident_access_log(request: HttpRequest, code: str) -> HttpResponse:
    incident = access.get_incident_access_log_for_user(request, code)
    access.log_read(request, incident=incident, action=AccessLogEntry.Action.VIEW_ACCESS_LOG)
    page = paginate(request, selectors.access_log_of(incident), per_page=100)
    return render(request, "incidents/records_access_log.html", {"incident": incident, "page": page})
