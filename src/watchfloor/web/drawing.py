"""Inline SVG the pages draw without scripts: the world map by threat level, the threat
score over time. Every text in them is escaped; numbers are formatted, never pasted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

__all__ = ["LEVEL_COLOURS", "score_chart", "world_map"]

#: Threat level → fill colour (the same order as the levels, pale to dark).
LEVEL_COLOURS: dict[str, str] = {
    "Low": "#3b8a3e",
    "Guarded": "#2f6db5",
    "Elevated": "#d6a21b",
    "High": "#d9641c",
    "Severe": "#b3172b",
    "Insufficient data": "#a7a39a",
}
_LAND = "#ece8de"
_BORDER = "#9a9489"


def _rings(geometry: Mapping[str, Any] | None) -> list[list[list[float]]]:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for poly in geometry["coordinates"] for ring in poly]
    return []


def world_map(
    outlines: Mapping[str, Any] | None,
    levels: Mapping[str, tuple[str, str]],
    *,
    width: int = 960,
    height: int = 480,
) -> Markup:
    """An equirectangular world map, each watched country filled by its level.

    Args:
        outlines: the Natural Earth FeatureCollection (``load_country_outlines``), or None
            when the web assets are not installed (the map is then a plain frame).
        levels: country name (as in the outlines) → (ISO code, threat level).
    """
    sx, sy = width / 360.0, height / 180.0
    paths = []
    for feature in (outlines or {}).get("features", []):
        name = str((feature.get("properties") or {}).get("name", ""))
        hit = levels.get(name)
        fill = LEVEL_COLOURS.get(hit[1], _LAND) if hit else _LAND
        d = []
        for ring in _rings(feature.get("geometry")):
            if len(ring) < 3:
                continue
            pts = [((lng + 180.0) * sx, (90.0 - lat) * sy) for lng, lat, *_ in ring]
            d.append(
                f"M{pts[0][0]:.1f} {pts[0][1]:.1f}"
                + "".join(f"L{x:.1f} {y:.1f}" for x, y in pts[1:])
                + "Z"
            )
        if not d:
            continue
        title = f"{name}: {hit[1]}" if hit else name
        path = (
            f'<path d={quoteattr("".join(d))} fill="{fill}" stroke="{_BORDER}" '
            f'stroke-width="0.4"><title>{escape(title)}</title></path>'
        )
        if hit:
            path = f'<a href="/countries/{escape(hit[0])}" class="country-link">{path}</a>'
        paths.append(path)
    return Markup(
        f'<svg class="world" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="World map coloured by threat level" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="{width}" height="{height}" fill="#f8f7f3"/>' + "".join(paths) + "</svg>"
    )


def score_chart(
    points: Sequence[tuple[date, float | None, str]],
    *,
    width: int = 640,
    height: int = 220,
) -> Markup:
    """The threat score (0-100) of each stored report at its period's end.

    A report with insufficient data is drawn as a hollow grey mark on the baseline and
    breaks the line. *points* are (period end, score or None, level), oldest first.
    """
    left, right, top, bottom = 40, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Threat score over time" xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fbfaf7" '
        f'stroke="#ccc"/>',
    ]
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - tick / 100)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e1d8"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>'
        )
    if not n:
        parts.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
            f'font-size="13">No stored reports yet</text></svg>'
        )
        return Markup("".join(parts))

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    segment: list[str] = []
    lines: list[list[str]] = [segment]
    for i, (day, score, level) in enumerate(points):
        x = x_of(i)
        label = escape(
            f"{day.isoformat()}: {level}" + (f" ({score:.0f})" if score is not None else "")
        )
        if score is None:
            segment = []
            lines.append(segment)
            y = top + plot_h
            parts.append(
                f'<circle class="point insufficient" cx="{x:.1f}" cy="{y:.1f}" r="5" '
                f'fill="none" stroke="#888"><title>{label}</title></circle>'
            )
        else:
            y = top + plot_h * (1 - score / 100)
            segment.append(f"{x:.1f},{y:.1f}")
            colour = LEVEL_COLOURS.get(level, "#555")
            parts.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}">'
                f"<title>{label}</title></circle>"
            )
        if n <= 12 or i in (0, n - 1):
            parts.append(
                f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" font-size="11">'
                f"{escape(day.strftime('%d %b'))}</text>"
            )
    polylines = [
        f'<polyline points="{" ".join(s)}" fill="none" stroke="#444" stroke-width="1.5"/>'
        for s in lines
        if len(s) > 1
    ]
    # Lines under the points.
    parts[2 + 5 : 2 + 5] = polylines
    parts.append("</svg>")
    return Markup("".join(parts))
