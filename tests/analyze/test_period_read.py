"""load_period reads the country's stories whole and the rest of the period light.

On a store mixing many countries (synthetic articles: each story cluster mixes countries,
as world news does), what ``load_period`` returns for one country must be exactly what
the whole-period read gave for the country's stories: every article of every cluster one
of whose in-period articles is tied to the country (a relevance row of any score, or one
of the country's own sources), in the period and in its context, with every annotation.
A filter that dropped a cluster mate, an own-source article or a context article fails
here. The period's other articles come back light, in ``others``.
"""

from __future__ import annotations

from datetime import date, timedelta

from benchmarks.synth import SynthConfig, load
from sqlalchemy import delete, update

from watchfloor.analyze.facts import ArticleFacts, day_bounds, load_period
from watchfloor.store import facts as sf
from watchfloor.store.db import Store
from watchfloor.store.schema import (
    article_categories,
    article_countries,
    article_places,
    articles,
    sources,
)

START, END = date(2026, 5, 11), date(2026, 5, 17)


def _whole_period(store: Store) -> dict[int, ArticleFacts]:
    """The read load_period made before: every article of the period, whole, and the
    context of every one of their clusters."""
    lo, hi = day_bounds(START, END)
    with store.connect() as conn:
        found = {a.id: a for a in sf.period_articles(conn, lo, hi)}
        cluster_ids = sorted({a.cluster_id for a in found.values() if a.cluster_id})
        for art in sf.context_articles(
            conn,
            cluster_ids,
            lo=lo,
            hi=hi,
            context_lo=lo - timedelta(days=14),
            context_hi=hi + timedelta(days=14),
        ):
            found.setdefault(art.id, art)
        sf.attach_annotations(conn, found)
    return found


def _story(a: ArticleFacts) -> str:
    return a.cluster_id or f"article-{a.id}"


def _same(a: ArticleFacts) -> ArticleFacts:
    """The article with its places in a fixed order: the synthetic ones all start at 0, so
    the store may return them in any order."""
    a.places.sort(key=lambda p: (p.start, p.text, p.name, p.lat, p.lng))
    return a


def test_load_period_reads_the_country_stories_as_the_whole_period_read(any_store: Store) -> None:
    load(
        any_store,
        SynthConfig(
            articles=2500,
            days=35,
            sources=40,
            countries=("MN", "KZ", "CN", "RU", "FR", "US", "BR", "IN"),
            seed=3,
        ),
        batch=500,
    )
    lo, hi = day_bounds(START, END)
    with any_store.begin() as conn:
        # Source 1 serves Mongolia: its articles about other countries are the country's
        # own outlets' (judged with their stories) ...
        conn.execute(update(sources).where(sources.c.id == 1).values(countries=["MN"]))
        own = [
            r.id
            for r in conn.execute(
                articles.select().where(
                    articles.c.source_id == 1,
                    articles.c.published_at >= lo,
                    articles.c.published_at < hi,
                )
            )
        ]
        # ... and two of them are not enriched yet: no annotation ties them to anything.
        for table in (article_countries, article_places, article_categories):
            conn.execute(delete(table).where(table.c.article_id.in_(own[:2])))
        conn.execute(
            update(articles).where(articles.c.id.in_(own[:2])).values(enriched_version=None)
        )

    whole = _whole_period(any_store)
    with any_store.connect() as conn:
        data = load_period(conn, country="MN", start=START, end=END)

    touching = {
        _story(a)
        for a in whole.values()
        if a.in_period and ("MN" in a.countries or a.source_id == 1 or 1 in a.seen_by)
    }
    expected = {i: _same(a) for i, a in whole.items() if _story(a) in touching}
    assert {i: _same(a) for i, a in data.articles.items()} == expected
    rest = sorted(i for i, a in whole.items() if a.in_period and _story(a) not in touching)
    assert [a.id for a in data.others] == sorted(rest, key=lambda i: (whole[i].published, i))
    for a in data.others:  # light, but what the excluded list and the counts read is there
        b = whole[a.id]
        assert (a.title, a.outlet, a.published, a.cluster_id) == (
            b.title,
            b.outlet,
            b.published,
            b.cluster_id,
        )
        assert (a.countries, a.seen_by, a.source_id) == (b.countries, b.seen_by, b.source_id)
        assert "MN" not in a.countries and not a.places
    assert (
        data.unenriched
        == 2
        == sum(1 for a in whole.values() if a.in_period and a.enriched_version is None)
    )
    # The store exercises every way an article belongs to the country's stories.
    inside = [a for a in expected.values() if a.in_period]
    assert any("MN" not in a.countries for a in inside), "no cluster mate without a MN row"
    assert any(a.source_id == 1 and "MN" not in a.countries for a in inside)
    assert any(not a.in_period for a in expected.values()), "no context article"
    assert len(data.others) > 100, "the other countries' stories are read light"


def test_an_analyst_pin_reads_a_story_that_never_names_the_country(store: Store) -> None:
    load(
        store,
        SynthConfig(articles=600, days=35, sources=10, countries=("MN", "FR", "US"), seed=5),
    )
    with store.connect() as conn:
        data = load_period(conn, country="MN", start=START, end=END)
        foreign = data.others[0]
        pinned = load_period(conn, country="MN", start=START, end=END, include=[foreign.id])
    assert foreign.id not in data.articles
    assert foreign.id in pinned.articles and pinned.articles[foreign.id].body
    assert foreign.id not in {a.id for a in pinned.others}
