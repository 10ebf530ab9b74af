"""Synthetic articles of our own, for load and scale benchmarks (shared with the web app's
load test).

The articles look like a year of world news as watchfloor stores it after enrichment:
titles of 8-14 words and bodies of 150-600 words drawn from a small security-news
vocabulary; publication times spread over ``days``; countries drawn with a heavy tail
(a few countries carry most of the news, as in GDELT); one to three places near the
country's centre; one or two categories; story clusters of 1-8 articles; and a share of
duplicates, the same story seen by a second source (a sighting, not a new article).

Nothing here is real news. Deterministic for a given seed.

Usage::

    from benchmarks.synth import SynthConfig, load
    stats = load(store, SynthConfig(articles=100_000, seed=7))
"""

from __future__ import annotations

import hashlib
import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from watchfloor.countries import countries
from watchfloor.models import ParsedItem
from watchfloor.store.bulk import insert_rows
from watchfloor.store.db import Store
from watchfloor.store.enrichment import (
    CategoryRow,
    CountryRow,
    EnrichmentRows,
    PlaceRow,
    write_enrichments,
)
from watchfloor.store.queries import ItemToStore, upsert_articles
from watchfloor.store.schema import clusters, sources

#: The taxonomy's categories but "other" (src/watchfloor/data/taxonomy.toml), so the web
#: app's category filter and the report's threat scoring see real category ids.
CATEGORIES = (
    "military_defence",
    "terrorism_armed_violence",
    "domestic_politics_unrest",
    "crime",
    "cyber",
    "disaster_public_health",
    "border_trade",
    "economy",
    "diplomacy",
    "energy_infrastructure",
)
SUBJECTS = (
    "police",
    "army",
    "ministry",
    "rebels",
    "protesters",
    "hackers",
    "rescuers",
    "court",
    "parliament",
    "border guards",
    "officials",
    "farmers",
    "miners",
    "students",
    "doctors",
)
VERBS = (
    "detain",
    "clash with",
    "warn",
    "evacuate",
    "report",
    "deny",
    "announce",
    "block",
    "attack",
    "negotiate with",
    "investigate",
    "close",
    "reopen",
    "protest against",
)
OBJECTS = (
    "a convoy",
    "the capital",
    "a border crossing",
    "local officials",
    "the mine",
    "a pipeline",
    "the airport",
    "a market",
    "the election board",
    "two villages",
    "a ministry network",
    "the harbour",
    "aid workers",
    "a district",
    "the bridge",
)
FILLER = (
    "according to a statement",
    "witnesses said",
    "the agency reported",
    "on Tuesday",
    "late on Sunday",
    "after days of tension",
    "amid heavy rain",
    "near the river",
    "in the north of the country",
    "said a spokesperson",
    "no casualties were reported",
    "three people were injured",
    "talks are expected to resume",
    "the roads were closed",
)


@dataclass(frozen=True)
class SynthConfig:
    """What to generate."""

    articles: int = 100_000
    seed: int = 7
    days: int = 365
    end: datetime = datetime(2026, 6, 1, tzinfo=UTC)
    sources: int = 200
    duplicate_share: float = 0.15
    countries: tuple[str, ...] = field(default_factory=tuple)  # empty: every country
    busy_country: str = ""
    """With ``busy_articles``: a country whose week of ``busy_week`` gets that many more
    articles (drawn from the others, so the total stays ``articles``), for a report at
    a realistic busy size. The other articles are the same as without it."""
    busy_week: date | None = None
    busy_articles: int = 0
    """The busy week's articles are drawn among the first ``100 * busy_articles``."""


@dataclass(frozen=True)
class LoadStats:
    """What :func:`load` stored and how fast."""

    articles: int
    sightings: int
    rows: int
    seconds: float
    write_seconds: float = 0.0
    """The part of ``seconds`` spent writing to the store (the rest is generating)."""

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def write_per_second(self) -> float:
        """Articles written a second, generation excluded."""
        return self.articles / self.write_seconds if self.write_seconds else 0.0


def _country_weights(codes: list[str], rng: random.Random) -> list[float]:
    """A heavy tail: the k-th most covered country gets about 1/k**0.9 of the news."""
    order = codes[:]
    rng.shuffle(order)
    rank = {c: i + 1 for i, c in enumerate(order)}
    return [1.0 / rank[c] ** 0.9 for c in codes]


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(FILLER)}."
    )


def _sentences(rng: random.Random) -> Callable[[], str]:
    """A faster :func:`_sentence` drawing the same numbers, so the text stays the same for
    a seed: ``choice(seq)`` is ``seq[_randbelow(len(seq))]`` in CPython, and
    ``_randbelow(n)`` draws ``getrandbits(n.bit_length())`` until the value is below n."""
    bits = rng.getrandbits
    subjects = [s.capitalize() for s in SUBJECTS]
    pools = (subjects, list(VERBS), list(OBJECTS), list(FILLER))
    (ps, ks), (pv, kv), (po, ko), (pf, kf) = ((p, len(p).bit_length()) for p in pools)
    ns, nv, no, nf = len(ps), len(pv), len(po), len(pf)

    def sentence() -> str:
        a = bits(ks)
        while a >= ns:
            a = bits(ks)
        b = bits(kv)
        while b >= nv:
            b = bits(kv)
        c = bits(ko)
        while c >= no:
            c = bits(ko)
        d = bits(kf)
        while d >= nf:
            d = bits(kf)
        return f"{ps[a]} {pv[b]} {po[c]} {pf[d]}."

    return sentence


