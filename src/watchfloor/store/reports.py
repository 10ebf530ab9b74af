"""Keeping built reports: store one, list them, load one, find the one before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from watchfloor.errors import ReportError
from watchfloor.models.report import Report, ThreatLevel
from watchfloor.store.schema import reports

__all__ = [
    "PreviousReport",
    "StoredReport",
    "get_report",
    "keep_job_report",
    "list_reports",
    "previous_report",
    "report_of_job",
    "store_report",
]


@dataclass(frozen=True, slots=True)
class StoredReport:
    """One row of ``reports``, without the report itself."""

    id: int
    country: str
    period_start: date
    period_end: date
    generated_at: datetime
    backend: str
    analyst_version: str
    enricher_version: str
    threat_level: str
    threat_score: float | None
    """None when the report had insufficient data."""
    articles: int


@dataclass(frozen=True, slots=True)
class PreviousReport:
    """The threat assessment of an earlier report of the same country."""

    threat_level: ThreatLevel
    threat_score: float


def previous_report(conn: Connection, country: str, before: date) -> PreviousReport | None:
    """The latest stored report of *country* whose period ended before *before* and that
    gave a level (a report with insufficient data has no score to compare with)."""
    row = conn.execute(
        select(reports.c.threat_level, reports.c.threat_score)
        .where(
            reports.c.country == country,
            reports.c.period_end < before,
            reports.c.threat_score.is_not(None),
        )
        .order_by(reports.c.period_end.desc(), reports.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return PreviousReport(cast(ThreatLevel, row.threat_level), float(row.threat_score))


def report_of_job(conn: Connection, job_id: int) -> int | None:
    """The id of the report web job *job_id* stored, if it stored one."""
    row = conn.execute(select(reports.c.id).where(reports.c.job_id == job_id)).first()
    return None if row is None else int(row[0])


def store_report(conn: Connection, report: Report, *, job_id: int | None = None) -> int:
    """Keep a report, with its article ids and versions; return its id.

    Args:
        job_id: the web job writing it (unique: see :func:`keep_job_report`).
    """
    article_ids = sorted({a.article_id for a in report.annex if a.article_id is not None})
    result = conn.execute(
        insert(reports).values(
            job_id=job_id,
            country=report.country,
            period_start=report.period.start,
            period_end=report.period.end,
            generated_at=report.generated_at,
            backend=report.method.backend,
            analyst_version=report.method.analyst_version,
            enricher_version=report.method.enricher_version,
            article_ids=article_ids,
            threat_level=report.threat_level,
            threat_score=report.threat.score,
            report=report.model_dump(mode="json"),
        )
    )
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every supported database returns it
        raise ReportError("the database did not return the new report's id")
    return int(key[0])


def keep_job_report(conn: Connection, report: Report, job_id: int) -> tuple[int, bool]:
    """Keep the report web job *job_id* wrote, once: return its id and True, or the id of
    the report the job stored before and False (the job ran again after its worker was
    killed, or its task was delivered twice at once), storing nothing."""
    existing = report_of_job(conn, job_id)
    if existing is not None:
        return existing, False
    try:
        with conn.begin_nested():
            return store_report(conn, report, job_id=job_id), True
    except IntegrityError:  # the other run stored it between the read and the insert
        existing = report_of_job(conn, job_id)
        if existing is None:  # pragma: no cover - the unique index is on job_id alone
            raise
        return existing, False


def list_reports(conn: Connection, *, country: str | None = None) -> list[StoredReport]:
    """Stored reports, newest period first."""
    query = select(
        reports.c.id,
        reports.c.country,
        reports.c.period_start,
        reports.c.period_end,
        reports.c.generated_at,
        reports.c.backend,
        reports.c.analyst_version,
        reports.c.enricher_version,
        reports.c.threat_level,
        reports.c.threat_score,
        reports.c.article_ids,
    ).order_by(reports.c.period_end.desc(), reports.c.id.desc())
    if country:
        query = query.where(reports.c.country == country.upper())
    return [
        StoredReport(
            id=r.id,
            country=r.country,
            period_start=r.period_start,
            period_end=r.period_end,
            generated_at=r.generated_at,
            backend=r.backend,
            analyst_version=r.analyst_version,
            enricher_version=r.enricher_version,
            threat_level=r.threat_level,
            threat_score=None if r.threat_score is None else float(r.threat_score),
            articles=len(r.article_ids or []),
        )
        for r in conn.execute(query)
    ]


def get_report(conn: Connection, report_id: int) -> Report:
    """Return a stored report.

    Raises:
        ReportError: no report has that id.
    """
    row = conn.execute(select(reports.c.report).where(reports.c.id == report_id)).first()
    if row is None:
        raise ReportError(
            f"no stored report with id {report_id}: 'watchfloor reports list' shows them"
        )
    return Report.model_validate(row.report)
