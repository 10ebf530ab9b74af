"""The enrich stage over a real store: the bundled demo week, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from watchfloor.collect.run import collect
from watchfloor.config import load_settings
from watchfloor.enrich.pipeline import ENRICHER_VERSION, enrich
from watchfloor.services.demo import demo_sources
from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.schema import (
    article_categories,
    article_countries,
    article_places,
    articles,
    dated_events,
)


def _feeds(store: Store, *, skip: tuple[str, ...] = ()) -> None:
    with store.begin() as conn:
        for source in demo_sources():
            if source.kind != "feed" or source.path.name.startswith(skip):
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


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory):
    """The demo week minus one feed, collected and enriched once for the module."""
    path: Path = tmp_path_factory.mktemp("enrich") / "demo.db"
    store = Store(f"sqlite:///{path}")
    store.init()
    _feeds(store, skip=("tsakhim",))
    first = enrich(store)
    yield store, first
    store.dispose()


def _cluster_of(conn, title_start: str) -> str:
    return conn.execute(
        select(articles.c.cluster_id).where(articles.c.title.like(f"{title_start}%"))
    ).scalar_one()


def test_every_article_is_enriched_and_records_the_version(demo_store) -> None:
    store, summary = demo_store
    with store.connect() as conn:
        total = q.count_rows(conn, "articles")
        versions = {r[0] for r in conn.execute(select(articles.c.enriched_version))}
    assert summary.articles == total > 30
    assert summary.failed == 0
    assert versions == {ENRICHER_VERSION}
    assert summary.places > 50 and summary.entities > 100 and summary.dated_events > 10


def test_second_run_is_incremental_and_new_articles_alone_are_processed(demo_store) -> None:
    store, _ = demo_store
    assert enrich(store).articles == 0
    with store.connect() as conn:
        before = q.count_rows(conn, "articles")
    _feeds(store)  # now with the Mongolian-language feed too
    with store.connect() as conn:
        added = q.count_rows(conn, "articles") - before
    second = enrich(store)
    assert added > 0 and second.articles == added
    assert second.languages.get("mn", 0) >= added - 1


def test_the_same_story_from_outlets_in_two_languages_shares_a_cluster(demo_store) -> None:
    store, _ = demo_store
    _feeds(store)
    enrich(store)
    with store.connect() as conn:
        english = _cluster_of(conn, "EU partnership agreement with Mongolia")
        mongolian = _cluster_of(conn, "Европын холбоотой байгуулсан")
        border_en = _cluster_of(conn, "Zamiin-Uud crossing to keep cargo lanes")
        border_mn = _cluster_of(conn, "Замын-Үүд боомт")
        unrelated = _cluster_of(conn, "Counterfeit cashmere labels")
    assert english == mongolian
    assert border_en == border_mn
    assert unrelated not in {english, border_en}


def test_places_resolve_in_context(demo_store) -> None:
    store, _ = demo_store
    with store.connect() as conn:
        rows = conn.execute(
            select(article_places.c.text, article_places.c.country, article_places.c.feature)
        ).all()
    found = {(r.text, r.country) for r in rows}
    assert ("Moscow", "RU") in found
    assert ("Oahu", "US") in found
    assert ("Erenhot", "CN") in found
    assert ("Dornogovi", "MN") in found or ("Дорноговь", "MN") in found
    assert ("Замын-Үүд", "MN") in found
    assert all(country != "US" for text, country in found if text == "Moscow")


def test_other_countries_stories_are_not_about_mongolia(demo_store) -> None:
    store, _ = demo_store
    with store.connect() as conn:
        rows = conn.execute(
            select(article_countries.c.country, article_countries.c.is_about)
            .join(articles, articles.c.id == article_countries.c.article_id)
            .where(articles.c.title.like("Japan's prime minister%"))
        ).all()
        about = {r.country for r in rows if r.is_about}
        mn_about = conn.execute(
            select(func.count())
            .select_from(article_countries)
            .where(article_countries.c.country == "MN", article_countries.c.is_about)
        ).scalar_one()
    assert "JP" in about and "MN" not in about
    assert mn_about > 20


def test_future_events_are_dated_against_publication(demo_store) -> None:
    store, _ = demo_store
    with store.connect() as conn:
        rows = conn.execute(
            select(dated_events.c.start_date, dated_events.c.end_date, dated_events.c.is_future)
            .join(articles, articles.c.id == dated_events.c.article_id)
            .where(articles.c.title.like("China to host Steppe Partnership 2026%"))
        ).all()
    spans = {
        (r.start_date.isoformat(), r.end_date and r.end_date.isoformat())
        for r in rows
        if r.is_future
    }
    assert ("2026-05-26", "2026-06-10") in spans


def test_redo_recomputes_everything_and_is_deterministic(demo_store) -> None:
    store, _ = demo_store
    with store.connect() as conn:
        total = q.count_rows(conn, "articles")
    first = enrich(store, redo=True)
    with store.connect() as conn:
        once = dict(conn.execute(select(articles.c.id, articles.c.cluster_id)).all())
    enrich(store, redo=True)
    with store.connect() as conn:
        twice = dict(conn.execute(select(articles.c.id, articles.c.cluster_id)).all())
    assert first.articles == total
    assert once == twice


def test_small_batches_embedded_ahead_give_the_same_result(demo_store) -> None:
    # With several batches, each batch's embeddings are computed in the background while
    # the batch before is clustered and written; the outcome must not depend on that.
    store, _ = demo_store
    enrich(store, redo=True)
    with store.connect() as conn:
        whole = dict(conn.execute(select(articles.c.id, articles.c.cluster_id)).all())
        cats = conn.execute(
            select(article_categories.c.article_id, article_categories.c.category)
        ).all()
    summary = enrich(store, redo=True, batch_size=5)
    with store.connect() as conn:
        batched = dict(conn.execute(select(articles.c.id, articles.c.cluster_id)).all())
        cats_batched = conn.execute(
            select(article_categories.c.article_id, article_categories.c.category)
        ).all()
    assert summary.articles == len(whole) > 5
    assert summary.failed == 0
    assert batched == whole
    assert sorted(cats_batched) == sorted(cats)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # Same country, same week, many shared words; different events.
        ("Kazakh and Mongolian officials meet in Beijing", "Chief of General Staff arrives in"),
        ("China to host Steppe Partnership 2026", "Steppe Partner-2024 drills under way"),
        ("Erenhot freight yard clears backlog", "Zamiin-Uud crossing to keep cargo lanes"),
    ],
)
def test_different_events_of_one_country_week_stay_apart(demo_store, one: str, other: str) -> None:
    store, _ = demo_store
    with store.connect() as conn:
        assert _cluster_of(conn, one) != _cluster_of(conn, other)
