"""GeoJSON: the report's hotspots as a FeatureCollection, and the country outlines.

Hotspots follow RFC 7946: a Point's coordinates are ``[longitude, latitude]``. The country
outlines come from the world-atlas TopoJSON (Natural Earth 1:110m) that
``scripts/fetch_web_assets.py`` puts in the user data directory's ``web-assets/``
(:func:`watchfloor.config.web_assets_dir`); :func:`topojson_to_geojson`
decodes it here so no JavaScript TopoJSON library has to be embedded in the HTML.
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from watchfloor.config import web_assets_dir
from watchfloor.errors import ReportError
from watchfloor.models.report import Report

__all__ = [
    "hotspots_feature_collection",
    "load_country_outlines",
    "render_geojson",
    "topojson_to_geojson",
    "unwrap_antimeridian",
]

COUNTRIES_FILE = "countries-110m.json"

Position = list[float]
Ring = list[Position]


def hotspots_feature_collection(report: Report) -> dict[str, Any]:
    """Return the report's hotspots as a GeoJSON FeatureCollection (RFC 7946).

    Hotspots in the country come first, then those abroad (``where: "own_abroad"``),
    numbered on as in the report's tables.
    """
    tagged = [(h, "in_country") for h in report.hotspots]
    tagged += [(h, "own_abroad") for h in report.hotspots_abroad]
    features = [
        {
            "type": "Feature",
            "id": index,
            "geometry": {"type": "Point", "coordinates": [h.lng, h.lat]},
            "properties": {
                "label": h.label,
                "detail": h.detail,
                "intensity": h.intensity,
                "sources": list(h.sources),
                "country": h.country,
                "feature": h.feature,
                "precision": h.precision,
                "where": where,
            },
        }
        for index, (h, where) in enumerate(tagged, start=1)
    ]
    return {"type": "FeatureCollection", "features": features}


def render_geojson(report: Report) -> str:
    """Render ``hotspots.geojson``: the hotspots FeatureCollection as indented JSON."""
    return json.dumps(hotspots_feature_collection(report), ensure_ascii=False, indent=2) + "\n"


def _decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Turn the topology's arcs into absolute coordinates.

    Quantized topologies store each arc as a first position followed by deltas, in integer
    grid units; the transform maps the grid back to degrees.
    """
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([[float(p[0]), float(p[1])] for p in arc])
            continue
        sx, sy = transform["scale"]
        tx, ty = transform["translate"]
        x = y = 0
        points: Ring = []
        for p in arc:
            x += p[0]
            y += p[1]
            points.append([x * sx + tx, y * sy + ty])
        arcs.append(points)
    return arcs


def _ring(arcs: list[Ring], indices: list[int], digits: int) -> Ring:
    """Stitch arcs into one ring; a negative index ``~i`` means arc ``i`` reversed."""
    out: Ring = []
    for index in indices:
        points = arcs[~index][::-1] if index < 0 else arcs[index]
        # Consecutive arcs share their joining position; keep it once.
        start = 1 if out else 0
        out.extend([round(p[0], digits), round(p[1], digits)] for p in points[start:])
    return out


def _geometry(arcs: list[Ring], geom: dict[str, Any], digits: int) -> dict[str, Any] | None:
    kind = geom.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_ring(arcs, r, digits) for r in geom["arcs"]]}
    if kind == "MultiPolygon":
        polygons = [[_ring(arcs, r, digits) for r in poly] for poly in geom["arcs"]]
        return {"type": kind, "coordinates": polygons}
    if kind == "LineString":
        return {"type": kind, "coordinates": _ring(arcs, geom["arcs"], digits)}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [_ring(arcs, a, digits) for a in geom["arcs"]]}
    if kind == "Point":
        return {"type": kind, "coordinates": geom["coordinates"]}
    if kind == "MultiPoint":
        return {"type": kind, "coordinates": geom["coordinates"]}
    # A null geometry (an object with no shape) stays null, as GeoJSON allows.
    return None


