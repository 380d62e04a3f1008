"""Response headers Django's SecurityMiddleware does not set, and the log of refusals (see SECURITY.md).

- Permissions-Policy: the browser features the app never uses (camera, microphone, geolocation,
  payment, USB...) are turned off for its pages, so nothing injected into a page could use them.
- Cache-Control: no-store on every answer the app itself makes. Nearly every page holds case data
  (even a signed-out reporter's "not sent" page shows their report back), and a PDF is the record
  itself: no browser, proxy or shared computer should keep a copy. Static files (served by
  whitenoise or nginx) keep their long cache lifetimes.
- Every 403 is logged with who, when (UTC) and from where (RefusalLogMiddleware).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy_header(features: tuple[str, ...]) -> str:
    return ", ".join(f"{feature}=()" for feature in features)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(tuple(settings.PERMISSIONS_POLICY))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        if not is_static(request.path):
            response["Cache-Control"] = "no-store"
        return response


def is_static(path: str) -> bool:
    return path.startswith(settings.STATIC_URL)


class RefusalLogMiddleware:
    """Every 403 the app answers is logged, even one no access helper refused (a form from another site,
    a page open too long): signed-in users in the access log and the application log, anonymous
    requests in the application log only, so that nobody can fill the append-only access log without
    signing in. Refusals by the access helpers (403, and 404 for what the user may not see) are logged
    there (incidents.access.log_refusal), once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403 and not getattr(request, "ysi_refusal_logged", False):
            from incidents import access

            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                access.log_refusal(request)
            else:
                access.log_refusal_line(request, status="403")
        return response
