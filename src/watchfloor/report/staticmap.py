"""A static SVG map of the hotspots, drawn by us, for the PDF and the no-Leaflet fallback.

The projection is equirectangular with longitudes scaled by the cosine of the middle
latitude, which keeps shapes recognisable at country-to-continent scale without any
projection library. The view is fitted to the hotspots' bounding box plus a margin. When
the hotspots straddle the antimeridian (Mongolia and Oahu, say) the view is centred across
the Pacific rather than stretched around the whole world: :func:`longitude_window` picks the
narrowest span of longitudes that holds every point.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from watchfloor.models.report import Hotspot

__all__ = ["INTENSITY_COLOURS", "INTENSITY_RADII", "longitude_window", "render_svg_map"]

INTENSITY_RADII = {1: 6.0, 2: 9.0, 3: 13.0}
INTENSITY_COLOURS = {1: "#f2b134", 2: "#e8702a", 3: "#c0262d"}
SEA = "#dce9f2"
LAND = "#f4f1e8"
BORDER = "#9a9489"
MIN_SPAN_DEG = 8.0


def longitude_window(lngs: Sequence[float]) -> tuple[float, float]:
    """Return ``(west, east)`` of the narrowest longitude span holding every point.

    ``east`` may exceed 180 when the span crosses the antimeridian; add 360 to any longitude
    below ``west`` to place it in the window.
    """
    if not lngs:
        return -180.0, 180.0
    ordered = sorted(((x + 180.0) % 360.0) - 180.0 for x in lngs)
    # The widest gap between neighbouring longitudes (going round the globe) is where
    # the map should be cut.
    best_gap, cut = -1.0, 0
    for i, x in enumerate(ordered):
        following = ordered[(i + 1) % len(ordered)] + (360.0 if i == len(ordered) - 1 else 0.0)
        gap = following - x
        if gap > best_gap:
            best_gap, cut = gap, (i + 1) % len(ordered)
    west = ordered[cut]
    east = ordered[cut - 1] if cut else ordered[-1]
    if east < west:
        east += 360.0
    return west, east


def _shift(lng: float, west: float) -> float:
    return lng + 360.0 if lng < west - 1e-9 else lng


class _Projection:
    """Map degrees to SVG pixels for a view fitted to a box of points."""

    def __init__(
        self, points: Sequence[tuple[float, float]], width: int, height: int, margin: float
    ) -> None:
        self.width, self.height = width, height
        if points:
            west, east = longitude_window([p[0] for p in points])
            lats = [p[1] for p in points]
            south, north = min(lats), max(lats)
        else:
            west, east, south, north = -170.0, 190.0, -60.0, 80.0
        self.west = west
        mid_lat = (south + north) / 2
        self.kx = max(math.cos(math.radians(mid_lat)), 0.2)
        x0, x1 = west * self.kx, east * self.kx
        y0, y1 = -north, -south
        # Pad by a share of the span, with a floor so one point still shows its region.
        pad_x = max((x1 - x0) * margin, MIN_SPAN_DEG * self.kx / 2)
        pad_y = max((y1 - y0) * margin, MIN_SPAN_DEG / 2)
        x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
        # Widen the short side so the map fills the frame without distortion.
        aspect = width / height
        if (x1 - x0) / (y1 - y0) < aspect:
            extra = (y1 - y0) * aspect - (x1 - x0)
            x0, x1 = x0 - extra / 2, x1 + extra / 2
        else:
            extra = (x1 - x0) / aspect - (y1 - y0)
            y0, y1 = y0 - extra / 2, y1 + extra / 2
        self.x0, self.y0 = x0, y0
        self.scale = width / (x1 - x0)
        self.lng_min, self.lng_max = x0 / self.kx, x1 / self.kx

    def xy(self, lng: float, lat: float) -> tuple[float, float]:
        return ((lng * self.kx - self.x0) * self.scale, (-lat - self.y0) * self.scale)


def _rings(geometry: dict[str, Any] | None) -> Iterable[list[list[float]]]:
    if not geometry:
        return
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _outline_paths(outlines: dict[str, Any], proj: _Projection) -> list[str]:
    paths: list[str] = []
    for feature in outlines.get("features", []):
        parts: list[str] = []
        for ring in _rings(feature.get("geometry")):
            if len(ring) < 3:
                continue
            lo = min(p[0] for p in ring)
            hi = max(p[0] for p in ring)
            # Natural Earth cuts shapes at ±180, so a copy shifted by 360 fills a view that
            # crosses the antimeridian.
            for offset in (-360.0, 0.0, 360.0):
                if hi + offset < proj.lng_min or lo + offset > proj.lng_max:
                    continue
                coords = [proj.xy(p[0] + offset, p[1]) for p in ring]
                head = f"M{coords[0][0]:.1f} {coords[0][1]:.1f}"
                tail = "".join(f"L{x:.1f} {y:.1f}" for x, y in coords[1:])
                parts.append(head + tail + "Z")
        if parts:
            name = (feature.get("properties") or {}).get("name", "")
            paths.append(
                f"<path d={quoteattr(''.join(parts))}><title>{escape(name)}</title></path>"
            )
    return paths


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_label(
    x: float,
    y: float,
    r: float,
    chars: int,
    taken: list[tuple[float, float, float, float]],
    width: int,
) -> tuple[float, float, str]:
    """Pick the first label position (right, left, below, above...) clear of earlier ones.

    Returns the text anchor point and SVG ``text-anchor``; the chosen box joins ``taken``.
    """
    w, h = chars * 7.0, 14.0
    candidates = [
        (x + r + 3, y + 4, "start"),
        (x - r - 3, y + 4, "end"),
        (x + r + 3, y + r + 12, "start"),
        (x + r + 3, y - r - 4, "start"),
        (x - r - 3, y + r + 12, "end"),
        (x - r - 3, y - r - 4, "end"),
        (x + r + 3, y + r + 26, "start"),
    ]
    if x + r + 3 + w > width:
        candidates.sort(key=lambda c: c[2] != "end")
    for tx, ty, anchor in candidates:
        left = tx if anchor == "start" else tx - w
        box = (left, ty - h + 3, left + w, ty + 3)
        if not any(_overlaps(box, other) for other in taken):
            taken.append(box)
            return tx, ty, anchor
    tx, ty, anchor = candidates[0]
    return tx, ty, anchor


def render_svg_map(
    hotspots: Sequence[Hotspot],
    outlines: dict[str, Any] | None = None,
    *,
    width: int = 900,
    height: int = 480,
    margin: float = 0.12,
    labels: bool = True,
) -> str:
    """Draw the hotspots (and country outlines when given) as a standalone SVG document.

    Args:
        hotspots: the report's hotspots; circles are sized and coloured by intensity.
        outlines: country outlines as a GeoJSON FeatureCollection, or None for a plain
            graticule background (the assets are not installed).
        width: SVG width in pixels; height likewise.
        margin: padding around the hotspots' bounding box, as a share of its span.
        labels: write each hotspot's label beside its circle.
    """
    points = [(h.lng, h.lat) for h in hotspots]
    proj = _Projection(points, width, height, margin)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="staticmap" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Map of the hotspots">',
        '<defs><clipPath id="frame">'
        f'<rect x="0" y="0" width="{width}" height="{height}"/></clipPath></defs>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{SEA}"/>',
        '<g clip-path="url(#frame)">',
    ]
    # A 10-degree graticule gives a sense of scale with or without outlines.
    grid: list[str] = []
    for lng10 in range(math.floor(proj.lng_min / 10) * 10, math.ceil(proj.lng_max / 10) * 10, 10):
        x, _ = proj.xy(lng10, 0)
        grid.append(f"M{x:.1f} 0V{height}")
    for lat10 in range(-80, 90, 10):
        _, y = proj.xy(0, lat10)
        if 0 <= y <= height:
            grid.append(f"M0 {y:.1f}H{width}")
    out.append(f'<path d="{"".join(grid)}" stroke="#c3d5e2" stroke-width="0.6" fill="none"/>')
    if outlines is not None:
        out.append(f'<g fill="{LAND}" stroke="{BORDER}" stroke-width="0.6">')
        out.extend(_outline_paths(outlines, proj))
        out.append("</g>")
    order = sorted(enumerate(hotspots, start=1), key=lambda item: item[1].intensity)
    placed: list[tuple[float, float, float, float]] = []
    text_parts: list[str] = []
    for index, h in order:
        x, y = proj.xy(_shift(h.lng, proj.west), h.lat)
        r = INTENSITY_RADII[h.intensity]
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{INTENSITY_COLOURS[h.intensity]}" '
            f'fill-opacity="0.8" stroke="#5a1a1a" stroke-width="1">'
            f"<title>{escape(h.label)}</title></circle>"
        )
        placed.append((x - r, y - r, x + r, y + r))
        if labels:
            text = f"{index}. {h.label}"
            tx, ty, anchor = _place_label(x, y, r, len(text), placed, width)
            # A white copy underneath keeps labels legible over borders; paint-order
            # would be shorter but WeasyPrint ignores it.
            at = (
                f'x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" '
                'font-family="sans-serif" font-size="12"'
            )
            body = escape(text)
            text_parts.append(
                f'<text {at} fill="#fff" stroke="#fff" stroke-width="3">{body}</text>'
            )
            text_parts.append(f'<text {at} fill="#222">{body}</text>')
    # Labels go on top of every circle.
    out.extend(text_parts)
    out.append("</g>")
    if not hotspots:
        out.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
            'font-family="sans-serif" font-size="16" fill="#555">No hotspots in this period</text>'
        )
    credit = "Outlines: Natural Earth" if outlines is not None else "Outlines not installed"
    out.append(
        f'<text x="{width - 6}" y="{height - 6}" text-anchor="end" font-family="sans-serif" '
        f'font-size="10" fill="#555">{credit}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
