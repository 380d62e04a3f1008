import uuid

from django import forms
from django.utils import timezone

from incidents import workflow
from incidents.forms.widgets import DateTimeInput
from incidents.models import Disclosure, Incident, Setting
from incidents.services.disclosures import DisclosureInput


class DisclosureForm(forms.Form):
    setting = forms.ModelChoiceField(
        queryset=Setting.objects.none(), label="Which setting is this about?", empty_label=None
    )
    # Made when the form is first shown and sent back with it: the same form sent twice is one report.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    source = forms.ChoiceField(
        label="Who told you, or how did it come to your attention?",
        choices=Disclosure.Source.choices,
        widget=forms.RadioSelect,
    )
    disclosed_at = forms.DateTimeField(
        label="When?",
        widget=DateTimeInput(),
        help_text="The date and time you were told, or noticed it. Leave it as now if it was just now.",
    )
    young_people_named = forms.CharField(
        label="Young people named",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Names and year groups, as far as you know them. Write “not known” if you do not know.",
    )
    what_was_said = forms.CharField(
        label="What was said",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In the words used, where you can. Write down what you were told; do not ask for more.",
    )
    imagery_known = forms.CharField(
        label="What do you know about the imagery, without looking at it?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who is in it, who has it, where it has been shared, as you were told.",
    )
    devices = forms.CharField(
        label="Devices involved",
        required=False,
        max_length=2000,
        help_text="For example: “her phone”, “a school laptop”. Do not take or search any device.",
    )
    reporter_saw_imagery = forms.ChoiceField(
        label="Did you see the imagery?",
        choices=Disclosure.SawImagery.choices,
        initial=Disclosure.SawImagery.NO,
        widget=forms.RadioSelect,
        help_text="If you saw it, even by accident, say so: your DSL will offer you support.",
    )
    immediate_risk = forms.BooleanField(
        label="I believe a young person is at immediate risk of harm",
        required=False,
    )

    def __init__(self, *args, reporter_settings, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4())
        kwargs["initial"].setdefault("disclosed_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        self.fields["setting"].queryset = reporter_settings
        if len(reporter_settings) == 1:
            self.fields["setting"].initial = reporter_settings[0]
            self.fields["setting"].widget = forms.HiddenInput()

    @property
    def immediate_risk_ticked(self) -> bool:
        """Whether the box is ticked as the page shows it, valid or not, so the numbers show after submit."""
        if self.is_bound:
            return self["immediate_risk"].value() in (True, "on", "true", "True", "1")
        return False

    def service_input(self) -> DisclosureInput:
        data = self.cleaned_data
        return DisclosureInput(
            source=data["source"],
            disclosed_at=data["disclosed_at"],
            young_people_named=data["young_people_named"],
            what_was_said=data["what_was_said"],
            imagery_known=data["imagery_known"],
            devices=data["devices"],
            reporter_saw_imagery=data["reporter_saw_imagery"],
            immediate_risk=data["immediate_risk"],
        )


class AnnotationForm(forms.Form):
    text = forms.CharField(label="Add to this report", widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Incident.objects.none(),
        label="Merge this report into",
        help_text="When two people reported the same thing. The report keeps its text; "
        "the chronology records the merge.",
    )

    def __init__(self, *args, disclosure: Disclosure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Incident.objects.filter(setting_id=disclosure.setting_id, status__in=workflow.OPEN_STATUSES)
            .exclude(pk=disclosure.incident_id)
            .order_by("-reported_at")
        )
        self.fields["target"].label_from_instance = lambda incident: (
            f"{incident.reference} — {incident.get_status_display().lower()}, "
            f"reported {timezone.localtime(incident.reported_at):%d %b %Y}"
        )
