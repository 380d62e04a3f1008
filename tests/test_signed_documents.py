"""Every kind of PDF the app produces is signed, logged, marked on every page, and verifiable by
`verify_record` and by poppler's `pdfsig`: the incident record, the audit pack (with its statistics),
the transfer file and the policy version."""

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from incidents.models import AccessLogEntry, ExportLog, Involvement
from incidents.services.audit_pack import export_audit_pack
from incidents.services.exports import Requester, verify_pdf
from incidents.services.incidents import incident_create
from incidents.services.people import involvement_add
from incidents.services.policy_exports import export_policy_version
from incidents.services.records import export_incident_record
from incidents.services.statistics import Period
from incidents.services.transfers import transfer_file_export
from tests.factories import YoungPersonFactory
from tests.test_policy import adopt, complete_draft

pytestmark = pytest.mark.django_db

PDFSIG = shutil.which("pdfsig")
SIGNER = "YSI records (self-signed, development)"


def _record(ctx):
    return export_incident_record(incident=ctx["incident"], requester=ctx["requester"])


def _audit_pack(ctx):
    today = timezone.localdate()
    return export_audit_pack(
        setting=ctx["oakfield"],
        period=Period(today - timedelta(days=30), today),
        initials_only=True,
        for_governors=True,
        requester=ctx["requester"],
    )


def _transfer(ctx):
    person = YoungPersonFactory(setting=ctx["oakfield"], first_name="Amy", last_name="Leaver")
    involvement_add(actor=ctx["dsl"], incident=ctx["incident"], person=person, roles=[Involvement.Role.PICTURED])
    person.date_left = timezone.localdate() - timedelta(days=1)
    person.save()
    return transfer_file_export(person=person, requester=ctx["requester"])


def _policy(ctx):
    version = adopt(complete_draft(ctx["oakfield"], ctx["dsl"]), ctx["head"])
    return export_policy_version(version=version, requester=ctx["requester"])


SENSITIVE = "OFFICIAL-SENSITIVE"
# (how to make it, export kind, access-log action, protective marking on every page)
DOCUMENTS = {
    "incident record": (_record, ExportLog.Kind.RECORD, AccessLogEntry.Action.DOWNLOAD_RECORD, SENSITIVE),
    "audit pack": (_audit_pack, ExportLog.Kind.AUDIT_PACK, AccessLogEntry.Action.DOWNLOAD_AUDIT_PACK, SENSITIVE),
    "transfer file": (_transfer, ExportLog.Kind.TRANSFER, AccessLogEntry.Action.DOWNLOAD_TRANSFER, SENSITIVE),
    "policy version": (_policy, ExportLog.Kind.DOCUMENT, AccessLogEntry.Action.DOWNLOAD_POLICY, "OFFICIAL"),
}


@pytest.fixture(params=list(DOCUMENTS))
def document(request, signing_key, oakfield, incident, dsl, deputy, head, tmp_path):
    make, kind, action, marking = DOCUMENTS[request.param]
    ctx = {
        "oakfield": oakfield,
        "incident": incident,
        "dsl": dsl,
        "head": head,
        "requester": Requester(user=dsl, role="dsl", path="/test", ip_address="192.0.2.7"),
    }
    export, pdf = make(ctx)
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return {
        "name": request.param,
        "export": export,
        "pdf": pdf,
        "path": path,
        "kind": kind,
        "action": action,
        "marking": marking,
    }


def _flip_byte(pdf: bytes, offset: int) -> bytes:
    data = bytearray(pdf)
    data[offset] ^= 0x01
    return bytes(data)


def _pdfsig(path) -> str:
    return subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, check=False).stdout  # noqa: S603


def test_it_is_signed_logged_and_matches_what_the_app_holds(document, dsl):
    export = document["export"]
    assert export.kind == document["kind"]
    assert export.generated_by == dsl
    result = verify_pdf(document["pdf"])
    assert (result.signed, result.intact, result.valid, result.whole_file, result.trusted) == (True,) * 5
    assert result.signer == SIGNER
    assert result.signing_time is not None
    assert (result.export, result.file_matches, result.content_matches) == (export, True, True)
    assert result.problems == []
    entry = AccessLogEntry.objects.get(action=document["action"])
    assert (entry.user, entry.role, entry.ip_address) == (dsl, "dsl", "192.0.2.7")


