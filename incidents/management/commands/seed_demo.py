"""Create (or refresh) the demo setting, one account per role and about 20 fictional incidents."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from incidents import workflow
from incidents.demo.data import DEMO_SETTING_NAME, INCIDENTS, PUPILS, STAFF
from incidents.demo.policy import seed_policy
from incidents.models import Incident, Membership, Setting, User
from incidents.services.incidents import incident_change_status, incident_create
from incidents.services.people import involvement_add, young_person_create

DEFAULT_PASSWORD = "oakfield-demo-2026"  # noqa: S105 # nosec B105 # fictional demo accounts, printed on purpose

# The path each final status is reached by, so the chronology reads as a real case would.
PATHS = {
    workflow.REPORTED: [],
    workflow.UNDER_REVIEW: [workflow.UNDER_REVIEW],
    workflow.REFERRED: [workflow.UNDER_REVIEW, workflow.REFERRED],
    workflow.MANAGED_IN_SETTING: [workflow.UNDER_REVIEW, workflow.MANAGED_IN_SETTING],
    workflow.CLOSED: [workflow.UNDER_REVIEW, workflow.MANAGED_IN_SETTING, workflow.CLOSED],
}


class Command(BaseCommand):
    help = "Create the demo setting 'Oakfield Academy' with one user per role and fictional incidents. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo account.")

    def handle(self, *args, password: str, **options):
        with transaction.atomic():
            setting, created = Setting.objects.get_or_create(
                name=DEMO_SETTING_NAME,
                defaults={
                    "kind": Setting.Kind.SCHOOL,
                    "mash_phone": "01632 960 500",
                    "mash_email": "mash@example.org",
                    "lado_phone": "01632 960 501",
                },
            )
            users = {
                username: self._user(setting, username, first, last, role, phone, password)
                for username, first, last, role, phone in STAFF
            }
            if created or not setting.incidents.exists():
                self._incidents(setting, users["dsl"])
            # seed: disclosures (issue 3)
            from incidents.demo.disclosures import seed_disclosures

            seed_disclosures(setting, users)

            # seed: reviews, assessments, decisions and sign-offs (issue 4)
            from incidents.demo.decisions import seed_decisions

            seed_decisions(setting, users["dsl"], users["head"])

            # seed: actions (issue 5)

            # seed: signing key and records (issue 6)

            # seed: second factor for demo users (issue 7)
            from incidents.demo.second_factor import seed_second_factor

            with_second_factor = seed_second_factor(users)

            # seed: adopted policy and training (issue 8)
            seed_policy(setting, users)

        self.stdout.write(self.style.SUCCESS(f"Demo setting: {setting.name}, {setting.incidents.count()} incidents."))
        self.stdout.write("Demo sign-ins (username / password):")
        for username, first, last, role, _ in STAFF:
            self.stdout.write(f"  {username:8} / {password}   {first} {last}, {Membership.Role(role).label}")
        from incidents.demo.second_factor import DEMO_TOTP_SECRET

        self.stdout.write(
            f"Second factor for {', '.join(with_second_factor)}: add the key {DEMO_TOTP_SECRET} to an authenticator "
            "app (time-based, 6 digits, 30 seconds), or print the current code with "
            "`python manage.py demo_totp USERNAME`."
        )

    def _user(self, setting, username, first, last, role, phone, password) -> User:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@oakfield.example"},
        )
        user.phone = phone
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(setting=setting, user=user, defaults={"role": role, "is_active": True})
        return user

    def _incidents(self, setting: Setting, dsl: User) -> None:
        pupils = [
            young_person_create(
                actor=dsl,
                setting=setting,
                first_name=first,
                last_name=last,
                date_of_birth=date.fromisoformat(dob),
                sex=sex,
                year_group=year,
            )
            for first, last, dob, sex, year in PUPILS
        ]
        now = timezone.now()
        for (
            days,
            status,
            attention,
            classification,
            subtype,
            types,
            platforms,
            spread,
            adults,
            summary,
            people,
        ) in INCIDENTS:
            reported_at = now - timedelta(days=days, hours=days % 7)
            incident = incident_create(
                actor=dsl,
                setting=setting,
                reported_at=reported_at,
                occurred_on=(reported_at - timedelta(days=1)).date(),
                came_to_attention=attention,
                summary=summary,
                classification=classification,
                classification_subtype=subtype,
                platforms=platforms,
                spread=spread,
                adults_involved=adults,
                adults_description="An adult contacted the young person online." if adults == "yes" else "",
                owner=dsl,
                **{name: True for name in types},
            )
            for index, roles in people:
                involvement_add(actor=dsl, incident=incident, person=pupils[index], roles=roles)
            for step in PATHS[status]:
                incident = incident_change_status(
                    actor=dsl,
                    incident=Incident.objects.get(pk=incident.pk),
                    status=step,
                    reason="All actions complete; record checked." if step == workflow.CLOSED else "",
                    # Demo cases closed before YSI: their actions were recorded on paper.
                    override_reason="Recorded on the paper file before YSI." if step == workflow.CLOSED else "",
                )
