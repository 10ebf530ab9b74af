"""The Celery application: broker, queues, and what every task promises.

Every task is

* **idempotent**: it calls a service that does nothing when there is nothing to do (a
  source not due, no article left to enrich, no report due), and enrichment replaces an
  article's annotations rather than adding to them, so a retried, duplicated or
  redelivered task changes nothing;
* **time-limited**: ``[schedule] task_time_limit`` (a soft limit a little earlier);
* **acknowledged late**: the broker forgets a task only once it finished, and a worker
  lost mid-task (killed, power cut) gets its task redelivered to another worker after
  ``[schedule] redelivery_after`` seconds, and the articles it had claimed for enrichment
  are claimable again once their lease (``[schedule] enrich_lease``) has run out;
* **retried with backoff**: up to ``[schedule] task_retries`` times, the wait doubling;
  a task that still fails is kept in ``rejects`` (stage ``task``) with its error.

Enrich tasks run side by side on any number of workers: each claims its own batches of
articles (:mod:`watchfloor.enrich.pipeline`), with no lock but a short write step.

The settings are given once per process by :func:`configure` (the ``worker`` and
``scheduler`` commands do it with the settings they loaded), before the pool forks.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from watchfloor.config import Settings
from watchfloor.store.db import Store

__all__ = ["QUEUES", "app", "beat_schedule", "configure", "sender", "settings", "store"]

QUEUES = ("collect", "enrich", "report")

app = Celery("watchfloor", include=["watchfloor.workers.tasks"])

_state: dict[str, Any] = {}


def configure(config: Settings) -> Celery:
    """Point the Celery app at the configured broker and keep *config* for the tasks."""
    _state["settings"] = config
    _state.pop("store", None)
    app.conf.update(_conf(config))
    return app


def sender(config: Settings) -> Celery:
    """A Celery app of its own for a process that only sends tasks by name (the web app),
    pointed at *config*'s broker with the same settings the workers use; it leaves the
    module's app and its settings alone."""
    own = Celery("watchfloor-sender", set_as_current=False)
    own.conf.update(_conf(config))
    return own


def _conf(config: Settings) -> dict[str, Any]:
    schedule = config.schedule
    return dict(
        broker_url=config.broker,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": schedule.redelivery_after},
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_time_limit=schedule.task_time_limit,
        task_soft_time_limit=max(1, int(schedule.task_time_limit * 0.9)),
        task_default_queue="collect",
        task_routes={
            "watchfloor.collect_source": {"queue": "collect"},
            "watchfloor.dispatch_collect": {"queue": "collect"},
            "watchfloor.enrich_new": {"queue": "enrich"},
            "watchfloor.reports_due": {"queue": "report"},
        },
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        timezone="UTC",
        enable_utc=True,
    )


def settings() -> Settings:
    """The settings given to :func:`configure` (defaults and environment when not)."""
    if "settings" not in _state:
        from watchfloor.config import load_settings

        configure(load_settings())
    found: Settings = _state["settings"]
    return found


def store() -> Store:
    """This process's store (one engine per process, made after the pool forked)."""
    if "store" not in _state:
        _state["store"] = Store(settings().db)
    found: Store = _state["store"]
    return found


def beat_schedule(config: Settings) -> dict[str, dict[str, Any]]:
    """What ``watchfloor scheduler`` sends, and how often.

    Each source keeps its own interval and backoff: ``dispatch_collect`` runs every
    ``collect_every`` and sends a task for each source due by them. ``reports_due`` runs
    every ``check_every`` and writes the watch list's due reports.
    """
    every = float(config.schedule.collect_every)
    return {
        "dispatch-collect": {"task": "watchfloor.dispatch_collect", "schedule": every},
        "enrich-new": {"task": "watchfloor.enrich_new", "schedule": every},
        "reports-due": {
            "task": "watchfloor.reports_due",
            "schedule": float(config.schedule.check_every),
        },
    }
