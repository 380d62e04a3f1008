"""generate_load_data: refuses real databases, and what it makes is consistent and marked."""

import random
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max
from django.urls import reverse

from incidents import loadgen, workflow
from incidents.models import (
    AccessLogEntry,
    ChronologyEntry,
    Conversation,
    Decision,
    DeletionDecision,
    DeletionRequest,
    Device,
    Disclosure,
    Incident,
    Involvement,
    Membership,
    ParentsDecision,
    ReferenceCounter,
    Referral,
    ReviewMeeting,
    RiskAssessment,
    Setting,
    SignOff,
    StoredAssessment,
    User,
    ViewingRecord,
    YoungPerson,
)
from incidents.services.audit import verify_audit_trail
from incidents.services.chronology import chronology_record
from incidents.services.exports import Requester, verify_pdf
from incidents.services.incidents import incident_create
from incidents.services.records import export_incident_record
from manage import _load_data_arguments


def generate(settings: int, incidents: int, **options) -> str:
    out = StringIO()
    call_command("generate_load_data", setting_count=settings, incidents=incidents, stdout=out, **options)
    return out.getvalue()


def test_it_refuses_a_database_holding_a_real_setting(oakfield):
    with pytest.raises(CommandError, match="Oakfield Academy"):
        generate(2, 10)
    assert Setting.objects.count() == 1
    assert not Incident.objects.exists()


def test_it_refuses_once_a_real_setting_is_added_to_generated_data(db):
    generate(1, 3, long_chronology=0)
    Setting.objects.create(name="A real school")
    with pytest.raises(CommandError, match="A real school"):
        generate(1, 3)
    assert Incident.objects.count() == 3


def test_manage_py_reads_settings_as_the_number_of_settings():
    argv = ["manage.py", "generate_load_data", "--settings", "5", "--incidents=9"]
    assert _load_data_arguments(argv) == ["manage.py", "generate_load_data", "--setting-count", "5", "--incidents=9"]
    assert _load_data_arguments(["manage.py", "migrate", "--settings", "x"])[2] == "--settings"


def test_it_makes_the_numbers_asked_for_and_marks_them_generated(db):
    output = generate(6, 120, long_chronology=20)

    assert "Generated in" in output
    assert Setting.objects.count() == 6
    assert not Setting.objects.filter(is_generated=False).exists()
    assert Incident.objects.count() == 120
    # One DSL, deputy, headteacher and member of staff per setting, plus a lead for each trust.
    assert Membership.objects.filter(role=Membership.Role.DSL).count() == 6
    # Each record of the casework comes with the chronology entry its service writes.
    per_incident = ChronologyEntry.objects.count() / Incident.objects.count()
    assert 8 <= per_incident <= 16
    assert AccessLogEntry.objects.count() >= Incident.objects.count()
    assert Involvement.objects.count() >= Incident.objects.count()


def test_every_row_belongs_to_the_setting_of_its_parents(db):
    generate(5, 80, long_chronology=0)

    assert not Involvement.objects.exclude(setting=F("incident__setting")).exists()
    assert not Involvement.objects.exclude(setting=F("young_person__setting")).exists()
    assert not ChronologyEntry.objects.exclude(setting=F("incident__setting")).exists()
    assert not AccessLogEntry.objects.exclude(setting=F("incident__setting")).exists()
    # Every reader in the access log and every owner is a member of the incident's setting.
    for entry in AccessLogEntry.objects.select_related("user"):
        assert Membership.objects.filter(user=entry.user, setting_id=entry.setting_id).exists()
    assert not Incident.objects.exclude(owner__memberships__setting=F("setting")).exists()


def test_the_data_keeps_the_rules_the_services_keep(db):
    generate(4, 60, long_chronology=0)

    for incident in Incident.objects.prefetch_related("involvements__young_person"):
        incident.full_clean()
        for involvement in incident.involvements.all():
            assert involvement.young_person.date_of_birth <= incident.incident_date
        assert incident.chronology.filter(kind=ChronologyEntry.Kind.CREATED).count() == 1
    for person in YoungPerson.objects.all()[:50]:
        person.full_clean()


def test_reference_counters_continue_where_the_generated_references_stop(db):
    generate(2, 40, long_chronology=0)
    setting = Setting.objects.order_by("id").first()
    dsl = User.objects.get(memberships__setting=setting, memberships__role=Membership.Role.DSL)
    for counter in ReferenceCounter.objects.all():
        numbers = [
            int(ref.rsplit("-", 1)[1])
            for ref in Incident.objects.filter(setting=counter.setting, reference__contains=f"-{counter.year}-")
            .values_list("reference", flat=True)
        ]
        assert max(numbers) == counter.last_number == len(numbers)

    incident = incident_create(actor=dsl, setting=setting, summary="Recorded through the service afterwards.")

    assert Incident.objects.filter(setting=setting, reference=incident.reference).count() == 1


