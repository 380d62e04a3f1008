"""Signed PDFs: rendering without network, PAdES signature, verification and breakage."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from incidents.models import AccessLogEntry, ExportLog
from incidents.services.exports import Requester, verify_pdf
from incidents.services.incidents import note_add
from incidents.services.pdf import StaticOnlyFetcher, render_pdf, render_signed_pdf
from incidents.services.records import export_incident_record
from incidents.services.signing import SigningFiles, create_self_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(signing_key, incident, dsl, tmp_path):
    export, pdf = export_incident_record(incident=incident, requester=Requester(user=dsl, role="dsl", path="/t"))
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    return export, pdf, path


def _flip_byte(pdf: bytes, offset: int) -> bytes:
    data = bytearray(pdf)
    data[offset] ^= 0x01
    return bytes(data)


def test_render_signed_pdf_makes_a_signed_pdf_any_module_can_use(signing_key, oakfield, tmp_path):
    pdf = render_signed_pdf(template_name="pdf/base.html", context={}, setting=oakfield, title="Policy")
    result = verify_pdf(pdf)
    assert (result.signed, result.intact, result.valid, result.whole_file, result.trusted) == (True,) * 5
    assert result.signer == "YSI records (self-signed, development)"
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "OFFICIAL-SENSITIVE" in text
    assert "Page 1 of 1" in text
    assert "YSI records (self-signed, development)" in text  # the signer's name, visible in the document


def test_an_export_is_logged_with_its_hashes_and_in_the_access_log(exported, incident, dsl):
    export, pdf, _ = exported
    assert (export.kind, export.incident, export.generated_by) == (ExportLog.Kind.RECORD, incident, dsl)
    assert len(export.content_hash) == len(export.file_hash) == 64
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.DOWNLOAD_RECORD)
    assert (entry.user, entry.incident) == (dsl, incident)
    result = verify_pdf(pdf)
    assert (result.export, result.file_matches, result.content_matches) == (export, True, True)
    assert result.ok


def test_verify_record_reports_signer_time_and_that_the_record_still_matches(exported, capsys):
    _, _, path = exported
    call_command("verify_record", str(path))
    out = capsys.readouterr().out
    assert "Signature: INTACT, covers the whole file" in out
    assert "Signed by: YSI records (self-signed, development)" in out
    assert "Signed at: " in out and " UTC" in out
    assert "File as exported: yes" in out
    assert "Record now: matches the record the app holds now" in out


def test_verify_record_notices_the_record_has_changed_since(exported, incident, dsl, capsys):
    _, _, path = exported
    note_add(actor=dsl, incident=incident, text="Spoke to the parents.")
    call_command("verify_record", str(path))
    assert "the record has CHANGED since this file was exported" in capsys.readouterr().out


@pytest.mark.parametrize("where", [0.25, 0.5, 0.9])
def test_a_changed_byte_breaks_verification(exported, tmp_path, where, capsys):
    _, pdf, _ = exported
    # Stay inside the signed ranges: skip the signature's own /Contents hex string.
    offset = int(len(pdf) * where)
    start = pdf.index(b"/Contents <")
    end = pdf.index(b">", start)
    if start <= offset <= end:
        offset = start - 10
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(_flip_byte(pdf, offset))

    assert not verify_pdf(broken.read_bytes()).ok
    with pytest.raises(CommandError, match="cannot be relied on"):
        call_command("verify_record", str(broken))


def test_a_file_with_something_appended_is_not_accepted(exported):
    _, pdf, _ = exported
    result = verify_pdf(pdf + b"\n% appended\n")
    assert not result.ok


def test_an_unsigned_pdf_is_refused(signing_key, oakfield):
    pdf = render_pdf(template_name="pdf/base.html", context={"pdf": {"title": "x", "setting": oakfield}})
    result = verify_pdf(pdf)
    assert not result.signed and not result.ok
    assert "no digital signature" in result.problems[0]


PDFSIG = shutil.which("pdfsig")


@pytest.mark.skipif(PDFSIG is None, reason="poppler's pdfsig is not installed (make system-deps installs it)")
def test_poppler_validates_the_signature_and_sees_a_changed_byte(exported, tmp_path):
    _, pdf, path = exported
    good = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, check=False).stdout  # noqa: S603
    # pdfsig exits 0 even for a broken signature: its words are what count.
    assert "Signature is Valid." in good
    assert "Total document signed" in good

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(_flip_byte(pdf, pdf.index(b"/Contents <") - 40))
    bad = subprocess.run([PDFSIG, str(broken)], capture_output=True, text=True, check=False).stdout  # noqa: S603
    assert "Signature is Valid." not in bad
    assert "Digest Mismatch." in bad


def test_the_renderer_fetches_only_data_urls_and_static_files(settings, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    fetcher = StaticOnlyFetcher()
    static_css = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap"
    allowed = next(static_css.rglob("*.css"))
    fetcher.fetch(allowed.as_uri())
    fetcher.fetch("data:text/plain,hello")
    for url in ("http://192.0.2.1/x.png", "https://example.org/a.css", secret.as_uri(), "ftp://example.org/x"):
        with pytest.raises(ValueError, match="fetches only"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4


def test_text_typed_by_users_cannot_make_the_renderer_fetch(signing_key, incident, dsl, monkeypatch):
    from incidents.services import pdf as pdf_module

    incident.summary = '<img src="http://192.0.2.1/track.png"> <link rel=stylesheet href="file:///etc/passwd">'
    incident.save()
    seen = []
    original = pdf_module.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        seen.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf_module.StaticOnlyFetcher, "fetch", spy)
    _, pdf = export_incident_record(incident=incident, requester=Requester(user=dsl, role="dsl"))
    assert seen == []  # escaped text is text, not markup
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "track.png" in text


def test_create_signing_key_with_a_passphrase_and_per_setting(tmp_path, oakfield, settings, capsys):
    files = SigningFiles(tmp_path / "k.pem", tmp_path / "c.pem", b"correct horse")
    create_self_signed(files=files, common_name="Encrypted test key")
    assert b"ENCRYPTED" in files.key.read_bytes()
    assert oct(files.key.stat().st_mode & 0o777) == "0o600"

    settings.YSI_SIGNING_KEY, settings.YSI_SIGNING_CERT = str(files.key), str(files.cert)
    settings.YSI_SIGNING_KEY_PASSPHRASE = "correct horse"
    call_command("create_signing_key", "--setting", str(oakfield.code), "--name", "Oakfield signer")
    pdf = render_signed_pdf(template_name="pdf/base.html", context={}, setting=oakfield, title="Per setting")
    assert verify_pdf(pdf).signer == "Oakfield signer"
    call_command("create_signing_key")
    assert "already present" in capsys.readouterr().out
