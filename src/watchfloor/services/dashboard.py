"""The watch floor's views: what the web app's pages and API show, one function each.

Every function takes a :class:`~watchfloor.store.db.Store` (and the settings when it needs
them) and returns frozen dataclasses; the web app only formats them. Writes made through
the web app (jobs, the audit log) go through here too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from watchfloor.countries import countries as known_countries
from watchfloor.countries import validate_country
from watchfloor.errors import ReportError
from watchfloor.models.report import Report
from watchfloor.report.build import StoredReport, get_report
from watchfloor.report.build import list_reports as stored_reports
from watchfloor.store import queries as q
from watchfloor.store import web as w
from watchfloor.store.db import Connection, Store

__all__ = [
    "CountryRow",
    "CountryView",
    "ReportDiff",
    "SourceHealth",
    "SourceRow",
    "article",
    "audit",
    "country_view",
    "finish_job",
    "get_job",
    "list_jobs",
    "overview",
    "record_write",
    "report_diff",
    "search",
    "sources_view",
    "start_job",
    "update_job",
]

#: A source counts as failing after this many failed fetches in a row.
FAILING_AFTER = 3
#: Stored reports never change: the parsed ones are kept, this many, per store and id.
REPORTS_KEPT = 64
_parsed: OrderedDict[tuple[str, int, str], Report] = OrderedDict()
_parsed_lock = threading.Lock()


def _report(store: Store, conn: Connection, row: StoredReport) -> Report:
    """A stored report, parsed once: a stored report is never changed, and the key holds
    its generation time too, so a new database at the same path is not mistaken for it."""
    report_id = row.id
    key = (store.url, row.id, row.generated_at.isoformat())
    with _parsed_lock:
        if key in _parsed:
            _parsed.move_to_end(key)
            return _parsed[key]
    report = get_report(conn, report_id)
    with _parsed_lock:
        _parsed[key] = report
        while len(_parsed) > REPORTS_KEPT:
            _parsed.popitem(last=False)
    return report


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """How a country's sources fare: how many, how many worked last time, failing."""

    total: int = 0
    healthy: int = 0
    failing: int = 0
    never: int = 0

    @property
    def label(self) -> str:
        if not self.total:
            return "no sources"
        if self.failing:
            return f"{self.failing} of {self.total} failing"
        if self.never == self.total:
            return "never fetched"
        return f"{self.healthy} of {self.total} working"


def _health(rows: Sequence[q.Source]) -> SourceHealth:
    failing = sum(1 for s in rows if s.consecutive_failures >= FAILING_AFTER)
    never = sum(1 for s in rows if s.last_fetched_at is None)
    healthy = sum(1 for s in rows if s.last_success_at is not None and s.consecutive_failures == 0)
    return SourceHealth(len(rows), healthy, failing, never)


@dataclass(frozen=True, slots=True)
class CountryRow:
    """One country of the overview: its newest report's level, trend and date."""

    code: str
    name: str
    level: str  # "Insufficient data" when no report has a level yet
    score: float | None
    trend: str  # up, down, steady, new, none
    last_report_id: int | None
    last_report_end: datetime | None
    health: SourceHealth


def _sources_by_country(all_sources: Sequence[q.Source]) -> dict[str, list[q.Source]]:
    by: dict[str, list[q.Source]] = {}
    for s in all_sources:
        for code in s.countries:
            by.setdefault(code, []).append(s)
    return by


def overview(store: Store) -> list[CountryRow]:
    """Every watched country (one with a source or a report), by name."""
    store.check_ready()
    with store.connect() as conn:
        all_sources = q.list_sources(conn)
        reports = stored_reports(conn)
        latest: dict[str, StoredReport] = {}
        for r in reports:  # newest period first
            latest.setdefault(r.country, r)
        trends: dict[int, str] = {}
        for r in latest.values():
            trends[r.id] = _report(store, conn, r).threat.trend.direction
    by_country = _sources_by_country(all_sources)
    names = known_countries()
    rows = []
    for code in sorted(set(by_country) | set(latest)):
        report = latest.get(code)
        rows.append(
            CountryRow(
                code=code,
                name=names[code].name if code in names else code,
                level=report.threat_level if report else "Insufficient data",
                score=report.threat_score if report else None,
                trend=trends[report.id] if report else "none",
                last_report_id=report.id if report else None,
                last_report_end=datetime.combine(report.period_end, time(), UTC)
                if report
                else None,
                health=_health(by_country.get(code, [])),
            )
        )
    return sorted(rows, key=lambda r: r.name)


@dataclass(frozen=True, slots=True)
class CountryView:
    """One country: its reports over time, the latest, what is new since, its sources."""

    code: str
    name: str
    reports: tuple[StoredReport, ...]  # oldest first
    latest: Report | None
    latest_id: int | None
    uncovered: tuple[w.Story, ...]
    sources: tuple[q.Source, ...]
    health: SourceHealth


def country_view(store: Store, country: str) -> CountryView:
    """A country's page.

    Raises:
        WatchfloorError: an unknown country code.
    """
    code = validate_country(country)
    store.check_ready()
    with store.connect() as conn:
        reports = stored_reports(conn, country=code)
        latest = _report(store, conn, reports[0]) if reports else None
        since = datetime.combine(reports[0].period_end, time.max, UTC) if reports else None
        uncovered = w.uncovered_stories(conn, code, since)
        own = [s for s in q.list_sources(conn) if code in s.countries]
    return CountryView(
        code=code,
        name=known_countries()[code].name,
        reports=tuple(reversed(reports)),
        latest=latest,
        latest_id=reports[0].id if reports else None,
        uncovered=tuple(uncovered),
        sources=tuple(own),
        health=_health(own),
    )


