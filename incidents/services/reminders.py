"""Reminders of overdue items (issue 5): each DSL gets their setting's overdue items by email.

Each overdue item is reminded to each DSL at most once a day (a ReminderSent row per item, person
and day), so `manage.py send_reminders` can run hourly: an item that becomes overdue later in the
day goes out on the next run, and nothing is repeated. Emails name incident references and what is
due, never young people or case text.
"""

import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone

from incidents import due, selectors_actions
from incidents.models import Membership, OutboxEmail, ReminderSent, Setting, User
from incidents.services.outbox import enqueue_email

REMINDER_KIND = "overdue_reminder"


def _claim(setting: Setting, user: User, items: list[due.DueItem], day) -> list[due.DueItem]:
    """The items not yet reminded to this person today; each is marked as reminded as it is claimed."""
    claimed = []
    for item in items:
        try:
            with transaction.atomic():
                ReminderSent.objects.create(setting=setting, user=user, item_key=item.key[:120], day=day)
        except IntegrityError:
            continue
        claimed.append(item)
    return claimed


def reminder_body(items: list[due.DueItem], today) -> str:
    base = settings.SITE_URL.rstrip("/")
    lines = [
        "These safeguarding items are overdue in YSI (oldest first). Sign in to see the details:",
        "",
    ]
    for item in items:
        url = base + reverse("incidents:incident_detail", args=[item.incident_code])
        days = item.days_overdue(today)
        lines.append(
            f"- {item.incident_reference}: {item.what} — due {formats.date_format(item.due, 'j M Y')} "
            f"({days} day{'s' if days != 1 else ''} overdue). {url}"
        )
    lines += ["", f"The dashboard lists everything due: {base}{reverse('incidents:dashboard')}"]
    return "\n".join(lines)


def queue_overdue_reminders(today=None) -> list[OutboxEmail]:
    """Queue each DSL's overdue items; returns the emails queued."""
    today = today or timezone.localdate()
    queued: list[OutboxEmail] = []
    for setting in Setting.objects.order_by("pk"):
        overdue, _ = due.split(selectors_actions.due_items([setting.pk]), today)
        if not overdue:
            continue
        dsls = User.objects.filter(
            memberships__setting=setting,
            memberships__role=Membership.Role.DSL,
            memberships__is_active=True,
            is_active=True,
        ).exclude(email="")
        for dsl in dsls:
            with transaction.atomic():
                items = _claim(setting, dsl, overdue, today)
                if not items:
                    continue
                digest = hashlib.sha256("|".join(i.key for i in items).encode()).hexdigest()[:16]
                email = enqueue_email(
                    setting=setting,
                    to=[dsl.email],
                    subject=f"YSI: {len(items)} overdue safeguarding item{'s' if len(items) != 1 else ''}",
                    body=reminder_body(items, today),
                    kind=REMINDER_KIND,
                    dedupe_key=f"reminder:{setting.pk}:{dsl.pk}:{today.isoformat()}:{digest}",
                )
                if email is not None:
                    queued.append(email)
    return queued
