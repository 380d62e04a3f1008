"""Transfer files for leavers: what is due, only their part of shared incidents, the record of sending."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from incidents.models import AccessLogEntry, ChronologyEntry, ExportLog, Involvement, TransferRecord
from incidents.services.exports import Requester, verify_pdf
from incidents.services.incidents import note_add
from incidents.services.people import involvement_add
from incidents.services.transfers import (
    transfer_confirm_receipt,
    transfer_file_export,
    transfer_record,
    transfers_due,
)
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def leaver(incident, dsl, oakfield):
    amy = YoungPersonFactory(setting=oakfield, first_name="Amy", last_name="Leaver")
    ben = YoungPersonFactory(setting=oakfield, first_name="Benedict", last_name="Stays")
    involvement_add(actor=dsl, incident=incident, person=amy, roles=[Involvement.Role.PICTURED])
    involvement_add(actor=dsl, incident=incident, person=ben, roles=[Involvement.Role.SHARED])
    note_add(actor=dsl, incident=incident, text="Benedict Stays admitted sharing it; Amy was upset.")
    amy.date_left = timezone.localdate() - timedelta(days=1)
    amy.save()
    return amy


def test_a_leaver_with_incidents_is_due_within_five_school_days(leaver, oakfield):
    (item,) = transfers_due([oakfield.pk])
    assert item.person == leaver
    assert item.incidents == 1
    assert (item.due - leaver.date_left).days in (5, 6, 7)  # five school days, weekends skipped
    assert item.due.weekday() < 5


def test_the_transfer_file_holds_only_their_part(signing_key, leaver, incident, dsl):
    export, pdf = transfer_file_export(person=leaver, requester=Requester(user=dsl, role="dsl"))
    text = pdf_text(pdf)
    assert "Safeguarding transfer file" in text
    assert "Amy Leaver" in text
    assert incident.reference in text
    assert "Benedict" not in text and "Stays" not in text
    assert "[another young person] admitted sharing it" in text
    assert "1 other young person was involved" in text
    assert "Who has accessed the record" not in text
    assert export.kind == ExportLog.Kind.TRANSFER and export.young_person == leaver
    assert verify_pdf(pdf).ok
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.DOWNLOAD_TRANSFER).exists()


def test_recording_the_transfer_clears_it_from_due_and_writes_the_chronology(leaver, incident, dsl, oakfield):
    today = timezone.localdate()
    transfer = transfer_record(
        actor=dsl, person=leaver, receiving_setting="Hillside School", sent_on=today, method="secure_email"
    )
    assert transfers_due([oakfield.pk]) == []
    entry = incident.chronology.get(kind=ChronologyEntry.Kind.TRANSFER_SENT)
    assert "Hillside School" in entry.summary

    transfer_confirm_receipt(actor=dsl, transfer=transfer, received_on=today, confirmed_by="Mr Hill, DSL")
    transfer.refresh_from_db()
    assert transfer.receipt_confirmed_by == "Mr Hill, DSL"
    assert incident.chronology.filter(kind=ChronologyEntry.Kind.TRANSFER_RECEIVED).exists()


def test_bad_transfer_input_is_refused_clearly(leaver, dsl, incident):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        transfer_record(actor=dsl, person=leaver, receiving_setting=" ", sent_on=tomorrow, method="other")
    messages = error.value.message_dict
    assert set(messages) == {"receiving_setting", "sent_on", "method_notes"}
    assert not TransferRecord.objects.exists()


def test_a_receipt_before_sending_is_refused(leaver, dsl):
    today = timezone.localdate()
    transfer = transfer_record(actor=dsl, person=leaver, receiving_setting="Hillside", sent_on=today, method="by_hand")
    with pytest.raises(ValidationError, match="before it was sent"):
        transfer_confirm_receipt(actor=dsl, transfer=transfer, received_on=today - timedelta(days=1), confirmed_by="X")


def test_no_transfer_file_without_a_date_left(incident, dsl, oakfield):
    person = YoungPersonFactory(setting=oakfield)
    with pytest.raises(ValidationError, match="date this young person left"):
        transfer_file_export(person=person, requester=Requester(user=dsl))


class TestPages:
    def test_the_dsl_downloads_and_records_a_transfer(self, signing_key, client_for, dsl, leaver, password):
        client = client_for(dsl)
        assert leaver.full_name in client.get(reverse("incidents:dashboard")).content.decode()
        page = reverse("incidents:transfer_person", args=[leaver.code])
        assert client.get(page).status_code == 200

        response = client.post(page, {"password": password})
        assert response["Content-Type"] == "application/pdf"

        response = client.post(
            reverse("incidents:transfer_record", args=[leaver.code]),
            {"receiving_setting": "Hillside School", "sent_on": timezone.localdate(), "method": "secure_email"},
        )
        assert response.status_code == 302
        transfer = TransferRecord.objects.get()
        assert transfer.export is not None
        response = client.post(
            reverse("incidents:transfer_receipt", args=[transfer.code]),
            {"received_on": timezone.localdate(), "confirmed_by": "Mr Hill"},
        )
        assert response.status_code == 302
        assert "Confirmed" in client.get(reverse("incidents:transfer_list")).content.decode()

    def test_invalid_input_comes_back_with_the_typed_text(self, client_for, dsl, leaver):
        response = client_for(dsl).post(
            reverse("incidents:transfer_record", args=[leaver.code]),
            {"receiving_setting": "Hillside School", "sent_on": "2999-01-01", "method": "secure_email"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "The date sent cannot be in the future." in html
        assert 'value="Hillside School"' in html

    @pytest.mark.parametrize("who", ["head", "auditor", "staff"])
    def test_only_the_dsl_and_deputies_prepare_transfers(self, client_for, request, leaver, password, who):
        client = client_for(request.getfixturevalue(who))
        assert client.get(reverse("incidents:transfer_list")).status_code == 403
        status = client.post(reverse("incidents:transfer_person", args=[leaver.code]), {"password": password})
        assert status.status_code in (403, 404)
        assert not ExportLog.objects.exists()

    def test_another_setting_gets_404(self, client_for, other_dsl, leaver, password):
        client = client_for(other_dsl)
        assert client.get(reverse("incidents:transfer_person", args=[leaver.code])).status_code == 404
        assert client.get(reverse("incidents:transfer_list")).status_code == 200


class TestFindingTheTransfer:
    def test_the_young_persons_page_links_to_their_transfer_file_for_the_dsl(self, client_for, dsl, deputy, leaver):
        link = reverse("incidents:transfer_person", args=[leaver.code])
        for user in (dsl, deputy):
            html = client_for(user).get(reverse("incidents:young_person_detail", args=[leaver.code])).content.decode()
            assert f'href="{link}"' in html

    def test_no_link_before_they_leave_or_for_those_who_cannot_transfer(self, client_for, dsl, head, leaver, oakfield):
        link = reverse("incidents:transfer_person", args=[leaver.code])
        page = reverse("incidents:young_person_detail", args=[leaver.code])
        assert link not in client_for(head).get(page).content.decode()
        stays = YoungPersonFactory(setting=oakfield, first_name="Still", last_name="Here")
        html = client_for(dsl).get(reverse("incidents:young_person_detail", args=[stays.code])).content.decode()
        assert reverse("incidents:transfer_person", args=[stays.code]) not in html

    def test_the_navigation_and_the_dashboard_lead_to_the_transfers(self, client_for, dsl, head, leaver):
        transfers = f'href="{reverse("incidents:transfer_list")}"'
        dashboard = client_for(dsl).get(reverse("incidents:dashboard")).content.decode()
        assert transfers in dashboard.split("</nav>")[0]  # the main navigation
        panel = dashboard.split('id="transfers-due-title"')[1].split("</section>")[0]
        assert f'href="{reverse("incidents:transfer_person", args=[leaver.code])}"' in panel
        assert "file due by" in panel
        assert transfers not in client_for(head).get(reverse("incidents:dashboard")).content.decode()
