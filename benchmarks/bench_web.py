"""Measure the web app: latency under concurrent clients, and time to first render.

A temporary SQLite store (or ``--db`` PostgreSQL) gets N synthetic enriched articles from
the report benchmark's generator (``bench_report.populate``) and one stored report. The
app runs under uvicorn on 127.0.0.1; ``--clients`` concurrent httpx clients then request,
for ``--seconds`` each, one of:

- ``static``: ``/static/app.css``, the baseline (the app's stack, no store);
- ``report``: ``/reports/{id}``, the report page (the renderer's HTML);
- ``country``: ``/countries/MN``;
- ``search``: ``/api/articles?q=…&country=MN``.

Printed: requests, errors, p50 and p95 in ms, and each p50 as a ratio of the baseline's.
With ``--chromium`` (and Debian's chromium), the report page's first contentful paint in
Chromium, offline, against the sign-in page's.

    .venv/bin/python benchmarks/bench_web.py                        # 5000 articles, 50 clients
    .venv/bin/python benchmarks/bench_web.py --articles 100000 --db postgresql://…
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import END, START, populate

from watchfloor.config import load_settings
from watchfloor.services.reports import build_and_store
from watchfloor.store.db import Store
from watchfloor.web import WebConfig, create_app


def _serve(app: Any) -> tuple[Any, str]:
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


async def _load(url: str, clients: int, seconds: float) -> tuple[list[float], int]:
    times: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def one() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    res = await client.get(url)
                    ok = res.status_code == 200
                except httpx.HTTPError:
                    ok = False
                times.append(time.perf_counter() - t)
                errors += not ok

        await asyncio.gather(*(one() for _ in range(clients)))
    return times, errors


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _first_paint(base: str, paths: dict[str, str]) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        for name, path in paths.items():
            runs = []
            for _ in range(5):
                page = browser.new_page()
                page.goto(base + path, wait_until="load")
                fcp = page.evaluate(
                    "() => (performance.getEntriesByName('first-contentful-paint')[0] || {})"
                    ".startTime || null"
                )
                if fcp:
                    runs.append(float(fcp))
                page.close()
            out[name] = statistics.median(runs) if runs else float("nan")
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--db", default=None, help="an empty PostgreSQL URL (default: SQLite)")
    parser.add_argument("--chromium", action="store_true", help="also time the first render")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or f"sqlite:///{Path(tmp) / 'web.db'}"
        settings = load_settings(None, env={}, overrides={"db": db})
        store = Store(db)
        store.init()
        t = time.perf_counter()
        populate(store, args.articles)
        built = build_and_store(settings, store, country="MN", start=START, end=END)
        print(f"{args.articles} articles and one report in {time.perf_counter() - t:.1f} s")
        server, base = _serve(create_app(settings, store, WebConfig(token=None)))
        targets = {
            "static": "/static/app.css",
            "report": f"/reports/{built.id}",
            "country": "/countries/MN",
            "search": "/api/articles?q=border%20trade&country=MN",
        }
        print(f"{args.clients} clients, {args.seconds:.0f} s each, {date.today()}")
        base_p50 = None
        for name, path in targets.items():
            t = time.perf_counter()
            httpx.get(base + path, timeout=120).raise_for_status()  # warm: the first render
            print(f"{name:<8} first request {1000 * (time.perf_counter() - t):.0f} ms")
        head = ("page", "requests", "errors", "p50 ms", "p95 ms", "p50/static")
        print(f"{head[0]:<8} {head[1]:>8} {head[2]:>6} {head[3]:>8} {head[4]:>8} {head[5]:>10}")
        for name, path in targets.items():
            times, errors = asyncio.run(_load(base + path, args.clients, args.seconds))
            p50, p95 = _pct(times, 0.5), _pct(times, 0.95)
            base_p50 = base_p50 or p50
            print(
                f"{name:<8} {len(times):>8} {errors:>6} {p50:>8.1f} {p95:>8.1f} "
                f"{p50 / base_p50:>10.1f}"
            )
        if args.chromium:
            paint = _first_paint(base, {"login": "/login", "report": targets["report"]})
            print(
                f"first contentful paint (median of 5): sign-in page {paint['login']:.0f} ms, "
                f"report page {paint['report']:.0f} ms "
                f"({paint['report'] / paint['login']:.1f}x)"
            )
        server.should_exit = True
        store.dispose()


if __name__ == "__main__":
    main()
