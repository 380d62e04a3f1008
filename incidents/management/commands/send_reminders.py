"""Queue the reminders that are due, through the outbox; `send_outbox` sends them.

Run it from cron or a timer (daily is enough; running it more often queues nothing twice). Each
kind of reminder is one function below that returns the emails it queued.
"""

from collections.abc import Callable

from django.core.management.base import BaseCommand

from incidents.services.policy_reminders import queue_policy_review_reminders
from incidents.services.reminders import queue_overdue_reminders

# (name, function): each function queues its reminders and returns the emails queued.
REMINDERS: list[tuple[str, Callable[[], list]]] = [
    ("policy review", lambda: queue_policy_review_reminders()),
    ("overdue items", lambda: queue_overdue_reminders()),
]


class Command(BaseCommand):
    help = "Queue due reminders (policy review, ...) in the outbox. Safe to run repeatedly."

    def handle(self, *args, **options):
        for name, queue in REMINDERS:
            queued = queue()
            self.stdout.write(f"{name}: {len(queued)} reminder{'s' if len(queued) != 1 else ''} queued")
