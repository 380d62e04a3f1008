"""Who must pass a second factor, and when a session has lasted long enough. Plain Python, no Django.

The safeguarding team, headteachers and auditors read case records about children: their sign-in
always asks for a code from an authenticator app. Staff who only report a concern may use their
password alone, unless their setting asks everyone for a second factor, or they chose to set one up.
"""

from collections.abc import Iterable
from dataclasses import dataclass

DSL = "dsl"
DEPUTY = "deputy"
HEADTEACHER = "headteacher"
AUDITOR = "auditor"
STAFF = "staff"

ROLES_REQUIRING_SECOND_FACTOR = frozenset({DSL, DEPUTY, HEADTEACHER, AUDITOR})

IDLE = "idle"
ABSOLUTE = "absolute"
UNKNOWN_START = "unknown_start"

END_MESSAGES = {
    IDLE: "You were signed out because nothing happened for {idle_minutes} minutes. Sign in again to carry on.",
    ABSOLUTE: "You were signed out because you had been signed in for {absolute_hours} hours. Sign in again to "
    "carry on.",
    UNKNOWN_START: "Your session had ended. Sign in again to carry on.",
}


def second_factor_required(
    *,
    roles: Iterable[str],
    setting_requires_everyone: bool,
    has_confirmed_device: bool,
    is_superuser: bool = False,
) -> bool:
    """True if this person's sign-in must be completed with a code.

    A superuser sets up accounts and roles in the admin, which is more than any role can do. A person
    who set up an authenticator of their own accord is asked for it too: otherwise their second
    factor would protect nothing.
    """
    if role_requires_second_factor(roles, is_superuser=is_superuser):
        return True
    if setting_requires_everyone:
        return True
    return has_confirmed_device


def role_requires_second_factor(roles: Iterable[str], *, is_superuser: bool = False) -> bool:
    return is_superuser or bool(ROLES_REQUIRING_SECOND_FACTOR.intersection(roles))


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int
    absolute_seconds: int


def session_end_reason(
    *, now: float, signed_in_at: float | None, last_seen_at: float | None, limits: SessionLimits
) -> str | None:
    """Why a signed-in session must end now (IDLE, ABSOLUTE, UNKNOWN_START), or None if it may go on.

    Times are seconds since the epoch. A session without a sign-in time was not started by a sign-in
    this app recorded (or predates the limit), so it cannot be shown to be within the absolute limit.
    """
    if signed_in_at is None:
        return UNKNOWN_START
    if now - signed_in_at >= limits.absolute_seconds:
        return ABSOLUTE
    if last_seen_at is not None and now - last_seen_at >= limits.idle_seconds:
        return IDLE
    return None


def seconds_left(*, now: float, signed_in_at: float, limits: SessionLimits) -> int:
    """How long the session can last with no further request: the idle limit, or less near the absolute one."""
    return max(0, int(min(limits.idle_seconds, limits.absolute_seconds - (now - signed_in_at))))


def end_message(reason: str, limits: SessionLimits) -> str:
    return END_MESSAGES[reason].format(
        idle_minutes=limits.idle_seconds // 60, absolute_hours=round(limits.absolute_seconds / 3600, 1)
    ).replace(".0 hours", " hours")


def looks_like_totp(code: str, digits: int = 6) -> bool:
    """An authenticator's code is digits only; a recovery code has letters in it."""
    return len(code) == digits and code.isdigit()


def normalise_code(code: str) -> str:
    """People type codes with spaces or dashes (and recovery codes in capitals)."""
    return "".join(ch for ch in code if ch.isalnum()).lower()
