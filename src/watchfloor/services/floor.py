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

from watchfloor.config import Settings
from watchfloor.services.collect import collect
from watchfloor.services.enrich import enrich
from watchfloor.services.progress import CancelToken
from watchfloor.services.watch import ScheduledRun, run_due_reports
from watchfloor.store.db import Store

__all__ = ["CollectCycle", "collect_cycle", "enrich_cycle", "report_cycle"]

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
