"""Demo reports from staff: one waiting more than an hour (highlighted), one urgent from a member of
staff who was shown the imagery, and one the DSL acknowledged yesterday. Fictional throughout."""

import uuid
from datetime import timedelta

from django.utils import timezone

from incidents.models import Setting, User
from incidents.services.disclosures import DisclosureInput, disclosure_acknowledge, disclosure_report

# Fixed keys make the seed idempotent: a second run finds the same reports.
KEYS = [uuid.UUID(f"00000000-0000-4000-8000-00000000030{n}") for n in range(3)]


def seed_disclosures(setting: Setting, users: dict[str, User]) -> None:
    now = timezone.now()
    reports = [
        (
            users["staff"],
            now - timedelta(hours=2, minutes=30),
            DisclosureInput(
                source="friend",
                disclosed_at=now - timedelta(hours=2, minutes=40),
                young_people_named="Chloe (Year 9), Daniel (Year 10)",
                what_was_said="Two Year 9 girls told me at break that a picture of Chloe is being passed round "
                "a Year 10 group chat. They said Daniel started it. They did not show me anything.",
                imagery_known="Said to be a photo Chloe sent Daniel; now in a Year 10 group chat.",
                devices="Daniel's phone (as far as they know)",
            ),
            None,
        ),
        (
            users["head"],
            now - timedelta(minutes=20),
            DisclosureInput(
                source="young_person",
                disclosed_at=now - timedelta(minutes=30),
                young_people_named="Ella (Year 8)",
                what_was_said="Ella came to my office in tears. She said an adult she met online has asked for "
                "more pictures and says he will send the first one to her friends if she does not.",
                imagery_known="An adult online has at least one image of Ella.",
                devices="Ella's phone",
                reporter_saw_imagery="shown",
                immediate_risk=True,
            ),
            None,
        ),
        (
            users["staff"],
            now - timedelta(days=1, hours=3),
            DisclosureInput(
                source="it_monitoring",
                disclosed_at=now - timedelta(days=1, hours=3, minutes=10),
                young_people_named="Not known: a Year 11 account",
                what_was_said="The filtering system flagged a search on a Year 11 account for a site where "
                "images are shared. I did not open anything.",
                devices="School laptop, IT room 2",
            ),
            timedelta(minutes=35),
        ),
    ]
    for key, (reporter, received, data, acknowledged_after) in zip(KEYS, reports, strict=True):
        disclosure, created = disclosure_report(
            reporter=reporter, setting=setting, idempotency_key=key, data=data, now=received
        )
        if created and acknowledged_after:
            disclosure_acknowledge(actor=users["dsl"], disclosure=disclosure, now=received + acknowledged_after)
