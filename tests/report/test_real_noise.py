"""The demo week's noise stays out of the security story (issue #9, item 8).

The demo week carries what real Mongolian outlets print besides security news: weather
forecasts, sport, culture, awards, markets and tourism, foreign news (an earthquake in
Lima, a US strike on Iran), a military sports contest abroad, and a judge named
Ж.Сүхбаатар / J. Sukhbaatar, which is also the name of a province. docs/demo.md lists them.
These tests say what the report must make of them. Items are found by the URLs the feeds
give them, never by position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from sqlalchemy import select

from tests.weeks import Week
from watchfloor.models.report import Report
from watchfloor.store.schema import articles

UT = "https://udriin-toim.example/news/"
CC = "https://capital-courier.example/"
SL = "https://steppe-ledger.example/2026/"
TSM = "https://tsakhim-medee.example/mn/read/"
IAM = "https://inner-asia-monitor.example/mongolia/"

#: Not security, in English and in Mongolian: none of these is a key development.
NOISE: dict[str, tuple[str, ...]] = {
    "weather": (
        UT + "2001",  # local midnight at the start of the week (26 April in UTC)
        UT + "2080",  # local midnight at the end of the week (3 May in UTC)
        TSM + "100304",
        CC + "weather/2026-04-27-week-ahead",
        CC + "weather/2026-04-29-gobi-warm-air",
        SL + "05/02/weekend-weather",
    ),
    "sport": (
        UT + "2014",  # wrestling
        UT + "2063",  # football at the Central Stadium ("Төв цэнгэлдэх")
        TSM + "100300",  # archery
        CC + "sport/2026-05-01-spring-archery-meet",
        CC + "sport/2026-05-03-league-opener",
        SL + "05/03/judo-asian-championships",  # Mongolian athletes abroad
    ),
    "culture and awards": (
        UT + "2052",
        UT + "2058",
        TSM + "100312",
        CC + "culture/2026-04-30-spring-music-festival",
        CC + "culture/2026-05-03-film-awards",
        IAM + "olgii-spring-horse-races",
    ),
    "markets and tourism": (
        UT + "2041",
        UT + "2069",
        CC + "business/2026-04-28-tugrik-mutton-prices",
        CC + "business/2026-05-01-tourist-arrivals-april",
        SL + "04/30/april-exports-coal-copper",
        IAM + "western-flour-prices-ease",
    ),
    # A person, not a province: an appointment is not a security development.
    "judge Sukhbaatar": (
        UT + "2033",
        CC + "politics/2026-04-30-sukhbaatar-supreme-court",
    ),
}

#: Foreign events told by Mongolian outlets: about another country, not about Mongolia.
FOREIGN: dict[str, tuple[str, ...]] = {
    "earthquake in Lima": (UT + "2027", CC + "world/2026-04-29-lima-earthquake"),
    "US strike on Iran": (UT + "2046", CC + "world/2026-04-30-us-strikes-iran-radar"),
}

#: Mongolian soldiers in military sports contests abroad: never the week's most severe item.
MILITARY_SPORT = (
    UT + "2074",  # Almaty
    SL + "04/30/best-squad-oahu",
    "https://eurasia-desk.example/pacific/best-squad-oahu-opens",
)

#: Security stories about Mongolia that must stay developments (the control group).
SECURITY = {
    "GlassMarmot": SL + "04/28/ministries-targeted-espionage-group",
    "fuel protest": SL + "04/29/ulaanbaatar-fuel-price-rally",
    "Khovd fire": SL + "05/03/khovd-wildfire-contained",
}

#: Items whose inclusion depends on the week's time zone (UTC or Ulaanbaatar time).
MIDNIGHT = (UT + "2001", UT + "2080")

ALL_NOISE = tuple(url for urls in NOISE.values() for url in urls)
ALL_FOREIGN = tuple(url for urls in FOREIGN.values() for url in urls)


def _urls(report: Report, ids: Iterable[int]) -> set[str]:
    by_id = {entry.id: entry.url for entry in report.annex}
    return {url for i in ids if (url := by_id.get(i))}


def _development_urls(report: Report) -> set[str]:
    return _urls(report, (i for d in report.key_developments for i in d.sources))


def _note_count(report: Report, phrase: str) -> int | None:
    """The number a data-quality note gives for *phrase* ("not about the country: 4")."""
    for note in report.data_quality:
        match = re.search(re.escape(phrase) + r"[^0-9]{0,60}?(\d+)", note.text, re.IGNORECASE)
        if match:
            return int(match.group(1))
    return None


def test_the_noise_is_in_the_store(demo_week: Week) -> None:
    """The collector keeps every noise item: leaving them out is the report's job."""
    wanted = set(ALL_NOISE) | set(ALL_FOREIGN) | set(MILITARY_SPORT)
    store = demo_week.store()
    try:
        with store.connect() as conn:
            rows = conn.execute(
                select(articles.c.url, articles.c.language).where(articles.c.url.in_(wanted))
            ).all()
    finally:
        store.dispose()
    assert {row.url for row in rows} == wanted
    languages = {row.language for row in rows}
    assert {"en", "mn"} <= languages, languages


