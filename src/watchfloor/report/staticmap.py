"""A static SVG map of the hotspots, drawn by us, for the PDF and the no-Leaflet fallback.

The projection is equirectangular with longitudes scaled by the cosine of the middle
latitude, which keeps shapes recognisable at country-to-continent scale without any
projection library. The view (:func:`map_bounds`) is fitted to the hotspots in the country
plus a margin, or to the country's extent when it has none; hotspots abroad never stretch it:
they are listed in an "Abroad" box in a corner. :func:`longitude_window` picks the narrowest
span of longitudes that holds every point, so a view across the antimeridian is centred on
the Pacific. Marker style shows precision: a solid circle for a town or site, a dashed one
for a province drawn at its centre, a dotted pale one for a region.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from watchfloor.analyze.hotspots import Bounds, country_extent, longitude_window
from watchfloor.models.report import Hotspot

__all__ = [
    "INTENSITY_COLOURS",
    "INTENSITY_RADII",
    "PRECISION_STYLES",
    "Bounds",
    "longitude_window",
    "map_bounds",
    "render_svg_map",
]

INTENSITY_RADII = {1: 6.0, 2: 9.0, 3: 13.0}
INTENSITY_COLOURS = {1: "#f2b134", 2: "#e8702a", 3: "#c0262d"}
SEA = "#dce9f2"
LAND = "#f4f1e8"
BORDER = "#9a9489"
MIN_SPAN_DEG = 8.0
WORLD = Bounds(-60.0, -170.0, 80.0, 190.0)

PRECISION_STYLES: dict[str, tuple[float, str]] = {
    "point": (0.8, ""),
    "admin1": (0.45, "4 3"),
    "region": (0.3, "1.5 2.5"),
    "country": (0.2, "6 3"),
}
"""Fill opacity and stroke dash pattern of a marker, by the hotspot's precision."""
PRECISION_LABELS = {
    "point": "town or site",
    "admin1": "province, at its centre",
    "region": "region, at its centre",
    "country": "whole country",
}


def map_bounds(
    hotspots: Sequence[Hotspot],
    country: str | None = None,
    *,
    margin: float = 0.12,
    min_span: float = MIN_SPAN_DEG,
) -> Bounds:
    """The view of the map: the hotspots in the country, padded, else the country's extent.

    *hotspots* are the report's hotspots in the country (``Report.hotspots``), never those
    abroad; when *country* is given, any of another country (a report before 1.2 listed
    them together) is left out of the view too. With none, the country's extent (its
    provinces and towns in the countrystatecity data); with neither, the world.
    """
    home = [h for h in hotspots if not country or h.country in (None, country)]
    found = Bounds.around([(h.lat, h.lng) for h in home])
    if found is None and country:
        found = country_extent(country)
    if found is None:
        return WORLD
    return found.padded(margin, min_span)


def _shift(lng: float, west: float) -> float:
    return lng + 360.0 if lng < west - 1e-9 else lng


class _Projection:
    """Map degrees to SVG pixels for a view fitted to a box."""

    def __init__(self, bounds: Bounds, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.bounds = bounds
        self.west = bounds.west
        mid_lat = (bounds.south + bounds.north) / 2
        self.kx = max(math.cos(math.radians(mid_lat)), 0.2)
        x0, x1 = bounds.west * self.kx, bounds.east * self.kx
        y0, y1 = -bounds.north, -bounds.south
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
        self.lat_min, self.lat_max = -y1, -y0

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


def _marker(x: float, y: float, h: Hotspot) -> str:
    r = INTENSITY_RADII[h.intensity]
    opacity, dash = PRECISION_STYLES.get(h.precision or "point", PRECISION_STYLES["point"])
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{INTENSITY_COLOURS[h.intensity]}" '
        f'fill-opacity="{opacity}" stroke="#5a1a1a" stroke-width="1.2"{dashes} '
        f'class="precision-{escape(h.precision or "point")}">'
        f"<title>{escape(h.label)}</title></circle>"
    )


def _abroad_box(abroad: Sequence[Hotspot], first: int, width: int, height: int) -> list[str]:
    """A box in the lower left corner listing the hotspots abroad (not drawn to scale)."""
    lines = [
        f"{first + i}. {h.label}" + (f" ({h.country})" if h.country else "")
        for i, h in enumerate(abroad)
    ]
    w = max(len("Abroad (not on this map)"), *(len(t) for t in lines)) * 6.6 + 16
    h = 20 + 15 * len(lines)
    top = height - h - 8
    out = [
        f'<g class="abroad"><rect x="8" y="{top:.1f}" width="{w:.1f}" height="{h}" '
        'fill="#fff" fill-opacity="0.9" stroke="#9a9489" stroke-width="0.8"/>',
        f'<text x="16" y="{top + 14:.1f}" font-family="sans-serif" font-size="11" '
        'font-weight="bold" fill="#222">Abroad (not on this map)</text>',
    ]
    for i, text in enumerate(lines):
        out.append(
            f'<text x="16" y="{top + 29 + 15 * i:.1f}" font-family="sans-serif" font-size="11" '
            f'fill="#222">{escape(text)}</text>'
        )
    out.append("</g>")
    return out


def render_svg_map(
    hotspots: Sequence[Hotspot],
    outlines: dict[str, Any] | None = None,
    *,
    width: int = 900,
    height: int = 480,
    margin: float = 0.12,
    labels: bool = True,
    abroad: Sequence[Hotspot] = (),
    country: str | None = None,
) -> str:
    """Draw the hotspots (and country outlines when given) as a standalone SVG document.

    Args:
        hotspots: the report's hotspots in the country; circles are sized and coloured by
            intensity, and styled by precision; the view is fitted to them.
        outlines: country outlines as a GeoJSON FeatureCollection, or None for a plain
            graticule background (the assets are not installed).
        width: SVG width in pixels; height likewise.
        margin: padding around the hotspots' bounding box, as a share of its span.
        labels: write each hotspot's label beside its circle.
        abroad: hotspots abroad, listed in a corner box numbered after *hotspots*.
        country: the report's country, whose extent is shown when there is no hotspot.
    """
    proj = _Projection(map_bounds(hotspots, country, margin=margin), width, height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="staticmap" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Map of the hotspots" data-bounds="{proj.lat_min:.4f},'
        f'{proj.lng_min:.4f},{proj.lat_max:.4f},{proj.lng_max:.4f}">',
        '<defs><clipPath id="frame">'
        f'<rect x="0" y="0" width="{width}" height="{height}"/></clipPath></defs>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{SEA}"/>',
        '<g clip-path="url(#frame)">',
    ]
    # A graticule gives a sense of scale with or without outlines.
    step = 10 if proj.lng_max - proj.lng_min > 40 else 5
    grid: list[str] = []
    lo = math.floor(proj.lng_min / step) * step
    for lng in range(lo, math.ceil(proj.lng_max / step) * step + 1, step):
        x, _ = proj.xy(lng, 0)
        grid.append(f"M{x:.1f} 0V{height}")
    for lat in range(-80, 90, step):
        _, y = proj.xy(0, lat)
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
        out.append(_marker(x, y, h))
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
    if abroad:
        out.extend(_abroad_box(abroad, len(hotspots) + 1, width, height))
    if not hotspots:
        out.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
            'font-family="sans-serif" font-size="16" fill="#555">'
            "No hotspots in the country in this period</text>"
        )
    credit = "Outlines: Natural Earth" if outlines is not None else "Outlines not installed"
    out.append(
        f'<text x="{width - 6}" y="{height - 6}" text-anchor="end" font-family="sans-serif" '
        f'font-size="10" fill="#555">{credit}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
