"""Reading articles for enrichment and writing back what enrichment found.

The enrich stage (``watchfloor.enrich.pipeline``) computes; these functions are its only
way to the database. Writers do not commit: the caller's transaction decides.

Several enrich workers share one store through **claims** (table ``enrich_claims``): a
worker claims a batch of pending articles with a lease (:func:`claim_batch`), enriches it,
and writes the results under the store's write lock (:func:`lock_writes`), keeping only
the articles it still owns (:func:`owned_claims`) and whose text has not changed since it
read them (:func:`changed_articles`), and releasing their claims. A claim whose lease ran
out (its worker was killed) is claimable again; collect drops the claim on an article whose
text it revises (the article is pending again).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update
from sqlalchemy import text as sql_text

from watchfloor.store.bulk import delete_where_in, insert_rows, update_rows
from watchfloor.store.schema import (
    article_categories,
    article_countries,
    article_entities,
    article_places,
    articles,
    clusters,
    dated_events,
    enrich_claims,
    sources,
    stage_state,
)

__all__ = [
    "BODY_CHARS",
    "ArticleInput",
    "CategoryRow",
    "ClusteredArticle",
    "CountryRow",
    "EnrichmentRows",
    "EntityRow",
    "EventRow",
    "PlaceRow",
    "article_body",
    "changed_articles",
    "claim_batch",
    "clustered_articles",
    "count_pending",
    "delete_state",
    "load_inputs",
    "load_state",
    "lock_writes",
    "older_claim_outstanding",
    "owned_claims",
    "pending_articles",
    "refresh_clusters",
    "release_claims",
    "reset_clusters",
    "save_state",
    "state_stamp",
    "write_enrichment",
    "write_enrichments",
]

BODY_CHARS = 6000  # enough for a long news article's first pages; bounds the cost


def article_body(summary: str | None, content: str | None) -> str:
    """The longer of an article's summary and content, cut to :data:`BODY_CHARS`."""
    summary, content = summary or "", content or ""
    body = content if len(content) > len(summary) else summary
    return body[:BODY_CHARS]


@dataclass(slots=True)
class ArticleInput:
    """What enrichment reads of one article."""

    id: int
    title: str
    body: str
    language: str | None
    published: datetime
    source_countries: tuple[str, ...]
    #: The content the annotations are computed from (hash of the feed item, and which
    #: fetched page gave the full text): see :func:`changed_articles`.
    content_hash: str = ""
    fulltext_raw_id: int | None = None

    @property
    def text(self) -> str:
        """Title and body as one text; offsets of every annotation index into it."""
        return f"{self.title}\n\n{self.body}" if self.body else self.title

    @property
    def title_end(self) -> int:
        return len(self.title)


def _pending(version: str) -> Any:
    return or_(articles.c.enriched_version.is_(None), articles.c.enriched_version != version)


def pending_articles(conn: Connection, *, version: str, redo: bool) -> list[int]:
    """Ids of articles not enriched by *version* (all with *redo*), oldest publication first."""
    query = select(articles.c.id).order_by(articles.c.published_at, articles.c.id)
    if not redo:
        query = query.where(_pending(version))
    return [int(r[0]) for r in conn.execute(query)]


def count_pending(conn: Connection, *, version: str) -> int:
    """How many articles are not enriched by *version* (claimed ones included)."""
    found = conn.execute(select(func.count()).select_from(articles).where(_pending(version)))
    return int(found.scalar() or 0)


# --- claims: several enrich workers on one store ------------------------------------------

#: The PostgreSQL advisory lock key of enrichment writes ("wf-enrich" in ASCII, cut to 63 bits).
_WRITE_LOCK_KEY = 0x77662D656E726963


