from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from incidents import access
from incidents.services.outbox import outbox_retry


@login_required
@require_POST
def outbox_retry_view(request: HttpRequest, code: str) -> HttpResponse:
    email = access.get_outbox_email_for_user(request, code)
    try:
        outbox_retry(actor=request.user, email=email)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{email.subject}” will be sent again in the next few seconds.")
    return redirect("incidents:dashboard")
