"""A DSL's first sign-in sets up the authenticator; the next one asks for a code (issue 7)."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import check_page, sign_out, visit
from tests.signin import next_code

pytestmark = pytest.mark.django_db(transaction=True)


def password_step(page, live_server, username, password):
    visit(page, f"{live_server.url}/accounts/login/", "sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def test_a_dsl_sets_up_the_second_factor_then_signs_in_with_a_code(page, live_server, dsl, password):
    password_step(page, live_server, dsl.username, password)
    assert "/accounts/two-factor/set-up/" in page.url
    check_page(page, "two-factor-set-up")
    assert page.locator("svg.qr-code").count() == 1
    # Typed by hand, as someone without a camera would.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    code = str(totp(b32decode(secret))).zfill(6)
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_load_state("load")
    check_page(page, "recovery-codes")
    codes = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_load_state("load")
    check_page(page, "dashboard-after-set-up")
    assert page.get_by_role("link", name="Dashboard").count() == 1

    visit(page, f"{live_server.url}/accounts/two-factor/recovery-codes/", "recovery-codes-later")
    assert not any(page.get_by_text(c).count() for c in codes)
    sign_out(page)

    password_step(page, live_server, dsl.username, password)
    assert "/accounts/two-factor/" in page.url
    check_page(page, "two-factor")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    check_page(page, "two-factor-wrong-code")
    summary = page.get_by_role("alert")
    assert "That code is not right" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_code"

    time.sleep(1.1)  # a wrong code slows the next attempt down by a second
    device = TOTPDevice.objects.get(user=dsl, confirmed=True)
    page.get_by_label("Code").fill(next_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")
    check_page(page, "signed-in-with-code")
    assert "/accounts/" not in page.url

    visit(page, f"{live_server.url}/accounts/", "your-account")
    assert page.get_by_role("button", name="Sign out everywhere").count() == 1
    visit(page, f"{live_server.url}/accounts/password/", "change-password")
