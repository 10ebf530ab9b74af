"""Small inline SVG charts for the HTML and PDF report: drawn here, no script, no network."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from watchfloor.models.report import Coverage

__all__ = ["day_chart"]


def day_chart(coverage: Coverage | None, *, width: int = 560, height: int = 140) -> Markup:
    """Articles about the country per day as bars, the usual daily volume as a dashed line.

    Every value is a number or a date drawn by this code; the result is safe Markup.
    """
    if coverage is None or not coverage.per_day:
        return Markup("")
    days = coverage.per_day
    usual = coverage.usual_per_day or 0.0
    top = max([d.articles for d in days] + [usual, 1.0])
    left, bottom, pad = 34, 22, 6
    plot_w, plot_h = width - left - pad, height - bottom - pad
    slot = plot_w / len(days)
    bar = max(2.0, slot * 0.7)
    parts = [
        f'<svg class="daychart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Articles about the country per day">',
        f'<line x1="{left}" y1="{pad + plot_h}" x2="{width - pad}" y2="{pad + plot_h}" '
        'stroke="#5b6670" stroke-width="1"/>',
        f'<text x="{left - 4}" y="{pad + 9}" font-size="10" text-anchor="end" '
        f'fill="#5b6670">{top:g}</text>',
        f'<text x="{left - 4}" y="{pad + plot_h}" font-size="10" text-anchor="end" '
        'fill="#5b6670">0</text>',
    ]
    for i, d in enumerate(days):
        h = plot_h * d.articles / top
        x = left + i * slot + (slot - bar) / 2
        y = pad + plot_h - h
        label = escape(f"{d.day.isoformat()}: {d.articles} articles")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'fill="#3d6fa8"><title>{label}</title></rect>'
        )
        if len(days) <= 31:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 8}" font-size="9" '
                f'text-anchor="middle" fill="#5b6670">{d.day:%d}</text>'
            )
    if usual:
        y = pad + plot_h - plot_h * usual / top
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - pad}" y2="{y:.1f}" stroke="#8a1c22" '
            f'stroke-dasharray="4 3" stroke-width="1.2"><title>usual: {usual:.1f} a day'
            "</title></line>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
