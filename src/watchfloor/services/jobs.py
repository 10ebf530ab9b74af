"""The web app's jobs (collect now, write a report now), run from their row in the store.

The web app queues a job (:func:`watchfloor.services.dashboard.start_job`: one row per key
while it is queued or running, so two clicks start it once) and then runs it either in a
thread of the server process or on a Celery worker (``[web] jobs``). Both call
:func:`run_job` with the job's id: it reads the parameters from the row, calls the same
service functions as the CLI, writes their progress to the row (at most every
``progress_every`` seconds, the last step always) and records the result or the error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.services import dashboard
from watchfloor.services.progress import CancelToken, Progress, ProgressCallback
from watchfloor.store.db import Store
from watchfloor.store.web import Job

__all__ = ["JOB_KINDS", "PROGRESS_EVERY", "run_job"]

log = logging.getLogger(__name__)

#: Progress is written to the store at most this often (the last step always is).
PROGRESS_EVERY = 0.25

Work = Callable[[Settings, Store, Job, ProgressCallback, CancelToken | None], dict[str, Any]]


def _collect(
    settings: Settings,
    store: Store,
    job: Job,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> dict[str, Any]:
    from watchfloor.services.collect import collect
    from watchfloor.services.enrich import enrich

    collected = collect(
        settings, store, country=job.params.get("country"), progress=progress, cancel=cancel
    )
    enriched = enrich(settings, store, progress=progress, cancel=cancel)
    summary = collected.summary
    return {
        "sources": len(summary.sources),
        "failed": len(summary.failed),
        "new_articles": len(summary.new_article_ids),
        "enriched": enriched.articles,
    }


def _report(
    settings: Settings,
    store: Store,
    job: Job,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> dict[str, Any]:
    from watchfloor.services.reports import build_and_store

    p = job.params
    progress(Progress("report", 0, 1, f"writing the report of {p['country']}"))
    built = build_and_store(
        settings,
        store,
        country=p["country"],
        start=date.fromisoformat(p["start"]),
        end=date.fromisoformat(p["end"]),
        backend=p.get("backend"),
        job_id=job.id,  # run again (a redelivered task), it returns the report it stored
    )
    progress(Progress("report", 1, 1, "stored"))
    return {"report_id": built.id, "level": built.report.threat_level}


JOB_KINDS: dict[str, Work] = {"collect": _collect, "report": _report}


def run_job(
    settings: Settings,
    store: Store,
    job_id: int,
    *,
    cancel: CancelToken | None = None,
    progress_every: float = PROGRESS_EVERY,
) -> Job | None:
    """Run the queued job *job_id* to its end and return its final row.

    A job already finished (a task delivered twice) is left as it is; an unknown id
    returns None. Whatever happens, the job ends in the store as ``done`` or ``failed``.

    Args:
        settings: the settings the services run with.
        store: the store holding the job's row.
        job_id: the row's id.
        cancel: stops the services at their next unit of work (server shutdown).
        progress_every: seconds between two progress writes.
    """
    job = dashboard.get_job(store, job_id)
    if job is None or job.finished:
        return job
    last = 0.0

    def progress(step: Progress) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= progress_every or step.done >= step.total:
            last = now
            dashboard.update_job(
                store,
                job_id,
                stage=step.stage,
                done=step.done,
                total=step.total,
                message=step.message,
            )

    try:
        work = JOB_KINDS.get(job.kind)
        if work is None:
            raise WatchfloorError(f"unknown job kind {job.kind!r}")
        progress(Progress("starting", 0, 1))
        result = work(settings, store, job, progress, cancel)
    except WatchfloorError as exc:
        dashboard.finish_job(store, job_id, error=str(exc))
    except Exception as exc:  # a job must end in the store whatever happens
        log.exception("job %s failed", job_id)
        dashboard.finish_job(store, job_id, error=f"internal error: {type(exc).__name__}")
    else:
        dashboard.finish_job(store, job_id, result=result)
    return dashboard.get_job(store, job_id)