def test_the_largest_setting_comes_first_and_holds_the_long_chronology(db):
    generate(5, 200, long_chronology=30)

    sizes = list(Setting.objects.order_by("id").annotate(n=Count("incidents")).values_list("n", flat=True))
    assert sizes[0] == max(sizes)
    longest = Incident.objects.get(summary__startswith=loadgen.LONG_CHRONOLOGY_MARKER)
    assert longest.setting_id == Setting.objects.order_by("id").first().pk
    assert longest.chronology.count() >= 31


def test_a_second_run_adds_to_the_first_without_clashes(db):
    generate(2, 10, long_chronology=0)
    generate(2, 10, long_chronology=0)

    assert Setting.objects.count() == 4
    assert Incident.objects.count() == 20
    assert User.objects.values("username").annotate(n=Count("id")).aggregate(m=Max("n"))["m"] == 1


def test_a_generated_dsl_sees_their_setting_and_nothing_else(db, client):
    generate(3, 30, long_chronology=0)
    setting = Setting.objects.order_by("id").first()
    dsl = User.objects.get(username=f"gen{setting.pk:05d}-dsl")
    assert dsl.check_password(loadgen.DEFAULT_PASSWORD)

    visible = Incident.objects.visible_to(dsl)

    assert set(visible.values_list("setting_id", flat=True)) == {setting.pk}
    assert visible.count() == setting.incidents.count()


