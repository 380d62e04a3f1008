from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def imagery_refused(request: HttpRequest, kind: str) -> HttpResponse:
    response = render(request, "imagery_refused.html", {"kind": kind}, status=400)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page; a request refused for carrying a file gets the imagery explanation instead."""
    if isinstance(exception, TooManyFilesSent):
        return imagery_refused(request, "a file")
    return render(request, "400.html", status=400)
