"""Who may see and change what. Every view asks here; guardian is called from here and nowhere else.

Things a user may not see answer 404, exactly like things that do not exist, so that nobody can
learn that another setting's record exists. Things a user may see but not change answer 403.
"""

import logging
from datetime import UTC, datetime
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from incidents.models import (
    AccessLogEntry,
    Disclosure,
    Incident,
    IncidentUserObjectPermission,
    Membership,
    OutboxEmail,
    PolicyVersion,
    Setting,
    TrainingSession,
    UnavoidableViewing,
    User,
    YoungPerson,
)
from incidents.models.decisions import Decision, RiskAssessment
from incidents.models.imagery import ViewingRecord
from incidents.models.incident import CASE_EDIT_ROLES, CASE_VIEW_ROLES, roles_by_setting
from incidents.services.audit import access_log_record

Role = Membership.Role
security_log = logging.getLogger("ysi.security")
VIEW_GRANT = "view_incident"


def role_in(user: User, setting_id: int) -> str | None:
    if not user.is_authenticated:
        return None
    return roles_by_setting(user).get(setting_id)


def forget_cached_roles(user: User) -> None:
    if hasattr(user, "_ysi_roles"):
        del user._ysi_roles


def setting_ids_with_roles(user: User, roles: tuple[str, ...]) -> list[int]:
    if not user.is_authenticated:
        return []
    return [setting_id for setting_id, role in roles_by_setting(user).items() if role in roles]


def can_browse_cases(user: User) -> bool:
    """Lists of incidents and young people are for the safeguarding team, heads and auditors."""
    return bool(setting_ids_with_roles(user, CASE_VIEW_ROLES))


def can_record_incidents(user: User) -> bool:
    return bool(setting_ids_with_roles(user, CASE_EDIT_ROLES))


def settings_where_user_records(user: User) -> QuerySet[Setting]:
    return Setting.objects.filter(id__in=setting_ids_with_roles(user, CASE_EDIT_ROLES))


def settings_where_user_browses(user: User) -> QuerySet[Setting]:
    return Setting.objects.filter(id__in=setting_ids_with_roles(user, CASE_VIEW_ROLES))


def can_edit_incident(user: User, incident: Incident) -> bool:
    return role_in(user, incident.setting_id) in CASE_EDIT_ROLES


def can_view_incident(user: User, incident: Incident) -> bool:
    return Incident.objects.visible_to(user).filter(pk=incident.pk).exists()


def has_single_grant(user: User, incident: Incident) -> bool:
    return role_in(user, incident.setting_id) not in CASE_VIEW_ROLES


def _parse_code(code: str | UUID) -> UUID | None:
    if isinstance(code, UUID):
        return code
    try:
        return UUID(str(code))
    except ValueError:
        return None


def get_incident_for_user(request: HttpRequest, code: str | UUID, *, edit: bool = False) -> Incident:
    """The incident this user may see (404 otherwise); with edit=True, also one they may change (403)."""
    parsed = _parse_code(code)
    incident = (
        Incident.objects.visible_to(request.user).select_related("setting", "owner").filter(code=parsed).first()
        if parsed
        else None
    )
    if incident is None:
        log_refusal(request, incident=Incident.objects.filter(code=parsed).first() if parsed else None)
        raise Http404("No such incident.")
    if edit and not can_edit_incident(request.user, incident):
        log_refusal(request, incident=incident)
        raise PermissionDenied("Only the DSL and deputies of this setting can change this incident.")
    return incident


def young_people_visible_to(user: User) -> QuerySet[YoungPerson]:
    return YoungPerson.objects.filter(setting_id__in=setting_ids_with_roles(user, CASE_VIEW_ROLES))


