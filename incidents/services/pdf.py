"""Signed PDF documents: HTML templates rendered by WeasyPrint, signed by pyHanko (PAdES baseline B-B).

The renderer may fetch nothing but `data:` URLs and the app's own static files, so that text typed
by users can never make it reach the network or read other files. Fonts come from the machine.
"""

import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from incidents.models import Setting
from incidents.services.signing import SigningFiles, files_for

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "YSISignature"
# The signature panel sits in the top margin of the first page (A4 is 595 x 842 points; the PDF
# base template keeps this corner free). Coordinates are from the bottom-left corner.
SIGNATURE_BOX = (318, 770, 552, 830)
STAMP_STYLE = TextStampStyle(
    stamp_text="Digitally signed by\n%(signer)s\nSigning time: %(ts)s",
    timestamp_format="%Y-%m-%d %H:%M:%S UTC",
    text_box_style=TextBoxStyle(font_size=8),
    border_width=1,
)


def _static_roots() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "static", Path(settings.STATIC_ROOT)]
    return [root.resolve() for root in roots]


class StaticOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read data: URLs and files under the app's static folders, and nothing else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data", "file"}, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlparse(url).path)).resolve()
            if path.is_file() and any(path.is_relative_to(root) for root in _static_roots()):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        self.refused.append(url)
        logger.warning("PDF rendering refused to fetch %s", url[:200])
        raise ValueError(f"YSI fetches only data: URLs and its own static files when making a PDF, not {url[:200]}")


def render_pdf(*, template_name: str, context: dict[str, Any], fetcher: StaticOnlyFetcher | None = None) -> bytes:
    html = render_to_string(template_name, context)
    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher or StaticOnlyFetcher()).write_pdf()


@lru_cache(maxsize=8)
def _load_signer(key: Path, cert: Path, passphrase: bytes | None, mtime: float) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(str(key), str(cert), key_passphrase=passphrase)
    if signer is None:
        raise ValueError(f"Could not load the signing key {key} with certificate {cert} (wrong passphrase?).")
    return signer


def load_signer(files: SigningFiles) -> signers.SimpleSigner:
    mtime = max(files.key.stat().st_mtime, files.cert.stat().st_mtime)
    return _load_signer(files.key, files.cert, files.passphrase, mtime)


def signer_name(setting: Setting | None) -> str:
    cert = load_signer(files_for(setting)).signing_cert
    return cert.subject.native.get("common_name") or cert.subject.human_friendly


def sign_pdf(pdf: bytes, *, setting: Setting, reason: str) -> bytes:
    signer = load_signer(files_for(setting))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason[:200],
        location=setting.name,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        stamp_style=STAMP_STYLE,
        new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD, on_page=0, box=SIGNATURE_BOX),
    )
    out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf), strict=False))
    return out.getvalue()


@dataclass(frozen=True)
class PdfMeta:
    """What the PDF base template shows in every page's header and footer."""

    title: str
    setting: Setting
    generated_at: datetime
    generated_by: str
    signer: str
    export_code: str = ""
    # The protective marking in every page's margins. Case records are OFFICIAL-SENSITIVE; the
    # setting's policy is meant to be shared with staff and parents, so it is plain OFFICIAL.
    marking: str = "OFFICIAL-SENSITIVE"


def render_signed_pdf(
    *,
    template_name: str,
    context: dict[str, Any],
    setting: Setting,
    title: str,
    generated_by: str = "",
    generated_at: datetime | None = None,
    export_code: str = "",
    marking: str = "OFFICIAL-SENSITIVE",
) -> bytes:
    """Render `template_name` (which extends pdf/base.html) and sign it with the setting's certificate."""
    meta = PdfMeta(
        title=title,
        setting=setting,
        generated_at=generated_at or timezone.now(),
        generated_by=generated_by or "YSI",
        signer=signer_name(setting),
        export_code=export_code,
        marking=marking,
    )
    pdf = render_pdf(template_name=template_name, context={**context, "pdf": meta})
    return sign_pdf(pdf, setting=setting, reason=f"{title}: produced by YSI for {setting.name}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
