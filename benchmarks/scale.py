"""A million articles: insert rate, size per article, country-week select latency and the
time to write one week's report, on SQLite and PostgreSQL (docs/scaling.md).

Not part of ``make bench`` (it takes long): ``make bench-scale``, or
``python benchmarks/scale.py --articles 50000 --backends sqlite`` for a quick look.
The PostgreSQL database is created and dropped at WATCHFLOOR_TEST_PG_URL's server.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import SynthConfig, load
from sqlalchemy import and_, func, select

from watchfloor.store.db import Store
from watchfloor.store.schema import article_countries, articles

PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def _country_week(store: Store, country: str, start: date) -> list[int]:
    from watchfloor.analyze.facts import day_bounds

    lo_, hi_ = day_bounds(start, start + timedelta(days=6))
    query = (
        select(articles.c.id)
        .join(article_countries, article_countries.c.article_id == articles.c.id)
        .where(
            and_(
                article_countries.c.country == country,
                article_countries.c.is_about.is_(True),
                articles.c.published_at >= lo_,
                articles.c.published_at < hi_,
            )
        )
    )
    with store.connect() as conn:
        return [r[0] for r in conn.execute(query)]


def _size(store: Store, path: Path | None) -> int:
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with store.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar())


def run(backend: str, n: int, samples: int) -> None:
    config = SynthConfig(articles=n)
    tmp = Path(tempfile.mkdtemp(prefix="wf-scale-"))
    path: Path | None = None
    name = ""
    if backend == "sqlite":
        path = tmp / "scale.db"
        store = Store(f"sqlite:///{path}")
    else:
        import psycopg

        name = f"wf_scale_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        store = Store(PG_SERVER.rsplit("/", 1)[0] + f"/{name}")
    try:
        store.init()
        stats = load(store, config)
        size = _size(store, path)
        print(
            f"{backend}: {stats.articles:,} articles ({stats.sightings:,} sightings, "
            f"{stats.rows:,} rows) in {stats.seconds:.1f} s = {stats.per_second:,.0f} "
            f"articles/s; {size / stats.articles:,.0f} bytes/article "
            f"({size / 1e6:,.0f} MB)"
        )
        with store.connect() as conn:
            busiest = conn.execute(
                select(article_countries.c.country, func.count())
                .group_by(article_countries.c.country)
                .order_by(func.count().desc())
                .limit(20)
            ).all()
        rng = random.Random(1)
        first = (config.end - timedelta(days=config.days)).date()
        timings, sizes = [], []
        for _ in range(samples):
            country = rng.choice(busiest)[0]
            start = first + timedelta(days=rng.randint(0, config.days - 7))
            t0 = time.perf_counter()
            found = _country_week(store, country, start)
            timings.append((time.perf_counter() - t0) * 1000)
            sizes.append(len(found))
        q = statistics.quantiles(timings, n=20)
        print(
            f"{backend}: country-week select over {samples} random weeks of the 20 busiest "
            f"countries: p50 {statistics.median(timings):.1f} ms, p95 {q[18]:.1f} ms "
            f"({statistics.median(sizes):.0f} articles in the median week)"
        )
        from watchfloor.analyze.facts import load_period

        country = busiest[0][0]
        start = first + timedelta(days=config.days // 2)
        t0 = time.perf_counter()
        with store.connect() as conn:
            period = load_period(conn, country=country, start=start, end=start + timedelta(days=6))
        print(
            f"{backend}: loading the report data of {country}, week of {start}: "
            f"{time.perf_counter() - t0:.2f} s ({len(period.articles):,} articles read, "
            f"{sum(1 for a in period.articles.values() if a.about(country, 0.5)):,} about "
            "the country)"
        )
    finally:
        store.dispose()
        if name:
            import psycopg

            with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run(backend.strip(), args.articles, args.samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
