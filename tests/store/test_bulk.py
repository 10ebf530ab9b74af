"""The store's bulk write paths on SQLite and PostgreSQL: a backlog imported in batches
is searchable, and importing it again changes nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import func, select

from watchfloor.models import FetchResult, ParsedItem
from watchfloor.models.records import RawPurpose, UpsertStatus
from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.enrichment import (
    CategoryRow,
    CountryRow,
    EnrichmentRows,
    write_enrichments,
)
from watchfloor.store.schema import (
    article_categories,
    article_countries,
    articles,
    sightings,
)
from watchfloor.store.web import SearchFilters, search

T0 = datetime(2026, 4, 27, 8, 0, tzinfo=UTC)
#: More than the 500 ids SQLite's statements take at once, so batches are cut.
N = 620


def _source_and_raw(conn, n: int) -> tuple[int, int]:
    source, _ = q.add_source(
        conn,
        url=f"https://feed{n}.example/rss",
        kind="feed",
        name=f"Feed {n}",
        countries=["MN"],
        every_seconds=1800,
    )
    raw = q.store_raw(
        conn,
        FetchResult(
            requested_url=source.url,
            url=source.url,
            status=200,
            headers={},
            content=b"<rss/>",
            fetched_at=T0,
        ),
        purpose=RawPurpose.FEED,
        source_id=source.id,
    )
    return source.id, raw


def _word(i: int) -> str:
    """A word only article *i* has, unique in its first letters too (the web search
    matches by prefix)."""
    return "".join(chr(97 + i // 26**k % 26) for k in range(3)) + "zqx"


def _items(start: int = 0, n: int = N) -> list[q.ItemToStore]:
    out = []
    for i in range(start, start + n):
        url = f"https://news.example/a/{i}"
        word = _word(i)
        item = ParsedItem(
            title=f"Herders report snow number {i}",
            url=url,
            summary=f"Marker {word} in the summary.",
            content=f"Rescuers reached the district after the storm. Marker {word}.",
            published=T0 + timedelta(minutes=i),
        )
        out.append(q.ItemToStore(item, url, hashlib.sha256(url.encode()).hexdigest()))
    return out


def _annotations(ids: list[int], version: str = "v1") -> list[EnrichmentRows]:
    return [
        EnrichmentRows(
            article_id=i,
            detected_language="en",
            language_confidence=0.9,
            cluster_id=f"c{i}",
            enriched_version=version,
            entities=(),
            places=(),
            categories=[CategoryRow("disaster_public_health", 0.8)],
            countries=[CountryRow("MN", 0.9, True), CountryRow("CN", 0.2, False)],
            events=(),
        )
        for i in ids
    ]


def _counts(store: Store) -> dict[str, int]:
    with store.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in (articles, sightings, article_categories, article_countries)
        }


def _import(store: Store, source_id: int, raw_id: int, items) -> list[q.UpsertOutcome]:
    with store.begin() as conn:
        done = q.upsert_articles(
            conn, items, source_id=source_id, raw_id=raw_id, seen_at=T0, language="en"
        )
        write_enrichments(conn, _annotations([d.article_id for d in done]))
    return done


def test_a_backlog_imported_in_bulk_is_searchable_and_enriched(any_store: Store) -> None:
    with any_store.begin() as conn:
        source_id, raw_id = _source_and_raw(conn, 1)
    done = _import(any_store, source_id, raw_id, _items())
    assert [d.status for d in done] == [UpsertStatus.NEW] * N
    assert len({d.article_id for d in done}) == N
    assert _counts(any_store) == {
        "articles": N,
        "sightings": N,
        "article_categories": N,
        "article_countries": 2 * N,
    }
    with any_store.connect() as conn:
        # The first, the last and one past SQLite's 500-id cut, by their own word.
        for i in (0, 501, N - 1):
            hits = q.search_articles(conn, _word(i))
            assert [h.url for h in hits] == [f"https://news.example/a/{i}"]
        web_hits = search(conn, SearchFilters(query=_word(N - 1)))
        assert [h.id for h in web_hits] == [done[-1].article_id]
        rows = conn.execute(
            select(articles.c.enriched_version, articles.c.cluster_id, articles.c.enriched_at)
            .where(articles.c.id.in_([done[0].article_id, done[-1].article_id]))
            .order_by(articles.c.id)
        ).all()
    assert [(r[0], r[1]) for r in rows] == [
        ("v1", f"c{done[0].article_id}"),
        ("v1", f"c{done[-1].article_id}"),
    ]
    assert all(r[2] is not None and r[2].tzinfo is not None for r in rows)


def test_importing_the_same_backlog_again_changes_nothing(any_store: Store) -> None:
    with any_store.begin() as conn:
        source_id, raw_id = _source_and_raw(conn, 1)
    first = _import(any_store, source_id, raw_id, _items())
    before = _counts(any_store)
    again = _import(any_store, source_id, raw_id, _items())
    assert [d.article_id for d in again] == [d.article_id for d in first]
    assert {d.status for d in again} == {UpsertStatus.UNCHANGED}
    assert _counts(any_store) == before
    with any_store.connect() as conn:
        assert len(q.search_articles(conn, _word(7))) == 1


def test_a_second_source_adds_sightings_not_articles(any_store: Store) -> None:
    with any_store.begin() as conn:
        a, raw_a = _source_and_raw(conn, 1)
        b, raw_b = _source_and_raw(conn, 2)
    first = _import(any_store, a, raw_a, _items())
    again = _import(any_store, b, raw_b, _items(start=N - 10, n=20))
    assert [d.article_id for d in again[:10]] == [d.article_id for d in first[-10:]]
    counts = _counts(any_store)
    assert counts["articles"] == N + 10
    assert counts["sightings"] == N + 20


def test_search_follows_a_revised_and_a_deleted_article(any_store: Store) -> None:
    with any_store.begin() as conn:
        source_id, raw_id = _source_and_raw(conn, 1)
    done = _import(any_store, source_id, raw_id, _items(n=3))
    revised = _items(n=1)[0]
    item = ParsedItem(
        title="Herders report a thaw",
        url=revised.item.url,
        summary="Marker qqrevisedq now.",
        content="The snow melted.",
        published=revised.item.published,
    )
    with any_store.begin() as conn:
        out = q.upsert_articles(
            conn,
            [q.ItemToStore(item, revised.canonical_url, "changed")],
            source_id=source_id,
            raw_id=raw_id,
            seen_at=T0,
        )
        assert out[0].status == UpsertStatus.UPDATED
        conn.execute(articles.delete().where(articles.c.id == done[1].article_id))
    with any_store.connect() as conn:
        assert [h.id for h in q.search_articles(conn, "qqrevisedq")] == [done[0].article_id]
        assert q.search_articles(conn, _word(0)) == []
        assert q.search_articles(conn, _word(1)) == []
        assert [h.id for h in q.search_articles(conn, _word(2))] == [done[2].article_id]


def test_m012_keeps_the_search_of_stored_articles(pg_server_url: str) -> None:
    """Upgrading a PostgreSQL store from m011 moves every article's vector to
    ``article_search``: what was found before is found after."""
    import uuid

    import psycopg

    name = f"wf_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    store = Store(f"{pg_server_url.rpartition('/')[0]}/{name}")
    try:
        cfg = Config()
        cfg.set_main_option(
            "script_location", str(resources.files("watchfloor.store").joinpath("migrations"))
        )
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "m011")
        with store.begin() as conn:
            source_id, raw_id = _source_and_raw(conn, 1)
            q.upsert_articles(conn, _items(n=5), source_id=source_id, raw_id=raw_id, seen_at=T0)
        assert store.init() >= "m012"
        with store.connect() as conn:
            assert [h.url for h in q.search_articles(conn, _word(3))] == [
                "https://news.example/a/3"
            ]
            assert conn.exec_driver_sql("SELECT count(*) FROM article_search").scalar() == 5
    finally:
        store.dispose()
        with psycopg.connect(pg_server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
