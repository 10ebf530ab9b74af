"""Reading and writing the store. Every function takes an open Connection.

Writers do not commit: the caller's transaction decides what lands together, which
is what keeps a killed collect consistent.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)

from watchfloor.models import FetchResult, ParsedItem
from watchfloor.models.records import RawPurpose, RejectStage, SourceKind, UpsertStatus
from watchfloor.store.bulk import insert_rows, reserve_ids
from watchfloor.store.schema import (
    articles,
    enrich_claims,
    page_versions,
    raw_documents,
    rejects,
    sightings,
    source_grades,
    sources,
)


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- sources -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A registered source."""

    id: int
    url: str
    kind: SourceKind
    name: str
    countries: tuple[str, ...]
    language: str | None
    every_seconds: int
    enabled: bool
    etag: str | None
    last_modified: str | None
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    last_status: int | None
    last_error: str | None
    consecutive_failures: int
    reliability: str = "F"
    """Admiralty reliability grade in force now: A (completely reliable) to E, F (cannot
    be judged)."""
    official: bool = False
    """An official source: a ministry, an emergency agency, a state body."""
    next_attempt_at: datetime | None = None
    """When it is next tried: its interval after a success, a backoff after a failure."""
    refused_policy: str | None = None
    """The fetch policy (its key) that refused the last attempt; None after a fetch."""

    def is_due(self, now: datetime, policy: str | None = None) -> bool:
        """Whether to fetch it now, under the fetch policy whose key is *policy*.

        A source the policy refused is due at once when the policy differs (a refusal
        is not a fetch); otherwise it waits for its next attempt.
        """
        if not self.enabled:
            return False
        if self.refused_policy is not None and policy is not None:
            if policy != self.refused_policy:
                return True
        if self.next_attempt_at is not None:
            return now >= self.next_attempt_at
        if self.last_fetched_at is None:
            return True
        return (now - self.last_fetched_at).total_seconds() >= self.every_seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "kind": self.kind,
            "name": self.name,
            "countries": list(self.countries),
            "language": self.language,
            "every_seconds": self.every_seconds,
            "enabled": self.enabled,
            "last_fetched_at": _iso(self.last_fetched_at),
            "last_success_at": _iso(self.last_success_at),
            "last_status": self.last_status,
            "last_error": self.last_error,
            "reliability": self.reliability,
            "official": self.official,
            "consecutive_failures": self.consecutive_failures,
            "next_attempt_at": _iso(self.next_attempt_at),
            "refused_policy": self.refused_policy,
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _source(row: Row[Any]) -> Source:
    m = row._mapping
    return Source(
        id=m["id"],
        url=m["url"],
        kind=SourceKind(m["kind"]),
        name=m["name"],
        countries=tuple(m["countries"] or ()),
        language=m["language"],
        every_seconds=m["every_seconds"],
        enabled=bool(m["enabled"]),
        etag=m["etag"],
        last_modified=m["last_modified"],
        last_fetched_at=m["last_fetched_at"],
        last_success_at=m["last_success_at"],
        last_status=m["last_status"],
        last_error=m["last_error"],
        consecutive_failures=m["consecutive_failures"] or 0,
        reliability=m["reliability"] or "F",
        official=bool(m["official"]),
        next_attempt_at=m["next_attempt_at"],
        refused_policy=m["refused_policy"],
    )


