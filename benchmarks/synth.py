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
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from watchfloor.countries import countries
from watchfloor.store.db import Store
from watchfloor.store.schema import (
    article_categories,
    article_countries,
    article_places,
    articles,
    clusters,
    sightings,
    sources,
)

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


@dataclass(frozen=True)
class LoadStats:
    """What :func:`load` stored and how fast."""

    articles: int
    sightings: int
    rows: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


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


def generate(config: SynthConfig) -> Iterator[dict[str, Any]]:
    """Yield one record per stored article: the article and its annotations, with
    ``duplicates``: the source ids that also carried it."""
    rng = random.Random(config.seed)
    table = countries()
    codes = list(config.countries) or sorted(table)
    weights = _country_weights(codes, rng)
    span = timedelta(days=config.days).total_seconds()
    start = config.end - timedelta(days=config.days)
    cluster = ""
    left_in_cluster = 0
    for i in range(config.articles):
        code = rng.choices(codes, weights)[0]
        if left_in_cluster <= 0:
            cluster = f"c{i:09d}"
            left_in_cluster = rng.randint(1, 8)
        left_in_cluster -= 1
        words = rng.randint(8, 14)
        title = " ".join(_sentence(rng).split()[:words]).rstrip(".")
        body = " ".join(_sentence(rng) for _ in range(rng.randint(12, 50)))
        published = start + timedelta(seconds=rng.random() * span)
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


def load(store: Store, config: SynthConfig, *, batch: int = 2_000) -> LoadStats:
    """Insert the synthetic articles, their annotations and sightings into a migrated
    store, in batches of *batch* articles per transaction."""
    now = datetime.now(UTC)
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
    n_articles = n_sightings = n_rows = 0
    seen_clusters: set[str] = set()
    pending: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal n_articles, n_sightings, n_rows
        if not pending:
            return
        rows_a, rows_c, rows_cat, rows_p, rows_s, rows_cl = [], [], [], [], [], []
        for rec in pending:
            aid = rec["i"] + 1
            digest = hashlib.sha256(f"{rec['title']}|{rec['i']}".encode()).hexdigest()
            rows_a.append(
                {
                    "id": aid,
                    "canonical_url": f"https://synthetic-{rec['source']}.example/a/{aid}",
                    "url": f"https://synthetic-{rec['source']}.example/a/{aid}",
                    "guid": None,
                    "content_hash": digest,
                    "title": rec["title"],
                    "summary": rec["body"][:300],
                    "content": rec["body"],
                    "language": "en",
                    "tags": [],
                    "geo": [],
                    "kind": "feed",
                    "published_at": rec["published"],
                    "date_estimated": False,
                    "first_seen_at": rec["published"],
                    "updated_at": rec["published"],
                    "source_id": rec["source"],
                    "enriched_version": "synthetic",
                    "enriched_at": rec["published"],
                    "detected_language": "en",
                    "language_confidence": 0.99,
                    "cluster_id": rec["cluster"],
                }
            )
            rows_c.append(
                {"article_id": aid, "country": rec["country"], "score": 0.9, "is_about": True}
            )
            if rec["other"] and rec["other"] != rec["country"]:
                rows_c.append(
                    {"article_id": aid, "country": rec["other"], "score": 0.3, "is_about": False}
                )
            rows_cat.extend(
                {"article_id": aid, "category": c, "confidence": 0.8} for c in rec["categories"]
            )
            for p in rec["places"]:
                rows_p.append(
                    {
                        "article_id": aid,
                        "text": p["text"],
                        "start": 0,
                        "end": len(p["text"]),
                        "in_title": False,
                        "name": p["name"],
                        "country": p["country"],
                        "admin1": "",
                        "feature": "city",
                        "lat": p["lat"],
                        "lng": p["lng"],
                        "population": 10_000,
                        "gazetteer_key": p["name"],
                        "score": 0.7,
                        "demonym": False,
                        "metonymy": False,
                    }
                )
            for sid in {rec["source"], *rec["duplicates"]}:
                rows_s.append(
                    {
                        "article_id": aid,
                        "source_id": sid,
                        "raw_id": None,
                        "url": None,
                        "guid": None,
                        "title": rec["title"],
                        "seen_at": rec["published"],
                    }
                )
            if rec["cluster"] not in seen_clusters:
                seen_clusters.add(rec["cluster"])
                rows_cl.append(
                    {
                        "id": rec["cluster"],
                        "title": rec["title"],
                        "size": 1,
                        "first_published": rec["published"],
                        "last_published": rec["published"],
                        "updated_at": rec["published"],
                    }
                )
        with store.begin() as conn:
            for table, rows in (
                (articles, rows_a),
                (article_countries, rows_c),
                (article_categories, rows_cat),
                (article_places, rows_p),
                (sightings, rows_s),
                (clusters, rows_cl),
            ):
                if rows:
                    conn.execute(insert(table), rows)
        n_articles += len(rows_a)
        n_sightings += len(rows_s)
        n_rows += sum(map(len, (rows_a, rows_c, rows_cat, rows_p, rows_s, rows_cl)))
        pending.clear()

    for record in generate(config):
        pending.append(record)
        if len(pending) >= batch:
            flush()
    flush()
    return LoadStats(n_articles, n_sightings, n_rows, time.perf_counter() - started)
