"""Reports: build and store one, list and fetch stored ones, render and check them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from watchfloor.analyze.quality import check_report
from watchfloor.config import Settings
from watchfloor.countries import validate_country
from watchfloor.errors import BackendUnavailableError, ReportError
from watchfloor.models.report import QualityNote, Report
from watchfloor.report.build import StoredReport, build_report, get_report, store_report
from watchfloor.report.build import list_reports as stored_reports
from watchfloor.report.render import parse_formats, render
from watchfloor.report.render import write_report as write_files
from watchfloor.store.db import Connection, Store
from watchfloor.store.llm import keep_run
from watchfloor.store.reports import keep_job_report, report_of_job

__all__ = [
    "ALL_FORMATS",
    "BuiltReport",
    "ReportClaimedError",
    "build_and_store",
    "check",
    "choose_formats",
    "explain",
    "get",
    "list_reports",
    "render_text",
    "write",
]

ALL_FORMATS = ("md", "html", "json", "geojson", "pdf", "stix")


class ReportClaimedError(ReportError):
    """The report was built but not stored: its ``claim`` said another run owns it."""

    def __init__(self, report_id: int) -> None:
        super().__init__(f"report {report_id} was not stored: another run had claimed it")
        self.report_id = report_id


@dataclass(frozen=True, slots=True)
class BuiltReport:
    """A report that was built and stored, with where its files went.

    ``problems`` is None when no check was asked for, else what the check found (empty
    when clean).
    """

    id: int
    report: Report
    start: date
    end: date
    files: tuple[Path, ...] = ()
    problems: tuple[str, ...] | None = None

    @property
    def clean(self) -> bool:
        return not self.problems


def choose_formats(settings: Settings, spec: str | None) -> list[str]:
    """The formats to write: ``spec`` (``"md,html"``, ``"all"``) or the settings' default.

    Raises:
        ReportError: an unknown format.
    """
    return parse_formats(spec if spec else list(settings.report.formats))


def check(report: Report, *, start: date, end: date) -> tuple[str, ...]:
    """Uncited statements, items outside the period, unplaced hotspots, uncited annex."""
    return tuple(check_report(report, start=start, end=end))


def build_and_store(
    settings: Settings,
    store: Store,
    *,
    country: str,
    start: date,
    end: date,
    backend: str | None = None,
    out_dir: Path | None = None,
    formats: Sequence[str] = (),
    run_check: bool = False,
    timezone: str | None = None,
    include: Sequence[int] = (),
    exclude: Sequence[int] = (),
    max_developments: int | None = None,
    fallback: bool = False,
    job_id: int | None = None,
    claim: Callable[[Connection, int], bool] | None = None,
) -> BuiltReport:
    """Build the country report for a period, store it, write its files, check it.

    Args:
        backend: analyst backend; the settings' default when None.
        out_dir: folder for the files; nothing is written when None.
        formats: formats to write into ``out_dir``.
        run_check: also run :func:`check`.
        timezone: IANA zone of the period's days (the country's main zone when None).
        include, exclude: article ids whose stories the analyst pins in or out.
        max_developments: key developments kept (``[analyze.developments]`` when None).
        fallback: when a writing backend's endpoint cannot be reached, write the whole
            report with the extractive analyst instead, with a warning in the report.
        job_id: the web job this is (:mod:`watchfloor.services.jobs`): a job stores one
            report, so when it stored one already (run again after its worker was killed)
            that report is returned, not built or stored again.
        claim: called with the open transaction and the new report's id, in the
            transaction that stores the report; when it returns False the report is not
            stored (rolled back) and :class:`ReportClaimedError` is raised. A scheduled run
            marks its time done this way, so a process killed between the two leaves
            neither a report nor a done mark, and the run is redone whole.

    Raises:
        ReportError: the period ends before it starts, or a format cannot be written.
        BackendUnavailableError: the endpoint cannot be reached and *fallback* is False.
    """
    code = validate_country(country)
    if end < start:
        raise ReportError(f"the period ends ({end}) before it starts ({start})")
    store.check_ready()
    if job_id is not None:
        with store.connect() as conn:
            done = report_of_job(conn, job_id)
            if done is not None:
                return _finish(
                    get_report(conn, done), done, start, end, out_dir, formats, run_check
                )
    name = backend or settings.report.backend
    record: dict[str, Any] = {}

    def build(analyst: str) -> Report:
        return build_report(
            store,
            country=code,
            start=start,
            end=end,
            backend=analyst,
            analyze=settings.analyze,
            timezone=timezone,
            include=include,
            exclude=exclude,
            max_developments=max_developments,
            backends=settings.backends,
            llm_record=record,
        )

    try:
        built = build(name)
    except BackendUnavailableError as exc:
        if not fallback:
            raise
        built = build("extractive")
        warning = (
            f"Warning: the {name} analyst was asked for, but {exc}. The whole report was "
            "written by the extractive analyst instead (--fallback)."
        )
        built.method.note = f"{warning} {built.method.note}"
        keys = [i for s in built.executive_summary[:1] for i in s.sources]
        built.data_quality.insert(0, QualityNote(kind="other", text=warning, sources=keys))
    with store.begin() as conn:
        if job_id is None:
            report_id, ours = store_report(conn, built), True
        else:
            report_id, ours = keep_job_report(conn, built, job_id)
        if ours and claim is not None and not claim(conn, report_id):
            raise ReportClaimedError(report_id)  # rolls the report back
        if ours and record:
            keep_run(conn, report_id, record)
        if not ours:  # another run of the same job stored it meanwhile: that one stands
            built = get_report(conn, report_id)
    return _finish(built, report_id, start, end, out_dir, formats, run_check)


def _finish(
    built: Report,
    report_id: int,
    start: date,
    end: date,
    out_dir: Path | None,
    formats: Sequence[str],
    run_check: bool,
) -> BuiltReport:
    files = tuple(write_files(built, out_dir, list(formats))) if out_dir is not None else ()
    problems = check(built, start=start, end=end) if run_check else None
    return BuiltReport(report_id, built, start, end, files, problems)


def explain(report: Report) -> str:
    """Every in-period article left out of the key developments, with its reason."""
    lines = [
        f"{len(report.excluded)} articles of {report.period.start} to {report.period.end} "
        f"({report.period.timezone}) are not in a key development:"
    ]
    for x in report.excluded:
        lines.append(
            f"  {x.article_id}\t{x.reason}\t{x.published:%Y-%m-%d}\t{x.outlet}\t"
            f"{' '.join(x.title.split())[:100]}\t({x.detail})"
        )
    return "\n".join(lines)


def list_reports(store: Store, *, country: str | None = None) -> list[StoredReport]:
    """Stored reports, newest first, of one country or all."""
    code = validate_country(country) if country else None
    store.check_ready()
    with store.connect() as conn:
        return stored_reports(conn, country=code)


def get(store: Store, report_id: int) -> Report:
    """A stored report exactly as it was built."""
    store.check_ready()
    with store.connect() as conn:
        return get_report(conn, report_id)


def write(report: Report, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write a report into a folder in each format; return the paths."""
    return write_files(report, Path(out_dir), list(formats))


def render_text(report: Report, fmt: str) -> str:
    """A report in one text format (not pdf), as a string."""
    if fmt == "pdf":
        raise ReportError("pdf is not a text format: write it to a folder with --out")
    return render(report, fmt).decode("utf-8")
