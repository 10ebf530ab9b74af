"""HTML: ``report.html``, one self-contained file with an offline map of the hotspots.

CSS and JavaScript are inline, Leaflet included, and the country outlines are embedded as
GeoJSON, so the page works from a USB stick on a machine with no network. Online map tiles
are added only when the browser says it is online, and removed again quietly if they fail.
The Leaflet files and the outlines are read from the user data directory's ``web-assets/``
(:func:`watchfloor.config.web_assets_dir`), never from the package. When they are not
there (``scripts/fetch_web_assets.py`` fetches them), the page gets the static SVG map
from :mod:`watchfloor.report.staticmap` instead and a warning is logged: never a broken
page.

Everything derived from articles is escaped by Jinja2 autoescaping. Data for the map is
embedded as JSON in a ``<script type="application/json">`` block through
:func:`script_json`, which escapes ``<``, ``>`` and ``&`` so no text can close the block.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from watchfloor.config import web_assets_dir
from watchfloor.errors import ReportError
from watchfloor.models.report import Hotspot, Report
from watchfloor.report.charts import day_chart
from watchfloor.report.geojson import load_country_outlines
from watchfloor.report.markdown import format_date_range, grade_line, safe_url
from watchfloor.report.sections import KNOWN_VS_JUDGED, insufficient_text, report_sections
from watchfloor.report.staticmap import (
    INTENSITY_COLOURS,
    INTENSITY_RADII,
    PRECISION_LABELS,
    PRECISION_STYLES,
    map_bounds,
    render_svg_map,
)
from watchfloor.text import LANGUAGE_NAMES

__all__ = ["OSM_TILES", "TileSource", "map_view", "render_html", "script_json"]

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class TileSource:
    """An online tile layer, used only when the browser reports it is online."""

    url: str
    attribution: str
    max_zoom: int = 18


OSM_TILES = TileSource(
    url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    attribution="© OpenStreetMap contributors",
    max_zoom=18,
)

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: Any) -> Markup:
    """Encode a value as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``-style escapes, which JSON parsers read
    back as the same characters, so neither ``</script>`` nor ``<!--`` can appear.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_JSON_ESCAPES))


def cite_html(ids: Iterable[int]) -> Markup:
    """Return ``[1, 4]`` with each id linking to its annex anchor (ids are integers)."""
    unique = sorted(set(ids))
    if not unique:
        return Markup("")
    links = ", ".join(f'<a href="#source-{int(i)}" class="cite">{int(i)}</a>' for i in unique)
    return Markup(f'<span class="cites">[{links}]</span>')


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cite"] = cite_html
    env.filters["script_json"] = script_json
    env.filters["when"] = _when
    env.filters["date_range"] = format_date_range
    env.filters["safe_url"] = safe_url
    env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    env.globals["INTENSITY_COLOURS"] = INTENSITY_COLOURS
    # Analytic standards (docs/standards.md): grades, the legend, the day chart.
    env.globals.update(
        grade_line=grade_line,
        day_chart=day_chart,
        KNOWN_VS_JUDGED=KNOWN_VS_JUDGED,
        insufficient_text=insufficient_text,
    )
    env.globals["PRECISION_STYLES"] = PRECISION_STYLES
    env.globals["PRECISION_LABELS"] = PRECISION_LABELS
    return env


def _read_asset(name: str, assets_dir: Path) -> str:
    path = assets_dir / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReportError(
            f"web asset {path} is missing: run `python scripts/fetch_web_assets.py`"
        ) from exc
    # Inline code must not contain the sequence that ends its element.
    closer = "</style" if name.endswith(".css") else "</script"
    if closer in text.lower():
        raise ReportError(f"web asset {path} contains {closer!r} and cannot be inlined")
    return text


