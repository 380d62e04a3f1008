"""Forms of the initial review, the risk assessment, referral, revision and sign-off.

None of them edits a decision: each one feeds a service that records something new. A signed
decision has no form at all.
"""

import hashlib
import json

from django import forms

from incidents import rules
from incidents.forms.citations import cited
from incidents.forms.widgets import DateTimeInput
from incidents.models import Decision, Membership, ReviewMeeting, RiskAssessment, User
from incidents.services.decisions import REVIEW_ANSWER_FIELDS, facts_to_json

Outcome = Decision.Outcome

# The facts the DSL answers on the review page, with the wording they see.
FACT_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("adult_involved", "An adult (18 or over) is involved", ""),
    (
        "coerced_blackmailed_or_groomed",
        "There is reason to believe a young person was coerced, blackmailed or groomed",
        "",
    ),
    (
        "capacity_to_consent_concern",
        "There is a concern about a young person's capacity to consent",
        "For example, owing to special educational needs.",
    ),
    (
        "unusual_or_violent_content",
        "What is known suggests sexual acts unusual for the young person's developmental stage, or violence",
        "Judge from what you have been told. Do not view the imagery.",
    ),
    ("depicts_sexual_acts", "What is known (without viewing) suggests the imagery shows sexual acts", ""),
    (
        "immediate_risk_of_harm",
        "A young person is at immediate risk of harm",
        "For example, presenting as suicidal or self-harming.",
    ),
    (
        "shared_without_consent",
        "It was shared without the knowledge, or against the will, of the young person pictured",
        "",
    ),
    ("malicious_intent", "There was malicious intent", ""),
)


def parse_ages(text: str) -> tuple[int, ...]:
    ages = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise forms.ValidationError(
                f"“{part}” is not an age: write whole numbers separated by commas, e.g. 14, 15."
            )
        ages.append(int(part))
    return tuple(ages)


class OtherAttendeesField(forms.CharField):
    """People present who do not use YSI, one per line as "name, role"."""

    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value):
        text = super().to_python(value)
        people = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, _, role = line.partition(",")
            if not name.strip() or not role.strip():
                raise forms.ValidationError(
                    f"Line {number} (“{line}”): write the name, a comma, then the role, "
                    "for example “Pat Jones, social worker”."
                )
            people.append({"name": name.strip(), "role": role.strip()})
        return people

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{p['name']}, {p['role']}" for p in value)
        return value


class DecisionFieldsMixin(forms.Form):
    outcome = forms.ChoiceField(
        label="What did the review decide?", choices=Outcome.choices, widget=forms.RadioSelect, required=False
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=cited(
            "A decision not to refer must give its reason: \u201cwe will record our reason for doing so and ensure "
            "that this is signed off by the Headteacher\u201d.",
            "Recording incidents",
        ),
    )
    justification = forms.CharField(
        label="Why the decision departs from the rules' recommendation",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed only when you decide not to refer although the rules recommend referral.",
    )


