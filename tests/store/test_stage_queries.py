"""The store functions the stages call: enrichment rows, clusters, report facts, reports.

Each runs on SQLite and, when a server is up, on PostgreSQL; what is written through one
function is read back through the others, as the enrich stage and the report do.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from watchfloor.models import ParsedItem
from watchfloor.models.jsonable import dumps
from watchfloor.models.records import RejectStage, SourceKind, UpsertStatus
from watchfloor.store import enrichment as es
from watchfloor.store import facts as sf
from watchfloor.store import queries as q
from watchfloor.store import reports as sr
from watchfloor.store.db import Store
from watchfloor.store.schema import reports

T0 = datetime(2026, 4, 27, 8, 0, tzinfo=UTC)


def _articles(conn, n: int, *, kind: SourceKind = SourceKind.FEED) -> tuple[q.Source, list[int]]:
    source, _ = q.add_source(
        conn,
        url="https://example.org/feed.xml",
        kind=kind,
        name="Example",
        countries=["MN"],
        every_seconds=1800,
    )
    outcomes = q.upsert_articles(
        conn,
        [
            q.ItemToStore(
                ParsedItem(
                    title=f"Story {i}",
                    url=f"https://example.org/{i}",
                    summary=f"Summary {i} about Ulaanbaatar.",
                    published=T0 + timedelta(hours=i),
                ),
                f"https://example.org/{i}",
                f"hash{i}",
            )
            for i in range(n)
        ],
        source_id=source.id,
        raw_id=None,
        seen_at=T0,
    )
    assert [o.status for o in outcomes] == [UpsertStatus.NEW] * n
    return source, [o.article_id for o in outcomes]


def _rows(article_id: int, cluster: str, *, about: bool = True) -> es.EnrichmentRows:
    return es.EnrichmentRows(
        article_id=article_id,
        detected_language="en",
        language_confidence=0.9,
        cluster_id=cluster,
        enriched_version="v1",
        entities=[
            es.EntityRow("PERSON", "Batbayar", 20, 28),
            es.EntityRow("GPE", "Erdenet", 40, 47),
        ],
        places=[
            es.PlaceRow(
                text="Ulaanbaatar",
                start=22,
                end=33,
                in_title=False,
                name="Ulaanbaatar",
                country="MN",
                admin1="Ulaanbaatar",
                feature="capital",
                lat=47.9,
                lng=106.9,
                population=1_400_000,
                gazetteer_key="geonames:2028462",
                score=0.8,
                demonym=False,
                metonymy=False,
            )
        ],
        categories=[es.CategoryRow("politics", 0.7)],
        countries=[es.CountryRow("MN", 0.9 if about else 0.1, about)],
        events=[
            es.EventRow(
                text="The vote is on 1 May.",
                span_start=0,
                span_end=21,
                expression="1 May",
                start_date=date(2026, 5, 1),
                end_date=None,
                precision="day",
                is_future=True,
            )
        ],
    )


def test_enrichment_rows_round_trip_into_report_facts(any_store: Store) -> None:
    with any_store.begin() as conn:
        _, ids = _articles(conn, 3)
        assert es.pending_articles(conn, version="v1", redo=False) == ids
        for aid in ids[:2]:
            es.write_enrichment(conn, _rows(aid, "c1"))
        es.write_enrichment(conn, _rows(ids[0], "c1"))  # a second write replaces the first
        es.refresh_clusters(conn, ["c1"])
    with any_store.connect() as conn:
        assert es.pending_articles(conn, version="v1", redo=False) == ids[2:]
        assert es.pending_articles(conn, version="v2", redo=False) == ids
        assert es.pending_articles(conn, version="v1", redo=True) == ids
        inputs = es.load_inputs(conn, ids)
        lo, hi = T0, T0 + timedelta(days=1)
        found = {a.id: a for a in sf.period_articles(conn, lo, hi)}
        sf.attach_annotations(conn, found)
        first = sf.cluster_first_published(conn, ["c1", "missing"])
    assert [a.source_countries for a in inputs] == [("MN",)] * 3
    assert inputs[0].text == "Story 0\n\nSummary 0 about Ulaanbaatar."
    art = found[ids[0]]
    assert art.outlet == "Example" and art.in_period and art.cluster_id == "c1"
    assert [p.key for p in art.places] == ["geonames:2028462"]
    assert [e.text for e in art.entities] == ["Batbayar", "Erdenet"]
    assert art.categories == {"politics": 0.7}
    assert art.countries == {"MN": (0.9, True)} and art.about("MN")
    assert [(e.expression, e.start, e.is_future) for e in art.events] == [
        ("1 May", date(2026, 5, 1), True)
    ]
    assert found[ids[2]].enriched_version is None and not found[ids[2]].places
    assert first == {"c1": T0}


def test_clustered_articles_and_reset(any_store: Store) -> None:
    with any_store.begin() as conn:
        _, ids = _articles(conn, 3)
        es.write_enrichment(conn, _rows(ids[0], "c1"))
        es.write_enrichment(conn, _rows(ids[1], "c2"))
        es.refresh_clusters(conn, ["c1", "c2"])
    with any_store.connect() as conn:
        near = es.clustered_articles(conn, T0, T0 + timedelta(minutes=90))
    assert [(a.id, a.cluster_id) for a in near] == [(ids[0], "c1"), (ids[1], "c2")]
    assert near[0].names == frozenset({"Batbayar"})  # PERSON and ORG only
    assert near[0].places == frozenset({"geonames:2028462"})
    with any_store.begin() as conn:
        es.save_state(conn, "clusters", {"version": 1})
        es.save_state(conn, "clusters", {"version": 2})
        assert es.load_state(conn, "clusters") == {"version": 2}
        es.reset_clusters(conn, "clusters")
    with any_store.connect() as conn:
        assert es.load_state(conn, "clusters") is None
        assert es.clustered_articles(conn, T0, T0 + timedelta(days=1)) == []
        assert sf.cluster_first_published(conn, ["c1", "c2"]) == {}


def test_context_pages_rejects_and_history(any_store: Store) -> None:
    with any_store.begin() as conn:
        source, ids = _articles(conn, 3)
        for aid in ids:
            es.write_enrichment(conn, _rows(aid, "c1", about=aid != ids[2]))
        es.refresh_clusters(conn, ["c1"])
        page, _ = q.add_source(
            conn,
            url="https://example.org/page",
            kind=SourceKind.PAGE,
            name="Reference",
            countries=["MN"],
            every_seconds=86400,
        )
        q.add_page_version(
            conn,
            source_id=page.id,
            raw_id=None,
            title="Relations",
            text="Text.",
            text_hash="p1",
            page_date=None,
            fetched_at=T0,
        )
        q.add_reject(conn, stage=RejectStage.PARSE, error="bad xml", source_id=source.id)
    # The first article only is in the period; the others are its cluster's context.
    lo, hi = T0, T0 + timedelta(minutes=30)
    with any_store.connect() as conn:
        context = sf.context_articles(
            conn, ["c1"], lo=lo, hi=hi, context_lo=lo, context_hi=T0 + timedelta(days=1)
        )
        pages = sf.page_facts(conn, "MN", T0 + timedelta(days=1))
        rejected = sf.reject_facts(conn, "MN", hi)
        oldest = sf.first_published(conn)
        counts = sf.about_counts(conn, country="MN", lo=T0, hi=T0 + timedelta(days=1))
        nothing = sf.about_counts(conn, country="CN", lo=T0, hi=T0 + timedelta(days=1))
    assert [a.id for a in context] == ids[1:] and not any(a.in_period for a in context)
    assert [(p.source_name, p.version, p.dated) for p in pages] == [("Reference", 1, T0)]
    assert [(r.source_name, r.stage, r.error) for r in rejected] == [
        ("Example", "parse", "bad xml")
    ]
    assert oldest == T0
    assert counts == (2, {"politics": 2})  # the third is not about MN (score 0.1)
    assert nothing == (0, {})


def test_previous_report_is_the_latest_that_ended_before(any_store: Store) -> None:
    def row(country: str, end: date, level: str, score: float) -> dict[str, object]:
        return {
            "country": country,
            "period_start": end - timedelta(days=6),
            "period_end": end,
            "generated_at": T0,
            "backend": "extractive",
            "analyst_version": "a",
            "enricher_version": "e",
            "article_ids": [1, 2],
            "threat_level": level,
            "threat_score": score,
            "report": {},
        }

    with any_store.begin() as conn:
        assert sr.previous_report(conn, "MN", date(2026, 5, 4)) is None
        conn.execute(
            insert(reports),
            [
                row("MN", date(2026, 4, 19), "Low", 1.0),
                row("MN", date(2026, 4, 26), "Elevated", 2.5),
                row("CN", date(2026, 5, 1), "High", 3.5),
                row("MN", date(2026, 5, 3), "Severe", 4.5),
            ],
        )
    with any_store.connect() as conn:
        before = sr.previous_report(conn, "MN", date(2026, 4, 27))
        listed = sr.list_reports(conn, country="mn")
    assert before == sr.PreviousReport("Elevated", 2.5)
    assert [(r.period_end, r.threat_level, r.articles) for r in listed] == [
        (date(2026, 5, 3), "Severe", 2),
        (date(2026, 4, 26), "Elevated", 2),
        (date(2026, 4, 19), "Low", 2),
    ]


def test_fulltext_links_and_article_records(any_store: Store) -> None:
    with any_store.begin() as conn:
        source, ids = _articles(conn, 2)
        es.write_enrichment(conn, _rows(ids[0], "c1"))
        q.set_fulltext(conn, ids[0], text="The whole article.", raw_id=_raw_id(conn, source.id))
    with any_store.connect() as conn:
        links = q.article_links(conn, ids)
        listed = q.list_articles(conn)
        pending = es.pending_articles(conn, version="v1", redo=False)
    assert sorted(links, key=lambda a: a.id) == [
        q.ArticleLink(ids[0], "https://example.org/0", source.id),
        q.ArticleLink(ids[1], "https://example.org/1", source.id),
    ]
    assert [a.id for a in listed] == [ids[1], ids[0]]  # newest first
    assert listed[1].content == "The whole article." and listed[1].fulltext_raw_id is not None
    assert pending == ids  # new text, enriched again
    out = json.loads(dumps(listed))
    assert out[1]["title"] == "Story 0" and out[1]["published_at"] == T0.isoformat()
    assert out[1]["kind"] == "feed"


def _raw_id(conn, source_id: int) -> int:
    from watchfloor.models import FetchResult
    from watchfloor.models.records import RawPurpose

    result = FetchResult(
        requested_url="https://example.org/0",
        url="https://example.org/0",
        status=200,
        headers={},
        content=b"<html></html>",
        fetched_at=T0,
    )
    return q.store_raw(conn, result, purpose=RawPurpose.ARTICLE, source_id=source_id)
