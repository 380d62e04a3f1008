"""No imagery, ever: files are refused on every URL, image and video bytes are recognised by their
content wherever text is parsed, and no model can hold a file."""

import base64
import io
import struct
import zlib

import pytest
from django.apps import apps
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from incidents import imagery
from incidents.models import ChronologyEntry, Disclosure, Incident
from incidents.views.errors import bad_request

pytestmark = pytest.mark.django_db


# --- Real files, made here -----------------------------------------------------------------------


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def png() -> bytes:
    """A 1×1 PNG written by hand, so the test does not depend on how Pillow writes one."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(
        b"IEND", b""
    )


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (2, 2)).save(out, "GIF")
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, "WEBP")
    return out.getvalue()


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def heic() -> bytes:
    """The boxes an iPhone HEIC photo starts with: ftyp (brand heic), then meta with its handler."""
    ftyp = box(b"ftyp", b"heic" + b"\x00\x00\x00\x00" + b"mif1heic")
    hdlr = box(b"hdlr", b"\x00" * 8 + b"pict" + b"\x00" * 12 + b"\x00")
    meta = box(b"meta", b"\x00\x00\x00\x00" + hdlr)
    return ftyp + meta + box(b"mdat", b"\x00" * 16)


def mp4() -> bytes:
    ftyp = box(b"ftyp", b"isom" + b"\x00\x00\x02\x00" + b"isomiso2mp41")
    mvhd = box(b"mvhd", b"\x00" * 100)
    return ftyp + box(b"free", b"") + box(b"mdat", b"\x00" * 32) + box(b"moov", mvhd)


def mov() -> bytes:
    return box(b"ftyp", b"qt  " + b"\x00\x00\x02\x00" + b"qt  ") + box(b"wide", b"") + box(b"mdat", b"\x00" * 8)


def quicktime_without_ftyp() -> bytes:
    return box(b"wide", b"") + box(b"mdat", b"\x00" * 8)


REAL_FILES = {
    "jpeg": (jpeg, "JPEG"),
    "png": (png, "PNG"),
    "gif": (gif, "GIF"),
    "webp": (webp, "WebP"),
    "heic": (heic, "HEIC"),
    "mp4": (mp4, "MP4"),
    "mov": (mov, "QuickTime"),
    "old_mov": (quicktime_without_ftyp, "QuickTime"),
}

TEXT = [
    "Jess (Year 9) said a photo of her is going round the Year 10 Snapchat group.",
    "She said: “he sent it to everyone”. Café, naïve, 😢, ü — and a URL https://example.org/a/b?c=d",
    "GIF is a format; the BMX club; MM and II; RIFF raff; ftyp is a box name",
    "A" * 5000,
]


# --- The detector --------------------------------------------------------------------------------


class TestDetector:
    @pytest.mark.parametrize("name", list(REAL_FILES))
    def test_it_recognises_real_files(self, name):
        make, label = REAL_FILES[name]
        assert label in imagery.detect_bytes(make())

    @pytest.mark.parametrize("name", ["jpeg", "png", "heic", "mp4"])
    def test_it_finds_imagery_after_some_text(self, name):
        assert imagery.detect_bytes(b"see attached: " + REAL_FILES[name][0]())

    @pytest.mark.parametrize("text", TEXT)
    def test_ordinary_text_passes(self, text):
        assert imagery.detect_text(text) is None
        assert imagery.detect_bytes(text.encode()) is None

    def test_random_base64_is_not_taken_for_an_image_by_a_mark_in_its_middle(self):
        # A CSRF token or any random key decodes to random bytes; a two-byte image mark (JPEG XL's
        # FF 0A) turns up somewhere in about one in 1,400 of them, and once refused a sign-in.
        token = base64.b64encode(b"\x01" * 20 + b"\xff\x0a" + b"\x02" * 26).decode()
        assert len(token) >= 64
        assert imagery.detect_text(token) is None
        assert imagery.detect_in_form_body(f"csrfmiddlewaretoken={token}&username=dana".encode()) is None

    def test_base64_that_starts_with_an_image_mark_is_refused(self):
        encoded = base64.b64encode(b"\xff\x0a" + b"\x00" * 60).decode()
        assert imagery.detect_text(encoded) == "a JPEG 2000 or JPEG XL image written as base64 text"

    @pytest.mark.parametrize("name", ["jpeg", "png", "heic", "mp4"])
    def test_base64_of_an_image_is_recognised(self, name):
        encoded = base64.b64encode(REAL_FILES[name][0]()).decode()
        assert "base64" in imagery.detect_text(f"here it is {encoded}")

    def test_a_data_address_is_recognised(self):
        assert imagery.detect_text("<img src='data:image/png;base64,AAAA'>")

    def test_bytes_decoded_as_latin1_are_recognised(self):
        assert imagery.detect_text(jpeg().decode("latin-1"))


# --- Every URL refuses files ---------------------------------------------------------------------

URLS = ["/report/", "/", "/accounts/login/", "/dashboard/", "/incidents/new/", "/no-such-page/", "/admin/"]


class TestFilesAreRefused:
    @pytest.mark.parametrize("url", URLS)
    @pytest.mark.parametrize("name", ["jpeg", "png", "heic", "mp4"])
    def test_a_file_is_refused_on_every_url(self, client_for, staff, url, name):
        upload = SimpleUploadedFile(f"picture.{name}", REAL_FILES[name][0]())
        response = client_for(staff).post(url, {"what_was_said": "hello", "attachment": upload})
        assert response.status_code == 400
        assert "Nothing has been stored" in response.text
        assert "illegal" in response.text

    def test_a_jpeg_renamed_txt_and_declared_text_is_still_refused(self, client_for, staff, oakfield):
        upload = SimpleUploadedFile("notes.txt", jpeg(), content_type="text/plain")
        response = client_for(staff).post("/report/", {"setting": oakfield.pk, "notes": upload})
        assert response.status_code == 400
        assert not Disclosure.objects.exists()

    def test_an_empty_text_file_is_refused_too(self, client_for, staff):
        upload = SimpleUploadedFile("notes.txt", b"just words", content_type="text/plain")
        assert client_for(staff).post("/report/", {"notes": upload}).status_code == 400

    def test_signed_out_requests_are_refused_the_same_way(self, client, db):
        upload = SimpleUploadedFile("a.jpg", jpeg())
        response = client.post("/accounts/login/", {"username": "x", "photo": upload})
        assert response.status_code == 400
        assert "Images and videos are not accepted" in response.text

    def test_a_put_with_a_file_is_refused(self, client_for, staff):
        from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

        body = encode_multipart(BOUNDARY, {"photo": SimpleUploadedFile("a.heic", heic())})
        response = client_for(staff).put("/report/", body, content_type=MULTIPART_CONTENT)
        assert response.status_code == 400
        assert "Nothing has been stored" in response.text

    def test_a_raw_image_body_is_refused(self, client_for, staff):
        response = client_for(staff).generic("POST", "/report/", mp4(), content_type="application/octet-stream")
        assert response.status_code == 400

    def test_a_declared_image_body_is_refused(self, client_for, staff):
        response = client_for(staff).generic("POST", "/report/", b"whatever", content_type="image/jpeg")
        assert response.status_code == 400

    def test_nothing_is_written_to_a_temporary_file(self, client_for, staff, monkeypatch):
        from django.core.files import uploadhandler

        def must_not_run(*args, **kwargs):
            raise AssertionError("an upload handler was given the file")

        monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "new_file", must_not_run)
        monkeypatch.setattr(uploadhandler.MemoryFileUploadHandler, "new_file", must_not_run)
        upload = SimpleUploadedFile("a.jpg", jpeg())
        assert client_for(staff).post("/report/", {"photo": upload}).status_code == 400

    def test_django_refuses_any_file_before_upload_handlers(self, settings):
        assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 0
        assert settings.FILE_UPLOAD_HANDLERS == ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

    def test_the_400_handler_explains_a_refused_file(self, rf: RequestFactory):
        response = bad_request(rf.get("/"), TooManyFilesSent("too many"))
        assert response.status_code == 400
        assert b"Nothing has been stored" in response.content
        plain = bad_request(rf.get("/"), ValueError("other"))
        assert b"Nothing has been stored" not in plain.content

    def test_a_multipart_form_without_files_still_works(self, client_for, staff, oakfield, dsl):
        from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

        from tests.test_disclosures import form_data

        body = encode_multipart(BOUNDARY, form_data(oakfield))
        response = client_for(staff).generic("POST", "/report/", body, content_type=MULTIPART_CONTENT)
        assert response.status_code == 302
        assert Disclosure.objects.count() == 1


class TestImageryInTextFields:
    def post(self, client, oakfield, **overrides):
        from tests.test_disclosures import form_data

        return client.post("/report/", form_data(oakfield, **overrides))

    @pytest.mark.parametrize("name", ["jpeg", "png", "heic", "mp4"])
    def test_raw_bytes_in_a_text_field_are_refused(self, client_for, staff, oakfield, name):
        from tests.test_disclosures import form_data

        data = form_data(oakfield)
        body = "&".join(f"{k}={v}" for k, v in data.items() if k != "what_was_said").encode()
        from urllib.parse import quote_from_bytes

        body += b"&what_was_said=" + quote_from_bytes(REAL_FILES[name][0]()).encode()
        response = client_for(staff).generic(
            "POST", "/report/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 400
        assert not Disclosure.objects.exists()

    def test_base64_in_a_text_field_is_refused(self, client_for, staff, oakfield):
        pasted = "look " + base64.b64encode(jpeg()).decode()
        response = self.post(client_for(staff), oakfield, what_was_said=pasted)
        assert response.status_code == 400
        assert not Disclosure.objects.exists()

    def test_a_data_address_in_any_field_is_refused(self, client_for, staff, oakfield):
        response = self.post(client_for(staff), oakfield, devices="data:image/heic;base64,AAAAGGZ0eXBoZWlj")
        assert response.status_code == 400

    def test_imagery_in_a_multipart_text_field_is_refused(self, client_for, staff, oakfield):
        from django.test.client import BOUNDARY, MULTIPART_CONTENT

        body = (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"what_was_said\"\r\n\r\n".encode()
            + png()
            + f"\r\n--{BOUNDARY}--\r\n".encode()
        )
        response = client_for(staff).generic("POST", "/report/", body, content_type=MULTIPART_CONTENT)
        assert response.status_code == 400

    def test_imagery_in_the_query_string_is_refused(self, client_for, staff):
        encoded = base64.urlsafe_b64encode(jpeg()).decode()
        assert client_for(staff).get(f"/report/?q={encoded}").status_code == 400

    def test_ordinary_reports_pass(self, client_for, staff, oakfield, dsl):
        response = self.post(client_for(staff), oakfield, what_was_said=TEXT[1])
        assert response.status_code == 302

    def test_the_service_refuses_imagery_too(self, staff, oakfield):
        from django.core.exceptions import ValidationError

        from tests.test_disclosures import report

        with pytest.raises(ValidationError, match="never accepts imagery"):
            report(staff, oakfield, what_was_said="data:image/jpeg;base64,/9j/4AAQ")
        assert not Incident.objects.exists()
        assert not ChronologyEntry.objects.exists()


def test_no_model_can_hold_a_file():
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField | models.ImageField)
    ]
    assert offenders == []


def test_the_walk_covers_every_model_of_the_app():
    labels = {model._meta.label for model in apps.get_app_config("incidents").get_models()}
    assert {"incidents.Disclosure", "incidents.Incident", "incidents.OutboxEmail"} <= labels


def test_the_report_form_has_no_file_field(client_for, staff):
    page = client_for(staff).get(reverse("incidents:report")).text
    assert 'type="file"' not in page
    assert "multipart" not in page
