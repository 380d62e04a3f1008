"""The admin is for superusers setting up settings and accounts. Case records are read-only here:
they change only through the app's services, which keep the chronology."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from incidents.models import (
    AccessLogEntry,
    ChronologyEntry,
    Incident,
    Involvement,
    Membership,
    Setting,
    User,
    YoungPerson,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Contact", {"fields": ("phone",)}))
    inlines = [MembershipInline]


@admin.register(Setting)
class SettingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "rule_set"]
    inlines = [MembershipInline]


class ReadOnlyMixin:
    """Shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    pass


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "setting", "status", "reported_at"]
    list_filter = ["setting", "status"]
    search_fields = ["reference"]


@admin.register(YoungPerson)
class YoungPersonAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "setting"]


@admin.register(Involvement)
class InvolvementAdmin(ReadOnlyAdmin):
    list_display = ["incident", "young_person", "role"]


@admin.register(ChronologyEntry)
class ChronologyEntryAdmin(ReadOnlyAdmin):
    list_display = ["incident", "at", "kind", "actor"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "incident", "ip_address"]


# -- Decisions (issue 4): read-only; signed decisions, assessments and sign-offs are also frozen
# by database triggers.
from incidents.models import Decision, ReviewMeeting, RiskAssessment, SignOff, StoredAssessment  # noqa: E402


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["incident", "outcome", "status", "recorded_at"]
    list_filter = ["setting", "status"]


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ["decision", "name", "role", "signed_at"]


@admin.register(StoredAssessment)
class StoredAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["incident", "occasion", "rule_set", "created_at"]


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(ReadOnlyAdmin):
    list_display = ["incident", "held_at"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyAdmin):
    list_display = ["incident", "risk_level", "recorded_at"]


# -- Sign-in security (issue 7): the security log, read-only (database triggers refuse changes too).
from incidents.models import SecurityEvent  # noqa: E402


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "kind", "username", "ip_address", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"
