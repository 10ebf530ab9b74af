"""Celery workers on real services: a worker subprocess collects and enriches fixture feeds
served from loopback and leaves the database the in-process run leaves; a worker killed
with SIGKILL mid-task gets its task redelivered, and nothing is duplicated or missing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fixture_server import FixtureServer, Reply
from watchfloor.cli import cli
from watchfloor.config import load_settings
from watchfloor.services.floor import collect_cycle
from watchfloor.store.db import Store

pytestmark = pytest.mark.slow

STORIES = [
    ("Ulaanbaatar police detain two after a clash at the Narantuul market", "Police said."),
    ("Mongolia and China reopen the Zamiin-Uud crossing after a dust storm", "Trucks wait."),
    ("Herders in Khovd lose livestock to a late spring blizzard", "The province asked."),
    ("Darkhan floods: rescue teams sent overnight with boats", "Two districts flooded."),
]


def _feed(i: int) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>https://n{i}.example/{j}</link>"
        f"<pubDate>Tue, 28 Apr 2026 0{j}:00:00 +0000</pubDate>"
        f"<description>{d} Mongolia.</description></item>"
        for j, (t, d) in enumerate(STORIES)
        if (i + j) % 3 != 0
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk {i}</title>'
        f"<link>https://n{i}.example/</link>{items}</channel></rss>"
    ).encode()


def _prepare(db: str, server: FixtureServer, n: int) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    for i in range(n):
        url = server.url(f"/f{i}")
        added = runner.invoke(cli, ["--db", db, "sources", "add", url, "-c", "MN"])
        assert added.exit_code == 0, added.output


_FETCHED = "SELECT count(*) FROM sources WHERE last_success_at IS NOT NULL"


def _snapshot(db: str) -> dict[str, list[tuple[object, ...]]]:
    """What a run leaves, without ids and times that differ between runs."""
    store = Store(db)
    # Keyed by content hash, not URL: when several feeds carry one story, the article keeps
    # the URL of whichever feed was fetched first, and parallel workers fetch in any order.
    queries = {
        "articles": "SELECT content_hash, title, language, detected_language,"
        " enriched_version FROM articles ORDER BY content_hash",
        "sightings": "SELECT a.content_hash, s.source_id FROM sightings s JOIN articles a"
        " ON a.id = s.article_id ORDER BY 1, 2",
        "countries": "SELECT a.content_hash, c.country, c.is_about FROM article_countries c"
        " JOIN articles a ON a.id = c.article_id ORDER BY 1, 2",
        "categories": "SELECT a.content_hash, c.category FROM article_categories c"
        " JOIN articles a ON a.id = c.article_id ORDER BY 1, 2",
        "places": "SELECT a.content_hash, p.name, p.country FROM article_places p"
        " JOIN articles a ON a.id = p.article_id ORDER BY 1, 2, 3",
        "sources": "SELECT id, consecutive_failures, last_error FROM sources ORDER BY id",
    }
    with store.connect() as conn:
        out = {k: [tuple(r) for r in conn.exec_driver_sql(sql)] for k, sql in queries.items()}
    store.dispose()
    return out


def _wait_for(check: Callable[[], bool], timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} within {timeout}s; worker log:\n{log.read_text()[-4000:]}")


def _count(db: str, sql: str) -> int:
    store = Store(db)
    try:
        with store.connect() as conn:
            return int(conn.exec_driver_sql(sql).scalar() or 0)
    finally:
        store.dispose()


def _worker(db: str, env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:  # the child keeps its own descriptor
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "watchfloor.cli",
                "--db",
                db,
                "worker",
                "--pool",
                "solo",
                *extra,
            ],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )


def _send(redis_url: str, task: str, *args: object) -> None:
    from watchfloor.workers.app import app, configure

    configure(load_settings(env={}, overrides={"broker": redis_url}))
    app.send_task(task, args=args)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_worker_leaves_the_database_the_in_process_run_leaves(tmp_path, redis_url) -> None:
    n = 4
    with FixtureServer() as server:
        for i in range(n):
            server.route(f"/f{i}", lambda r, i=i: Reply(body=_feed(i)))
        env = {"WATCHFLOOR_COLLECT_ALLOW_HOSTS": server.authority, "WATCHFLOOR_BROKER": redis_url}
        here = f"sqlite:///{tmp_path / 'here.db'}"
        _prepare(here, server, n)
        settings = load_settings(env=env, overrides={"db": here})
        store = Store(here)
        cycle = collect_cycle(settings, store)
        store.dispose()
        assert cycle.new > 0 and cycle.enriched == cycle.new

        there = f"sqlite:///{tmp_path / 'there.db'}"
        _prepare(there, server, n)
        log = tmp_path / "worker.log"
        proc = _worker(there, env, log)
        try:
            _send(redis_url, "watchfloor.dispatch_collect")
            _wait_for(
                lambda: (
                    _count(there, "SELECT count(*) FROM articles WHERE enriched_at IS NOT NULL")
                    == cycle.new
                    and _count(there, _FETCHED) == n
                ),
                240,
                "the worker did not collect and enrich every article",
                log,
            )
        finally:
            _stop(proc)
    assert _snapshot(there) == _snapshot(here)


def test_a_worker_killed_mid_task_has_its_task_redelivered(tmp_path, redis_url) -> None:
    n = 3
    with FixtureServer() as server:
        for i in range(n):
            # slow answers: the kill lands while collect_source is fetching
            server.route(f"/f{i}", lambda r, i=i: Reply(body=_feed(i), delay=3.0))
        env = {
            "WATCHFLOOR_COLLECT_ALLOW_HOSTS": server.authority,
            "WATCHFLOOR_BROKER": redis_url,
            "WATCHFLOOR_COLLECT_ENRICH": "false",
            "WATCHFLOOR_SCHEDULE_REDELIVERY_AFTER": "5",
        }
        db = f"sqlite:///{tmp_path / 'kill.db'}"
        _prepare(db, server, n)
        log = tmp_path / "worker.log"
        first = _worker(db, env, log, "--queues", "collect")
        try:
            _send(redis_url, "watchfloor.dispatch_collect")
            _wait_for(lambda: server.hits() >= 1, 60, "no fetch started", log)
            first.send_signal(signal.SIGKILL)
            first.wait()
            assert _count(db, "SELECT count(*) FROM raw_documents") < n  # work was cut short
            second = _worker(db, env, log, "--queues", "collect")
            try:
                _wait_for(
                    lambda: (
                        _count(db, "SELECT count(*) FROM sources WHERE last_success_at IS NOT NULL")
                        == n
                    ),
                    120,
                    "the killed task was not redelivered",
                    log,
                )
            finally:
                _stop(second)
        finally:
            _stop(first)
    items = [(i, j) for i in range(n) for j in range(len(STORIES)) if (i + j) % 3 != 0]
    urls = _count(db, "SELECT count(DISTINCT canonical_url) FROM articles")
    # every story once (the same story in several feeds is one article), seen by each feed
    assert _count(db, "SELECT count(*) FROM articles") == urls == len({j for _, j in items})
    assert _count(db, "SELECT count(*) FROM sightings") == len(items)
    assert _count(db, "SELECT count(*) FROM raw_documents") == n  # each fetched once in the end
