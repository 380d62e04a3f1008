# A sample that ysi-mark-safe-on-data must flag (ruleid) and must not flag (ok).
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def bad(summary):
    # ruleid: ysi-mark-safe-on-data
    first = mark_safe(summary)
    # ruleid: ysi-mark-safe-on-data
    second = mark_safe(f"<b>{summary}</b>")
    # ruleid: ysi-mark-safe-on-data
    third = SafeString(summary)
    return first, second, third


def good(summary):
    # ok: ysi-mark-safe-on-data
    rule = mark_safe("<hr>")
    # ok: ysi-mark-safe-on-data
    return rule, format_html("<b>{}</b>", summary)
