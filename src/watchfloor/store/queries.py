"""Reading and writing the store. Every function takes an open Connection.

Writers do not commit: the caller's transaction decides what lands together, which
is what keeps a killed collect consistent.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, or_, select, text, update

from watchfloor.models import FetchResult, ParsedItem
from watchfloor.store.schema import (
    articles,
    page_versions,
    raw_documents,
    rejects,
    sightings,
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
    kind: str
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

    def is_due(self, now: datetime) -> bool:
        if not self.enabled:
            return False
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
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _source(row: Row[Any]) -> Source:
    m = row._mapping
    return Source(
        id=m["id"],
        url=m["url"],
        kind=m["kind"],
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
    )


def add_source(
    conn: Connection,
    *,
    url: str,
    kind: str,
    name: str,
    countries: Sequence[str],
    every_seconds: int,
    language: str | None = None,
) -> tuple[Source, bool]:
    """Register a source; return it and whether it was new (same URL → updated)."""
    existing = conn.execute(select(sources).where(sources.c.url == url)).first()
    values = {
        "kind": kind,
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


def record_source_result(
    conn: Connection,
    source_id: int,
    *,
    when: datetime,
    status: int | None,
    error: str | None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> None:
    """Remember how the last fetch of a source went (validators only on success)."""
    values: dict[str, Any] = {"last_fetched_at": when, "last_status": status, "last_error": error}
    if error is None:
        values["last_success_at"] = when
        values["consecutive_failures"] = 0
        if status != 304:
            values["etag"] = etag
            values["last_modified"] = last_modified
    else:
        values["consecutive_failures"] = sources.c.consecutive_failures + 1
    conn.execute(update(sources).where(sources.c.id == source_id).values(**values))


# --- raw documents -------------------------------------------------------------------


def store_raw(conn: Connection, result: FetchResult, *, purpose: str, source_id: int | None) -> int:
    """Keep the fetched bytes, compressed, before anything parses them."""
    body = result.content
    row = conn.execute(
        insert(raw_documents).values(
            source_id=source_id,
            purpose=purpose,
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
    purposes: Iterable[str] = ("feed", "page", "gdelt"),
) -> list[RawDocument]:
    """Raw documents in fetch order, for replay (reparse) or to finish a killed run."""
    query = select(raw_documents).where(raw_documents.c.purpose.in_(list(purposes)))
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
    stage: str,
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
            stage=stage,
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


def list_rejects(
    conn: Connection,
    *,
    stage: str | None = None,
    source_id: int | None = None,
    include_resolved: bool = False,
    limit: int = 100,
) -> list[dict[str, Any]]:
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
    return [dict(r._mapping) for r in conn.execute(query)]


def resolve_rejects(conn: Connection, ids: Iterable[int]) -> None:
    conn.execute(update(rejects).where(rejects.c.id.in_(list(ids))).values(resolved_at=utcnow()))


# --- articles ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UpsertOutcome:
    article_id: int
    status: str  # "new", "updated" or "unchanged"


def find_duplicate(
    conn: Connection,
    *,
    canonical_url: str | None,
    guid: str | None,
    content_hash: str,
    source_id: int | None = None,
) -> Row[Any] | None:
    """The stored article this item repeats: same canonical URL, GUID or content hash.

    A GUID that is a URL or URN (it has a scheme) is global; a bare one such as
    ``12345`` only identifies an item within its own source.
    """
    conditions = [articles.c.content_hash == content_hash]
    if canonical_url:
        conditions.append(articles.c.canonical_url == canonical_url)
    if guid and ":" in guid:
        conditions.append(articles.c.guid == guid)
    elif guid and source_id is not None:
        conditions.append(and_(articles.c.guid == guid, articles.c.source_id == source_id))
    rows = conn.execute(
        select(articles).where(or_(*conditions)).order_by(articles.c.id).limit(20)
    ).all()
    if not rows:
        return None
    # Prefer the strongest evidence: URL, then GUID, then content.
    for row in rows:
        if canonical_url and row._mapping["canonical_url"] == canonical_url:
            return row
    for row in rows:
        if guid and row._mapping["guid"] == guid:
            if ":" in guid or row._mapping["source_id"] == source_id:
                return row
    for row in rows:
        if row._mapping["content_hash"] == content_hash:
            return row
    return None


def upsert_article(
    conn: Connection,
    item: ParsedItem,
    *,
    canonical_url: str | None,
    content_hash: str,
    source_id: int | None,
    raw_id: int | None,
    seen_at: datetime,
    kind: str = "feed",
    language: str | None = None,
) -> UpsertOutcome:
    """Store one parsed item as an article, or as a sighting of the article it repeats."""
    existing = find_duplicate(
        conn,
        canonical_url=canonical_url,
        guid=item.guid,
        content_hash=content_hash,
        source_id=source_id,
    )
    title = item.title.strip() or (item.url or "(untitled)")
    if existing is None:
        result = conn.execute(
            insert(articles).values(
                canonical_url=canonical_url,
                url=item.url,
                guid=item.guid,
                content_hash=content_hash,
                title=title,
                summary=item.summary,
                content=item.content,
                author=item.author,
                language=item.language or language,
                tags=list(item.categories),
                geo=[list(g) for g in item.geo],
                kind=kind,
                published_at=item.published or seen_at,
                date_estimated=item.published is None,
                first_seen_at=seen_at,
                updated_at=seen_at,
                source_id=source_id,
                raw_id=raw_id,
            )
        )
        pk = result.inserted_primary_key
        assert pk is not None
        article_id, status = int(pk[0]), "new"
    else:
        m = existing._mapping
        article_id = int(m["id"])
        status = "unchanged"
        changes: dict[str, Any] = {}
        # Only the outlet that first published the item may revise it; a copy of the
        # story elsewhere is recorded as a sighting, not as an edit.
        same_origin = m["source_id"] == source_id or (
            canonical_url is not None and m["canonical_url"] == canonical_url
        )
        if same_origin and m["content_hash"] != content_hash:
            changes = {
                "title": title,
                "summary": item.summary,
                "content": item.content or m["content"],
                "content_hash": content_hash,
                "updated_at": seen_at,
                "raw_id": raw_id,
                "enriched_version": None,
            }
            if item.published is not None:
                changes["published_at"] = item.published
                changes["date_estimated"] = False
        if m["date_estimated"] and item.published is not None and "published_at" not in changes:
            changes.update(published_at=item.published, date_estimated=False)
        if changes:
            conn.execute(update(articles).where(articles.c.id == article_id).values(**changes))
            status = "updated" if "content_hash" in changes else "unchanged"
    already = conn.execute(
        select(sightings.c.id).where(
            and_(
                sightings.c.article_id == article_id,
                sightings.c.source_id == source_id
                if source_id is not None
                else sightings.c.source_id.is_(None),
                sightings.c.raw_id == raw_id
                if raw_id is not None
                else sightings.c.raw_id.is_(None),
            )
        )
    ).first()
    if already is None:
        conn.execute(
            insert(sightings).values(
                article_id=article_id,
                source_id=source_id,
                raw_id=raw_id,
                url=item.url,
                guid=item.guid,
                title=title,
                seen_at=seen_at,
            )
        )
    return UpsertOutcome(article_id, status)


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


def search_articles(conn: Connection, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Full-text search: FTS5 on SQLite, tsvector on PostgreSQL. Newest first."""
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
            ),
            {"q": terms, "n": limit},
        )
    else:
        rows = conn.execute(
            text(
                "SELECT id, title, url, published_at FROM articles "
                "WHERE search @@ plainto_tsquery('simple', :q) "
                "ORDER BY ts_rank(search, plainto_tsquery('simple', :q)) DESC, "
                "published_at DESC LIMIT :n"
            ),
            {"q": query, "n": limit},
        )
    return [dict(r._mapping) for r in rows]


def list_articles(
    conn: Connection,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source_id: int | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    query = select(articles).order_by(articles.c.published_at.desc(), articles.c.id.desc())
    if since is not None:
        query = query.where(articles.c.published_at >= since)
    if until is not None:
        query = query.where(articles.c.published_at < until)
    if source_id is not None:
        query = query.where(articles.c.source_id == source_id)
    if limit is not None:
        query = query.limit(limit)
    return [dict(r._mapping) for r in conn.execute(query)]


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


def dumps(value: Any) -> str:
    """JSON for the CLI's --json output (datetimes as ISO 8601)."""
    return json.dumps(
        value,
        default=lambda v: v.isoformat() if isinstance(v, datetime) else str(v),
        ensure_ascii=False,
        indent=2,
    )
