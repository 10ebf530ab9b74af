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
from typing import TYPE_CHECKING, Any

from watchfloor.analyze.background import (
    BackgroundDraft,
    find_background,
    page_changes,
    version_date,
)
from watchfloor.analyze.coverage import CoverageDraft, assess_coverage, judge_confidence
from watchfloor.analyze.credibility import CredibilityDraft
from watchfloor.analyze.developments import DevDraft, Selection, select_developments
from watchfloor.analyze.facts import (
    PeriodData,
    country_timezone,
    day_bounds,
    load_period,
    previous_counts,
    zone,
)
from watchfloor.analyze.hotspots import (
    HotspotDraft,
    Hotspots,
    find_hotspots,
    normalise_place_names,
)
from watchfloor.analyze.outlook import (
    Groups,
    OutlookDraft,
    executive_summary,
    geopolitical_groups,
    military_analysis,
    outlook,
)
from watchfloor.analyze.quality import NoteDraft, check_report, quality_notes, selection_notes
from watchfloor.analyze.threat import ThreatDraft, assess_threat
from watchfloor.backends.base import Backend
from watchfloor.backends.registry import get_backend
from watchfloor.config import AnalyzeSettings, BackendsSettings
from watchfloor.errors import ReportError
from watchfloor.models.analysis import Draft, Key
from watchfloor.models.report import (
    ActorGroup,
    AlsoReported,
    AnnexEntry,
    BackgroundItem,
    Coverage,
    Credibility,
    DateRange,
    DayCount,
    Development,
    ExcludedArticle,
    Hotspot,
    Method,
    Outlook,
    Period,
    QualityNote,
    Report,
    SourceCoverage,
    Statement,
    Threat,
    ThreatFactor,
    ThreatLevel,
    ThreatTrend,
)
from watchfloor.store.db import Store
from watchfloor.store.reports import (
    StoredReport,
    get_report,
    list_reports,
    previous_report,
    store_report,
)

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

if TYPE_CHECKING:
    from watchfloor.analyze.writer import Prose

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
            judgement=draft.judgement,
            timing=draft.timing,  # type: ignore[arg-type]
            likelihood=draft.likelihood,  # type: ignore[arg-type]
        )

    def annex(self) -> list[AnnexEntry]:
        lo, hi = day_bounds(self.data.start, self.data.end, self.data.timezone)
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


def _enricher_version(data: PeriodData) -> str:
    from watchfloor.enrich.pipeline import ENRICHER_VERSION

    versions = Counter(a.enriched_version for a in data.whole_period() if a.enriched_version)
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
        severity_level=dev.level if dev.articles else None,
        security_reason=dev.security_reason or None,
        where=dev.where if dev.articles else None,  # type: ignore[arg-type]
        pinned=dev.pinned,  # type: ignore[arg-type]
        credibility=_credibility(dev.credibility),
    )


def _credibility(c: CredibilityDraft | None) -> Credibility | None:
    if c is None:
        return None
    return Credibility(
        grade=c.grade,
        reliability=c.reliability,  # type: ignore[arg-type]
        credibility=c.credibility,
        independent_outlets=c.independent,
        single_source=c.single_source,
        official=c.official,
        outlets=c.outlets,
        conflicts=c.conflicts,
        reasons=c.reasons,
    )


def _coverage(c: CoverageDraft) -> Coverage:
    return Coverage(
        articles=c.articles,
        sources=[
            SourceCoverage(
                name=s.name,
                status=s.status,
                articles=s.articles,
                reliability=s.reliability,  # type: ignore[arg-type]
                official=s.official,
                detail=s.detail,
            )
            for s in c.sources
        ],
        worked=c.count("worked"),
        failed=c.count("failed"),
        stale=c.count("stale"),
        per_day=[DayCount(day=d, articles=n) for d, n in c.per_day],
        usual_per_day=c.usual_per_day,
        history_periods=c.history_periods,
        languages=c.languages,
        unresolved_places=c.unresolved_places,
        unresolved_dates=c.unresolved_dates,
        excluded=c.excluded,
        notes=c.notes,
    )


def _also_reported(
    selection: Selection, cite: _Citer, cap: int
) -> tuple[list[AlsoReported], dict[str, int]]:
    """The first *cap* other stories about the country, one line each; the rest counted."""
    lines = []
    for item in selection.also[:cap]:
        a = item.article
        lines.append(
            AlsoReported(
                title=item.title,
                outlet=a.outlet,
                published=a.published,
                category=item.category,
                reason=item.reason,  # type: ignore[arg-type]
                outlets=max(1, item.outlets),
                sources=cite(list(item.keys) or [("a", a.id)]),
            )
        )
    more = Counter(item.category for item in selection.also[cap:])
    return lines, dict(sorted(more.items(), key=lambda kv: (-kv[1], kv[0])))


