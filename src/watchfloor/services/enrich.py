"""Enrich: language, entities, places, categories, clusters and dated events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from watchfloor.config import Settings
from watchfloor.enrich.pipeline import Enricher, EnrichSummary
from watchfloor.enrich.pipeline import enrich as run_enrich
from watchfloor.services.progress import CancelToken, ProgressCallback, Reporter
from watchfloor.store.db import Store

__all__ = ["EnrichResult", "enrich"]


@dataclass(frozen=True, slots=True)
class EnrichResult:
    """Counts per stage of one enrich run."""

    articles: int
    failed: int
    entities: int
    places: int
    categories: int
    dated_events: int
    clusters_touched: int
    languages: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, summary: EnrichSummary) -> EnrichResult:
        return cls(
            articles=summary.articles,
            failed=summary.failed,
            entities=summary.entities,
            places=summary.places,
            categories=summary.categories,
            dated_events=summary.dated_events,
            clusters_touched=summary.clusters_touched,
            languages=dict(summary.languages),
        )

    def counts(self) -> list[tuple[str, int]]:
        """The per-stage counts in table order (languages apart)."""
        return [
            ("articles", self.articles),
            ("failed", self.failed),
            ("entities", self.entities),
            ("places", self.places),
            ("categories", self.categories),
            ("dated events", self.dated_events),
            ("clusters touched", self.clusters_touched),
        ]

    def to_json(self) -> dict[str, Any]:
        """The ``enrich --json`` document."""
        return {
            "articles": self.articles,
            "failed": self.failed,
            "entities": self.entities,
            "places": self.places,
            "categories": self.categories,
            "dated_events": self.dated_events,
            "clusters_touched": self.clusters_touched,
            "languages": dict(self.languages),
        }


def enrich(
    settings: Settings,
    store: Store,
    *,
    redo: bool = False,
    batch_size: int | None = None,
    enricher: Enricher | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> EnrichResult:
    """Enrich new and changed articles (every article with ``redo``).

    Other processes may enrich the same store at the same time: each claims its own
    batches (``[schedule] enrich_batch`` articles, leased for ``enrich_lease`` seconds).
    ``progress`` is called after each batch (stage ``"enrich"``, units are articles).
    When ``cancel`` is set, the run stops after the batch in hand is written:
    :class:`~watchfloor.services.progress.Cancelled` is raised and the remaining
    articles stay pending for the next run.

    Args:
        settings: the ``[enrich]`` tuning comes from here, the batch size, lease and
            threads from ``[schedule]``.
        batch_size: articles per batch (``[schedule] enrich_batch`` when None).
        enricher: loaded models to reuse across runs (built from ``settings`` when None).
    """
    store.check_ready()
    if enricher is None:
        from watchfloor.enrich.pipeline import Enricher
        from watchfloor.enrich.resources import for_settings

        enricher = Enricher(for_settings(settings.enrich), threads=settings.schedule.enrich_threads)
    reporter = Reporter("enrich", progress, cancel)
    reporter.check()
    summary = run_enrich(
        store,
        redo=redo,
        batch_size=batch_size or settings.schedule.enrich_batch,
        enricher=enricher,
        lease=settings.schedule.enrich_lease,
        on_start=reporter.start,
        on_batch=reporter.advance,
    )
    return EnrichResult.of(summary)
