"""The record PDF shows the work other parts of the app record: review, assessments, decisions, actions."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from incidents.models import Incident, SignOff
from incidents.services.exports import Requester
from incidents.services.records import RecordOptions, build_sections, export_incident_record

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_a_signed_off_decision_appears_with_its_statement_and_hash(signing_key, demo):
    sign_off = SignOff.objects.select_related("decision__incident").first()
    assert sign_off is not None, "the demo data has a signed-off decision"
    incident = sign_off.decision.incident

    _, pdf = export_incident_record(incident=incident, requester=Requester(user=None))

    text = text_of(pdf)
    assert "Decisions and sign-offs" in text
    assert "Statement signed" in text
    assert sign_off.decision_sha256[:16] in text.replace(" ", "")
    assert sign_off.name in text
    assert "Assessments (rule set, facts and explanation)" in text


def test_sections_follow_the_records_order_and_skip_what_is_empty(demo):
    for incident in Incident.objects.all():
        keys = [s.key for s in build_sections(incident, RecordOptions())]
        assert keys[:3] == ["summary", "people", "classification"]
        assert keys[-2:] == ["chronology", "access"]
        assert "devices" not in keys or incident.devices.exists()


def test_each_decision_names_the_policy_version_in_force_when_it_was_taken(signing_key, incident, dsl, head):
    from tests.test_decisions import review
    from tests.test_policy import adopt, complete_draft

    review(incident, dsl)  # before any policy was adopted in YSI
    version = adopt(complete_draft(incident.setting, dsl), head)
    review(incident, dsl)

    _, pdf = export_incident_record(incident=incident, requester=Requester(user=dsl, role="dsl"))

    text = text_of(pdf)
    decisions = text.split("Decisions and sign-offs")[1]
    assert decisions.count("Policy version in force") == 1
    assert f"Policy version in force {version}" in decisions
