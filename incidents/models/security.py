from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone


class SecurityEvent(models.Model):
    """A sign-in, a failure, a lockout, a second factor, a password change: who, when (UTC) and from where.

    Never case content. Append-only: database triggers refuse UPDATE and DELETE, so nobody who can
    reach the database through the app (a DSL, an auditor, an administrator) can tidy it up.
    """

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in with password"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out after repeated failures"
        SIGNED_OUT = "signed_out", "Signed out"
        SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere"
        SESSION_EXPIRED = "session_expired", "Session ended by its time limit"
        SECOND_FACTOR_OK = "second_factor_ok", "Second factor accepted"
        SECOND_FACTOR_FAILED = "second_factor_failed", "Second factor refused"
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", "Authenticator set up"
        RECOVERY_CODES_ISSUED = "recovery_codes_issued", "New recovery codes issued"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        REAUTH_OK = "reauth_ok", "Password confirmed again"
        REAUTH_FAILED = "reauth_failed", "Password confirmation refused"

    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # What was typed as the username (a failed sign-in may name nobody who exists).
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "-at"], name="securityevent_user_at"),
            models.Index(fields=["kind", "-at"], name="securityevent_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or self.user_id} {self.get_kind_display()}"


class UserSession(models.Model):
    """One signed-in session of a user, so that all of them can be ended at once.

    The row goes with its session: Django deletes it when the session is deleted (sign-out, expiry
    cleared by `clearsessions`, a new key at sign-in), so the table holds live sessions only and
    ending a user's sessions is one indexed lookup, however many sessions the site has.
    """

    session = models.OneToOneField(Session, on_delete=models.CASCADE, primary_key=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions")
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="usersession_user_created")]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"
