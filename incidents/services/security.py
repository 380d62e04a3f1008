"""Sign-in security (issue 7): the security log, sessions per user, the second factor, passwords.

Everything here writes a SecurityEvent row and a line on the `ysi.security` logger with the username,
the time (UTC) and the address: never anything about a case.
"""

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from incidents import signin_rules
from incidents.models import SecurityEvent, User, UserSession

logger = logging.getLogger("ysi.security")

Kind = SecurityEvent.Kind

SIGNED_IN_AT = "ysi_signed_in_at"
LAST_SEEN_AT = "ysi_last_seen_at"
# The recovery codes just made, shown once on the next page and then forgotten.
FRESH_RECOVERY_CODES = "ysi_fresh_recovery_codes"
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def _client_ip(request: HttpRequest | None) -> str | None:
    from incidents.access import client_ip

    return client_ip(request) if request is not None else None


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    """Write one event to the table and to the `ysi.security` logger."""
    if user is not None and not username:
        username = user.get_username()
    ip_address = _client_ip(request)
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or "")[:150],
        ip_address=ip_address,
        path=(request.path if request is not None else "")[:500],
        detail=detail[:200],
    )
    logger.info(
        "%s user=%r address=%s at=%s%s",
        kind,
        event.username,
        ip_address or "-",
        event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        f" {detail}" if detail else "",
    )
    return event


# -- Sessions ------------------------------------------------------------------------------


def session_started(*, request: HttpRequest, user: User) -> None:
    """After Django's login (which gave the session a new key): stamp it and remember it is the user's."""
    now = now_ts()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session.save()
    _track(request, user)


