import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from incidents import rules
from incidents.models.validators import refuse_direction_controls


class User(AbstractUser):
    # As AbstractUser's, with the rule every shown name keeps (incidents/text_rules.py).
    first_name = models.CharField("first name", max_length=150, blank=True, validators=[refuse_direction_controls])
    last_name = models.CharField("last name", max_length=150, blank=True, validators=[refuse_direction_controls])
    phone = models.CharField(
        "work phone", max_length=40, blank=True, help_text="Shown to staff who report a concern about immediate risk."
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.display_name(self.first_name, self.last_name, self.username)

    @staticmethod
    def display_name(first_name: str, last_name: str, username: str) -> str:
        """How a person is named on every page, from the three columns alone (for long lists read
        without building a User for each line)."""
        return f"{first_name} {last_name}".strip() or username


def _rule_set_choices() -> list[tuple[str, str]]:
    return [(name, rules.describe_rule_set(name).title) for name in rules.RULE_SETS]


class Setting(models.Model):
    """An organisation that uses YSI: a school, a college or another service for children."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        COLLEGE = "college", "College"
        OTHER = "other", "Other organisation"

    class ChildTerm(models.TextChoices):
        PUPIL = "pupil", "pupil"
        STUDENT = "student", "student"
        YOUNG_PERSON = "young person", "young person"

    class PlaceTerm(models.TextChoices):
        SCHOOL = "school", "school"
        COLLEGE = "college", "college"
        SETTING = "setting", "setting"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, validators=[refuse_direction_controls])
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SCHOOL)
    child_term = models.CharField(
        "word for the children", max_length=20, choices=ChildTerm.choices, default=ChildTerm.PUPIL
    )
    place_term = models.CharField(
        "word for the organisation", max_length=20, choices=PlaceTerm.choices, default=PlaceTerm.SCHOOL
    )
    mash_phone = models.CharField("MASH phone", max_length=40, blank=True)
    mash_email = models.EmailField("MASH email", blank=True)
    police_non_emergency = models.CharField("police non-emergency number", max_length=40, default="101")
    lado_phone = models.CharField("LADO phone", max_length=40, blank=True)
    lado_email = models.EmailField("LADO email", blank=True)
    rule_set = models.CharField(
        "referral rule set", max_length=40, choices=_rule_set_choices, default=rules.DEFAULT_RULE_SET
    )
    reference_prefix = models.CharField(max_length=10, default="YPSI")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set only by `manage.py generate_load_data`, which refuses a database holding any setting
    # without it, so fictional load data can never sit beside real records.
    is_generated = models.BooleanField(default=False, editable=False)
    # The safeguarding team, headteachers and auditors always sign in with a second factor; this
    # asks it of everyone, including staff who only report concerns.
    two_factor_for_everyone = models.BooleanField(
        "two-factor sign-in for every member of staff",
        default=False,
        # Also in the database, for rows written by raw SQL (manage.py generate_load_data).
        db_default=False,
        help_text="Off: staff who only report a concern may sign in with their password alone. The DSL, "
        "deputies, the headteacher and auditors always need a code from an authenticator app.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one setting. A person may belong to several settings (a trust, an authority)."""

    class Role(models.TextChoices):
        STAFF = "staff", "Member of staff"
        DSL = "dsl", "Designated safeguarding lead"
        DEPUTY = "deputy", "Deputy DSL"
        HEADTEACHER = "headteacher", "Headteacher"
        AUDITOR = "auditor", "Auditor (read only)"

    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey("incidents.User", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.STAFF)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["setting", "user"], name="membership_one_role_per_setting"),
        ]
        indexes = [models.Index(fields=["user", "setting"], name="membership_user_setting")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.setting}"
