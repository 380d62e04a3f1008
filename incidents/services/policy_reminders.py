"""The policy review reminder that `manage.py send_reminders` queues (issue 8).

Emails go through the outbox and say nothing about any person or case: only that the setting's
policy is due (or overdue) for review, and where to review it.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone

from incidents.models import Membership, OutboxEmail, Setting, User
from incidents.services import policy as policy_service
from incidents.services.outbox import enqueue_email

KIND = "policy_review"
Role = Membership.Role


def _recipients(setting: Setting) -> list[str]:
    return list(
        User.objects.filter(
            memberships__setting=setting,
            memberships__is_active=True,
            memberships__role__in=[Role.DSL, Role.HEADTEACHER],
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )


def queue_policy_review_reminders(*, today: date | None = None) -> list[OutboxEmail]:
    """Queue a reminder for each setting whose policy review is due soon or overdue.

    Once when the review falls due (within `REVIEW_DUE_WARNING`), then once a week while it is
    overdue; the dedupe keys make running the command many times a day harmless.
    """
    today = today or timezone.localdate()
    queued = []
    for setting in Setting.objects.filter(policy_versions__isnull=False).distinct().order_by("name"):
        review = policy_service.review_state(setting, today)
        if review.state not in ("due", "overdue"):
            continue
        version = review.version
        due = formats.date_format(version.next_review_on, "j F Y")
        link = settings.SITE_URL.rstrip("/") + reverse("incidents:policy_edit", args=[setting.code])
        if review.state == "due":
            week = ""
            subject = "The youth produced sexual imagery policy is due for review"
            opening = f"The policy adopted by {setting.name} (version {version.number}) is due for review by {due}."
        else:
            year, week_number, _ = today.isocalendar()
            week = f":{year}-W{week_number:02d}"
            subject = "The youth produced sexual imagery policy is overdue for review"
            opening = (
                f"The policy adopted by {setting.name} (version {version.number}) was due for review on {due} "
                f"and is now {review.days} day{'s' if review.days != 1 else ''} overdue."
            )
        body = (
            f"{opening}\n\n"
            "Review the draft in YSI, change what needs changing and set the next review date; the "
            "headteacher then approves and adopts the new version, and every member of staff is asked "
            f"to read it.\n\n{link}\n"
        )
        with transaction.atomic():
            email = enqueue_email(
                setting=setting,
                to=_recipients(setting),
                subject=subject,
                body=body,
                kind=KIND,
                dedupe_key=f"{KIND}:{review.state}:{version.code}{week}",
            )
        if email is not None:
            queued.append(email)
    return queued