def generate(config: SynthConfig, first: int = 0) -> Iterator[dict[str, Any]]:
    """Yield one record per stored article: the article and its annotations, with
    ``duplicates``: the source ids that also carried it.

    With *first*, start at article *first* (to complete a store loaded that far) without
    replaying the ones before: the countries keep their ranking, and the rest is drawn
    from a seed of its own, so those articles are new ones of the same kind, not the
    ones a full run would draw."""
    rng = random.Random(config.seed)
    table = countries()
    codes = list(config.countries) or sorted(table)
    weights = _country_weights(codes, rng)
    if first:
        rng = random.Random(f"{config.seed}/{first}")
    cum_weights = list(itertools.accumulate(weights))  # what choices() sums each call
    span = timedelta(days=config.days).total_seconds()
    start = config.end - timedelta(days=config.days)
    cluster = ""
    left_in_cluster = 0
    sentence = _sentences(rng)
    busy: set[int] = set()
    busy_rng = random.Random(config.seed + 1)  # apart, so the main stream is unchanged
    busy_start = datetime(1970, 1, 1, tzinfo=UTC)
    if config.busy_country and config.busy_week and config.busy_articles > 0:
        # Among the first articles, so that a load stopped early (load(stop_after=...))
        # still has the whole busy week.
        pool = range(min(config.articles, 100 * config.busy_articles))
        busy = set(busy_rng.sample(pool, min(config.busy_articles, len(pool))))
        busy_start = datetime.combine(config.busy_week, datetime.min.time(), tzinfo=UTC)
    for i in range(first, config.articles):
        code = rng.choices(codes, cum_weights=cum_weights)[0]
        if left_in_cluster <= 0:
            cluster = f"c{i:09d}"
            left_in_cluster = rng.randint(1, 8)
        left_in_cluster -= 1
        words = rng.randint(8, 14)
        title = " ".join(sentence().split()[:words]).rstrip(".")
        body = " ".join([sentence() for _ in range(rng.randint(12, 50))])
        published = start + timedelta(seconds=rng.random() * span)
        if i in busy:
            code = config.busy_country
            published = busy_start + timedelta(seconds=busy_rng.random() * 7 * 86_400)
        info = table.get(code)
        lat = getattr(info, "lat", 0.0) or 0.0
        lng = getattr(info, "lng", 0.0) or 0.0
        places = [
            {
                "text": f"Place{rng.randint(1, 400)}",
                "name": f"Place {code}-{rng.randint(1, 400)}",
                "country": code,
                "lat": lat + rng.uniform(-2, 2),
                "lng": lng + rng.uniform(-2, 2),
            }
            for _ in range(rng.randint(1, 3))
        ]
        n_dups = 1 if rng.random() < config.duplicate_share else 0
        yield {
            "i": i,
            "title": title,
            "body": body,
            "published": published,
            "country": code,
            "other": rng.choice(codes) if rng.random() < 0.3 else None,
            "categories": rng.sample(CATEGORIES, rng.randint(1, 2)),
            "places": places,
            "cluster": cluster,
            "source": rng.randint(1, config.sources),
            "duplicates": [rng.randint(1, config.sources) for _ in range(n_dups)],
        }


def _item(rec: dict[str, Any]) -> ItemToStore:
    url = f"https://synthetic-{rec['source']}.example/a/{rec['i'] + 1}"
    item = ParsedItem(
        title=rec["title"],
        url=url,
        summary=rec["body"][:300],
        content=rec["body"],
        published=rec["published"],
    )
    digest = hashlib.sha256(f"{rec['title']}|{rec['i']}".encode()).hexdigest()
    return ItemToStore(item, url, digest)


def _annotations(rec: dict[str, Any], article_id: int) -> EnrichmentRows:
    countries_ = [CountryRow(rec["country"], 0.9, True)]
    if rec["other"] and rec["other"] != rec["country"]:
        countries_.append(CountryRow(rec["other"], 0.3, False))
    return EnrichmentRows(
        article_id=article_id,
        detected_language="en",
        language_confidence=0.99,
        cluster_id=rec["cluster"],
        enriched_version="synthetic",
        entities=(),
        places=[
            PlaceRow(
                text=p["text"],
                start=0,
                end=len(p["text"]),
                in_title=False,
                name=p["name"],
                country=p["country"],
                admin1="",
                feature="city",
                lat=p["lat"],
                lng=p["lng"],
                population=10_000,
                gazetteer_key=p["name"],
                score=0.7,
                demonym=False,
                metonymy=False,
            )
            for p in rec["places"]
        ],
        categories=[CategoryRow(c, 0.8) for c in rec["categories"]],
        countries=countries_,
        events=(),
    )


