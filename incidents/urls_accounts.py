"""The signed-in person's own account: second factor, password, sessions (issue 7)."""

from django.urls import path

from incidents.views import accounts

app_name = "accounts"

urlpatterns = [
    path("", accounts.account, name="account"),
    path("two-factor/", accounts.two_factor, name="two_factor"),
    path("two-factor/set-up/", accounts.two_factor_setup, name="two_factor_setup"),
    path("two-factor/replace/", accounts.two_factor_replace, name="two_factor_replace"),
    path("two-factor/recovery-codes/", accounts.recovery_codes, name="recovery_codes"),
    path("password/", accounts.password_change, name="password_change"),
    path("sign-out-everywhere/", accounts.sign_out_everywhere, name="sign_out_everywhere"),
]
