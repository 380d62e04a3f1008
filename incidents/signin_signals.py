"""Sign-in events from Django and django-axes, written to the security log.

These are the framework's own hooks for authentication: they catch every way in (the sign-in page,
the admin's sign-in, a test's force_login) where a view-level call would miss some. The receivers
only pass the event to incidents.services.security.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from incidents.models import SecurityEvent
from incidents.services import security


@receiver(user_logged_in, dispatch_uid="ysi_signed_in")
def signed_in(sender, request, user, **kwargs):
    security.session_started(request=request, user=user)
    security.security_event_record(kind=SecurityEvent.Kind.SIGNED_IN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="ysi_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    detail = "locked out" if request is not None and getattr(request, "axes_locked_out", False) else ""
    security.security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED, request=request, username=username, detail=detail
    )


@receiver(user_locked_out, dispatch_uid="ysi_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    security.security_event_record(kind=SecurityEvent.Kind.LOCKED_OUT, request=request, username=username or "")


@receiver(user_logged_out, dispatch_uid="ysi_signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    kind, detail = getattr(request, "ysi_signout", (SecurityEvent.Kind.SIGNED_OUT, ""))
    security.security_event_record(kind=kind, request=request, user=user, detail=detail)
