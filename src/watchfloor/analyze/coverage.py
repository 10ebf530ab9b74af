"""What a report could see, and how confident its assessment can be (docs/standards.md).

Coverage counts, for the period: the country's sources that worked, failed or went stale;
articles about the country per day against its usual volume (the earlier periods in the
store); the languages; the share of articles whose place or publication date could not be
resolved; what the selection left out and why.

The country's sources are the feeds and GDELT sources that list the country, and any other
source that carried an article about the country in the period. A source *worked* when it
carried an article published in the period; it *failed* when it did not and its fetches
failed (a fetch or parse reject made in the period, or, for a backfill collected later, one
still open); otherwise it *went stale* (fetched, but nothing of the period came from it).

Confidence follows from the coverage:

* **insufficient data**: fewer than ``min_articles`` (3) articles about the country, or no
  source working at all. The report gives no level and no score.
* **low**: under ``low_source_share`` (half) of the country's sources worked, or the volume
  is under ``low_volume_share`` (a third) of the usual.
* **high**: at least ``high_source_share`` of the sources worked, the volume is at least
  ``high_volume_share`` of a known usual, and at least ``high_corroborated_share`` of the
  key developments are corroborated (credibility 1 or 2).
* **moderate** otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from watchfloor.analyze.developments import DevDraft, Selection
from watchfloor.analyze.facts import PeriodData, SourceFact
from watchfloor.config import ThreatSettings

__all__ = [
    "ConfidenceDraft",
    "CoverageDraft",
    "SourceStatus",
    "assess_coverage",
    "judge_confidence",
]

_DEFAULTS = ThreatSettings()
_NEWS_KINDS = ("feed", "gdelt")
_FAILING_DAYS = 2
"""A source failing this many days in a row is named in the data-quality notes."""


@dataclass(frozen=True, slots=True)
class SourceStatus:
    name: str
    status: Literal["worked", "failed", "stale"]
    articles: int
    reliability: str
    official: bool
    detail: str


@dataclass(slots=True)
class CoverageDraft:
    articles: int
    sources: list[SourceStatus]
    per_day: list[tuple[date, int]]
    usual_per_day: float | None
    history_periods: int
    languages: dict[str, int]
    unresolved_places: float
    unresolved_dates: float
    excluded: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for s in self.sources if s.status == status)

    @property
    def days(self) -> int:
        return max(1, len(self.per_day))

    @property
    def volume_share(self) -> float | None:
        """Articles a day against the usual, or None without a usable history."""
        if not self.usual_per_day:
            return None
        return (self.articles / self.days) / self.usual_per_day


@dataclass(slots=True)
class ConfidenceDraft:
    level: Literal["low", "moderate", "high"] | None
    """None: insufficient data, no level can be given."""
    reasons: list[str]

    @property
    def insufficient(self) -> bool:
        return self.level is None


def _status(src: SourceFact, articles: int) -> tuple[Literal["worked", "failed", "stale"], str]:
    if articles:
        detail = f"{articles} article(s) in the period"
        if src.failures:
            detail += f"; {len(src.failures)} failed fetch(es): {src.failures[-1][1][:120]}"
        return "worked", detail
    if src.failures:
        when, error = src.failures[-1]
        return (
            "failed",
            f"{len(src.failures)} failed fetch(es), last {when:%Y-%m-%d}: {error[:160]}",
        )
    if src.last_fetched_at is None:
        return "stale", "never fetched"
    return "stale", "fetched, but nothing published in the period came from it"


def assess_coverage(
    data: PeriodData,
    selection: Selection | None,
    *,
    history: Sequence[int] = (),
    about_score: float = 0.5,
) -> CoverageDraft:
    """The period's coverage for the country: sources, volume, languages and gaps."""
    country = data.country.iso
    inside = data.in_period()
    about = [a for a in inside if a.about(country, about_score)]
    per_source: Counter[int] = Counter()
    for a in data.whole_period():  # a source's articles about other countries count too
        for sid in {a.source_id, *a.seen_by} - {None}:
            assert sid is not None
            per_source[sid] += 1
    about_sources = {sid for a in about for sid in (a.source_id, *a.seen_by) if sid is not None}
    statuses: list[SourceStatus] = []
    failing: list[str] = []
    for src in data.sources.values():
        mine = country in src.countries and src.kind in _NEWS_KINDS
        if not (mine or src.id in about_sources):
            continue
        if mine:
            failing.extend(_failing_for_days(src))
        status, detail = _status(src, per_source[src.id])
        statuses.append(
            SourceStatus(
                src.name, status, per_source[src.id], src.reliability, src.official, detail
            )
        )
    order = {"failed": 0, "stale": 1, "worked": 2}
    statuses.sort(key=lambda s: (order[s.status], -s.articles, s.name))
    days = [data.start + timedelta(days=i) for i in range((data.end - data.start).days + 1)]
    counted = Counter(data.local_date(a.published) for a in about)
    per_day = [(d, counted.get(d, 0)) for d in days]
    usual = (sum(history) / len(history)) / len(days) if history else None
    languages = Counter(a.lang for a in about)
    n = len(about)
    no_place = sum(1 for a in about if not a.places)
    estimated = sum(1 for a in about if a.date_estimated)
    excluded = Counter(x.reason for x in selection.excluded) if selection else Counter()
    notes = list(failing)
    unattributed = sum(1 for a in about if a.source_id is None)
    if unattributed:
        notes.append(f"{unattributed} article(s) about the country have no registered source")
    if not history:
        notes.append("no earlier period in the store: the usual volume is unknown")
    return CoverageDraft(
        articles=n,
        sources=statuses,
        per_day=per_day,
        usual_per_day=None if usual is None else round(usual, 2),
        history_periods=len(history),
        languages=dict(languages.most_common()),
        unresolved_places=round(no_place / n, 3) if n else 0.0,
        unresolved_dates=round(estimated / n, 3) if n else 0.0,
        excluded=dict(sorted(excluded.items())),
        notes=notes,
    )