def add_source(
    conn: Connection,
    *,
    url: str,
    kind: SourceKind | str,
    name: str,
    countries: Sequence[str],
    every_seconds: int,
    language: str | None = None,
) -> tuple[Source, bool]:
    """Register a source; return it and whether it was new (same URL → updated)."""
    existing = conn.execute(select(sources).where(sources.c.url == url)).first()
    values = {
        "kind": SourceKind(kind).value,
        "name": name,
        "countries": list(countries),
        "every_seconds": every_seconds,
        "language": language,
    }
    if existing is not None:
        conn.execute(update(sources).where(sources.c.id == existing.id).values(**values))
        return get_source(conn, existing.id), False
    result = conn.execute(
        insert(sources).values(
            url=url, enabled=True, consecutive_failures=0, created_at=utcnow(), **values
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return get_source(conn, int(pk[0])), True


def get_source(conn: Connection, source_id: int) -> Source:
    row = conn.execute(select(sources).where(sources.c.id == source_id)).first()
    if row is None:
        from watchfloor.errors import SourceError

        raise SourceError(f"no source with id {source_id}: see 'watchfloor sources list'")
    return _source(row)


def list_sources(
    conn: Connection, *, country: str | None = None, source_id: int | None = None
) -> list[Source]:
    query = select(sources).order_by(sources.c.id)
    if source_id is not None:
        query = query.where(sources.c.id == source_id)
    found = [_source(r) for r in conn.execute(query)]
    if country:
        found = [s for s in found if country.upper() in s.countries]
    return found


def remove_source(conn: Connection, source_id: int) -> Source:
    """Delete a source. Its articles stay (their sightings keep the history)."""
    source = get_source(conn, source_id)
    conn.execute(sources.delete().where(sources.c.id == source_id))
    return source


@dataclass(frozen=True, slots=True)
class GradeChange:
    """One change of a source's reliability grade or official flag, with its reason."""

    id: int
    source_id: int
    reliability: str
    official: bool
    reason: str
    changed_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source_id": self.source_id,
            "reliability": self.reliability,
            "official": self.official,
            "reason": self.reason,
            "changed_at": self.changed_at.isoformat(),
        }


def rate_source(
    conn: Connection,
    source_id: int,
    *,
    reliability: str,
    official: bool,
    reason: str,
    when: datetime | None = None,
) -> GradeChange:
    """Set a source's grade and official flag, and keep the change in its history."""
    get_source(conn, source_id)  # raises SourceError for an unknown id
    when = when or utcnow()
    conn.execute(
        update(sources)
        .where(sources.c.id == source_id)
        .values(reliability=reliability, official=official)
    )
    result = conn.execute(
        insert(source_grades).values(
            source_id=source_id,
            reliability=reliability,
            official=official,
            reason=reason,
            changed_at=when,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return GradeChange(int(pk[0]), source_id, reliability, official, reason, when)


def grade_history(conn: Connection, source_id: int) -> list[GradeChange]:
    """Every grade change of a source, oldest first."""
    get_source(conn, source_id)
    return [
        GradeChange(r.id, r.source_id, r.reliability, bool(r.official), r.reason, r.changed_at)
        for r in conn.execute(
            select(source_grades)
            .where(source_grades.c.source_id == source_id)
            .order_by(source_grades.c.changed_at, source_grades.c.id)
        )
    ]


def record_source_result(
    conn: Connection,
    source_id: int,
    *,
    when: datetime,
    status: int | None,
    error: str | None,
    etag: str | None = None,
    last_modified: str | None = None,
    next_attempt_at: datetime | None = None,
) -> None:
    """Remember how the last fetch of a source went (validators only on success).

    ``next_attempt_at`` is when it is tried again (the caller's interval or backoff);
    a fetch clears any earlier refusal by policy.
    """
    values: dict[str, Any] = {
        "last_fetched_at": when,
        "last_status": status,
        "last_error": error,
        "next_attempt_at": next_attempt_at,
        "refused_policy": None,
    }
    if error is None:
        values["last_success_at"] = when
        values["consecutive_failures"] = 0
        if status != 304:
            values["etag"] = etag
            values["last_modified"] = last_modified
    else:
        values["consecutive_failures"] = sources.c.consecutive_failures + 1
    conn.execute(update(sources).where(sources.c.id == source_id).values(**values))


def record_source_refusal(
    conn: Connection, source_id: int, *, error: str, policy: str, next_attempt_at: datetime
) -> None:
    """Remember that the fetch policy *policy* refused the source before any request.

    Not a fetch: ``last_fetched_at`` stays as it was. It counts as a failure for the
    source's health, and a different policy makes the source due at once.
    """
    conn.execute(
        update(sources)
        .where(sources.c.id == source_id)
        .values(
            last_error=error,
            consecutive_failures=sources.c.consecutive_failures + 1,
            next_attempt_at=next_attempt_at,
            refused_policy=policy,
        )
    )


# --- raw documents -------------------------------------------------------------------


def store_raw(
    conn: Connection, result: FetchResult, *, purpose: RawPurpose, source_id: int | None
) -> int:
    """Keep the fetched bytes, compressed, before anything parses them."""
    body = result.content
    row = conn.execute(
        insert(raw_documents).values(
            source_id=source_id,
            purpose=RawPurpose(purpose).value,
            url=result.requested_url,
            final_url=result.url,
            status=result.status,
            headers=dict(result.headers),
            body=zlib.compress(body, 6),
            body_sha256=hashlib.sha256(body).hexdigest(),
            size=len(body),
            fetched_at=result.fetched_at,
        )
    )
    pk = row.inserted_primary_key
    assert pk is not None
    return int(pk[0])


@dataclass(frozen=True, slots=True)
class RawDocument:
    id: int
    source_id: int | None
    purpose: str
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    parsed_at: datetime | None

    def as_fetch_result(self) -> FetchResult:
        return FetchResult(
            requested_url=self.url,
            url=self.final_url,
            status=self.status,
            headers=self.headers,
            content=self.body,
            fetched_at=self.fetched_at,
        )


def _raw(row: Row[Any]) -> RawDocument:
    m = row._mapping
    return RawDocument(
        id=m["id"],
        source_id=m["source_id"],
        purpose=m["purpose"],
        url=m["url"],
        final_url=m["final_url"],
        status=m["status"],
        headers=dict(m["headers"] or {}),
        body=zlib.decompress(m["body"]),
        fetched_at=m["fetched_at"],
        parsed_at=m["parsed_at"],
    )


def get_raw(conn: Connection, raw_id: int) -> RawDocument:
    row = conn.execute(select(raw_documents).where(raw_documents.c.id == raw_id)).first()
    if row is None:
        from watchfloor.errors import StoreError

        raise StoreError(f"no raw document with id {raw_id}")
    return _raw(row)


def raw_documents_for(
    conn: Connection,
    *,
    source_id: int | None = None,
    unparsed_only: bool = False,
    purposes: Iterable[RawPurpose] = (RawPurpose.FEED, RawPurpose.PAGE, RawPurpose.GDELT),
) -> list[RawDocument]:
    """Raw documents in fetch order, for replay (reparse) or to finish a killed run."""
    query = select(raw_documents).where(
        raw_documents.c.purpose.in_([RawPurpose(p).value for p in purposes])
    )
    if source_id is not None:
        query = query.where(raw_documents.c.source_id == source_id)
    if unparsed_only:
        query = query.where(raw_documents.c.parsed_at.is_(None))
    return [_raw(r) for r in conn.execute(query.order_by(raw_documents.c.id))]


def mark_parsed(conn: Connection, raw_id: int, *, error: str | None = None) -> None:
    conn.execute(
        update(raw_documents)
        .where(raw_documents.c.id == raw_id)
        .values(parsed_at=utcnow(), parse_error=error)
    )


# --- rejects -------------------------------------------------------------------------


def add_reject(
    conn: Connection,
    *,
    stage: RejectStage,
    error: str,
    source_id: int | None = None,
    raw_id: int | None = None,
    article_id: int | None = None,
    url: str | None = None,
    detail: str | None = None,
) -> int:
    """Record something a stage refused, and why; nothing is dropped silently."""
    result = conn.execute(
        insert(rejects).values(
            stage=RejectStage(stage).value,
            error=error[:4000],
            source_id=source_id,
            raw_id=raw_id,
            article_id=article_id,
            url=url,
            detail=None if detail is None else detail[:20000],
            created_at=utcnow(),
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


@dataclass(frozen=True, slots=True)
class Reject:
    """One row of ``rejects``, with the name of its source when it has one."""

    id: int
    stage: str
    source_id: int | None
    raw_id: int | None
    article_id: int | None
    url: str | None
    error: str
    detail: str | None
    created_at: datetime
    resolved_at: datetime | None
    source_name: str | None


def list_rejects(
    conn: Connection,
    *,
    stage: str | None = None,
    source_id: int | None = None,
    include_resolved: bool = False,
    limit: int = 100,
) -> list[Reject]:
    query = (
        select(rejects, sources.c.name.label("source_name"))
        .select_from(rejects.outerjoin(sources, rejects.c.source_id == sources.c.id))
        .order_by(rejects.c.id.desc())
        .limit(limit)
    )
    if stage:
        query = query.where(rejects.c.stage == stage)
    if source_id is not None:
        query = query.where(rejects.c.source_id == source_id)
    if not include_resolved:
        query = query.where(rejects.c.resolved_at.is_(None))
    return [Reject(**r._mapping) for r in conn.execute(query)]


def resolve_rejects(conn: Connection, ids: Iterable[int]) -> None:
    conn.execute(update(rejects).where(rejects.c.id.in_(list(ids))).values(resolved_at=utcnow()))


# --- articles ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpsertOutcome:
    article_id: int
    status: UpsertStatus


@dataclass(frozen=True, slots=True)
class ItemToStore:
    """A parsed item with the keys deduplication needs."""

    item: ParsedItem
    canonical_url: str | None
    content_hash: str


def _is_global_guid(guid: str | None) -> bool:
    # A GUID with a scheme (https:, tag:, urn:) names the item everywhere; a bare
    # one such as "12345" only means something within its own source.
    return bool(guid) and ":" in str(guid)


@dataclass(slots=True)
class _Known:
    """What deduplication needs of an article, stored or about to be (id still None)."""

    id: int | None
    canonical_url: str | None
    guid: str | None
    source_id: int | None
    content_hash: str
    content: str
    date_estimated: bool


class _DuplicateIndex:
    """Stored articles that a batch of items might repeat, indexed by each key."""

    def __init__(self, rows: Iterable[_Known]) -> None:
        self.by_url: dict[str, _Known] = {}
        self.by_guid: dict[tuple[str, int | None], _Known] = {}
        self.by_hash: dict[str, _Known] = {}
        for row in sorted(rows, key=lambda r: r.id or 0):
            self.add(row)

    def add(self, row: _Known) -> None:
        if row.canonical_url:
            self.by_url.setdefault(row.canonical_url, row)
        if row.guid:
            scope = None if _is_global_guid(row.guid) else row.source_id
            self.by_guid.setdefault((row.guid, scope), row)
        self.by_hash.setdefault(row.content_hash, row)

    def find(self, entry: ItemToStore, source_id: int | None) -> _Known | None:
        """Strongest evidence first: canonical URL, then GUID, then content hash."""
        if entry.canonical_url and entry.canonical_url in self.by_url:
            return self.by_url[entry.canonical_url]
        guid = entry.item.guid
        if guid:
            scope = None if _is_global_guid(guid) else source_id
            if (guid, scope) in self.by_guid:
                return self.by_guid[(guid, scope)]
        return self.by_hash.get(entry.content_hash)


def _candidates(
    conn: Connection, entries: Sequence[ItemToStore], source_id: int | None
) -> list[_Known]:
    urls = {e.canonical_url for e in entries if e.canonical_url}
    hashes = {e.content_hash for e in entries}
    global_guids = {e.item.guid for e in entries if e.item.guid and _is_global_guid(e.item.guid)}
    local_guids = {e.item.guid for e in entries if e.item.guid and not _is_global_guid(e.item.guid)}
    found: dict[int, _Known] = {}
    if conn.dialect.name == "postgresql":
        # One statement with an array per key, whatever the batch size: its text stays
        # the same, so psycopg prepares it once instead of parsing 500-value IN lists.
        raw = conn.connection.driver_connection
        assert raw is not None
        select_known = (
            "SELECT id, canonical_url, guid, source_id, content_hash, content, "
            "date_estimated FROM articles WHERE "
        )
        with raw.cursor() as cur:
            # UNION ALL, not OR: each part is an index scan of its own key.
            cur.execute(
                f"{select_known} canonical_url = ANY(%s::text[]) "
                f"UNION ALL {select_known} content_hash = ANY(%s::text[]) "
                f"UNION ALL {select_known} guid = ANY(%s::text[]) "
                f"UNION ALL {select_known} guid = ANY(%s::text[]) AND source_id = %s::integer",
                [
                    sorted(urls),
                    sorted(hashes),
                    sorted(global_guids),
                    sorted(local_guids),
                    source_id,
                ],
            )
            for row in cur:
                found[row[0]] = _Known(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))
        return list(found.values())
    columns = (
        articles.c.id,
        articles.c.canonical_url,
        articles.c.guid,
        articles.c.source_id,
        articles.c.content_hash,
        articles.c.content,
        articles.c.date_estimated,
    )
    # One query per ~500 values (SQLite's variable limit is 999 on old builds), the keys
    # OR-ed together: each term uses its own index on both databases.
    conditions: list[ColumnElement[bool]] = []
    budget = 0

    def run() -> None:
        for row in conn.execute(select(*columns).where(or_(*conditions))):
            found[row.id] = _Known(
                id=row.id,
                canonical_url=row.canonical_url,
                guid=row.guid,
                source_id=row.source_id,
                content_hash=row.content_hash,
                content=row.content,
                date_estimated=bool(row.date_estimated),
            )
        conditions.clear()

    for column, values, extra in (
        (articles.c.canonical_url, urls, None),
        (articles.c.content_hash, hashes, None),
        (articles.c.guid, global_guids, None),
        (articles.c.guid, local_guids, articles.c.source_id == source_id),
    ):
        ordered = sorted(v for v in values if v)
        for i in range(0, len(ordered), 500):
            part = ordered[i : i + 500]
            if budget + len(part) > 500 and conditions:
                run()
                budget = 0
            condition: ColumnElement[bool] = column.in_(part)
            if extra is not None:
                condition = and_(condition, extra)
            conditions.append(condition)
            budget += len(part)
    if conditions:
        run()
    return list(found.values())


def upsert_articles(
    conn: Connection,
    entries: Sequence[ItemToStore],
    *,
    source_id: int | None,
    raw_id: int | None,
    seen_at: datetime,
    kind: SourceKind = SourceKind.FEED,
    language: str | None = None,
) -> list[UpsertOutcome]:
    """Store parsed items as articles, or as sightings of the articles they repeat.

    One look-up for the whole batch finds stored duplicates; items that repeat each
    other within the batch are caught too. Only the outlet that first published an
    item may revise it: the same story from another outlet is a sighting, not an edit.
    """
    index = _DuplicateIndex(_candidates(conn, entries, source_id))
    # (article, status) per entry; a new article's id is known only after the bulk insert.
    decided: list[tuple[_Known, UpsertStatus]] = []
    pending: list[tuple[_Known, dict[str, Any]]] = []
    for entry in entries:
        item = entry.item
        title = item.title.strip() or (item.url or "(untitled)")
        existing = index.find(entry, source_id)
        if existing is None:
            values = {
                "canonical_url": entry.canonical_url,
                "url": item.url,
                "guid": item.guid,
                "content_hash": entry.content_hash,
                "title": title,
                "summary": item.summary,
                "content": item.content,
                "author": item.author,
                "language": item.language or language,
                "tags": list(item.categories),
                "geo": [list(g) for g in item.geo],
                "kind": SourceKind(kind).value,
                "published_at": item.published or seen_at,
                "date_estimated": item.published is None,
                "first_seen_at": seen_at,
                "updated_at": seen_at,
                "source_id": source_id,
                "raw_id": raw_id,
            }
            known = _Known(
                id=None,
                canonical_url=entry.canonical_url,
                guid=item.guid,
                source_id=source_id,
                content_hash=entry.content_hash,
                content=item.content,
                date_estimated=item.published is None,
            )
            index.add(known)
            pending.append((known, values))
            decided.append((known, UpsertStatus.NEW))
        elif existing.id is None:
            decided.append((existing, UpsertStatus.UNCHANGED))  # repeated within this batch
        else:
            status = _revise(
                conn, existing, entry, title, source_id, seen_at=seen_at, raw_id=raw_id
            )
            decided.append((existing, status))
    if pending:
        # Ids first, then one bulk insert: SQLAlchemy's INSERT ... RETURNING in parameter
        # order runs row by row on SQLite.
        ids = reserve_ids(conn, articles, len(pending))
        for (known, values), new_id in zip(pending, ids, strict=True):
            known.id = values["id"] = new_id
        insert_rows(conn, articles, [values for _, values in pending])
    sighting_rows = [
        {
            "article_id": known.id,
            "source_id": source_id,
            "raw_id": raw_id,
            "url": entry.item.url,
            "guid": entry.item.guid,
            "title": entry.item.title.strip() or (entry.item.url or "(untitled)"),
            "seen_at": seen_at,
        }
        for entry, (known, _) in zip(entries, decided, strict=True)
    ]
    insert_rows(conn, sightings, sighting_rows, skip_conflicts=True)
    return [UpsertOutcome(int(known.id or 0), status) for known, status in decided]


def _revise(
    conn: Connection,
    existing: _Known,
    entry: ItemToStore,
    title: str,
    source_id: int | None,
    *,
    raw_id: int | None,
    seen_at: datetime,
) -> UpsertStatus:
    """Apply an edit by the item's own outlet; return whether it updated the article."""
    item = entry.item
    assert existing.id is not None
    same_origin = existing.source_id == source_id or (
        entry.canonical_url is not None and existing.canonical_url == entry.canonical_url
    )
    changes: dict[str, Any] = {}
    if same_origin and existing.content_hash != entry.content_hash:
        changes = {
            "title": title,
            "summary": item.summary,
            "content": item.content or existing.content,
            "content_hash": entry.content_hash,
            "updated_at": seen_at,
            "raw_id": raw_id,
            "enriched_version": None,
        }
        if item.published is not None:
            changes.update(published_at=item.published, date_estimated=False)
    elif existing.date_estimated and item.published is not None:
        changes = {"published_at": item.published, "date_estimated": False}
    if not changes:
        return UpsertStatus.UNCHANGED
    conn.execute(update(articles).where(articles.c.id == existing.id).values(**changes))
    if "content_hash" in changes:
        _drop_enrich_claim(conn, existing.id)
    # Later items in the same batch see the revision.
    existing.content_hash = changes.get("content_hash", existing.content_hash)
    existing.content = changes.get("content", existing.content)
    existing.date_estimated = changes.get("date_estimated", existing.date_estimated)
    return UpsertStatus.UPDATED if "content_hash" in changes else UpsertStatus.UNCHANGED


def upsert_article(
    conn: Connection,
    item: ParsedItem,
    *,
    canonical_url: str | None,
    content_hash: str,
    source_id: int | None,
    raw_id: int | None,
    seen_at: datetime,
    kind: SourceKind = SourceKind.FEED,
    language: str | None = None,
) -> UpsertOutcome:
    """Store one parsed item; see :func:`upsert_articles`."""
    return upsert_articles(
        conn,
        [ItemToStore(item, canonical_url, content_hash)],
        source_id=source_id,
        raw_id=raw_id,
        seen_at=seen_at,
        kind=kind,
        language=language,
    )[0]


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """Where an article's own page is, and which source brought it."""

    id: int
    url: str | None
    source_id: int | None


def article_links(conn: Connection, article_ids: Iterable[int]) -> list[ArticleLink]:
    """The URLs of these articles (for fetching their full text)."""
    rows = conn.execute(
        select(articles.c.id, articles.c.url, articles.c.source_id).where(
            articles.c.id.in_(list(article_ids))
        )
    )
    return [ArticleLink(r.id, r.url, r.source_id) for r in rows]


def set_fulltext(conn: Connection, article_id: int, *, text: str, raw_id: int) -> None:
    """Keep an article's fetched main text; it will be enriched again."""
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(content=text, fulltext_raw_id=raw_id, enriched_version=None)
    )
    _drop_enrich_claim(conn, article_id)


def _drop_enrich_claim(conn: Connection, article_id: int) -> None:
    """An enrich worker holding this article works on its old text: take the claim back,
    so the article is claimable again at once and that worker's write leaves it pending."""
    conn.execute(delete(enrich_claims).where(enrich_claims.c.article_id == article_id))


def count_rows(conn: Connection, table_name: str) -> int:
    table = {
        "articles": articles,
        "sightings": sightings,
        "sources": sources,
        "rejects": rejects,
        "raw_documents": raw_documents,
        "page_versions": page_versions,
    }[table_name]
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@dataclass(frozen=True, slots=True)
class ArticleHit:
    """An article found by a search: enough to list it."""

    id: int
    title: str
    url: str | None
    published_at: datetime


@dataclass(frozen=True, slots=True)
class Article:
    """One row of ``articles``."""

    id: int
    canonical_url: str | None
    url: str | None
    guid: str | None
    content_hash: str
    title: str
    summary: str
    content: str
    author: str | None
    language: str | None
    tags: list[str]
    geo: list[list[float]]
    kind: str
    published_at: datetime
    date_estimated: bool
    first_seen_at: datetime
    updated_at: datetime
    source_id: int | None
    raw_id: int | None
    fulltext_raw_id: int | None
    enriched_version: str | None
    enriched_at: datetime | None
    detected_language: str | None
    language_confidence: float | None
    cluster_id: str | None


def search_articles(conn: Connection, query: str, *, limit: int = 20) -> list[ArticleHit]:
    """Full-text search: FTS5 on SQLite, tsvector on PostgreSQL. Newest first."""
    # Typed result columns: SQLite would otherwise return the stored time as text.
    hit_columns = (articles.c.id, articles.c.title, articles.c.url, articles.c.published_at)
    if conn.dialect.name == "sqlite":
        # Quote every term so FTS5 operators in user input are treated as words.
        terms = " ".join('"' + t.replace('"', '""') + '"' for t in query.split())
        if not terms:
            return []
        rows = conn.execute(
            text(
                "SELECT a.id, a.title, a.url, a.published_at FROM articles_fts f "
                "JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH :q "
                "ORDER BY bm25(articles_fts), a.published_at DESC LIMIT :n"
            ).columns(*hit_columns),
            {"q": terms, "n": limit},
        )
    else:
        rows = conn.execute(
            text(
                "SELECT a.id, a.title, a.url, a.published_at FROM article_search s "
                "JOIN articles a ON a.id = s.article_id "
                "WHERE s.search @@ plainto_tsquery('simple', :q) "
                "ORDER BY ts_rank(s.search, plainto_tsquery('simple', :q)) DESC, "
                "a.published_at DESC LIMIT :n"
            ).columns(*hit_columns),
            {"q": query, "n": limit},
        )
    return [ArticleHit(r.id, r.title, r.url, r.published_at) for r in rows]


def list_articles(
    conn: Connection,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source_id: int | None = None,
    limit: int | None = None,
) -> list[Article]:
    query = select(articles).order_by(articles.c.published_at.desc(), articles.c.id.desc())
    if since is not None:
        query = query.where(articles.c.published_at >= since)
    if until is not None:
        query = query.where(articles.c.published_at < until)
    if source_id is not None:
        query = query.where(articles.c.source_id == source_id)
    if limit is not None:
        query = query.limit(limit)
    return [Article(**r._mapping) for r in conn.execute(query)]


# --- page versions -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageVersion:
    id: int
    source_id: int
    version: int
    title: str
    text: str
    text_hash: str
    page_date: datetime | None
    fetched_at: datetime
    raw_id: int | None


def _page(row: Row[Any]) -> PageVersion:
    m = row._mapping
    return PageVersion(
        id=m["id"],
        source_id=m["source_id"],
        version=m["version"],
        title=m["title"],
        text=m["text"],
        text_hash=m["text_hash"],
        page_date=m["page_date"],
        fetched_at=m["fetched_at"],
        raw_id=m["raw_id"],
    )


def page_versions_of(conn: Connection, source_id: int) -> list[PageVersion]:
    rows = conn.execute(
        select(page_versions)
        .where(page_versions.c.source_id == source_id)
        .order_by(page_versions.c.version)
    )
    return [_page(r) for r in rows]


def add_page_version(
    conn: Connection,
    *,
    source_id: int,
    raw_id: int | None,
    title: str,
    text: str,
    text_hash: str,
    page_date: datetime | None,
    fetched_at: datetime,
) -> PageVersion | None:
    """Keep a new version only when the text differs from the latest one."""
    latest = conn.execute(
        select(page_versions)
        .where(page_versions.c.source_id == source_id)
        .order_by(page_versions.c.version.desc())
        .limit(1)
    ).first()
    if latest is not None and latest._mapping["text_hash"] == text_hash:
        return None
    version = 1 if latest is None else int(latest._mapping["version"]) + 1
    result = conn.execute(
        insert(page_versions).values(
            source_id=source_id,
            raw_id=raw_id,
            version=version,
            title=title,
            text=text,
            text_hash=text_hash,
            page_date=page_date,
            fetched_at=fetched_at,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    row = conn.execute(select(page_versions).where(page_versions.c.id == int(pk[0]))).one()
    return _page(row)
