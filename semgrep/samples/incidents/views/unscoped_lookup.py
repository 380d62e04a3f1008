# A sample that ysi-unscoped-lookup-in-view must flag (ruleid) and must not flag (ok).
from django.shortcuts import get_object_or_404

from incidents import access
from incidents.models import Incident, Referral


def bad_detail(request, code):
    # ruleid: ysi-unscoped-lookup-in-view
    incident = Incident.objects.get(code=code)
    # ruleid: ysi-unscoped-lookup-in-view
    other = get_object_or_404(Incident, code=code)
    # ruleid: ysi-unscoped-lookup-in-view
    everything = Incident.objects.all()
    return incident, other, everything


def good_detail(request, code, referral_code):
    # ok: ysi-unscoped-lookup-in-view
    incident = access.get_incident_for_user(request, code)
    # ok: ysi-unscoped-lookup-in-view
    referral = get_object_or_404(Referral, incident=incident, code=referral_code)
    # ok: ysi-unscoped-lookup-in-view
    grant = get_object_or_404(access.grants_for(incident), user__username="sam")
    return incident, referral, grant
