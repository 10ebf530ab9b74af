"""Task behaviour that needs no worker process: the shared host limit in Redis, and a task
that keeps failing landing in the rejects table."""

from __future__ import annotations

import logging
import time

from sqlalchemy import insert

from watchfloor.config import load_settings
from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.schema import watches
from watchfloor.workers.politeness import HostLimit


def test_one_host_is_claimed_by_one_worker_per_interval(redis_url: str) -> None:
    first, second = HostLimit(redis_url, 0.5), HostLimit(redis_url, 0.5)  # two workers
    assert first.claim("News.Example") == 0.0
    wait = second.claim("news.example")
    assert 0.0 < wait <= 0.5
    assert second.claim("other.example") == 0.0  # another host is free
    time.sleep(wait + 0.05)
    assert second.claim("news.example") == 0.0


def test_no_limit_without_redis() -> None:
    limit = HostLimit("memory://", 1.0)
    assert not limit.enabled and limit.claim("a.example") == 0.0


def test_a_task_that_keeps_failing_lands_in_rejects(store: Store, caplog) -> None:
    from watchfloor.workers.app import configure
    from watchfloor.workers.tasks import reports_due

    settings = load_settings(
        env={}, overrides={"db": store.url, "broker": "memory://", "schedule": {"task_retries": 2}}
    )
    configure(settings)
    with store.begin() as conn:  # a schedule no cron reader accepts: every run fails
        conn.execute(
            insert(watches).values(
                country="MN", cron="61 * * * *", timezone="UTC", created_at=q.utcnow()
            )
        )
    # Run eagerly, a retry runs the task again at once: the whole chain in one call.
    with caplog.at_level(logging.ERROR, logger="watchfloor.workers.tasks"):
        done = reports_due.apply()
    assert done.state == "SUCCESS" and done.result is None  # given up: acknowledged
    assert "failed for good after 2 retries" in caplog.text  # 1 try + 2 retries
    with store.connect() as conn:
        kept = [r for r in q.list_rejects(conn) if r.stage == "task"]
    assert len(kept) == 1
    assert kept[0].error.startswith("reports_due: WatchError") and "61 * * * *" in kept[0].error
