"""Items per second stored by collect, against bare feedparser.parse on the same bytes.

Writes N generated RSS feeds to a temporary folder, registers them as local-file sources
(so the network is out of the measurement), and times, interleaved in the same run:

* baseline: ``feedparser.parse`` on each feed's bytes (parsing only);
* collect, feedparser path: ``collect`` with ``fast_parse = false`` (every feed through
  feedparser, as before the lxml fast path) on a fresh SQLite store;
* collect, fast path: ``collect`` with the default ``fast_parse = true``.

Each collect reads the files, keeps the raw bytes, parses, canonicalises, deduplicates,
writes articles and sightings and commits. Only ratios within one run are comparable.
Run: .venv/bin/python benchmarks/bench_collect.py [--feeds 20] [--items 100] [--repeat 5]
[--profile]
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


def timed_collect(folder: Path, paths: list[Path], tag: str, fast: bool) -> tuple[float, int]:
    store = Store(f"sqlite:///{folder / f'bench-{tag}.db'}")
    store.init()
    with store.begin() as conn:
        for p in paths:
            q.add_source(
                conn, url=str(p), kind="feed", name=p.name, countries=["MN"], every_seconds=1800
            )
    settings = load_settings(env={}, overrides={"db": store.url, "collect": {"fast_parse": fast}})
    try:
        start = time.perf_counter()
        summary = collect(store, settings)
        return time.perf_counter() - start, summary.totals().new
    finally:
        store.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="profile one fast-path collect")
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

        times: dict[str, list[float]] = {"bare": [], "old": [], "new": []}
        for r in range(args.repeat):
            start = time.perf_counter()
            parsed = sum(len(feedparser.parse(b).entries) for b in blobs)
            times["bare"].append(time.perf_counter() - start)
            assert parsed == total
            # Alternate the order so a slow moment of the shared machine hits both alike.
            for fast in (False, True) if r % 2 == 0 else (True, False):
                seconds, new = timed_collect(folder, paths, f"{r}-{fast}", fast)
                assert new == total, (new, total)
                times["new" if fast else "old"].append(seconds)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(timed_collect, folder, paths, "profile", True)
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(30)

    base, old, new = (min(times[k]) for k in ("bare", "old", "new"))
    print(
        f"collect vs feedparser.parse: {args.feeds} feeds x {args.items} items, "
        f"best of {args.repeat}, interleaved"
    )
    print(f"{'':36}{'seconds':>10}{'items/s':>12}{'/ feedparser':>14}")
    for label, value in (
        ("feedparser.parse (baseline)", base),
        ("collect, feedparser path (before)", old),
        ("collect, fast path (now)", new),
    ):
        print(f"{label:36}{value:10.3f}{total / value:12.0f}{value / base:13.2f}x")
    print(f"speed-up of collect, fast path over feedparser path: {old / new:.2f}x")


if __name__ == "__main__":
    main()
