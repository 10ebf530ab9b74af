"""The tasks: thin wrappers around :mod:`watchfloor.services.floor` (see :mod:`.app`)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from celery import Task

from watchfloor.services import floor
from watchfloor.services.jobs import run_job
from watchfloor.workers.app import app, settings, store
from watchfloor.workers.politeness import HostLimit

__all__ = ["collect_source", "dispatch_collect", "enrich_new", "reports_due", "web_job"]

log = logging.getLogger(__name__)
T = TypeVar("T")

_limits: dict[str, HostLimit] = {}


def _host_limit() -> HostLimit:
    config = settings()
    key = config.broker
    if key not in _limits:
        _limits[key] = HostLimit(config.broker, config.schedule.host_interval)
    return _limits[key]


def _guarded(task: Task, name: str, work: Callable[[], T]) -> T | None:
    """Run *work*; on an error retry with a doubling wait, and after the last retry keep
    the task in ``rejects`` and let it go (acknowledged, not redelivered for ever)."""
    try:
        return work()
    except Exception as exc:
        retries = task.request.retries
        if retries >= settings().schedule.task_retries:
            log.error("task %s failed for good after %d retries: %s", name, retries, exc)
            floor.record_task_failure(
                store(), name, f"{type(exc).__name__}: {exc}", detail=traceback.format_exc()
            )
            return None
        raise task.retry(exc=exc, countdown=min(600, 2 ** (retries + 1))) from exc


@app.task(name="watchfloor.collect_source", bind=True, max_retries=None)  # type: ignore[untyped-decorator,unused-ignore]
def collect_source(self: Task, source_id: int, host: str = "") -> dict[str, Any] | None:
    """Fetch one source if it is still due, politely; then ask for enrichment."""
    wait = _host_limit().claim(host) if host else 0.0
    if wait > 0:
        collect_source.apply_async((source_id, host), countdown=wait)
        return None

    def work() -> dict[str, Any]:
        result = floor.collect_one(settings(), store(), source_id)
        if result.new_article_ids and settings().collect.enrich:
            enrich_new.delay()
        return result.summary.totals().to_json()

    return _guarded(self, f"collect_source({source_id})", work)


@app.task(name="watchfloor.dispatch_collect", bind=True, max_retries=None)  # type: ignore[untyped-decorator,unused-ignore]
def dispatch_collect(self: Task) -> int | None:
    """Send a ``collect_source`` task for every source due now; return how many."""

    def work() -> int:
        due = floor.due_sources(settings(), store())
        for source in due:
            collect_source.delay(source.id, source.host)
        return len(due)

    return _guarded(self, "dispatch_collect", work)


@app.task(name="watchfloor.enrich_new", bind=True, max_retries=None)  # type: ignore[untyped-decorator,unused-ignore]
def enrich_new(self: Task) -> int | None:
    """Enrich the articles not enriched yet, beside any other worker doing the same: each
    claims its own batches (:mod:`watchfloor.enrich.pipeline`), so no lock is needed."""
    return _guarded(self, "enrich_new", _enrich)


_enrichers: dict[int, Any] = {}


def _enrich() -> int:
    # One Enricher per process: its models stay loaded from one task to the next.
    config = settings()
    threads = config.schedule.enrich_threads
    if threads not in _enrichers:
        from watchfloor.enrich.pipeline import Enricher
        from watchfloor.enrich.resources import for_settings

        _enrichers[threads] = Enricher(for_settings(config.enrich), threads=threads)
    return floor.enrich_cycle(config, store(), enricher=_enrichers[threads])


@app.task(name="watchfloor.reports_due", bind=True, max_retries=None)  # type: ignore[untyped-decorator,unused-ignore]
def reports_due(self: Task) -> int | None:
    """Write the watched countries' reports that are due; return how many."""
    return _guarded(self, "reports_due", lambda: len(floor.report_cycle(settings(), store())))


@app.task(name="watchfloor.web_job", max_retries=0)  # type: ignore[untyped-decorator,unused-ignore]
def web_job(job_id: int) -> str | None:
    """Run a job the web app queued (collect now, report now), recording its progress and
    outcome in its row; not retried: a failed job stays failed, with its error."""
    job = run_job(settings(), store(), job_id)
    return None if job is None else job.status
