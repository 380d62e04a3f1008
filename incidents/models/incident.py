import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from incidents import workflow
from incidents.models.people import YoungPerson
from incidents.models.setting import Membership
from incidents.paths import incident_detail_path

CASE_VIEW_ROLES = (
    Membership.Role.DSL,
    Membership.Role.DEPUTY,
    Membership.Role.HEADTEACHER,
    Membership.Role.AUDITOR,
)
CASE_EDIT_ROLES = (Membership.Role.DSL, Membership.Role.DEPUTY)
# The most young people a name search hands to the incident list as ids (see IncidentQuerySet.search).
NAME_MATCHES_LISTED = 1000


def roles_by_setting(user) -> dict[int, str]:
    """The user's active roles, keyed by setting id; read once per request and kept on the user."""
    cached = getattr(user, "_ysi_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user, is_active=True).values_list("setting_id", "role"))
        user._ysi_roles = cached
    return cached


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IncidentQuerySet":
        """Every incident this user may read: their settings' cases by role, plus single grants.

        Every list and lookup of incidents goes through here. The setting ids are read first so
        that the main query filters on an indexed column rather than joining memberships, and the
        grant check is asked only in settings where the user's role does not already show every
        case: an OR with an unrestricted EXISTS would make PostgreSQL read the whole table (every
        setting's incidents) to find one setting's page.
        """
        if not user.is_authenticated:
            return self.none()
        roles = roles_by_setting(user)
        setting_ids = sorted(sid for sid, role in roles.items() if role in CASE_VIEW_ROLES)
        grant_setting_ids = sorted(sid for sid, role in roles.items() if role not in CASE_VIEW_ROLES)
        if not grant_setting_ids:
            return self.filter(setting_id__in=setting_ids)
        granted = IncidentUserObjectPermission.objects.filter(
            user=user,
            content_object=OuterRef("pk"),
            permission__codename="view_incident",
        )
        by_grant = Q(setting_id__in=grant_setting_ids) & Exists(granted)
        if setting_ids:
            return self.filter(Q(setting_id__in=setting_ids) | by_grant)
        return self.filter(by_grant)

    def search(self, text: str, *, setting_ids: list[int] | None = None) -> "IncidentQuerySet":
        """Incidents whose reference contains `text` (when it holds a digit, as every reference does),
        or with a young person named by every word of it.

        The names are matched first among the young people of `setting_ids` (the settings the
        reader belongs to), once, so the cost grows with those settings and not with the table.
        That match is a scan of the setting's young people (no index serves `%word%`), so it is run
        here, once, and its ids handed to the list: otherwise the page and its count would each
        repeat it. A search that names more than NAME_MATCHES_LISTED people (a single letter) keeps
        the match as a subquery rather than send thousands of ids.
        """
        text = text.strip()
        if not text:
            return self
        people = YoungPerson.objects.all()
        if setting_ids is not None:
            people = people.filter(setting_id__in=setting_ids)
        for word in text.split():
            people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        matched = list(people.values_list("pk", flat=True)[: NAME_MATCHES_LISTED + 1])
        if len(matched) > NAME_MATCHES_LISTED:
            involved = Involvement.objects.filter(young_person__in=people.values("pk"))
        else:
            involved = Involvement.objects.filter(young_person_id__in=matched)
        if setting_ids is not None:
            involved = involved.filter(setting_id__in=setting_ids)
        by_name = Q(pk__in=involved.values("incident_id"))
        # Every reference ends in its number, so text without a digit is only ever a name: not
        # testing it against each of the setting's references lets the list go straight to the
        # named people's incidents instead of reading all of the setting's.
        could_be_reference = any(char.isdigit() for char in text)
        if not matched:
            return self.filter(reference__icontains=text) if could_be_reference else self.none()
        return self.filter(Q(reference__icontains=text) | by_name) if could_be_reference else self.filter(by_name)


class Incident(models.Model):
    class Status(models.TextChoices):
        REPORTED = workflow.REPORTED, "Reported"
        UNDER_REVIEW = workflow.UNDER_REVIEW, "Under review"
        REFERRED = workflow.REFERRED, "Referred"
        MANAGED_IN_SETTING = workflow.MANAGED_IN_SETTING, "Managed in setting"
        CLOSED = workflow.CLOSED, "Closed"

    class CameToAttention(models.TextChoices):
        YOUNG_PERSON = "young_person", "The young person themself told us"
        FRIEND = "friend", "A friend or another young person told us"
        PARENT = "parent", "A parent or carer told us"
        STAFF_SAW = "staff_saw", "A member of staff saw it or was shown it"
        IT_MONITORING = "it_monitoring", "IT monitoring or filtering"
        AGENCY = "agency", "The police or another agency"
        OTHER = "other", "Other"

    class Spread(models.TextChoices):
        UNKNOWN = "unknown", "Unknown"
        CONTAINED = "contained", "Contained (the people involved only)"
        WIDE = "wide", "Shared widely"

    class Classification(models.TextChoices):
        UNCLASSIFIED = "unclassified", "Not yet classified"
        EXPERIMENTAL = "experimental", "Experimental"
        AGGRAVATED = "aggravated", "Aggravated"

    class Subtype(models.TextChoices):
        # Wolak & Finkelhor, "Sexting: A Typology" (2011).
        ADULT_INVOLVED = "adult_involved", "Aggravated: adult involved"
        YOUTH_INTENT_TO_HARM = "youth_intent_to_harm", "Aggravated: youth only, intent to harm"
        YOUTH_RECKLESS_MISUSE = "youth_reckless_misuse", "Aggravated: youth only, reckless misuse"
        ROMANTIC = "romantic", "Experimental: romantic"
        ATTENTION_SEEKING = "attention_seeking", "Experimental: sexual attention seeking"
        OTHER_EXPERIMENTAL = "other_experimental", "Experimental: other"

    AGGRAVATED_SUBTYPES = (Subtype.ADULT_INVOLVED, Subtype.YOUTH_INTENT_TO_HARM, Subtype.YOUTH_RECKLESS_MISUSE)
    EXPERIMENTAL_SUBTYPES = (Subtype.ROMANTIC, Subtype.ATTENTION_SEEKING, Subtype.OTHER_EXPERIMENTAL)

    class AdultsInvolved(models.TextChoices):
        UNKNOWN = "unknown", "Unknown"
        NO = "no", "No"
        YES = "yes", "Yes"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="incidents")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=40, editable=False)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.REPORTED)
    reported_at = models.DateTimeField("reported to the DSL at", default=timezone.now)
    occurred_on = models.DateField("date it happened", null=True, blank=True)
    occurred_on_is_approximate = models.BooleanField("the date is approximate", default=False)
    came_to_attention = models.CharField(
        "how it came to attention", max_length=30, choices=CameToAttention.choices, default=CameToAttention.OTHER
    )
    summary = models.TextField(help_text="What is known, written without viewing any imagery.")
    creates_and_shares_own = models.BooleanField(
        "a young person created and shared imagery of themselves", default=False
    )
    shares_anothers = models.BooleanField("a young person shared imagery of another young person", default=False)
    possesses_anothers = models.BooleanField("a young person has imagery of another young person", default=False)
    platforms = models.CharField("services or platforms involved", max_length=300, blank=True)
    spread = models.CharField("how far it has spread", max_length=20, choices=Spread.choices, default=Spread.UNKNOWN)
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    classification_subtype = models.CharField(
        "Wolak & Finkelhor sub-type", max_length=30, choices=Subtype.choices, blank=True
    )
    adults_involved = models.CharField(
        "adults involved", max_length=10, choices=AdultsInvolved.choices, default=AdultsInvolved.UNKNOWN
    )
    adults_description = models.TextField("about the adults involved", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="DSL responsible",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_incidents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit carries the version it started from and is refused if it moved on.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = IncidentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "reference"], name="incident_reference_unique_in_setting"),
            models.CheckConstraint(
                condition=(
                    Q(classification_subtype="")
                    | Q(
                        classification="aggravated",
                        classification_subtype__in=["adult_involved", "youth_intent_to_harm", "youth_reckless_misuse"],
                    )
                    | Q(
                        classification="experimental",
                        classification_subtype__in=["romantic", "attention_seeking", "other_experimental"],
                    )
                ),
                name="incident_subtype_matches_classification",
            ),
            models.CheckConstraint(condition=Q(status__in=list(workflow.STATUSES)), name="incident_status_known"),
        ]
        indexes = [
            models.Index(fields=["setting", "-reported_at"], name="incident_setting_reported"),
            models.Index(fields=["setting", "status", "-reported_at"], name="incident_setting_status"),
            # The dashboard's open incidents, newest first: read in index order and stopped after a page.
            models.Index(
                fields=["setting", "-reported_at", "-id"],
                name="incident_setting_open",
                condition=Q(status__in=workflow.OPEN_STATUSES),
            ),
            # The list filtered by classification (with or without a status), newest first: a page is
            # read in index order from that classification's rows instead of the whole setting's.
            models.Index(fields=["setting", "classification", "-reported_at", "-id"], name="incident_setting_class"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return incident_detail_path(self.code)

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN_STATUSES

    @property
    def incident_date(self) -> date:
        """The day ages are computed on: when it happened if known, otherwise when it was reported."""
        if self.occurred_on:
            return self.occurred_on
        return timezone.localtime(self.reported_at).date()

    @property
    def incident_types(self) -> list[str]:
        names = ("creates_and_shares_own", "shares_anothers", "possesses_anothers")
        return [str(self._meta.get_field(name).verbose_name) for name in names if getattr(self, name)]


class IncidentUserObjectPermission(UserObjectPermissionBase):
    """One named member of staff granted one incident (guardian's direct-foreign-key model)."""

    content_object = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="user_grants")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "content_object"], name="grant_user_incident")]

    def __str__(self) -> str:
        return f"{self.user} may {self.permission.codename} {self.content_object}"


class Involvement(models.Model):
    class Role(models.TextChoices):
        PICTURED = "pictured", "Pictured"
        CREATED = "created", "Created"
        SHARED = "shared", "Shared"
        RECEIVED = "received", "Received"
        POSSESSED = "possessed", "Possessed"
        REQUESTED = "requested", "Requested"

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="involvements")
    young_person = models.ForeignKey("incidents.YoungPerson", on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["young_person__last_name", "young_person__first_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "young_person", "role"], name="involvement_unique_role_per_person"
            ),
        ]
        indexes = [
            models.Index(fields=["setting", "young_person"], name="involvement_setting_person"),
        ]

    def __str__(self) -> str:
        return f"{self.young_person} ({self.get_role_display().lower()}) in {self.incident}"


class ReferenceCounter(models.Model):
    """The last reference number issued per setting and year, so references never repeat."""

    setting = models.ForeignKey("incidents.Setting", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["setting", "year"], name="referencecounter_one_per_setting_year"),
        ]

    def __str__(self) -> str:
        return f"{self.setting} {self.year}: {self.last_number}"