def lock_writes(conn: Connection) -> None:
    """Hold the store's enrichment write lock until this transaction ends.

    It must be the first statement of the transaction. SQLite: ``BEGIN IMMEDIATE`` (the
    database's one writer lock, waited for up to the busy timeout); PostgreSQL: a
    transaction-level advisory lock, so enrich writers take turns while readers and other
    writers go on.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})


def claim_batch(
    conn: Connection,
    *,
    version: str,
    worker: str,
    size: int,
    lease_seconds: float,
    exclude: Sequence[int] = (),
) -> list[int]:
    """Claim up to *size* pending articles for *worker*, oldest publication first; return
    the ids claimed (none when every pending article is claimed by a live lease).

    Call it first in its own transaction: on SQLite it takes the write lock
    (``BEGIN IMMEDIATE``) so that two claims never overlap; on PostgreSQL rows another
    claimer holds are skipped (``FOR UPDATE SKIP LOCKED``), and the insert takes over an
    existing claim only when its lease has run out, so an article is never claimed twice.

    Args:
        exclude: ids this worker does not want (those it failed on in this run).
    """
    now = datetime.now(UTC)
    dialect = conn.dialect.name
    if dialect == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    query = (
        select(articles.c.id)
        .select_from(articles.outerjoin(enrich_claims, enrich_claims.c.article_id == articles.c.id))
        .where(
            _pending(version),
            or_(enrich_claims.c.article_id.is_(None), enrich_claims.c.claimed_until < now),
        )
        .order_by(articles.c.published_at, articles.c.id)
        .limit(size)
    )
    if exclude:
        query = query.where(articles.c.id.not_in(list(exclude)))
    if dialect == "postgresql":
        query = query.with_for_update(of=articles, skip_locked=True)
    ids = [int(r[0]) for r in conn.execute(query)]
    if not ids:
        return []
    until = now + timedelta(seconds=lease_seconds)
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    stmt = upsert(enrich_claims).values(
        [{"article_id": i, "worker": worker, "claimed_until": until} for i in ids]
    )
    # Take over an existing claim only when its lease has run out.
    take = stmt.on_conflict_do_update(
        index_elements=[enrich_claims.c.article_id],
        set_={"worker": stmt.excluded.worker, "claimed_until": stmt.excluded.claimed_until},
        where=enrich_claims.c.claimed_until < now,
    )
    claimed = {int(r[0]) for r in conn.execute(take.returning(enrich_claims.c.article_id))}
    return [i for i in ids if i in claimed]


def owned_claims(conn: Connection, worker: str, ids: Sequence[int]) -> set[int]:
    """Which of *ids* are still claimed by *worker* (a claim taken over after its lease
    ran out is the new claimer's). On PostgreSQL the articles are locked until the
    transaction ends, so no one claims them while their enrichment is being written."""
    if not ids:
        return set()
    if conn.dialect.name == "postgresql":
        conn.execute(
            select(articles.c.id).where(articles.c.id.in_(list(ids))).with_for_update()
        ).all()
    rows = conn.execute(
        select(enrich_claims.c.article_id).where(
            enrich_claims.c.article_id.in_(list(ids)), enrich_claims.c.worker == worker
        )
    )
    return {int(r[0]) for r in rows}


def older_claim_outstanding(
    conn: Connection, worker: str, published: datetime, article_id: int
) -> bool:
    """Whether another worker holds a live claim on an article published before
    (*published*, *article_id*): a batch older than the caller's, not written yet."""
    now = datetime.now(UTC)
    older = or_(
        articles.c.published_at < published,
        and_(articles.c.published_at == published, articles.c.id < article_id),
    )
    found = conn.execute(
        select(enrich_claims.c.article_id)
        .select_from(enrich_claims.join(articles, articles.c.id == enrich_claims.c.article_id))
        .where(enrich_claims.c.worker != worker, enrich_claims.c.claimed_until >= now, older)
        .limit(1)
    ).first()
    return found is not None


def release_claims(conn: Connection, worker: str, ids: Sequence[int] | None = None) -> None:
    """Drop *worker*'s claims (on *ids* only, when given)."""
    query = delete(enrich_claims).where(enrich_claims.c.worker == worker)
    if ids is not None:
        if not ids:
            return
        query = query.where(enrich_claims.c.article_id.in_(list(ids)))
    conn.execute(query)


def load_inputs(conn: Connection, ids: Sequence[int]) -> list[ArticleInput]:
    """The articles with these ids, with their sources' countries, oldest first."""
    rows = conn.execute(
        select(
            articles.c.id,
            articles.c.title,
            articles.c.summary,
            articles.c.content,
            articles.c.language,
            articles.c.published_at,
            articles.c.content_hash,
            articles.c.fulltext_raw_id,
            sources.c.countries,
        )
        .select_from(articles.outerjoin(sources, sources.c.id == articles.c.source_id))
        .where(articles.c.id.in_(list(ids)))
        .order_by(articles.c.published_at, articles.c.id)
    )
    return [
        ArticleInput(
            id=r.id,
            title=r.title,
            body=article_body(r.summary, r.content),
            language=r.language,
            published=r.published_at,
            source_countries=tuple(r.countries or ()),
            content_hash=r.content_hash,
            fulltext_raw_id=r.fulltext_raw_id,
        )
        for r in rows
    ]


def changed_articles(conn: Connection, inputs: Sequence[ArticleInput]) -> set[int]:
    """Ids of *inputs* whose text changed (or that were deleted) since they were read:
    collect stored a revised item or a fetched page meanwhile, so what was computed from
    them is stale and must not be written."""
    if not inputs:
        return set()
    rows = conn.execute(
        select(articles.c.id, articles.c.content_hash, articles.c.fulltext_raw_id).where(
            articles.c.id.in_([a.id for a in inputs])
        )
    )
    now = {int(r.id): (r.content_hash, r.fulltext_raw_id) for r in rows}
    return {a.id for a in inputs if now.get(a.id) != (a.content_hash, a.fulltext_raw_id)}


# --- stage state (the story clusterer's) --------------------------------------------------


def load_state(conn: Connection, key: str) -> Any:
    """The JSON value kept under *key* in ``stage_state``, or None."""
    row = conn.execute(select(stage_state.c.value).where(stage_state.c.key == key)).first()
    return None if row is None else row[0]


def state_stamp(conn: Connection, key: str) -> datetime | None:
    """When the value under *key* was last saved (None when there is none). Each save
    gives a later stamp than the one before, so an unchanged stamp means an unchanged value."""
    row = conn.execute(select(stage_state.c.updated_at).where(stage_state.c.key == key)).first()
    return None if row is None else row[0]


def save_state(conn: Connection, key: str, value: Any) -> datetime:
    """Keep a JSON value under *key*, replacing the one before; return its new stamp."""
    now = datetime.now(UTC)
    before = state_stamp(conn, key)
    if before is not None and now <= before:  # a clock that stood still or went back
        now = before + timedelta(microseconds=1)
    updated = conn.execute(
        update(stage_state).where(stage_state.c.key == key).values(value=value, updated_at=now)
    )
    if updated.rowcount == 0:
        conn.execute(insert(stage_state).values(key=key, value=value, updated_at=now))
    return now


def delete_state(conn: Connection, key: str) -> None:
    conn.execute(delete(stage_state).where(stage_state.c.key == key))


# --- clusters ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClusteredArticle:
    """A stored article with its story cluster and what clustering compares."""

    id: int
    title: str
    body: str
    language: str | None
    published: datetime
    cluster_id: str
    names: frozenset[str]
    places: frozenset[str]


def clustered_articles(conn: Connection, low: datetime, high: datetime) -> list[ClusteredArticle]:
    """Articles published in [low, high] that have a cluster, with their names and places.

    Names are PERSON and ORG entities; places are gazetteer keys, demonyms left out.
    """
    rows = conn.execute(
        select(
            articles.c.id,
            articles.c.title,
            articles.c.summary,
            articles.c.content,
            articles.c.detected_language,
            articles.c.published_at,
            articles.c.cluster_id,
        ).where(
            articles.c.cluster_id.is_not(None),
            articles.c.published_at >= low,
            articles.c.published_at <= high,
        )
    ).all()
    ids = [r.id for r in rows]
    places: dict[int, set[str]] = {}
    for aid, key in conn.execute(
        select(article_places.c.article_id, article_places.c.gazetteer_key).where(
            article_places.c.article_id.in_(ids), article_places.c.demonym.is_(False)
        )
    ):
        places.setdefault(aid, set()).add(key)
    names: dict[int, set[str]] = {}
    for aid, text in conn.execute(
        select(article_entities.c.article_id, article_entities.c.text).where(
            article_entities.c.article_id.in_(ids),
            article_entities.c.label.in_(("PERSON", "ORG")),
        )
    ):
        names.setdefault(aid, set()).add(text)
    return [
        ClusteredArticle(
            id=r.id,
            title=r.title,
            body=article_body(r.summary, r.content),
            language=r.detected_language,
            published=r.published_at,
            cluster_id=str(r.cluster_id),
            names=frozenset(names.get(r.id, ())),
            places=frozenset(places.get(r.id, ())),
        )
        for r in rows
    ]


def reset_clusters(conn: Connection, state_key: str) -> None:
    """Forget every story cluster and the clusterer's state under *state_key*, and mark
    every article pending (claims dropped), for an enrichment from scratch."""
    delete_state(conn, state_key)
    conn.execute(delete(enrich_claims))
    conn.execute(delete(clusters))
    conn.execute(update(articles).values(cluster_id=None, enriched_version=None))


def refresh_clusters(conn: Connection, cluster_ids: Iterable[str]) -> None:
    """Recompute title, size and time span of these clusters from their articles."""
    now = datetime.now(UTC)
    for cid in cluster_ids:
        rows = conn.execute(
            select(articles.c.title, articles.c.published_at)
            .where(articles.c.cluster_id == cid)
            .order_by(articles.c.published_at, articles.c.id)
        ).all()
        if not rows:
            continue
        values = {
            "title": rows[0].title,
            "size": len(rows),
            "first_published": rows[0].published_at,
            "last_published": rows[-1].published_at,
            "updated_at": now,
        }
        if conn.execute(update(clusters).where(clusters.c.id == cid).values(**values)).rowcount:
            continue
        conn.execute(insert(clusters).values(id=cid, **values))


# --- annotations ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntityRow:
    label: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PlaceRow:
    text: str
    start: int
    end: int
    in_title: bool
    name: str
    country: str
    admin1: str
    feature: str
    lat: float
    lng: float
    population: int
    gazetteer_key: str
    score: float
    demonym: bool
    metonymy: bool


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category: str
    confidence: float


@dataclass(frozen=True, slots=True)
class CountryRow:
    country: str
    score: float
    is_about: bool


@dataclass(frozen=True, slots=True)
class EventRow:
    text: str
    span_start: int
    span_end: int
    expression: str
    start_date: date
    end_date: date | None
    precision: str
    is_future: bool


@dataclass(frozen=True, slots=True)
class EnrichmentRows:
    """Everything enrichment stores for one article."""

    article_id: int
    detected_language: str
    language_confidence: float
    cluster_id: str
    enriched_version: str
    entities: Sequence[EntityRow]
    places: Sequence[PlaceRow]
    categories: Sequence[CategoryRow]
    countries: Sequence[CountryRow]
    events: Sequence[EventRow]


def _rows(article_id: int, items: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {"article_id": article_id, **{f: getattr(i, f) for f in type(i).__slots__}} for i in items
    ]


def write_enrichment(conn: Connection, rows: EnrichmentRows) -> None:
    """Replace an article's annotations and mark it enriched by ``rows.enriched_version``."""
    write_enrichments(conn, [rows])


_ANNOTATIONS = (
    (article_entities, "entities"),
    (article_places, "places"),
    (article_categories, "categories"),
    (article_countries, "countries"),
    (dated_events, "events"),
)


def write_enrichments(conn: Connection, batch: Sequence[EnrichmentRows]) -> None:
    """Replace the annotations of a batch of articles and mark each enriched.

    The same rows as :func:`write_enrichment` per article, written with one delete, one
    bulk insert per table and one update statement for the whole batch.
    """
    if not batch:
        return
    ids = [rows.article_id for rows in batch]
    for table, _ in _ANNOTATIONS:
        delete_where_in(conn, table, "article_id", ids)
    for table, attr in _ANNOTATIONS:
        insert_rows(
            conn, table, [r for rows in batch for r in _rows(rows.article_id, getattr(rows, attr))]
        )
    now = datetime.now(UTC)
    update_rows(
        conn,
        articles,
        [
            {
                "id": rows.article_id,
                "detected_language": rows.detected_language,
                "language_confidence": rows.language_confidence,
                "cluster_id": rows.cluster_id,
                "enriched_version": rows.enriched_version,
                "enriched_at": now,
            }
            for rows in batch
        ],
    )