class ReviewForm(DecisionFieldsMixin, forms.ModelForm):
    ages = forms.CharField(
        label="Ages at the incident of the young people involved",
        required=False,
        help_text="Filled in from their dates of birth. Separate ages with commas.",
    )
    classification = forms.ChoiceField(
        label="Is the incident experimental or aggravated?",
        choices=[("", "Not yet decided"), (rules.EXPERIMENTAL, "Experimental"), (rules.AGGRAVATED, "Aggravated")],
        required=False,
        widget=forms.RadioSelect,
    )
    other_attendees = OtherAttendeesField(
        label="Others present (not YSI users)",
        required=False,
        help_text="One per line: name, then a comma, then their role. For example: Pat Jones, social worker.",
    )
    checked = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReviewMeeting
        fields = ["held_at", "attendees", "other_attendees", *REVIEW_ANSWER_FIELDS]
        widgets = {
            "held_at": DateTimeInput(),
            "attendees": forms.CheckboxSelectMultiple,
            "immediate_risk": forms.RadioSelect,
            "spread": forms.RadioSelect,
            "removal": forms.RadioSelect,
            "contact_others": forms.RadioSelect,
            "tell_parents": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in REVIEW_ANSWER_FIELDS
                if name.endswith(("_notes", "_reason", "_information", "_facts", "where_shared"))
            },
        }
        help_texts = {
            "viewing_necessary": cited(
                "\u201cIn most cases, imagery should not be viewed.\u201d Leave this unticked unless viewing is the "
                "only way to safeguard a young person.",
                "Initial review meeting",
            ),
        }

    def __init__(self, *args, incident, risk_level: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.risk_level = risk_level
        self.fields["attendees"].queryset = User.objects.filter(
            memberships__setting_id=incident.setting_id,
            memberships__is_active=True,
            memberships__role__in=[
                Membership.Role.DSL,
                Membership.Role.DEPUTY,
                Membership.Role.HEADTEACHER,
                Membership.Role.STAFF,
            ],
            is_active=True,
        ).distinct()
        self.fields["attendees"].required = False
        for name in ("immediate_risk", "spread", "removal", "contact_others", "tell_parents"):
            # RadioSelect would offer the model's blank choice as "---------"; an answer is required.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        for name, label, help_text in FACT_QUESTIONS:
            self.fields[name] = forms.BooleanField(label=label, help_text=help_text, required=False)
        # The facts come before the decision so the page reads in the order of the meeting.
        order = [f for f in self.fields if f not in ("outcome", "reason", "justification")]
        self.order_fields([*order, "outcome", "reason", "justification"])

    def clean_ages(self):
        return parse_ages(self.cleaned_data.get("ages", ""))

    def clean(self):
        cleaned = super().clean()
        if "ages" in cleaned:
            try:
                self.facts = self.build_facts(cleaned)
            except ValueError as error:
                self.add_error("ages", str(error))
        return cleaned

    def build_facts(self, cleaned) -> rules.Facts:
        facts = rules.Facts(
            ages=cleaned["ages"],
            classification=cleaned.get("classification") or None,
            risk_level=self.risk_level,
            **{name: bool(cleaned.get(name)) for name, _, _ in FACT_QUESTIONS},
        )
        if cleaned.get("financial_sextortion"):
            facts = rules.with_sextortion(facts)
        return facts

    def facts_signature(self) -> str:
        """A fingerprint of the facts the rules were shown for, so a record matches what was read."""
        data = json.dumps(facts_to_json(self.facts), sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:32]

    def answers(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in REVIEW_ANSWER_FIELDS}


def review_initial(facts: rules.Facts) -> dict:
    initial = {name: getattr(facts, name) for name, _, _ in FACT_QUESTIONS}
    initial["ages"] = ", ".join(str(age) for age in facts.ages)
    initial["classification"] = facts.classification or ""
    return initial


class RiskAssessmentForm(forms.ModelForm):
    class Meta:
        model = RiskAssessment
        fields = [
            *(name for question, _ in RiskAssessment.QUESTIONS for name in (question, f"{question}_notes")),
            "interviewed_young_person",
            "interview_at",
            "interview_notes",
            "risk_level",
            "notes",
        ]
        widgets = {
            "interview_at": DateTimeInput(),
            "risk_level": forms.RadioSelect,
            "who_shared": forms.Textarea(attrs={"rows": 2}),
            "where_shared": forms.Textarea(attrs={"rows": 2}),
            **{f"{question}_notes": forms.Textarea(attrs={"rows": 2}) for question, _ in RiskAssessment.QUESTIONS},
            "interview_notes": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question, text in RiskAssessment.QUESTIONS:
            self.fields[f"{question}_notes"].label = f"Notes on: {text[0].lower()}{text[1:]}"
            if isinstance(self.fields[question].widget, forms.Select):
                self.fields[question].widget = forms.RadioSelect(choices=self.fields[question].choices)
                # RadioSelect would offer the blank choice as "---------"; an answer is required.
                self.fields[question].choices = [c for c in self.fields[question].choices if c[0]]

    def answers(self) -> dict:
        return dict(self.cleaned_data)


class ReferNowForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Refer to",
        choices=[(Outcome.REFER_MASH, "The MASH"), (Outcome.REFER_POLICE, "The police")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Why refer now?", widget=forms.Textarea(attrs={"rows": 3}))
    immediate_risk_of_harm = forms.BooleanField(label="A young person is at immediate risk of harm", required=False)


class ReviseDecisionForm(DecisionFieldsMixin):
    """A new decision replacing one not yet final. A signed or recorded decision gets no form at all."""

    def __init__(self, *args, decision: Decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision

    def clean(self):
        cleaned = super().clean()
        if self.decision.status not in Decision.OPEN_STATUSES:
            raise forms.ValidationError(
                f"This decision is {self.decision.get_status_display().lower()} and cannot be revised. "
                "Record a new review, or refer now, instead."
            )
        return cleaned


class SignOffForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Enter your password again to sign.",
    )


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label="Comments for the DSL",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Say what needs to change before you can sign it off.",
    )
