"""Collect: fetch the due sources, store what they bring, optionally enrich it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from watchfloor.collect.run import CollectSummary, SourceOutcome
from watchfloor.collect.run import collect as run_collect
from watchfloor.collect.run import reparse as run_reparse
from watchfloor.config import Settings
from watchfloor.countries import validate_country
from watchfloor.services.progress import CancelToken, ProgressCallback, Reporter
from watchfloor.store.db import Store

__all__ = ["CollectResult", "collect", "reparse"]


@dataclass(frozen=True, slots=True)
class CollectResult:
    """A collect (or reparse) run: the per-source outcomes and the totals."""

    summary: CollectSummary

    @property
    def sources(self) -> list[SourceOutcome]:
        return self.summary.sources

    @property
    def failed(self) -> bool:
        """True when at least one source failed (the CLI exits 1)."""
        return bool(self.summary.failed)

    @property
    def new_article_ids(self) -> list[int]:
        return self.summary.new_article_ids

    def to_json(self) -> dict[str, Any]:
        """The ``collect --json`` document."""
        return {
            "totals": self.summary.totals().to_json(),
            "resumed": self.summary.resumed,
            "sources": [
                {
                    "id": s.source_id,
                    "name": s.name,
                    "new": s.new,
                    "updated": s.updated,
                    "unchanged": s.unchanged,
                    "rejected": s.rejected,
                    "not_modified": s.not_modified,
                    "error": s.error,
                }
                for s in self.summary.sources
            ],
        }


def collect(
    settings: Settings,
    store: Store,
    *,
    country: str | None = None,
    source_id: int | None = None,
    force: bool = False,
    allow_private: bool | None = None,
    fulltext: bool = False,
    due_only: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> CollectResult:
    """Fetch every due source concurrently and store new articles.

    ``progress`` is called once per finished source (stage ``"collect"``, the source's
    name as message). When ``cancel`` is set, the run stops after the next source that
    finishes: sources already stored stay, those still in flight are abandoned before
    anything of theirs is written, and :class:`~watchfloor.services.progress.Cancelled`
    is raised. With ``source_id`` and ``due_only``, that source is fetched only if it is
    due, so a repeated request (a redelivered worker task) fetches nothing new.
    """
    code = validate_country(country) if country else None
    store.check_ready()
    reporter = Reporter("collect", progress, cancel)
    reporter.check()

    def on_done(outcome: SourceOutcome) -> None:
        reporter.advance(1, outcome.name)

    summary = run_collect(
        store,
        settings,
        country=code,
        source_id=source_id,
        force=force,
        allow_private=allow_private,
        fulltext=fulltext,
        due_only=due_only,
        on_start=reporter.start,
        on_done=on_done,
    )
    return CollectResult(summary)


def reparse(store: Store, *, source_id: int | None = None) -> CollectResult:
    """Parse every stored raw document again (after a parser fix); nothing is fetched."""
    store.check_ready()
    return CollectResult(run_reparse(store, source_id=source_id))