def _marker_data(n: int, h: Hotspot, centre: float, titles: dict[int, str]) -> Any:
    opacity, dash = PRECISION_STYLES.get(h.precision or "point", PRECISION_STYLES["point"])
    # Each marker goes on the copy of the world nearest the view's centre, so a map
    # spanning the antimeridian is drawn across the Pacific.
    lng = h.lng + 360.0 * round((centre - h.lng) / 360.0)
    return {
        "n": n,
        "label": h.label,
        "detail": h.detail,
        "lat": h.lat,
        "lng": lng,
        "intensity": h.intensity,
        "precision": h.precision or "point",
        "radius": INTENSITY_RADII[h.intensity],
        "colour": INTENSITY_COLOURS[h.intensity],
        "fillOpacity": opacity,
        "dash": dash or None,
        "sources": [{"id": i, "title": titles.get(i, "")} for i in h.sources],
    }


def map_view(report: Report) -> tuple[float, float, float, float]:
    """``(south, west, north, east)`` the HTML map is fitted to: the hotspots in the
    country, padded, else the country's extent (never the hotspots abroad)."""
    b = map_bounds(report.hotspots, report.country, margin=0.15)
    return b.south, b.west, b.north, b.east


def _map_data(report: Report, outlines: dict[str, Any], tiles: TileSource | None) -> Any:
    south, west, north, east = map_view(report)
    titles = {a.id: a.title for a in report.annex}
    first = len(report.hotspots) + 1
    return {
        "bounds": [[south, west], [north, east]],
        "hotspots": [
            _marker_data(n, h, (west + east) / 2, titles)
            for n, h in enumerate(report.hotspots, start=1)
        ],
        "abroad": [
            _marker_data(n, h, (west + east) / 2, titles)
            for n, h in enumerate(report.hotspots_abroad, start=first)
        ],
        "outlines": outlines,
        "tiles": None
        if tiles is None
        else {"url": tiles.url, "attribution": tiles.attribution, "maxZoom": tiles.max_zoom},
    }


def _context(report: Report) -> dict[str, Any]:
    return {
        "r": report,
        "sections": report_sections(report),
        "annex_titles": {a.id: a.title for a in report.annex},
    }


def render_html(
    report: Report,
    *,
    tiles: TileSource | None = OSM_TILES,
    assets_dir: Path | None = None,
) -> str:
    """Render ``report.html``: one self-contained page with an interactive hotspot map.

    Args:
        report: the report to render.
        tiles: an online tile layer shown over the offline outlines when the browser is
            online, or None for outlines only.
        assets_dir: where Leaflet and world-atlas were fetched to; defaults to
            :func:`watchfloor.config.web_assets_dir`.
    """
    folder = assets_dir or web_assets_dir()
    context = _context(report)
    try:
        outlines = load_country_outlines(folder)
        leaflet_js = _read_asset("leaflet.js", folder)
        leaflet_css = _read_asset("leaflet.css", folder)
    except ReportError as exc:
        log.warning("HTML report uses the static SVG map: %s", exc)
        try:
            fallback_outlines: dict[str, Any] | None = load_country_outlines(folder)
        except ReportError:
            fallback_outlines = None
        context.update(
            mode="html",
            leaflet=False,
            outlines_credit=fallback_outlines is not None,
            svg_map=Markup(
                render_svg_map(
                    report.hotspots,
                    fallback_outlines,
                    abroad=report.hotspots_abroad,
                    country=report.country,
                )
            ),
        )
    else:
        context.update(
            mode="html",
            leaflet=True,
            outlines_credit=True,
            leaflet_js=Markup(leaflet_js),
            leaflet_css=Markup(leaflet_css),
            map_data=_map_data(report, outlines, tiles),
        )
    return _environment().get_template("report.html.j2").render(context)


def render_print_html(report: Report, *, assets_dir: Path | None = None) -> str:
    """Render the HTML given to WeasyPrint: no scripts, the map as an inline SVG."""
    try:
        outlines: dict[str, Any] | None = load_country_outlines(assets_dir or web_assets_dir())
    except ReportError as exc:
        log.warning("PDF map drawn without country outlines: %s", exc)
        outlines = None
    context = _context(report)
    context.update(
        mode="pdf",
        leaflet=False,
        outlines_credit=outlines is not None,
        svg_map=Markup(
            render_svg_map(
                report.hotspots,
                outlines,
                width=900,
                height=520,
                abroad=report.hotspots_abroad,
                country=report.country,
            )
        ),
    )
    return _environment().get_template("report.html.j2").render(context)
