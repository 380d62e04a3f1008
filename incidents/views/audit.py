"""Statistics and audit packs (issue 6): for the safeguarding team, headteachers, auditors and governors."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from incidents import access
from incidents.forms.records import AuditPackForm, PeriodForm
from incidents.models import AccessLogEntry
from incidents.services.audit_pack import export_audit_pack
from incidents.services.statistics import Period, statistics_for
from incidents.views.records import password_confirmed, pdf_response, requester_for


@login_required
def statistics_view(request: HttpRequest) -> HttpResponse:
    allowed = access.require_audit_reader(request)
    form = PeriodForm(request.GET or None, settings_qs=allowed)
    result = None
    if form.is_valid():
        setting = form.cleaned_data["setting"]
        period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
        result = statistics_for([setting.pk], period, for_governors=form.cleaned_data["for_governors"])
        access.log_read(request, action=AccessLogEntry.Action.VIEW_STATISTICS, setting_id=setting.pk)
    return render(request, "incidents/records_statistics.html", {"form": form, "stats": result})


@login_required
@never_cache
def audit_pack_view(request: HttpRequest) -> HttpResponse:
    allowed = access.require_audit_reader(request)
    form = AuditPackForm(request.POST or None, settings_qs=allowed)
    if password_confirmed(request, form, purpose="export audit pack PDF"):
        setting = form.cleaned_data["setting"]
        period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
        _, pdf = export_audit_pack(
            setting=setting,
            period=period,
            initials_only=form.cleaned_data["initials_only"],
            for_governors=form.cleaned_data["for_governors"],
            requester=requester_for(request, setting.pk),
        )
        return pdf_response(pdf, f"audit-pack-{period.start:%Y%m%d}-{period.end:%Y%m%d}.pdf")
    status = 400 if request.method == "POST" else 200
    return render(request, "incidents/records_audit_pack.html", {"form": form}, status=status)
