"""Watched countries: the schedule (time zones, daylight saving, catching up), the
scheduled report, and alerts posted to a real webhook on loopback, signed."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from tests.weeks import Week
from watchfloor.cli import cli
from watchfloor.config import load_settings
from watchfloor.errors import WatchError
from watchfloor.services import reports as report_service
from watchfloor.services import watch as service
from watchfloor.store import watch as w
from watchfloor.store.db import Store
from watchfloor.store.reports import store_report
from watchfloor.store.schema import watches

BERLIN = "Europe/Berlin"


def _watch(cron: str, zone: str, *, created: datetime, last: datetime | None = None) -> w.Watch:
    return w.Watch(1, "MN", cron, zone, created, last, None)


def _local(fire: datetime, zone: str) -> str:
    return fire.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def test_a_cron_is_read_in_the_watch_time_zone() -> None:
    after = datetime(2026, 5, 1, tzinfo=UTC)  # a Friday, 08:00 in Ulaanbaatar
    fires = service.fires_after("0 6 * * FRI", "Asia/Ulaanbaatar", after)
    first, second = next(fires), next(fires)
    assert first == datetime(2026, 5, 7, 22, tzinfo=UTC)  # Fri 8 May 06:00 +08
    assert second - first == timedelta(days=7)


def test_clocks_falling_back_do_not_double_a_run() -> None:
    # 02:30 happens twice in Berlin on 25 October 2026
    fires = service.fires_after("30 2 * * *", BERLIN, datetime(2026, 10, 23, 12, tzinfo=UTC))
    local = [_local(next(fires), BERLIN) for _ in range(4)]
    assert local == [
        "2026-10-24 02:30 CEST",
        "2026-10-25 02:30 CEST",
        "2026-10-26 02:30 CET",
        "2026-10-27 02:30 CET",
    ]


def test_clocks_springing_forward_do_not_skip_a_run() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026: the run still happens that day
    fires = service.fires_after("30 2 * * *", BERLIN, datetime(2026, 3, 27, 12, tzinfo=UTC))
    got = [next(fires) for _ in range(4)]
    days = [f.astimezone(ZoneInfo(BERLIN)).date() for f in got]
    assert days == [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30), date(2026, 3, 31)]
    assert got[1] == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST, once


def test_missed_runs_are_caught_up_once_with_the_latest_time() -> None:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    weekly = _watch("0 6 * * MON", BERLIN, created=created)
    now = datetime(2026, 3, 4, 12, tzinfo=UTC)  # nine Mondays later, nothing ran
    due = service.due_fire(weekly, now)
    assert due is not None and _local(due, BERLIN) == "2026-03-02 06:00 CET"
    done = _watch("0 6 * * MON", BERLIN, created=created, last=due)
    assert service.due_fire(done, now) is None
    # a schedule every minute, a year missed: still one run, the latest
    busy = _watch("* * * * *", BERLIN, created=created)
    assert service.due_fire(busy, now) == datetime(2026, 3, 4, 12, tzinfo=UTC)


def test_the_period_is_the_seven_days_before_the_run_in_its_zone() -> None:
    fire = datetime(2026, 5, 3, 22, tzinfo=UTC)  # Monday 4 May 06:00 in Ulaanbaatar
    assert service.period_for(fire, "Asia/Ulaanbaatar") == (date(2026, 4, 27), date(2026, 5, 3))
    assert service.period_for(fire, "UTC") == (date(2026, 4, 26), date(2026, 5, 2))


def test_bad_schedules_and_zones_are_refused(store: Store) -> None:
    settings = load_settings(env={}, overrides={"db": store.url})
    with pytest.raises(WatchError, match="five cron fields"):
        service.add_watch(settings, store, "MN", cron="every friday")
    with pytest.raises(WatchError, match="unknown time zone"):
        service.add_watch(settings, store, "MN", cron="0 6 * * FRI", timezone="Mars/Olympus")


def test_cli_watch_add_list_remove(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    added = runner.invoke(cli, ["--db", db, "watch", "add", "mn", "--report", "0 6 * * FRI"])
    assert added.exit_code == 0, added.output
    assert "Asia/Ulaanbaatar" in added.output  # the country's own zone by default
    again = runner.invoke(
        cli, ["--db", db, "watch", "add", "MN", "--report", "0 7 * * MON", "--timezone", "UTC"]
    )
    assert again.exit_code == 0 and "rescheduled" in again.output
    listed = json.loads(runner.invoke(cli, ["--db", db, "watch", "list", "--json"]).output)
    assert [(x["country"], x["cron"], x["timezone"]) for x in listed] == [
        ("MN", "0 7 * * MON", "UTC")
    ]
    assert datetime.fromisoformat(listed[0]["next_fire"]).weekday() == 0
    bad = runner.invoke(cli, ["--db", db, "watch", "add", "MN", "--report", "0 25 * * *"])
    assert bad.exit_code == 2, bad.output
    assert (
        runner.invoke(cli, ["--db", db, "watch", "add", "XX", "--report", "0 6 * * *"]).exit_code
        == 2
    )
    assert runner.invoke(cli, ["--db", db, "watch", "remove", "MN"]).exit_code == 0
    assert runner.invoke(cli, ["--db", db, "watch", "remove", "MN"]).exit_code == 1
    assert json.loads(runner.invoke(cli, ["--db", db, "watch", "list", "--json"]).output) == []


# --- scheduled reports and alerts ---------------------------------------------------------


class _Hook(http.server.BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), body))  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Hook)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_due_report_is_written_once_and_raises_signed_alerts(
    demo_copy: Week, demo_report, webhook, tmp_path
) -> None:
    store = demo_copy.store()
    secret = "s3cret shared"
    port = webhook.server_address[1]
    settings = load_settings(
        env={},
        overrides={
            "db": store.url,
            "schedule": {
                "webhook_url": f"http://127.0.0.1:{port}/alerts",
                "webhook_secret": secret,
                "report_dir": str(tmp_path / "out"),
            },
        },
    )
    # An earlier report said "Low": this week's level differs, so an alert is due.
    earlier = demo_report.model_copy(deep=True)
    earlier.period.start -= timedelta(days=7)
    earlier.period.end -= timedelta(days=7)
    earlier.threat.level = earlier.threat_level = "Low"
    earlier.threat.score = 5.0
    with store.begin() as conn:
        store_report(conn, earlier)
    service.add_watch(settings, store, "MN", cron="0 6 * * MON", timezone="Asia/Ulaanbaatar")
    with store.begin() as conn:
        conn.execute(update(watches).values(created_at=datetime(2026, 4, 20, tzinfo=UTC)))
    now = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)  # Monday 08:00 in Ulaanbaatar

    runs = service.run_due_reports(settings, store, now=now)
    assert len(runs) == 1
    run = runs[0]
    assert (run.built.start, run.built.end) == (demo_copy.start, demo_copy.end)
    assert run.built.report.threat.level != "Low"
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == sorted(
        f".{f}" for f in settings.report.formats
    )
    kinds = {a.kind for a in run.alerts}
    top = [d for d in run.built.report.key_developments if d.severity_level == 3]
    assert "threat-level" in kinds
    assert ("top-development" in kinds) == bool(top)
    assert all(a.delivered for a in run.alerts)
    assert len(webhook.received) == len(run.alerts)  # type: ignore[attr-defined]
    for headers, body in webhook.received:  # type: ignore[attr-defined]
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Watchfloor-Signature"] == f"sha256={expected}"
        payload = json.loads(body)
        assert payload["country"] == "MN" and payload["report_id"] == run.built.id
        assert payload["period"] == {"start": "2026-04-27", "end": "2026-05-03"}
    level = next(json.loads(b) for _, b in webhook.received if b"threat-level" in b)  # type: ignore[attr-defined]
    assert level["previous_level"] == "Low"

    # the same time again, later the same day: nothing new, nothing posted
    assert service.run_due_reports(settings, store, now=now + timedelta(hours=3)) == []
    assert len(webhook.received) == len(run.alerts)  # type: ignore[attr-defined]
    stored = service.list_alerts(store, country="MN")
    assert {a.kind for a in stored} == kinds and all(a.delivered_at for a in stored)
    store.dispose()


def test_a_webhook_that_fails_leaves_the_alert_stored_with_its_error(
    demo_copy: Week, demo_report
) -> None:
    store = demo_copy.store()
    settings = load_settings(
        env={},
        overrides={"db": store.url, "schedule": {"webhook_url": "http://127.0.0.1:9/x"}},
    )
    earlier = demo_report.model_copy(deep=True)
    earlier.period.start -= timedelta(days=7)
    earlier.period.end -= timedelta(days=7)
    earlier.threat.level = earlier.threat_level = "Low"
    earlier.threat.score = 5.0
    with store.begin() as conn:
        store_report(conn, earlier)
    service.add_watch(settings, store, "MN", cron="0 6 * * MON", timezone="Asia/Ulaanbaatar")
    with store.begin() as conn:
        conn.execute(update(watches).values(created_at=datetime(2026, 4, 20, tzinfo=UTC)))
    runs = service.run_due_reports(settings, store, now=datetime(2026, 5, 4, tzinfo=UTC))
    assert runs and runs[0].alerts
    assert all(not a.delivered and a.error for a in runs[0].alerts)
    stored = service.list_alerts(store)
    assert stored and all(a.delivery_error and a.delivered_at is None for a in stored)
    store.dispose()


def test_a_run_that_dies_before_marking_its_time_done_leaves_no_report(
    demo_copy: Week, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The report and the watch's done mark commit together: a process that dies between
    # storing the report and marking the time done (here: the mark raises) leaves neither,
    # and the next run writes the report once.
    store = demo_copy.store()
    settings = load_settings(env={}, overrides={"db": store.url})
    service.add_watch(settings, store, "MN", cron="0 6 * * MON", timezone="Asia/Ulaanbaatar")
    with store.begin() as conn:
        conn.execute(update(watches).values(created_at=datetime(2026, 4, 20, tzinfo=UTC)))
    now = datetime(2026, 5, 4, tzinfo=UTC)
    real_claim = w.claim_fire

    def dies(*args: object, **kwargs: object) -> bool:
        raise SystemExit("killed between storing the report and marking the run done")

    monkeypatch.setattr(w, "claim_fire", dies)
    with pytest.raises(SystemExit):
        service.run_due_reports(settings, store, now=now)
    assert report_service.list_reports(store, country="MN") == []
    monkeypatch.setattr(w, "claim_fire", real_claim)

    runs = service.run_due_reports(settings, store, now=now)
    assert len(runs) == 1
    assert [r.id for r in report_service.list_reports(store, country="MN")] == [runs[0].built.id]
    assert service.run_due_reports(settings, store, now=now + timedelta(hours=1)) == []
    assert len(report_service.list_reports(store, country="MN")) == 1
    store.dispose()


def test_a_run_another_process_marked_done_first_stores_nothing(demo_copy: Week) -> None:
    store = demo_copy.store()
    settings = load_settings(env={}, overrides={"db": store.url})
    service.add_watch(settings, store, "MN", cron="0 6 * * MON", timezone="Asia/Ulaanbaatar")
    with store.begin() as conn:
        conn.execute(update(watches).values(created_at=datetime(2026, 4, 20, tzinfo=UTC)))
    now = datetime(2026, 5, 4, tzinfo=UTC)
    (watch,) = [wt for wt, _ in service.list_watches(store)]
    fire = service.due_fire(watch, now)
    assert fire is not None
    # another process marks the same time done while this one is building its report
    with store.begin() as conn:
        assert w.claim_fire(conn, watch.id, previous=None, fire=fire, report_id=999)
    assert service._run_one(settings, store, watch, fire) is None
    assert report_service.list_reports(store, country="MN") == []
    store.dispose()