def topojson_to_geojson(
    topology: dict[str, Any], object_name: str, *, digits: int = 3
) -> dict[str, Any]:
    """Decode one object of a TopoJSON topology into a GeoJSON FeatureCollection.

    Args:
        topology: the parsed TopoJSON document (``"type": "Topology"``).
        object_name: the key under ``objects`` to decode, e.g. ``"countries"``.
        digits: decimal places kept in coordinates (3 is ~100 m, finer than 1:110m data).

    Raises:
        ReportError: when the document is not a topology or has no such object.
    """
    if topology.get("type") != "Topology" or "arcs" not in topology:
        raise ReportError("not a TopoJSON topology: expected type 'Topology' with 'arcs'")
    objects = topology.get("objects", {})
    if object_name not in objects:
        raise ReportError(
            f"TopoJSON has no object {object_name!r}; it has: {', '.join(sorted(objects))}"
        )
    arcs = _decode_arcs(topology)
    root = objects[object_name]
    geometries = root["geometries"] if root.get("type") == "GeometryCollection" else [root]
    features = []
    for geom in geometries:
        feature: dict[str, Any] = {
            "type": "Feature",
            "properties": dict(geom.get("properties") or {}),
            "geometry": _geometry(arcs, geom, digits),
        }
        if "id" in geom:
            feature["id"] = geom["id"]
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _unwrap_ring(ring: Ring) -> Ring:
    """Make a ring continuous in longitude where it jumps across the antimeridian.

    world-atlas keeps Russia, Fiji and Antarctica whole, so some of their edges jump from
    +180 to -180. Drawn on a flat map such an edge becomes a line across the world; here
    later points are shifted by 360 degrees instead. A ring that goes round a pole
    (Antarctica) ends 360 degrees from where it started and is closed along that pole.
    """
    if len(ring) < 2:
        return ring
    out: Ring = [list(ring[0])]
    offset = 0.0
    for prev, cur in pairwise(ring):
        step = cur[0] - prev[0]
        if step > 180:
            offset -= 360.0
        elif step < -180:
            offset += 360.0
        out.append([cur[0] + offset, cur[1]])
    if offset:
        pole = -90.0 if sum(p[1] for p in ring) < 0 else 90.0
        out.extend([[out[-1][0], pole], [out[0][0], pole], list(out[0])])
    return out


def unwrap_antimeridian(collection: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of polygon features whose rings never jump across the antimeridian.

    Longitudes may then leave [-180, 180]: that suits drawing on a flat map, not RFC 7946
    exchange, so this is applied to the base map only, never to exported hotspots.
    """
    features = []
    for feature in collection["features"]:
        geom = feature.get("geometry")
        if geom and geom["type"] == "Polygon":
            geom = {
                "type": "Polygon",
                "coordinates": [_unwrap_ring(r) for r in geom["coordinates"]],
            }
        elif geom and geom["type"] == "MultiPolygon":
            coords = [[_unwrap_ring(r) for r in poly] for poly in geom["coordinates"]]
            geom = {"type": "MultiPolygon", "coordinates": coords}
        features.append({**feature, "geometry": geom})
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=4)
def _outlines_from(path: Path, mtime: float) -> dict[str, Any]:
    del mtime  # part of the cache key only, so a re-fetched file is re-read
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(
            f"cannot read country outlines {path}: {exc}; "
            "re-run `python scripts/fetch_web_assets.py`"
        ) from exc
    return unwrap_antimeridian(topojson_to_geojson(topology, "countries"))


def load_country_outlines(assets_dir: Path | None = None) -> dict[str, Any]:
    """Return the Natural Earth country outlines as a GeoJSON FeatureCollection for drawing.

    Rings are unwrapped across the antimeridian (see :func:`unwrap_antimeridian`). The
    result is cached and shared between calls: do not modify it.

    Args:
        assets_dir: the folder holding ``countries-110m.json``; defaults to
            :func:`watchfloor.config.web_assets_dir`.

    Raises:
        ReportError: when the world-atlas file is missing or unreadable; the message says
            to run ``python scripts/fetch_web_assets.py``.
    """
    path = (assets_dir or web_assets_dir()) / COUNTRIES_FILE
    if not path.exists():
        raise ReportError(
            f"country outlines not installed ({path} missing): "
            "run `python scripts/fetch_web_assets.py`"
        )
    return _outlines_from(path, path.stat().st_mtime)
