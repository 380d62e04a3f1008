"""Conversations with the young people, online reports, sanctions, and which reminders went out."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Conversation(models.Model):
    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="conversations")
    young_person = models.ForeignKey("incidents.YoungPerson", on_delete=models.PROTECT, related_name="+")
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="who talked with them", on_delete=models.PROTECT, related_name="+"
    )
    preferred_staff_led = models.BooleanField("the young person's preferred member of staff led it", default=False)
    held_at = models.DateTimeField("when")
    topic_pressures = models.BooleanField("the pressures young people can be under to share imagery", default=False)
    topic_consent_trust = models.BooleanField("consent and trust within healthy relationships", default=False)
    topic_who_to_tell = models.BooleanField("who they can tell if this happens again", default=False)
    image_contents = models.TextField("what the image contains, identified without looking", blank=True)
    who_has_seen = models.TextField("who has seen or shared it", blank=True)
    stopping_spread = models.TextField("how further spread can be stopped", blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at", "id"]
        indexes = [models.Index(fields=["setting", "incident"], name="conversation_setting_incident")]

    def __str__(self) -> str:
        return f"Conversation with {self.young_person} ({self.incident})"

    @property
    def topics(self) -> list[str]:
        names = ("topic_pressures", "topic_consent_trust", "topic_who_to_tell")
        return [str(self._meta.get_field(name).verbose_name) for name in names if getattr(self, name)]


class OnlineReport(models.Model):
    class Service(models.TextChoices):
        REPORT_REMOVE = "report_remove", "Childline and IWF Report Remove (under-18s)"
        TAKE_IT_DOWN = "take_it_down", "NCMEC Take It Down"
        PLATFORM = "platform", "The platform or app's own reporting"
        OTHER = "other", "Other service"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="online_reports")
    service = models.CharField(max_length=20, choices=Service.choices)
    service_name = models.CharField("which platform or service", max_length=200, blank=True)
    reported_at = models.DateTimeField("reported at")
    reported_by = models.CharField(
        "by whom", max_length=200, help_text="A member of staff, the young person or a parent."
    )
    reference = models.CharField(max_length=200, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__in=["report_remove", "take_it_down"]) | ~Q(service_name=""),
                name="onlinereport_names_the_service",
            ),
        ]
        indexes = [models.Index(fields=["setting", "incident"], name="onlinereport_setting_incident")]

    def __str__(self) -> str:
        return f"Report to {self.service_label} ({self.incident})"

    @property
    def service_label(self) -> str:
        return self.service_name or self.get_service_display()


class Sanction(models.Model):
    """A disciplinary measure, at the headteacher's and DSL's discretion, under the behaviour policy."""

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="sanctions")
    young_person = models.ForeignKey("incidents.YoungPerson", on_delete=models.PROTECT, related_name="+")
    description = models.TextField("the sanction")
    reason = models.TextField("reason")
    decided_on = models.DateField("decided on")
    headteacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="agreed with the headteacher",
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_line_with_behaviour_policy = models.BooleanField("in line with the behaviour policy", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(in_line_with_behaviour_policy=True), name="sanction_behaviour_policy"),
        ]
        indexes = [models.Index(fields=["setting", "incident"], name="sanction_setting_incident")]

    def __str__(self) -> str:
        return f"Sanction for {self.young_person} ({self.incident})"


class ReminderSent(models.Model):
    """One overdue item reminded to one person on one day, so repeated runs never remind twice."""

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(max_length=120)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["setting", "user", "item_key", "day"], name="reminder_once_per_item_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder of {self.item_key} to {self.user} on {self.day}"
