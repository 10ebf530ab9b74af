"""Our TopoJSON decoder and the static SVG map."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.report.fixtures_report import mongolia_report
from watchfloor.errors import ReportError
from watchfloor.report.geojson import (
    load_country_outlines,
    topojson_to_geojson,
    unwrap_antimeridian,
)
from watchfloor.report.staticmap import longitude_window, render_svg_map

# Two squares sharing an edge, quantized: arc 0 is the shared edge, used reversed by B.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [100, 40]},
    "objects": {
        "shapes": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "A", "properties": {"name": "A"}},
                {"type": "MultiPolygon", "arcs": [[[2, -1]]], "properties": {"name": "B"}},
                {"type": None, "properties": {"name": "nothing"}},
            ],
        }
    },
    "arcs": [
        [[2, 0], [0, 4]],  # (101, 40) -> (101, 41)
        [[2, 4], [-2, 0], [0, -4], [2, 0]],  # (101, 41) -> (100, 41) -> (100, 40) -> (101, 40)
        [[2, 0], [2, 0], [0, 4], [-2, 0]],  # (101, 40) -> (102, 40) -> (102, 41) -> (101, 41)
    ],
}


def test_topojson_arcs_are_delta_decoded_stitched_and_reversed() -> None:
    collection = topojson_to_geojson(TOPOLOGY, "shapes")
    a, b, empty = collection["features"]
    assert a["id"] == "A" and a["properties"] == {"name": "A"}
    assert a["geometry"]["coordinates"] == [[[101, 40], [101, 41], [100, 41], [100, 40], [101, 40]]]
    assert b["geometry"]["type"] == "MultiPolygon"
    assert b["geometry"]["coordinates"] == [
        [[[101, 40], [102, 40], [102, 41], [101, 41], [101, 40]]]
    ]
    assert empty["geometry"] is None


def test_topojson_errors_name_the_problem() -> None:
    with pytest.raises(ReportError, match="has no object 'countries'"):
        topojson_to_geojson(TOPOLOGY, "countries")
    with pytest.raises(ReportError, match="not a TopoJSON"):
        topojson_to_geojson({"type": "FeatureCollection"}, "shapes")


def test_ring_across_the_antimeridian_is_made_continuous() -> None:
    ring = [[179.0, 65.0], [-179.0, 65.0], [-179.0, 66.0], [179.0, 66.0], [179.0, 65.0]]
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}],
    }
    out = unwrap_antimeridian(collection)["features"][0]["geometry"]["coordinates"][0]
    assert out == [[179.0, 65.0], [181.0, 65.0], [181.0, 66.0], [179.0, 66.0], [179.0, 65.0]]


def test_longitude_window_goes_across_the_pacific_when_shorter() -> None:
    west, east = longitude_window([106.9, 37.6, -158.0, 111.9])
    assert west == pytest.approx(37.6) and east == pytest.approx(202.0)
    assert longitude_window([10.0, 20.0]) == (10.0, 20.0)


def test_missing_outlines_raise_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"fetch_web_assets\.py"):
        load_country_outlines(tmp_path)


def test_static_map_is_svg_with_a_circle_per_hotspot() -> None:
    report = mongolia_report()
    svg = render_svg_map(report.hotspots, None)
    root = ElementTree.fromstring(svg)  # well-formed even with a hostile detail
    ns = "{http://www.w3.org/2000/svg}"
    circles = root.findall(f".//{ns}circle")
    assert len(circles) == len(report.hotspots)
    radii = sorted({float(c.get("r", 0)) for c in circles})
    assert radii == [6.0, 9.0, 13.0]  # three intensities, three sizes
    xs = [float(c.get("cx", -1)) for c in circles]
    assert all(0 <= x <= 900 for x in xs)  # Oahu and Moscow both inside the frame
    labels = "".join(t.text or "" for t in root.findall(f".//{ns}text"))
    assert "Ulaanbaatar" in labels and "Oahu" in labels


def test_static_map_draws_outlines_when_installed() -> None:
    try:
        outlines = load_country_outlines()
    except ReportError as exc:
        pytest.skip(f"world-atlas not installed: {exc}")
    names = {f["properties"]["name"] for f in outlines["features"]}
    assert {"Mongolia", "Russia", "China"} <= names
    svg = render_svg_map(mongolia_report().hotspots, outlines)
    assert "<title>Mongolia</title>" in svg and "Natural Earth" in svg
