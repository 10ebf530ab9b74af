"""A real Celery worker killed with SIGKILL after it stored a web job's report, before it
marked the job done: the task is redelivered (late acknowledgement) to a second worker,
and the store keeps one report, the one the job stored.

The kill lands in that gap every time: a trigger, installed by the test on its own
PostgreSQL database, holds any update of ``web_jobs`` made once a report exists for as long
as the test holds an advisory lock; the test kills the worker while it waits there."""

from __future__ import annotations

import signal

import pytest
from sqlalchemy import text

from tests.workers.test_celery import _count, _stop, _wait_for, _worker
from watchfloor.config import load_settings
from watchfloor.services import dashboard
from watchfloor.web.jobs import JOB_TASK

pytestmark = pytest.mark.slow

GATE = 74011  # the advisory lock key the trigger waits on

TRIGGER = f"""
CREATE FUNCTION wf_test_gate() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM reports) THEN
        PERFORM pg_advisory_lock_shared({GATE});
        PERFORM pg_advisory_unlock_shared({GATE});
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER wf_test_gate BEFORE UPDATE ON web_jobs
    FOR EACH ROW EXECUTE FUNCTION wf_test_gate();
"""


def test_a_report_job_killed_after_storing_its_report_stores_one(
    pg_store, redis_url, tmp_path
) -> None:
    from watchfloor.workers.app import sender

    store = pg_store
    db = store.url
    env = {"WATCHFLOOR_BROKER": redis_url, "WATCHFLOOR_SCHEDULE_REDELIVERY_AFTER": "5"}
    with store.begin() as conn:
        conn.exec_driver_sql(TRIGGER)
    job, _ = dashboard.start_job(
        store,
        kind="report",
        key="report:MN",
        params={"country": "MN", "start": "2026-04-27", "end": "2026-05-03"},
        actor="test",
    )
    log = tmp_path / "worker.log"
    gate = store.engine.connect()
    gate.execute(text("SELECT pg_advisory_lock(:k)"), {"k": GATE})
    first = _worker(db, env, log, "--queues", "report")
    try:
        settings = load_settings(env=env, overrides={"db": db})
        sender(settings).send_task(JOB_TASK, args=(job.id,), queue="report")
        _wait_for(lambda: _count(db, "SELECT count(*) FROM reports") == 1, 120, "no report", log)
        first.send_signal(signal.SIGKILL)  # the report is stored; the job is not marked done
        first.wait()
        gate.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": GATE})
        gate.commit()
        assert dashboard.get_job(store, job.id).status == "running"  # type: ignore[union-attr]
        second = _worker(db, env, log, "--queues", "report")
        try:
            _wait_for(
                lambda: dashboard.get_job(store, job.id).finished,  # type: ignore[union-attr]
                120,
                "the killed job was not redelivered",
                log,
            )
        finally:
            _stop(second)
    finally:
        gate.close()
        _stop(first)
    done = dashboard.get_job(store, job.id)
    assert done is not None and done.status == "done", done
    assert _count(db, "SELECT count(*) FROM reports") == 1
    assert done.result is not None
    assert done.result["report_id"] == _count(db, "SELECT min(id) FROM reports")
