from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def imagery_refused(request: HttpRequest, kind: str) -> HttpResponse:
    response = render(request, "imagery_refused.html", {"kind": kind}, status=400)
    response["Cache-Control"] = "no-store"
    return response


def request_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    return render(request, "request_too_large.html", {"limit_kb": limit // 1024}, status=413)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page; a request refused for carrying a file gets the imagery explanation instead."""
    if isinstance(exception, TooManyFilesSent):
        return imagery_refused(request, "a file")
    if isinstance(exception, SessionInterrupted) and request.method == "POST" and request.path == report_path():
        # The session could not be written after the report was handled (the database went away):
        # the report may well be saved, but the reporter must see their text and the resend button.
        return report_kept(request)
    return render(request, "400.html", status=400)


def report_path() -> str:
    from django.urls import reverse

    return reverse("incidents:report")


REPORT_TEXT_FIELDS = ["young_people_named", "what_was_said", "imagery_known", "devices"]


def report_not_sent(request: HttpRequest, *, signed_out: bool) -> HttpResponse:
    """A report that arrived without a valid session or CSRF token: nothing is saved, but the
    reporter gets every word back (escaped by the template) to sign in and send it again."""
    from incidents.forms.disclosures import DisclosureForm

    labels = {name: field.label for name, field in DisclosureForm.base_fields.items()}
    texts = [
        {"name": name, "label": labels[name], "value": request.POST.get(name, "")}
        for name in REPORT_TEXT_FIELDS
        if request.POST.get(name, "").strip()
    ]
    response = render(
        request,
        "incidents/report_not_sent.html",
        {
            "texts": texts,
            "immediate_risk": bool(request.POST.get("immediate_risk")),
            "signed_out": signed_out,
            "login_next": "/report/",
        },
        status=403,
    )
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page open too long (or from another site). For the report form the text
    comes back; elsewhere, a plain explanation."""
    from django.urls import reverse

    user = getattr(request, "user", None)
    signed_out = not (user and user.is_authenticated)
    if request.method == "POST" and request.path == reverse("incidents:report"):
        return report_not_sent(request, signed_out=signed_out)
    return render(request, "csrf_failure.html", {"signed_out": signed_out}, status=403)


# Everything the report form sends, in its order; the "send it again" form carries them back.
REPORT_FIELDS = ["setting", "idempotency_key", "source", "disclosed_at", "young_people_named", "what_was_said",
                 "imagery_known", "devices", "reporter_saw_imagery", "immediate_risk"]


def report_kept(request: HttpRequest) -> HttpResponse:
    """The report form's answer to a server error: the reporter's words, and a button that sends the
    same report again (same idempotency key: if the first one was saved after all, it is not saved twice).
    Rendered without the request's context processors: the database may be what failed."""
    from incidents.forms.disclosures import DisclosureForm

    labels = {name: field.label for name, field in DisclosureForm.base_fields.items()}
    fields = [
        {"name": name, "label": labels[name], "value": request.POST.get(name, ""),
         "shown": name in REPORT_TEXT_FIELDS}
        for name in REPORT_FIELDS
        if name in request.POST
    ]
    html = render_to_string(
        "incidents/report_kept.html",
        {
            "fields": fields,
            "csrf_token_value": request.POST.get("csrfmiddlewaretoken", ""),
            "immediate_risk": bool(request.POST.get("immediate_risk")),
        },
    )
    # 500, not 503: nginx replaces 502-504 with its static page (which cannot hold the text) and
    # would send a 503 on to the other app server, which shares the database that just failed.
    response = HttpResponse(html, status=500)
    response["Cache-Control"] = "no-store"
    return response
