"""Enrichment throughput with 1 and 2 worker processes, each held to one thread.

Each worker is a process of its own, as a Celery worker's pool process is: it loads the
models, fills a SQLite store of its own with its share of the texts (the LGL news texts of
``bench_enrich.py``, 400 words), waits for the start signal, enriches, and reports its
time. With the thread pools of numpy, ONNX and spaCy held to one thread per process, two
workers fit the two cores. The figure is the throughput of two workers against one (goal:
at least 1.8x); stores are separate, so this is the ceiling of the CPU side, without the
database contention of a shared store (docs/scaling.md).

Run: .venv/bin/python benchmarks/bench_workers.py [--articles 60] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ONE_THREAD = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
    )
}


def child(articles: int, offset: int) -> int:
    sys.path.insert(0, str(HERE))
    from bench_enrich import CORPUS, fill
    from bench_enrich import articles as texts

    from watchfloor.enrich.pipeline import Enricher, enrich
    from watchfloor.store.db import Store

    if not CORPUS.exists():
        print("missing", flush=True)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="wf-bench-workers-"))
    enricher = Enricher()
    warm = Store(f"sqlite:///{folder / 'warm.db'}")
    warm.init()
    fill(warm, texts(offset + 5)[offset : offset + 5], "warm")
    enrich(warm, enricher=enricher)  # loads every model before the clock starts
    store = Store(f"sqlite:///{folder / 'work.db'}")
    store.init()
    fill(store, texts(offset + articles)[offset:], f"w{offset}")
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.perf_counter()
    cpu = time.process_time()
    summary = enrich(store, enricher=enricher)
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"done {summary.articles} {wall:.3f} {used:.3f}", flush=True)
    return 0


def run(workers: int, articles: int) -> tuple[float, int, list[float]]:
    """Start *workers* processes; return the wall time, articles enriched, CPU times."""
    env = {**os.environ, **ONE_THREAD}
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--child", str(articles), str(i * articles)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(workers)
    ]
    for p in procs:
        line = p.stdout.readline().strip()  # type: ignore[union-attr]
        if line != "ready":
            raise SystemExit(f"worker did not start: {line!r} (corpus missing?)")
    start = time.perf_counter()
    for p in procs:
        p.stdin.write("go\n")  # type: ignore[union-attr]
        p.stdin.flush()  # type: ignore[union-attr]
    done, cpus = 0, []
    for p in procs:
        _, n, _wall, cpu = p.stdout.readline().split()  # type: ignore[union-attr]
        done += int(n)
        cpus.append(float(cpu))
        p.wait()
    return time.perf_counter() - start, done, cpus


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        return child(int(sys.argv[2]), int(sys.argv[3]))
    sys.path.insert(0, str(HERE))
    from bench_enrich import CORPUS

    if not CORPUS.exists():
        print(f"skipped: corpus not found at {CORPUS} (set WATCHFLOOR_SHARED)")
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=60, help="articles per worker")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ratios = []
    for r in range(1, args.rounds + 1):
        wall1, n1, cpu1 = run(1, args.articles)
        wall2, n2, _ = run(2, args.articles)
        one, two = n1 / wall1, n2 / wall2
        ratios.append(two / one)
        print(
            f"round {r}: 1 worker {one:.2f} articles/s ({cpu1[0] / n1 * 1000:.0f} ms CPU each); "
            f"2 workers {two:.2f} articles/s; ratio {two / one:.2f}x"
        )
    per_core = n1 / sum(cpu1)
    print(
        f"median ratio {sorted(ratios)[len(ratios) // 2]:.2f}x (goal >= 1.8x); one core "
        f"enriches about {per_core * 86400:,.0f} articles a day at this CPU cost"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
