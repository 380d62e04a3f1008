"""Signing test users in, second factor included (issue 7).

Tests never type into the sign-in form by hand: they use `client_for` (tests/conftest.py), or
`sign_in` in the browser (tests/browser/conftest.py), both built on these helpers."""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from incidents import access
from incidents.models import User

# A fixed secret for test users' authenticators (hex, 20 bytes), so codes can be computed.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator, made with the test secret if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", key=TEST_TOTP_KEY, confirmed=True)
    return device


def next_code(device: TOTPDevice) -> str:
    """A code the device will accept now: the current time step, or the next one if the current one was used.

    django-otp refuses a code whose time step is not after the last one accepted (no replay), and
    accepts one step either side of now (`tolerance`); signing the same person in twice within 30
    seconds therefore uses the next step's code. Waits for the clock if even that was used.
    """
    device.refresh_from_db()
    while True:
        now_t = int((time.time() - device.t0) // device.step) + device.drift
        t = max(now_t, device.last_t + 1)
        if t <= now_t + device.tolerance:
            return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)
        time.sleep(1)


def needs_second_factor(user: User) -> bool:
    return access.second_factor_required(User.objects.get(pk=user.pk))


def sign_in_client(client: Client, user: User) -> Client:
    """Sign in on a test client as a person who has passed their second factor if they need one."""
    client.force_login(user)
    if needs_second_factor(user):
        device = totp_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def session_write_due(client: Client) -> Client:
    """Make the client's next request record its activity and so write the session row: a busy
    session is written once a minute, not on every request (incidents/signin_rules.touch_due)."""
    session = client.session
    session["ysi_last_seen_at"] = time.time() - 120
    session.save()
    return client