@pytest.mark.parametrize("kind", sorted(NOISE))
def test_noise_is_not_a_key_development(demo_report: Report, kind: str) -> None:
    leaked = set(NOISE[kind]) & _development_urls(demo_report)
    assert leaked == set(), f"{kind} items became developments"


@pytest.mark.parametrize("story", sorted(FOREIGN))
def test_foreign_events_are_not_key_developments(demo_report: Report, story: str) -> None:
    leaked = set(FOREIGN[story]) & _development_urls(demo_report)
    assert leaked == set(), f"the {story} became a Mongolian development"


def test_the_security_stories_stay_developments(demo_report: Report) -> None:
    kept = _development_urls(demo_report)
    missing = {story for story, url in SECURITY.items() if url not in kept}
    assert missing == set()


def test_at_most_fifteen_key_developments(demo_report: Report) -> None:
    assert 3 <= len(demo_report.key_developments) <= 15


def test_data_quality_counts_what_was_left_out_and_why(demo_report: Report) -> None:
    not_about = _note_count(demo_report, "not about")
    not_security = _note_count(demo_report, "not security")
    assert not_about is not None and not_about >= len(ALL_FOREIGN), demo_report.data_quality
    # One of the two local-midnight weather items falls outside the week in either zone.
    assert not_security is not None and not_security >= len(ALL_NOISE) - 1, demo_report.data_quality


def test_no_threat_factor_is_fed_by_a_foreign_event(demo_report: Report) -> None:
    for factor in demo_report.threat.factors:
        cited = _urls(demo_report, factor.sources)
        assert cited.isdisjoint(ALL_FOREIGN), (factor.name, factor.detail)
        assert cited.isdisjoint(ALL_NOISE), (factor.name, factor.detail)


def test_threat_level_and_top_factor_come_from_mongolian_security_events(
    demo_report: Report,
) -> None:
    """The noise does not move the demo week out of the level it had without it."""
    threat = demo_report.threat
    assert threat.level in ("Guarded", "Elevated"), threat
    top = max(threat.factors, key=lambda factor: factor.contribution)
    cited = _urls(demo_report, top.sources)
    assert cited, top
    assert cited.isdisjoint(set(ALL_FOREIGN) | set(ALL_NOISE)), top


def test_a_military_sports_contest_abroad_is_never_the_most_severe_item(
    demo_report: Report,
) -> None:
    severity = next(f for f in demo_report.threat.factors if f.name == "severity")
    assert severity.sources, severity
    most_severe = _urls(demo_report, severity.sources[:1])
    assert most_severe.isdisjoint(MILITARY_SPORT), severity.detail
    first = demo_report.key_developments[0]
    assert _urls(demo_report, first.sources).isdisjoint(MILITARY_SPORT), first.title


def test_the_judge_is_no_sukhbaatar_hotspot(demo_report: Report) -> None:
    judge = set(NOISE["judge Sukhbaatar"])
    for hotspot in demo_report.hotspots:
        if judge & _urls(demo_report, hotspot.sources):
            assert "baatar" not in hotspot.label.lower(), hotspot
            assert "баатар" not in hotspot.label.lower(), hotspot


def test_central_command_and_central_stadium_make_no_tov_hotspot(demo_report: Report) -> None:
    """ "Төв командлал" and "Төв цэнгэлдэх" are not the province of Töv."""
    traps = {UT + "2046", UT + "2063"} | set(FOREIGN["US strike on Iran"])
    for hotspot in demo_report.hotspots:
        assert traps.isdisjoint(_urls(demo_report, hotspot.sources)), hotspot


def test_no_hotspot_is_fed_by_a_foreign_event(demo_report: Report) -> None:
    for hotspot in demo_report.hotspots:
        assert set(ALL_FOREIGN).isdisjoint(_urls(demo_report, hotspot.sources)), hotspot


def test_executive_summary_opens_with_the_threat_level(demo_report: Report) -> None:
    assert demo_report.executive_summary
    opening = demo_report.executive_summary[0].text
    first_sentence = re.split(r"(?<=[.!?])\s", opening, maxsplit=1)[0]
    assert demo_report.threat_level.lower() in first_sentence.lower(), first_sentence
    for statement in demo_report.executive_summary:
        cited = _urls(demo_report, statement.sources)
        assert cited.isdisjoint(set(ALL_FOREIGN) | set(ALL_NOISE)), statement.text


def test_outlook_is_not_next_weeks_weather_or_an_oath(demo_report: Report) -> None:
    outlook = demo_report.outlook
    statements = [
        *outlook.short_term,
        *outlook.flashpoints,
        *outlook.indicators,
        *outlook.recommendations,
    ]
    for statement in statements:
        cited = _urls(demo_report, statement.sources)
        assert cited.isdisjoint(set(ALL_FOREIGN) | set(ALL_NOISE)), statement.text