def get_young_person_for_user(request: HttpRequest, code: str | UUID, *, edit: bool = False) -> YoungPerson:
    parsed = _parse_code(code)
    person = (
        young_people_visible_to(request.user).select_related("setting").filter(code=parsed).first() if parsed else None
    )
    if person is None:
        log_refusal(request, setting_id=None)
        raise Http404("No such young person.")
    if edit and role_in(request.user, person.setting_id) not in CASE_EDIT_ROLES:
        log_refusal(request, setting_id=person.setting_id)
        raise PermissionDenied("Only the DSL and deputies of this setting can change this record.")
    return person


def require_case_browser(request: HttpRequest) -> None:
    if not can_browse_cases(request.user):
        log_refusal(request)
        raise PermissionDenied("Case records are open to the safeguarding team, the headteacher and auditors.")


def require_recorder(request: HttpRequest) -> None:
    if not can_record_incidents(request.user):
        log_refusal(request)
        raise PermissionDenied("Only a DSL or deputy can record incidents.")


# --- Decisions and the headteacher's sign-off (issue 4) ---------------------------------
# Decisions, assessments and reviews are for the safeguarding team, the headteacher and
# auditors of the setting; a member of staff granted one incident does not see them.


def can_see_decisions(user: User, setting_id: int) -> bool:
    return role_in(user, setting_id) in CASE_VIEW_ROLES


def can_sign_off(user: User, setting_id: int) -> bool:
    """Only the headteacher of the decision's own setting signs off (or returns) it."""
    return role_in(user, setting_id) == Role.HEADTEACHER


def headteacher_setting_ids(user: User) -> list[int]:
    return setting_ids_with_roles(user, (Role.HEADTEACHER,))


def require_headteacher(request: HttpRequest) -> list[int]:
    setting_ids = headteacher_setting_ids(request.user)
    if not setting_ids:
        log_refusal(request)
        raise PermissionDenied("Decisions are signed off by the headteacher.")
    return setting_ids


def decisions_visible_to(user: User) -> QuerySet[Decision]:
    return Decision.objects.filter(setting_id__in=setting_ids_with_roles(user, CASE_VIEW_ROLES))


def get_decision_for_user(
    request: HttpRequest, code: str | UUID, *, edit: bool = False, sign: bool = False
) -> Decision:
    """The decision this user may read (404 otherwise); edit: DSL or deputy, sign: headteacher (403)."""
    parsed = _parse_code(code)
    decision = (
        decisions_visible_to(request.user)
        .select_related(
            "incident",
            "incident__setting",
            "assessment",
            "recorded_by",
            "review_meeting",
            "supersedes",
            "policy_version",
        )
        .filter(code=parsed)
        .first()
        if parsed
        else None
    )
    if decision is None:
        log_refusal(request)
        raise Http404("No such decision.")
    if edit and not can_edit_incident(request.user, decision.incident):
        log_refusal(request, incident=decision.incident)
        raise PermissionDenied("Only the DSL and deputies of this setting can revise its decisions.")
    if sign and not can_sign_off(request.user, decision.setting_id):
        log_refusal(request, incident=decision.incident)
        raise PermissionDenied("Only the headteacher of this setting can sign off its decisions.")
    return decision


def get_risk_assessment_for_user(request: HttpRequest, code: str | UUID) -> RiskAssessment:
    parsed = _parse_code(code)
    risk = (
        RiskAssessment.objects.filter(setting_id__in=setting_ids_with_roles(request.user, CASE_VIEW_ROLES))
        .select_related("incident", "incident__setting", "assessment", "recorded_by")
        .filter(code=parsed)
        .first()
        if parsed
        else None
    )
    if risk is None:
        log_refusal(request)
        raise Http404("No such risk assessment.")
    return risk


def get_incident_for_decisions(request: HttpRequest, code: str | UUID, *, edit: bool = False) -> Incident:
    """An incident whose review and decisions this user may read (a single grant is not enough)."""
    incident = get_incident_for_user(request, code, edit=edit)
    if not can_see_decisions(request.user, incident.setting_id):
        log_refusal(request, incident=incident)
        raise PermissionDenied("Reviews and decisions are for the safeguarding team, the headteacher and auditors.")
    return incident