@dataclass(frozen=True, slots=True)
class ReportDiff:
    """What changed from the previous report of the same country."""

    report_id: int
    previous_id: int | None
    level: str
    previous_level: str | None
    score: float | None
    previous_score: float | None
    new_developments: tuple[str, ...] = ()
    gone_developments: tuple[str, ...] = ()
    hotspots_appeared: tuple[str, ...] = ()
    hotspots_gone: tuple[str, ...] = ()

    @property
    def level_changed(self) -> bool:
        return self.previous_id is not None and self.level != self.previous_level


def _stored(store: Store, report_id: int) -> tuple[StoredReport, Report, list[StoredReport]]:
    store.check_ready()
    with store.connect() as conn:
        report = get_report(conn, report_id)
        same = stored_reports(conn, country=report.country)
    row = next((r for r in same if r.id == report_id), None)
    if row is None:  # pragma: no cover - get_report found it
        raise ReportError(f"no stored report with id {report_id}")
    return row, report, same


def report_diff(store: Store, report_id: int) -> ReportDiff:
    """Compare a stored report with the previous one of its country (by period end)."""
    row, report, same = _stored(store, report_id)
    older = [
        r for r in same if (r.period_end, r.id) < (row.period_end, row.id) and r.id != report_id
    ]
    if not older:
        return ReportDiff(report_id, None, report.threat_level, None, report.threat.score, None)
    prev_row = older[0]
    with store.connect() as conn:
        prev = get_report(conn, prev_row.id)

    def titles(r: Report) -> dict[str, str]:
        return {d.id: d.title for d in r.key_developments}

    def spots(r: Report) -> dict[str, str]:
        return {h.label.casefold(): h.label for h in r.hotspots}

    now_d, old_d = titles(report), titles(prev)
    now_titles = {t.casefold() for t in now_d.values()}
    old_titles = {t.casefold() for t in old_d.values()}
    now_h, old_h = spots(report), spots(prev)
    return ReportDiff(
        report_id=report_id,
        previous_id=prev_row.id,
        level=report.threat_level,
        previous_level=prev.threat_level,
        score=report.threat.score,
        previous_score=prev.threat.score,
        new_developments=tuple(
            t for k, t in now_d.items() if k not in old_d and t.casefold() not in old_titles
        ),
        gone_developments=tuple(
            t for k, t in old_d.items() if k not in now_d and t.casefold() not in now_titles
        ),
        hotspots_appeared=tuple(v for k, v in now_h.items() if k not in old_h),
        hotspots_gone=tuple(v for k, v in old_h.items() if k not in now_h),
    )


def search(store: Store, filters: w.SearchFilters) -> list[w.SearchHit]:
    """Full-text search with filters (see :func:`watchfloor.store.web.search`)."""
    if filters.country:
        filters = w.SearchFilters(
            **{**_fields(filters), "country": validate_country(filters.country)}
        )
    store.check_ready()
    with store.connect() as conn:
        return w.search(conn, filters)


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def article(store: Store, article_id: int) -> w.ArticleDetail | None:
    """One article with what enrichment found in it; None when there is no such id."""
    store.check_ready()
    with store.connect() as conn:
        return w.article_detail(conn, article_id)


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source with its unresolved rejects."""

    source: q.Source
    rejects: tuple[q.Reject, ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        s = self.source
        if not s.enabled:
            return "disabled"
        if s.last_fetched_at is None:
            return "never fetched"
        if s.consecutive_failures >= FAILING_AFTER:
            return "failing"
        if s.consecutive_failures:
            return "last fetch failed"
        return "working"


def sources_view(store: Store, *, rejects_per_source: int = 5) -> list[SourceRow]:
    """Every source with its status and newest unresolved rejects."""
    store.check_ready()
    with store.connect() as conn:
        rows = []
        for s in q.list_sources(conn):
            rejects = q.list_rejects(conn, source_id=s.id, limit=rejects_per_source)
            rows.append(SourceRow(s, tuple(rejects)))
    return rows


# --- jobs and the audit log ----------------------------------------------------------


def start_job(
    store: Store, *, kind: str, key: str, params: dict[str, Any], actor: str
) -> tuple[w.Job, bool]:
    """Queue a job, or return the same one already queued or running (and False)."""
    store.check_ready()
    with store.begin() as conn:
        return w.start_job(conn, kind=kind, key=key, params=params, actor=actor)


def update_job(
    store: Store, job_id: int, *, stage: str, done: int, total: int, message: str = ""
) -> None:
    with store.begin() as conn:
        w.update_job(conn, job_id, stage=stage, done=done, total=total, message=message)


def finish_job(
    store: Store,
    job_id: int,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    with store.begin() as conn:
        w.finish_job(conn, job_id, result=result, error=error)


def get_job(store: Store, job_id: int) -> w.Job | None:
    with store.connect() as conn:
        return w.get_job(conn, job_id)


def list_jobs(store: Store, *, limit: int = 20) -> list[w.Job]:
    store.check_ready()
    with store.connect() as conn:
        return w.list_jobs(conn, limit=limit)


def record_write(
    store: Store,
    *,
    actor: str,
    remote: str,
    action: str,
    target: str,
    outcome: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add a line to the audit log: who wrote what, from where, and how it went."""
    with store.begin() as conn:
        w.record_audit(
            conn,
            actor=actor,
            remote=remote,
            action=action,
            target=target,
            outcome=outcome,
            detail=detail,
        )


def audit(store: Store, *, limit: int = 100) -> list[w.AuditEntry]:
    """The newest audit entries first."""
    store.check_ready()
    with store.connect() as conn:
        return w.list_audit(conn, limit=limit)
