"""A demo store to enrich and a content snapshot of what enrichment left in it, shared by
the claim tests here and the parallel worker tests in tests/workers."""

from __future__ import annotations

from collections import defaultdict

from watchfloor.collect.run import collect
from watchfloor.config import load_settings
from watchfloor.services.demo import demo_sources
from watchfloor.store import queries as q
from watchfloor.store.db import Store


def fill_demo(store: Store) -> int:
    """Collect the demo week's feeds into *store* (no enrichment); return the articles."""
    with store.begin() as conn:
        for source in demo_sources():
            if source.kind != "feed":
                continue
            q.add_source(
                conn,
                url=str(source.path),
                kind="feed",
                name=source.name,
                countries=list(source.countries),
                every_seconds=1800,
                language=source.language,
            )
    collect(store, load_settings(env={}, overrides={"db": store.url}), force=True)
    with store.connect() as conn:
        return q.count_rows(conn, "articles")


_QUERIES = {
    "articles": "SELECT content_hash, title, detected_language, language_confidence,"
    " enriched_version FROM articles",
    "entities": 'SELECT a.content_hash, e.label, e.text, e.start, e."end" FROM article_entities e'
    " JOIN articles a ON a.id = e.article_id",
    "places": "SELECT a.content_hash, p.start, p.name, p.country, p.lat, p.lng FROM"
    " article_places p JOIN articles a ON a.id = p.article_id",
    "categories": "SELECT a.content_hash, c.category, c.confidence FROM article_categories c"
    " JOIN articles a ON a.id = c.article_id",
    "countries": "SELECT a.content_hash, c.country, c.score, c.is_about FROM article_countries c"
    " JOIN articles a ON a.id = c.article_id",
    "events": "SELECT a.content_hash, d.span_start, d.start_date, d.end_date, d.is_future FROM"
    " dated_events d JOIN articles a ON a.id = d.article_id",
    "claims": "SELECT article_id FROM enrich_claims",
}


def _plain(value: object) -> object:
    # The same on SQLite and PostgreSQL: booleans as 0/1, dates as text; scores pass
    # through float32 vectors, and 6 places keep what tells two results apart.
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, int) or value is None:
        return value
    return str(value)


def _rows(conn, sql: str) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    # sorted here, not by the database: PostgreSQL's collation orders text differently
    return sorted((tuple(_plain(v) for v in r) for r in conn.exec_driver_sql(sql)), key=repr)


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """What enrichment left, keyed by content rather than ids, with the story clusters as
    groups of articles (and each story's size and title)."""
    with store.connect() as conn:
        out = {k: _rows(conn, sql) for k, sql in _QUERIES.items()}
        groups: dict[str, list[str]] = defaultdict(list)
        for cid, digest in conn.exec_driver_sql("SELECT cluster_id, content_hash FROM articles"):
            groups[str(cid)].append(str(digest))
        out["stories"] = sorted(tuple(sorted(g)) for g in groups.values())
        out["clusters"] = _rows(conn, "SELECT title, size FROM clusters")
    return out
