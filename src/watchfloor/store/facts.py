"""Reading what a country report is built from: enriched articles, pages, rejects, history.

``watchfloor.analyze.facts`` decides which period and which articles; these functions are
its queries. Each reads one table in chunks of article or cluster ids, so a report costs a
handful of queries whatever the number of articles, and returns plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select

from watchfloor.models.records import SourceKind
from watchfloor.store.schema import (
    article_categories,
    article_countries,
    article_entities,
    article_places,
    articles,
    clusters,
    dated_events,
    page_versions,
    raw_documents,
    rejects,
    sightings,
    source_grades,
    sources,
)

__all__ = [
    "ABOUT_SCORE",
    "ArticleFacts",
    "DatedFact",
    "EntityFact",
    "PageFact",
    "PlaceFact",
    "RejectFact",
    "SourceFact",
    "about_counts",
    "attach_annotations",
    "attach_bodies",
    "cluster_first_published",
    "context_articles",
    "country_seed_ids",
    "country_source_ids",
    "first_published",
    "page_facts",
    "period_articles",
    "reject_facts",
    "source_facts",
]

#: An article counts as "about" the country when enrichment said so or its relevance score
#: reaches this (the enricher's own threshold; kept here so a report can be stricter).
ABOUT_SCORE = 0.5
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class PlaceFact:
    text: str
    start: int
    name: str
    country: str
    feature: str
    lat: float
    lng: float
    key: str
    demonym: bool
    metonymy: bool
    in_title: bool
    admin1: str = ""
    """The gazetteer's admin-1 code: ISO 3166-2 for a province, GeoNames' code for a town."""


@dataclass(frozen=True, slots=True)
class EntityFact:
    label: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DatedFact:
    text: str
    expression: str
    start: date
    end: date | None
    is_future: bool


@dataclass(slots=True)
class ArticleFacts:
    """One article with everything enrichment found in it."""

    id: int
    title: str
    body: str
    url: str | None
    published: datetime
    language: str | None
    outlet: str
    source_id: int | None
    cluster_id: str | None
    enriched_version: str | None
    in_period: bool
    categories: dict[str, float] = field(default_factory=dict)
    countries: dict[str, tuple[float, bool]] = field(default_factory=dict)
    places: list[PlaceFact] = field(default_factory=list)
    entities: list[EntityFact] = field(default_factory=list)
    events: list[DatedFact] = field(default_factory=list)
    source_countries: tuple[str, ...] = ()
    date_estimated: bool = False
    """True when the feed gave no date and the first-seen time stands in for it."""
    seen_by: tuple[int, ...] = ()
    """Every source that carried this article (its sightings): the same text in several
    feeds is one article, syndicated."""

    @property
    def lang(self) -> str:
        """The detected language, falling back to the feed's, then English."""
        return (self.language or "en").split("-")[0].lower()

    @property
    def text(self) -> str:
        """Title and body as one text, as enrichment saw it (offsets index into it)."""
        return f"{self.title}\n\n{self.body}" if self.body else self.title

    def about(self, country: str, threshold: float = ABOUT_SCORE) -> bool:
        """True when the article is about *country*."""
        score, flag = self.countries.get(country, (0.0, False))
        return flag or score >= threshold


@dataclass(frozen=True, slots=True)
class PageFact:
    """One stored version of a tracked reference page."""

    id: int
    source_id: int
    source_name: str
    url: str
    language: str | None
    version: int
    title: str
    text: str
    page_date: datetime | None
    fetched_at: datetime

    @property
    def dated(self) -> datetime:
        """When this version speaks for: its own date when it gives one, else the capture."""
        return self.page_date or self.fetched_at


@dataclass(frozen=True, slots=True)
class RejectFact:
    source_name: str
    stage: str
    error: str
    created_at: datetime


