"""What the web app reads and writes: jobs, the audit log, filtered search, article views.

The two tables (``web_jobs``, ``web_audit``) are created by migration m007 and described
here, on the store's one :data:`~watchfloor.store.schema.metadata`.

A job is a row: ``active_key`` holds the job's key (``report:MN``) while it is queued or
running and is NULL after, under a unique constraint, so a second start of the same job
fails on insert and :func:`start_job` returns the one already running.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from watchfloor.store.schema import (
    UTCDateTime,
    article_categories,
    article_countries,
    article_entities,
    article_places,
    articles,
    metadata,
    sources,
)
from watchfloor.text import MATCH_STEM

__all__ = [
    "SECURITY_CATEGORIES",
    "ArticleDetail",
    "AuditEntry",
    "Job",
    "SearchFilters",
    "SearchHit",
    "Story",
    "article_detail",
    "finish_job",
    "get_job",
    "list_audit",
    "list_jobs",
    "record_audit",
    "search",
    "start_job",
    "uncovered_stories",
    "update_job",
    "web_audit",
    "web_jobs",
]

web_jobs = Table(
    "web_jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("key", String(128), nullable=False),
    Column("active_key", String(128), unique=True),
    Column("params", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("stage", String(64), nullable=False, default=""),
    Column("done", Integer, nullable=False, default=0),
    Column("total", Integer, nullable=False, default=0),
    Column("message", Text, nullable=False, default=""),
    Column("result", JSON),
    Column("error", Text),
    Column("actor", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    Index(None, "created_at"),
)

web_audit = Table(
    "web_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("remote", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("detail", JSON, nullable=False),
    Index(None, "at"),
)

#: Categories that make an article security news for the search filter.
SECURITY_CATEGORIES = (
    "military_defence",
    "cyber",
    "terrorism_armed_violence",
    "crime",
    "domestic_politics_unrest",
    "disaster_public_health",
    "border_trade",
)
#: A category counts for the filters from this confidence up.
CATEGORY_MIN = 0.3


def _now() -> datetime:
    return datetime.now(UTC)


# --- jobs ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    """One background job of the web app."""

    id: int
    kind: str
    key: str
    params: dict[str, Any]
    status: str  # queued, running, done, failed
    stage: str
    done: int
    total: int
    message: str
    result: dict[str, Any] | None
    error: str | None
    actor: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def _job(row: Any) -> Job:
    m = row._mapping
    return Job(**{k: m[k] for k in Job.__slots__})


def get_job(conn: Connection, job_id: int) -> Job | None:
    row = conn.execute(select(web_jobs).where(web_jobs.c.id == job_id)).first()
    return None if row is None else _job(row)


def list_jobs(conn: Connection, *, limit: int = 20) -> list[Job]:
    """The newest jobs first."""
    query = select(web_jobs).order_by(web_jobs.c.id.desc()).limit(limit)
    return [_job(r) for r in conn.execute(query)]


def start_job(
    conn: Connection, *, kind: str, key: str, params: dict[str, Any], actor: str
) -> tuple[Job, bool]:
    """Queue a job unless one with the same key is queued or running.

    Returns the job and True when it was created, or the active one and False. *conn*
    must not be inside a transaction the caller wants to keep: a clash rolls back a
    savepoint only.
    """
    try:
        with conn.begin_nested():
            new_id = conn.execute(
                insert(web_jobs).values(
                    kind=kind,
                    key=key,
                    active_key=key,
                    params=params,
                    status="queued",
                    stage="",
                    done=0,
                    total=0,
                    message="",
                    actor=actor[:64],
                    created_at=_now(),
                )
            ).inserted_primary_key
    except IntegrityError:
        row = conn.execute(select(web_jobs).where(web_jobs.c.active_key == key)).first()
        if row is None:  # finished between the insert and this read: try once more
            return start_job(conn, kind=kind, key=key, params=params, actor=actor)
        return _job(row), False
    assert new_id is not None
    job = get_job(conn, int(new_id[0]))
    assert job is not None
    return job, True


def update_job(
    conn: Connection, job_id: int, *, stage: str, done: int, total: int, message: str = ""
) -> None:
    """Record a job's progress (and that it runs)."""
    conn.execute(
        update(web_jobs)
        .where(web_jobs.c.id == job_id)
        .values(
            status="running",
            stage=stage[:64],
            done=done,
            total=total,
            message=message[:500],
            started_at=func.coalesce(web_jobs.c.started_at, _now()),
        )
    )


