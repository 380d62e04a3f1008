"""The policy's draft, adoption, versions, read confirmations and training: services and database."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents import rules
from incidents.models import Membership, PolicyVersion, ReadConfirmation, TrainingAttendance
from incidents.services import policy as svc
from tests.factories import MembershipFactory, UserFactory


def complete_draft(setting, actor, **changes):
    draft = svc.policy_draft_get_or_start(setting=setting)
    fields = {
        "lado_phone": "01632 960 501",
        "curriculum": "our PSHE programme and computing lessons",
        **changes,
    }
    return svc.policy_draft_update(actor=actor, draft=draft, expected_revision=draft.revision, **fields)


def adopt(draft, head, **kwargs):
    return svc.policy_adopt(actor=head, draft=draft, expected_revision=draft.revision, **kwargs)


@pytest.fixture
def team(dsl, deputy, head, staff):
    return {"dsl": dsl, "deputy": deputy, "head": head, "staff": staff}


def test_a_new_draft_starts_from_the_setting_and_its_members(oakfield, team):
    draft = svc.policy_draft_get_or_start(setting=oakfield)
    assert draft.setting_name == "Oakfield Academy"
    assert draft.dsl == team["dsl"]
    assert draft.headteacher == team["head"]
    assert list(draft.deputies.all()) == [team["deputy"]]
    assert draft.rule_set == oakfield.rule_set
    assert draft.next_review_on == svc.one_year_after(timezone.localdate())
    assert svc.policy_draft_get_or_start(setting=oakfield).pk == draft.pk


def test_the_draft_shows_what_is_not_filled_in(oakfield, team):
    draft = svc.policy_draft_get_or_start(setting=oakfield)
    gaps = {gap.key for gap in svc.draft_document(draft).gaps()}
    assert gaps == {"lado_phone", "curriculum"}


def test_saving_the_draft_keeps_its_history(oakfield, team):
    draft = complete_draft(oakfield, team["dsl"])
    draft = svc.policy_draft_update(
        actor=team["head"], draft=draft, expected_revision=draft.revision, mash_phone="999 0"
    )
    assert draft.revision == 2
    assert draft.history.count() >= 3
    assert draft.history.first().mash_phone == "999 0"
    assert draft.history.first().updated_by == team["head"]


def test_a_stale_edit_is_refused(oakfield, team):
    draft = complete_draft(oakfield, team["dsl"])
    with pytest.raises(svc.StaleDraft):
        svc.policy_draft_update(actor=team["dsl"], draft=draft, expected_revision=0, curriculum="x")


@pytest.mark.parametrize(
    "field, who, message",
    [
        ("dsl", "staff", "is not a Designated Safeguarding Lead"),
        ("headteacher", "dsl", "is not the headteacher"),
    ],
)
def test_people_must_hold_the_role_the_policy_names(oakfield, team, field, who, message):
    draft = svc.policy_draft_get_or_start(setting=oakfield)
    with pytest.raises(ValidationError, match=message):
        svc.policy_draft_update(actor=team["dsl"], draft=draft, expected_revision=0, **{field: team[who]})
    draft.refresh_from_db()
    assert draft.revision == 0


def test_deputies_must_be_deputies_of_this_setting(oakfield, riverside, team, other_dsl):
    draft = svc.policy_draft_get_or_start(setting=oakfield)
    with pytest.raises(ValidationError, match="Not a deputy DSL"):
        svc.policy_draft_update(actor=team["dsl"], draft=draft, expected_revision=0, deputies=[other_dsl])


@pytest.mark.parametrize("days, message", [(0, "after today"), (500, "at least once a year")])
def test_the_review_date_is_within_the_coming_year(oakfield, team, days, message):
    draft = svc.policy_draft_get_or_start(setting=oakfield)
    with pytest.raises(ValidationError, match=message):
        svc.policy_draft_update(
            actor=team["dsl"],
            draft=draft,
            expected_revision=0,
            next_review_on=timezone.localdate() + timedelta(days=days),
        )


def test_the_headteacher_adopts_a_complete_draft(oakfield, team):
    draft = complete_draft(oakfield, team["dsl"], rule_set=rules.UKCIS_2024)
    ratified = timezone.localdate() - timedelta(days=2)
    version = adopt(draft, team["head"], governors_ratified_on=ratified)
    assert version.number == 1
    assert version.drafted_by == team["dsl"]
    assert version.approved_by == team["head"]
    assert version.approved_by_name == "Helen Tester"
    assert version.governors_ratified_on == ratified
    assert version.rule_set == rules.UKCIS_2024
    assert version.next_review_on == draft.next_review_on
    assert svc.version_document(version).gaps() == ()
    assert len(version.content_sha256) == 64
    oakfield.refresh_from_db()
    assert oakfield.rule_set == rules.UKCIS_2024
    assert oakfield.lado_phone == "01632 960 501"


def test_a_draft_with_a_placeholder_left_cannot_be_adopted(oakfield, team):
    draft = svc.policy_draft_get_or_start(setting=oakfield)
    with pytest.raises(ValidationError, match="not filled in: LADO phone number, where the curriculum"):
        adopt(draft, team["head"])
    assert not PolicyVersion.objects.exists()


@pytest.mark.parametrize("who", ["dsl", "deputy", "staff"])
def test_only_the_headteacher_adopts(oakfield, team, who):
    draft = complete_draft(oakfield, team["dsl"])
    with pytest.raises(ValidationError, match="Only the headteacher"):
        adopt(draft, team[who])
    assert not PolicyVersion.objects.exists()


def test_a_headteacher_not_named_in_the_policy_cannot_adopt_it(oakfield, team):
    other_head = UserFactory(username="hugo")
    MembershipFactory(setting=oakfield, user=other_head, role=Membership.Role.HEADTEACHER)
    draft = complete_draft(oakfield, team["dsl"], headteacher=team["head"])
    with pytest.raises(ValidationError, match="only they can approve it"):
        adopt(draft, other_head)


def test_the_governors_cannot_have_ratified_it_tomorrow(oakfield, team):
    draft = complete_draft(oakfield, team["dsl"])
    with pytest.raises(ValidationError, match="cannot be in the future"):
        adopt(draft, team["head"], governors_ratified_on=timezone.localdate() + timedelta(days=1))


def test_a_new_version_never_alters_the_old_one(oakfield, team):
    draft = complete_draft(oakfield, team["dsl"])
    first = adopt(draft, team["head"])
    first_document = first.document
    draft = svc.policy_draft_update(
        actor=team["dsl"], draft=draft, expected_revision=draft.revision, rule_set=rules.UKCIS_2024, lado_phone="0800"
    )
    second = adopt(draft, team["head"])
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.document == first_document
    assert first.rule_set == rules.WOLVERHAMPTON_2016
    assert second.rule_set == rules.UKCIS_2024
    assert svc.latest_version(oakfield) == second


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_or_delete_an_adopted_version(oakfield, team):
    version = adopt(complete_draft(oakfield, team["dsl"]), team["head"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.filter(pk=version.pk).update(rule_set=rules.UKCIS_2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.rule_set == rules.WOLVERHAMPTON_2016


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_a_read_confirmation(oakfield, team):
    version = adopt(complete_draft(oakfield, team["dsl"]), team["head"])
    confirmation = svc.policy_read_confirm(user=team["staff"], version=version)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReadConfirmation.objects.filter(pk=confirmation.pk).update(confirmed_at=timezone.now() - timedelta(days=9))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReadConfirmation.objects.filter(pk=confirmation.pk).delete()


def test_the_version_in_force_is_the_one_adopted_by_then(oakfield, team):
    draft = complete_draft(oakfield, team["dsl"])
    before = timezone.now()
    first = adopt(draft, team["head"])
    between = timezone.now()
    second = adopt(draft, team["head"])
    assert svc.policy_version_in_force(oakfield, before - timedelta(seconds=1)) is None
    assert svc.policy_version_in_force(oakfield, between) == first
    assert svc.policy_version_in_force(oakfield) == second


def test_read_confirmations_are_per_person_and_version(oakfield, team):
    draft = complete_draft(oakfield, team["dsl"])
    first = adopt(draft, team["head"])
    assert svc.versions_awaiting_reading(team["staff"]) == [first]
    confirmation = svc.policy_read_confirm(user=team["staff"], version=first)
    assert confirmation.setting == oakfield
    again = svc.policy_read_confirm(user=team["staff"], version=first)
    assert again.pk == confirmation.pk
    assert svc.versions_awaiting_reading(team["staff"]) == []
    assert svc.versions_awaiting_reading(team["deputy"]) == [first]

    second = adopt(draft, team["head"])
    assert svc.versions_awaiting_reading(team["staff"]) == [second]
    svc.policy_read_confirm(user=team["staff"], version=second)
    assert ReadConfirmation.objects.filter(user=team["staff"]).count() == 2


def test_someone_outside_the_setting_cannot_confirm(oakfield, team, other_dsl):
    version = adopt(complete_draft(oakfield, team["dsl"]), team["head"])
    with pytest.raises(ValidationError, match="Only members"):
        svc.policy_read_confirm(user=other_dsl, version=version)


def test_nothing_awaits_reading_before_a_policy_is_adopted(oakfield, team):
    assert svc.versions_awaiting_reading(team["staff"]) == []


def test_training_sessions_record_who_attended(oakfield, team):
    today = timezone.localdate()
    session = svc.training_session_create(
        actor=team["dsl"],
        setting=oakfield,
        held_on=today,
        title="  Youth produced sexual imagery: spotting and passing on ",
        led_by="Dana Tester",
        attendees=[team["staff"], team["deputy"]],
    )
    assert session.title == "Youth produced sexual imagery: spotting and passing on"
    assert set(session.attendees.all()) == {team["staff"], team["deputy"]}
    svc.training_session_update(
        actor=team["dsl"], session=session, held_on=today, title=session.title, led_by="Dana", attendees=[team["staff"]]
    )
    assert list(session.attendees.all()) == [team["staff"]]
    assert TrainingAttendance.history.filter(history_type="-", user_id=team["deputy"].pk).exists()


def test_training_cannot_be_recorded_for_the_future_or_for_strangers(oakfield, team, other_dsl):
    with pytest.raises(ValidationError) as error:
        svc.training_session_create(
            actor=team["dsl"],
            setting=oakfield,
            held_on=timezone.localdate() + timedelta(days=1),
            title="T",
            led_by="L",
            attendees=[other_dsl],
        )
    assert set(error.value.message_dict) == {"held_on", "attendees"}


def test_the_staff_list_shows_who_has_not_read_or_trained(oakfield, team, django_assert_num_queries):
    draft = complete_draft(oakfield, team["dsl"])
    version = adopt(draft, team["head"])
    svc.policy_read_confirm(user=team["staff"], version=version)
    today = timezone.localdate()
    svc.training_session_create(
        actor=team["dsl"],
        setting=oakfield,
        held_on=today - timedelta(days=10),
        title="T",
        led_by="L",
        attendees=[team["staff"], team["head"]],
    )
    svc.training_session_create(
        actor=team["dsl"],
        setting=oakfield,
        held_on=today - timedelta(days=400),
        title="Old",
        led_by="L",
        attendees=[team["deputy"]],
    )
    # version in force, members, confirmations of the version, of every version, last training per person
    with django_assert_num_queries(5):
        in_force, statuses = svc.staff_policy_status(oakfield, today)
    assert in_force == version
    by_user = {s.user.username: s for s in statuses}
    assert (by_user["sam"].not_read, by_user["sam"].no_recent_training) == (False, False)
    assert (by_user["helen"].not_read, by_user["helen"].no_recent_training) == (True, False)
    assert (by_user["owen"].not_read, by_user["owen"].no_recent_training) == (True, True)
    assert by_user["owen"].last_training_on == today - timedelta(days=400)
    assert by_user["dana"].last_training_on is None
    assert not by_user["sam"].needs_attention
    assert by_user["sam"].versions_read == (1,)
    assert by_user["owen"].versions_read == ()


def test_the_review_is_due_then_overdue(oakfield, team):
    assert svc.review_state(oakfield).state == "none"
    version = adopt(complete_draft(oakfield, team["dsl"]), team["head"])
    review = version.next_review_on
    assert svc.review_state(oakfield, review - timedelta(days=60)).state == "ok"
    assert svc.review_state(oakfield, review - timedelta(days=10)).state == "due"
    overdue = svc.review_state(oakfield, review + timedelta(days=3))
    assert (overdue.state, overdue.days) == ("overdue", 3)


def test_a_decision_records_the_policy_version_in_force(oakfield, team, incident):
    from incidents.models import Decision
    from tests.test_decisions import review

    nothing_yet = review(incident, team["dsl"])
    assert nothing_yet.policy_version is None

    version = adopt(complete_draft(oakfield, team["dsl"]), team["head"])
    later = review(incident, team["dsl"])
    assert later.policy_version == version
    assert Decision.objects.get(pk=nothing_yet.pk).policy_version is None


def test_the_demo_has_an_adopted_policy_staff_must_read_and_training(db):
    from django.core.management import call_command

    from incidents.models import Setting, TrainingSession, User

    call_command("seed_demo", password="a-demo-password-1")
    call_command("seed_demo", password="a-demo-password-1")
    setting = Setting.objects.get(name="Oakfield Academy")
    assert PolicyVersion.objects.filter(setting=setting).count() == 1
    assert svc.versions_awaiting_reading(User.objects.get(username="staff"))
    assert not svc.versions_awaiting_reading(User.objects.get(username="dsl"))
    assert TrainingSession.objects.filter(setting=setting).count() == 1


def test_a_draft_whose_review_date_has_passed_is_not_adopted(oakfield, team):
    draft = complete_draft(oakfield, team["dsl"])
    type(draft).objects.filter(pk=draft.pk).update(next_review_on=timezone.localdate())
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="already passed"):
        adopt(draft, team["head"])