def staff_who_may_be_granted(incident: Incident) -> QuerySet[User]:
    """Members of the incident's setting whose role does not already let them see it."""
    return User.objects.filter(
        memberships__setting_id=incident.setting_id,
        memberships__is_active=True,
        memberships__role=Role.STAFF,
        is_active=True,
    )


def grant_view(user: User, incident: Incident) -> bool:
    """Give one member of staff this one incident. Returns False if they already had it."""
    if user_has_grant(user, incident):
        return False
    assign_perm(VIEW_GRANT, user, incident)
    return True


def revoke_view(user: User, incident: Incident) -> bool:
    if not user_has_grant(user, incident):
        return False
    remove_perm(VIEW_GRANT, user, incident)
    return True


def user_has_grant(user: User, incident: Incident) -> bool:
    return IncidentUserObjectPermission.objects.filter(
        user=user, content_object=incident, permission__codename=VIEW_GRANT
    ).exists()


def grants_for(incident: Incident) -> QuerySet[IncidentUserObjectPermission]:
    return IncidentUserObjectPermission.objects.filter(
        content_object=incident, permission__codename=VIEW_GRANT
    ).select_related("user")


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person, not of the proxy in front of the app servers.

    X-Forwarded-For is believed only from a proxy named in TRUSTED_PROXIES; anyone else could write
    anything there. The proxy overwrites the header, so its last entry is the address it saw.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in settings.TRUSTED_PROXIES and forwarded:
        return forwarded.split(",")[-1].strip() or remote
    return remote


def log_read(
    request: HttpRequest,
    *,
    incident: Incident | None = None,
    person: YoungPerson | None = None,
    action: str | None = None,
    setting_id: int | None = None,
) -> None:
    """Record that this user read a record, downloaded it or exported something (`action`)."""
    if setting_id is None:
        setting_id = incident.setting_id if incident else person.setting_id if person else None
    if action is None:
        action = AccessLogEntry.Action.VIEW_INCIDENT if incident else AccessLogEntry.Action.VIEW_YOUNG_PERSON
    access_log_record(
        user=request.user,
        setting_id=setting_id,
        incident_id=incident.pk if incident else None,
        role=(role_in(request.user, setting_id) or "") if setting_id else "",
        action=action,
        path=request.path,
        ip_address=client_ip(request),
    )


def log_refusal(request: HttpRequest, *, incident: Incident | None = None, setting_id: int | None = None) -> None:
    """Record a refused page or object in the access log (who, when in UTC, from where, which path),
    and in the application log; never anything of the record itself."""
    user = request.user if request.user.is_authenticated else None
    setting_id = incident.setting_id if incident else setting_id
    entry = access_log_record(
        user=user,
        setting_id=setting_id,
        incident_id=incident.pk if incident else None,
        role=(role_in(user, setting_id) or "") if user and setting_id else "",
        action=AccessLogEntry.Action.REFUSED,
        path=request.path,
        ip_address=client_ip(request),
    )
    request.ysi_refusal_logged = True
    log_refusal_line(request, at=entry.at)


def log_refusal_line(request: HttpRequest, *, at: datetime | None = None, status: str = "") -> None:
    user = getattr(request, "user", None)
    who = f"user {user.pk} ({user.get_username()})" if user is not None and user.is_authenticated else "anonymous"
    when = (at or timezone.now()).astimezone(UTC).isoformat(timespec="seconds")
    security_log.warning(
        "Refused %s%s %s to %s from %s at %s", f"{status} " if status else "", request.method, request.path, who,
        client_ip(request) or "unknown address", when,
    )


# -- Disclosures, reporting and the outbox (issue 3) --


def outbox_emails_visible_to(user: User) -> QuerySet[OutboxEmail]:
    """The safeguarding team sees the emails of its own settings, to notice ones that did not go."""
    return OutboxEmail.objects.filter(setting_id__in=setting_ids_with_roles(user, CASE_EDIT_ROLES))


