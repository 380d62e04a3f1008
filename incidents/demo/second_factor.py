"""The demo accounts' authenticator: one published secret, so anyone trying the demo can sign in.

Never used for a real account: `demo_totp` refuses any device whose secret is not this one."""

import time
from base64 import b32decode

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from incidents import signin_rules
from incidents.models import User

# Fictional demo accounts: the secret is printed and documented on purpose.
DEMO_TOTP_SECRET = "OAKFIELDDEMOTOTPSECRETFORYSIDEMO"  # noqa: S105 # nosec B105 # the published demo secret
DEMO_TOTP_KEY_HEX = b32decode(DEMO_TOTP_SECRET).hex()


def seed_second_factor(users: dict[str, User]) -> list[str]:
    """Give every demo account whose role needs a second factor an authenticator with the demo secret."""
    seeded = []
    for username, user in users.items():
        roles = list(user.memberships.filter(is_active=True).values_list("role", flat=True))
        if not signin_rules.role_requires_second_factor(roles, is_superuser=user.is_superuser):
            continue
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
        if device is None:
            TOTPDevice.objects.filter(user=user).delete()
            TOTPDevice.objects.create(user=user, name="Demo authenticator", key=DEMO_TOTP_KEY_HEX, confirmed=True)
        elif device.key != DEMO_TOTP_KEY_HEX:
            device.key, device.last_t, device.drift = DEMO_TOTP_KEY_HEX, -1, 0
            device.save(update_fields=["key", "last_t", "drift"])
        seeded.append(username)
    return seeded


def current_code(device: TOTPDevice, now: float | None = None) -> tuple[str, int]:
    """A code the device accepts now (the next step's if this step's was used) and the seconds it stays valid."""
    now = time.time() if now is None else now
    now_t = int((now - device.t0) // device.step) + device.drift
    t = max(now_t, device.last_t + 1)
    valid_for = int((t - device.drift + 1 + device.tolerance) * device.step + device.t0 - now)
    return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits), max(valid_for, 0)