def test_every_page_carries_the_marking_and_page_x_of_y_and_the_signer_is_shown(document):
    reader = PdfReader(io.BytesIO(document["pdf"]))
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert document["marking"] in text
        if document["marking"] == "OFFICIAL":
            assert "OFFICIAL-SENSITIVE" not in text
    assert SIGNER in "".join(page.extract_text() for page in reader.pages)  # the note at the end
    # The visible signature panel on the first page: the signer's name and the signing time.
    (panel,) = [a.get_object() for a in reader.pages[0]["/Annots"] if a.get_object().get("/FT") == "/Sig"]
    appearance = panel["/AP"]["/N"].get_object().get_data()
    assert b"(Digitally signed by)" in appearance
    assert b"(YSI records \\050self\\055signed\\054 development\\051)" in appearance
    assert b"(Signing time" in appearance and b"UTC)" in appearance
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    assert all(not page.images for page in reader.pages)  # never any imagery


def test_verify_record_vouches_for_it_and_refuses_a_changed_byte(document, tmp_path, capsys):
    call_command("verify_record", str(document["path"]))
    out = capsys.readouterr()
    assert "Signature: INTACT, covers the whole file" in out.out
    assert f"Signed by: {SIGNER}" in out.out
    assert "File as exported: yes" in out.out
    assert "Record now: matches the record the app holds now" in out.out
    assert out.err == ""

    pdf = document["pdf"]
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(_flip_byte(pdf, pdf.index(b"/Contents <") - 40))
    with pytest.raises(CommandError, match="cannot be relied on"):
        call_command("verify_record", str(broken))


@pytest.mark.skipif(PDFSIG is None, reason="poppler's pdfsig is not installed (make test installs poppler-utils)")
def test_poppler_validates_it_and_sees_a_changed_byte(document, tmp_path):
    # pdfsig exits 0 even for a broken signature: its words are what count.
    good = _pdfsig(document["path"])
    assert "Signature is Valid." in good
    assert "Total document signed" in good
    assert SIGNER in good

    pdf = document["pdf"]
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(_flip_byte(pdf, pdf.index(b"/Contents <") - 40))
    bad = _pdfsig(broken)
    assert "Signature is Valid." not in bad
    assert "Digest Mismatch." in bad


def test_the_audit_pack_table_repeats_its_header_on_every_page_it_runs_across(signing_key, oakfield, dsl):
    for number in range(70):
        incident_create(actor=dsl, setting=oakfield, summary=f"Incident {number}.")
    today = timezone.localdate()
    _, pdf = export_audit_pack(
        setting=oakfield,
        period=Period(today - timedelta(days=1), today),
        initials_only=False,
        for_governors=False,
        requester=Requester(user=dsl, role="dsl"),
    )
    texts = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    table_pages = [text for text in texts if "Not yet classified" in text and "Reference Reported" in text]
    assert len(table_pages) >= 2
    assert all("Reference Reported Happened Classification" in text for text in table_pages)


class TestPolicyPdfDownload:
    @pytest.fixture
    def version(self, oakfield, dsl, head):
        return adopt(complete_draft(oakfield, dsl), head)

    def test_the_download_is_in_the_export_and_access_logs(
        self, signing_key, client_for, staff, oakfield, version, password
    ):
        url = reverse("incidents:policy_pdf", args=[oakfield.code, version.code])
        response = client_for(staff).post(url, {"password": password})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        export = ExportLog.objects.get()
        assert (export.kind, export.generated_by, export.params["version"]) == (
            ExportLog.Kind.DOCUMENT,
            staff,
            str(version.code),
        )
        assert verify_pdf(response.content).export == export
        entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.DOWNLOAD_POLICY)
        assert (entry.user, entry.setting_id, entry.role, entry.path) == (staff, oakfield.pk, "staff", url)
