"""store.evaluation: the country attribution of stored articles, looked up by URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from watchfloor.models import ParsedItem
from watchfloor.store import enrichment as es
from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.evaluation import attributions_by_url

T0 = datetime(2026, 6, 23, 4, 0, tzinfo=UTC)


def _enrich(article_id: int, countries: list[es.CountryRow]) -> es.EnrichmentRows:
    return es.EnrichmentRows(
        article_id=article_id,
        detected_language="mn",
        language_confidence=0.9,
        cluster_id=f"c{article_id}",
        enriched_version="v1",
        entities=[],
        places=[],
        categories=[],
        countries=countries,
        events=[],
    )


def test_attributions_by_url(store: Store) -> None:
    with store.begin() as conn:
        source, _ = q.add_source(
            conn,
            url="https://outlet.example/feed.xml",
            kind="feed",
            name="Outlet",
            countries=["MN"],
            every_seconds=1800,
        )
        outcomes = q.upsert_articles(
            conn,
            [
                q.ItemToStore(
                    ParsedItem(
                        title=f"Headline {i}",
                        url=f"https://outlet.example/a/{i}",
                        summary="",
                        published=T0 + timedelta(hours=i),
                    ),
                    f"https://outlet.example/a/{i}",
                    f"hash{i}",
                )
                for i in range(3)
            ],
            source_id=source.id,
            raw_id=None,
            seen_at=T0,
        )
        ids = [o.article_id for o in outcomes]
        # 0: a Mongolian story; 1: Caracas told by a Mongolian outlet (MN only as a weak
        # prior); 2: Mongolia-Russia talks, Russia above the bar by score alone
        es.write_enrichment(conn, _enrich(ids[0], [es.CountryRow("MN", 0.9, True)]))
        es.write_enrichment(
            conn,
            _enrich(ids[1], [es.CountryRow("VE", 0.8, True), es.CountryRow("MN", 0.2, False)]),
        )
        es.write_enrichment(
            conn,
            _enrich(ids[2], [es.CountryRow("MN", 0.7, True), es.CountryRow("RU", 0.6, False)]),
        )
        # the same item from a second outlet at another URL is merged into article 0
        other, _ = q.add_source(
            conn,
            url="https://other.example/feed.xml",
            kind="feed",
            name="Other",
            countries=["MN"],
            every_seconds=1800,
        )
        merged = q.upsert_articles(
            conn,
            [
                q.ItemToStore(
                    ParsedItem(
                        title="Headline 0",
                        url="https://other.example/b/0",
                        summary="",
                        published=T0,
                    ),
                    "https://other.example/b/0",
                    "hash0",
                )
            ],
            source_id=other.id,
            raw_id=None,
            seen_at=T0,
        )
    asked = [f"https://outlet.example/a/{i}" for i in range(3)] + ["https://elsewhere.example/x"]
    with store.connect() as conn:
        found = attributions_by_url(conn, asked)
    assert set(found) == set(asked[:3])  # the unknown URL is left out
    assert found[asked[0]].about == {"MN"}
    assert found[asked[1]].about == {"VE"}
    assert found[asked[1]].scores["MN"] == (0.2, False)
    assert found[asked[2]].about == {"MN", "RU"}
    assert found[asked[2]].article_id == ids[2]
    assert merged[0].article_id == ids[0]  # collect merged it: the second URL finds article 0
    with store.connect() as conn:
        again = attributions_by_url(conn, ["https://other.example/b/0"])
    assert again["https://other.example/b/0"].article_id == ids[0]
    assert again["https://other.example/b/0"].about == {"MN"}
    with store.connect() as conn:
        strict = attributions_by_url(conn, asked[2:3], threshold=0.65)
    assert strict[asked[2]].about == {"MN"}
