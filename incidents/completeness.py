"""What an incident's record still lacks. Plain Python: no Django imports.

The checks follow what the policy says Ofsted looks for ("Are records up to date and complete?
... evidence of relevant referrals made in a timely manner? ... tenacity in following up concerns
with relevant agencies?") and the policy's own rules: a decision not to refer is signed off by the
headteacher; viewing and deletion are logged with times, dates and reasons.

`snapshot` (in incidents/selectors_actions.py) reads an incident's facts once; `check` turns
them into a checklist. Each item names the section of the incident page where it is fixed.
"""

from dataclasses import dataclass, field
from datetime import date

REFER = "refer"
MANAGE = "manage"


@dataclass(frozen=True)
class ReferralFacts:
    agency: str
    is_police: bool
    awaiting_outcome: bool
    next_chase_due: date | None


@dataclass(frozen=True)
class DeletionFacts:
    person: str
    deadline: date
    confirmed: bool
    escalated: bool


@dataclass(frozen=True)
class Facts:
    today: date
    young_people: tuple[str, ...] = ()
    # The review's decision: REFER, MANAGE or None when none is recorded yet.
    decision: str | None = None
    decision_reason_recorded: bool = False
    # None when the record cannot say (no sign-off recorded anywhere yet): treated as missing.
    non_referral_signed_off: bool | None = None
    referrals: tuple[ReferralFacts, ...] = ()
    parents_decided_for: frozenset[str] = field(default_factory=frozenset)
    viewings_total: int = 0
    viewings_unconfirmed: int = 0
    devices_total: int = 0
    devices_not_with_police: int = 0
    unavoidable_without_support: int = 0
    deletion_decided: bool = False
    deletions: tuple[DeletionFacts, ...] = ()
    conversations: int = 0
    online_reports: int = 0


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    done: bool
    detail: str = ""
    # The id of the incident page's section where this is recorded.
    section: str = ""


def check(facts: Facts) -> list[Item]:
    items = [
        _people(facts),
        _decision(facts),
        *_referrals(facts),
        _parents(facts),
        *_sign_off(facts),
        *_viewing(facts),
        *_devices(facts),
        *_deletion(facts),
        *_staff_support(facts),
        _actions(facts),
    ]
    return items


def missing(items: list[Item]) -> list[Item]:
    return [item for item in items if not item.done]


def is_complete(items: list[Item]) -> bool:
    return not missing(items)


def _people(facts: Facts) -> Item:
    return Item(
        "people",
        "Young people involved recorded",
        bool(facts.young_people),
        "" if facts.young_people else "No young person is recorded.",
        "people-title",
    )


def _decision(facts: Facts) -> Item:
    if facts.decision is None:
        return Item("decision", "Decision and reason recorded", False, "No decision recorded.", "decisions-title")
    if not facts.decision_reason_recorded:
        return Item("decision", "Decision and reason recorded", False, "The decision has no reason.", "decisions-title")
    return Item("decision", "Decision and reason recorded", True, section="decisions-title")


def _referrals(facts: Facts) -> list[Item]:
    items = []
    if facts.decision == REFER:
        items.append(
            Item(
                "referral_made",
                "Referral made",
                bool(facts.referrals),
                "" if facts.referrals else "The decision was to refer, but no referral is recorded.",
                "referrals",
            )
        )
    if not facts.referrals:
        return items
    late = [
        r
        for r in facts.referrals
        if r.awaiting_outcome and (r.next_chase_due is None or r.next_chase_due < facts.today)
    ]
    unset = sum(1 for r in late if r.next_chase_due is None)
    overdue = len(late) - unset
    parts = []
    if overdue:
        parts.append(f"{overdue} referral{'s' if overdue > 1 else ''} overdue for a chase")
    if unset:
        parts.append(f"{unset} awaiting an outcome with no chase date set")
    items.append(Item("referral_followed_up", "Referrals followed up in time", not late, "; ".join(parts), "referrals"))
    awaiting = sum(1 for r in facts.referrals if r.awaiting_outcome)
    items.append(
        Item(
            "referral_outcomes",
            "Outcomes of referrals recorded",
            not awaiting,
            f"{awaiting} referral{'s' if awaiting > 1 else ''} awaiting an outcome" if awaiting else "",
            "referrals",
        )
    )
    return items


def _parents(facts: Facts) -> Item:
    undecided = [name for name in facts.young_people if name not in facts.parents_decided_for]
    return Item(
        "parents",
        "Parents' and carers' decision recorded",
        bool(facts.young_people) and not undecided,
        ("Not yet recorded for " + ", ".join(undecided)) if undecided else "",
        "parents",
    )


def _sign_off(facts: Facts) -> list[Item]:
    if facts.decision != MANAGE:
        return []
    done = bool(facts.non_referral_signed_off)
    return [
        Item(
            "sign_off",
            "Decision not to refer signed off by the headteacher",
            done,
            "" if done else "The policy asks for the headteacher's sign-off of a decision not to refer.",
            "decisions-title",
        )
    ]


def _viewing(facts: Facts) -> list[Item]:
    if not facts.viewings_total:
        return []
    return [
        Item(
            "viewing",
            "Viewing of imagery logged and confirmed",
            not facts.viewings_unconfirmed,
            f"{facts.viewings_unconfirmed} viewing record(s) not yet confirmed by both viewer and witness"
            if facts.viewings_unconfirmed
            else "",
            "viewing",
        )
    ]


def _devices(facts: Facts) -> list[Item]:
    police_referral = any(r.is_police for r in facts.referrals)
    if not (facts.devices_total and police_referral):
        return []
    return [
        Item(
            "devices",
            "Seized devices handed to the police",
            not facts.devices_not_with_police,
            f"{facts.devices_not_with_police} device(s) still held by the setting"
            if facts.devices_not_with_police
            else "",
            "devices",
        )
    ]


def _deletion(facts: Facts) -> list[Item]:
    items = []
    if facts.decision == MANAGE or facts.deletions:
        items.append(
            Item(
                "deletion_decided",
                "Deletion decided and young people asked",
                facts.deletion_decided and bool(facts.deletions),
                ""
                if facts.deletion_decided and facts.deletions
                else "No deletion recorded for an incident managed in the setting.",
                "deletion",
            )
        )
    if facts.deletions:
        open_ = [d for d in facts.deletions if not d.confirmed and not d.escalated]
        items.append(
            Item(
                "deletion_confirmed",
                "Deletion confirmed (or escalated)",
                not open_,
                ("Not yet confirmed by " + ", ".join(d.person for d in open_)) if open_ else "",
                "deletion",
            )
        )
    return items


def _staff_support(facts: Facts) -> list[Item]:
    if not facts.unavoidable_without_support:
        return []
    return [
        Item(
            "staff_support",
            "Support offered to staff who saw imagery",
            False,
            f"{facts.unavoidable_without_support} member(s) of staff still to be offered support",
            "viewing",
        )
    ]


def _actions(facts: Facts) -> Item:
    done = bool(facts.conversations or facts.referrals or facts.deletions or facts.online_reports)
    return Item(
        "actions",
        "Actions taken recorded",
        done,
        "" if done else "No conversation, referral, deletion or online report recorded.",
        "conversations",
    )