def _excluded(selection: Selection) -> list[ExcludedArticle]:
    return [
        ExcludedArticle(
            article_id=x.article.id,
            title=x.article.title,
            outlet=x.article.outlet,
            published=x.article.published,
            reason=x.reason,  # type: ignore[arg-type]
            detail=x.detail,
            story=x.story,
        )
        for x in selection.excluded
    ]


def build_report(
    store: Store,
    *,
    country: str,
    start: date,
    end: date,
    backend: str = "extractive",
    now: datetime | None = None,
    analyze: AnalyzeSettings | None = None,
    timezone: str | None = None,
    include: Sequence[int] = (),
    exclude: Sequence[int] = (),
    max_developments: int | None = None,
    backends: BackendsSettings | None = None,
    llm_record: dict[str, Any] | None = None,
) -> Report:
    """Analyse the period's articles about a country and return the report.

    Args:
        store: an initialised, enriched store.
        country: ISO 3166-1 alpha-2 code.
        start, end: inclusive calendar dates in *timezone*; an article belongs to the
            period when its publication time, in that zone, falls on one of them.
        backend: the analyst backend's name (``extractive`` needs no model).
        now: the generation time to record (defaults to the current time).
        analyze: the ``[analyze]`` settings (the defaults when None).
        timezone: IANA zone of the period's days; the country's main zone when None.
        include, exclude: article ids whose stories an analyst pins in or out.
        max_developments: key developments kept (``[analyze.developments]`` when None).
        backends: the ``[backends]`` settings (a writing backend's endpoint and budget).
        llm_record: filled with what a writing backend did (tokens, calls, verdicts).

    Raises:
        ReportError: unknown country, reversed dates, or an inconsistent analysis.
        UnknownBackendError: no backend of that name.
        BackendUnavailableError: a writing backend's endpoint cannot be reached.
    """
    country = country.upper()
    backends = backends or BackendsSettings()
    analyst = get_backend(backend, backends)
    if analyst.writes:
        analyst.check()  # an unreachable endpoint fails here, naming its URL, before the work
    tz = timezone or country_timezone(country)
    zone(tz)  # refuse an unknown zone before any work
    tuning = analyze or AnalyzeSettings()
    with store.connect() as conn:
        data = load_period(
            conn,
            country=country,
            start=start,
            end=end,
            timezone=tz,
            include=[*include, *exclude],
        )
        history = previous_counts(conn, country=country, start=start, end=end, timezone=tz)
        before = previous_report(conn, country, start)
    found = _analyse(
        data,
        analyst,
        tuning,
        history=history,
        previous=None if before is None else (before.threat_level, before.threat_score),
        pins=(include, exclude),
        limit=max_developments or tuning.developments.max_developments,
    )
    prose = None
    if analyst.writes:
        from watchfloor.analyze.writer import write_prose

        prose = write_prose(
            analyst,
            found.devs,
            data,
            store=store,
            tuning=backends.writer_settings(analyst.backend_id),
            threat=found.threat,
            look=found.look,
        )
        if llm_record is not None:
            llm_record.update(prose.record())
    return _assemble(found, analyst, tuning, generated=now or datetime.now(UTC), prose=prose)


@dataclass(slots=True)
class _Analysis:
    """What the analysis found for one period, before it is cited into a report."""

    data: PeriodData
    selection: Selection
    devs: list[DevDraft]
    threat: ThreatDraft
    hotspots: Hotspots
    background: list[BackgroundDraft]
    notes: list[NoteDraft]
    look: OutlookDraft
    groups: Groups
    coverage: CoverageDraft


def _analyse(
    data: PeriodData,
    analyst: Backend,
    tuning: AnalyzeSettings,
    *,
    history: list[tuple[int, dict[str, int]]],
    previous: tuple[ThreatLevel, float] | None,
    pins: tuple[Sequence[int], Sequence[int]],
    limit: int,
) -> _Analysis:
    """Select the developments and run every analysis over them."""
    country = data.country.iso
    # One spelling per place in the whole report: the one its articles use most.
    normalise_place_names(data.articles.values(), counted=data.in_period())
    selection = select_developments(
        data,
        analyst,
        settings=tuning.developments,
        include=pins[0],
        exclude=pins[1],
        max_developments=limit,
    )
    devs = selection.developments
    devs = sorted(devs + page_changes(data, devs), key=lambda d: (-d.significance, d.start, d.id))
    about = tuning.developments.about_score
    coverage = assess_coverage(data, selection, history=[n for n, _ in history], about_score=about)
    threat = assess_threat(
        devs,
        history=[n for n, _ in history],
        previous=previous,
        settings=tuning.threat,
        # Like with like: the history counts every article about the country.
        volume=sum(1 for a in data.in_period() if a.about(country, about)),
        confidence=judge_confidence(coverage, [d for d in devs if d.articles], tuning.threat),
    )
    hotspots = find_hotspots(devs, country, settings=tuning.hotspots)
    notes = quality_notes(data, devs, hotspots.dropped) + selection_notes(
        selection, country, limit=limit
    )
    look = outlook(
        devs,
        end=data.end,
        previous_categories=history[0][1] if history else None,
        settings=tuning.outlook,
    )
    grouped = geopolitical_groups(devs, country)
    notes.extend(grouped.rejects)
    return _Analysis(
        data,
        selection,
        devs,
        threat,
        hotspots,
        find_background(data, devs),
        notes,
        look,
        grouped,
        coverage,
    )


