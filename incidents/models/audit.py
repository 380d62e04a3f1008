from functools import cache

from django.conf import settings
from django.db import models
from django.utils import timezone


@cache
def labels_of(choices: type[models.Choices]) -> dict:
    """Value to label of a Choices class, built once: a chronology page shows hundreds of entries,
    and `dict(Kind.choices)` walks every member of the enum each time."""
    return dict(choices.choices)


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
        TRANSFER_SENT = "transfer_sent", "Transfer file sent"
        TRANSFER_RECEIVED = "transfer_received", "Transfer file received"
        # issue 4: the initial review, assessments and decisions
        REVIEW_MEETING = "review_meeting", "Initial review meeting"
        ASSESSMENT = "assessment", "Rules assessment"
        RISK_ASSESSMENT = "risk_assessment", "Risk assessment"
        DECISION = "decision", "Decision"
        SIGNED_OFF = "signed_off", "Decision signed off"
        RETURNED = "decision_returned", "Decision returned"
        ESCALATED = "escalated", "Escalated: refer now"
        # Actions after the review (issue 5)
        REFERRAL = "referral", "Referral"
        REFERRAL_CHASE = "referral_chase", "Referral followed up"
        REFERRAL_OUTCOME = "referral_outcome", "Referral outcome"
        PARENTS = "parents", "Parents and carers"
        DEVICE = "device", "Device"
        CUSTODY = "custody", "Device handed over"
        VIEWING = "viewing", "Imagery viewed"
        VIEWING_CONFIRMED = "viewing_confirmed", "Viewing record confirmed"
        UNAVOIDABLE_VIEWING = "unavoidable_viewing", "Imagery seen unavoidably"
        STAFF_SUPPORT = "staff_support", "Support offered to staff"
        DELETION = "deletion", "Deletion"
        DELETION_CONFIRMED = "deletion_confirmed", "Deletion confirmed"
        DELETION_ESCALATED = "deletion_escalated", "Deletion not confirmed: escalated"
        CONVERSATION = "conversation", "Conversation with a young person"
        ONLINE_REPORT = "online_report", "Reported online"
        SANCTION = "sanction", "Sanction"
        CLOSED_INCOMPLETE = "closed_incomplete", "Closed with the record incomplete"
        # Disclosures (issue 3)
        DISCLOSURE_RECEIVED = "disclosure_received", "Disclosure received"
        DISCLOSURE_ACKNOWLEDGED = "disclosure_acknowledged", "Disclosure acknowledged"
        DISCLOSURE_MERGED = "disclosure_merged", "Disclosure merged"
        DISCLOSURE_ANNOTATED = "disclosure_annotated", "Disclosure annotated"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="chronology")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # Kinds are validated in code, not as database choices, so a new kind needs no migration.
    kind = models.CharField(max_length=40)
    summary = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    # The tamper-evident chain (see incidents/audit_chain.py): written once, with the entry.
    prev_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "chronology entries"
        indexes = [
            models.Index(fields=["setting", "incident", "at"], name="chronology_setting_incident"),
            models.Index(fields=["setting", "id"], name="chronology_setting_chain"),
        ]
        constraints = [
            # Only incidents.services.audit writes entries; a row without its hash was written around it.
            models.CheckConstraint(
                condition=~models.Q(entry_hash="") & ~models.Q(prev_hash=""), name="chronology_entry_is_chained"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def get_kind_display(self) -> str:
        return self.kind_label(self.kind)

    @classmethod
    def kind_label(cls, kind: str) -> str:
        return str(labels_of(cls.Kind).get(kind, kind.replace("_", " ").capitalize()))


class AccessLogEntry(models.Model):
    """Who read or tried to read which record. Append-only: database triggers refuse changes."""

    class Action(models.TextChoices):
        VIEW_INCIDENT = "view_incident", "Viewed incident"
        VIEW_YOUNG_PERSON = "view_young_person", "Viewed young person"
        VIEW_ACCESS_LOG = "view_access_log", "Viewed who has accessed the incident"
        DOWNLOAD_RECORD = "download_record", "Downloaded the incident record (PDF)"
        EXPORT_RECORD = "export_record", "Exported the incident record (command line)"
        DOWNLOAD_AUDIT_PACK = "download_audit_pack", "Downloaded an audit pack (PDF)"
        DOWNLOAD_TRANSFER = "download_transfer", "Downloaded a transfer file (PDF)"
        VIEW_STATISTICS = "view_statistics", "Viewed statistics"
        DOWNLOAD_POLICY = "download_policy", "Downloaded a policy version (PDF)"
        EXPORT_STAFF_CSV = "export_staff_csv", "Exported the policy and training list (CSV)"
        REFUSED = "refused", "Refused"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, null=True, related_name="+")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, null=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    role = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"
        indexes = [
            models.Index(fields=["setting", "incident", "-at"], name="accesslog_setting_incident"),
            models.Index(fields=["setting", "id"], name="accesslog_setting_chain"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(entry_hash="") & ~models.Q(prev_hash=""), name="accesslog_entry_is_chained"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"

    @property
    def role_label(self) -> str:
        from incidents.models.setting import Membership

        return str(labels_of(Membership.Role).get(self.role, self.role))

    def get_action_display(self) -> str:
        return str(labels_of(self.Action).get(self.action, self.action.replace("_", " ").capitalize()))


class AuditChainHead(models.Model):
    """The last link of one hash chain. Its row is locked while an entry is appended, which
    serialises appends per chain, and it remembers the chain's length and last hash so that
    entries deleted from the end are noticed too."""

    key = models.CharField(max_length=80, unique=True)
    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, null=True, related_name="+")
    last_hash = models.CharField(max_length=64)
    length = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["setting", "key"], name="chainhead_setting_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.length} entries"
