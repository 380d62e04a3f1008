"""Re-authentication: the password asked again before signing off a decision or exporting a PDF.

One mechanism for every sensitive action: the action's form carries a `password` field (see
incidents.forms.accounts.ConfirmPasswordForm), and the view asks `password_confirmed` before it acts.
A wrong password is refused with a clear message, logged (security log and access log), and nothing
is done; after REAUTH_FAILURE_LIMIT wrong passwords in a row the session ends, because whoever is
at the keyboard is probably not the person who signed in.
"""

from django.contrib.auth import logout
from django.forms import Form
from django.http import HttpRequest

from incidents import access
from incidents.models import SecurityEvent
from incidents.services import security

WRONG_PASSWORD = "That is not your password. Nothing has been {done}: enter the password you sign in with."  # noqa: S105 # nosec B105 # a message


class SignedOutForSafety(Exception):
    """Raised after too many wrong passwords; the sign-in middleware turns it into the sign-in page."""


def password_confirmed(
    request: HttpRequest, form: Form, *, purpose: str, done: str = "done", field: str = "password", **refusal
) -> bool:
    """True if the form was posted with the signed-in person's password. Otherwise the form carries the error."""
    if request.method != "POST" or not form.is_valid():
        return False
    if security.confirm_password(request=request, password=form.cleaned_data[field], purpose=purpose):
        return True
    access.log_refusal(request, **refusal)
    if security.reauth_failures(request) >= security.REAUTH_FAILURE_LIMIT:
        request.ysi_signout = (SecurityEvent.Kind.SIGNED_OUT, "too many wrong passwords when asked again")
        logout(request)
        raise SignedOutForSafety
    form.add_error(field, WRONG_PASSWORD.format(done=done))
    return False
