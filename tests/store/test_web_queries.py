"""The web app's queries on SQLite and PostgreSQL: prefix-stem search with filters, jobs
that cannot run twice, the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from watchfloor.models import ParsedItem
from watchfloor.store import queries as q
from watchfloor.store import web as w
from watchfloor.store.db import Store

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def _articles(store: Store) -> dict[str, int]:
    items = {
        "ru": ParsedItem(
            title="Протестующие собрались в Москве",
            summary="Полиция Москвы сообщила о задержаниях.",
            published=T0,
            language="ru",
            url="https://a.example/ru",
        ),
        "mn": ParsedItem(
            title="Улаанбаатарт жагсаал боллоо",
            summary="Хотын төвд олон хүн цугларав.",
            published=T0 + timedelta(days=1),
            language="mn",
            url="https://a.example/mn",
        ),
        "en": ParsedItem(
            title="Flooding closes the road to Darkhan",
            summary="Rescuers evacuated villages.",
            published=T0 + timedelta(days=2),
            language="en",
            url="https://b.example/en",
        ),
    }
    ids = {}
    with store.begin() as conn:
        a, _ = q.add_source(
            conn,
            url="https://a.example/f",
            kind="feed",
            name="A",
            countries=["MN"],
            every_seconds=60,
        )
        b, _ = q.add_source(
            conn,
            url="https://b.example/f",
            kind="feed",
            name="B",
            countries=["MN"],
            every_seconds=60,
        )
        for key, item in items.items():
            source = b if key == "en" else a
            ids[key] = q.upsert_article(
                conn,
                item,
                canonical_url=item.url,
                content_hash=key,
                source_id=source.id,
                raw_id=None,
                seen_at=T0,
            ).article_id
    return ids


def _search(store: Store, **kw) -> list[int]:
    with store.connect() as conn:
        return [h.id for h in w.search(conn, w.SearchFilters(**kw))]


def test_inflected_forms_are_found_by_their_stem(any_store: Store) -> None:
    ids = _articles(any_store)
    assert _search(any_store, query="Москва") == [ids["ru"]]
    assert _search(any_store, query="москвой") == [ids["ru"]]
    assert _search(any_store, query="Улаанбаатараас") == [ids["mn"]]
    assert _search(any_store, query="flood") == [ids["en"]]
    assert _search(any_store, query="Москва flood") == []  # every word must match
    assert _search(any_store, query='" OR 1=1 --') == []  # operators are words


def test_filters_combine(any_store: Store) -> None:
    ids = _articles(any_store)
    assert _search(any_store) == [ids["en"], ids["mn"], ids["ru"]]  # newest first
    assert _search(any_store, language="ru") == [ids["ru"]]
    assert _search(any_store, since=T0 + timedelta(hours=12)) == [ids["en"], ids["mn"]]
    assert _search(any_store, until=T0 + timedelta(hours=12)) == [ids["ru"]]
    with any_store.connect() as conn:
        source_b = next(s.id for s in q.list_sources(conn) if s.name == "B")
    assert _search(any_store, source_id=source_b) == [ids["en"]]
    # Not enriched: no country, category or security news yet.
    assert _search(any_store, country="MN") == []
    assert _search(any_store, security=True) == []
    assert len(_search(any_store, security=False)) == 3
    assert _search(any_store, limit=1, offset=1) == [ids["mn"]]


def test_a_job_key_is_held_while_it_runs(any_store: Store) -> None:
    with any_store.begin() as conn:
        first, created = w.start_job(
            conn, kind="report", key="report:MN", params={"country": "MN"}, actor="t"
        )
        again, created_again = w.start_job(
            conn, kind="report", key="report:MN", params={}, actor="t"
        )
        other, created_other = w.start_job(
            conn, kind="report", key="report:RU", params={}, actor="t"
        )
    assert created and not created_again and created_other
    assert again.id == first.id and other.id != first.id
    with any_store.begin() as conn:
        w.update_job(conn, first.id, stage="report", done=1, total=2, message="half")
        running = w.get_job(conn, first.id)
        w.finish_job(conn, first.id, result={"report_id": 7})
        done = w.get_job(conn, first.id)
        later, created_later = w.start_job(
            conn, kind="report", key="report:MN", params={}, actor="t"
        )
    assert running is not None and (running.status, running.done, running.total) == (
        "running",
        1,
        2,
    )
    assert done is not None and done.finished and done.result == {"report_id": 7}
    assert created_later and later.id != first.id


def test_the_audit_log_keeps_every_write_newest_first(any_store: Store) -> None:
    with any_store.begin() as conn:
        w.record_audit(
            conn,
            actor="bearer",
            remote="127.0.0.1",
            action="add_source",
            target="https://x.example/f",
            outcome="ok",
            detail={"source_id": 1},
        )
        w.record_audit(
            conn,
            actor="anonymous",
            remote="127.0.0.1",
            action="report",
            target="/api/jobs",
            outcome="refused",
        )
    with any_store.connect() as conn:
        entries = w.list_audit(conn)
    assert [(e.action, e.outcome) for e in entries] == [("report", "refused"), ("add_source", "ok")]
    assert entries[1].detail == {"source_id": 1} and entries[0].at.tzinfo is not None
