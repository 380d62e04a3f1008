from incidents.models.audit import AccessLogEntry, AuditChainHead, ChronologyEntry
from incidents.models.incident import (
    Incident,
    IncidentQuerySet,
    IncidentUserObjectPermission,
    Involvement,
    ReferenceCounter,
)
from incidents.models.people import YoungPerson
from incidents.models.policy import (
    PolicyDraft,
    PolicyVersion,
    ReadConfirmation,
    TrainingAttendance,
    TrainingSession,
)
from incidents.models.setting import Membership, Setting, User

__all__ = [
    "AccessLogEntry",
    "AuditChainHead",
    "ChronologyEntry",
    "Incident",
    "IncidentQuerySet",
    "IncidentUserObjectPermission",
    "Involvement",
    "Membership",
    "ReferenceCounter",
    "Setting",
    "User",
    "YoungPerson",
    "PolicyDraft",
    "PolicyVersion",
    "ReadConfirmation",
    "TrainingAttendance",
    "TrainingSession",
]
from incidents.models.decisions import Decision, ReviewMeeting, RiskAssessment, SignOff, StoredAssessment  # noqa: E402
from incidents.models.disclosure import Disclosure as Disclosure  # noqa: E402
from incidents.models.disclosure import DisclosureAnnotation as DisclosureAnnotation  # noqa: E402
from incidents.models.outbox import OutboxEmail as OutboxEmail  # noqa: E402

__all__ += ["Decision", "ReviewMeeting", "RiskAssessment", "SignOff", "StoredAssessment"]
# Actions after the review (issue 5)
__all__ += [
    "Conversation",
    "CustodyEntry",
    "DeletionDecision",
    "DeletionRequest",
    "Device",
    "OnlineReport",
    "ParentsDecision",
    "Referral",
    "ReferralChase",
    "ReminderSent",
    "Sanction",
    "UnavoidableViewing",
    "ViewingRecord",
]
from incidents.models.actions import CustodyEntry, Device, ParentsDecision, Referral, ReferralChase  # noqa: E402
from incidents.models.followup import Conversation, OnlineReport, ReminderSent, Sanction  # noqa: E402
from incidents.models.imagery import (  # noqa: E402
    DeletionDecision,
    DeletionRequest,
    UnavoidableViewing,
    ViewingRecord,
)
from incidents.models.records import ExportLog as ExportLog  # noqa: E402

# Sign-in security (issue 7)
from incidents.models.security import SecurityEvent as SecurityEvent  # noqa: E402
from incidents.models.security import UserSession as UserSession  # noqa: E402
from incidents.models.transfer import TransferRecord as TransferRecord  # noqa: E402
