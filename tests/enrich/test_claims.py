"""Enrichment claims on a real store (SQLite and PostgreSQL): workers take disjoint batches,
oldest first; a batch whose worker died is taken up once its lease runs out; enriching
again with the same version changes nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tests.enrich.claims_fixture import fill_demo, snapshot
from watchfloor.collect.run import collect
from watchfloor.config import load_settings
from watchfloor.enrich.pipeline import ENRICHER_VERSION, Enricher, enrich
from watchfloor.store import enrichment as es
from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.schema import article_places, articles, enrich_claims


def _claim(store: Store, worker: str, size: int, lease: float) -> list[int]:
    with store.begin() as conn:
        return es.claim_batch(
            conn, version=ENRICHER_VERSION, worker=worker, size=size, lease_seconds=lease
        )


def _pending(store: Store) -> list[int]:
    with store.connect() as conn:
        return es.pending_articles(conn, version=ENRICHER_VERSION, redo=False)


def test_workers_claim_disjoint_batches_oldest_first_and_expired_leases_again(any_store) -> None:
    store = any_store
    assert fill_demo(store) > 20
    order = _pending(store)
    a = _claim(store, "a", 5, 60)
    b = _claim(store, "b", 5, 60)
    assert a == order[:5] and b == order[5:10]  # oldest first, no overlap
    dead = _claim(store, "dead", 3, 0.3)
    assert dead == order[10:13]
    time.sleep(0.5)  # the dead worker's lease runs out
    rest = _claim(store, "live", 1000, 60)
    assert rest == order[10:]  # the expired claims are taken over, the live ones are not
    assert _claim(store, "late", 10, 60) == []  # every pending article is claimed
    with store.begin() as conn:
        assert es.owned_claims(conn, "dead", dead) == set()
        assert es.owned_claims(conn, "live", dead) == set(dead)
    with store.connect() as conn:
        first = conn.execute(
            articles.select().where(articles.c.id == b[0])
        ).one()  # b's oldest article: a holds older ones
        assert es.older_claim_outstanding(conn, "b", first.published_at, first.id)
        a0 = conn.execute(articles.select().where(articles.c.id == a[0])).one()
        assert not es.older_claim_outstanding(conn, "a", a0.published_at, a0.id)
    with store.begin() as conn:
        es.release_claims(conn, "a")
    with store.connect() as conn:
        assert not es.older_claim_outstanding(conn, "b", first.published_at, first.id)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def _pending_order(store: Store) -> list[int]:
    with store.connect() as conn:
        return es.pending_articles(conn, version=ENRICHER_VERSION, redo=True)


@pytest.mark.timeout(900)  # two enrichments of the demo week; slow on a busy machine
def test_a_dead_workers_batch_is_enriched_once_its_lease_runs_out(any_store, enricher) -> None:
    store = any_store
    total = fill_demo(store)
    dead = _claim(store, "killed-worker", 6, 3600)  # its worker is gone: nobody writes these
    first = enrich(store, batch_size=16, enricher=enricher, order_wait=0.2)
    assert first.articles == total - len(dead) and first.failed == 0
    assert _pending(store) == dead  # still leased to the dead worker
    with store.begin() as conn:  # an hour later (the real clock runs out in the test above)
        conn.execute(
            update(enrich_claims).values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    second = enrich(store, batch_size=16, enricher=enricher, order_wait=0.2)
    assert second.articles == len(dead)
    assert _pending(store) == []
    once = snapshot(store)
    assert once["claims"] == []
    assert len(once["articles"]) == total

    # A retried or duplicated run over the same articles, same version: nothing changes,
    # nothing is stored twice, each article keeps its story.
    again_ids = _pending_order(store)[::7]  # a dozen, old and new
    with store.begin() as conn:
        conn.execute(
            update(articles).where(articles.c.id.in_(again_ids)).values(enriched_version=None)
        )
    again = enrich(store, batch_size=16, enricher=enricher)
    assert again.articles == len(again_ids)
    assert snapshot(store) == once


def _feed(path, items: list[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    entries = "".join(
        f"<item><title>{title}</title><link>https://news.example/{slug}</link>"
        f"<guid>https://news.example/{slug}</guid>"
        f"<pubDate>Mon, 0{i + 1} Jun 2026 08:00:00 GMT</pubDate>"
        f"<description>{text}</description></item>"
        for i, (slug, title, text) in enumerate(items)
    )
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local desk</title>'
        f"<link>https://news.example/</link><description>d</description>{entries}"
        "</channel></rss>",
        encoding="utf-8",
    )


_BEFORE = [
    ("a", "Flooding in Darkhan", "Heavy rain flooded streets in Darkhan on Monday."),
    ("b", "Coal exports rise", "Coal exports through Gashuun Sukhait rose in May."),
]
_AFTER = [
    ("a", "Flooding in Erdenet", "Heavy rain flooded streets in Erdenet on Monday, not Darkhan."),
    _BEFORE[1],
]


class _RepublishingEnricher(Enricher):
    """A real enricher; while it annotates its first batch (holding the claims), the feed
    re-publishes an item with changed text and collect stores the revision."""

    def __init__(self, store: Store, feed) -> None:  # type: ignore[no-untyped-def]
        super().__init__(threads=1)
        self.store, self.feed, self.done = store, feed, False

    def annotate(self, batch):  # type: ignore[no-untyped-def]
        out = super().annotate(batch)
        if not self.done:
            self.done = True
            _feed(self.feed, _AFTER)
            settings = load_settings(env={}, overrides={"db": self.store.url})
            assert collect(self.store, settings, force=True).totals().updated == 1
        return out


@pytest.mark.timeout(600)
def test_an_article_revised_under_a_claim_is_enriched_from_its_new_text(any_store, tmp_path):
    store = any_store
    feed = tmp_path / "local.xml"
    _feed(feed, _BEFORE)
    with store.begin() as conn:
        q.add_source(
            conn, url=str(feed), kind="feed", name="Local", countries=["MN"], every_seconds=1800
        )
    settings = load_settings(env={}, overrides={"db": store.url})
    assert collect(store, settings, force=True).totals().new == 2

    enrich(store, batch_size=8, enricher=_RepublishingEnricher(store, feed), order_wait=0)

    with store.connect() as conn:
        rows = conn.execute(
            select(articles.c.title, articles.c.enriched_version, article_places.c.name)
            .join(article_places, article_places.c.article_id == articles.c.id)
            .where(articles.c.title == "Flooding in Erdenet")
        ).all()
        claims = conn.execute(select(enrich_claims)).all()
    assert {r.enriched_version for r in rows} == {ENRICHER_VERSION}
    places = {r.name for r in rows}
    assert "Erdenet" in places  # the new text's place, not only the old text's
    assert _pending(store) == [] and claims == []