def test_the_plan_is_skewed_and_adds_up():
    plan = loadgen.make_plan(settings=200, incidents=20_000, rng=random.Random(1))  # noqa: S311

    counts = plan.incidents_per_setting
    assert sum(counts) == 20_000
    assert counts == sorted(counts, reverse=True)
    median = sorted(counts)[len(counts) // 2]
    assert counts[0] > 5 * median  # a few large settings ...
    assert median < 20_000 / 200  # ... and most below the mean
    assert sorted(i for trust in plan.trusts for i in trust) == list(range(200))
    assert any(len(trust) > 1 for trust in plan.trusts)


def test_generated_audit_chains_verify_and_take_new_entries(db):
    generate(3, 30, long_chronology=5)
    incident = Incident.objects.order_by("id").first()
    dsl = User.objects.get(username=f"gen{incident.setting_id:05d}-dsl")

    chronology_record(incident=incident, actor=dsl, kind=ChronologyEntry.Kind.NOTE, summary="Added afterwards.")
    checked, breaks = verify_audit_trail()

    assert breaks == []
    assert checked == ChronologyEntry.objects.count() + AccessLogEntry.objects.count()


CASEWORK = (Disclosure, ReviewMeeting, StoredAssessment, Decision, RiskAssessment, Referral, Device, ParentsDecision,
            Conversation, DeletionDecision, DeletionRequest, ViewingRecord)
REVIEWED = (workflow.REFERRED, workflow.MANAGED_IN_SETTING, workflow.CLOSED)


def test_the_casework_comes_in_plausible_proportions(db):
    generate(4, 400, long_chronology=0)
    incidents = Incident.objects.count()
    reviewed = Incident.objects.filter(status__in=REVIEWED).count()
    referred = Incident.objects.filter(status=workflow.REFERRED).count()

    assert 0.6 * incidents <= Disclosure.objects.count() <= 0.9 * incidents
    assert ReviewMeeting.objects.count() == Decision.objects.count() == reviewed
    assert Referral.objects.count() == referred
    assert StoredAssessment.objects.count() == reviewed + RiskAssessment.objects.count()
    assert 0 < RiskAssessment.objects.count() < reviewed - referred
    assert 0.4 * reviewed <= ParentsDecision.objects.count() <= 0.9 * reviewed
    assert 0.2 * reviewed <= Conversation.objects.count() <= 0.8 * reviewed
    assert DeletionDecision.objects.count() == DeletionRequest.objects.count() > 0.1 * reviewed
    assert Device.objects.count() <= referred
    # The policy: imagery should almost never be viewed.
    assert ViewingRecord.objects.count() <= 0.02 * incidents


def test_every_casework_row_carries_the_setting_of_its_incident(db):
    generate(3, 150, long_chronology=0)

    for model in CASEWORK:
        assert model.objects.exists() or model in (Device, ViewingRecord), model
        assert not model.objects.exclude(setting=F("incident__setting")).exists(), model
    assert not SignOff.objects.exclude(setting=F("decision__setting")).exists()
    assert not Disclosure.objects.exclude(reporter__memberships__setting=F("setting")).exists()
    for model in (ParentsDecision, Conversation, DeletionRequest):
        assert not model.objects.exclude(young_person__setting=F("setting")).exists(), model
        # The young person is one involved in the incident.
        assert not model.objects.exclude(young_person__involvements__incident=F("incident")).exists(), model
    # Every row keeps the model's own rules (constraints included), as a row saved by the services would.
    for model in (*CASEWORK, SignOff):
        for row in model.objects.all()[:40]:
            row.full_clean()


def test_decisions_follow_the_final_status(db):
    generate(3, 300, long_chronology=0)

    for incident in Incident.objects.prefetch_related("decisions__sign_off"):
        decisions = list(incident.decisions.all())
        if incident.status not in REVIEWED:
            assert decisions == []
            continue
        (decision,) = decisions
        if incident.status == workflow.REFERRED:
            assert decision.is_referral and decision.status == Decision.Status.RECORDED
            assert incident.referrals.exists()
        else:
            assert decision.outcome == Decision.Outcome.MANAGE_IN_SETTING
            assert decision.reason
            if incident.status == workflow.CLOSED or decision.status == Decision.Status.SIGNED:
                assert decision.status == Decision.Status.SIGNED
                # The headteacher signed exactly what the decision says today.
                assert decision.sign_off.still_matches
                assert decision.sign_off.signed_by.memberships.get(setting=incident.setting).role == "headteacher"
            else:
                assert decision.status == Decision.Status.AWAITING_SIGN_OFF
        assert decision.departs_from_recommendation == (decision.assessment.refers and not decision.is_referral)
    assert Decision.objects.filter(status=Decision.Status.SIGNED).count() == SignOff.objects.count()


def test_a_generated_incident_shows_and_exports_its_whole_record(db, client_for, signing_key):
    generate(2, 60, long_chronology=0)
    incident = (
        Incident.objects.filter(status=workflow.CLOSED, decisions__sign_off__isnull=False)
        .annotate(n=Count("chronology"))
        .order_by("-n")
        .first()
    )
    dsl = User.objects.get(username=f"gen{incident.setting_id:05d}-dsl")

    client = client_for(dsl)
    decision = incident.decisions.get()

    assert client.get(incident.get_absolute_url()).status_code == 200
    response = client.get(reverse("incidents:decision_detail", args=[decision.code]))
    assert response.status_code == 200
    assert "the decision still matches it" in response.content.decode()
    _, pdf = export_incident_record(incident=incident, requester=Requester(user=dsl, role="dsl"))
    assert verify_pdf(pdf).ok
    checked, breaks = verify_audit_trail()
    assert breaks == []


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="blocks are written in the background on PostgreSQL only"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_each_block_is_written_by_its_own_thread_while_the_next_is_built(monkeypatch):
    writers = []
    write_block = loadgen.Writer._write_block

    def recorded(self, block):
        writers.append(threading.current_thread().name)
        write_block(self, block)

    monkeypatch.setattr(loadgen.Writer, "_write_block", recorded)
    generate(6, 90, long_chronology=5, block=15)
    last_generated = Setting.objects.aggregate(Max("pk"))["pk__max"]

    assert len(writers) >= 3 and set(writers) == {"loadgen-copy"}
    assert Incident.objects.count() == 90
    assert not Involvement.objects.exclude(setting=F("incident__setting")).exists()
    checked, breaks = verify_audit_trail()
    assert breaks == []
    assert checked == ChronologyEntry.objects.count() + AccessLogEntry.objects.count()
    # The sequences were reset after the last block: new rows take ids after the generated ones.
    assert Setting.objects.create(name="After", is_generated=True).pk > last_generated


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_failed_block_stops_the_run_and_nothing_after_it_is_written(monkeypatch):
    write_block = loadgen.Writer._write_block
    calls = []

    def second_fails(self, block):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        write_block(self, block)

    monkeypatch.setattr(loadgen.Writer, "_write_block", second_fails)
    with pytest.raises(RuntimeError, match="writing the generated rows failed") as failure:
        generate(6, 90, long_chronology=0, block=15)

    assert "the database went away" in str(failure.value.__cause__)
    assert len(calls) == 2  # the blocks after the failed one were not written
    assert not [thread for thread in threading.enumerate() if thread.name == "loadgen-copy"]
    written = Incident.objects.count()
    assert 0 < written < 90
    assert not Involvement.objects.exclude(setting=F("incident__setting")).exists()