def _assemble(
    found: _Analysis,
    analyst: Backend,
    tuning: AnalyzeSettings,
    *,
    generated: datetime,
    prose: Prose | None = None,
) -> Report:
    """Cite what the analysis found: every statement gets annex ids, then the annex."""
    data, devs = found.data, found.devs
    start, end = data.start, data.end
    cite = _Citer(data)
    executive = [
        cite.statement(d)
        for d in (
            prose.executive
            if prose is not None
            else executive_summary(devs, threat=found.threat, country=data.country.name)
        )
    ]
    developments = [_development(d, cite) for d in devs]
    geo = [
        ActorGroup(
            actor=g.actor, relation=g.relation, statements=[cite.statement(d) for d in g.statements]
        )
        for g in (prose.groups if prose is not None else found.groups.groups)
    ]
    military = [
        cite.statement(d)
        for d in (prose.military if prose is not None else military_analysis(devs))
    ]
    narrative = prose.outlook if prose is not None else []
    outlook_model = Outlook(
        short_term=[cite.statement(d) for d in [*narrative, *found.look.short_term]],
        flashpoints=[cite.statement(d) for d in found.look.flashpoints],
        indicators=[cite.statement(d) for d in found.look.indicators],
        recommendations=[cite.statement(d) for d in found.look.recommendations],
    )
    threat_model = _threat_model(found.threat, cite)
    hotspot_models = [_hotspot_model(h, cite) for h in found.hotspots.home]
    abroad_models = [_hotspot_model(h, cite) for h in found.hotspots.abroad]
    background_models = [_background_model(b, cite) for b in found.background]
    note_models = [
        QualityNote(kind=n.kind, text=n.text, sources=cite(n.keys))  # type: ignore[arg-type]
        for n in found.notes
    ]
    also, also_more = _also_reported(found.selection, cite, tuning.developments.max_also_reported)
    annex = cite.annex()
    news = [a for a in annex if a.article_id is not None]
    return Report(
        title=f"{data.country.name} security report, {start:%d %B %Y} to {end:%d %B %Y}",
        country=data.country.iso,
        country_name=data.country.name,
        period=Period(start=start, end=end, timezone=data.timezone),
        generated_at=generated,
        method=Method(
            backend=analyst.backend_id,
            analyst_version=analyst.version,
            enricher_version=_enricher_version(data),
            sources=len({a.outlet for a in annex}),
            articles=len(news),
            note=_method_note(analyst, news, data, len(developments))
            + (prose.note() if prose is not None else ""),
        ),
        executive_summary=executive,
        key_developments=developments,
        geopolitical_impact=geo,
        military_analysis=military,
        outlook=outlook_model,
        threat_level=found.threat.level,
        threat=threat_model,
        hotspots=hotspot_models,
        hotspots_abroad=abroad_models,
        background=background_models,
        data_quality=note_models,
        annex=annex,
        also_reported=also,
        also_reported_more=also_more,
        excluded=_excluded(found.selection),
        coverage=_coverage(found.coverage),
    )


def _method_note(analyst: Backend, news: list[AnnexEntry], data: PeriodData, devs: int) -> str:
    return (
        f"Written by the {analyst.backend_id} analyst from {len(news)} articles by "
        f"{len({a.outlet for a in news})} outlets published {data.start:%d %B %Y} to "
        f"{data.end:%d %B %Y} ({data.timezone}), grouped into {devs} developments"
        + (
            "; every sentence is quoted from the sources cited after it, apart from "
            "connective words and the fixed templates of the outlook."
            if analyst.backend_id == "extractive"
            else "; every sentence cites the sources it rests on."
        )
    )


def _threat_model(threat: ThreatDraft, cite: _Citer) -> Threat:
    return Threat(
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
        confidence=threat.confidence,
        confidence_reasons=threat.confidence_reasons,
    )


def _hotspot_model(h: HotspotDraft, cite: _Citer) -> Hotspot:
    return Hotspot(
        label=h.label,
        detail=h.detail,
        lat=h.lat,
        lng=h.lng,
        intensity=h.intensity,
        sources=cite(h.keys),
        country=h.country or None,
        feature=h.feature,
        precision=h.precision,
    )


def _background_model(b: BackgroundDraft, cite: _Citer) -> BackgroundItem:
    return BackgroundItem(
        page=b.page.title,
        url=b.page.url,
        version=b.page.version,
        version_date=version_date(b.page),
        statement=cite.statement(b.draft),
        changed_in_period=b.changed_in_period,
    )


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
