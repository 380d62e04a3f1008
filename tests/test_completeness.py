"""The completeness rules and the due/overdue sorting, on plain facts: no database."""

from datetime import date, timedelta

from incidents import completeness
from incidents.completeness import DeletionFacts, Facts, ReferralFacts
from incidents.due import DueItem, split

TODAY = date(2026, 11, 25)


def keys_missing(facts):
    return [item.key for item in completeness.missing(completeness.check(facts))]


def referral(**overrides):
    values = {"agency": "mash", "is_police": False, "awaiting_outcome": False, "next_chase_due": None}
    values.update(overrides)
    return ReferralFacts(**values)


def test_a_new_incident_lacks_people_decision_parents_and_actions():
    assert keys_missing(Facts(today=TODAY)) == ["people", "decision", "parents", "actions"]


def test_a_referred_incident_with_everything_recorded_is_complete():
    facts = Facts(
        today=TODAY,
        young_people=("Ann Lee",),
        decision=completeness.REFER,
        decision_reason_recorded=True,
        referrals=(referral(),),
        parents_decided_for=frozenset({"Ann Lee"}),
    )
    assert keys_missing(facts) == []
    assert completeness.is_complete(completeness.check(facts))


def test_a_decision_to_refer_needs_a_referral():
    facts = Facts(
        today=TODAY,
        young_people=("A",),
        decision="refer",
        decision_reason_recorded=True,
        parents_decided_for=frozenset({"A"}),
        conversations=1,
    )
    assert keys_missing(facts) == ["referral_made"]


def test_a_decision_without_a_reason_is_missing():
    facts = Facts(
        today=TODAY,
        young_people=("A",),
        decision="refer",
        referrals=(referral(),),
        parents_decided_for=frozenset({"A"}),
    )
    assert keys_missing(facts) == ["decision"]


def test_a_referral_awaiting_an_outcome_must_have_a_chase_date_not_yet_passed():
    base = {
        "today": TODAY,
        "young_people": ("A",),
        "decision": "refer",
        "decision_reason_recorded": True,
        "parents_decided_for": frozenset({"A"}),
    }
    in_time = Facts(**base, referrals=(referral(awaiting_outcome=True, next_chase_due=TODAY),))
    overdue = Facts(**base, referrals=(referral(awaiting_outcome=True, next_chase_due=TODAY - timedelta(days=1)),))
    unset = Facts(**base, referrals=(referral(awaiting_outcome=True),))
    assert keys_missing(in_time) == ["referral_outcomes"]
    assert keys_missing(overdue) == ["referral_followed_up", "referral_outcomes"]
    items = {i.key: i for i in completeness.check(unset)}
    assert "no chase date set" in items["referral_followed_up"].detail


def test_parents_decision_is_needed_for_every_young_person():
    facts = Facts(today=TODAY, young_people=("A", "B"), parents_decided_for=frozenset({"A"}))
    item = next(i for i in completeness.check(facts) if i.key == "parents")
    assert not item.done
    assert item.detail == "Not yet recorded for B"
    assert item.section == "parents"


def test_managing_in_the_setting_needs_the_headteachers_sign_off_and_deletion():
    facts = Facts(
        today=TODAY,
        young_people=("A",),
        decision="manage",
        decision_reason_recorded=True,
        parents_decided_for=frozenset({"A"}),
        conversations=1,
    )
    assert keys_missing(facts) == ["sign_off", "deletion_decided"]
    signed = Facts(
        **{
            **facts.__dict__,
            "non_referral_signed_off": True,
            "deletion_decided": True,
            "deletions": (DeletionFacts("A", TODAY, confirmed=True, escalated=False),),
        }
    )
    assert keys_missing(signed) == []


def test_deletion_must_be_confirmed_or_escalated_for_each_young_person():
    deletions = (
        DeletionFacts("A", TODAY, confirmed=True, escalated=False),
        DeletionFacts("B", TODAY, confirmed=False, escalated=True),
        DeletionFacts("C", TODAY, confirmed=False, escalated=False),
    )
    facts = Facts(today=TODAY, deletion_decided=True, deletions=deletions)
    item = next(i for i in completeness.check(facts) if i.key == "deletion_confirmed")
    assert (item.done, item.detail) == (False, "Not yet confirmed by C")


def test_viewing_must_be_confirmed_by_both_people():
    assert "viewing" in keys_missing(Facts(today=TODAY, viewings_total=1, viewings_unconfirmed=1))
    assert "viewing" not in keys_missing(Facts(today=TODAY, viewings_total=1, viewings_unconfirmed=0))


def test_devices_must_reach_the_police_when_the_police_were_referred_to():
    police = (referral(is_police=True, agency="police_101"),)
    assert "devices" in keys_missing(Facts(today=TODAY, referrals=police, devices_total=1, devices_not_with_police=1))
    assert "devices" not in keys_missing(Facts(today=TODAY, referrals=police, devices_total=1))
    # Without a police referral a device kept in school is not a gap.
    assert "devices" not in keys_missing(Facts(today=TODAY, devices_total=1, devices_not_with_police=1))


def test_staff_who_saw_imagery_must_be_offered_support():
    assert "staff_support" in keys_missing(Facts(today=TODAY, unavoidable_without_support=1))
    assert "staff_support" not in keys_missing(Facts(today=TODAY))


def test_due_items_split_into_overdue_and_due_oldest_first():
    def item(key, due):
        return DueItem(key=key, setting_id=1, incident_code="c", incident_reference="R", what="x", due=due)

    later, today, old, older = (
        item("a", TODAY + timedelta(days=3)),
        item("b", TODAY),
        item("c", TODAY - timedelta(days=1)),
        item("d", TODAY - timedelta(days=9)),
    )
    overdue, due = split([later, today, old, older], TODAY)
    assert overdue == [older, old]
    assert due == [today, later]
    assert older.days_overdue(TODAY) == 9
    assert today.days_overdue(TODAY) == 0
