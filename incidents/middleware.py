"""Refuse imagery before anything else reads the request.

Any request that carries a file, declares itself an image or video, or holds image or video
bytes in a text field (raw, base64 or as a data: address) gets the explanation page with status
400. Nothing of it is stored: the body is only read into memory to be checked, files are refused
by Django's parser before any upload handler sees them (DATA_UPLOAD_MAX_NUMBER_FILES = 0), and
the refusal is logged without content.
"""

import logging
from io import BytesIO

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError

from incidents import imagery
from incidents.views.errors import imagery_refused, report_kept, report_path, request_too_large

logger = logging.getLogger("ysi.imagery")
logger_reports = logging.getLogger("ysi.disclosures")

A_FILE = "a file"


class RefuseOversizedMiddleware:
    """Refuse a request whose body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE before reading any of it.

    Django would refuse it too, but only when a view reads the form, and with a bare 400. Here it is
    413 with a page that says what happened and that the typed text is still in the form (Back).
    nginx caps bodies at the same size in production (deploy/nginx/ysi-site.conf).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        length = content_length(request)
        if limit is not None and length > limit:
            logger.warning("Refused a %s request to %s: its body was %d bytes, over the limit of %d. Nothing was read.",
                           request.method, request.path, length, limit)
            return request_too_large(request, limit)
        return self.get_response(request)


def content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RefuseImageryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        kind = imagery_in(request)
        if kind:
            logger.warning("Refused a %s request to %s: it carried %s. Nothing was stored.", request.method,
                           request.path, kind)
            return imagery_refused(request, kind)
        return self.get_response(request)


def imagery_in(request: HttpRequest) -> str | None:
    content_type = (request.content_type or "").lower()
    if content_type.startswith(("image/", "video/")):
        return "an image or video"
    for values in request.GET.lists():
        for value in values[1]:
            if kind := imagery.detect_text(value):
                return kind
    if content_length(request) <= 0:
        return None
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE never gets here: RefuseOversizedMiddleware refused it.
    if content_type.startswith("multipart/"):
        return _multipart(request)
    body = request.body
    if content_type == "application/x-www-form-urlencoded":
        return imagery.detect_in_form_body(body)
    return imagery.detect_in_body(body)


def _multipart(request: HttpRequest) -> str | None:
    body = request.body
    try:
        # The app's own forms are never multipart; the parser stops at the first file part, before
        # any upload handler sees it, because DATA_UPLOAD_MAX_NUMBER_FILES is 0.
        MultiPartParser(request.META, BytesIO(body), [], request.encoding).parse()
    except TooManyFilesSent:
        return A_FILE
    except MultiPartParserError:
        return None  # malformed: Django refuses it with a 400 when the view reads it
    boundary = request.content_params.get("boundary", "")
    return imagery.detect_in_multipart_body(body, boundary.encode("latin-1", errors="replace")) if boundary else None


class KeepReportOnServerErrorMiddleware:
    """A report that meets a server error anywhere (the database restarting while the session is
    read, the report saved or the session written) comes back to its reporter with every word and a
    button that sends it again with the same idempotency key, so it can never be saved twice.

    It sits outside the session middleware so that it sees errors there too, and it renders without
    the request (no context processors), because the database may be the thing that is down.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 500 and request.method == "POST" and request.path == report_path():
            logger_reports.error("A report met a server error (%s); its text was shown back to the reporter.",
                                 response.status_code)
            return report_kept(request)
        return response
