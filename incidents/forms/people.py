from django import forms

from incidents.forms.widgets import DateInput
from incidents.models import Setting, YoungPerson


class YoungPersonForm(forms.ModelForm):
    setting = forms.ModelChoiceField(queryset=Setting.objects.none(), label="Setting")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = YoungPerson
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "year_group",
            "additional_needs",
            "additional_needs_note",
            "known_to_social_care",
            "date_left",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "date_left": DateInput(),
            "additional_needs_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, recorder_settings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["setting"]
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
            self.fields["setting"].queryset = recorder_settings
            if recorder_settings.count() == 1:
                self.fields["setting"].initial = recorder_settings.first()
                self.fields["setting"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("additional_needs_note") and not cleaned.get("additional_needs"):
            self.add_error("additional_needs", "Tick this box if you describe their needs below.")
        return cleaned

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
