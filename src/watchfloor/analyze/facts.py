"""Load what a country report is built from: the period's enriched articles and their context.

One pass over the store per table (articles, categories, countries, places, entities, dated
events), chunked by article id, so building a report costs a handful of queries whatever the
number of articles. The queries are in :mod:`watchfloor.store.facts`; this module chooses the
period, its context and its history. Everything returned is plain data; the analysis never
goes back to the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watchfloor.countries import Country, countries
from watchfloor.errors import ReportError
from watchfloor.store import facts as sf
from watchfloor.store.db import Connection
from watchfloor.store.facts import (
    ABOUT_SCORE,
    ArticleFacts,
    DatedFact,
    EntityFact,
    PageFact,
    PlaceFact,
    RejectFact,
    SourceFact,
)

__all__ = [
    "ABOUT_SCORE",
    "ArticleFacts",
    "DatedFact",
    "EntityFact",
    "PageFact",
    "PeriodData",
    "PlaceFact",
    "RejectFact",
    "SourceFact",
    "country_info",
    "country_timezone",
    "day_bounds",
    "load_period",
    "previous_counts",
    "zone",
]


def country_info(code: str) -> Country:
    """Return the name, capital and neighbours of an ISO 3166-1 alpha-2 country code.

    Raises:
        ReportError: the code is not a known country.
    """
    info = countries().get(code.upper())
    if info is None:
        raise ReportError(
            f"unknown country code {code!r}: use an ISO 3166-1 alpha-2 code such as MN"
        )
    return info


@cache
def _timezones() -> dict[str, str]:
    text = resources.files("watchfloor").joinpath("data/timezones.tsv").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")[:2]
            out[code.strip().upper()] = name.strip()
    return out


def country_timezone(code: str) -> str:
    """The country's main IANA time zone (its capital's) from the packaged data, else UTC."""
    return _timezones().get(code.upper(), "UTC")


def zone(name: str) -> ZoneInfo:
    """The IANA zone *name*.

    Raises:
        ReportError: no such zone on this system (install the ``tzdata`` package when the
            system has no time zone database).
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ReportError(
            f"unknown time zone {name!r}: give an IANA name such as Asia/Ulaanbaatar "
            "(install 'tzdata' if the system has no time zone database)"
        ) from exc


@dataclass(slots=True)
class PeriodData:
    """Everything a report for one country and period reads from the store."""

    country: Country
    start: date
    end: date
    articles: dict[int, ArticleFacts]
    cluster_first: dict[str, datetime]
    pages: list[PageFact]
    rejects: list[RejectFact]
    unenriched: int
    timezone: str = "UTC"
    sources: dict[int, SourceFact] = field(default_factory=dict)
    """Every source, with the grade in force in the period and its fetch record."""
    others: list[ArticleFacts] = field(default_factory=list)
    """The period's articles of the stories that never name the country, read light: no
    text and no annotations but their countries and sightings. Only the excluded list
    (``not_about``) and the coverage's per-source counts read them; no analysis does."""

    def local_date(self, when: datetime) -> date:
        """The calendar date of an instant in the report's time zone."""
        return when.astimezone(zone(self.timezone)).date()

    def in_period(self) -> list[ArticleFacts]:
        """The period's articles of the country's stories, oldest first."""
        return sorted(
            (a for a in self.articles.values() if a.in_period), key=lambda a: (a.published, a.id)
        )

    def whole_period(self) -> list[ArticleFacts]:
        """Every article of the period, the light ``others`` too, oldest first."""
        return sorted(
            [*(a for a in self.articles.values() if a.in_period), *self.others],
            key=lambda a: (a.published, a.id),
        )


def day_bounds(start: date, end: date, timezone: str = "UTC") -> tuple[datetime, datetime]:
    """The UTC instants of [start 00:00, end+1 00:00) in *timezone*, an inclusive date range."""
    tz = zone(timezone)
    return (
        datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC),
    )


def load_period(
    conn: Connection,
    *,
    country: str,
    start: date,
    end: date,
    context_days: int = 14,
    timezone: str = "UTC",
    include: Sequence[int] = (),
) -> PeriodData:
    """Read the country's stories of the period and, for them, the articles around it.

    The country's stories are the story clusters of the period's articles that enrichment
    tied to the country at all (a relevance row of any score, so any ``about_score``
    finds its articles), that the country's own sources carried, or that *include* names
    (an analyst's pins): all of their articles in the period, read whole, with their
    annotations. Articles of the same clusters published up to *context_days* before or
    after the period are loaded too, flagged ``in_period=False``: a report may use them
    only as background and must say so. The period's other articles, of stories that
    never name the country, are read light into ``others`` (title, outlet, countries),
    for the excluded list and the counts: their text and annotations are never read.

    Raises:
        ReportError: the country code is unknown or the dates are reversed.
    """
    info = country_info(country)
    if end < start:
        raise ReportError(f"the period ends ({end}) before it starts ({start})")
    lo, hi = day_bounds(start, end, timezone)
    period = sf.period_articles(conn, lo, hi, text=False)
    seeds = sf.country_seed_ids(conn, info.iso, lo, hi, sf.country_source_ids(conn, info.iso))
    seeds.update(include)
    stories = {a.cluster_id for a in period if a.id in seeds and a.cluster_id}
    found: dict[int, ArticleFacts] = {}
    others: dict[int, ArticleFacts] = {}
    for a in period:
        if a.id in seeds or (a.cluster_id is not None and a.cluster_id in stories):
            found[a.id] = a
        else:
            others[a.id] = a
    sf.attach_bodies(conn, found)
    cluster_ids = sorted(stories)
    for art in sf.context_articles(
        conn,
        cluster_ids,
        lo=lo,
        hi=hi,
        context_lo=lo - timedelta(days=context_days),
        context_hi=hi + timedelta(days=context_days),
    ):
        found.setdefault(art.id, art)
    sf.attach_annotations(conn, found)
    sf.attach_annotations(conn, others, light=True)
    return PeriodData(
        country=info,
        start=start,
        end=end,
        articles=found,
        cluster_first=sf.cluster_first_published(conn, cluster_ids),
        pages=sf.page_facts(conn, info.iso, hi),
        rejects=sf.reject_facts(conn, info.iso, hi),
        unenriched=sum(1 for a in period if a.enriched_version is None),
        timezone=timezone,
        sources=sf.source_facts(conn, lo, hi),
        others=sorted(others.values(), key=lambda a: (a.published, a.id)),
    )


def previous_counts(
    conn: Connection,
    *,
    country: str,
    start: date,
    end: date,
    periods: int = 4,
    timezone: str = "UTC",
) -> list[tuple[int, dict[str, int]]]:
    """Articles about the country, in total and per category, in the previous periods.

    Each previous period has the same length as [start, end] and ends the day before
    the next one starts; the most recent comes first. Periods before the store's first
    article are left out, so a new store has no history rather than a history of zeros.
    """
    first = sf.first_published(conn)
    length = (end - start).days + 1
    out: list[tuple[int, dict[str, int]]] = []
    for k in range(1, periods + 1):
        p_start = start - timedelta(days=length * k)
        p_end = p_start + timedelta(days=length - 1)
        lo, hi = day_bounds(p_start, p_end, timezone)
        # Only periods the store covers from their first day: a period the collection
        # started in the middle of would look quiet and make this one look busy.
        if first is None or lo < first:
            break
        out.append(sf.about_counts(conn, country=country, lo=lo, hi=hi, threshold=ABOUT_SCORE))
    return out
