"""Server-rendered SVG bar charts. Plain Python: no Django imports.

Every chart is drawn from the same numbers as the table printed beside it, carries a title and a
description for screen readers, and uses presentation attributes only (no inline styles, no
script), so it works under a strict Content-Security-Policy and inside a PDF.
"""

from dataclasses import dataclass
from html import escape

# Colour-blind-safe (Okabe-Ito) colours, each with a contrast of at least 3:1 against white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: list[str],
    series: list[Series],
    hidden: set[tuple[int, int]] | None = None,
    width: int = 640,
    height: int = 260,
) -> str:
    """A stacked bar chart. `hidden` holds (series index, label index) pairs whose value must not be
    shown (small counts for governors): they are drawn as an outlined stub marked "<5"."""
    hidden = hidden or set()
    left, right, top, bottom = 40, 10, 10, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    peak = max(totals + [1])
    step = max(1, _nice_step(peak))
    top_value = ((peak + step - 1) // step) * step
    slot = plot_w / max(len(labels), 1)
    bar_w = max(4.0, slot * 0.6)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="ysi-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Bar chart; the same numbers are in the table that follows.</desc>',
    ]
    for tick in range(0, top_value + 1, step):
        y = top + plot_h - plot_h * tick / top_value
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#333">{tick}</text>')
    for i, label in enumerate(labels):
        x = left + slot * i + (slot - bar_w) / 2
        base = top + plot_h
        for s_index, s in enumerate(series):
            value = s.values[i]
            if value <= 0:
                continue
            colour = PALETTE[s_index % len(PALETTE)]
            if (s_index, i) in hidden:
                parts.append(
                    f'<rect x="{x:.1f}" y="{base - 8:.1f}" width="{bar_w:.1f}" height="8" fill="none" '
                    f'stroke="{colour}" stroke-dasharray="2,2"/>'
                )
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{base - 11:.1f}" text-anchor="middle" font-size="9" '
                    f'fill="#333">&lt;5</text>'
                )
                base -= 20
                continue
            h = plot_h * value / top_value
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(s.name)}, {escape(label)}: {value}</title></rect>"
            )
            base -= h
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 14}" text-anchor="end" font-size="10" fill="#333" '
            f'transform="rotate(-35 {x + bar_w / 2:.1f} {top + plot_h + 14})">{escape(label)}</text>'
        )
    legend_x = left
    for s_index, s in enumerate(series if len(series) > 1 else []):
        colour = PALETTE[s_index % len(PALETTE)]
        parts.append(f'<rect x="{legend_x}" y="{height - 12}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{height - 3}" font-size="11" fill="#333">{escape(s.name)}</text>')
        legend_x += 24 + 7 * len(s.name)
    parts.append("</svg>")
    return "".join(parts)


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if peak / step <= 6:
            return step
    return 1000
