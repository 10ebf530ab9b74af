"""Items per second stored by collect, against bare feedparser.parse on the same bytes.

Writes N generated RSS feeds to a temporary folder, registers them as local-file sources
(so the network is out of the measurement), and times:

* baseline: ``feedparser.parse`` on each feed's bytes (parsing only);
* ours: ``watchfloor collect`` on a fresh SQLite store (read, keep raw bytes, parse,
  canonicalise, deduplicate, write articles and sightings, commit).

Both are measured in the same run; the ratio is what to compare across machines.
Run: .venv/bin/python benchmarks/bench_collect.py [--feeds 20] [--items 100]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import feedparser

from watchfloor.collect.run import collect
from watchfloor.config import load_settings
from watchfloor.store import queries as q
from watchfloor.store.db import Store


def make_feed(index: int, items: int) -> bytes:
    entries = []
    for j in range(items):
        day = 1 + (j % 28)
        entries.append(
            f"<item><title>Outlet {index} story {j} on border trade and energy</title>"
            f"<link>https://outlet{index}.example/news/{j}?utm_source=rss</link>"
            f"<guid isPermaLink='false'>o{index}-{j}</guid>"
            f"<pubDate>Mon, {day:02d} Apr 2026 08:{j % 60:02d}:00 +0800</pubDate>"
            f"<description>{'Officials met in Ulaanbaatar to discuss the crossing. ' * 8}"
            f"Item {j}.</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Outlet {index}</title><link>https://outlet{index}.example/</link>"
        + "".join(entries)
        + "</channel></rss>"
    ).encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        for i in range(args.feeds):
            path = folder / f"feed{i}.xml"
            path.write_bytes(make_feed(i, args.items))
            paths.append(path)
        blobs = [p.read_bytes() for p in paths]
        total = args.feeds * args.items

        base_times, ours_times = [], []
        for r in range(args.repeat):
            start = time.perf_counter()
            parsed = sum(len(feedparser.parse(b).entries) for b in blobs)
            base_times.append(time.perf_counter() - start)
            assert parsed == total

            store = Store(f"sqlite:///{folder / f'bench{r}.db'}")
            store.init()
            with store.begin() as conn:
                for p in paths:
                    q.add_source(
                        conn,
                        url=str(p),
                        kind="feed",
                        name=p.name,
                        countries=["MN"],
                        every_seconds=1800,
                    )
            settings = load_settings(env={}, overrides={"db": store.url})
            start = time.perf_counter()
            summary = collect(store, settings)
            ours_times.append(time.perf_counter() - start)
            assert summary.totals().new == total, summary.totals()
            store.dispose()

    base, ours = min(base_times), min(ours_times)
    print(
        f"collect vs feedparser.parse: {args.feeds} feeds x {args.items} items, "
        f"best of {args.repeat}"
    )
    print(f"{'':28}{'seconds':>10}{'items/s':>12}")
    print(f"{'feedparser.parse (baseline)':28}{base:10.3f}{total / base:12.0f}")
    print(f"{'watchfloor collect (stored)':28}{ours:10.3f}{total / ours:12.0f}")
    print(f"ratio collect/feedparser time: {ours / base:.2f}x")


if __name__ == "__main__":
    main()
