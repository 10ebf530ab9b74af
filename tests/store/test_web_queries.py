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


def _enriched(store: Store, n: int = 30) -> list[dict]:
    """*n* articles, three at each publication time (ties broken by id), every other one
    about MN, every third in military_defence; the even ones mention a convoy."""
    from watchfloor.store.schema import article_categories, article_countries

    rows = []
    with store.begin() as conn:
        source, _ = q.add_source(
            conn, url="https://c.example/f", kind="feed", name="C", countries=["MN"],
            every_seconds=60,
        )  # fmt: skip
        for i in range(n):
            words = "convoy stopped at the border" if i % 2 == 0 else "talks on trade"
            item = ParsedItem(
                title=f"Story {i}: {words}",
                summary=words,
                published=T0 + timedelta(hours=i // 3),
                language="en",
                url=f"https://c.example/{i}",
            )
            aid = q.upsert_article(
                conn, item, canonical_url=item.url, content_hash=f"h{i}",
                source_id=source.id, raw_id=None, seen_at=T0,
            ).article_id  # fmt: skip
            about = i % 2 == 0
            conn.execute(
                article_countries.insert().values(
                    article_id=aid, country="MN", score=0.9 if about else 0.2, is_about=about
                )
            )
            if i % 3 == 0:
                conn.execute(
                    article_categories.insert().values(
                        article_id=aid, category="military_defence", confidence=0.8
                    )
                )
            rows.append({"id": aid, "published": item.published, "mn": about, "mil": i % 3 == 0,
                         "convoy": i % 2 == 0, "cluster": f"k{i // 4}"})  # fmt: skip
    return rows


def _newest(rows: list[dict]) -> list[int]:
    return [r["id"] for r in sorted(rows, key=lambda r: (r["published"], r["id"]), reverse=True)]


def test_filtered_search_pages_newest_first_with_ties_by_id(any_store: Store) -> None:
    rows = _enriched(any_store)
    want = _newest([r for r in rows if r["mn"] and r["mil"] and r["convoy"]])
    assert len(want) == 5
    kw = {"query": "convoys", "country": "MN", "category": "military_defence"}
    assert _search(any_store, **kw) == want
    assert _search(any_store, **kw, limit=2) == want[:2]
    assert _search(any_store, **kw, limit=2, offset=2) == want[2:4]
    since = T0 + timedelta(hours=3)
    assert _search(any_store, **kw, since=since) == [
        i for i in want if next(r for r in rows if r["id"] == i)["published"] >= since
    ]
    hits = []
    with any_store.connect() as conn:
        hits = w.search(conn, w.SearchFilters(**kw, limit=1))
    assert hits[0].title.startswith("Story 24") and hits[0].source_name == "C"
    assert _search(any_store, security=False, limit=100) == _newest(
        [r for r in rows if not r["mil"]]
    )


def test_uncovered_stories_are_the_newest_about_the_country(any_store: Store) -> None:
    from sqlalchemy import update

    from watchfloor.store.schema import articles

    rows = _enriched(any_store)
    with any_store.begin() as conn:
        for r in rows:
            conn.execute(
                update(articles).where(articles.c.id == r["id"]).values(cluster_id=r["cluster"])
            )
    by_id = {r["id"]: r for r in rows}

    def expected(since: datetime | None, limit: int = 20) -> list[tuple[int, int]]:
        leaders: dict[str, list[int]] = {}
        for i in _newest([r for r in rows if r["mn"]]):
            if since is None or by_id[i]["published"] > since:
                leaders.setdefault(by_id[i]["cluster"], []).append(i)
        return [(ids[0], len(ids)) for ids in leaders.values()][:limit]

    since = T0 + timedelta(hours=6)
    with any_store.connect() as conn:
        stories = w.uncovered_stories(conn, "MN", None)
        later = w.uncovered_stories(conn, "MN", since)
        two = w.uncovered_stories(conn, "MN", None, limit=2)
    # A story is led by its newest article about the country; the newest story first.
    assert [(s.article_id, s.articles) for s in stories] == expected(None)
    assert [(s.article_id, s.articles) for s in later] == expected(since)
    assert [(s.article_id, s.articles) for s in two] == expected(None, 2)
    assert len(stories) == 8 and len(later) == 3


def test_sqlite_search_walks_the_date_index_not_the_rows(store: Store) -> None:
    """The search's page of ids comes from ix_articles_published_at, newest first, and the
    country list from m008's covering index; no article row is read before the page is
    known (docs/benchmarks.md, the web section: 4x less CPU at 100,000 articles)."""
    from sqlalchemy import event

    _enriched(store, 6)
    seen: list[str] = []

    def keep(conn, cursor, statement, params, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", keep)
    with store.connect() as conn:
        w.search(conn, w.SearchFilters(query="convoy", country="MN", category="military_defence"))
        sql = seen[-1]
        plan = " | ".join(
            str(r[-1])
            for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql,
                ('"convoy"*', "MN", 0.5, "military_defence", 0.3, 50, 0),
            )
        )
    event.remove(store.engine, "before_cursor_execute", keep)
    assert "COVERING INDEX ix_articles_published_at" in plan, plan
    assert "COVERING INDEX ix_article_countries_country_score_is_about_article_id" in plan, plan
    assert "COVERING INDEX ix_article_categories_category_confidence_article_id" in plan, plan