def _chunks(ids: Sequence[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


def _body(summary: str | None, content: str | None) -> str:
    summary, content = summary or "", content or ""
    return content if len(content) > len(summary) else summary


def _article_rows(
    conn: Connection, where: ColumnElement[bool], *, text: bool = True
) -> Iterator[Any]:
    body = [articles.c.summary, articles.c.content] if text else []
    yield from conn.execute(
        select(
            articles.c.id,
            articles.c.title,
            *body,
            articles.c.url,
            articles.c.canonical_url,
            articles.c.published_at,
            articles.c.language,
            articles.c.detected_language,
            articles.c.source_id,
            articles.c.cluster_id,
            articles.c.enriched_version,
            articles.c.date_estimated,
            sources.c.name.label("outlet"),
            sources.c.countries.label("source_countries"),
        )
        .select_from(articles.outerjoin(sources, sources.c.id == articles.c.source_id))
        .where(where)
    )


def _facts(row: Any, lo: datetime, hi: datetime, *, text: bool = True) -> ArticleFacts:
    return ArticleFacts(
        id=row.id,
        title=row.title,
        body=_body(row.summary, row.content) if text else "",
        url=row.url or row.canonical_url,
        published=row.published_at,
        language=row.detected_language or row.language,
        outlet=row.outlet or "unknown outlet",
        source_id=row.source_id,
        cluster_id=row.cluster_id,
        enriched_version=row.enriched_version,
        in_period=lo <= row.published_at < hi,
        source_countries=tuple(row.source_countries or ()),
        date_estimated=bool(row.date_estimated),
    )


def period_articles(
    conn: Connection, lo: datetime, hi: datetime, *, text: bool = True
) -> list[ArticleFacts]:
    """Articles published in [lo, hi), without their annotations (see attach_annotations).

    Without *text* the bodies are left empty (``attach_bodies`` reads them for the articles
    that need them): the light read of a whole period, a few columns an article.
    """
    where = and_(articles.c.published_at >= lo, articles.c.published_at < hi)
    return [_facts(row, lo, hi, text=text) for row in _article_rows(conn, where, text=text)]


def attach_bodies(conn: Connection, found: dict[int, ArticleFacts]) -> None:
    """Read the bodies of *found* (articles read without their text)."""
    for chunk in _chunks(sorted(found)):
        for r in conn.execute(
            select(articles.c.id, articles.c.summary, articles.c.content).where(
                articles.c.id.in_(chunk)
            )
        ):
            found[r.id].body = _body(r.summary, r.content)


def country_seed_ids(
    conn: Connection, country: str, lo: datetime, hi: datetime, source_ids: Sequence[int] = ()
) -> set[int]:
    """Articles published in [lo, hi) that enrichment tied to *country* at all (a relevance
    row of any score) or that one of *source_ids* (the country's own sources) carried.

    Each part is the period's ids from ``articles (published_at, id)`` intersected with an
    index: m010's ``article_countries (country, is_about, article_id)``, the articles'
    and the sightings' ``source_id``; none reads an article's row for another country.
    """
    week = select(articles.c.id).where(
        and_(articles.c.published_at >= lo, articles.c.published_at < hi)
    )
    found = {
        int(r[0])
        for r in conn.execute(
            select(article_countries.c.article_id).where(
                article_countries.c.country == country,
                article_countries.c.article_id.in_(week),
            )
        )
    }
    if source_ids:
        ids = list(source_ids)
        found.update(
            int(r[0])
            for r in conn.execute(
                select(articles.c.id).where(
                    articles.c.source_id.in_(ids),
                    articles.c.published_at >= lo,
                    articles.c.published_at < hi,
                )
            )
        )
        found.update(
            int(r[0])
            for r in conn.execute(
                select(sightings.c.article_id).where(
                    sightings.c.source_id.in_(ids), sightings.c.article_id.in_(week)
                )
            )
        )
    return found


def country_source_ids(conn: Connection, country: str) -> list[int]:
    """The sources that serve *country* (its ``countries`` list names it)."""
    return [int(r.id) for r in _country_sources(conn, country)]


def context_articles(
    conn: Connection,
    cluster_ids: Sequence[str],
    *,
    lo: datetime,
    hi: datetime,
    context_lo: datetime,
    context_hi: datetime,
) -> list[ArticleFacts]:
    """Articles of these clusters published in [context_lo, context_hi) but outside [lo, hi)."""
    found: list[ArticleFacts] = []
    for chunk in _chunks(cluster_ids):
        where = and_(
            articles.c.cluster_id.in_(chunk),
            articles.c.published_at >= context_lo,
            articles.c.published_at < context_hi,
            or_(articles.c.published_at < lo, articles.c.published_at >= hi),
        )
        found.extend(_facts(row, lo, hi) for row in _article_rows(conn, where))
    return found


def attach_annotations(
    conn: Connection, found: dict[int, ArticleFacts], *, light: bool = False
) -> None:
    """Fill in the categories, countries, places, entities and dated events of *found*.

    With *light*, only the countries and the sightings (what the excluded list and the
    coverage counts read of an article no analysis looks into).
    """
    for chunk in _chunks(sorted(found)):
        for r in conn.execute(
            select(article_countries).where(article_countries.c.article_id.in_(chunk))
        ):
            found[r.article_id].countries[r.country] = (float(r.score), bool(r.is_about))
        if light:
            _attach_sightings(conn, found, chunk)
            continue
        for r in conn.execute(
            select(article_categories).where(article_categories.c.article_id.in_(chunk))
        ):
            found[r.article_id].categories[r.category] = float(r.confidence)
        for r in conn.execute(
            select(article_places)
            .where(article_places.c.article_id.in_(chunk))
            .order_by(article_places.c.article_id, article_places.c.start)
        ):
            found[r.article_id].places.append(
                PlaceFact(
                    text=r.text,
                    start=r.start,
                    name=r.name,
                    country=r.country,
                    feature=r.feature,
                    lat=r.lat,
                    lng=r.lng,
                    key=r.gazetteer_key,
                    demonym=bool(r.demonym),
                    metonymy=bool(r.metonymy),
                    in_title=bool(r.in_title),
                    admin1=r.admin1 or "",
                )
            )
        for r in conn.execute(
            select(article_entities)
            .where(article_entities.c.article_id.in_(chunk))
            .order_by(article_entities.c.article_id, article_entities.c.start)
        ):
            found[r.article_id].entities.append(EntityFact(r.label, r.text, r.start, r.end))
        for r in conn.execute(
            select(dated_events)
            .where(dated_events.c.article_id.in_(chunk))
            .order_by(dated_events.c.article_id, dated_events.c.span_start)
        ):
            found[r.article_id].events.append(
                DatedFact(r.text, r.expression, r.start_date, r.end_date, bool(r.is_future))
            )
        _attach_sightings(conn, found, chunk)


def _attach_sightings(conn: Connection, found: dict[int, ArticleFacts], chunk: list[int]) -> None:
    seen: dict[int, set[int]] = {}
    for r in conn.execute(
        select(sightings.c.article_id, sightings.c.source_id).where(
            sightings.c.article_id.in_(chunk), sightings.c.source_id.is_not(None)
        )
    ):
        seen.setdefault(r.article_id, set()).add(r.source_id)
    for article_id, ids in seen.items():
        found[article_id].seen_by = tuple(sorted(ids))


def cluster_first_published(conn: Connection, cluster_ids: Sequence[str]) -> dict[str, datetime]:
    """When each of these clusters' first article was published."""
    first: dict[str, datetime] = {}
    for chunk in _chunks(cluster_ids):
        for row in conn.execute(
            select(clusters.c.id, clusters.c.first_published).where(clusters.c.id.in_(chunk))
        ):
            first[row.id] = row.first_published
    return first


def _country_sources(conn: Connection, country: str, kind: SourceKind | None = None) -> list[Any]:
    query = select(
        sources.c.id,
        sources.c.name,
        sources.c.url,
        sources.c.kind,
        sources.c.language,
        sources.c.countries,
    )
    if kind is not None:
        query = query.where(sources.c.kind == kind.value)
    return [r for r in conn.execute(query) if country in (r.countries or [])]


def page_facts(conn: Connection, country: str, hi: datetime) -> list[PageFact]:
    """Versions fetched before *hi* of the reference pages that serve *country*."""
    out: list[PageFact] = []
    for src in _country_sources(conn, country, SourceKind.PAGE):
        for r in conn.execute(
            select(page_versions)
            .where(page_versions.c.source_id == src.id, page_versions.c.fetched_at < hi)
            .order_by(page_versions.c.version)
        ):
            out.append(
                PageFact(
                    id=r.id,
                    source_id=src.id,
                    source_name=src.name,
                    url=src.url,
                    language=src.language,
                    version=r.version,
                    title=r.title,
                    text=r.text,
                    page_date=r.page_date,
                    fetched_at=r.fetched_at,
                )
            )
    return out


def reject_facts(conn: Connection, country: str, hi: datetime) -> list[RejectFact]:
    """Open rejects of the sources that serve *country*, created before *hi* (or now)."""
    names = {r.id: r.name for r in _country_sources(conn, country)}
    if not names:
        return []
    return [
        RejectFact(names[r.source_id], r.stage, r.error, r.created_at)
        for r in conn.execute(
            select(rejects)
            .where(
                rejects.c.source_id.in_(list(names)),
                # Collection may run after the period (a backfill), so the creation time
                # says little; every reject still open for the country's sources counts.
                rejects.c.resolved_at.is_(None),
                rejects.c.created_at < max(hi, datetime.now(UTC)),
            )
            .order_by(rejects.c.id)
        )
    ]


def first_published(conn: Connection) -> datetime | None:
    """When the store's oldest article was published (None for an empty store)."""
    value: datetime | None = conn.execute(select(func.min(articles.c.published_at))).scalar()
    return value


def about_counts(
    conn: Connection, *, country: str, lo: datetime, hi: datetime, threshold: float = ABOUT_SCORE
) -> tuple[int, dict[str, int]]:
    """Articles about *country* published in [lo, hi): in total, and per category."""
    about = (
        select(article_countries.c.article_id)
        .join(articles, articles.c.id == article_countries.c.article_id)
        .where(
            article_countries.c.country == country,
            or_(article_countries.c.is_about, article_countries.c.score >= threshold),
            articles.c.published_at >= lo,
            articles.c.published_at < hi,
        )
    )
    total = conn.execute(select(func.count()).select_from(about.subquery())).scalar() or 0
    per: dict[str, int] = {}
    for row in conn.execute(
        select(article_categories.c.category, func.count())
        .where(article_categories.c.article_id.in_(about))
        .group_by(article_categories.c.category)
    ):
        per[str(row[0])] = int(row[1])
    return int(total), per


@dataclass(frozen=True, slots=True)
class SourceFact:
    """A source as a report of one period sees it: its grade then, and how it fared."""

    id: int
    name: str
    kind: str
    url: str
    countries: tuple[str, ...]
    language: str | None
    reliability: str
    """Admiralty grade A-F in force during the period (see :func:`source_facts`)."""
    official: bool
    grade_reason: str | None
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    fetched_in_period: int
    """Documents fetched from it in the period (a live collection, not a backfill)."""
    failures: tuple[tuple[datetime, str], ...]
    """Fetch and parse rejects: those made in the period, else those still open."""


def source_facts(conn: Connection, lo: datetime, hi: datetime) -> dict[int, SourceFact]:
    """Every source with the grade in force in [lo, hi) and its fetch record for it.

    The grade in force is the last change made before *hi*; a source graded only after the
    period (a backfill, or a grade given later) is read with its first grade, the
    analyst's earliest judgement of it; a source never graded is F.
    """
    history: dict[int, list[Any]] = {}
    for r in conn.execute(
        select(source_grades).order_by(source_grades.c.changed_at, source_grades.c.id)
    ):
        history.setdefault(r.source_id, []).append(r)
    fetched: dict[int, int] = {}
    for r in conn.execute(
        select(raw_documents.c.source_id, func.count())
        .where(
            raw_documents.c.fetched_at >= lo,
            raw_documents.c.fetched_at < hi,
            raw_documents.c.purpose != "article",
            raw_documents.c.source_id.is_not(None),
        )
        .group_by(raw_documents.c.source_id)
    ):
        fetched[int(r[0])] = int(r[1])
    failures: dict[int, list[tuple[datetime, str, bool]]] = {}
    for r in conn.execute(
        select(rejects.c.source_id, rejects.c.created_at, rejects.c.error, rejects.c.resolved_at)
        .where(rejects.c.stage.in_(["fetch", "parse"]), rejects.c.source_id.is_not(None))
        .order_by(rejects.c.id)
    ):
        in_period = lo <= r.created_at < hi
        if in_period or r.resolved_at is None:
            failures.setdefault(r.source_id, []).append((r.created_at, r.error, in_period))
    out: dict[int, SourceFact] = {}
    for r in conn.execute(select(sources).order_by(sources.c.id)):
        grades = history.get(r.id, [])
        before = [g for g in grades if g.changed_at < hi]
        grade = before[-1] if before else (grades[0] if grades else None)
        fails = failures.get(r.id, [])
        # A failure recorded in the period speaks for it; otherwise (a backfill collected
        # later) the failures still open do.
        chosen = [f for f in fails if f[2]] or fails
        out[r.id] = SourceFact(
            id=r.id,
            name=r.name,
            kind=r.kind,
            url=r.url,
            countries=tuple(r.countries or ()),
            language=r.language,
            reliability=grade.reliability if grade is not None else (r.reliability or "F"),
            official=bool(grade.official) if grade is not None else bool(r.official),
            grade_reason=grade.reason if grade is not None else None,
            last_fetched_at=r.last_fetched_at,
            last_success_at=r.last_success_at,
            last_error=r.last_error,
            fetched_in_period=fetched.get(r.id, 0),
            failures=tuple((when, error) for when, error, _ in chosen),
        )
    return out
