from datetime import date

from django import forms
from django.utils import timezone

from incidents.forms.widgets import DateInput
from incidents.models import Setting, TransferRecord


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Enter your password again: exported records leave the app, so we check it is you.",
    )


def _year_start() -> date:
    today = timezone.localdate()
    # The school year starts on 1 September.
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


class PeriodForm(forms.Form):
    setting = forms.ModelChoiceField(queryset=Setting.objects.none(), label="Setting", empty_label=None)
    start = forms.DateField(label="From", widget=DateInput)
    end = forms.DateField(label="To (inclusive)", widget=DateInput)
    for_governors = forms.BooleanField(label="For governors: show small counts as “fewer than 5”", required=False)

    def __init__(self, *args, settings_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["setting"].queryset = settings_qs
        self.settings_qs = settings_qs
        if len(settings_qs) == 1:
            # One setting: nothing to choose, so the field may be left out of the request.
            self.fields["setting"].widget = forms.HiddenInput()
            self.fields["setting"].required = False
        self.initial.setdefault("setting", settings_qs[0].pk if settings_qs else None)
        self.initial.setdefault("start", _year_start())
        self.initial.setdefault("end", timezone.localdate())

    def clean(self):
        data = super().clean()
        if not data.get("setting") and "setting" not in self.errors and len(self.settings_qs) == 1:
            data["setting"] = self.settings_qs[0]
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be on or after the start date.")
        if start and end and (end - start).days > 366 * 5:
            self.add_error("start", "Choose a period of five years or less.")
        return data


class AuditPackForm(PeriodForm, ConfirmPasswordForm):
    initials_only = forms.BooleanField(label="Show young people by their initials only", required=False, initial=True)
    field_order = ["setting", "start", "end", "initials_only", "for_governors", "password"]


class TransferForm(forms.Form):
    receiving_setting = forms.CharField(label="School or college it was sent to", max_length=200)
    sent_on = forms.DateField(label="Date sent", widget=DateInput)
    method = forms.ChoiceField(label="How it was sent", choices=TransferRecord.Method.choices)
    method_notes = forms.CharField(
        label="About how it was sent", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label="Date the receiving setting confirmed receipt", widget=DateInput)
    confirmed_by = forms.CharField(label="Who confirmed receipt", max_length=200)
