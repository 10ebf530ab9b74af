"""Building, storing and re-reading reports; edge cases of the period."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from watchfloor.errors import ReportError
from watchfloor.models.report import Report, report_json_schema
from watchfloor.report.build import (
    build_report,
    check_report,
    get_report,
    list_reports,
    store_report,
    write_report,
)


def test_report_round_trips_through_json(demo_report: Report) -> None:
    text = demo_report.model_dump_json()
    again = Report.model_validate_json(text)
    assert again == demo_report
    assert json.loads(text)["threat_level"] == demo_report.threat_level
    assert "threat_level" in report_json_schema()["properties"]


def test_stored_report_keeps_inputs_and_versions(demo_copy, demo_report: Report) -> None:
    store = demo_copy.store()
    with store.begin() as conn:
        report_id = store_report(conn, demo_report)
    with store.connect() as conn:
        rows = list_reports(conn)
        again = get_report(conn, report_id)
        with pytest.raises(ReportError, match="reports list"):
            get_report(conn, report_id + 100)
    store.dispose()
    assert [r.id for r in rows] == [report_id]
    row = rows[0]
    assert row.country == "MN" and row.threat_level == demo_report.threat_level
    assert row.analyst_version == "extractive-1" and row.enricher_version
    assert row.articles == len([a for a in demo_report.annex if a.article_id])
    assert again == demo_report


def test_build_is_deterministic_for_a_fixed_time(demo_week) -> None:
    now = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    store = demo_week.store()
    a = build_report(store, country="MN", start=demo_week.start, end=demo_week.end, now=now)
    b = build_report(store, country="mn", start=demo_week.start, end=demo_week.end, now=now)
    store.dispose()
    assert a.model_dump_json() == b.model_dump_json()


def test_empty_period_gives_a_valid_insufficient_data_report(store) -> None:
    # An empty store is not a quiet week: no level, no score (docs/standards.md).
    report = build_report(store, country="MN", start=date(2026, 1, 5), end=date(2026, 1, 11))
    assert report.threat_level == "Insufficient data" and report.threat.score is None
    assert report.key_developments == []
    assert (
        report.annex == []
        and check_report(report, start=date(2026, 1, 5), end=date(2026, 1, 11)) == []
    )


def test_unknown_country_and_reversed_dates_are_errors(store) -> None:
    with pytest.raises(ReportError, match="alpha-2"):
        build_report(store, country="XX", start=date(2026, 1, 5), end=date(2026, 1, 11))
    with pytest.raises(ReportError, match="before it starts"):
        build_report(store, country="MN", start=date(2026, 1, 11), end=date(2026, 1, 5))


def test_write_report_renders_and_stores(demo_copy, tmp_path) -> None:
    store = demo_copy.store()
    paths = write_report(
        store,
        country="MN",
        start=demo_copy.start,
        end=demo_copy.end,
        out_dir=tmp_path / "out",
        formats=("json", "geojson"),
    )
    with store.connect() as conn:
        stored = list_reports(conn)
    store.dispose()
    assert [p.name for p in paths] == ["report.json", "hotspots.geojson"]
    assert Report.model_validate_json(paths[0].read_text("utf-8")).country == "MN"
    assert len(stored) == 1


def test_write_report_refuses_unknown_formats(demo_copy, tmp_path) -> None:
    store = demo_copy.store()
    try:
        with pytest.raises(ReportError, match="unknown report format"):
            write_report(
                store,
                country="MN",
                start=demo_copy.start,
                end=demo_copy.end,
                out_dir=tmp_path,
                formats=("docx",),
            )
    finally:
        store.dispose()
