"""Forms for the actions after the review. They check what was typed; the services enforce the rules.

Help texts quote the policy's own short phrases where it guides the person filling the form in.
"""

from django import forms
from django.utils import timezone

from incidents.forms.citations import cited
from incidents.forms.widgets import DateInput, DateTimeInput
from incidents.models import (
    DeletionDecision,
    DeletionRequest,
    Incident,
    Membership,
    OnlineReport,
    ParentsDecision,
    Referral,
    UnavoidableViewing,
    User,
    ViewingRecord,
    YoungPerson,
)
from incidents.services.followup import ONLINE_SERVICE_HELP

Role = Membership.Role


def members(incident: Incident, roles: tuple[str, ...] | None = None):
    users = User.objects.filter(
        memberships__setting_id=incident.setting_id, memberships__is_active=True, is_active=True
    )
    if roles:
        users = users.filter(memberships__role__in=roles)
    return users.distinct().order_by("last_name", "first_name", "username")


def people_in(incident: Incident):
    return YoungPerson.objects.filter(involvements__incident=incident).distinct().order_by("last_name", "first_name")


def now_minutes() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class IncidentForm(forms.Form):
    """A form bound to one incident, whose people and staff fill its choices."""

    def __init__(self, *args, incident: Incident, **kwargs):
        self.incident = incident
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, DateTimeInput) and name not in self.initial:
                self.initial.setdefault(name, now_minutes())
        if "young_person" in self.fields:
            self.fields["young_person"].queryset = people_in(incident)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ReferralForm(IncidentForm):
    agency = forms.ChoiceField(
        choices=Referral.Agency.choices,
        help_text=cited(
            "Police: \u201cIf it is necessary to refer to the police, contact should be made by dialling 101.\u201d "
            "\u201cOnce a report is made to the police, the report has to be recorded and the police will conduct an "
            "investigation.\u201d",
            "Reporting incidents to the police",
        ),
    )
    agency_name = forms.CharField(label="Which school or college", required=False, max_length=200)
    made_at = forms.DateTimeField(label="Referred at", widget=DateTimeInput())
    method = forms.ChoiceField(label="How", choices=Referral.Method.choices)
    contact_name = forms.CharField(label="Contact name", max_length=200)
    agency_reference = forms.CharField(label="The agency's reference", required=False, max_length=100)
    information_shared = forms.CharField(label="What was shared", widget=forms.Textarea(attrs={"rows": 3}))
    next_chase_due = forms.DateField(
        label="Next chase due",
        required=False,
        widget=DateInput(),
        help_text=cited(
            "Ofsted look for \u201ctenacity in following up concerns with relevant agencies\u201d.",
            "Recording incidents",
        ),
    )