def _failing_for_days(src: SourceFact, days: int = _FAILING_DAYS) -> list[str]:
    """A note when the source's fetches have failed for *days* days or more: its silence
    says nothing about the country."""
    if not src.last_error or not src.failures:
        return []
    last = src.failures[-1][0]
    since = src.last_success_at or src.failures[0][0]
    if since > last or (last - since) < timedelta(days=days):
        return []
    return [
        f"source {src.name} has been failing for {(last - since).days} days "
        f"(no successful fetch since {since:%Y-%m-%d}; last error: {src.last_error[:120]}): "
        "its silence is not quiet"
    ]


def _names(names: Sequence[str], n: int = 8) -> str:
    more = f" and {len(names) - n} more" if len(names) > n else ""
    return ", ".join(names[:n]) + more


def judge_confidence(
    coverage: CoverageDraft,
    devs: Sequence[DevDraft] = (),
    settings: ThreatSettings = _DEFAULTS,
) -> ConfidenceDraft:
    """Insufficient data (level None), or low, moderate or high confidence, with reasons."""
    total = len(coverage.sources)
    worked = coverage.count("worked")
    failed = [s.name for s in coverage.sources if s.status == "failed"]
    stale = [s.name for s in coverage.sources if s.status == "stale"]
    floor = []
    if coverage.articles < settings.min_articles:
        n = coverage.articles
        said = "no article" if n == 0 else f"only {n} article" + ("" if n == 1 else "s")
        floor.append(f"{said} about the country in the period (fewer than {settings.min_articles})")
    if worked == 0:
        floor.append(
            "no source worked in the period" + (f" (failed: {', '.join(failed)})" if failed else "")
        )
    if floor:
        return ConfidenceDraft(None, ["insufficient data: " + "; ".join(floor)])
    reasons: list[str] = []
    low: list[str] = []
    share = worked / total if total else 1.0
    sources_said = f"{worked} of {total} of the country's sources worked"
    if failed:
        sources_said += f"; failed: {_names(failed)}"
    if stale:
        sources_said += f"; stale: {_names(stale)}"
    if total and share < settings.low_source_share:
        low.append(sources_said)
    else:
        reasons.append(sources_said)
    volume = coverage.volume_share
    if volume is None:
        reasons.append("usual volume unknown (no earlier period in the store)")
    else:
        said = (
            f"{coverage.articles / coverage.days:.1f} articles a day against a usual "
            f"{coverage.usual_per_day:.1f} ({volume:.0%})"
        )
        (low if volume < settings.low_volume_share else reasons).append(said)
    if low:
        return ConfidenceDraft("low", low + reasons)
    graded = [d.credibility for d in devs if d.credibility is not None]
    corroborated = sum(1 for c in graded if c.credibility <= 2)
    if graded:
        reasons.append(f"{corroborated} of {len(graded)} key developments corroborated (1 or 2)")
    high = (
        share >= settings.high_source_share
        and volume is not None
        and volume >= settings.high_volume_share
        and bool(graded)
        and corroborated / len(graded) >= settings.high_corroborated_share
    )
    return ConfidenceDraft("high" if high else "moderate", reasons)
