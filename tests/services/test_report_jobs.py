"""A web report job stores one report however often it runs: a Celery worker killed after
the report was stored but before the job was marked done has its task redelivered (acks
late), and the rerun must return that report instead of storing a second one."""

from __future__ import annotations

from sqlalchemy import func, select, update

from watchfloor.config import load_settings
from watchfloor.services import dashboard
from watchfloor.services.jobs import run_job
from watchfloor.store.schema import reports
from watchfloor.store.web import web_jobs

PARAMS = {"country": "MN", "start": "2026-04-27", "end": "2026-05-03"}


def _reports(store) -> int:  # type: ignore[no-untyped-def]
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(reports)).scalar_one())


def test_a_report_job_run_again_after_a_kill_returns_the_report_it_stored(any_store) -> None:
    store = any_store
    settings = load_settings(env={}, overrides={"db": store.url})
    job, created = dashboard.start_job(
        store, kind="report", key="report:MN", params=PARAMS, actor="test"
    )
    assert created
    first = run_job(settings, store, job.id)
    assert first is not None and first.status == "done", first
    stored = first.result["report_id"]  # type: ignore[index]
    assert _reports(store) == 1

    # What SIGKILL leaves when it lands after the report was stored and before the job was
    # marked done: the job's row still running. The broker then delivers the task again.
    with store.begin() as conn:
        conn.execute(
            update(web_jobs)
            .where(web_jobs.c.id == job.id)
            .values(status="running", active_key=job.key, result=None, finished_at=None)
        )
    again = run_job(settings, store, job.id)
    assert again is not None and again.status == "done", again
    assert again.result == first.result  # the same report, its level
    assert _reports(store) == 1
    with store.connect() as conn:
        assert conn.execute(select(reports.c.job_id)).scalars().all() == [job.id]

    # Another job of the same parameters is another request: it stores its own report.
    other, _ = dashboard.start_job(store, kind="report", key="report:MN", params=PARAMS, actor="t")
    done = run_job(settings, store, other.id)
    assert done is not None and done.result["report_id"] != stored  # type: ignore[index]
    assert _reports(store) == 2
