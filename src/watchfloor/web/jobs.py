"""Background jobs of the web app: collect now, write a report now.

A job is a row in the store (:mod:`watchfloor.store.web`): starting one that is already
queued or running returns that one, so two clicks do not run it twice. Where it runs is
``[web] jobs``:

- ``thread`` (the default): a thread of the server process;
- ``celery``: a Celery worker (``watchfloor worker``), sent the job's id by task name
  (``watchfloor.web_job``) over the configured broker, on the ``report`` or ``collect``
  queue.

Both run :func:`watchfloor.services.jobs.run_job`, which calls the same service functions
as the CLI and writes their progress to the job's row; pages follow it by server-sent
events (``/api/jobs/{id}/events``) or by polling ``/api/jobs/{id}``.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta
from typing import Any

from watchfloor.config import Settings
from watchfloor.countries import validate_country
from watchfloor.errors import ConfigError, WatchfloorError
from watchfloor.services import dashboard
from watchfloor.services.jobs import PROGRESS_EVERY, run_job
from watchfloor.store.db import Store
from watchfloor.store.web import Job

__all__ = ["JOB_QUEUES", "JOB_TASK", "JobNotSentError", "JobRunner"]

log = logging.getLogger(__name__)

#: The Celery task that runs a job on a worker (defined in watchfloor.workers.tasks).
JOB_TASK = "watchfloor.web_job"
#: The worker queue of each kind of job.
JOB_QUEUES = {"collect": "collect", "report": "report"}
#: A report's period lies within these days.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2099, 12, 31)


class JobNotSentError(WatchfloorError):
    """The job could not be handed to the workers (the broker is unreachable)."""


class JobRunner:
    """Starts jobs in threads or on the Celery workers.

    ``cancel`` (a :class:`threading.Event`) stops thread jobs at the services' next unit of
    work when the server shuts down; a worker's job runs to its end.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        backend: str = "thread",
        progress_every: float = PROGRESS_EVERY,
    ) -> None:
        if backend not in ("thread", "celery"):
            raise ConfigError(f"[web] jobs = {backend!r}: use thread or celery")
        self.settings = settings
        self.store = store
        self.backend = backend
        self.progress_every = progress_every
        self.cancel = threading.Event()
        self._threads: dict[int, threading.Thread] = {}
        self._celery: Any = None

    def collect(self, *, country: str | None, actor: str) -> tuple[Job, bool]:
        """Collect the due sources (of one country or all), then enrich what came in."""
        code = validate_country(country) if country else None
        return self._start("collect", f"collect:{code or '*'}", {"country": code}, actor)

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
        for day in (start, end):
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                raise WatchfloorError(f"{day} is outside {FIRST_DAY} to {LAST_DAY}")
        last = end or date.today()
        first = start or last - timedelta(days=6)
        if last < first:
            raise WatchfloorError(f"the period ends ({last}) before it starts ({first})")
        params = {"country": code, "start": first.isoformat(), "end": last.isoformat()}
        if backend:
            params["backend"] = backend
        return self._start("report", f"report:{code}", params, actor)

    def _start(self, kind: str, key: str, params: dict[str, Any], actor: str) -> tuple[Job, bool]:
        job, created = dashboard.start_job(
            self.store, kind=kind, key=key, params=params, actor=actor
        )
        if created:
            if self.backend == "celery":
                self._send(job)
            else:
                thread = threading.Thread(
                    target=self._run, args=(job.id,), name=f"watchfloor-job-{job.id}", daemon=True
                )
                self._threads[job.id] = thread
                thread.start()
        return job, created

    def _run(self, job_id: int) -> None:
        try:
            run_job(
                self.settings,
                self.store,
                job_id,
                cancel=self.cancel,
                progress_every=self.progress_every,
            )
        finally:
            self._threads.pop(job_id, None)

    def celery(self) -> Any:
        """The Celery app pointed at the configured broker (made on first use)."""
        if self._celery is None:
            try:
                from watchfloor.workers.app import sender
            except ImportError as exc:  # the scale extra is missing
                raise ConfigError(
                    f"[web] jobs = 'celery' needs Celery and Redis: "
                    f"pip install 'watchfloor[scale]' ({exc})"
                ) from exc
            self._celery = sender(self.settings)
        return self._celery

    def _send(self, job: Job) -> None:
        """Hand *job* to the workers; if that fails the job fails, freeing its key."""
        try:
            self.celery().send_task(JOB_TASK, args=(job.id,), queue=JOB_QUEUES[job.kind])
        except Exception as exc:  # kombu's errors vary by transport
            why = f"the job could not be sent to the workers ({type(exc).__name__}: {exc})"
            log.error("job %s: %s", job.id, why)
            dashboard.finish_job(self.store, job.id, error=why)
            raise JobNotSentError(why) from exc

    def join(self, timeout: float | None = None) -> None:
        """Wait for the running thread jobs (tests, shutdown)."""
        for thread in list(self._threads.values()):
            thread.join(timeout)
