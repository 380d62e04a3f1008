"""Recognise images and video by their content (magic bytes), never by name or declared type.

Plain Python, no Django: the request guard (incidents/middleware.py) and the services use it on
every piece of text or data the app parses. A false alarm costs a reporter a retry; a miss would
put illegal imagery in the database, so the checks lean towards refusing.
"""

import base64
import binascii
import re
from urllib.parse import unquote_to_bytes

# ISO base media file format ("....ftypBRAND"): HEIC/HEIF/AVIF photos and MP4/MOV/3GP video.
_IMAGE_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}

_SIGNATURES: list[tuple[re.Pattern[bytes], str]] = [
    (re.compile(rb"\xff\xd8\xff"), "a JPEG image"),
    (re.compile(rb"\x89PNG\r\n\x1a\n"), "a PNG image"),
    (re.compile(rb"GIF8[79]a"), "a GIF image"),
    (re.compile(rb"RIFF[\x00-\xff]{4}WEBP", re.S), "a WebP image"),
    (re.compile(rb"RIFF[\x00-\xff]{4}AVI ", re.S), "an AVI video"),
    (re.compile(rb"\x1a\x45\xdf\xa3"), "a WebM or Matroska video"),
    (re.compile(rb"\x00\x00\x01\xba"), "an MPEG video"),
    (re.compile(rb"(?:II\*\x00|MM\x00\*)[\x00-\xff]{4}", re.S), "a TIFF or raw camera image"),
    (re.compile(rb"BM[\x00-\xff]{4}\x00\x00\x00\x00", re.S), "a BMP image"),
    (re.compile(rb"\x00\x00\x00\x0c(?:jP  |JXL )\r\n\x87\n|\xff\x0a"), "a JPEG 2000 or JPEG XL image"),
    (re.compile(rb"8BPS\x00\x01"), "a Photoshop image"),
]
# A box starts with its 32-bit size, whose first byte is zero for anything under 16 MB.
_BOX = re.compile(rb"\x00[\x00-\xff]{3}ftyp([\x00-\xff]{4})", re.S)
_QUICKTIME = re.compile(rb"\x00[\x00-\xff]{3}(?:moov|mdat|wide|free|skip)\x00", re.S)

_DATA_URI = re.compile(r"data:\s*(?:image|video)/", re.I)
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{64,}={0,2}")


def detect_bytes(data: bytes, *, at_start: bool = False) -> str | None:
    """What kind of imagery `data` holds anywhere in it (or, with `at_start`, at its start), or None.

    Searching the whole value rather than its start catches imagery pasted after some text.
    Well-formed UTF-8 text never contains bytes like 0xFF, so real text does not trip these.
    """
    if not data:
        return None
    find = "match" if at_start else "search"
    for pattern, kind in _SIGNATURES:
        if getattr(pattern, find)(data):
            return kind
    if match := getattr(_BOX, find)(data):
        return "a HEIC/HEIF photo" if match.group(1) in _IMAGE_BRANDS else "an MP4 or QuickTime video"
    if getattr(_QUICKTIME, find)(data):
        return "a QuickTime video"
    return None


def detect_text(text: str) -> str | None:
    """Imagery smuggled into text: a data: URI, base64 of an image, or raw bytes decoded as text."""
    if not text:
        return None
    if _DATA_URI.search(text):
        return "an image or video written as a data: address"
    for run in _BASE64_RUN.findall(text):
        decoded = _b64_head(run)
        # A file written as base64 starts where the run starts. Searching all of the decoded bytes
        # found the two-byte JPEG XL mark by chance in about one random token in 1,400 (a CSRF token:
        # a person's sign-in refused as "an image").
        if decoded and (kind := detect_bytes(decoded, at_start=True)):
            return f"{kind} written as base64 text"
    # Raw bytes that reached us decoded as Latin-1 or with surrogate escapes keep their values.
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", errors="surrogateescape")
    return detect_bytes(raw)


def _b64_head(run: str) -> bytes | None:
    head = run[: (min(len(run), 4096) // 4) * 4]
    # The standard decoder silently drops "-" and "_", so the URL-safe alphabet needs its own.
    decode = base64.urlsafe_b64decode if ("-" in head or "_" in head) else base64.b64decode
    try:
        return decode(head)
    except (binascii.Error, ValueError):
        return None


def detect_in_form_body(body: bytes) -> str | None:
    """Check each raw value of an application/x-www-form-urlencoded body, undecoded."""
    for pair in body.split(b"&"):
        _, _, value = pair.partition(b"=")
        raw = unquote_to_bytes(value.replace(b"+", b" "))
        kind = detect_bytes(raw) or detect_text(raw.decode("utf-8", errors="replace"))
        if kind:
            return kind
    return None


def detect_in_multipart_body(body: bytes, boundary: bytes) -> str | None:
    """Check each part of a multipart body as raw bytes (text fields too)."""
    for part in body.split(b"--" + boundary):
        _, _, content = part.partition(b"\r\n\r\n")
        kind = detect_bytes(content) or detect_text(content.decode("utf-8", errors="replace"))
        if kind:
            return kind
    return None


def detect_in_body(body: bytes) -> str | None:
    """Any other body (JSON, plain text, raw data)."""
    return detect_bytes(body) or detect_text(body.decode("utf-8", errors="replace"))
