"""A million articles: insert rate, size per article, country-week select latency and the
time to write one busy week's report, on SQLite and PostgreSQL (docs/scaling.md).

Not part of ``make bench`` (it takes long): ``make bench-scale``, or
``python benchmarks/scale.py --articles 50000 --backends sqlite`` for a quick look.
The articles come from ``benchmarks/synth.py`` through the store's own write paths
(``upsert_articles``, ``write_enrichments``); one country (MN) gets ``--busy`` more
articles in the week of 2026-03-02, whose report is timed (the report service: analysis,
then JSON, Markdown and HTML). ``--stop-after MINUTES`` stops loading early (a uniform
sample of the articles) and measures what is there; ``--keep`` keeps the database and
``--measure URL`` measures a kept one again.
The PostgreSQL database is created at 127.0.0.1:5432 (user postgres) and dropped
afterwards unless kept.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import SynthConfig, load
from sqlalchemy import and_, func, select, true
from sqlalchemy.engine import make_url

from watchfloor.store.db import Store
from watchfloor.store.schema import article_countries, articles

PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
BUSY_COUNTRY = "MN"


def _country_week(store: Store, country: str, start: date) -> list[int]:
    """The ids of the articles about *country* published in the week from *start*.

    Written as the week's ids intersected with the country's (``IN``), so that both sides
    are read from covering indexes (``articles (published_at)`` and m008's
    ``article_countries (country, is_about, article_id)``); the plain join let SQLite
    walk the country's whole year and read every article.
    """
    from watchfloor.analyze.facts import day_bounds

    lo_, hi_ = day_bounds(start, start + timedelta(days=6))
    week = select(articles.c.id).where(
        and_(articles.c.published_at >= lo_, articles.c.published_at < hi_)
    )
    query = select(article_countries.c.article_id).where(
        and_(
            article_countries.c.country == country,
            article_countries.c.is_about == true(),
            article_countries.c.article_id.in_(week),
        )
    )
    with store.connect() as conn:
        return [r[0] for r in conn.execute(query)]


def _size(store: Store, path: Path | None) -> int:
    """Bytes on disk: the SQLite file with its WAL, or every table's relations (heap,
    TOAST, indexes) in PostgreSQL."""
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with store.connect() as conn:
        return int(
            conn.exec_driver_sql(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')"
            ).scalar()
            or 0
        )


def _load_average() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        return "n/a"


def _report(store: Store, country: str, start: date, out: Path) -> None:
    """Time the report service on one week: the store read, then analysis and rendering."""
    from watchfloor.analyze.facts import load_period
    from watchfloor.config import load_settings
    from watchfloor.services import reports

    end = start + timedelta(days=6)
    t0 = time.perf_counter()
    with store.connect() as conn:
        period = load_period(conn, country=country, start=start, end=end)
    read = time.perf_counter() - t0
    about = sum(1 for a in period.articles.values() if a.in_period and a.about(country))
    settings = load_settings(env={})
    t0, c0 = time.perf_counter(), time.process_time()
    built = reports.build_and_store(
        settings,
        store,
        country=country,
        start=start,
        end=end,
        backend="extractive",
        out_dir=out,
        formats=["json", "md", "html"],
        timezone="UTC",
    )
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"  report {country}, {start}..{end}: {about:,} articles about the country "
        f"({len(period.articles):,} read with context); store read {read:.2f} s; "
        f"build + store + json/md/html {total:.2f} s ({cpu:.2f} s of CPU) "
        f"({len(built.report.key_developments)} developments, {len(built.files)} files)",
        flush=True,
    )


def run(
    backend: str,
    n: int,
    samples: int,
    busy: int,
    stop_after: float | None = None,
    keep: bool = False,
    existing: str = "",
    load_only: bool = False,
    reports_too: bool = True,
    resume: bool = False,
) -> None:
    """Load *n* articles into a new database (or reuse *existing*) and measure it."""
    busy_week = date(2026, 3, 2)  # a Monday, within the default year
    config = SynthConfig(
        articles=n, busy_country=BUSY_COUNTRY, busy_week=busy_week, busy_articles=busy
    )
    tmp = Path(tempfile.mkdtemp(prefix="wf-scale-"))
    path: Path | None = None
    name = ""
    if existing:
        store = Store(existing)
        backend = store.dialect
        if backend == "sqlite":
            path = Path(make_url(store.url).database or "")
    elif backend == "sqlite":
        path = tmp / "scale.db"
        store = Store(f"sqlite:///{path}")
    else:
        import psycopg

        name = f"wf_scale_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        store = Store(PG_SERVER.rsplit("/", 1)[0] + f"/{name}")
    try:
        first = 0
        if existing:
            with store.connect() as conn:
                stored = conn.execute(select(func.count()).select_from(articles)).scalar() or 0
            print(f"{backend}: {stored:,} articles already in {store.safe_url}", flush=True)
            first = stored if resume else 0
        if not existing or (resume and first < n):
            if not existing:
                store.init()
            print(
                f"{backend}: loading {n - first:,} articles (load average {_load_average()})",
                flush=True,
            )
            last = [0, 0.0]

            def progress(done: int, seconds: float) -> None:
                if done - last[0] >= 100_000 or done == n - first:
                    rate = (done - last[0]) / max(seconds - last[1], 1e-9)
                    print(
                        f"  {done:,} articles, {seconds:,.0f} s writing; "
                        f"{rate:,.0f} articles/s over the last {done - last[0]:,} "
                        f"(load average {_load_average()})",
                        flush=True,
                    )
                    last[:] = [done, seconds]

            stats = load(store, config, stop_after=stop_after, progress=progress, first=first)
            if backend == "postgresql":
                with store.connect() as conn:  # what autovacuum would have done by now
                    conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                        "VACUUM ANALYZE"
                    )
            stored = first + stats.articles
            print(
                f"  insert: {stats.articles:,} articles ({stats.sightings:,} sightings, "
                f"{stats.rows:,} rows) written in {stats.write_seconds:.1f} s = "
                f"{stats.write_per_second:,.0f} articles/s ({stats.per_second:,.0f}/s with "
                f"generation, {stats.seconds:.0f} s)",
                flush=True,
            )
        if path is not None:  # the WAL's pages belong in the file, not beside it
            with store.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        size = _size(store, path)
        print(
            f"  size: {size / stored:,.0f} bytes/article ({size / 1e6:,.0f} MB)"
            f" (load average {_load_average()})",
            flush=True,
        )
        if load_only:
            return
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
            f"  country-week select over {samples} random weeks of the 20 busiest "
            f"countries: p50 {statistics.median(timings):.1f} ms, p95 {q[18]:.1f} ms "
            f"({statistics.median(sizes):.0f} articles in the median week, "
            f"{max(sizes):,} in the largest)",
            flush=True,
        )
        if not reports_too:
            return
        # The busiest country's mid-year week first: it also pays for the imports and
        # the models a long-running process loads once.
        _report(store, busiest[0][0], first + timedelta(days=config.days // 2), tmp / "report2")
        if busy:
            _report(store, BUSY_COUNTRY, busy_week, tmp / "report")
        print(f"  (load average {_load_average()})", flush=True)
    finally:
        store.dispose()
        if keep and not existing:
            print(f"  kept: --measure {store.url}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        if name and not keep:
            import psycopg

            with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument(
        "--busy",
        type=int,
        default=2000,
        help=f"extra articles about {BUSY_COUNTRY} in one week, for the report timing",
    )
    parser.add_argument(
        "--stop-after",
        type=float,
        default=None,
        metavar="MINUTES",
        help="stop loading after this long (a uniform sample of the articles) and measure",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and print its URL")
    parser.add_argument(
        "--measure", default="", metavar="URL", help="measure a kept database, load nothing"
    )
    parser.add_argument(
        "--resume",
        default="",
        metavar="URL",
        help="load a kept database on up to --articles (the rest drawn from a seed of its "
        "own, see synth.generate), then measure it",
    )
    parser.add_argument("--load-only", action="store_true", help="load and size only (with --keep)")
    parser.add_argument("--no-report", action="store_true", help="skip the report timings")
    args = parser.parse_args()
    stop = args.stop_after * 60 if args.stop_after else None
    if args.resume:
        run(
            "",
            args.articles,
            args.samples,
            args.busy,
            stop,
            existing=args.resume,
            load_only=args.load_only,
            reports_too=not args.no_report,
            resume=True,
        )
        return 0
    if args.measure:
        run(
            "",
            args.articles,
            args.samples,
            args.busy,
            existing=args.measure,
            reports_too=not args.no_report,
        )
        return 0
    for backend in args.backends.split(","):
        run(
            backend.strip(),
            args.articles,
            args.samples,
            args.busy,
            stop,
            args.keep,
            load_only=args.load_only,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