class ChaseForm(forms.Form):
    chased_at = forms.DateTimeField(label="Chased at", widget=DateTimeInput())
    result = forms.CharField(label="Result", widget=forms.Textarea(attrs={"rows": 2}))
    next_chase_due = forms.DateField(label="Next chase due", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("chased_at", now_minutes())


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[c for c in Referral.Outcome.choices if c[0] != Referral.Outcome.AWAITING],
        help_text=cited(
            "Outcome 21: further investigation \u201cis not in the public interest. This is a police decision.\u201d",
            "Police involvement and future DBS checks",
        ),
    )
    notes = forms.CharField(label="About the outcome", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ParentsForm(IncidentForm):
    young_person = forms.ModelChoiceField(queryset=YoungPerson.objects.none(), label="Young person")
    decision = forms.ChoiceField(
        choices=ParentsDecision.Decision.choices,
        widget=forms.RadioSelect,
        initial=ParentsDecision.Decision.INFORM,
        help_text=cited(
            "Parents or carers \u201cwill be informed and involved in the process at an early stage unless "
            "informing the parent will put the child/young person at risk of harm\u201d.",
            "Informing parents or carers",
        ),
    )
    informed_at = forms.DateTimeField(label="When", required=False, widget=DateTimeInput())
    informed_by = forms.ModelChoiceField(queryset=User.objects.none(), label="By whom", required=False)
    method = forms.ChoiceField(label="How", choices=[("", "—"), *ParentsDecision.Method.choices], required=False)
    reason = forms.CharField(
        label="Reason not to inform them",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when not informing them: the risk of harm to the young person.",
    )
    decided_with = forms.ChoiceField(
        label="Decided with",
        choices=[("", "—"), *ParentsDecision.DecidedWith.choices],
        required=False,
        help_text=cited(
            "A decision not to inform \u201cwould generally be made in conjunction with other services such "
            "as the MASH and/or the police\u201d.",
            "Informing parents or carers",
        ),
    )
    decided_with_name = forms.CharField(label="Name and role of who it was decided with", required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["informed_by"].queryset = members(self.incident)


class DeviceForm(IncidentForm):
    description = forms.CharField(label="Device", max_length=200, help_text="For example: black iPhone in a red case.")
    owner = forms.CharField(label="Whose it is", max_length=200)
    seized_at = forms.DateTimeField(label="Seized at", widget=DateTimeInput())
    seized_by = forms.ModelChoiceField(queryset=User.objects.none(), label="Seized by")
    switched_off = forms.BooleanField(
        label="It was switched off",
        required=False,
        help_text=cited(
            "The policy: \u201cThe device should be turned off and placed under lock and key until the "
            "police are able to come and retrieve it.\u201d Do not look through it.",
            "Securing and handing over devices to the police",
        ),
    )
    locked_away_where = forms.CharField(label="Where it is locked away", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seized_by"].queryset = members(self.incident)


class HandOverForm(forms.Form):
    to_police = forms.BooleanField(label="Handed to the police", required=False)
    to_name = forms.CharField(
        label="Handed to", required=False, max_length=200, help_text="Leave blank when handing it to the police."
    )
    police_officer_name = forms.CharField(label="Officer's name", required=False, max_length=200)
    police_officer_number = forms.CharField(label="Officer's number", required=False, max_length=40)
    at = forms.DateTimeField(label="When", widget=DateTimeInput())
    notes = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("at", now_minutes())


class ViewingForm(IncidentForm):
    young_person = forms.ModelChoiceField(queryset=YoungPerson.objects.none(), label="Young person in the imagery")
    justification = forms.ChoiceField(
        label="Why viewing is necessary",
        choices=ViewingRecord.Justification.choices,
        widget=forms.RadioSelect,
        help_text=cited(
            "Staff \u201cwill not view youth produced sexual imagery unless there is good and clear reason "
            "to do so\u201d.",
            "Viewing the imagery",
        ),
    )
    headteacher = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Discussed with the headteacher",
        help_text=cited(
            "\u201cDiscuss the decision with the Headteacher\u201d.",
            "Viewing the imagery",
        ),
    )
    viewer = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Who viewed it",
        help_text=cited(
            "\u201cOur DSL or another member of the safeguarding team with delegated authority from the "
            "Headteacher\u201d.",
            "Viewing the imagery",
        ),
    )
    delegated_authority = forms.BooleanField(
        label="The viewer has the headteacher's delegated authority",
        required=False,
        help_text="Needed when the viewer is not the DSL.",
    )
    witness = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Member of staff present",
        help_text=cited(
            "\u201cIdeally the Headteacher or a member of the senior leadership team. This staff member does "
            "not need to view the images.\u201d",
            "Viewing the imagery",
        ),
    )
    on_premises = forms.BooleanField(label="On the setting's premises", required=False, initial=True)
    location = forms.CharField(
        label="Where",
        max_length=200,
        help_text=cited(
            "\u201cIdeally in the Headteacher or a member of the senior leadership team's office.\u201d",
            "Viewing the imagery",
        ),
    )
    same_sex = forms.ChoiceField(
        label="Is the viewer the same sex as the young person?",
        choices=ViewingRecord.SameSex.choices,
        widget=forms.RadioSelect,
        help_text=cited(
            "\u201cWherever possible ... viewed by a staff member of the same sex as the young person in "
            "the imagery\u201d.",
            "Viewing the imagery",
        ),
    )
    same_sex_reason = forms.CharField(label="If not, why", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    viewed_at = forms.DateTimeField(label="Viewed at", widget=DateTimeInput())
    reason = forms.CharField(label="Why it was viewed", widget=forms.Textarea(attrs={"rows": 2}))
    what_followed = forms.CharField(label="What followed", widget=forms.Textarea(attrs={"rows": 2}))
    confirm_not_copied = forms.BooleanField(
        label="The imagery was not copied, printed or shared",
        required=False,
        help_text=cited(
            "\u201cNever copy, print or share the imagery; this is illegal.\u201d",
            "Viewing the imagery",
        ),
    )
    confirm_no_distress = forms.BooleanField(
        label="Viewing would not cause the young person significant distress or harm",
        required=False,
        help_text=cited(
            "\u201cImagery will never be viewed if the act of viewing will cause significant distress or "
            "harm to the pupil.\u201d",
            "Viewing the imagery",
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["headteacher"].queryset = members(self.incident, (Role.HEADTEACHER,))
        self.fields["viewer"].queryset = members(self.incident, (Role.DSL, Role.DEPUTY))
        self.fields["witness"].queryset = members(self.incident)


class ConfirmForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="You confirm this record as yourself: enter your own password.",
    )


class UnavoidableForm(IncidentForm):
    staff_member = forms.ModelChoiceField(queryset=User.objects.none(), label="Member of staff")
    circumstance = forms.ChoiceField(label="How it happened", choices=UnavoidableViewing.Circumstance.choices)
    viewed_on = forms.DateField(
        label="When",
        widget=DateInput(),
        help_text=cited(
            "\u201cDSLs should ensure that the staff member is provided with appropriate support.\u201d",
            "Viewing the imagery",
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = members(self.incident)
        self.initial.setdefault("viewed_on", timezone.localdate().isoformat())


class SupportForm(IncidentForm):
    offered_by = forms.ModelChoiceField(queryset=User.objects.none(), label="Support offered by")
    offered_at = forms.DateTimeField(label="When", widget=DateTimeInput())
    notes = forms.CharField(
        label="Support offered",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=cited(
            "\u201cViewing youth produced sexual imagery can be distressing for both young people and adults "
            "and appropriate emotional support may be required.\u201d",
            "Viewing the imagery",
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offered_by"].queryset = members(self.incident)


class DeletionDecisionForm(IncidentForm):
    method = forms.ChoiceField(
        label="Decision",
        choices=DeletionDecision.Method.choices,
        widget=forms.RadioSelect,
        initial=DeletionDecision.Method.ASK_YOUNG_PEOPLE,
        help_text=cited(
            "\u201cIn most cases young people are asked to delete imagery and to confirm that they have "
            "deleted the imagery.\u201d Schools should not search devices \u201cunless there is good and clear "
            "reason to do so\u201d.",
            "Deletion of images",
        ),
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))
    decided_at = forms.DateTimeField(label="Decided at", widget=DateTimeInput())


class DeletionRequestForm(IncidentForm):
    young_person = forms.ModelChoiceField(queryset=YoungPerson.objects.none(), label="Young person")
    asked_at = forms.DateTimeField(label="Asked at", widget=DateTimeInput())
    deadline = forms.DateField(label="Deadline for deletion", widget=DateInput())
    on_devices = forms.BooleanField(label="Devices", required=False)
    in_online_storage = forms.BooleanField(label="Online storage", required=False)
    on_social_media = forms.BooleanField(
        label="Social media",
        required=False,
        help_text=cited(
            "\u201cA deadline for deletion across all devices, online storage or social media sites.\u201d",
            "Deletion of images",
        ),
    )
    told_offence = forms.BooleanField(
        label="They were told that keeping the imagery, or refusing to delete it, is a criminal offence and the "
        "police may become involved",
        required=False,
    )
    parents_informed = forms.ChoiceField(
        label="Parents or carers informed",
        choices=DeletionRequest.ParentsInformed.choices,
        help_text=cited(
            "\u201cParents and carers will also be informed unless this presents a further risk to the young "
            "person.\u201d",
            "Deletion of images",
        ),
    )
    parents_reason = forms.CharField(
        label="Why parents are not told", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeletionConfirmForm(forms.Form):
    confirmed_at = forms.DateTimeField(label="Deletion confirmed at", widget=DateTimeInput())
    method = forms.ChoiceField(label="How", choices=DeletionRequest.ConfirmationMethod.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("confirmed_at", now_minutes())


class EscalateForm(forms.Form):
    notes = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=cited(
            "If they refuse or did not delete the image \u201cthey are committing a criminal offence and the "
            "police may become involved\u201d.",
            "Deletion of images",
        ),
    )


class ConversationForm(IncidentForm):
    young_person = forms.ModelChoiceField(queryset=YoungPerson.objects.none(), label="Young person")
    led_by = forms.ModelChoiceField(queryset=User.objects.none(), label="Who talked with them")
    preferred_staff_led = forms.BooleanField(
        label="The young person's preferred member of staff led it",
        required=False,
        help_text=cited(
            "\u201cIf the young person feels more comfortable talking to a different teacher, this will be "
            "facilitated where possible.\u201d That member of staff is given access to this incident only.",
            "Interviewing and talking to the young person/people involved",
        ),
    )
    held_at = forms.DateTimeField(label="When", widget=DateTimeInput())
    topic_pressures = forms.BooleanField(
        label="The pressures young people can be under to share imagery", required=False
    )
    topic_consent_trust = forms.BooleanField(label="Consent and trust within healthy relationships", required=False)
    topic_who_to_tell = forms.BooleanField(label="Who they can tell if this happens again", required=False)
    image_contents = forms.CharField(
        label="What the image contains, identified without looking",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=cited(
            "\u201cIdentify, without looking, what the image contains and whether anyone else has been involved.\u201d",
            "Interviewing and talking to the young person/people involved",
        ),
    )
    who_has_seen = forms.CharField(
        label="Who has seen or shared it", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    stopping_spread = forms.CharField(
        label="How further spread can be stopped",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=cited(
            "\u201cFind out who has seen or shared the image and how further distribution can be prevented.\u201d",
            "Interviewing and talking to the young person/people involved",
        ),
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=cited(
            "Stay solution-focused: avoid questions such as \u201cwhy have you done this?\u201d",
            "Interviewing and talking to the young person/people involved",
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["led_by"].queryset = members(self.incident)


class OnlineReportForm(IncidentForm):
    service = forms.ChoiceField(
        label="Reported to",
        choices=OnlineReport.Service.choices,
        widget=forms.RadioSelect,
        help_text=" ".join(ONLINE_SERVICE_HELP.values()),
    )
    service_name = forms.CharField(label="Which platform or service", required=False, max_length=200)
    reported_at = forms.DateTimeField(label="Reported at", widget=DateTimeInput())
    reported_by = forms.CharField(
        label="By whom", max_length=200, help_text="A member of staff, the young person or a parent."
    )
    reference = forms.CharField(required=False, max_length=200)
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SanctionForm(IncidentForm):
    young_person = forms.ModelChoiceField(queryset=YoungPerson.objects.none(), label="Young person")
    description = forms.CharField(label="The sanction", widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = forms.DateField(label="Decided on", widget=DateInput())
    headteacher = forms.ModelChoiceField(queryset=User.objects.none(), label="Agreed with the headteacher")
    in_line_with_behaviour_policy = forms.BooleanField(
        label="In line with the behaviour policy",
        required=False,
        help_text=cited(
            "Disciplinary measures are \u201cat the discretion of the Headteacher and DSL and ... in line "
            "with our behaviour policies\u201d.",
            "Deletion of images",
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["headteacher"].queryset = members(self.incident, (Role.HEADTEACHER,))
        self.initial.setdefault("decided_on", timezone.localdate().isoformat())