def get_outbox_email_for_user(request: HttpRequest, code: str | UUID) -> OutboxEmail:
    parsed = _parse_code(code)
    email = outbox_emails_visible_to(request.user).filter(code=parsed).first() if parsed else None
    if email is None:
        log_refusal(request)
        raise Http404("No such email.")
    return email


# -- Actions after the review (issue 5) --


def viewings_to_confirm(user: User) -> QuerySet[ViewingRecord]:
    """Viewing records this person must still confirm, as the viewer or as the member of staff present."""
    if not user.is_authenticated:
        return ViewingRecord.objects.none()
    settings_ids = list(roles_by_setting(user))
    return (
        ViewingRecord.objects.filter(setting_id__in=settings_ids)
        .filter(Q(viewer=user, viewer_confirmed_at__isnull=True) | Q(witness=user, witness_confirmed_at__isnull=True))
        .select_related("incident", "viewer", "witness")
    )


def get_viewing_for_confirmer(request: HttpRequest, code: str | UUID) -> ViewingRecord:
    """The viewer and the witness may open the one viewing record they are named on, and nothing else of
    the incident: the witness need not be able to see the case."""
    parsed = _parse_code(code)
    viewing = None
    if parsed and request.user.is_authenticated:
        viewing = (
            ViewingRecord.objects.filter(setting_id__in=list(roles_by_setting(request.user)), code=parsed)
            .filter(Q(viewer=request.user) | Q(witness=request.user))
            .select_related("incident", "viewer", "witness", "headteacher", "young_person")
            .first()
        )
    if viewing is None:
        log_refusal(request)
        raise Http404("No such viewing record.")
    return viewing


# -- Records, PDFs and the access log (issue 6) --

ACCESS_LOG_ROLES = (Role.DSL, Role.HEADTEACHER)
RECORD_EXPORT_ROLES = (Role.DSL, Role.HEADTEACHER, Role.AUDITOR)
AUDIT_PACK_ROLES = (Role.DSL, Role.DEPUTY, Role.HEADTEACHER, Role.AUDITOR)
TRANSFER_ROLES = (Role.DSL, Role.DEPUTY)


def can_see_access_log(user: User, incident: Incident) -> bool:
    return role_in(user, incident.setting_id) in ACCESS_LOG_ROLES


def can_export_record(user: User, incident: Incident) -> bool:
    """Staff never export; auditors only their own setting's records (a role there, not a grant)."""
    return role_in(user, incident.setting_id) in RECORD_EXPORT_ROLES


def get_incident_access_log_for_user(request: HttpRequest, code: str | UUID) -> Incident:
    incident = get_incident_for_user(request, code)
    if not can_see_access_log(request.user, incident):
        log_refusal(request, incident=incident)
        raise PermissionDenied("Only the DSL and the headteacher can see who has accessed an incident.")
    return incident


def get_incident_for_export(request: HttpRequest, code: str | UUID) -> Incident:
    incident = get_incident_for_user(request, code)
    if not can_export_record(request.user, incident):
        log_refusal(request, incident=incident)
        raise PermissionDenied("Only the DSL, the headteacher and auditors of this setting can export the record.")
    return incident


def settings_for_audit(user: User) -> QuerySet[Setting]:
    return Setting.objects.filter(id__in=setting_ids_with_roles(user, AUDIT_PACK_ROLES)).order_by("name")


def require_audit_reader(request: HttpRequest) -> QuerySet[Setting]:
    """The settings whose audit pack and statistics this user may read (403 if none)."""
    allowed = settings_for_audit(request.user)
    if not setting_ids_with_roles(request.user, AUDIT_PACK_ROLES):
        log_refusal(request)
        raise PermissionDenied("Audit packs and statistics are for the safeguarding team, headteachers and auditors.")
    return allowed


def get_setting_for_audit(request: HttpRequest, code: str | UUID) -> Setting:
    parsed = _parse_code(code)
    setting = settings_for_audit(request.user).filter(code=parsed).first() if parsed else None
    if setting is None:
        log_refusal(request)
        raise Http404("No such setting.")
    return setting


