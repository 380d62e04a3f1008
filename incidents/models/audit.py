from django.conf import settings
from django.db import models
from django.utils import timezone


class ChronologyEntry(models.Model):
    """One line of an incident's chronology. Append-only: database triggers refuse changes."""

    class Kind(models.TextChoices):
        CREATED = "created", "Incident recorded"
        UPDATED = "updated", "Details changed"
        STATUS = "status", "Status changed"
        PERSON_ADDED = "person_added", "Young person added"
        PERSON_REMOVED = "person_removed", "Young person removed"
        PERSON_UPDATED = "person_updated", "Young person's details changed"
        NOTE = "note", "Note"
        ACCESS_GRANTED = "access_granted", "Access granted"
        ACCESS_REVOKED = "access_revoked", "Access revoked"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="chronology")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # Kinds are validated in code, not as database choices, so a new kind needs no migration.
    kind = models.CharField(max_length=40)
    summary = models.TextField()
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "chronology entries"
        indexes = [
            models.Index(fields=["setting", "incident", "at"], name="chronology_setting_incident"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def get_kind_display(self) -> str:
        return str(dict(self.Kind.choices).get(self.kind, self.kind.replace("_", " ").capitalize()))


class AccessLogEntry(models.Model):
    """Who read or tried to read which record. Append-only: database triggers refuse changes."""

    class Action(models.TextChoices):
        VIEW_INCIDENT = "view_incident", "Viewed incident"
        VIEW_YOUNG_PERSON = "view_young_person", "Viewed young person"
        REFUSED = "refused", "Refused"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, null=True, related_name="+")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, null=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    role = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["setting", "incident", "-at"], name="accesslog_setting_incident"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"

    def get_action_display(self) -> str:
        return str(dict(self.Action.choices).get(self.action, self.action.replace("_", " ").capitalize()))
