"""Full enrichment throughput against bare spaCy NER on the same 400-word news texts.

Texts: LGL news articles from ../shared/corpora/eupeg-geoparsing (real local news),
cut to 400 words; the first sentence serves as the title. Measured in one run, after
a warm-up that loads every model, on a fresh SQLite store:

* baseline: ``nlp.pipe`` of spaCy's English pipeline (what NER costs alone);
* ours: ``watchfloor.enrich.pipeline.enrich`` (language, NER, places, relevance,
  categories, dated events, embeddings, story clusters, all written to the store).

Prints articles/s, the ratio (goal: at most 1.5x the bare NER), and peak memory.
Run: .venv/bin/python benchmarks/bench_enrich.py [--articles 200]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
    ap.add_argument("--articles", type=int, default=200)
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} not found (set WATCHFLOOR_SHARED)")
        return 0
    texts = articles(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        enricher = Enricher()
        warm = Store(f"sqlite:///{tmp}/warm.db")
        warm.init()
        fill(warm, articles(8), "warm")
        enrich(warm, enricher=enricher)  # loads spaCy, the gazetteer and the embedder

        nlp = load_nlp()
        started = time.perf_counter()
        for _ in nlp.pipe([f"{t}\n\n{b}" for t, b in texts], batch_size=32):
            pass
        bare = time.perf_counter() - started

        store = Store(f"sqlite:///{tmp}/bench.db")
        store.init()
        fill(store, texts, "run")
        started = time.perf_counter()
        summary = enrich(store, enricher=enricher)
        full = time.perf_counter() - started
        assert summary.articles == len(texts), summary
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(texts)
    print(f"enrichment of {n} LGL articles cut to 400 words (models loaded beforehand)")
    print(f"{'':34}{'seconds':>9}{'articles/s':>12}")
    print(f"{'spaCy NER alone (baseline)':34}{bare:9.2f}{n / bare:12.1f}")
    print(f"{'full enrichment, stored':34}{full:9.2f}{n / full:12.1f}")
    print(f"ratio full / NER: {full / bare:.2f}x (goal <= 1.5x)")
    print(f"peak resident memory of the process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
