"""``watchfloor run``: one process keeps collecting, enriching and writing scheduled
reports, and stops cleanly on SIGTERM. A real subprocess, a real loopback feed server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import update

from tests.fixture_server import FixtureServer, Reply
from watchfloor.cli import cli
from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.schema import watches

FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Steppe desk</title>'
    "<link>https://example.org/</link>"
    "<item><title>Ulaanbaatar police detain two after a clash at the Narantuul market</title>"
    "<link>https://steppe.example/clash</link>"
    f"<pubDate>{datetime.now(UTC) - timedelta(days=2):%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
    "<description>Police in Ulaanbaatar, Mongolia, detained two men.</description></item>"
    "</channel></rss>"
).encode()


def _wait_for(check, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def _enriched(store: Store) -> int:
    with store.connect() as conn:
        return int(
            conn.exec_driver_sql(
                "SELECT count(*) FROM articles WHERE enriched_at IS NOT NULL"
            ).scalar()
            or 0
        )


def test_run_does_two_cycles_writes_a_scheduled_report_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'run.db'}"
    out = tmp_path / "reports"
    runner = CliRunner()
    with FixtureServer() as server:
        server.route("/feed", lambda r: Reply(body=FEED))
        assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
        added = runner.invoke(
            cli, ["--db", db, "sources", "add", server.url("/feed"), "-c", "MN", "--every", "1s"]
        )
        assert added.exit_code == 0, added.output
        watched = runner.invoke(
            cli, ["--db", db, "watch", "add", "MN", "--report", "0 0 * * *", "--timezone", "UTC"]
        )
        assert watched.exit_code == 0, watched.output
        store = Store(db)
        with store.begin() as conn:  # two midnights missed: caught up once, now
            conn.execute(update(watches).values(created_at=datetime.now(UTC) - timedelta(days=2)))
        log_path = tmp_path / "run.log"
        log = log_path.open("w")
        env = {
            **os.environ,
            "WATCHFLOOR_COLLECT_ALLOW_HOSTS": server.authority,
            "WATCHFLOOR_SCHEDULE_REPORT_DIR": str(out),
            "WATCHFLOOR_REPORT_FORMATS": "md,json",
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "watchfloor.cli",
                "--db",
                db,
                "run",
                "--collect-every",
                "2s",
                "--check-every",
                "1s",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            assert _wait_for(lambda: server.hits("/feed") >= 2, 90), log_path.read_text()
            assert _wait_for(lambda: out.is_dir() and any(out.glob("*.md")), 120)
            assert _wait_for(lambda: _enriched(store) == 1, 120), log_path.read_text()
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
            finally:
                log.close()
    stderr = log_path.read_text()
    assert proc.returncode == 0, stderr
    assert "stopped" in stderr
    with store.connect() as conn:
        assert q.count_rows(conn, "articles") == 1  # fetched every cycle, stored once
        reports = conn.exec_driver_sql("SELECT count(*) FROM reports").scalar()
        assert reports == 1  # two missed midnights, caught up once, written once
        row = conn.execute(watches.select()).first()
        assert row is not None and row.last_report_id is not None
    store.dispose()
