"""Signing in, the second factor, the account page, changing the password, signing out everywhere (issue 7).

Every page here works on the signed-in person's own account only: there is no object to look up,
so `access` is asked only whether the person must pass a second factor.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from incidents import access, qr, reauth
from incidents.forms.accounts import (
    ChangePasswordForm,
    CodeForm,
    ConfirmPasswordForm,
    EnrolmentCodeForm,
    SignInForm,
)
from incidents.models import UserSession
from incidents.services import security

LOCKED_OUT = (
    "Too many unsuccessful sign-ins with this username from this address. For your account's safety, "
    "sign-in is paused for {minutes} minutes: wait, then try again. If you have forgotten your password, "
    "ask your administrator to set a new one."
)


class SignInView(LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True
    template_name = "registration/login.html"


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout page: the sign-in page with one message, the same for a username that
    exists and one that does not (axes counts failures for any name typed)."""
    form = SignInForm(request)
    form.fields["username"].initial = ""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": LOCKED_OUT.format(minutes=minutes), "next": request.POST.get("next", "")},
        status=429,
    )
    response["Cache-Control"] = "no-store"
    return response


def _posted(request: HttpRequest):
    """The form's data on a POST, even an empty one (which then shows its errors); None on a GET."""
    return request.POST if request.method == "POST" else None


def _next_url(request: HttpRequest, default: str = "incidents:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site, never a view name or another host (and nothing a header cannot carry).
    if target.startswith("/") and target.isprintable() and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    from django.urls import reverse

    return reverse(default)


@sensitive_post_parameters("code")
@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator app, or a recovery code (used up)."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not security.has_confirmed_totp(user):
        if access.second_factor_required(user):
            return redirect("accounts:two_factor_setup")
        return redirect(_next_url(request))
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ok, error = security.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if ok:
            left = security.recovery_codes_left(user)
            if left <= 3:
                messages.warning(
                    request,
                    f"You have {left} recovery code{'s' if left != 1 else ''} left. "
                    "Make new ones on your account page.",
                )
            return redirect(_next_url(request))
        form.add_error("code", error)
    return render(
        request,
        "registration/two_factor.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: QR code and the secret as text, then a first code to confirm."""
    user = request.user
    if security.has_confirmed_totp(user):
        # Replacing a working authenticator needs the old one first (and the password: see replace).
        return redirect("accounts:account" if user.is_verified() else "accounts:two_factor")
    device = security.totp_enrolment_device(user)
    form = EnrolmentCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        codes, error = security.totp_enrolment_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            request.session[security.FRESH_RECOVERY_CODES] = codes
            return redirect("accounts:recovery_codes")
        form.add_error("code", error)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_for(device.config_url),
            "secret": qr.spaced(qr.base32_secret(device)),
            "required": access.second_factor_required(user),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes are shown once, straight after they are made; afterwards only how many are left."""
    form = ConfirmPasswordForm(_posted(request))
    codes = request.session.pop(security.FRESH_RECOVERY_CODES, None)
    if request.method == "POST" and _password_confirmed(request, form, purpose="new recovery codes"):
        if not security.has_confirmed_totp(request.user):
            return redirect("accounts:two_factor_setup")
        codes = security.recovery_codes_reissue(request=request)
    response = render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "left": security.recovery_codes_left(request.user), "form": form},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


def _account_page(request: HttpRequest, replace_form: ConfirmPasswordForm | None = None, status: int = 200):
    user = request.user
    return render(
        request,
        "registration/account.html",
        {
            "required": access.second_factor_required(user),
            "has_totp": security.has_confirmed_totp(user),
            "codes_left": security.recovery_codes_left(user),
            "sessions": UserSession.objects.filter(user=user).order_by("-created_at")[:50],
            "current_key": request.session.session_key,
            "signed_in_at": security.signed_in_at(request),
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
            "absolute_hours": f"{settings.SESSION_ABSOLUTE_SECONDS / 3600:g}",
            "replace_form": replace_form or ConfirmPasswordForm(prefix="replace"),
        },
        status=status,
    )


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@sensitive_post_parameters()
@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        ended = security.password_change(request=request, new_password=form.cleaned_data["new_password1"])
        messages.success(
            request,
            "Your password has been changed."
            + (f" You were signed out on {ended} other device{'s' if ended != 1 else ''}." if ended else ""),
        )
        return redirect("accounts:account")
    return render(request, "registration/password_change.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    ended = security.sign_out_everywhere(request=request)
    request.ysi_signout = (security.Kind.SIGNED_OUT, "signed out everywhere")
    logout(request)
    messages.success(
        request,
        "You have been signed out everywhere"
        + (f": this browser and {ended} other{'s' if ended != 1 else ''}." if ended else ".")
    )
    return redirect("login")


@sensitive_post_parameters()
@require_POST
@login_required
def two_factor_replace(request: HttpRequest) -> HttpResponse:
    """Set up a new authenticator (a new phone): the password first, then the set-up page."""
    form = ConfirmPasswordForm(request.POST, prefix="replace")
    if _password_confirmed(request, form, purpose="replace authenticator"):
        security.totp_enrolment_restart(request=request)
        messages.info(request, "Your old authenticator no longer works. Set up the new one now.")
        return redirect("accounts:two_factor_setup")
    return _account_page(request, form, status=400)


def _password_confirmed(request: HttpRequest, form, *, purpose: str) -> bool:
    return reauth.password_confirmed(request, form, purpose=purpose)
