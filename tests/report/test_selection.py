"""Selection and ranking, the threat from the country's own events, and the country's time.

Built on hand-written feeds (tests/report/selection_week.py) collected and enriched with the
real pipeline: a Mongolian week with a foreign earthquake, sport, weather and a festival
among the country's own security news.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.cli.conftest import run
from tests.report.selection_week import END, START, SelectionWeek, build_selection_week
from watchfloor.analyze.quality import check_report
from watchfloor.models.report import Report
from watchfloor.report.build import build_report

NEXT_START, NEXT_END = date(2026, 6, 29), date(2026, 7, 5)


@pytest.fixture(scope="session")
def selection_week(tmp_path_factory: pytest.TempPathFactory, enricher) -> SelectionWeek:  # type: ignore[no-untyped-def]
    return build_selection_week(tmp_path_factory.mktemp("selection"), enricher)


@pytest.fixture
def selection_copy(selection_week: SelectionWeek, tmp_path: Path) -> SelectionWeek:
    path = tmp_path / "watchfloor.db"
    shutil.copyfile(selection_week.path, path)
    return SelectionWeek(path)


def _report(week: SelectionWeek, country: str = "MN", **kwargs) -> Report:  # type: ignore[no-untyped-def]
    store = week.store()
    try:
        start, end = kwargs.pop("start", START), kwargs.pop("end", END)
        return build_report(store, country=country, start=start, end=end, **kwargs)
    finally:
        store.dispose()


@pytest.fixture(scope="session")
def mn_report(selection_week: SelectionWeek) -> Report:
    return _report(selection_week)


def _titles(report: Report) -> list[str]:
    return [d.title for d in report.key_developments]


def _article_id(report: Report, start: str) -> int:
    for x in report.excluded:
        if x.title.startswith(start):
            return x.article_id
    for a in report.annex:
        if a.title.startswith(start) and a.article_id is not None:
            return a.article_id
    raise AssertionError(f"no article {start!r}")


def test_developments_are_the_countrys_security_stories(mn_report: Report) -> None:
    titles = " | ".join(_titles(mn_report))
    assert "flash flood hits Bayankhongor" in titles
    assert "fuel smuggling raid" in titles
    for noise in ("Caracas", "wrestlers", "Weather forecast", "Naadam"):
        assert noise not in titles
    assert check_report(mn_report, start=START, end=END) == []
    assert mn_report.schema_version == "1.2"
    flood = next(d for d in mn_report.key_developments if "Bayankhongor" in d.title)
    assert (flood.severity_level or 0) >= 2 and flood.where == "in_country"
    assert flood.security_reason


def test_the_same_rally_told_by_two_outlets_is_one_development(mn_report: Report) -> None:
    rallies = [d for d in mn_report.key_developments if "rally" in d.title.lower()]
    assert len(rallies) == 1
    assert len(rallies[0].sources) == 2


def test_sport_weather_and_festival_are_also_reported_and_counted(mn_report: Report) -> None:
    also = {x.title: x for x in mn_report.also_reported}
    for start in ("Mongolian wrestlers", "Weather forecast", "Naadam festival"):
        item = next(x for t, x in also.items() if t.startswith(start))
        assert item.reason == "not_security" and item.sources
    reasons = {x.title: x.reason for x in mn_report.excluded}
    assert reasons["Weather forecast: sunny and warm across Mongolia this weekend"] == (
        "not_security"
    )
    note = next(n.text for n in mn_report.data_quality if n.kind == "selection")
    assert "not security news: 3 articles" in note
    assert "not about Mongolia: " in note


def test_a_foreign_earthquake_does_not_raise_the_threat(mn_report: Report) -> None:
    reasons = {x.title[:30]: x for x in mn_report.excluded}
    quake = reasons["Earthquake in Caracas kills 12"]
    assert quake.reason == "not_about" and "VE" in quake.detail
    factors = {f.name: f for f in mn_report.threat.factors}
    # Only the Bayankhongor flood's 2 dead and 5 injured count, not Caracas's 120.
    assert "2 killed and 5 injured" in factors["casualties"].detail
    assert "Caracas" not in factors["severity"].detail
    annex = {a.id: a.title for a in mn_report.annex}
    assert not any("Caracas" in annex[i] for f in factors.values() for i in f.sources)
    assert mn_report.threat_level in ("Guarded", "Elevated")


def test_week_runs_in_ulaanbaatar_time(selection_week: SelectionWeek, mn_report: Report) -> None:
    """17:00 UTC on Sunday 28 June is 01:00 on Monday 29 June in Ulaanbaatar."""
    assert mn_report.period.timezone == "Asia/Ulaanbaatar"
    dornod = "Border guards detain armed intruders in Dornod"
    assert not any(t.startswith(dornod) for t in _titles(mn_report))
    assert not any(x.title.startswith(dornod) for x in mn_report.excluded)
    following = _report(selection_week, start=NEXT_START, end=NEXT_END)
    assert any(t.startswith(dornod) for t in _titles(following))
    in_utc = _report(selection_week, timezone="UTC")
    assert in_utc.period.timezone == "UTC"
    assert any(t.startswith(dornod) for t in _titles(in_utc))


def test_max_developments_caps_and_the_rest_is_also_reported(
    selection_week: SelectionWeek, mn_report: Report
) -> None:
    assert len(mn_report.key_developments) == 4
    capped = _report(selection_week, max_developments=1)
    assert _titles(capped) == _titles(mn_report)[:1]
    below = [x for x in capped.also_reported if x.reason == "below_cap"]
    assert {x.title for x in below} == set(_titles(mn_report)[1:])
    assert {x.reason for x in capped.excluded} >= {"below_cap", "not_security", "not_about"}
    assert check_report(capped, start=START, end=END) == []


def test_analyst_pins_a_story_in_and_out(selection_week: SelectionWeek, mn_report: Report) -> None:
    weather = _article_id(mn_report, "Weather forecast")
    smuggling = _article_id(mn_report, "Police arrest 12")
    pinned = _report(selection_week, include=[weather, 999_999], exclude=[smuggling])
    titles = _titles(pinned)
    assert any(t.startswith("Weather forecast") for t in titles)
    assert not any(t.startswith("Police arrest 12") for t in titles)
    weather_dev = next(d for d in pinned.key_developments if d.title.startswith("Weather"))
    assert weather_dev.pinned == "analyst_include"
    assert all(d.pinned is None for d in pinned.key_developments if d is not weather_dev)
    out = [x for x in pinned.excluded if x.reason == "analyst_exclude"]
    assert [x.article_id for x in out] == [smuggling]
    choices = [n.text for n in pinned.data_quality if n.kind == "analyst_choice"]
    assert any("Pinned into the report by the analyst" in t and "Weather" in t for t in choices)
    assert any("Excluded from the report by the analyst" in t and "Police" in t for t in choices)
    assert any("999999" in n.text and "changed nothing" in n.text for n in pinned.data_quality)
    assert check_report(pinned, start=START, end=END) == []


def test_a_countrys_own_outlet_under_the_relevance_bar_is_not_dropped(
    selection_week: SelectionWeek,
) -> None:
    """The Mali case: a Malian outlet's kidnapping near Timbuktu names no country."""
    mali = _report(selection_week, country="ML")
    kidnap = "Aid workers kidnapped near Timbuktu"
    assert kidnap in _titles(mali)  # Timbuktu now tells attribution it is Mali
    # nothing from the country's own outlet disappears: each article is a development's
    # source, on an "also reported" line, or excluded with its reason
    annex = {a.id: a for a in mali.annex}
    cited = {annex[i].title for d in mali.key_developments for i in d.sources}
    cited |= {annex[i].title for a in mali.also_reported for i in a.sources}
    accounted = cited | {e.title for e in mali.excluded}
    own = {a.title for a in mali.annex if a.outlet == "Sahel Courier"}
    own |= {e.title for e in mali.excluded if e.outlet == "Sahel Courier"}
    assert own and own <= accounted
    # an own-outlet item under the bar would be listed by title in the notes
    for n in mali.data_quality:
        if n.kind == "selection" and "under the relevance bar" in n.text:
            assert "'" in n.text


