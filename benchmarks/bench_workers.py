"""Enrichment throughput with 1 and 2 worker processes sharing one store, each held to one
thread, and the CPU time of each enrichment stage per article.

Each worker is a process of its own, as a Celery worker's pool process is. It loads every
model on a small warm-up store, says it is ready, waits for the start signal and enriches
the shared store through the enrichment claims (``watchfloor.enrich.pipeline``): each
worker claims the next batch of pending articles, annotates it, and writes it under the
store's write lock. With the numeric thread pools (OpenMP, OpenBLAS, MKL, numexpr) held to
one thread and ``Enricher(threads=1)`` (no second embedding thread), one worker uses one
core, so two fit the two cores. Goal: 2 workers >= 1.8 times one.

The articles are real: the LGL local news texts of ``bench_enrich.py`` cut to 400 words,
and the demo week's feed items (short summaries in English, Mongolian and Russian). Before
each measurement every article is marked pending again and the clusters are reset, so
each run enriches the same articles.

Printed: each run's throughput and the cores it kept busy (CPU seconds over wall
seconds), the ratio of 2 workers to 1 (median over rounds), CPU ms per article, articles
a day one core enriches at that cost, the load average before and after, and the CPU
time of each stage per article (time.process_time around each stage in the pipeline,
``watchfloor.enrich.pipeline.StageClock``), with one worker and with two.

Run:
    PYTHONPATH=src .venv/bin/python benchmarks/bench_workers.py            # SQLite
    PYTHONPATH=src .venv/bin/python benchmarks/bench_workers.py \\
        --db postgresql://postgres@127.0.0.1:5432/postgres                 # PostgreSQL
Options: --articles 120 (LGL texts, plus the demo's ~80) --rounds 3 --batch 16.
With --db a scratch database is created on that server and dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ONE_THREAD = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
        "TORCH_NUM_THREADS",
    )
}


def fill(url: str, articles: int) -> int:
    """Put the LGL texts and the demo feeds into the store at *url*; return the total."""
    sys.path.insert(0, str(HERE))
    from bench_enrich import articles as lgl_texts
    from bench_enrich import fill as fill_texts

    from watchfloor.collect.run import collect
    from watchfloor.config import load_settings
    from watchfloor.services.demo import demo_sources
    from watchfloor.store import queries as q
    from watchfloor.store.db import Store

    store = Store(url)
    store.init()
    fill_texts(store, lgl_texts(articles), "lgl")
    with store.begin() as conn:
        for source in demo_sources():
            if source.kind == "feed":
                q.add_source(
                    conn,
                    url=str(source.path),
                    kind="feed",
                    name=source.name,
                    countries=list(source.countries),
                    every_seconds=1800,
                    language=source.language,
                )
    collect(store, load_settings(env={}, overrides={"db": url}), force=True)
    with store.connect() as conn:
        total = q.count_rows(conn, "articles")
    store.dispose()
    return total


def reset(url: str) -> None:
    """Every article pending again, no clusters, no claims."""
    from watchfloor.enrich.pipeline import CLUSTER_STATE_KEY
    from watchfloor.store import enrichment as es
    from watchfloor.store.db import Store

    store = Store(url)
    with store.begin() as conn:
        es.lock_writes(conn)
        es.reset_clusters(conn, CLUSTER_STATE_KEY)
    store.dispose()


def child(url: str, batch: int) -> int:
    """One worker: load the models, wait for "go", enrich the shared store, report."""
    sys.path.insert(0, str(HERE))
    from bench_enrich import articles as lgl_texts
    from bench_enrich import fill as fill_texts

    from watchfloor.enrich.pipeline import Enricher, StageClock, enrich
    from watchfloor.store.db import Store

    clock = StageClock()
    enricher = Enricher(threads=1, clock=clock)
    warm = Store(f"sqlite:///{tempfile.mkdtemp(prefix='wf-bench-warm-')}/warm.db")
    warm.init()
    fill_texts(warm, lgl_texts(3), "warm")
    enrich(warm, enricher=enricher)  # every model loaded before the clock starts
    clock.seconds.clear()
    store = Store(url)
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.perf_counter()
    cpu = time.process_time()
    summary = enrich(store, batch_size=batch, enricher=enricher)
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(
        json.dumps(
            {"articles": summary.articles, "wall": wall, "cpu": used, "stages": clock.seconds}
        ),
        flush=True,
    )
    return 0


def run(url: str, workers: int, batch: int) -> tuple[float, int, float, dict[str, float]]:
    """Start *workers* processes on the store; return wall time, articles, CPU s, stages."""
    reset(url)
    env = {**os.environ, **ONE_THREAD}
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--child", url, str(batch)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(workers)
    ]
    for p in procs:
        line = p.stdout.readline().strip()  # type: ignore[union-attr]
        if line != "ready":
            raise SystemExit(f"worker did not start: {line!r}")
    start = time.perf_counter()
    for p in procs:
        p.stdin.write("go\n")  # type: ignore[union-attr]
        p.stdin.flush()  # type: ignore[union-attr]
    done, cpu = 0, 0.0
    stages: dict[str, float] = {}
    for p in procs:
        report = json.loads(p.stdout.readline())  # type: ignore[union-attr]
        done += report["articles"]
        cpu += report["cpu"]
        for k, v in report["stages"].items():
            stages[k] = stages.get(k, 0.0) + v
        p.wait()
    return time.perf_counter() - start, done, cpu, stages


def _scratch_pg(server: str) -> tuple[str, str]:
    import psycopg

    name = f"wf_bench_workers_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = server.rpartition("/")
    return f"{base}/{name}", name


def _drop_pg(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        return child(sys.argv[2], int(sys.argv[3]))
    sys.path.insert(0, str(HERE))
    from bench_enrich import CORPUS

    if not CORPUS.exists():
        print(f"skipped: corpus not found at {CORPUS} (set WATCHFLOOR_SHARED)")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120, help="LGL texts (+ the demo's)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16, help="articles per claim")
    parser.add_argument(
        "--db", help="a PostgreSQL server URL: a scratch database is made there (default SQLite)"
    )
    args = parser.parse_args()
    scratch = None
    if args.db:
        url, scratch = _scratch_pg(args.db)
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='wf-bench-workers-')) / 'shared.db'}"
    try:
        total = fill(url, args.articles)
        print(
            f"{total} articles ({args.articles} LGL texts of 400 words, the rest demo feed "
            f"items) in one {'PostgreSQL' if args.db else 'SQLite'} store; batches of "
            f"{args.batch}; load average before: {os.getloadavg()[0]:.2f}"
        )
        ratios, cpus, single_articles = [], [], 0
        stages_sum: dict[str, float] = {}
        pair_sum: dict[str, float] = {}
        for r in range(1, args.rounds + 1):
            wall1, n1, cpu1, stages = run(url, 1, args.batch)
            wall2, n2, cpu2, pair = run(url, 2, args.batch)
            if n1 != total or n2 != total:
                raise SystemExit(f"articles enriched: {n1} and {n2}, expected {total} each")
            one, two = n1 / wall1, n2 / wall2
            ratios.append(two / one)
            cpus.append(cpu1 / n1)
            single_articles += n1
            for k, v in stages.items():
                stages_sum[k] = stages_sum.get(k, 0.0) + v
            for k, v in pair.items():
                pair_sum[k] = pair_sum.get(k, 0.0) + v
            # Cores busy = CPU seconds / wall seconds: two workers that get ~2 cores and
            # still fall short of 2x wait on each other; ones that get ~1 core are starved.
            print(
                f"round {r}: 1 worker {one:.2f} articles/s ({cpu1 / n1 * 1000:.0f} ms CPU each, "
                f"{cpu1 / wall1:.2f} cores busy); 2 workers {two:.2f} articles/s "
                f"({cpu2 / n2 * 1000:.0f} ms CPU each, {cpu2 / wall2:.2f} cores busy); "
                f"ratio {two / one:.2f}x; load average {os.getloadavg()[0]:.2f}"
            )
        per_article = statistics.median(cpus)
        print(
            f"median ratio {statistics.median(ratios):.2f}x (goal >= 1.8x); "
            f"{per_article * 1000:.0f} ms CPU per article in one worker, so one core enriches "
            f"about {86400 / per_article:,.0f} articles a day"
        )
        print(f"\nCPU time per stage and article, {single_articles} articles per column:")
        print(f"{'stage':20} {'1 worker, ms':>12} {'share':>7} {'2 workers, ms':>14}")
        whole = sum(stages_sum.values())
        for name, seconds in sorted(stages_sum.items(), key=lambda kv: -kv[1]):
            print(
                f"{name:20} {seconds / single_articles * 1000:12.1f} {seconds / whole:7.1%} "
                f"{pair_sum.get(name, 0.0) / single_articles * 1000:14.1f}"
            )
        print(
            f"{'all stages':20} {whole / single_articles * 1000:12.1f} {'':7} "
            f"{sum(pair_sum.values()) / single_articles * 1000:14.1f}"
        )
    finally:
        if scratch is not None:
            _drop_pg(args.db, scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
