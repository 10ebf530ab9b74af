"""The store on SQLite and PostgreSQL: migrations, dedupe, raw bytes, search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select

from tests.migrations import store_at
from watchfloor.errors import StoreError
from watchfloor.models import FetchResult, ParsedItem
from watchfloor.models.records import RawPurpose, RejectStage
from watchfloor.store import queries as q
from watchfloor.store.db import Store, normalize_db_url
from watchfloor.store.schema import articles, metadata

T0 = datetime(2026, 4, 27, 8, 0, tzinfo=UTC)


def _source(conn, url="https://example.org/feed.xml", countries=("MN",)):
    source, _ = q.add_source(
        conn, url=url, kind="feed", name="Example", countries=list(countries), every_seconds=1800
    )
    return source


def _raw(conn, source_id, body=b"<rss/>"):
    result = FetchResult(
        requested_url="https://example.org/feed.xml",
        url="https://example.org/feed.xml",
        status=200,
        headers={"etag": '"v1"', "content-type": "application/rss+xml"},
        content=body,
        fetched_at=T0,
    )
    return q.store_raw(conn, result, purpose=RawPurpose.FEED, source_id=source_id)


def _upsert(conn, item, source_id, raw_id, *, canonical=None, digest="h1", seen=T0):
    return q.upsert_article(
        conn,
        item,
        canonical_url=canonical,
        content_hash=digest,
        source_id=source_id,
        raw_id=raw_id,
        seen_at=seen,
    )


def test_init_is_idempotent_and_records_the_revision(any_store: Store) -> None:
    first = any_store.revision()
    assert first == any_store.init() == any_store.revision()
    with any_store.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= tables
    assert "_migrations" in tables


def test_schema_module_matches_the_migrated_columns(any_store: Store) -> None:
    with any_store.connect() as conn:
        inspector = inspect(conn)
        for table in metadata.sorted_tables:
            migrated = {c["name"] for c in inspector.get_columns(table.name)}
            described = {c.name for c in table.columns}
            # PostgreSQL adds the generated full-text column 'search' to articles.
            assert described <= migrated, table.name
            assert migrated - described <= {"search"}, table.name


def test_raw_bytes_round_trip_compressed(any_store: Store) -> None:
    body = ("<rss>" + "Улаанбаатар " * 500 + "</rss>").encode()
    with any_store.begin() as conn:
        source = _source(conn)
        raw_id = _raw(conn, source.id, body)
    with any_store.connect() as conn:
        raw = q.get_raw(conn, raw_id)
        stored = conn.exec_driver_sql(
            f"SELECT size, length(body) FROM raw_documents WHERE id = {raw_id}"
        ).one()
    assert raw.body == body
    assert raw.headers["etag"] == '"v1"'
    assert raw.fetched_at == T0 and raw.fetched_at.tzinfo is not None
    assert stored[0] == len(body) and stored[1] < len(body) / 5
    assert raw.parsed_at is None


def test_same_story_in_two_feeds_is_one_article_with_two_sightings(any_store: Store) -> None:
    item = ParsedItem(
        title="Border crossing extends hours", url="https://a.example/s/1?utm_source=x"
    )
    with any_store.begin() as conn:
        a = _source(conn, "https://a.example/feed")
        b = _source(conn, "https://b.example/feed")
        first = _upsert(conn, item, a.id, _raw(conn, a.id), canonical="https://a.example/s/1")
        again = _upsert(conn, item, b.id, _raw(conn, b.id), canonical="https://a.example/s/1")
    assert first.status == "new" and again.status == "unchanged"
    assert first.article_id == again.article_id
    with any_store.connect() as conn:
        assert q.count_rows(conn, "articles") == 1
        assert q.count_rows(conn, "sightings") == 2


def test_refetching_the_same_document_adds_no_duplicate_sighting(any_store: Store) -> None:
    item = ParsedItem(title="One", url="https://a.example/1", guid="https://a.example/1")
    with any_store.begin() as conn:
        s = _source(conn)
        raw_id = _raw(conn, s.id)
        _upsert(conn, item, s.id, raw_id, canonical="https://a.example/1")
        _upsert(conn, item, s.id, raw_id, canonical="https://a.example/1")
        assert q.count_rows(conn, "sightings") == 1


def test_bare_guid_only_matches_within_its_source(any_store: Store) -> None:
    one = ParsedItem(title="Story A", guid="1001")
    two = ParsedItem(title="Story B", guid="1001")
    with any_store.begin() as conn:
        a = _source(conn, "https://a.example/feed")
        b = _source(conn, "https://b.example/feed")
        first = _upsert(conn, one, a.id, _raw(conn, a.id), digest="ha")
        second = _upsert(conn, two, b.id, _raw(conn, b.id), digest="hb")
    assert first.article_id != second.article_id


def test_content_hash_joins_a_copy_without_url(any_store: Store) -> None:
    with any_store.begin() as conn:
        a = _source(conn, "https://a.example/feed")
        b = _source(conn, "https://b.example/feed")
        first = _upsert(conn, ParsedItem(title="X"), a.id, _raw(conn, a.id), digest="same")
        second = _upsert(conn, ParsedItem(title="X"), b.id, _raw(conn, b.id), digest="same")
    assert first.article_id == second.article_id


def test_edit_by_the_origin_updates_the_article(any_store: Store) -> None:
    url = "https://a.example/1"
    with any_store.begin() as conn:
        s = _source(conn)
        r1 = _raw(conn, s.id)
        _upsert(conn, ParsedItem(title="Draft", url=url), s.id, r1, canonical=url, digest="h1")
        r2 = _raw(conn, s.id, b"<rss>2</rss>")
        edited = ParsedItem(title="Final title", url=url, published=T0)
        out = _upsert(conn, edited, s.id, r2, canonical=url, digest="h2")
        row = conn.execute(select(articles).where(articles.c.id == out.article_id)).one()
    assert out.status == "updated"
    assert row.title == "Final title" and row.content_hash == "h2"


def test_item_without_date_gets_first_seen_time_and_a_flag(any_store: Store) -> None:
    with any_store.begin() as conn:
        s = _source(conn)
        out = _upsert(conn, ParsedItem(title="Undated"), s.id, _raw(conn, s.id))
        row = conn.execute(select(articles).where(articles.c.id == out.article_id)).one()
    assert row.date_estimated is True
    assert row.published_at == T0


def test_full_text_search_finds_words_in_any_script(any_store: Store) -> None:
    with any_store.begin() as conn:
        s = _source(conn)
        raw_id = _raw(conn, s.id)
        _upsert(
            conn,
            ParsedItem(title="Zamiin-Uud crossing", summary="cargo hours"),
            s.id,
            raw_id,
            digest="1",
        )
        _upsert(
            conn,
            ParsedItem(title="Замын-Үүд боомт", summary="ачаа тээвэр"),
            s.id,
            raw_id,
            digest="2",
        )
        _upsert(
            conn,
            ParsedItem(title="Unrelated", summary='fts "operators" AND NOT'),
            s.id,
            raw_id,
            digest="3",
        )
    with any_store.connect() as conn:
        (hit,) = q.search_articles(conn, "cargo")
        assert hit.title == "Zamiin-Uud crossing"
        assert isinstance(hit.published_at, datetime) and hit.published_at.tzinfo is not None
        assert [r.title for r in q.search_articles(conn, "боомт")] == ["Замын-Үүд боомт"]
        assert len(q.search_articles(conn, 'AND "NOT')) <= 1  # user input is not syntax


def test_page_versions_kept_only_when_text_changes(any_store: Store) -> None:
    with any_store.begin() as conn:
        s, _ = q.add_source(
            conn,
            url="https://gov.example/p",
            kind="page",
            name="P",
            countries=["MN"],
            every_seconds=86400,
        )
        v1 = q.add_page_version(
            conn,
            source_id=s.id,
            raw_id=None,
            title="P",
            text="a",
            text_hash="ha",
            page_date=None,
            fetched_at=T0,
        )
        same = q.add_page_version(
            conn,
            source_id=s.id,
            raw_id=None,
            title="P",
            text="a",
            text_hash="ha",
            page_date=None,
            fetched_at=T0,
        )
        v2 = q.add_page_version(
            conn,
            source_id=s.id,
            raw_id=None,
            title="P",
            text="b",
            text_hash="hb",
            page_date=None,
            fetched_at=T0 + timedelta(days=1),
        )
    assert v1 is not None and v1.version == 1
    assert same is None
    assert v2 is not None and v2.version == 2


def test_rejects_are_listed_newest_first_and_resolvable(any_store: Store) -> None:
    with any_store.begin() as conn:
        s = _source(conn)
        first = q.add_reject(conn, stage=RejectStage.PARSE, error="bad xml", source_id=s.id)
        q.add_reject(conn, stage=RejectStage.ITEM, error="no title", source_id=s.id)
        q.resolve_rejects(conn, [first])
    with any_store.connect() as conn:
        open_ = q.list_rejects(conn)
        everything = q.list_rejects(conn, include_resolved=True)
    assert [r.error for r in open_] == ["no title"]
    assert [r.error for r in everything] == ["no title", "bad xml"]
    assert open_[0].source_name == "Example"


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive datetime"), store.begin() as conn:
        s = _source(conn)
        _upsert(conn, ParsedItem(title="x"), s.id, None, seen=datetime(2026, 1, 1))


def test_uninitialised_database_says_what_to_run(tmp_path) -> None:
    s = Store(str(tmp_path / "empty.db"))
    with pytest.raises(StoreError, match="watchfloor init"):
        s.check_ready()


def test_missing_folder_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "nope" / "x.db")).init()


def test_database_urls_are_normalised() -> None:
    assert normalize_db_url("wf.db") == "sqlite:///wf.db"
    assert normalize_db_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_db_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"


def test_sqlite_runs_in_wal_mode(store: Store) -> None:
    with store.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_source_grades_migration_keeps_every_article_linked_to_its_source(tmp_path) -> None:
    """m004 adds columns to ``sources`` in place: a copy of the table would, on SQLite with
    foreign keys on, set every article's source_id to NULL when the old table is dropped."""
    store = store_at(tmp_path / "old.db", "m003")
    assert store.init() >= "m004"  # upgraded to head, past the migration under test
    with store.connect() as conn:
        assert conn.execute(select(articles.c.source_id)).scalar() == 1
        source = q.get_source(conn, 1)
    assert (source.reliability, source.official) == ("F", False)
    store.dispose()
