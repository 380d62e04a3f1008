from django import forms

from incidents import policy_document, rules
from incidents.forms.widgets import DateInput
from incidents.models import PolicyDraft, Setting, User
from incidents.services import policy as policy_service

LOCAL_PREFIX = "local_"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class PolicyDraftForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    dsl = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Designated Safeguarding Lead",
        empty_label="Choose the DSL",
    )
    deputies = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Deputy DSLs",
        widget=forms.CheckboxSelectMultiple,
        help_text="Members of the setting whose role is deputy DSL.",
    )
    headteacher = PersonChoiceField(
        queryset=User.objects.none(), required=False, label="Headteacher", empty_label="Choose the headteacher"
    )
    confirm_departure = forms.BooleanField(
        required=False,
        label="I understand that this rule set departs from current national advice, as the box above explains",
    )

    class Meta:
        model = PolicyDraft
        fields = [
            "setting_name",
            "place_term",
            "child_term",
            "dsl",
            "deputies",
            "headteacher",
            "mash_phone",
            "mash_email",
            "police_phone",
            "lado_phone",
            "lado_email",
            "rule_set",
            "curriculum",
            "next_review_on",
        ]
        labels = {"setting_name": "Name of the setting, as the policy prints it"}
        widgets = {"next_review_on": DateInput(), "curriculum": forms.TextInput()}
        help_texts = {"next_review_on": "By default one year from when the draft was started."}

    def __init__(self, *args, setting: Setting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dsl"].queryset = policy_service.dsl_choices(setting)
        self.fields["deputies"].queryset = policy_service.deputy_choices(setting)
        self.fields["headteacher"].queryset = policy_service.headteacher_choices(setting)
        self.fields["revision"].initial = self.instance.revision
        self.fields["rule_set"].widget.attrs["data-departure-select"] = "true"
        for key, title in policy_document.SECTION_TITLES.items():
            self.fields[LOCAL_PREFIX + key] = forms.CharField(
                label=f"{title}: local additions (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=(self.instance.local_additions or {}).get(key, ""),
            )

    def local_fields(self):
        return [self[LOCAL_PREFIX + key] for key in policy_document.SECTION_TITLES]

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        rule_set = cleaned.get("rule_set")
        if rule_set and rules.describe_rule_set(rule_set).departs_from_national:
            changed = rule_set != self.instance.rule_set or self.instance.revision == 0
            if changed and not cleaned.get("confirm_departure"):
                self.add_error(
                    "confirm_departure",
                    f"{rules.describe_rule_set(rule_set).title} departs from current national advice: read the box "
                    "and tick to confirm before saving.",
                )
        return cleaned

    def service_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "deputies"}
        fields["local_additions"] = {
            key: self.cleaned_data[LOCAL_PREFIX + key]
            for key in policy_document.SECTION_TITLES
            if self.cleaned_data.get(LOCAL_PREFIX + key, "").strip()
        }
        return fields


class PolicyAdoptForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    governors_ratified_on = forms.DateField(
        label="Date the governors ratified it (if they have)", required=False, widget=DateInput()
    )
    confirm = forms.BooleanField(
        label="I have read this version and approve it as the policy of the setting", required=True
    )


class TrainingSessionForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DateInput())
    title = forms.CharField(max_length=200, label="Title")
    led_by = forms.CharField(max_length=200, label="Led by")
    attendees = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Who attended",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, setting: Setting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.filter(
            memberships__setting=setting, memberships__is_active=True, is_active=True
        ).order_by("last_name", "first_name")
