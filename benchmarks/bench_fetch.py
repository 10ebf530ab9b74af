"""Measure how close the Fetcher gets to perfectly parallel fetching on loopback.

Set-up: 500 feeds on 50 loopback hosts (127.0.0.1 ... 127.0.0.50, one threaded fixture
server each, 10 feeds per host), every feed answered after 100 ms. The servers run in a
child process so that the client's CPU time per fetch can be measured on its own. Distinct host
addresses are what a real OPML list looks like (many sites, a few feeds each), and they
keep the per-host limit (4) from serialising everything onto one host: 50 hosts x 4 slots
is more than the global limit, so the global ``max_concurrency`` is the binding limit.

Figures printed for each concurrency setting:
- floor: 100 ms, a fetch of everything at once with no limit at all;
- ideal: ceil(500 / max_concurrency) x 100 ms, the best any fetcher obeying the limit
  can do;
- wall: measured; and the ratios wall/ideal (the fetcher's own overhead) and wall/floor;
- client CPU per fetch: the fetching process's CPU time divided by the feeds fetched.

Run: .venv/bin/python benchmarks/bench_fetch.py [--feeds 500] [--hosts 50] [--delay 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fixture_server import FixtureServer, static

from watchfloor.collect.fetch import Fetcher, FetchPolicy

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title></channel></rss>'


def serve(hosts: int, feeds: int, delay: float, ready: Any, stop: Any) -> None:
    """Child process: serve the feeds until told to stop; report URLs and hit count."""
    with ExitStack() as stack:
        servers = [
            stack.enter_context(FixtureServer(host=f"127.0.0.{n + 1}")) for n in range(hosts)
        ]
        urls = []
        for index in range(feeds):
            server = servers[index % len(servers)]
            path = f"/feed-{index}.xml"
            server.route(path, static(FEED, "application/rss+xml", delay=delay))
            urls.append(server.url(path))
        ready.put(urls)
        stop.wait()
        ready.put(sum(server.hits() for server in servers))


async def fetch_all(policy: FetchPolicy, urls: list[str]) -> tuple[float, float, int]:
    """Fetch every URL concurrently; return wall and CPU seconds and how many were 200."""
    async with Fetcher(policy) as fetcher:
        started, cpu = time.perf_counter(), time.process_time()
        results = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return wall, cpu, sum(1 for result in results if result.status == 200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.1, help="server delay per feed, s")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not 1 <= args.hosts <= 250:
        parser.error("--hosts must be between 1 and 250 (127.0.0.1 ... 127.0.0.250)")

    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    child = context.Process(
        target=serve, args=(args.hosts, args.feeds, args.delay, ready, stop), daemon=True
    )
    child.start()
    try:
        urls: list[str] = ready.get(timeout=60)
        print(
            f"{args.feeds} feeds on {args.hosts} loopback hosts, each answered after "
            f"{args.delay * 1000:.0f} ms; best of {args.repeat} runs"
        )
        print(f"{'max_concurrency':>15} {'per_host':>8} {'floor s':>8} {'ideal s':>8} "
              f"{'wall s':>7} {'wall/ideal':>10} {'wall/floor':>10} {'feeds/s':>8} "
              f"{'CPU ms/fetch':>12}")  # fmt: skip
        for concurrency in (32, 128):
            # The loopback servers are private addresses, so the guard must let them in.
            policy = FetchPolicy(allow_private=True, max_concurrency=concurrency)
            floor = args.delay
            ideal = math.ceil(args.feeds / min(concurrency, args.hosts * 4)) * args.delay
            runs = []
            for _ in range(args.repeat):
                wall, cpu, ok = asyncio.run(fetch_all(policy, urls))
                if ok != args.feeds:
                    raise SystemExit(f"only {ok} of {args.feeds} feeds came back")
                runs.append((wall, cpu))
            wall, cpu = min(runs)
            print(
                f"{concurrency:>15} {policy.per_host_limit:>8} {floor:>8.2f} {ideal:>8.2f} "
                f"{wall:>7.2f} {wall / ideal:>10.2f} {wall / floor:>10.1f} "
                f"{args.feeds / wall:>8.0f} {cpu / args.feeds * 1000:>12.2f}"
            )
        stop.set()
        hits = ready.get(timeout=30)
        print(f"requests received by the servers: {hits} (expected {args.feeds * args.repeat * 2})")
    finally:
        stop.set()
        child.join(timeout=10)


if __name__ == "__main__":
    main()
