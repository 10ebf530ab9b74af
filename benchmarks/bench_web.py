"""Measure the web app under load: p50/p95 latency with 50 connections, and first render.

A throw-away store (SQLite in a temporary folder, or with ``--pg`` a new PostgreSQL
database at 127.0.0.1:5432, dropped afterwards) gets ``--articles`` synthetic enriched
articles from the shared generator (``benchmarks/synth.py``, the one the scale benchmark
uses) and one stored report: the busiest country's busiest week. The app then runs as
``watchfloor serve`` runs it (``python -m watchfloor.cli --db … serve``, uvicorn, its own
process, reading open on 127.0.0.1), and wrk, in a third process, keeps ``--connections``
connections busy for ``--seconds`` on each of:

- ``static``: ``/static/app.css``, the in-run baseline (the app's stack, no store);
- ``report``: ``/reports/{id}``, the report page;
- ``country``: ``/countries/{code}``, the busiest country's page;
- ``search``: ``/api/articles?q=border convoy&country=…&category=…&since=…``.

Printed per page: requests, errors (non-2xx answers and socket errors: connect, read,
write, timeout), p50 and p95 in ms, p50 as a ratio of the static file's, and the load
average when the page's run began (the machine is shared). Exits 1 if any request failed
or a page had no request finish.
Without wrk it says how to install it and exits 0 (``make bench-web`` installs Debian's
wrk when run as root). With ``--chromium`` (Debian's ``/usr/bin/chromium`` through
Playwright) it also times the report page's first contentful paint, offline: every request
that is not to the loopback server is aborted, and counted.

    nice -n 5 .venv/bin/python benchmarks/bench_web.py                 # SQLite, 100,000
    nice -n 5 .venv/bin/python benchmarks/bench_web.py --pg --chromium  # PostgreSQL
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import SynthConfig, load
from sqlalchemy import func, select

from watchfloor.config import load_settings
from watchfloor.services.reports import build_and_store
from watchfloor.store.db import Store
from watchfloor.store.schema import article_countries, articles

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get(
    "WATCHFLOOR_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
#: wrk calls these per request and prints one parseable line at the end.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d p50=%d p95=%d\\n",
    summary.requests, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""
WRK_MISSING = (
    "skipped: wrk is not installed. `make bench-web` installs Debian's wrk when run as root; "
    "otherwise `apt-get install wrk` (Debian/Ubuntu) or build it from its sources."
)


@dataclass(frozen=True)
class Run:
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    load: float

    @staticmethod
    def parse(out: str, load: float) -> Run:
        m = re.search(r"^WRK (.*)$", out, re.M)
        if m is None:
            raise RuntimeError(f"wrk printed no result:\n{out}")
        v = {k: int(x) for k, x in (kv.split("=") for kv in m.group(1).split())}
        errors = v["non2xx"] + v["connect"] + v["read"] + v["write"] + v["timeout"]
        return Run(v["requests"], errors, v["p50"] / 1000, v["p95"] / 1000, load)


def _busiest_week(store: Store) -> tuple[str, date]:
    """The country with the most articles about it, and the Monday of its busiest week."""
    with store.connect() as conn:
        code = conn.execute(
            select(article_countries.c.country)
            .where(article_countries.c.is_about.is_(True))
            .group_by(article_countries.c.country)
            .order_by(func.count().desc(), article_countries.c.country)
            .limit(1)
        ).scalar_one()
        days = conn.execute(
            select(articles.c.published_at)
            .join(article_countries, article_countries.c.article_id == articles.c.id)
            .where(article_countries.c.country == code, article_countries.c.is_about.is_(True))
        ).scalars()
        weeks = Counter(d.date() - timedelta(days=d.weekday()) for d in days)
    monday = min(weeks, key=lambda w: (-weeks[w], w))
    return code, monday


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "WATCHFLOOR_API_TOKEN"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    cmd = [sys.executable, "-m", "watchfloor.cli", "--db", db, "serve", "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        try:
            if httpx.get(base + "/static/app.css", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"the server did not answer in 120 s:\n{log.read_text()}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wrk(wrk: str, url: str, args: argparse.Namespace, script: Path) -> Run:
    load1 = os.getloadavg()[0]
    cmd = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s",
           f"--timeout={args.timeout}s", "-s", str(script), url]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return Run.parse(done.stdout, load1)


def _first_paint(base: str, paths: dict[str, str]) -> tuple[dict[str, float], int]:
    """Median first contentful paint of five loads per page; requests blocked."""
    from playwright.sync_api import Route, sync_playwright

    blocked = 0

    def only_loopback(route: Route) -> None:
        nonlocal blocked
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            blocked += 1
            route.abort()

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
                page.route("**/*", only_loopback)
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
    return out, blocked


def _pg_database() -> tuple[str, str]:
    import psycopg

    name = f"wf_bench_web_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, PG_SERVER.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true", help="a throw-away PostgreSQL database")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--seconds", type=int, default=20, help="per page")
    parser.add_argument("--timeout", type=int, default=30, help="wrk's per-request timeout")
    parser.add_argument("--chromium", action="store_true", help="also time the first render")
    parser.add_argument(
        "--db", help="use this database instead (filled when empty, kept afterwards)"
    )
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        print(WRK_MISSING)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="wf-bench-web-"))
    pg_name = ""
    proc = None
    try:
        if args.db:
            db = args.db
        elif args.pg:
            pg_name, db = _pg_database()
        else:
            db = f"sqlite:///{tmp / 'web.db'}"
        store = Store(db)
        store.init()
        with store.connect() as conn:
            have = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        if not have:
            stats = load(store, SynthConfig(articles=args.articles))
            print(f"{stats.articles:,} synthetic articles stored in {stats.seconds:.0f} s")
            if store.dialect == "postgresql":  # what autovacuum does after a bulk load
                with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.exec_driver_sql("VACUUM ANALYZE")
        code, monday = _busiest_week(store)
        settings = load_settings(None, env={}, overrides={"db": db})
        from watchfloor.report.build import list_reports

        with store.connect() as conn:
            stored = [r for r in list_reports(conn, country=code) if r.period_start == monday]
        t = time.perf_counter()
        report_id = (
            stored[0].id
            if stored
            else build_and_store(
                settings, store, country=code, start=monday, end=monday + timedelta(days=6)
            ).id
        )
        with store.connect() as conn:
            n = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        print(
            f"{n:,} articles in {store.dialect}; report {report_id} "
            f"of {code}, week of {monday} ({time.perf_counter() - t:.0f} s)"
        )
        store.dispose()

        port = _free_port()
        proc = _serve(db, port, tmp / "serve.log")
        base = f"http://127.0.0.1:{port}"
        search = urlencode(
            {
                "q": "border convoy",
                "country": code,
                "category": "military_defence",
                "since": (monday - timedelta(days=90)).isoformat(),
            }
        )
        targets = {
            "static": "/static/app.css",
            "report": f"/reports/{report_id}",
            "country": f"/countries/{code}",
            "search": f"/api/articles?{search}",
        }
        for name, path in targets.items():
            t = time.perf_counter()
            res = httpx.get(base + path, timeout=120)  # no credentials: reads open on loopback
            res.raise_for_status()
            first = time.perf_counter() - t
            alone = []
            with httpx.Client(timeout=120) as client:
                for _ in range(10):
                    t = time.perf_counter()
                    client.get(base + path).raise_for_status()
                    alone.append(time.perf_counter() - t)
            print(
                f"{name:<8} first request {1000 * first:,.0f} ms, then one client "
                f"{1000 * statistics.median(alone):,.0f} ms (median of 10), "
                f"{len(res.content) / 1000:,.0f} kB  {path}"
            )
        script = tmp / "count.lua"
        script.write_text(WRK_SCRIPT)
        print(
            f"wrk: {args.connections} connections, {args.threads} threads, "
            f"{args.seconds} s per page, {date.today()}, {os.cpu_count()} CPUs"
        )
        head = ("page", "requests", "errors", "p50 ms", "p95 ms", "p50/static", "load")
        print(f"{head[0]:<8} {head[1]:>8} {head[2]:>6} {head[3]:>8} {head[4]:>8} "
              f"{head[5]:>10} {head[6]:>5}")  # fmt: skip
        runs: dict[str, Run] = {}
        for name, path in targets.items():
            r = runs[name] = _wrk(wrk, base + path, args, script)
            if not r.requests:  # wrk counts finished requests only
                print(f"{name:<8} no request finished in {args.seconds} s  load {r.load:.1f}")
                continue
            print(
                f"{name:<8} {r.requests:>8,} {r.errors:>6} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} "
                f"{r.p50_ms / runs['static'].p50_ms:>10.1f} {r.load:>5.1f}"
            )
        if args.chromium:
            paint, blocked = _first_paint(base, {"login": "/login", "report": targets["report"]})
            print(
                f"first contentful paint in Chromium, offline (median of 5): report page "
                f"{paint['report']:.0f} ms, sign-in page {paint['login']:.0f} ms "
                f"({paint['report'] / paint['login']:.1f}x); {blocked} requests off loopback "
                "blocked"
            )
        failed = sum(r.errors for r in runs.values())
        idle = [name for name, r in runs.items() if not r.requests]
        print("errors: none" if not failed else f"errors: {failed} requests failed")
        if idle:
            print(f"no request finished: {', '.join(idle)}")
        return 1 if failed or idle else 0
    finally:
        if proc is not None:
            _stop(proc)
        if pg_name:
            _drop_pg(pg_name)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