def test_cli_explain_pins_and_stored_exclusions(selection_copy: SelectionWeek, tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = ["--db", selection_copy.db, "report", "-c", "MN", "--from", str(START)]
    res = run(*base, "--to", str(END), "--out", str(tmp_path / "a"), "--format", "json",
              "--explain", "--max-developments", "2")  # fmt: skip
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "(Asia/Ulaanbaatar)" in said and "2 developments" in said
    explained = [line for line in res.output.splitlines() if line.startswith("  ")]
    reasons = {line.split("\t")[1] for line in explained}
    assert reasons == {"not_about", "not_security", "below_cap"}
    assert any("Earthquake in Caracas" in line and "not_about" in line for line in explained)
    stored = json.loads((tmp_path / "a" / "report.json").read_text())
    assert stored["schema_version"] == "1.2"
    assert stored["period"]["timezone"] == "Asia/Ulaanbaatar"
    assert len(stored["excluded"]) == len(explained)
    shown = run("--db", selection_copy.db, "reports", "show", "1", "--excluded")
    assert shown.exit_code == 0
    assert [ln for ln in shown.output.splitlines() if ln.startswith("  ")] == explained

    weather = next(x["article_id"] for x in stored["excluded"] if "Weather" in x["title"])
    res = run(*base, "--to", str(END), "--out", str(tmp_path / "b"), "--format", "md",
              "--include", str(weather), "--timezone", "UTC")  # fmt: skip
    assert res.exit_code == 0, res.output
    md = (tmp_path / "b" / "report.md").read_text()
    assert "(inclusive, UTC)" in md and "## Also reported" in md
    assert "Pinned into the report by the analyst" in md
    res = run(*base, "--to", str(END), "--out", str(tmp_path / "c"), "--timezone", "Mars/Base")
    assert res.exit_code != 0


def test_executive_summary_is_a_bottom_line_up_front_in_english(mn_report: Report) -> None:
    first, *rest = mn_report.executive_summary
    assert first.text.startswith(f"Mongolia's threat level is {mn_report.threat_level} (")
    assert "first assessment" in first.text and "main driver: " in first.text
    assert "Bayankhongor" in first.text and first.sources
    assert 3 <= len(rest) <= 5
    assert all(s.language in (None, "en") and s.sources for s in rest)
    # The arrest told only in Mongolian: what is known, in English, and the original title.
    selenge = next(s for s in rest if "Orkhon Medee" in s.text)
    assert "in Mongolian" in selenge.text and "Selenge" in selenge.text
    assert '"Сэлэнгэ аймагт хууль бусаар' in selenge.text


def test_executive_summary_of_a_violent_week_names_the_armed_violence(violent_week) -> None:  # type: ignore[no-untyped-def]
    store = violent_week.store()
    try:
        report = build_report(store, country="MZ", start=violent_week.start, end=violent_week.end)
    finally:
        store.dispose()
    assert report.executive_summary[0].text.startswith("Mozambique's threat level is")
    assert report.period.timezone == "Africa/Maputo"


def test_the_same_future_rally_told_by_two_outlets_is_one_outlook_item(
    mn_report: Report,
) -> None:
    annex = {a.id: a for a in mn_report.annex}
    july = [s for s in mn_report.outlook.short_term if "10 July" in s.text]
    assert len(july) == 1
    outlets = {annex[i].outlet for i in july[0].sources}
    assert outlets == {"Steppe Wire", "Khuree Times"}
    # Flashpoints by risk: the deadly flood comes first; a recommendation for each.
    assert "Bayankhongor" in mn_report.outlook.flashpoints[0].text
    assert len(mn_report.outlook.recommendations) <= len(mn_report.outlook.flashpoints)
    flash_sources = {i for s in mn_report.outlook.flashpoints for i in s.sources}
    assert all(set(r.sources) <= flash_sources for r in mn_report.outlook.recommendations)


def test_outlook_holds_only_events_after_the_period(demo_report: Report) -> None:
    annex = {a.id: a for a in demo_report.annex}
    texts = [s.text for s in demo_report.outlook.short_term]
    assert texts and len(texts) == len(set(texts))
    cited = [i for s in demo_report.outlook.short_term for i in s.sources]
    assert all(annex[i].article_id is not None for i in cited)
    # The exercise's headline and its body sentence are one future event, told once.
    assert sum("Steppe Partnership 2026" in t for t in texts) == 1
