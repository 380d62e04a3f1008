from django import forms

from incidents.forms.widgets import DateInput, DateTimeInput
from incidents.models import Incident, Involvement, Membership, Setting, User, YoungPerson


def _safeguarding_team(setting_ids: list[int]):
    return User.objects.filter(
        memberships__setting_id__in=setting_ids,
        memberships__role__in=[Membership.Role.DSL, Membership.Role.DEPUTY],
        memberships__is_active=True,
        is_active=True,
    ).distinct()


class IncidentForm(forms.ModelForm):
    setting = forms.ModelChoiceField(queryset=Setting.objects.none(), required=True, label="Setting")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Incident
        fields = [
            "reported_at",
            "occurred_on",
            "occurred_on_is_approximate",
            "came_to_attention",
            "summary",
            "creates_and_shares_own",
            "shares_anothers",
            "possesses_anothers",
            "platforms",
            "spread",
            "classification",
            "classification_subtype",
            "adults_involved",
            "adults_description",
            "owner",
        ]
        widgets = {
            "reported_at": DateTimeInput(),
            "occurred_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "adults_description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "summary": "Write what you have been told. Do not view the imagery to write this.",
            "classification_subtype": "Optional. Leave blank until you have enough information.",
        }

    def __init__(self, *args, recorder_settings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["setting"]
            setting_ids = [self.instance.setting_id]
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
            self.fields["setting"].queryset = recorder_settings
            if recorder_settings is not None and recorder_settings.count() == 1:
                self.fields["setting"].initial = recorder_settings.first()
                self.fields["setting"].widget = forms.HiddenInput()
            setting_ids = list(recorder_settings.values_list("id", flat=True)) if recorder_settings is not None else []
        self.fields["owner"].queryset = _safeguarding_team(setting_ids)
        self.fields["classification_subtype"].required = False

    def clean_reported_at(self):
        value = self.cleaned_data["reported_at"]
        original = self.instance.reported_at if self.instance.pk else None
        # The form shows minutes only; an untouched time must not count as a change of seconds.
        if original and value == original.replace(second=0, microsecond=0):
            return original
        return value

    def clean(self):
        cleaned = super().clean()
        classification = cleaned.get("classification")
        subtype = cleaned.get("classification_subtype")
        if subtype:
            allowed = {
                Incident.Classification.AGGRAVATED: Incident.AGGRAVATED_SUBTYPES,
                Incident.Classification.EXPERIMENTAL: Incident.EXPERIMENTAL_SUBTYPES,
            }.get(classification, ())
            if subtype not in allowed:
                self.add_error(
                    "classification_subtype",
                    "This sub-type does not match the classification. Choose a sub-type of the same kind, or none.",
                )
        if cleaned.get("adults_involved") == Incident.AdultsInvolved.YES and not cleaned.get("adults_description"):
            self.add_error("adults_description", "Say what is known about the adults involved.")
        owner, setting = cleaned.get("owner"), cleaned.get("setting")
        if owner and setting and not _safeguarding_team([setting.id]).filter(pk=owner.pk).exists():
            self.add_error("owner", "The DSL responsible must be a DSL or deputy of this setting.")
        return cleaned

    def _post_clean(self):
        # The services validate and save; the form only checks what was typed.
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Incident.Status.choices, label="New status")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Required when closing or reopening.",
    )
    override_reason = forms.CharField(
        label="Reason for closing with the record incomplete",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Only if the completeness checklist shows items missing: the chronology keeps this reason.",
    )


class NoteForm(forms.Form):
    text = forms.CharField(label="Add a note to the chronology", widget=forms.Textarea(attrs={"rows": 3}))


class InvolvementForm(forms.Form):
    """Add a young person to an incident: someone already known, or a new record made on the spot."""

    young_person = forms.ModelChoiceField(
        queryset=YoungPerson.objects.none(), required=False, label="Young person already known to us"
    )
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    date_of_birth = forms.DateField(required=False, widget=DateInput())
    year_group = forms.CharField(max_length=40, required=False)
    sex = forms.ChoiceField(choices=YoungPerson.Sex.choices, initial=YoungPerson.Sex.NOT_RECORDED, required=False)
    roles = forms.MultipleChoiceField(
        choices=Involvement.Role.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Their part in the incident",
        help_text="Tick every one that applies.",
    )

    NEW_PERSON_FIELDS = ("first_name", "last_name", "date_of_birth")

    def __init__(self, *args, setting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = YoungPerson.objects.filter(setting=setting)

    def clean(self):
        cleaned = super().clean()
        new_details = any(cleaned.get(name) for name in self.NEW_PERSON_FIELDS)
        if cleaned.get("young_person") and new_details:
            raise forms.ValidationError(
                "Choose a young person already known to us, or enter a new one's details, not both."
            )
        if not cleaned.get("young_person"):
            if not new_details:
                self.add_error("young_person", "Choose a young person, or enter a new one's details below.")
            else:
                for name in self.NEW_PERSON_FIELDS:
                    if not cleaned.get(name) and name not in self.errors:
                        self.add_error(name, f"Enter the young person's {self.fields[name].label.lower()}.")
        return cleaned

    def new_person_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in ("first_name", "last_name", "date_of_birth", "year_group")}
        fields["sex"] = self.cleaned_data.get("sex") or YoungPerson.Sex.NOT_RECORDED
        return fields


class RemoveInvolvementForm(forms.Form):
    reason = forms.CharField(label="Why remove them?", widget=forms.Textarea(attrs={"rows": 2}))


class GrantForm(forms.Form):
    member = forms.ModelChoiceField(queryset=User.objects.none(), label="Member of staff")
    reason = forms.CharField(
        label="Why do they need it?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: the young person asked to talk to this teacher.",
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class IncidentFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Reference or young person's name")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), ("open", "Any open status"), *Incident.Status.choices]
    )
    classification = forms.ChoiceField(
        required=False, choices=[("", "Any classification"), *Incident.Classification.choices]
    )
    reported_from = forms.DateField(required=False, label="Reported from", widget=DateInput())
    reported_to = forms.DateField(required=False, label="Reported to", widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("reported_from"), cleaned.get("reported_to")
        if start and end and start > end:
            self.add_error("reported_to", "The end of the date range is before its start.")
        return cleaned