def finish_job(
    conn: Connection,
    job_id: int,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """Mark a job done (or failed, with *error*) and free its key."""
    conn.execute(
        update(web_jobs)
        .where(web_jobs.c.id == job_id)
        .values(
            status="failed" if error is not None else "done",
            active_key=None,
            result=result,
            error=error,
            finished_at=_now(),
        )
    )


# --- audit ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One write made through the web app: who, from where, what, when, and its outcome."""

    id: int
    at: datetime
    actor: str
    remote: str
    action: str
    target: str
    outcome: str
    detail: dict[str, Any]


def record_audit(
    conn: Connection,
    *,
    actor: str,
    remote: str,
    action: str,
    target: str,
    outcome: str,
    detail: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        insert(web_audit).values(
            at=_now(),
            actor=actor[:64],
            remote=remote[:64],
            action=action[:64],
            target=target,
            outcome=outcome[:16],
            detail=detail or {},
        )
    )


def list_audit(conn: Connection, *, limit: int = 100) -> list[AuditEntry]:
    """The newest audit entries first."""
    query = select(web_audit).order_by(web_audit.c.id.desc()).limit(limit)
    return [AuditEntry(**r._mapping) for r in conn.execute(query)]


# --- search --------------------------------------------------------------------------

_TERM = re.compile(r"\w+", re.UNICODE)


def _stems(query: str) -> list[str]:
    """Lower-cased search stems: words longer than the match stem are cut to it, so a
    prefix match finds inflected forms (Улаанбаатарт, Улаанбаатараас; Москвы, Москве)."""
    out = []
    for word in _TERM.findall(query.lower()):
        out.append(word[:MATCH_STEM] if len(word) > MATCH_STEM else word)
    return out


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a search is narrowed to; every field optional."""

    query: str = ""
    country: str | None = None
    category: str | None = None
    language: str | None = None
    source_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    security: bool | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    title: str
    url: str | None
    published_at: datetime
    language: str | None
    source_id: int | None
    source_name: str | None


def _fts_ids(conn: Connection, stems: Sequence[str]) -> Any:
    """A subquery of the ids of articles matching every stem as a prefix."""
    if conn.dialect.name == "sqlite":
        match = " ".join('"' + s.replace('"', '""') + '"*' for s in stems)
        return text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts").bindparams(
            fts=match
        )
    tsq = " & ".join(f"{s}:*" for s in stems)
    return text(
        "SELECT article_id FROM article_search WHERE search @@ to_tsquery('simple', :fts)"
    ).bindparams(fts=tsq)


def _id_key(conn: Connection) -> Any:
    """The article id to test the filters' id lists against.

    On SQLite it is ``articles.id + 0``: the plain id would let the planner walk an id
    list (82,000 ids for a common word at 100,000 articles) and read each article's row,
    whose ``published_at`` lies past the body text in overflow pages. With the ``+ 0`` it
    walks ``ix_articles_published_at`` newest first instead, an index that holds the id
    too, and stops at the page's last hit without reading a row. PostgreSQL plans the
    plain id well."""
    return articles.c.id + literal_column("0") if conn.dialect.name == "sqlite" else articles.c.id


def _newest_first(where: Sequence[Any], limit: int, offset: int = 0) -> Any:
    """A subquery of (id, published_at) of the articles meeting *where*, one page of them
    newest first; the callers join it back to ``articles`` for the other columns, so only
    the page's rows are read."""
    return (
        select(articles.c.id, articles.c.published_at)
        .where(*where)
        .order_by(articles.c.published_at.desc(), articles.c.id.desc())
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )


def search(conn: Connection, filters: SearchFilters) -> list[SearchHit]:
    """Articles matching the filters, newest first.

    Words match by prefix of their stem (see :func:`_stems`) on SQLite FTS5 and
    PostgreSQL's ``simple`` text search alike.
    """
    key = _id_key(conn)
    where: list[Any] = []
    stems = _stems(filters.query)
    if stems:
        where.append(key.in_(_fts_ids(conn, stems)))
    if filters.country:
        where.append(
            key.in_(
                select(article_countries.c.article_id).where(
                    article_countries.c.country == filters.country,
                    or_(article_countries.c.is_about, article_countries.c.score >= 0.5),
                )
            )
        )
    if filters.category:
        where.append(
            key.in_(
                select(article_categories.c.article_id).where(
                    article_categories.c.category == filters.category,
                    article_categories.c.confidence >= CATEGORY_MIN,
                )
            )
        )
    if filters.security is not None:
        secure = select(article_categories.c.article_id).where(
            article_categories.c.category.in_(SECURITY_CATEGORIES),
            article_categories.c.confidence >= CATEGORY_MIN,
        )
        where.append(key.in_(secure) if filters.security else key.not_in(secure))
    if filters.language:
        lang = filters.language.lower()
        where.append(
            or_(
                articles.c.detected_language == lang,
                and_(articles.c.detected_language.is_(None), articles.c.language == lang),
            )
        )
    if filters.source_id is not None:
        where.append(articles.c.source_id == filters.source_id)
    if filters.since is not None:
        where.append(articles.c.published_at >= filters.since)
    if filters.until is not None:
        where.append(articles.c.published_at < filters.until)
    page = _newest_first(where, filters.limit, filters.offset)
    query = (
        select(
            articles.c.id,
            articles.c.title,
            articles.c.url,
            articles.c.published_at,
            func.coalesce(articles.c.detected_language, articles.c.language).label("language"),
            articles.c.source_id,
            sources.c.name.label("source_name"),
        )
        .select_from(
            page.join(articles, articles.c.id == page.c.id).outerjoin(
                sources, sources.c.id == articles.c.source_id
            )
        )
        .order_by(page.c.published_at.desc(), page.c.id.desc())
    )
    return [SearchHit(**r._mapping) for r in conn.execute(query)]


# --- one article ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """An article with what enrichment found in it."""

    id: int
    title: str
    url: str | None
    summary: str
    content: str
    published_at: datetime
    language: str | None
    source_id: int | None
    source_name: str | None
    cluster_id: str | None
    entities: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    places: list[dict[str, Any]] = field(default_factory=list)
    categories: list[tuple[str, float]] = field(default_factory=list)
    countries: list[tuple[str, float, bool]] = field(default_factory=list)
    cluster_mates: list[tuple[int, str, str | None]] = field(default_factory=list)


def article_detail(conn: Connection, article_id: int) -> ArticleDetail | None:
    """An article with its entities, places, categories, countries and cluster mates."""
    row = conn.execute(
        select(
            articles.c.id,
            articles.c.title,
            articles.c.url,
            articles.c.summary,
            articles.c.content,
            articles.c.published_at,
            func.coalesce(articles.c.detected_language, articles.c.language).label("language"),
            articles.c.source_id,
            sources.c.name.label("source_name"),
            articles.c.cluster_id,
        )
        .select_from(articles.outerjoin(sources, sources.c.id == articles.c.source_id))
        .where(articles.c.id == article_id)
    ).first()
    if row is None:
        return None
    ents = conn.execute(
        select(article_entities.c.label, article_entities.c.text)
        .where(article_entities.c.article_id == article_id)
        .order_by(article_entities.c.start)
    )
    entities = list(dict.fromkeys((e.label, e.text) for e in ents))
    places = [
        {
            "text": p.text,
            "name": p.name,
            "country": p.country,
            "admin1": p.admin1,
            "feature": p.feature,
            "lat": p.lat,
            "lng": p.lng,
        }
        for p in conn.execute(
            select(article_places)
            .where(article_places.c.article_id == article_id)
            .order_by(article_places.c.start)
        )
    ]
    categories = [
        (c.category, float(c.confidence))
        for c in conn.execute(
            select(article_categories.c.category, article_categories.c.confidence)
            .where(article_categories.c.article_id == article_id)
            .order_by(article_categories.c.confidence.desc())
        )
    ]
    countries = [
        (c.country, float(c.score), bool(c.is_about))
        for c in conn.execute(
            select(article_countries)
            .where(article_countries.c.article_id == article_id)
            .order_by(article_countries.c.score.desc())
        )
    ]
    mates: list[tuple[int, str, str | None]] = []
    if row.cluster_id:
        mates = [
            (m.id, m.title, m.source_name)
            for m in conn.execute(
                select(articles.c.id, articles.c.title, sources.c.name.label("source_name"))
                .select_from(articles.outerjoin(sources, sources.c.id == articles.c.source_id))
                .where(articles.c.cluster_id == row.cluster_id, articles.c.id != article_id)
                .order_by(articles.c.published_at)
                .limit(50)
            )
        ]
    return ArticleDetail(
        **row._mapping,
        entities=entities,
        places=places,
        categories=categories,
        countries=countries,
        cluster_mates=mates,
    )


# --- stories no report has covered ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Story:
    """A story (cluster, or a lone article) about a country, newest article first."""

    article_id: int
    title: str
    articles: int
    latest: datetime


def uncovered_stories(
    conn: Connection, country: str, since: datetime | None, *, limit: int = 20
) -> list[Story]:
    """Stories about *country* with an article published after *since* (all when None)."""
    about = select(article_countries.c.article_id).where(
        article_countries.c.country == country,
        or_(article_countries.c.is_about, article_countries.c.score >= 0.5),
    )
    where = [_id_key(conn).in_(about)]
    if since is not None:
        where.append(articles.c.published_at > since)
    page = _newest_first(where, limit * 10)
    query = (
        select(articles.c.id, articles.c.title, articles.c.cluster_id, articles.c.published_at)
        .select_from(page.join(articles, articles.c.id == page.c.id))
        .order_by(page.c.published_at.desc(), page.c.id.desc())
    )
    stories: dict[str, list[Any]] = {}
    for r in conn.execute(query):
        key = r.cluster_id or f"a{r.id}"
        stories.setdefault(key, []).append(r)
    out = [
        Story(rows[0].id, rows[0].title, len(rows), rows[0].published_at)
        for rows in stories.values()
    ]
    return out[:limit]
