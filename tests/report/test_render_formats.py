"""render(): dispatch, file names, JSON validity and the hotspots GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.report.fixtures_report import mongolia_report
from watchfloor.errors import ReportError
from watchfloor.models.report import Report, report_json_schema
from watchfloor.report.render import (
    DEFAULT_FORMATS,
    FILENAMES,
    FORMATS,
    parse_formats,
    render,
    write_report,
)


def test_every_format_has_a_file_name() -> None:
    assert set(FORMATS) == set(FILENAMES) == {"md", "html", "json", "geojson", "pdf", "stix"}
    assert FILENAMES["geojson"] == "hotspots.geojson"
    assert FILENAMES["stix"] == "report.stix.json"


def test_unknown_format_error_lists_the_known_ones() -> None:
    with pytest.raises(ReportError) as info:
        render(mongolia_report(), "docx")
    message = str(info.value)
    assert "'docx'" in message
    for fmt in FORMATS:
        assert fmt in message


def test_parse_formats_accepts_a_comma_list_and_all() -> None:
    assert parse_formats("md, html,md") == ["md", "html"]
    assert parse_formats("all") == list(FORMATS)
    with pytest.raises(ReportError, match="known formats"):
        parse_formats("md,xls")
    with pytest.raises(ReportError):
        parse_formats(" , ")


def test_json_round_trips_to_the_same_report() -> None:
    report = mongolia_report()
    data = render(report, "json")
    assert Report.model_validate_json(data) == report
    parsed = json.loads(data)
    assert parsed["threat_level"] == "Elevated"
    assert {"label", "detail", "lat", "lng", "intensity"} <= set(parsed["hotspots"][0])


def test_json_validates_against_the_published_schema() -> None:
    jsonschema = pytest.importorskip(
        "jsonschema", reason="jsonschema not installed; the round-trip test covers JSON"
    )
    jsonschema.Draft202012Validator(report_json_schema()).validate(
        json.loads(render(mongolia_report(), "json"))
    )


def test_geojson_points_are_longitude_first() -> None:
    report = mongolia_report()
    collection = json.loads(render(report, "geojson"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(report.hotspots)
    by_label = {f["properties"]["label"]: f for f in collection["features"]}
    oahu = by_label["Oahu"]
    assert oahu["geometry"] == {"type": "Point", "coordinates": [-158.0001, 21.4389]}
    lng, lat = by_label["Ulaanbaatar"]["geometry"]["coordinates"]
    assert 87 < lng < 120 and 41 < lat < 52  # inside Mongolia only in this order
    props = by_label["Zamiin-Uud"]["properties"]
    assert set(props) == {
        "label",
        "detail",
        "intensity",
        "sources",
        "country",
        "feature",
        "precision",
        "where",
    }
    assert props["sources"] == [5, 6, 11] and props["country"] == "MN"


def test_write_report_writes_the_default_files(tmp_path: Path) -> None:
    paths = write_report(mongolia_report(), tmp_path / "out")
    assert [p.name for p in paths] == [FILENAMES[f] for f in DEFAULT_FORMATS]
    assert all(p.stat().st_size > 0 for p in paths)
    assert not list((tmp_path / "out").glob("*.part"))


def test_write_report_with_an_unknown_format_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ReportError):
        write_report(mongolia_report(), tmp_path / "out", ["md", "rtf"])
    assert not (tmp_path / "out").exists()


def test_a_quiet_week_renders_in_every_format() -> None:
    full = mongolia_report()
    quiet = full.model_copy(
        update={
            "key_developments": [],
            "geopolitical_impact": [],
            "hotspots": [],
            "background": [],
            "data_quality": [],
            "military_analysis": [],
        }
    )
    for fmt in FORMATS:
        data = render(quiet, fmt)
        assert data, fmt
    assert json.loads(render(quiet, "geojson"))["features"] == []
    assert b"No hotspots in this period" in render(quiet, "md")
