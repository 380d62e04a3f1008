"""The outbox worker: `manage.py send_outbox` runs until stopped; `--once` sends what is due and exits."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from incidents.services.outbox import send_due


class Command(BaseCommand):
    help = "Send queued emails, retrying failures with back-off. Runs until stopped unless --once is given."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between passes (default 5).")
        parser.add_argument("--batch", type=int, default=50, help="Most emails claimed per pass (default 50).")

    def handle(self, *args, once: bool, interval: float, batch: int, **options):
        if once:
            report = send_due(limit=batch)
            self.stdout.write(f"Outbox: {report}.")
            return
        self._stopping = False
        # Finish the email in hand before stopping, so a deployment's restart leaves nothing "sending".
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write(f"Outbox worker started: a pass every {interval:g} s. Stop with Ctrl-C or SIGTERM.")
        while not self._stopping:
            close_old_connections()
            report = send_due(limit=batch)
            if report.sent or report.retrying or report.failed or report.interrupted:
                self.stdout.write(f"Outbox: {report}.")
            # A full batch means more may be waiting: go again at once.
            if report.sent + report.retrying + report.failed < batch:
                self._sleep(interval)
        self.stdout.write("Outbox worker stopped.")

    def _stop(self, signum, frame):
        self._stopping = True

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))
