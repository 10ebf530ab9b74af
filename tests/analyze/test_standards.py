"""Analytic standards (docs/standards.md): grades, corroboration, coverage, confidence.

Reports are built from real SQLite stores: the demo weeks of tests/weeks.py, and a store
whose sources fail against a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from tests.fixture_server import FixtureServer, Reply
from tests.weeks import Week
from watchfloor.analyze.credibility import assess_credibility, independent_accounts
from watchfloor.analyze.facts import PeriodData, SourceFact, country_info
from watchfloor.config import load_settings
from watchfloor.models.report import INSUFFICIENT, Report
from watchfloor.report.build import build_report
from watchfloor.report.render import render
from watchfloor.services import collect as collect_service
from watchfloor.services import enrich as enrich_service
from watchfloor.services import sources as source_service
from watchfloor.services.demo import demo_dir
from watchfloor.store.db import Store
from watchfloor.store.facts import ArticleFacts

# --- insufficient data -------------------------------------------------------------------


def test_an_empty_period_gives_insufficient_data_in_every_format(demo_week: Week) -> None:
    store = demo_week.store()
    try:
        report = build_report(store, country="MN", start=date(2025, 1, 6), end=date(2025, 1, 12))
    finally:
        store.dispose()
    assert report.threat_level == INSUFFICIENT == report.threat.level
    assert report.threat.score is None and report.threat.confidence is None
    assert any("no article about the country" in r for r in report.threat.confidence_reasons)
    assert report.coverage is not None and report.coverage.articles == 0
    data = json.loads(render(report, "json"))
    assert data["threat_level"] == "Insufficient data" and data["threat"]["score"] is None
    Report.model_validate(data)
    for fmt in ("md", "html"):
        text = render(report, fmt).decode("utf-8")
        assert "Insufficient data" in text, fmt
        assert "Low" not in text.split("## Coverage")[0] if fmt == "md" else True
    stix = json.loads(render(report, "stix"))
    described = next(o for o in stix["objects"] if o["type"] == "report")["description"]
    assert "insufficient data" in described


def test_a_demo_week_is_assessed_with_a_confidence(demo_week: Week) -> None:
    store = demo_week.store()
    try:
        report = build_report(store, country="MN", start=demo_week.start, end=demo_week.end)
    finally:
        store.dispose()
    assert report.threat.score is not None and report.threat_level != INSUFFICIENT
    assert report.threat.confidence in ("low", "moderate", "high")
    assert report.threat.confidence_reasons
    assert report.schema_version == "1.2"
    for dev in report.key_developments:
        assert dev.credibility is not None
        assert dev.credibility.grade[0] in "ABCDEF" and dev.credibility.grade[1] in "12346"
        assert dev.credibility.single_source == (dev.credibility.independent_outlets <= 1)
    md = render(report, "md").decode("utf-8")
    assert "*Grade:*" in md and "\\[judgement\\]" in md
    html = render(report, "html").decode("utf-8")
    assert '<svg class="daychart"' in html and "judgement</span>" in html


# --- four of five sources failed ---------------------------------------------------------


def test_four_of_five_sources_failed_gives_low_confidence_and_names_them(
    tmp_path: Path, enricher
) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    store = Store(db)
    store.init()
    feed = demo_dir() / "feeds" / "steppe-ledger.rss.xml"
    with FixtureServer() as server:
        settings = load_settings(
            env={},
            overrides={"db": db, "collect": {"allow_hosts": [server.authority], "retries": 0}},
        )
        source_service.add_source(
            settings, store, str(feed), name="The Steppe Ledger", countries=["MN"]
        )
        for n in range(4):
            path = server.unique_path(f"down{n}")
            server.route(path, lambda r: Reply(status=500))
            source_service.add_source(
                settings, store, server.url(path), name=f"Down outlet {n}", countries=["MN"]
            )
        collect_service.collect(settings, store, force=True)
    enrich_service.enrich(settings, store, enricher=enricher)
    try:
        report = build_report(store, country="MN", start=date(2026, 4, 27), end=date(2026, 5, 3))
    finally:
        store.dispose()
    coverage = report.coverage
    assert coverage is not None and coverage.articles >= 3
    assert (coverage.worked, coverage.failed) == (1, 4)
    assert {s.name for s in coverage.sources if s.status == "failed"} == {
        f"Down outlet {n}" for n in range(4)
    }
    assert report.threat.confidence == "low" and report.threat.score is not None
    reasons = " ".join(report.threat.confidence_reasons)
    assert "1 of 5" in reasons and all(f"Down outlet {n}" in reasons for n in range(4))
    md = render(report, "md").decode("utf-8")
    assert "confidence: **low**" in md and "Down outlet 3" in md


# --- corroboration -----------------------------------------------------------------------


def _source(sid: int, name: str, grade: str = "F", official: bool = False) -> SourceFact:
    return SourceFact(
        id=sid,
        name=name,
        kind="feed",
        url=f"https://{sid}.example/feed",
        countries=("MN",),
        language="en",
        reliability=grade,
        official=official,
        grade_reason=None,
        last_fetched_at=None,
        last_success_at=None,
        last_error=None,
        fetched_in_period=0,
        failures=(),
    )


def _article(aid: int, source: SourceFact, title: str, body: str, **kw: object) -> ArticleFacts:
    return ArticleFacts(
        id=aid,
        title=title,
        body=body,
        url=f"https://{source.id}.example/{aid}",
        published=datetime(2026, 4, 28, 3, aid, tzinfo=UTC),
        language="en",
        outlet=source.name,
        source_id=source.id,
        cluster_id="c1",
        enriched_version="x",
        in_period=True,
        **kw,  # type: ignore[arg-type]
    )


def _period(*sources: SourceFact) -> PeriodData:
    return PeriodData(
        country=country_info("MN"),
        start=date(2026, 4, 27),
        end=date(2026, 5, 3),
        articles={},
        cluster_first={},
        pages=[],
        rejects=[],
        unenriched=0,
        sources={s.id: s for s in sources},
    )


FLOOD = (
    "Floodwater swept through three districts of Darkhan on Tuesday after two days of "
    "heavy rain. {n} people were killed, the provincial governor's office said, and "
    "rescue teams from the capital were sent overnight with boats and pumps."
)


def test_three_independent_outlets_and_an_official_one_outrank_a_single_ungraded_outlet() -> None:
    agency = _source(1, "National Emergency Agency", "A", official=True)
    daily = _source(2, "Capital Daily", "B")
    radio = _source(3, "Steppe Radio", "C")
    blog = _source(4, "Anonymous Blog")
    confirmed = [
        _article(
            1, agency, "Flood in Darkhan", "The agency reported the flood. 3 people were killed."
        ),
        _article(
            2,
            daily,
            "Darkhan under water",
            "Rescuers worked all night; 3 people were killed in Darkhan.",
        ),
        _article(
            3,
            radio,
            "Deadly floods hit the north",
            "Three districts flooded, and 3 people were killed.",
        ),
    ]
    single = [_article(4, blog, "Flood rumours", "Some say a dam broke upstream.")]
    data = _period(agency, daily, radio, blog)
    strong = assess_credibility(confirmed, data)
    weak = assess_credibility(single, data)
    assert (strong.grade, weak.grade) == ("A1", "F6")
    assert strong.credibility < weak.credibility and strong.corroboration > weak.corroboration
    assert strong.official and strong.independent == 3 and not strong.single_source
    assert weak.single_source and weak.reasons[0].startswith("single source")
    assert any("3 killed" in r for r in strong.reasons)  # the accounts agree


def test_syndicated_copies_count_as_one_outlet() -> None:
    wire = _source(1, "Wire A", "C")
    reprint = _source(2, "Reprint B", "C")
    mirror = _source(3, "Mirror C", "C")
    seen_twice = _source(4, "Feed D", "C")
    text = FLOOD.format(n=4)
    arts = [
        _article(1, wire, "Floods kill four in Darkhan", text),
        # the same story, lightly edited, under another headline
        _article(2, reprint, "Darkhan floods: four dead", text.replace("on Tuesday ", "")),
        # the same article stored once but seen in two feeds (its sightings)
        _article(3, mirror, "Floods kill four in Darkhan province", text, seen_by=(3, 4)),
    ]
    data = _period(wire, reprint, mirror, seen_twice)
    accounts, notes = independent_accounts(arts, data.sources)
    assert len(accounts) == 1
    assert any("near-identical" in n for n in notes) and any("same text ran" in n for n in notes)
    graded = assess_credibility(arts, data)
    assert graded.independent == 1 and graded.single_source and graded.credibility == 3
    assert len(graded.outlets) == 4  # every outlet is named, counted once


def test_conflicting_casualty_figures_are_named_as_conflicting() -> None:
    a, b = _source(1, "Outlet A", "B"), _source(2, "Outlet B", "B")
    arts = [
        _article(1, a, "Bus crash near Erdenet", "A bus left the road. 3 people were killed."),
        _article(2, b, "Erdenet road accident", "Police said 5 people were killed in the crash."),
    ]
    graded = assess_credibility(arts, _period(a, b))
    assert graded.conflicts == ["conflicting figures: 3 killed (Outlet A) vs 5 killed (Outlet B)"]
    assert any(r.startswith("conflicting figures") for r in graded.reasons)
    assert graded.credibility == 3  # two accounts (2), lowered by one for the conflict


# --- grades in force ---------------------------------------------------------------------


def test_a_report_uses_the_grade_in_force_during_its_period(any_store: Store) -> None:
    from watchfloor.store import queries as q
    from watchfloor.store.facts import source_facts

    with any_store.begin() as conn:
        source, _ = q.add_source(
            conn,
            url="https://a.example/feed",
            kind="feed",
            name="A",
            countries=["MN"],
            every_seconds=3600,
        )
        q.rate_source(
            conn,
            source.id,
            reliability="B",
            official=False,
            reason="first look",
            when=datetime(2026, 3, 1, tzinfo=UTC),
        )
        q.rate_source(
            conn,
            source.id,
            reliability="D",
            official=True,
            reason="errors found",
            when=datetime(2026, 5, 1, tzinfo=UTC),
        )
    with any_store.connect() as conn:
        april = source_facts(
            conn, datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 4, 8, tzinfo=UTC)
        )
        june = source_facts(
            conn, datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 8, tzinfo=UTC)
        )
        early = source_facts(
            conn, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 8, tzinfo=UTC)
        )
        history = q.grade_history(conn, source.id)
    assert (april[source.id].reliability, april[source.id].official) == ("B", False)
    assert (june[source.id].reliability, june[source.id].official) == ("D", True)
    assert early[source.id].reliability == "B"  # graded only later: its first grade
    assert [(h.reliability, h.reason) for h in history] == [
        ("B", "first look"),
        ("D", "errors found"),
    ]
