"""Full enrichment throughput against bare spaCy NER on the same 400-word news texts.

Texts: LGL news articles from ../shared/corpora/eupeg-geoparsing (real local news),
cut to 400 words; the first sentence serves as the title. Measured in one run, after
a warm-up that loads every model, on a fresh SQLite store:

* baseline: ``nlp.pipe`` of spaCy's English pipeline (what NER costs alone);
* ours: ``watchfloor.enrich.pipeline.enrich`` (language, NER, places, relevance,
  categories, dated events, embeddings, story clusters, all written to the store).

The machine is noisy (one run's ratio swings by 0.3 or more), so the two are measured in
``--rounds`` alternating rounds, each full enrichment on a store of its own, and the median
of the per-round ratios is the figure. Prints articles/s, the ratios (goal: at most 1.5x the
bare NER), the CPU time of each side, and peak memory.
Run: .venv/bin/python benchmarks/bench_enrich.py [--articles 120] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from watchfloor.enrich.entities import load_nlp
from watchfloor.enrich.pipeline import Enricher, enrich
from watchfloor.models import ParsedItem
from watchfloor.store import queries as q
from watchfloor.store.db import Store

SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "corpora" / "eupeg-geoparsing" / "texts" / "LGL.jsonl"


def articles(n: int) -> list[tuple[str, str]]:
    out = []
    for line in CORPUS.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        words = json.loads(line)["text"].split()
        if len(words) < 400:
            continue
        body = " ".join(words[:400])
        title = body.split(". ")[0][:150]
        out.append((title, body))
        if len(out) == n:
            break
    return out


def fill(store: Store, texts: list[tuple[str, str]], tag: str) -> None:
    start = datetime(2026, 4, 27, tzinfo=UTC)
    with store.begin() as conn:
        source, _ = q.add_source(
            conn,
            url=f"bench-{tag}",
            kind="feed",
            name="bench",
            countries=["US"],
            every_seconds=3600,
        )
        entries = [
            q.ItemToStore(
                ParsedItem(
                    title=t,
                    summary=b,
                    url=f"https://bench.example/{tag}/{i}",
                    published=start + timedelta(minutes=50 * i),
                ),
                f"https://bench.example/{tag}/{i}",
                f"{tag}-{i}",
            )
            for i, (t, b) in enumerate(texts)
        ]
        q.upsert_articles(conn, entries, source_id=source.id, raw_id=None, seen_at=start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} not found (set WATCHFLOOR_SHARED)")
        return 0
    texts = articles(args.articles)
    n = len(texts)
    rows: list[tuple[float, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        enricher = Enricher()
        warm = Store(f"sqlite:///{tmp}/warm.db")
        warm.init()
        fill(warm, articles(8), "warm")
        enrich(warm, enricher=enricher)  # loads spaCy, the gazetteer and the embedder
        nlp = load_nlp()
        docs = [f"{t}\n\n{b}" for t, b in texts]
        for r in range(args.rounds):
            started, cpu = time.perf_counter(), time.process_time()
            for _ in nlp.pipe(docs, batch_size=32):
                pass
            bare, bare_cpu = time.perf_counter() - started, time.process_time() - cpu

            store = Store(f"sqlite:///{tmp}/bench{r}.db")
            store.init()
            fill(store, texts, f"run{r}")
            started, cpu = time.perf_counter(), time.process_time()
            summary = enrich(store, enricher=enricher)
            full, full_cpu = time.perf_counter() - started, time.process_time() - cpu
            assert summary.articles == n, summary
            rows.append((bare, full, bare_cpu, full_cpu))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"enrichment of {n} LGL articles cut to 400 words (models loaded beforehand)")
    print(f"{'round':>5}{'NER s':>9}{'full s':>9}{'NER art/s':>11}{'full art/s':>12}"
          f"{'ratio':>8}{'CPU ratio':>11}")  # fmt: skip
    for r, (bare, full, bare_cpu, full_cpu) in enumerate(rows, 1):
        print(
            f"{r:5d}{bare:9.2f}{full:9.2f}{n / bare:11.1f}{n / full:12.1f}"
            f"{full / bare:7.2f}x{full_cpu / bare_cpu:10.2f}x"
        )
    ratio = statistics.median(full / bare for bare, full, _, _ in rows)
    cpu_ratio = statistics.median(fc / bc for _, _, bc, fc in rows)
    print(f"ratio full / NER (median of {len(rows)} rounds): {ratio:.2f}x (goal <= 1.5x)")
    print(f"CPU time full / NER (both cores counted): {cpu_ratio:.2f}x")
    print(f"peak resident memory of the process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
