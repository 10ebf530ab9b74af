"""Build a country security report from the store, keep it, and write its files.

    report = build_report(store, country="MN", start=date(2026, 4, 27), end=date(2026, 5, 3))
    paths = write_report(store, country="MN", start=..., end=..., out_dir=Path("out"))

The analysis (``watchfloor.analyze``) turns the period's enriched articles into drafts
that cite store items; this module numbers the citations into the annex in order of first
citation, assembles the pydantic :class:`~watchfloor.models.report.Report`, and stores it in
the ``reports`` table with the article ids and versions that produced it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, insert, select

from watchfloor.analyze.background import find_background, page_changes, version_date
from watchfloor.analyze.developments import DevDraft, find_developments
from watchfloor.analyze.facts import PeriodData, day_bounds, load_period, previous_counts
from watchfloor.analyze.hotspots import find_hotspots
from watchfloor.analyze.outlook import (
    executive_summary,
    geopolitical_groups,
    military_analysis,
    outlook,
)
from watchfloor.analyze.quality import check_report, quality_notes
from watchfloor.analyze.threat import assess_threat
from watchfloor.backends.registry import get_backend
from watchfloor.config import AnalyzeSettings
from watchfloor.errors import ReportError
from watchfloor.models.analysis import Draft, Key
from watchfloor.models.report import (
    ActorGroup,
    AnnexEntry,
    BackgroundItem,
    DateRange,
    Development,
    Hotspot,
    Method,
    Outlook,
    Period,
    QualityNote,
    Report,
    Statement,
    Threat,
    ThreatFactor,
    ThreatLevel,
    ThreatTrend,
)
from watchfloor.store.db import Store
from watchfloor.store.schema import reports

__all__ = [
    "DEFAULT_FORMATS",
    "StoredReport",
    "build_report",
    "check_report",
    "get_report",
    "list_reports",
    "render_files",
    "store_report",
    "write_report",
]

log = logging.getLogger(__name__)

DEFAULT_FORMATS = ("md", "html", "json", "geojson")


class _Citer:
    """Numbers cited store items 1..n in order of first citation."""

    def __init__(self, data: PeriodData) -> None:
        self.data = data
        self.pages = {p.id: p for p in data.pages}
        self.ids: dict[Key, int] = {}

    def __call__(self, keys: Iterable[Key]) -> list[int]:
        out = []
        for key in keys:
            if key not in self.ids:
                self._check(key)
                self.ids[key] = len(self.ids) + 1
            if self.ids[key] not in out:
                out.append(self.ids[key])
        return out

    def _check(self, key: Key) -> None:
        kind, ident = key
        if (kind == "a" and ident not in self.data.articles) or (
            kind == "p" and ident not in self.pages
        ):
            raise ReportError(f"the analysis cited {kind}:{ident}, which was not loaded")

    def statement(self, draft: Draft) -> Statement:
        return Statement(
            text=draft.text,
            sources=self(draft.keys),
            language=draft.language,
            background=draft.background,
        )

    def annex(self) -> list[AnnexEntry]:
        lo, hi = day_bounds(self.data.start, self.data.end)
        out = []
        for (kind, ident), number in sorted(self.ids.items(), key=lambda kv: kv[1]):
            if kind == "a":
                a = self.data.articles[ident]
                out.append(
                    AnnexEntry(
                        id=number,
                        title=a.title,
                        outlet=a.outlet,
                        published=a.published,
                        url=a.url,
                        language=a.language,
                        article_id=a.id,
                    )
                )
            else:
                p = self.pages[ident]
                # A version captured in the period is news of the period: date it by its
                # capture; an older one speaks for its own date.
                published = p.fetched_at if lo <= p.fetched_at < hi else p.dated
                out.append(
                    AnnexEntry(
                        id=number,
                        title=f"{p.title} (version {p.version})",
                        outlet=p.source_name,
                        published=published,
                        url=p.url,
                        language=p.language,
                        article_id=None,
                    )
                )
        return out

    def article_ids(self) -> list[int]:
        return sorted(ident for kind, ident in self.ids if kind == "a")


def _previous_report(
    conn: Connection, country: str, start: date
) -> tuple[ThreatLevel, float] | None:
    row = conn.execute(
        select(reports.c.threat_level, reports.c.threat_score)
        .where(reports.c.country == country, reports.c.period_end < start)
        .order_by(reports.c.period_end.desc(), reports.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return row.threat_level, float(row.threat_score)


def _enricher_version(data: PeriodData) -> str:
    from watchfloor.enrich.pipeline import ENRICHER_VERSION

    versions = Counter(a.enriched_version for a in data.in_period() if a.enriched_version)
    return versions.most_common(1)[0][0] if versions else ENRICHER_VERSION


def _development(dev: DevDraft, cite: _Citer) -> Development:
    summary = [cite.statement(d) for d in dev.summary]
    return Development(
        id=dev.id,
        title=dev.title,
        date=DateRange(start=dev.start, end=dev.end),
        category=dev.category,
        categories=dev.categories,
        summary=summary,
        places=dev.place_names[:8],
        actors=dev.actors,
        significance=dev.significance,
        sources=cite(dev.keys),
    )


def build_report(
    store: Store,
    *,
    country: str,
    start: date,
    end: date,
    backend: str = "extractive",
    now: datetime | None = None,
    analyze: AnalyzeSettings | None = None,
) -> Report:
    """Analyse the period's articles about a country and return the report.

    Args:
        store: an initialised, enriched store.
        country: ISO 3166-1 alpha-2 code.
        start, end: inclusive UTC calendar dates; an article belongs to the period when
            its publication time, in UTC, falls on one of them.
        backend: the analyst backend's name (``extractive`` needs no model).
        now: the generation time to record (defaults to the current time).
        analyze: the ``[analyze]`` settings (the defaults when None).

    Raises:
        ReportError: unknown country, reversed dates, or an inconsistent analysis.
        UnknownBackendError: no backend of that name.
    """
    country = country.upper()
    analyst = get_backend(backend)
    generated = now or datetime.now(UTC)
    with store.connect() as conn:
        data = load_period(conn, country=country, start=start, end=end)
        history = previous_counts(conn, country=country, start=start, end=end)
        previous = _previous_report(conn, country, start)
    tuning = analyze or AnalyzeSettings()
    devs = find_developments(data, analyst, settings=tuning.developments)
    devs = sorted(devs + page_changes(data, devs), key=lambda d: (-d.significance, d.start, d.id))
    threat = assess_threat(
        devs, history=[n for n, _ in history], previous=previous, settings=tuning.threat
    )
    hotspots, dropped = find_hotspots(devs, country, settings=tuning.hotspots)
    background = find_background(data, devs)
    notes = quality_notes(data, devs, dropped)
    look = outlook(
        devs,
        end=end,
        previous_categories=history[0][1] if history else None,
        settings=tuning.outlook,
    )

    cite = _Citer(data)
    executive = [cite.statement(d) for d in executive_summary(devs)]
    developments = [_development(d, cite) for d in devs]
    geo = [
        ActorGroup(
            actor=g.actor, relation=g.relation, statements=[cite.statement(d) for d in g.statements]
        )
        for g in geopolitical_groups(devs, country)
    ]
    military = [cite.statement(d) for d in military_analysis(devs)]
    outlook_model = Outlook(
        short_term=[cite.statement(d) for d in look.short_term],
        flashpoints=[cite.statement(d) for d in look.flashpoints],
        indicators=[cite.statement(d) for d in look.indicators],
        recommendations=[cite.statement(d) for d in look.recommendations],
    )
    threat_model = Threat(
        score=threat.score,
        level=threat.level,
        factors=[
            ThreatFactor(
                name=f.name,
                value=f.value,
                weight=f.weight,
                contribution=f.contribution,
                detail=f.detail,
                sources=cite(f.keys),
            )
            for f in threat.factors
        ],
        trend=ThreatTrend(
            previous_level=threat.previous_level,
            previous_score=threat.previous_score,
            direction=threat.direction,
        ),
    )
    hotspot_models = [
        Hotspot(
            label=h.label,
            detail=h.detail,
            lat=h.lat,
            lng=h.lng,
            intensity=h.intensity,
            sources=cite(h.keys),
            country=h.country or None,
            feature=h.feature,
        )
        for h in hotspots
    ]
    background_models = [
        BackgroundItem(
            page=b.page.title,
            url=b.page.url,
            version=b.page.version,
            version_date=version_date(b.page),
            statement=cite.statement(b.draft),
            changed_in_period=b.changed_in_period,
        )
        for b in background
    ]
    note_models = [
        QualityNote(kind=n.kind, text=n.text, sources=cite(n.keys))  # type: ignore[arg-type]
        for n in notes
    ]
    annex = cite.annex()
    outlets = {a.outlet for a in annex}
    news = [a for a in annex if a.article_id is not None]
    note = (
        f"Written by the {analyst.backend_id} analyst from {len(news)} articles by "
        f"{len({a.outlet for a in news})} outlets published {start:%d %B %Y} to "
        f"{end:%d %B %Y} (UTC), grouped into {len(developments)} developments"
        + (
            "; every sentence is quoted from the sources cited after it, apart from "
            "connective words and the fixed templates of the outlook."
            if analyst.backend_id == "extractive"
            else "; every sentence cites the sources it rests on."
        )
    )
    return Report(
        title=f"{data.country.name} security report, {start:%d %B %Y} to {end:%d %B %Y}",
        country=country,
        country_name=data.country.name,
        period=Period(start=start, end=end),
        generated_at=generated,
        method=Method(
            backend=analyst.backend_id,
            analyst_version=analyst.version,
            enricher_version=_enricher_version(data),
            sources=len(outlets),
            articles=len(news),
            note=note,
        ),
        executive_summary=executive,
        key_developments=developments,
        geopolitical_impact=geo,
        military_analysis=military,
        outlook=outlook_model,
        threat_level=threat.level,
        threat=threat_model,
        hotspots=hotspot_models,
        background=background_models,
        data_quality=note_models,
        annex=annex,
    )


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
    threat_score: float
    articles: int


def store_report(conn: Connection, report: Report) -> int:
    """Keep a report, with its article ids and versions; return its id."""
    article_ids = sorted({a.article_id for a in report.annex if a.article_id is not None})
    result = conn.execute(
        insert(reports).values(
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
            threat_score=float(r.threat_score),
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


def render_files(report: Report, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write *report* to *out_dir* in each format; return the paths written.

    Raises:
        ReportError: an unknown format, a failing renderer or an unwritable folder.
    """
    from watchfloor.report.render import write_report as write_files

    return write_files(report, Path(out_dir), list(formats))


def write_report(
    store: Store,
    *,
    country: str,
    start: date,
    end: date,
    out_dir: Path | str,
    backend: str = "extractive",
    formats: Sequence[str] = DEFAULT_FORMATS,
    now: datetime | None = None,
) -> list[Path]:
    """Build the report, store it, and write it in each format to *out_dir*.

    Returns the paths written, in the order of *formats*.
    """
    from watchfloor.report.render import parse_formats

    formats = parse_formats(list(formats))  # refuse a bad format before the work, not after
    report = build_report(store, country=country, start=start, end=end, backend=backend, now=now)
    with store.begin() as conn:
        report_id = store_report(conn, report)
    log.info("stored report %d for %s %s..%s", report_id, country, start, end)
    return render_files(report, Path(out_dir), list(formats))