def can_transfer(user: User, setting_id: int) -> bool:
    return role_in(user, setting_id) in TRANSFER_ROLES


def get_young_person_for_transfer(request: HttpRequest, code: str | UUID) -> YoungPerson:
    person = get_young_person_for_user(request, code)
    if not can_transfer(request.user, person.setting_id):
        log_refusal(request, setting_id=person.setting_id)
        raise PermissionDenied("Only the DSL and deputies can prepare a transfer file.")
    return person


# -- The setting's policy and training (issue 8) --

POLICY_EDIT_ROLES = (Role.DSL, Role.HEADTEACHER)
POLICY_ADOPT_ROLES = (Role.HEADTEACHER,)
TRAINING_RECORD_ROLES = (Role.DSL, Role.DEPUTY, Role.HEADTEACHER)
# Who may see who has read the policy and been trained, and the training records.
STAFF_RECORD_ROLES = (Role.DSL, Role.DEPUTY, Role.HEADTEACHER, Role.AUDITOR)


def settings_of_member(user: User) -> QuerySet[Setting]:
    """Every setting the user belongs to, whatever the role: all members read its policy."""
    if not user.is_authenticated:
        return Setting.objects.none()
    return Setting.objects.filter(id__in=list(roles_by_setting(user))).order_by("name")


def can_edit_policy(user: User, setting_id: int) -> bool:
    return role_in(user, setting_id) in POLICY_EDIT_ROLES


def can_adopt_policy(user: User, setting_id: int) -> bool:
    return role_in(user, setting_id) in POLICY_ADOPT_ROLES


def can_record_training(user: User, setting_id: int) -> bool:
    return role_in(user, setting_id) in TRAINING_RECORD_ROLES


def can_see_staff_records(user: User, setting_id: int) -> bool:
    return role_in(user, setting_id) in STAFF_RECORD_ROLES


def get_setting_for_policy(
    request: HttpRequest, code: str | UUID, *, roles: tuple[str, ...] | None = None, refusal: str = ""
) -> Setting:
    """A setting the user belongs to (404 otherwise); with `roles`, one where they hold one of them (403)."""
    parsed = _parse_code(code)
    setting = settings_of_member(request.user).filter(code=parsed).first() if parsed else None
    if setting is None:
        log_refusal(request)
        raise Http404("No such setting.")
    if roles is not None and role_in(request.user, setting.pk) not in roles:
        log_refusal(request, setting_id=setting.pk)
        raise PermissionDenied(refusal or "Your role in this setting does not allow this.")
    return setting


def get_policy_version_for_user(request: HttpRequest, setting: Setting, code: str | UUID) -> PolicyVersion:
    parsed = _parse_code(code)
    version = PolicyVersion.objects.filter(setting=setting, code=parsed).first() if parsed else None
    if version is None:
        log_refusal(request, setting_id=setting.pk)
        raise Http404("No such version of the policy.")
    return version


def get_training_session_for_user(request: HttpRequest, setting: Setting, code: str | UUID) -> TrainingSession:
    """Training records are for the safeguarding team, the headteacher and auditors (403 for others)."""
    if not can_see_staff_records(request.user, setting.pk):
        log_refusal(request, setting_id=setting.pk)
        raise PermissionDenied("Training records are kept by the safeguarding team and the headteacher.")
    parsed = _parse_code(code)
    session = TrainingSession.objects.filter(setting=setting, code=parsed).first() if parsed else None
    if session is None:
        log_refusal(request, setting_id=setting.pk)
        raise Http404("No such training session.")
    return session


# -- Reporting a concern and acting on reports (issue 3) --


def settings_where_user_reports(user: User) -> QuerySet[Setting]:
    """Anyone with an active role in a setting may report a concern to it, whatever the role."""
    if not user.is_authenticated:
        return Setting.objects.none()
    return Setting.objects.filter(id__in=list(roles_by_setting(user))).order_by("name")


