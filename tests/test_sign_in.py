"""Sign-in security (issue 7): passwords, lockout, sessions, the second factor, the security log."""

import importlib
import logging
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from incidents import signin_rules
from incidents.models import Disclosure, SecurityEvent, UserSession
from incidents.services import security
from tests.signin import next_code, sign_in_client, totp_device

LOGIN = "/accounts/login/"
SCHOOL_ADDRESS = "203.0.113.10"
HOME_ADDRESS = "198.51.100.20"
Kind = SecurityEvent.Kind


def post_login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def page_text(response) -> str:
    """The page without its CSRF tokens, which differ on every response."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# -- Passwords ------------------------------------------------------------------------------


class TestPasswords:
    def test_argon2_is_the_first_hasher_in_the_real_settings(self):
        import ysi.settings

        assert ysi.settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

    def test_a_password_is_stored_as_argon2id(self, settings, staff):
        import ysi.settings

        settings.PASSWORD_HASHERS = ysi.settings.PASSWORD_HASHERS
        staff.set_password("a long enough passphrase")
        assert staff.password.startswith("argon2$argon2id$")
        assert staff.check_password("a long enough passphrase")

    def test_an_old_hash_is_upgraded_to_argon2_at_sign_in(self, settings, staff):
        import ysi.settings

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
        staff.set_password("a long enough passphrase")
        staff.save()
        settings.PASSWORD_HASHERS = ysi.settings.PASSWORD_HASHERS
        assert post_login(client_at(SCHOOL_ADDRESS), "sam", "a long enough passphrase").status_code == 302
        staff.refresh_from_db()
        assert staff.password.startswith("argon2$")

    @pytest.mark.parametrize(
        "password, message",
        [
            ("short-pass1", "at least 12 characters"),
            ("password1234", "too common"),
            ("839201748593", "entirely numeric"),
        ],
    )
    def test_weak_passwords_are_refused(self, staff, password, message):
        with pytest.raises(ValidationError, match=message):
            validate_password(password, staff)


# -- Lockout ------------------------------------------------------------------------------


class TestLockout:
    def fail(self, client, username, times=10):
        for _ in range(times):
            response = post_login(client, username, "not-the-password")
        return response

    def test_ten_failures_lock_that_username_from_that_address(self, staff, password):
        school = client_at(SCHOOL_ADDRESS)
        responses = [post_login(school, "sam", "wrong-password-x") for _ in range(9)]
        assert all(r.status_code == 200 for r in responses)
        assert post_login(school, "sam", "wrong-password-x").status_code == 429
        # Now even the right password is refused, with the lockout message.
        response = post_login(school, "sam", password)
        assert response.status_code == 429
        assert "sign-in is paused for 15 minutes" in response.text
        assert "_auth_user_id" not in school.session

    def test_another_user_at_the_same_address_can_still_sign_in(self, staff, trusted_teacher, password):
        school = client_at(SCHOOL_ADDRESS)
        self.fail(school, "sam")
        assert post_login(client_at(SCHOOL_ADDRESS), "tess", password).status_code == 302

    def test_the_same_username_from_another_address_can_still_sign_in(self, staff, password):
        self.fail(client_at(SCHOOL_ADDRESS), "sam")
        assert post_login(client_at(HOME_ADDRESS), "sam", password).status_code == 302

    def test_an_unknown_username_gets_the_same_answers_as_a_real_one(self, staff):
        real, unknown = client_at(SCHOOL_ADDRESS), client_at(SCHOOL_ADDRESS)
        first_real = post_login(real, "sam", "wrong-password-x")
        first_unknown = post_login(unknown, "nobody-here", "wrong-password-x")
        assert first_real.status_code == first_unknown.status_code == 200
        assert page_text(first_real).replace('value="sam"', 'value="X"') == page_text(first_unknown).replace(
            'value="nobody-here"', 'value="X"'
        )
        assert "The username or password is not right." in first_real.text
        locked_real = self.fail(real, "sam", 9)
        locked_unknown = self.fail(unknown, "nobody-here", 9)
        assert locked_real.status_code == locked_unknown.status_code == 429
        assert page_text(locked_real) == page_text(locked_unknown)

    def test_the_cool_off_is_about_fifteen_minutes(self, settings):
        assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
        assert settings.AXES_FAILURE_LIMIT == 10
        assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]

    def test_behind_the_proxy_the_forwarded_address_is_the_one_locked(self, settings, staff, password):
        settings.TRUSTED_PROXIES = frozenset({"127.0.0.1"})
        via_proxy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=SCHOOL_ADDRESS)
        self.fail(via_proxy, "sam")
        assert AccessAttempt.objects.get(username="sam").ip_address == SCHOOL_ADDRESS
        other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=HOME_ADDRESS)
        assert post_login(other, "sam", password).status_code == 302

    def test_a_forged_forwarded_address_from_outside_is_ignored(self, settings, staff, password):
        settings.TRUSTED_PROXIES = frozenset({"127.0.0.1"})
        # An attacker rotating X-Forwarded-For does not escape the lockout of their real address.
        for n in range(10):
            post_login(Client(REMOTE_ADDR=SCHOOL_ADDRESS, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"), "sam", "wrong-pass-x")
        assert post_login(Client(REMOTE_ADDR=SCHOOL_ADDRESS, HTTP_X_FORWARDED_FOR="10.9.9.9"), "sam",
                          password).status_code == 429


# -- Sessions -----------------------------------------------------------------------------


class TestSessions:
    def test_signing_in_gives_a_new_session_key(self, staff, password):
        client = client_at(SCHOOL_ADDRESS)
        before = client.session
        before["something"] = "from before signing in"
        before.save()
        client.cookies["sessionid"] = before.session_key
        assert post_login(client, "sam", password).status_code == 302
        after = client.cookies["sessionid"].value
        assert after != before.session_key
        assert not Session.objects.filter(session_key=before.session_key).exists()
        assert UserSession.objects.filter(session_id=after, user=staff, ip_address=SCHOOL_ADDRESS).exists()

    def test_the_cookie_ends_when_the_browser_closes(self, staff, password):
        client = client_at(SCHOOL_ADDRESS)
        post_login(client, "sam", password)
        cookie = client.cookies["sessionid"]
        assert cookie["expires"] == "" and cookie["max-age"] == ""

    def test_the_limits_come_from_the_environment(self, monkeypatch):
        import ysi.settings

        monkeypatch.setenv("SESSION_IDLE_SECONDS", "600")
        monkeypatch.setenv("SESSION_ABSOLUTE_SECONDS", "7200")
        try:
            reloaded = importlib.reload(ysi.settings)
            assert (reloaded.SESSION_IDLE_SECONDS, reloaded.SESSION_ABSOLUTE_SECONDS) == (600, 7200)
            assert reloaded.SESSION_COOKIE_AGE == 600
        finally:
            monkeypatch.delenv("SESSION_IDLE_SECONDS")
            monkeypatch.delenv("SESSION_ABSOLUTE_SECONDS")
            reloaded = importlib.reload(ysi.settings)
        assert (reloaded.SESSION_IDLE_SECONDS, reloaded.SESSION_ABSOLUTE_SECONDS) == (1800, 36000)

    def _age(self, client, **stamps):
        session = client.session
        for key, seconds_ago in stamps.items():
            session[key] = time.time() - seconds_ago
        session.save()

    def test_thirty_minutes_idle_signs_out_with_a_reason(self, client_for, staff):
        client = client_for(staff)
        self._age(client, ysi_last_seen_at=29 * 60)
        assert client.get("/welcome/").status_code == 200
        self._age(client, ysi_last_seen_at=30 * 60 + 1)
        response = client.get("/welcome/", follow=True)
        assert response.redirect_chain[0][0].startswith("/accounts/login/")
        assert "nothing happened for 30 minutes" in response.text
        assert SecurityEvent.objects.filter(kind=Kind.SESSION_EXPIRED, user=staff, detail="idle").exists()

    def test_a_busy_session_is_written_once_a_minute_not_on_every_page(self, client_for, staff):
        from django.contrib.sessions.models import Session
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for(staff)
        self._age(client, ysi_last_seen_at=5)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/welcome/").status_code == 200
        session_writes = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"')]
        assert not session_writes
        assert time.time() - client.session["ysi_last_seen_at"] >= 5
        self._age(client, ysi_last_seen_at=61)
        expiry_before = Session.objects.get(session_key=client.session.session_key).expire_date
        assert client.get("/welcome/").status_code == 200
        assert time.time() - client.session["ysi_last_seen_at"] < 5
        assert Session.objects.get(session_key=client.session.session_key).expire_date > expiry_before

    def test_ten_hours_after_signing_in_the_session_ends_however_busy(self, client_for, staff):
        client = client_for(staff)
        self._age(client, ysi_signed_in_at=10 * 3600 - 60, ysi_last_seen_at=1)
        assert client.get("/welcome/").status_code == 200
        self._age(client, ysi_signed_in_at=10 * 3600 + 1, ysi_last_seen_at=1)
        response = client.get("/welcome/", follow=True)
        assert "signed in for 10 hours" in response.text
        assert "_auth_user_id" not in client.session

    def test_a_report_sent_after_the_limit_comes_back_and_is_not_saved(self, client_for, staff, oakfield):
        client = client_for(staff)
        self._age(client, ysi_signed_in_at=11 * 3600)
        response = client.post("/report/", {"setting": oakfield.pk, "what_was_said": "Words to keep <b>safe</b>."})
        assert response.status_code == 403
        assert "Words to keep &lt;b&gt;safe&lt;/b&gt;." in response.text
        assert not Disclosure.objects.exists()

    def test_the_idle_warning_on_the_report_form_uses_the_idle_limit(self, client_for, staff, settings):
        settings.SESSION_IDLE_SECONDS = settings.SESSION_COOKIE_AGE = 20 * 60
        response = client_for(staff).get("/report/")
        assert 'data-idle-seconds="1200"' in response.text
        assert "after 20 minutes" in response.text

    def test_signing_out_everywhere_ends_every_session_of_the_user(self, staff, dsl, password):
        phone, laptop, colleague = client_at(HOME_ADDRESS), client_at(SCHOOL_ADDRESS), client_at(SCHOOL_ADDRESS)
        sign_in_client(phone, staff)
        sign_in_client(laptop, staff)
        sign_in_client(colleague, dsl)
        response = laptop.post(reverse("accounts:sign_out_everywhere"), follow=True)
        assert "signed out everywhere" in response.text
        for client in (phone, laptop):
            assert client.get("/welcome/").status_code == 302
        assert colleague.get("/dashboard/").status_code == 200
        assert not UserSession.objects.filter(user=staff).exists()
        assert SecurityEvent.objects.filter(kind=Kind.SIGNED_OUT_EVERYWHERE, user=staff).exists()

    def test_changing_the_password_ends_the_other_sessions_only(self, staff, password):
        here, elsewhere = client_at(SCHOOL_ADDRESS), client_at(HOME_ADDRESS)
        sign_in_client(here, staff)
        sign_in_client(elsewhere, staff)
        new = "a brand new passphrase 2027"
        response = here.post(
            reverse("accounts:password_change"),
            {"old_password": password, "new_password1": new, "new_password2": new},
            follow=True,
        )
        assert "Your password has been changed. You were signed out on 1 other device." in response.text
        assert here.get("/welcome/").status_code == 200
        assert elsewhere.get("/welcome/").status_code == 302
        staff.refresh_from_db()
        assert staff.check_password(new)
        assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=staff).exists()

    def test_a_short_new_password_is_refused_and_nothing_changes(self, client_for, staff, password):
        response = client_for(staff).post(
            reverse("accounts:password_change"),
            {"old_password": password, "new_password1": "short-pw", "new_password2": "short-pw"},
        )
        assert response.status_code == 400
        assert "at least 12 characters" in response.text
        staff.refresh_from_db()
        assert staff.check_password(password)


class TestSessionRules:
    limits = signin_rules.SessionLimits(idle_seconds=1800, absolute_seconds=36000)

    def reason(self, signed_in_ago, last_seen_ago):
        now = 1_000_000.0
        return signin_rules.session_end_reason(
            now=now, signed_in_at=now - signed_in_ago, last_seen_at=now - last_seen_ago, limits=self.limits
        )

    def test_the_rules(self):
        assert self.reason(100, 10) is None
        assert self.reason(3600, 1799) is None
        assert self.reason(3600, 1800) == signin_rules.IDLE
        assert self.reason(36000, 1) == signin_rules.ABSOLUTE
        assert signin_rules.session_end_reason(
            now=1.0, signed_in_at=None, last_seen_at=None, limits=self.limits
        ) == signin_rules.UNKNOWN_START

    def test_seconds_left_shrink_near_the_absolute_limit(self):
        assert signin_rules.seconds_left(now=1000.0, signed_in_at=0.0, limits=self.limits) == 1800
        assert signin_rules.seconds_left(now=35000.0, signed_in_at=0.0, limits=self.limits) == 1000

    def test_seconds_left_count_from_the_activity_last_recorded(self):
        # Recorded 40 s ago (within the touch interval, so this request did not record itself).
        assert signin_rules.seconds_left(now=1000.0, signed_in_at=0.0, last_seen_at=960.0, limits=self.limits) == 1760

    def test_activity_is_recorded_at_most_once_a_minute_or_a_tenth_of_a_short_idle_limit(self):
        assert self.limits.touch_seconds == 60
        assert signin_rules.touch_due(now=100.0, last_seen_at=None, limits=self.limits)
        assert not signin_rules.touch_due(now=159.0, last_seen_at=100.0, limits=self.limits)
        assert signin_rules.touch_due(now=160.0, last_seen_at=100.0, limits=self.limits)
        short = signin_rules.SessionLimits(idle_seconds=12, absolute_seconds=3600)
        assert short.touch_seconds == 1

    @pytest.mark.parametrize(
        "roles, everyone, device, superuser, needed",
        [
            (["staff"], False, False, False, False),
            (["staff"], True, False, False, True),
            (["staff"], False, True, False, True),
            (["dsl"], False, False, False, True),
            (["deputy"], False, False, False, True),
            (["headteacher"], False, False, False, True),
            (["auditor"], False, False, False, True),
            (["staff", "auditor"], False, False, False, True),
            ([], False, False, True, True),
        ],
    )
    def test_who_needs_a_second_factor(self, roles, everyone, device, superuser, needed):
        assert (
            signin_rules.second_factor_required(
                roles=roles, setting_requires_everyone=everyone, has_confirmed_device=device, is_superuser=superuser
            )
            is needed
        )


# -- The second factor ------------------------------------------------------------------------


def secret_code(key_hex: str, offset: int = 0) -> str:
    from binascii import unhexlify

    t = int(time.time() // 30) + offset
    return str(hotp(unhexlify(key_hex), t)).zfill(6)


@pytest.fixture
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


class TestEnrolment:
    def test_a_dsl_after_the_password_reaches_only_the_set_up_page(self, dsl, password, oakfield):
        client = client_at(SCHOOL_ADDRESS)
        response = post_login(client, "dana", password)
        assert response.status_code == 302
        for url in ("/", "/dashboard/", "/incidents/", "/report/", reverse("accounts:account"), "/admin/"):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("accounts:two_factor_setup")), url
        # A report posted now is given back, not saved and not lost.
        response = client.post("/report/", {"setting": oakfield.pk, "what_was_said": "Kept words"})
        assert response.status_code == 403 and "Kept words" in response.text
        assert not Disclosure.objects.exists()
        # Signing out still works.
        assert client.post(reverse("logout")).status_code == 302

    def test_enrolment_shows_a_local_qr_code_and_the_secret_then_recovery_codes_once(self, dsl, password, no_throttle):
        client = client_at(SCHOOL_ADDRESS)
        post_login(client, "dana", password)
        page = client.get(reverse("accounts:two_factor_setup"))
        assert page.status_code == 200
        assert "<svg" in page.text and "http" not in page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
        device = TOTPDevice.objects.get(user=dsl, confirmed=False)
        from incidents.qr import base32_secret, spaced

        assert spaced(base32_secret(device)) in page.text
        # Reloading keeps the same secret (the app may already hold it).
        client.get(reverse("accounts:two_factor_setup"))
        assert TOTPDevice.objects.filter(user=dsl).count() == 1

        wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
        assert wrong.status_code == 400 and "That code is not right" in wrong.text
        device.refresh_from_db()
        assert not device.confirmed

        key_before = client.session.session_key
        response = client.post(reverse("accounts:two_factor_setup"), {"code": next_code(device)})
        assert response.url == reverse("accounts:recovery_codes")
        assert client.session.session_key != key_before
        codes_page = client.get(reverse("accounts:recovery_codes"))
        codes = list(StaticToken.objects.filter(device__user=dsl).values_list("token", flat=True))
        assert len(codes) == 10 and all(code in codes_page.text for code in codes)
        again = client.get(reverse("accounts:recovery_codes"))
        assert not any(code in again.text for code in codes)
        assert "You have 10 unused recovery codes" in again.text
        assert client.get("/dashboard/").status_code == 200
        assert SecurityEvent.objects.filter(kind=Kind.SECOND_FACTOR_ENROLLED, user=dsl).exists()

    def test_staff_who_only_report_may_use_their_password_alone(self, staff, password):
        client = client_at(SCHOOL_ADDRESS)
        post_login(client, "sam", password)
        assert client.get("/report/").status_code == 200

    def test_a_setting_can_ask_everyone_for_a_second_factor(self, staff, password, oakfield):
        oakfield.two_factor_for_everyone = True
        oakfield.save()
        client = client_at(SCHOOL_ADDRESS)
        post_login(client, "sam", password)
        response = client.get("/report/")
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor_setup"))

    def test_the_set_up_page_cannot_replace_a_working_authenticator(self, dsl, password):
        totp_device(dsl)
        client = client_at(SCHOOL_ADDRESS)
        post_login(client, "dana", password)
        response = client.get(reverse("accounts:two_factor_setup"))
        assert response.url == reverse("accounts:two_factor")
        assert TOTPDevice.objects.filter(user=dsl).count() == 1


class TestEverySignIn:
    @pytest.fixture
    def enrolled(self, dsl):
        return totp_device(dsl)

    def signed_in_with_password(self, username, password):
        client = client_at(SCHOOL_ADDRESS)
        response = post_login(client, username, password)
        assert response.status_code == 302
        return client

    def test_the_code_is_asked_after_the_password_and_opens_the_app(self, enrolled, password):
        client = self.signed_in_with_password("dana", password)
        response = client.get("/dashboard/")
        assert response.url == reverse("accounts:two_factor") + "?next=%2Fdashboard%2F"
        response = client.post(
            reverse("accounts:two_factor"), {"code": next_code(enrolled), "next": "/dashboard/"}
        )
        assert response.url == "/dashboard/"
        assert client.get("/dashboard/").status_code == 200

    def test_a_wrong_code_is_refused_with_a_clear_error(self, enrolled, password):
        client = self.signed_in_with_password("dana", password)
        response = client.post(reverse("accounts:two_factor"), {"code": "123 456"})
        assert response.status_code == 400
        assert "That code is not right" in response.text
        assert 'class="error-summary"' in response.text
        assert client.get("/dashboard/").status_code == 302

    def test_a_code_used_once_is_refused_the_second_time(self, enrolled, password, no_throttle):
        code = next_code(enrolled)
        first = self.signed_in_with_password("dana", password)
        assert first.post(reverse("accounts:two_factor"), {"code": code}).status_code == 302
        enrolled.refresh_from_db()
        assert enrolled.last_t >= 0
        second = self.signed_in_with_password("dana", password)
        response = second.post(reverse("accounts:two_factor"), {"code": code})
        assert response.status_code == 400
        assert "used already" in response.text
        assert second.get("/dashboard/").status_code == 302

    def test_repeated_wrong_codes_are_slowed_down(self, enrolled, password):
        client = self.signed_in_with_password("dana", password)
        client.post(reverse("accounts:two_factor"), {"code": "000000"})
        client.post(reverse("accounts:two_factor"), {"code": "000001"})
        response = client.post(reverse("accounts:two_factor"), {"code": next_code(enrolled)})
        assert response.status_code == 400
        assert "Too many wrong codes in a row" in response.text

    def test_a_recovery_code_works_once(self, dsl, enrolled, password, no_throttle):
        client = sign_in_client(client_at(SCHOOL_ADDRESS), dsl)
        codes = security.recovery_codes_reissue(request=_request_for(client, dsl))
        first = self.signed_in_with_password("dana", password)
        assert first.post(reverse("accounts:two_factor"), {"code": codes[0].upper()}).status_code == 302
        assert first.get("/dashboard/").status_code == 200
        second = self.signed_in_with_password("dana", password)
        assert second.post(reverse("accounts:two_factor"), {"code": codes[0]}).status_code == 400
        assert StaticToken.objects.filter(device__user=dsl).count() == 9
        assert SecurityEvent.objects.filter(kind=Kind.RECOVERY_CODE_USED, user=dsl).exists()

    def test_passing_the_second_factor_gives_a_new_session_key(self, enrolled, password):
        client = self.signed_in_with_password("dana", password)
        before = client.session.session_key
        client.post(reverse("accounts:two_factor"), {"code": next_code(enrolled)})
        assert client.session.session_key != before
        assert not Session.objects.filter(session_key=before).exists()
        assert UserSession.objects.filter(session_id=client.session.session_key).exists()

    def test_a_new_authenticator_needs_the_password_and_ends_other_sessions(self, dsl, enrolled, password):
        here, elsewhere = client_at(SCHOOL_ADDRESS), client_at(HOME_ADDRESS)
        sign_in_client(here, dsl)
        sign_in_client(elsewhere, dsl)
        wrong = here.post(reverse("accounts:two_factor_replace"), {"replace-password": "not it at all"})
        assert wrong.status_code == 400 and "That is not your password" in wrong.text
        assert TOTPDevice.objects.filter(user=dsl, confirmed=True).exists()
        response = here.post(reverse("accounts:two_factor_replace"), {"replace-password": password})
        assert response.url == reverse("accounts:two_factor_setup")
        assert not TOTPDevice.objects.filter(user=dsl, confirmed=True).exists()
        assert here.get("/dashboard/").url.startswith(reverse("accounts:two_factor_setup"))
        assert elsewhere.get("/dashboard/").status_code == 302
        assert here.get(reverse("accounts:two_factor_setup")).status_code == 200
        new_device = TOTPDevice.objects.get(user=dsl, confirmed=False)
        assert here.post(reverse("accounts:two_factor_setup"), {"code": next_code(new_device)}).status_code == 302
        assert here.get("/dashboard/").status_code == 200


def _request_for(client, user):
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR=SCHOOL_ADDRESS)
    request.user = user
    request.session = client.session
    return request


# -- The security log -------------------------------------------------------------------------


class TestSecurityLog:
    def test_sign_ins_failures_and_lockouts_are_logged_with_user_time_and_address(
        self, staff, password, caplog
    ):
        caplog.set_level(logging.INFO, logger="ysi.security")
        school = client_at(SCHOOL_ADDRESS)
        post_login(school, "sam", password)
        for _ in range(10):
            post_login(client_at(HOME_ADDRESS), "sam", "wrong-password-x")
        lines = [r.getMessage() for r in caplog.records if r.name == "ysi.security"]
        assert any(line.startswith("signed_in user='sam' address=203.0.113.10 at=") for line in lines)
        assert sum(line.startswith("sign_in_failed user='sam' address=198.51.100.20") for line in lines) == 10
        assert any(line.startswith("locked_out user='sam' address=198.51.100.20") for line in lines)
        assert all(line.split(" at=")[1][:20].endswith("Z") for line in lines)
        signed_in = SecurityEvent.objects.get(kind=Kind.SIGNED_IN, user=staff)
        assert signed_in.ip_address == SCHOOL_ADDRESS and signed_in.at.utcoffset().total_seconds() == 0
        assert SecurityEvent.objects.filter(kind=Kind.LOCKED_OUT, username="sam").exists()

    def test_second_factor_successes_and_failures_are_logged(self, dsl, password, caplog, no_throttle):
        caplog.set_level(logging.INFO, logger="ysi.security")
        device = totp_device(dsl)
        client = client_at(SCHOOL_ADDRESS)
        post_login(client, "dana", password)
        client.post(reverse("accounts:two_factor"), {"code": "000000"})
        client.post(reverse("accounts:two_factor"), {"code": next_code(device)})
        lines = [r.getMessage() for r in caplog.records if r.name == "ysi.security"]
        assert any(line.startswith("second_factor_failed user='dana' address=203.0.113.10") for line in lines)
        assert any(line.startswith("second_factor_ok user='dana' address=203.0.113.10") for line in lines)

    def test_sign_out_everywhere_and_password_changes_are_logged(self, staff, password, caplog):
        caplog.set_level(logging.INFO, logger="ysi.security")
        client = sign_in_client(client_at(SCHOOL_ADDRESS), staff)
        new = "another long passphrase 42"
        client.post(
            reverse("accounts:password_change"), {"old_password": password, "new_password1": new, "new_password2": new}
        )
        client.post(reverse("accounts:sign_out_everywhere"))
        lines = [r.getMessage() for r in caplog.records if r.name == "ysi.security"]
        assert any(line.startswith("password_changed user='sam' address=203.0.113.10") for line in lines)
        assert any(line.startswith("signed_out_everywhere user='sam' address=203.0.113.10") for line in lines)
        assert not any(new in line or password in line for line in lines)

    def test_the_security_log_cannot_be_changed_or_deleted(self, staff):
        event = security.security_event_record(kind=Kind.SIGNED_IN, user=staff)
        with pytest.raises(DatabaseError), transaction.atomic():
            SecurityEvent.objects.filter(pk=event.pk).update(username="someone-else")
        with pytest.raises(DatabaseError), transaction.atomic():
            SecurityEvent.objects.filter(pk=event.pk).delete()


# -- The demo ------------------------------------------------------------------------------------


class TestDemo:
    def test_seed_demo_gives_the_team_the_printed_demo_authenticator(self, db, capsys):
        from django.core.management import call_command

        from incidents.demo.second_factor import DEMO_TOTP_KEY_HEX, DEMO_TOTP_SECRET

        call_command("seed_demo", password="a-demo-password-1")
        call_command("seed_demo", password="a-demo-password-1")
        out = capsys.readouterr().out
        assert f"add the key {DEMO_TOTP_SECRET} to an authenticator" in out
        for username in ("dsl", "deputy", "head", "auditor"):
            assert TOTPDevice.objects.get(user__username=username, confirmed=True).key == DEMO_TOTP_KEY_HEX
        assert not TOTPDevice.objects.filter(user__username="staff").exists()

    def test_demo_totp_prints_a_code_that_signs_the_demo_dsl_in(self, db, capsys):
        from django.core.management import CommandError, call_command

        call_command("seed_demo", password="a-demo-password-1")
        capsys.readouterr()
        call_command("demo_totp", "dsl")
        code = capsys.readouterr().out.strip()
        assert len(code) == 6 and code.isdigit()
        client = client_at(SCHOOL_ADDRESS)
        assert post_login(client, "dsl", "a-demo-password-1").status_code == 302
        assert client.post(reverse("accounts:two_factor"), {"code": code}).status_code == 302
        assert client.get("/dashboard/").status_code == 200
        # The next demo_totp gives the next step's code, since this one is used.
        call_command("demo_totp", "dsl")
        assert capsys.readouterr().out.strip() != code
        with pytest.raises(CommandError, match="demo accounts"):
            call_command("demo_totp", "staff")


def test_near_the_absolute_limit_the_report_form_warns_sooner(client_for, staff):
    client = client_for(staff)
    session = client.session
    session["ysi_signed_in_at"] = time.time() - (10 * 3600 - 600)  # ten minutes left
    session.save()
    response = client.get("/report/")
    seconds = int(response.text.split('data-idle-seconds="')[1].split('"')[0])
    assert 590 <= seconds <= 600


def test_superusers_read_the_security_log_in_the_admin_and_cannot_change_it(client_for, staff):
    from tests.factories import UserFactory

    security.security_event_record(kind=Kind.SIGN_IN_FAILED, username="sam")
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(root)
    page = client.get(reverse("admin:incidents_securityevent_changelist"))
    assert page.status_code == 200 and "Sign-in failed" in page.text
    event = SecurityEvent.objects.filter(username="sam").get()
    delete = reverse("admin:incidents_securityevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_the_qr_code_carries_no_text_of_a_hostile_username(db):
    import re

    from incidents import qr
    from tests.factories import UserFactory

    user = UserFactory(username="<script>alert(1)</script>")
    device = TOTPDevice.objects.create(user=user, confirmed=False)
    assert "<script" in device.config_url or "%3Cscript" in device.config_url
    svg = qr.svg_for(device.config_url)
    assert set(re.findall(r"<(\w+)", svg)) <= {"svg", "g", "path"}
    assert "script" not in svg and "alert" not in svg
