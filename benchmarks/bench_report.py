"""Measure building a country report from a week of enriched articles.

Synthetic enriched rows are written straight into a temporary SQLite store (no NLP model
runs): for N articles, 6 outlets, stories of 1-6 articles each, 6-8 sentence bodies from a
fixed vocabulary with names and numbers, 1-2 categories, country relevance (about 80 %
about the country), 3 places, 4 entities and one dated event per article, and one
reference page with two versions. Then ``build_report`` (the extractive analyst) is timed
for each N, best of ``--repeat`` runs, and the growth against the smallest size printed.

    .venv/bin/python benchmarks/bench_report.py                     # 500 .. 8000
    .venv/bin/python benchmarks/bench_report.py --sizes 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from watchfloor.report.build import build_report, check_report
from watchfloor.store.db import Store
from watchfloor.store.schema import (
    article_categories,
    article_countries,
    article_entities,
    article_places,
    articles,
    clusters,
    dated_events,
    page_versions,
    sources,
)

START, END = date(2026, 4, 27), date(2026, 5, 3)
CATEGORIES = [
    "diplomacy", "military_defence", "cyber", "crime", "border_trade", "economy",
    "energy_infrastructure", "domestic_politics_unrest", "disaster_public_health",
    "terrorism_armed_violence", "other",
]  # fmt: skip
PLACES = [
    ("Ulaanbaatar", "MN", "city", 47.91, 106.88), ("Dornogovi", "MN", "admin1", 44.42, 109.78),
    ("Zamiin-Uud", "MN", "city", 43.72, 111.91), ("Khovd", "MN", "admin1", 46.9, 92.3),
    ("Darkhan", "MN", "city", 49.49, 105.92), ("Erdenet", "MN", "city", 49.03, 104.08),
    ("Moscow", "RU", "city", 55.75, 37.62), ("Beijing", "CN", "city", 39.91, 116.4),
]  # fmt: skip
WORDS = (
    "officials ministry border trade talks agreement exercise troops police protest fuel "
    "prices fire emergency cyber attack network customs cargo election parliament budget "
    "mining coal railway delegation cooperation security province governor minister army"
).split()
NAMES = ["Bat-Erdene", "Tumurbaatar", "Saruul", "Ganbold", "GlassMarmot", "Oyun", "Enkhbayar"]


def _sentence(rng: random.Random, topic: list[str]) -> str:
    words = rng.sample(topic, 4) + rng.sample(WORDS, 6)
    rng.shuffle(words)
    name = rng.choice(NAMES)
    return f"{name} said the {' '.join(words)} involved {rng.randint(2, 900)} people."


def populate(store: Store, n: int, seed: int = 7) -> None:
    """Write *n* synthetic enriched articles of the demo week into *store*."""
    rng = random.Random(seed)
    t0 = datetime(2026, 4, 27, tzinfo=UTC)
    span = timedelta(days=7).total_seconds()
    with store.begin() as conn:
        for s in range(6):
            conn.execute(
                insert(sources).values(
                    id=s + 1,
                    url=f"https://outlet{s}.example/feed",
                    kind="feed",
                    name=f"Outlet {s}",
                    countries=["MN"],
                    language="en",
                    every_seconds=3600,
                    enabled=True,
                    consecutive_failures=0,
                    created_at=t0,
                )
            )
        conn.execute(
            insert(sources).values(
                id=7,
                url="https://ministry.example/eu",
                kind="page",
                name="Ministry page",
                countries=["MN"],
                language="en",
                every_seconds=86400,
                enabled=True,
                consecutive_failures=0,
                created_at=t0,
            )
        )
        for v, when in ((1, t0 - timedelta(days=5)), (2, t0 + timedelta(days=3))):
            text = "\n".join(
                " ".join(_sentence(rng, WORDS) for _ in range(3)) for _ in range(6 + v)
            )
            conn.execute(
                insert(page_versions).values(
                    source_id=7,
                    version=v,
                    title="Mongolia and partners",
                    text=text,
                    text_hash=f"h{v}",
                    page_date=when,
                    fetched_at=when,
                )
            )
        rows, cats, ctry, plc, ents, evs, clus = [], [], [], [], [], [], []
        aid = 0
        story = 0
        while aid < n:
            story += 1
            size = min(n - aid, rng.randint(1, 6))
            topic = rng.sample(WORDS, 8)
            cat = rng.choice(CATEGORIES)
            base = rng.random() * span
            cid = f"s{story:015d}"
            first = last = None
            for _ in range(size):
                aid += 1
                when = t0 + timedelta(seconds=min(span - 1, base + rng.random() * 86400))
                first = first or when
                last = when
                body = " ".join(_sentence(rng, topic) for _ in range(rng.randint(6, 8)))
                title = f"{rng.choice(NAMES)} on {' '.join(topic[:4])}"
                rows.append(dict(
                    id=aid, canonical_url=f"https://o.example/{aid}", url=f"https://o.example/{aid}",
                    content_hash=f"{aid:064d}", title=title, summary=body, content="",
                    language="en", tags=[], geo={}, kind="feed", published_at=when,
                    date_estimated=False, first_seen_at=when, updated_at=when,
                    source_id=rng.randint(1, 6), enriched_version="bench", enriched_at=when,
                    detected_language="en", language_confidence=0.99, cluster_id=cid,
                ))  # fmt: skip
                cats.append(dict(article_id=aid, category=cat, confidence=0.6))
                if cat != "other" and rng.random() < 0.3:
                    cats.append(dict(article_id=aid, category="other", confidence=0.35))
                about = rng.random() < 0.8
                ctry.append(
                    dict(article_id=aid, country="MN", score=0.9 if about else 0.2, is_about=about)
                )
                for name, cc, feature, lat, lng in rng.sample(PLACES, 3):
                    plc.append(dict(
                        article_id=aid, text=name, start=0, end=len(name),
                        in_title=False, name=name, country=cc, admin1="", feature=feature, lat=lat,
                        lng=lng, population=1000, gazetteer_key=f"{name}|{cc}", score=1.0,
                        demonym=False, metonymy=False,
                    ))  # fmt: skip
                for k in range(4):
                    ents.append(
                        dict(
                            article_id=aid,
                            label="ORG" if k % 2 else "PERSON",
                            text=rng.choice(NAMES),
                            start=k * 10,
                            end=k * 10 + 5,
                        )
                    )
                evs.append(dict(
                    article_id=aid, text=_sentence(rng, topic), span_start=0, span_end=10,
                    expression="in mid-May", start_date=date(2026, 5, 11),
                    end_date=date(2026, 5, 20),
                    precision="part-of-month", is_future=True,
                ))  # fmt: skip
            clus.append(
                dict(
                    id=cid,
                    title="t",
                    size=size,
                    first_published=first,
                    last_published=last,
                    updated_at=last,
                )
            )
        for table, data in (
            (articles, rows),
            (clusters, clus),
            (article_categories, cats),
            (article_countries, ctry),
            (article_places, plc),
            (article_entities, ents),
            (dated_events, evs),
        ):
            for i in range(0, len(data), 5000):
                conn.execute(insert(table), data[i : i + 5000])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,1000,2000,4000,8000")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    results: list[tuple[int, float, int, int]] = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
            store.init()
            populate(store, n)
            best = float("inf")
            for _ in range(args.repeat):
                t = time.perf_counter()
                report = build_report(store, country="MN", start=START, end=END)
                best = min(best, time.perf_counter() - t)
            problems = check_report(report, start=START, end=END)
            store.dispose()
            results.append((n, best, len(report.key_developments), len(problems)))
    base_n, base_t = results[0][0], results[0][1]
    print(f"{'articles':>8} {'seconds':>8} {'devs':>6} {'check':>6} {'x time':>7} {'x size':>7}")
    for n, secs, devs, problems in results:
        print(
            f"{n:>8} {secs:>8.2f} {devs:>6} {problems:>6} {secs / base_t:>7.2f} {n / base_n:>7.1f}"
        )


if __name__ == "__main__":
    main()
