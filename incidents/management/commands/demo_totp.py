"""Print the code a demo account's authenticator would show now, for demos without a phone."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from incidents.demo.second_factor import DEMO_TOTP_KEY_HEX, DEMO_TOTP_SECRET, current_code


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account (only accounts using the demo secret)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="A demo account, e.g. dsl, deputy, head or auditor.")

    def handle(self, *args, username: str, **options):
        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True, key=DEMO_TOTP_KEY_HEX)
            .order_by("id")
            .first()
        )
        if device is None:
            raise CommandError(
                f"{username!r} has no authenticator with the demo secret. This command works for the demo "
                "accounts made by `manage.py seed_demo` only, never for real ones."
            )
        code, valid_for = current_code(device)
        self.stdout.write(code)
        self.stderr.write(
            f"Valid for about {valid_for} seconds. Or add the demo secret {DEMO_TOTP_SECRET} to an authenticator app."
        )
