"""Who must pass a second factor, and when a session has lasted long enough. Plain Python, no Django.

The safeguarding team, headteachers and auditors read case records about children: their sign-in
always asks for a code from an authenticator app. Staff who only report a concern may use their
password alone, unless their setting asks everyone for a second factor, or they chose to set one up.
"""

import math
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

    @property
    def touch_seconds(self) -> int:
        """How often a busy session records its latest activity: a tenth of the idle limit, at most a minute."""
        return max(1, min(60, self.idle_seconds // 10))


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


def touch_due(*, now: float, last_seen_at: float | None, limits: SessionLimits) -> bool:
    """Whether this request is recorded as the session's latest activity.

    Recording it rewrites the session row, so a busy session does it once per `touch_seconds`, not on
    every request. The idle limit then counts from up to that long before the real last request: an
    idle session can end up to a minute early, never late.
    """
    return last_seen_at is None or now - last_seen_at >= limits.touch_seconds


def seconds_left(
    *, now: float, signed_in_at: float, limits: SessionLimits, last_seen_at: float | None = None
) -> int:
    """How long the session can last with no further request: what is left of the idle limit since the
    activity last recorded, or less near the absolute limit."""
    idle_left = limits.idle_seconds - (now - last_seen_at) if last_seen_at is not None else limits.idle_seconds
    return max(0, math.ceil(min(idle_left, limits.absolute_seconds - (now - signed_in_at))))


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
