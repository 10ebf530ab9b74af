"""The [analyze] settings of a watchfloor.toml reach the analysis and change the report."""

from __future__ import annotations

from pathlib import Path

from watchfloor.analyze.threat import assess_threat, band, trend
from watchfloor.config import AnalyzeSettings, ThreatSettings, load_settings
from watchfloor.models.report import Report
from watchfloor.report.build import build_report

TUNED = """
[analyze.developments]
w_severity = 0.0
w_level = 0.0
w_about = 5.0
w_recency = 5.0
max_developments = 40

[analyze.hotspots]
max_hotspots = 2

[analyze.outlook]
max_indicators = 1
max_flashpoints = 1

[analyze.threat]
guarded = 1.0
elevated = 2.0
high = 3.0
severe = 4.0
"""


def _settings(tmp_path: Path, text: str) -> AnalyzeSettings:
    cfg = tmp_path / "watchfloor.toml"
    cfg.write_text(text)
    return load_settings(cfg, env={}).analyze


def _tuned_report(demo_week, tmp_path: Path) -> Report:  # type: ignore[no-untyped-def]
    store = demo_week.store()
    try:
        return build_report(
            store,
            country=demo_week.country,
            start=demo_week.start,
            end=demo_week.end,
            analyze=_settings(tmp_path, TUNED),
        )
    finally:
        store.dispose()


def test_analyze_settings_change_the_report(demo_week, demo_report: Report, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tuned = _tuned_report(demo_week, tmp_path)
    # [analyze.developments]: another weighting ranks the same stories differently.
    default_rank = [(d.title, d.significance) for d in demo_report.key_developments]
    tuned_rank = [(d.title, d.significance) for d in tuned.key_developments]
    # A higher cap keeps the stories the default put under "Also reported" too.
    below_cap = {x.title for x in demo_report.also_reported if x.reason == "below_cap"}
    assert {t for t, _ in tuned_rank} == {t for t, _ in default_rank} | below_cap
    assert [t for t, _ in tuned_rank if t not in below_cap] != [t for t, _ in default_rank]
    # [analyze.hotspots]
    assert len(demo_report.hotspots) > 2
    assert len(tuned.hotspots) == 2
    # [analyze.outlook]
    assert len(demo_report.outlook.indicators) > 1
    assert len(tuned.outlook.indicators) == 1
    assert len(tuned.outlook.flashpoints) <= 1
    # [analyze.threat]: the same score falls into another band.
    assert tuned.threat.score == demo_report.threat.score
    assert demo_report.threat.level in ("Guarded", "Elevated")
    assert tuned.threat.level == "Severe"


def test_default_analyze_settings_give_the_default_report(demo_week, demo_report) -> None:  # type: ignore[no-untyped-def]
    store = demo_week.store()
    try:
        again = build_report(
            store,
            country=demo_week.country,
            start=demo_week.start,
            end=demo_week.end,
            analyze=load_settings(None, env={}).analyze,
            now=demo_report.generated_at,
        )
    finally:
        store.dispose()
    assert again.threat == demo_report.threat
    assert again.hotspots == demo_report.hotspots
    assert [d.title for d in again.key_developments] == [
        d.title for d in demo_report.key_developments
    ]


def test_threat_weights_bands_and_steadiness_come_from_settings() -> None:
    assert band(35.0) == "Guarded"
    assert band(35.0, ThreatSettings(guarded=40.0, elevated=50.0)) == "Low"
    assert trend(50.0, 47.0) == "steady"
    assert trend(50.0, 47.0, ThreatSettings(steady=1.0)) == "up"
    empty = assess_threat([], history=[10, 10], settings=ThreatSettings(w_volume=0.0))
    assert empty.score == 0.0
    assert [f.weight for f in empty.factors] == [40.0, 25.0, 15.0, 10.0, 0.0]
