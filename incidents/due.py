"""Dates that matter, sorted into due and overdue. Plain Python: no Django imports."""

from dataclasses import dataclass
from datetime import date

# Staff who saw imagery unavoidably should be offered support quickly: within two school days.
STAFF_SUPPORT_DAYS = 2
# A viewing record should be confirmed by the viewer and witness within a day or two.
VIEWING_CONFIRM_DAYS = 2
# The headteacher signs off a decision not to refer within a day of it being put to them.
SIGN_OFF_DAYS = 1


@dataclass(frozen=True)
class DueItem:
    key: str  # stable across runs, e.g. "referral_chase:<uuid>:2026-11-25", so reminders can dedupe
    setting_id: int
    incident_code: str
    incident_reference: str
    what: str  # no personal details: reminders are emailed
    due: date
    section: str = ""

    def is_overdue(self, today: date) -> bool:
        return self.due < today

    def days_overdue(self, today: date) -> int:
        return max((today - self.due).days, 0)


def oldest_first(items: list[DueItem]) -> list[DueItem]:
    return sorted(items, key=lambda item: (item.due, item.incident_reference, item.key))


def split(items: list[DueItem], today: date) -> tuple[list[DueItem], list[DueItem]]:
    """(overdue, due today or later), each oldest first."""
    ordered = oldest_first(items)
    return [i for i in ordered if i.is_overdue(today)], [i for i in ordered if not i.is_overdue(today)]
