from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from incidents import access, selectors
from incidents.models import Membership
from incidents.views.policy import asks_to_read_policy


@login_required
@asks_to_read_policy
def home(request: HttpRequest) -> HttpResponse:
    """Send each person where their work is: the safeguarding team to the dashboard, staff to reporting."""
    if access.can_record_incidents(request.user):
        return redirect("incidents:dashboard")
    if access.can_browse_cases(request.user):
        return redirect("incidents:incident_list")
    return redirect("incidents:staff_home")


@login_required
@asks_to_read_policy
def staff_home(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.filter(is_active=True).select_related("setting")
    safeguarding_team = (
        Membership.objects.filter(
            setting__in=[m.setting_id for m in memberships],
            role__in=[Membership.Role.DSL, Membership.Role.DEPUTY],
            is_active=True,
        )
        .select_related("user", "setting")
        .order_by("setting__name", "role", "user__last_name")
    )
    return render(
        request,
        "incidents/staff_home.html",
        {"memberships": memberships, "safeguarding_team": safeguarding_team},
    )


@login_required
@asks_to_read_policy
def dashboard(request: HttpRequest) -> HttpResponse:
    access.require_case_browser(request)
    return render(
        request,
        "incidents/dashboard.html",
        {
            "open_incidents": selectors.open_incidents_for_dashboard(request.user),
            "counts": selectors.incident_counts_by_status(request.user),
            "can_record": access.can_record_incidents(request.user),
        },
    )