def can_report(user: User) -> bool:
    return user.is_authenticated and bool(roles_by_setting(user))


def require_reporter(request: HttpRequest) -> None:
    if not can_report(request.user):
        log_refusal(request)
        raise PermissionDenied("You need a role in a setting to report a concern. Ask your DSL to add you.")


def get_own_disclosure(request: HttpRequest, code: str | UUID) -> Disclosure:
    """A reporter's own report; anybody else's answers 404, the safeguarding team included
    (they read it on the incident)."""
    parsed = _parse_code(code)
    disclosure = (
        Disclosure.objects.filter(code=parsed, reporter=request.user).select_related("setting").first()
        if parsed and request.user.is_authenticated
        else None
    )
    if disclosure is None:
        log_refusal(request)
        raise Http404("No such report.")
    return disclosure


def disclosures_visible_to(user: User) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(setting_id__in=setting_ids_with_roles(user, CASE_VIEW_ROLES))


def get_disclosure_for_team(request: HttpRequest, code: str | UUID) -> Disclosure:
    """A disclosure the DSL or a deputy acts on (acknowledge, merge, annotate): 404 to those who
    cannot see it, 403 to those who can see but not act."""
    parsed = _parse_code(code)
    disclosure = (
        disclosures_visible_to(request.user).filter(code=parsed).select_related("setting", "incident").first()
        if parsed
        else None
    )
    if disclosure is None:
        log_refusal(request)
        raise Http404("No such report.")
    if role_in(request.user, disclosure.setting_id) not in CASE_EDIT_ROLES:
        log_refusal(request, setting_id=disclosure.setting_id)
        raise PermissionDenied("Only the DSL and deputies of this setting can act on reports.")
    return disclosure


def can_act_on_disclosures(user: User, setting_id: int) -> bool:
    return role_in(user, setting_id) in CASE_EDIT_ROLES


def staff_awaiting_support_visible_to(user: User) -> QuerySet[UnavoidableViewing]:
    """Staff who saw imagery and have not yet been offered support, for the DSL and deputies."""
    return UnavoidableViewing.objects.filter(
        setting_id__in=setting_ids_with_roles(user, CASE_EDIT_ROLES), support_offered_at__isnull=True
    )


def require_transfer_role(request: HttpRequest) -> list[int]:
    """The settings whose transfers this user manages (DSL and deputies); 403 for everyone else."""
    setting_ids = setting_ids_with_roles(request.user, TRANSFER_ROLES)
    if not setting_ids:
        log_refusal(request)
        raise PermissionDenied("Transfer files are prepared by the DSL and deputies.")
    return setting_ids


def get_transfer_for_user(request: HttpRequest, code: str | UUID):
    from incidents.models import TransferRecord

    parsed = _parse_code(code)
    setting_ids = setting_ids_with_roles(request.user, TRANSFER_ROLES)
    transfer = (
        TransferRecord.objects.filter(setting_id__in=setting_ids, code=parsed).select_related("young_person").first()
        if parsed
        else None
    )
    if transfer is None:
        log_refusal(request)
        raise Http404("No such transfer.")
    return transfer


# -- Sign-in: who must pass a second factor (issue 7) --


def second_factor_required(user: User) -> bool:
    """The safeguarding team, headteachers, auditors and superusers always; others if their setting
    asks everyone, or if they set up an authenticator themselves."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from incidents import signin_rules

    if not user.is_authenticated:
        return False
    cached = getattr(user, "_ysi_needs_second_factor", None)
    if cached is not None:
        return cached
    roles = roles_by_setting(user)
    # The role decides for most people without another query.
    needed = signin_rules.role_requires_second_factor(roles.values(), is_superuser=user.is_superuser) or (
        signin_rules.second_factor_required(
            roles=roles.values(),
            setting_requires_everyone=bool(roles)
            and Setting.objects.filter(id__in=list(roles), two_factor_for_everyone=True).exists(),
            has_confirmed_device=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        )
    )
    user._ysi_needs_second_factor = needed
    return needed
