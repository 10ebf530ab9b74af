"""The watch floor's recurring work, one function per kind of cycle.

``watchfloor run`` (one process, APScheduler) and the Celery tasks (``watchfloor.workers``)
call these same functions, so both keep the same semantics: a source is fetched when it is
due (its interval, or its backoff after a failure), new articles are enriched, and every
watched country's report is written when its schedule says (:mod:`.watch`).

Each function is safe to run again at any time: what was already done is not redone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from watchfloor.collect.run import due_sources as _due
from watchfloor.collect.run import fetch_policy
from watchfloor.config import Settings
from watchfloor.models.records import RejectStage
from watchfloor.services.collect import CollectResult, collect
from watchfloor.services.enrich import enrich
from watchfloor.services.progress import CancelToken
from watchfloor.services.watch import ScheduledRun, run_due_reports
from watchfloor.store import queries as q
from watchfloor.store.db import Store

__all__ = [
    "CollectCycle",
    "DueSource",
    "PruneResult",
    "collect_cycle",
    "collect_one",
    "due_sources",
    "enrich_cycle",
    "prune_raw",
    "record_task_failure",
    "report_cycle",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CollectCycle:
    """One collection cycle: sources fetched and failed, articles stored and enriched."""

    sources: int
    failed: int
    new: int
    enriched: int


def collect_cycle(
    settings: Settings,
    store: Store,
    *,
    allow_private: bool | None = None,
    enricher: Any = None,
    cancel: CancelToken | None = None,
) -> CollectCycle:
    """Fetch the due sources, then enrich what is new (unless ``[collect] enrich`` is off)."""
    result = collect(settings, store, allow_private=allow_private, cancel=cancel)
    totals = result.summary.totals()
    enriched = 0
    if settings.collect.enrich:
        enriched = enrich_cycle(settings, store, enricher=enricher, cancel=cancel)
    log.info(
        "collect: %d source(s), %d failed, %d new article(s), %d enriched",
        totals.sources,
        totals.failed,
        totals.new,
        enriched,
    )
    return CollectCycle(totals.sources, totals.failed, totals.new, enriched)


def enrich_cycle(
    settings: Settings, store: Store, *, enricher: Any = None, cancel: CancelToken | None = None
) -> int:
    """Enrich every article not enriched yet by this version; return how many."""
    return enrich(settings, store, enricher=enricher, cancel=cancel).articles


def report_cycle(
    settings: Settings, store: Store, *, now: datetime | None = None
) -> list[ScheduledRun]:
    """Write the watched countries' reports that are due."""
    runs = run_due_reports(settings, store, now=now)
    for run in runs:
        log.info(
            "report %d of %s written (%s to %s), %d alert(s)",
            run.built.id,
            run.country,
            run.built.start,
            run.built.end,
            len(run.alerts),
        )
    return runs


@dataclass(frozen=True, slots=True)
class DueSource:
    """A source due now, and the host its politeness limit is kept for."""

    id: int
    host: str


def due_sources(
    settings: Settings, store: Store, *, allow_private: bool | None = None
) -> list[DueSource]:
    """The sources due now (interval, backoff, or a changed policy after a refusal)."""
    from urllib.parse import urlsplit

    store.check_ready()
    policy = fetch_policy(settings, allow_private=allow_private)
    return [
        DueSource(s.id, (urlsplit(s.url).hostname or "local").lower())
        for s in _due(store, policy=policy)
    ]


def collect_one(
    settings: Settings, store: Store, source_id: int, *, allow_private: bool | None = None
) -> CollectResult:
    """Fetch one source if it is (still) due: a repeated request fetches nothing."""
    return collect(settings, store, source_id=source_id, due_only=True, allow_private=allow_private)


def record_task_failure(store: Store, task: str, error: str, *, detail: str | None = None) -> None:
    """Keep a task that kept failing in ``rejects`` (stage ``task``), with its error."""
    with store.begin() as conn:
        q.add_reject(conn, stage=RejectStage.TASK, error=f"{task}: {error}", detail=detail)


@dataclass(frozen=True, slots=True)
class PruneResult:
    """Raw documents removed (or that would be, with ``dry_run``) and their bytes."""

    before: datetime
    documents: int
    bytes: int
    dry_run: bool


def prune_raw(
    settings: Settings, store: Store, *, days: int | None = None, dry_run: bool = False
) -> PruneResult | None:
    """Remove parsed raw responses older than *days* (``[schedule] raw_retention_days``
    when None); None when the retention is 0 (keep them for ever)."""
    from datetime import UTC, timedelta

    from watchfloor.store.retention import prune_raw as prune

    keep = settings.schedule.raw_retention_days if days is None else days
    if keep <= 0:
        return None
    store.check_ready()
    before = datetime.now(UTC) - timedelta(days=keep)
    with store.begin() as conn:
        count, size = prune(conn, before=before, dry_run=dry_run)
    return PruneResult(before, count, size, dry_run)
