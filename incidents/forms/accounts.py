"""Sign-in, the second factor and the account page (issue 7)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

SIGN_IN_REFUSED = (
    "The username or password is not right. Check them and try again: both are case-sensitive."
)


class SignInForm(AuthenticationForm):
    """The same message for a wrong password, an unknown username and a disabled account."""

    error_messages = {"invalid_login": SIGN_IN_REFUSED, "inactive": SIGN_IN_REFUSED}


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        error_messages={"required": "Enter the code from your authenticator app, or a recovery code."},
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="After adding YSI to the app, type the 6-digit code it shows.",
        error_messages={"required": "Enter the 6-digit code your authenticator app shows."},
    )


class ConfirmPasswordForm(forms.Form):
    """Asked again before a sensitive act: signing off a decision, exporting a PDF, changing the second factor."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Enter your password again, so that we know it is you.",
        error_messages={"required": "Enter your password."},
    )


class ChangePasswordForm(PasswordChangeForm):
    pass