def _track(request: HttpRequest, user: User) -> None:
    UserSession.objects.update_or_create(
        session_id=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": _client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


def session_new_key(*, request: HttpRequest, user: User) -> None:
    """A new session key when the person's privileges rise (the second factor passed)."""
    request.session.cycle_key()
    _track(request, user)


def sessions_end(*, user: User, keep_key: str | None = None) -> int:
    """End every session of this user except `keep_key`. Returns how many ended."""
    keys = list(UserSession.objects.filter(user=user).exclude(session_id=keep_key).values_list("session_id", flat=True))
    # Deleting the sessions deletes their UserSession rows with them.
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def sign_out_everywhere(*, request: HttpRequest) -> int:
    """End all the user's sessions, this one included (the caller then signs this browser out)."""
    user = request.user
    ended = sessions_end(user=user, keep_key=request.session.session_key)
    security_event_record(
        kind=Kind.SIGNED_OUT_EVERYWHERE, request=request, user=user, detail=f"{ended + 1} session(s) ended"
    )
    return ended


# -- Passwords ----------------------------------------------------------------------------


def password_change(*, request: HttpRequest, new_password: str) -> int:
    """Set the new password, keep this session signed in, end the user's other sessions."""
    user = request.user
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        update_session_auth_hash(request, user)
        _track(request, user)
        ended = sessions_end(user=user, keep_key=request.session.session_key)
        security_event_record(
            kind=Kind.PASSWORD_CHANGED, request=request, user=user, detail=f"{ended} other session(s) ended"
        )
    return ended


def confirm_password(*, request: HttpRequest, password: str, purpose: str) -> bool:
    """Ask again who is at the keyboard before a sensitive act (signing off, exporting a PDF).

    A wrong password is logged. After REAUTH_FAILURE_LIMIT wrong passwords in a row in one session,
    the session ends: the person at the keyboard is probably not the one who signed in.
    """
    user = request.user
    ok = bool(password) and user.is_authenticated and user.check_password(password)
    failures = request.session.get("ysi_reauth_failures", 0)
    if ok:
        request.session["ysi_reauth_failures"] = 0
        security_event_record(kind=Kind.REAUTH_OK, request=request, user=user, detail=purpose)
        return True
    request.session["ysi_reauth_failures"] = failures + 1
    security_event_record(kind=Kind.REAUTH_FAILED, request=request, user=user, detail=purpose)
    return False


REAUTH_FAILURE_LIMIT = 5


def reauth_failures(request: HttpRequest) -> int:
    return request.session.get("ysi_reauth_failures", 0)


# -- The second factor ----------------------------------------------------------------------


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def totp_enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up (made once, so reloading the page keeps the same secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_enrolment_restart(*, request: HttpRequest) -> None:
    """Throw away the authenticator (and recovery codes) to set up a new one; the user is no longer verified."""
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        request.session.pop(DEVICE_ID_SESSION_KEY, None)


ENROLMENT_CODE_WRONG = (
    "That code is not right. Check the app shows YSI with your username, then enter the 6-digit code it shows now "
    "(codes change every 30 seconds)."
)
TOO_MANY_WRONG_CODES = "Too many wrong codes in a row. Wait a few seconds, then enter the code your app shows now."


def totp_enrolment_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> tuple[list[str] | None, str]:
    """Check the first code from the new authenticator. On success the device is confirmed, the session
    verified (with a new key), the user's other sessions ended and recovery codes issued (returned)."""
    user = request.user
    code = signin_rules.normalise_code(code)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        security_event_record(kind=Kind.SECOND_FACTOR_FAILED, request=request, user=user, detail="throttled")
        return None, TOO_MANY_WRONG_CODES
    if not signin_rules.looks_like_totp(code) or not device.verify_token(code):
        if not signin_rules.looks_like_totp(code):
            device.throttle_increment()
        security_event_record(kind=Kind.SECOND_FACTOR_FAILED, request=request, user=user, detail="set-up code")
        return None, ENROLMENT_CODE_WRONG
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _issue_recovery_codes(user)
        _verified(request, device)
        ended = sessions_end(user=user, keep_key=request.session.session_key)
        security_event_record(
            kind=Kind.SECOND_FACTOR_ENROLLED, request=request, user=user, detail=f"{ended} other session(s) ended"
        )
    return codes, ""


def _issue_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_reissue(*, request: HttpRequest) -> list[str]:
    with transaction.atomic():
        codes = _issue_recovery_codes(request.user)
        security_event_record(kind=Kind.RECOVERY_CODES_ISSUED, request=request, user=request.user)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(*, request: HttpRequest, code: str) -> tuple[bool, str]:
    """Check a code from the authenticator, or a recovery code (used up). Returns (ok, error message)."""
    user = request.user
    code = signin_rules.normalise_code(code)
    if signin_rules.looks_like_totp(code):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
        kind_of_code = "authenticator code"
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        kind_of_code = "recovery code"
    if device is None:
        security_event_record(kind=Kind.SECOND_FACTOR_FAILED, request=request, user=user, detail=kind_of_code)
        return False, "That code is not right. Enter the 6-digit code your authenticator app shows now."
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            security_event_record(kind=Kind.SECOND_FACTOR_FAILED, request=request, user=user, detail="throttled")
            return False, TOO_MANY_WRONG_CODES
        if not device.verify_token(code):
            security_event_record(kind=Kind.SECOND_FACTOR_FAILED, request=request, user=user, detail=kind_of_code)
            return False, (
                "That code is not right, or it has been used already. Enter the 6-digit code your authenticator "
                "app shows now, or one of your recovery codes."
            )
        _verified(request, device)
        if isinstance(device, StaticDevice):
            security_event_record(
                kind=Kind.RECOVERY_CODE_USED, request=request, user=user,
                detail=f"{recovery_codes_left(user)} recovery code(s) left",
            )
        else:
            security_event_record(kind=Kind.SECOND_FACTOR_OK, request=request, user=user)
    return True, ""


def _verified(request: HttpRequest, device) -> None:
    session_new_key(request=request, user=request.user)
    otp_login(request, device)
    request.session[SIGNED_IN_AT] = request.session.get(SIGNED_IN_AT) or now_ts()


def signed_in_at(request: HttpRequest) -> datetime | None:
    value = request.session.get(SIGNED_IN_AT)
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def session_limits() -> signin_rules.SessionLimits:
    return signin_rules.SessionLimits(
        idle_seconds=settings.SESSION_IDLE_SECONDS, absolute_seconds=settings.SESSION_ABSOLUTE_SECONDS
    )


def now_ts() -> float:
    """Seconds since the epoch, by the clock the session backend uses for expiry."""
    return timezone.now().timestamp()
