"""The QR code and the typed-in secret for setting up an authenticator app, made here (segno): no
outside service ever sees the secret."""

from base64 import b32encode

import segno
from django.utils.safestring import mark_safe


def svg_for(text: str) -> str:
    """An inline SVG QR code (presentation attributes only, so the Content-Security-Policy allows it)."""
    svg = segno.make(text, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="qr-code",
                                                 lineclass=None, omitsize=False)
    # nosemgrep: ysi-mark-safe-on-data - segno writes this SVG from the QR matrix; no user's text is in it
    return mark_safe(svg)  # noqa: S308 # nosec B308 B703 # SVG drawn by segno from the QR matrix, no user text


def base32_secret(device) -> str:
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def spaced(secret: str, group: int = 4) -> str:
    return " ".join(secret[i : i + group] for i in range(0, len(secret), group))
