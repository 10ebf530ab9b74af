"""Measure parse_feed throughput against bare feedparser.parse on the same bytes.

Run: .venv/bin/python benchmarks/bench_parse.py [--repeat N]

Two workloads: a generated 1,000-item RSS 2.0 feed with HTML descriptions, and the real
feeds of ../shared/corpora/rss-feeds (rss-parser and feed-rs inputs) when present
(WATCHFLOOR_SHARED overrides the location). Three parsers: bare feedparser, parse_feed on
its feedparser path (``fast=False``, as before the lxml fast path) and parse_feed with the
fast path (the default). Each timing is the best of N runs, the parsers interleaved in the
same process, so the ratios are what matter on a noisy machine.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser

from watchfloor.collect.feeds import parse_feed

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", REPO.parent / "shared"))


def generated_feed(items: int = 1000) -> bytes:
    """Build an RSS 2.0 feed whose items look like wire stories (HTML, dates, GUIDs)."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        "<title>Bench Wire</title><link>https://bench.example/</link>"
        "<description>generated</description>"
    ]
    for n in range(items):
        when = (start + timedelta(minutes=17 * n)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        parts.append(
            f"<item><title>Story {n}: officials meet in the capital &amp; discuss trade</title>"
            f"<link>https://bench.example/{n}?utm_source=rss</link>"
            f'<guid isPermaLink="false">bench-{n}</guid><pubDate>{when}</pubDate>'
            f"<dc:creator>Desk {n % 7}</dc:creator><category>politics</category>"
            "<description><![CDATA[<p>Delegations from <b>both countries</b> met on "
            f"day {n} to discuss border trade, energy and transport links.</p>"
            "<p>A second paragraph adds detail about the agreements and who signed them."
            "</p><script>track()</script>]]></description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def corpus_feeds() -> list[bytes]:
    root = SHARED / "corpora" / "rss-feeds"
    paths = sorted((root / "rss-parser" / "input").glob("*")) + sorted(
        (root / "feed-rs").glob("*.xml")
    )
    return [p.read_bytes() for p in paths if p.is_file()]


def best_times(works: list[Callable[[], int]], repeat: int) -> list[tuple[float, int]]:
    """Time each work ``repeat`` times, interleaved so machine noise hits all alike."""
    best = [float("inf")] * len(works)
    counts = [0] * len(works)
    for _ in range(repeat):
        for index, work in enumerate(works):
            started = time.perf_counter()
            counts[index] = work()
            best[index] = min(best[index], time.perf_counter() - started)
    return list(zip(best, counts, strict=True))


def ours(docs: list[bytes], fast: bool) -> Callable[[], int]:
    def run() -> int:
        total = 0
        for doc in docs:
            try:
                total += len(parse_feed(doc, fast=fast).items)
            except Exception:  # a corpus feed we refuse still costs time; count no items
                pass
        return total

    return run


def bare(docs: list[bytes]) -> Callable[[], int]:
    def run() -> int:
        return sum(len(feedparser.parse(io.BytesIO(doc))["entries"]) for doc in docs)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="profile parse_feed once")
    args = parser.parse_args()

    workloads = {"generated 1,000-item RSS": [generated_feed()]}
    corpus = corpus_feeds()
    if corpus:
        workloads[f"corpus ({len(corpus)} real feeds)"] = corpus
    else:
        print(f"(corpus not found under {SHARED}; generated feed only)")

    print(
        f"{'workload':<28} {'items':>6} {'feedparser it/s':>16} {'feedparser path':>16}"
        f" {'fast path':>12} {'ratio before':>13} {'ratio now':>10} {'speed-up':>9}"
    )
    for name, docs in workloads.items():
        (t_bare, n_bare), (t_old, n_old), (t_new, n_new) = best_times(
            [bare(docs), ours(docs, False), ours(docs, True)], args.repeat
        )
        assert n_old == n_new, (n_old, n_new)
        print(
            f"{name:<28} {n_new:>6} {n_bare / t_bare:>16,.0f} {n_old / t_old:>16,.0f}"
            f" {n_new / t_new:>12,.0f} {t_old / t_bare:>12.2f}x {t_new / t_bare:>9.2f}x"
            f" {t_old / t_new:>8.2f}x"
        )
    print(
        "ratio = parse_feed time / feedparser.parse time on the same bytes (before: feedparser"
        " path, now: fast path); speed-up = feedparser path time / fast path time"
    )

    if args.profile:
        profiler = cProfile.Profile()
        doc = generated_feed()
        profiler.runcall(parse_feed, doc)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


if __name__ == "__main__":
    main()
