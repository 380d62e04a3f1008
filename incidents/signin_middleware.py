"""Session time limits and the second factor, checked on every request (issue 7)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from incidents import access, signin_rules
from incidents.models import SecurityEvent
from incidents.services import security

# The pages a person who still owes their second factor may open: the second factor itself and signing out.
SECOND_FACTOR_PAGES = frozenset(
    {
        "login",
        "logout",
        "accounts:two_factor",
        "accounts:two_factor_setup",
    }
)


class SessionLimitsMiddleware:
    """End a session idle for SESSION_IDLE_SECONDS or older than SESSION_ABSOLUTE_SECONDS.

    The database expires a session SESSION_COOKIE_AGE after it was last saved, and a busy session is
    saved at least once per `touch_seconds` (when its latest activity is recorded); this adds the
    absolute limit and says why the person was signed out. The request then carries on
    signed out, so each view answers as it does for anyone signed out: the report form gives the
    reporter's text back rather than losing it in a redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = security.now_ts()
            limits = security.session_limits()
            reason = signin_rules.session_end_reason(
                now=now,
                signed_in_at=request.session.get(security.SIGNED_IN_AT),
                last_seen_at=request.session.get(security.LAST_SEEN_AT),
                limits=limits,
            )
            if reason:
                request.ysi_signout = (SecurityEvent.Kind.SESSION_EXPIRED, reason)
                logout(request)
                messages.info(request, signin_rules.end_message(reason, limits))
            elif signin_rules.touch_due(
                now=now, last_seen_at=request.session.get(security.LAST_SEEN_AT), limits=limits
            ):
                request.session[security.LAST_SEEN_AT] = now
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from incidents.reauth import SignedOutForSafety

        if isinstance(exception, SignedOutForSafety):
            messages.error(
                request,
                "You were signed out because the password was entered wrongly too many times. Nothing was signed "
                "or exported. Sign in again to carry on.",
            )
            return redirect("login")
        return None


class SecondFactorMiddleware:
    """Until they pass their second factor, people who need one reach only the second-factor pages
    and signing out. This covers every page, the report form included: a DSL's password alone must
    not open anything, and a report sent in a DSL's name starts a case."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or user.is_verified() or not access.second_factor_required(user):
            return self.get_response(request)
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            name = None
        if name in SECOND_FACTOR_PAGES:
            return self.get_response(request)
        if request.method == "POST" and name == "incidents:report":
            from incidents.views.errors import report_not_sent

            # Never lose a report in a redirect: give the text back.
            return report_not_sent(request, signed_out=True)
        target = "accounts:two_factor" if security.has_confirmed_totp(user) else "accounts:two_factor_setup"
        url = reverse(target)
        if request.method == "GET" and name not in (None, "incidents:home"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
