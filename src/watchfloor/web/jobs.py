"""Background jobs of the web app: collect now, write a report now.

A job is a row in the store (:mod:`watchfloor.store.web`): starting one that is already
queued or running returns that one, so two clicks do not run it twice. The work runs in a
thread of the server process and calls the same service functions as the CLI, whose
``progress`` callback writes the job's stage and counts to its row; pages poll
``/api/jobs/{id}``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from watchfloor.config import Settings
from watchfloor.countries import validate_country
from watchfloor.errors import WatchfloorError
from watchfloor.services import dashboard
from watchfloor.services.progress import Progress
from watchfloor.store.db import Store
from watchfloor.store.web import Job

__all__ = ["JOB_KINDS", "JobRunner"]

log = logging.getLogger(__name__)

JOB_KINDS = ("collect", "report")
#: Progress is written to the store at most this often (the last step always is).
PROGRESS_EVERY = 0.25


class JobRunner:
    """Starts jobs in threads; ``cancel`` (a :class:`threading.Event`) stops them at the
    services' next unit of work when the server shuts down."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.cancel = threading.Event()
        self._threads: dict[int, threading.Thread] = {}

    def collect(self, *, country: str | None, actor: str) -> tuple[Job, bool]:
        """Collect the due sources (of one country or all), then enrich what came in."""
        code = validate_country(country) if country else None
        key = f"collect:{code or '*'}"
        return self._start("collect", key, {"country": code}, actor, self._run_collect)

    def report(
        self,
        *,
        country: str,
        start: date | None,
        end: date | None,
        actor: str,
        backend: str | None = None,
    ) -> tuple[Job, bool]:
        """Build and store a report of a country (the last seven days by default)."""
        code = validate_country(country)
        last = end or date.today()
        first = start or last - timedelta(days=6)
        if last < first:
            raise WatchfloorError(f"the period ends ({last}) before it starts ({first})")
        params = {"country": code, "start": first.isoformat(), "end": last.isoformat()}
        if backend:
            params["backend"] = backend
        return self._start("report", f"report:{code}", params, actor, self._run_report)

    def _start(
        self,
        kind: str,
        key: str,
        params: dict[str, Any],
        actor: str,
        work: Callable[[Job, Callable[[Progress], None]], dict[str, Any]],
    ) -> tuple[Job, bool]:
        job, created = dashboard.start_job(
            self.store, kind=kind, key=key, params=params, actor=actor
        )
        if created:
            thread = threading.Thread(
                target=self._run, args=(job, work), name=f"watchfloor-job-{job.id}", daemon=True
            )
            self._threads[job.id] = thread
            thread.start()
        return job, created

    def _run(
        self, job: Job, work: Callable[[Job, Callable[[Progress], None]], dict[str, Any]]
    ) -> None:
        last = 0.0

        def progress(step: Progress) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY or step.done >= step.total:
                last = now
                dashboard.update_job(
                    self.store,
                    job.id,
                    stage=step.stage,
                    done=step.done,
                    total=step.total,
                    message=step.message,
                )

        try:
            progress(Progress("starting", 0, 1))
            result = work(job, progress)
        except WatchfloorError as exc:
            dashboard.finish_job(self.store, job.id, error=str(exc))
        except Exception as exc:  # a job must end in the store whatever happens
            log.exception("job %s failed", job.id)
            dashboard.finish_job(self.store, job.id, error=f"internal error: {type(exc).__name__}")
        else:
            dashboard.finish_job(self.store, job.id, result=result)
        finally:
            self._threads.pop(job.id, None)

    def _run_collect(self, job: Job, progress: Callable[[Progress], None]) -> dict[str, Any]:
        from watchfloor.services.collect import collect
        from watchfloor.services.enrich import enrich

        collected = collect(
            self.settings,
            self.store,
            country=job.params.get("country"),
            progress=progress,
            cancel=self.cancel,
        )
        enriched = enrich(self.settings, self.store, progress=progress, cancel=self.cancel)
        summary = collected.summary
        return {
            "sources": len(summary.sources),
            "failed": len(summary.failed),
            "new_articles": len(summary.new_article_ids),
            "enriched": enriched.articles,
        }

    def _run_report(self, job: Job, progress: Callable[[Progress], None]) -> dict[str, Any]:
        from watchfloor.services.reports import build_and_store

        p = job.params
        progress(Progress("report", 0, 1, f"writing the report of {p['country']}"))
        built = build_and_store(
            self.settings,
            self.store,
            country=p["country"],
            start=date.fromisoformat(p["start"]),
            end=date.fromisoformat(p["end"]),
            backend=p.get("backend"),
        )
        progress(Progress("report", 1, 1, "stored"))
        return {"report_id": built.id, "level": built.report.threat_level}

    def join(self, timeout: float | None = None) -> None:
        """Wait for the running jobs (tests, shutdown)."""
        for thread in list(self._threads.values()):
            thread.join(timeout)
