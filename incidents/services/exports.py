"""Producing signed documents with an export log entry, and checking a PDF against that log.

Every export writes, in one transaction, an ExportLog row (what, who, the SHA-256 of the file, and
a hash of the record's content at that moment) and an access-log entry. `verify_pdf` checks the
signature and compares the file and the record as the app holds it now with what was logged.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from incidents.models import ExportLog, Incident, Membership, Setting, User, YoungPerson
from incidents.services.audit import access_log_record
from incidents.services.pdf import render_signed_pdf, sha256, signer_name
from incidents.services.signing import default_files, setting_files

# How to recompute, from what the app holds now, the content hash an export logged. Each kind of
# document registers its own (see incidents/services/records.py); documents of the kind "document"
# register under "document:<params['document']>" (e.g. "document:policy").
FINGERPRINTS: dict[str, Callable[[ExportLog], str]] = {}


def register_fingerprint(
    kind: str, document: str = ""
) -> Callable[[Callable[[ExportLog], str]], Callable[[ExportLog], str]]:
    def decorate(function: Callable[[ExportLog], str]) -> Callable[[ExportLog], str]:
        FINGERPRINTS[f"{kind}:{document}" if document else kind] = function
        return function

    return decorate


def fingerprint_for(export: ExportLog) -> Callable[[ExportLog], str] | None:
    document = (export.params or {}).get("document")
    return FINGERPRINTS.get(f"{export.kind}:{document}") or FINGERPRINTS.get(export.kind)


@dataclass(frozen=True)
class Requester:
    """Who asked for a document and from where, for the export and access logs."""

    user: User | None
    role: str = ""
    path: str = ""
    ip_address: str | None = None

    @property
    def label(self) -> str:
        if self.user is None:
            return "the command line"
        role = dict(Membership.Role.choices).get(self.role, "")
        return f"{self.user} ({role})" if role else str(self.user)


def export_document(
    *,
    kind: str,
    setting: Setting,
    requester: Requester,
    access_action: str,
    title: str,
    template_name: str,
    context: dict[str, Any],
    content_hash: str,
    incident: Incident | None = None,
    young_person: YoungPerson | None = None,
    params: dict[str, Any] | None = None,
    via: str = "web",
    marking: str = "OFFICIAL-SENSITIVE",
) -> tuple[ExportLog, bytes]:
    code = uuid.uuid4()
    now = timezone.now()
    pdf = render_signed_pdf(
        template_name=template_name,
        context=context,
        setting=setting,
        title=title,
        generated_by=requester.label,
        generated_at=now,
        export_code=str(code),
        marking=marking,
    )
    with transaction.atomic():
        log = ExportLog.objects.create(
            setting=setting,
            code=code,
            kind=kind,
            title=title[:300],
            incident=incident,
            young_person=young_person,
            params=params or {},
            generated_by=requester.user,
            generated_at=now,
            via=via,
            content_hash=content_hash,
            file_hash=sha256(pdf),
            signer=signer_name(setting)[:300],
        )
        access_log_record(
            user=requester.user,
            setting_id=setting.pk,
            incident_id=incident.pk if incident else None,
            role=requester.role,
            action=access_action,
            path=requester.path or f"export {kind} {title}",
            ip_address=requester.ip_address,
        )
    return log, pdf


@dataclass
class Verification:
    signed: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signing_time: datetime | None = None
    export: ExportLog | None = None
    file_matches: bool | None = None
    content_matches: bool | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.whole_file and self.file_matches is not False


def _trust_roots() -> list[x509.Certificate]:
    paths = [default_files().cert, *[Path(p) for p in settings.YSI_SIGNING_TRUST]]
    paths += [setting_files(s).cert for s in Setting.objects.only("code")]
    roots = []
    for path in paths:
        if not path.exists():
            continue
        data = path.read_bytes()
        for _, _, der in pem.unarmor(data, multiple=True) if pem.detect(data) else [(None, None, data)]:
            roots.append(x509.Certificate.load(der))
    return roots


def _keywords(data: bytes) -> str:
    try:
        return str((PdfReader(BytesIO(data)).metadata or {}).get("/Keywords", ""))
    except Exception:  # noqa: BLE001 - a damaged file simply has no readable export reference
        return ""


EXPORT_CODE = re.compile(r"ysi-export:([0-9a-f-]{36})")


def verify_pdf(data: bytes) -> Verification:
    from incidents.services import documents  # noqa: F401 - registers every kind's fingerprint

    result = Verification()
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception as error:  # noqa: BLE001 - any parse failure means "not a file we can vouch for"
        result.problems.append(f"The file cannot be read as a PDF ({error.__class__.__name__}: {error}).")
        return result
    if not signatures:
        result.problems.append("The file carries no digital signature.")
        return result
    result.signed = True
    signature = signatures[-1]
    try:
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=_trust_roots(), allow_fetching=False))
    except Exception as error:  # noqa: BLE001
        result.problems.append(f"The signature cannot be checked ({error.__class__.__name__}: {error}).")
        return result
    result.intact, result.valid, result.trusted = status.intact, status.valid, status.trusted
    result.whole_file = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    cert = status.signing_cert
    result.signer = cert.subject.native.get("common_name") or cert.subject.human_friendly
    result.signing_time = status.signer_reported_dt
    if not result.intact:
        result.problems.append("The signed content has been changed since it was signed (digest mismatch).")
    elif not result.valid:
        result.problems.append("The signature itself is not valid.")
    if result.intact and not result.whole_file:
        result.problems.append("Something was added to the file after it was signed.")
    if not result.trusted:
        result.problems.append("The signing certificate is not one this installation trusts.")

    match = EXPORT_CODE.search(_keywords(data))
    if match:
        result.export = ExportLog.objects.filter(code=match.group(1)).select_related("setting", "generated_by").first()
    if result.export is None:
        result.problems.append("No export of this file is recorded in this installation's export log.")
        return result
    result.file_matches = result.export.file_hash == sha256(data)
    if not result.file_matches:
        result.problems.append("The file is not byte-for-byte the one the app produced.")
    fingerprint = fingerprint_for(result.export)
    if fingerprint is not None:
        result.content_matches = fingerprint(result.export) == result.export.content_hash
    return result