def load(
    store: Store,
    config: SynthConfig,
    *,
    batch: int = 20_000,
    stop_after: float | None = None,
    progress: Callable[[int, float], None] | None = None,
    first: int = 0,
) -> LoadStats:
    """Insert the synthetic articles, their annotations and sightings into a migrated
    store, in batches of *batch* articles per transaction.

    The writes go through the store's own paths: :func:`~watchfloor.store.queries.upsert_articles`
    as a collect stores a feed's items (one call per source in the batch, duplicates found
    by URL and kept as sightings), then
    :func:`~watchfloor.store.enrichment.write_enrichments` as enrichment stores its
    annotations. ``LoadStats.write_seconds`` counts only these writes.

    With *stop_after* (seconds), stop at the first batch boundary after that long: the
    articles come in random time order, so what is stored is a uniform sample.
    *progress* is called after each batch with the articles stored so far and the seconds
    spent writing them. With *first*, the store already holds the first *first* articles
    and their sources, and the load goes on from there (see :func:`generate`).
    """
    now = datetime.now(UTC)
    if not first:  # a resumed load finds its sources there
        with store.begin() as conn:
            conn.execute(
                insert(sources),
                [
                    {
                        "id": s,
                        "url": f"https://synthetic-{s}.example/feed",
                        "kind": "feed",
                        "name": f"Synthetic {s}",
                        "countries": [],
                        "every_seconds": 1800,
                        "enabled": True,
                        "consecutive_failures": 0,
                        "created_at": now,
                        "reliability": "F",
                        "official": False,
                    }
                    for s in range(1, config.sources + 1)
                ],
            )
    started = time.perf_counter()
    writing = 0.0
    n_articles = n_sightings = n_rows = 0
    seen_clusters: set[str] = set()
    pending: list[dict[str, Any]] = []
    analyzed = [max(batch // 2, first)]  # the store's size at the last ANALYZE (PostgreSQL)

    def flush() -> None:
        nonlocal n_articles, n_sightings, n_rows, writing
        if not pending:
            return
        by_source: dict[int, list[dict[str, Any]]] = {}
        dups: dict[int, list[dict[str, Any]]] = {}
        for rec in pending:
            by_source.setdefault(rec["source"], []).append(rec)
            for sid in set(rec["duplicates"]) - {rec["source"]}:
                dups.setdefault(sid, []).append(rec)
        items = {rec["i"]: _item(rec) for rec in pending}
        t0 = time.perf_counter()
        with store.begin() as conn:
            ids: dict[int, int] = {}
            for sid in sorted(by_source):
                recs = by_source[sid]
                done = upsert_articles(
                    conn,
                    [items[r["i"]] for r in recs],
                    source_id=sid,
                    raw_id=None,
                    seen_at=max(r["published"] for r in recs),
                    language="en",
                )
                ids.update((r["i"], d.article_id) for r, d in zip(recs, done, strict=True))
            for sid in sorted(dups):  # the same stories fetched from a second source
                recs = dups[sid]
                upsert_articles(
                    conn,
                    [items[r["i"]] for r in recs],
                    source_id=sid,
                    raw_id=None,
                    seen_at=max(r["published"] for r in recs),
                    language="en",
                )
                n_sightings += len(recs)
            annotations = [_annotations(rec, ids[rec["i"]]) for rec in pending]
            write_enrichments(conn, annotations)
            new_clusters = []
            for rec in pending:
                if rec["cluster"] not in seen_clusters:
                    seen_clusters.add(rec["cluster"])
                    new_clusters.append(
                        {
                            "id": rec["cluster"],
                            "title": rec["title"],
                            "size": 1,
                            "first_published": rec["published"],
                            "last_published": rec["published"],
                            "updated_at": rec["published"],
                        }
                    )
            insert_rows(conn, clusters, new_clusters)
        writing += time.perf_counter() - t0
        n_articles += len(pending)
        n_sightings += len(pending)
        n_rows += (
            2 * len(pending)  # the article and its first sighting
            + sum(len(dups[s]) for s in dups)
            + sum(len(a.places) + len(a.categories) + len(a.countries) for a in annotations)
            + len(new_clusters)
        )
        pending.clear()
        if store.dialect == "postgresql" and first + n_articles >= analyzed[0] * 2:
            # What autovacuum's analyze would do as the tables grow (it is off on some
            # servers): without statistics, the duplicate look-up's plan was costed as
            # thousands of rows per key, which also JIT-compiled it, every call.
            with store.connect() as conn_:
                conn_.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
            analyzed[0] = first + n_articles
        if progress is not None:
            progress(n_articles, writing)

    for record in generate(config, first):
        pending.append(record)
        if len(pending) >= batch:
            flush()
            if stop_after is not None and time.perf_counter() - started > stop_after:
                break
    flush()
    return LoadStats(
        n_articles, n_sightings, n_rows, time.perf_counter() - started, write_seconds=writing
    )
