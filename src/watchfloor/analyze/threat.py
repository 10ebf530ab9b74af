"""The threat level: a 0-100 score from five factors, and the band it falls in.

The model (docs/threat.md has the reasoning and the calibration):

=================  ======  =========================================================
factor             weight  value (0-1)
=================  ======  =========================================================
severity           40      0.6 x mean severity of the five most severe developments
                           + 0.4 x the highest severity (taxonomy weights)
casualties         25      log10(1 + killed + injured/2) / 2, capped at 1
                           (10 dead ~ 0.52, 100 dead = 1); only events in the country
                           or to its forces or citizens abroad
attacks            15      developments reporting an attack on government or critical
                           infrastructure, / 3, capped at 1
novelty            10      mean severity of the developments whose story began in the
                           period (the five most severe of them)
volume             10      (articles / mean of the previous periods) - 1, within 0-1;
                           0 when the store holds no earlier period
=================  ======  =========================================================

Bands: Low < 20 <= Guarded < 40 <= Elevated < 60 <= High < 80 <= Severe.

Every input is a count or a category the enrichment assigned; no sentence of an article is
ever read as an instruction, so text such as "rate the threat level Severe" changes nothing
(the casualty and attack extractors look for numbers and events, and a sentence addressed
to an automated system is skipped by them too).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from watchfloor.analyze.coverage import ConfidenceDraft
from watchfloor.analyze.developments import DevDraft
from watchfloor.config import ThreatSettings
from watchfloor.models.analysis import Key
from watchfloor.models.report import INSUFFICIENT, THREAT_LEVELS, ThreatLevel

__all__ = [
    "BANDS",
    "STEADY",
    "WEIGHTS",
    "FactorDraft",
    "ThreatDraft",
    "assess_threat",
    "band",
    "bands",
    "trend",
    "weights",
]

_DEFAULTS = ThreatSettings()


def weights(settings: ThreatSettings = _DEFAULTS) -> dict[str, float]:
    """Each factor's weight (its points at value 1)."""
    return {
        "severity": settings.w_severity,
        "casualties": settings.w_casualties,
        "attacks": settings.w_attacks,
        "novelty": settings.w_novelty,
        "volume": settings.w_volume,
    }


def bands(settings: ThreatSettings = _DEFAULTS) -> tuple[tuple[float, ThreatLevel], ...]:
    """Lower bounds of the bands above Low, highest first."""
    return (
        (settings.severe, "Severe"),
        (settings.high, "High"),
        (settings.elevated, "Elevated"),
        (settings.guarded, "Guarded"),
    )


#: The default weights, bands and steadiness margin (``[analyze.threat]`` changes them).
WEIGHTS = weights()
BANDS = bands()
STEADY = _DEFAULTS.steady


@dataclass(slots=True)
class FactorDraft:
    name: str
    value: float
    weight: float
    detail: str
    keys: list[Key] = field(default_factory=list)

    @property
    def contribution(self) -> float:
        return round(self.value * self.weight, 2)


@dataclass(slots=True)
class ThreatDraft:
    score: float | None
    """None when the data are insufficient: no level is given."""
    level: ThreatLevel
    factors: list[FactorDraft]
    direction: Literal["up", "down", "steady", "new"]
    previous_level: ThreatLevel | None
    previous_score: float | None
    confidence: Literal["low", "moderate", "high"] | None = None
    confidence_reasons: list[str] = field(default_factory=list)

    @property
    def insufficient(self) -> bool:
        return self.score is None


def band(score: float, settings: ThreatSettings = _DEFAULTS) -> ThreatLevel:
    """The threat level of a 0-100 score."""
    for lower, level in bands(settings):
        if score >= lower:
            return level
    return THREAT_LEVELS[0]


def trend(
    score: float, previous: float | None, settings: ThreatSettings = _DEFAULTS
) -> Literal["up", "down", "steady", "new"]:
    """Compare a score with the previous report's: up, down, steady, or new."""
    if previous is None:
        return "new"
    if score > previous + settings.steady:
        return "up"
    if score < previous - settings.steady:
        return "down"
    return "steady"


def _top_keys(devs: Sequence[DevDraft], n: int) -> list[Key]:
    return [k for d in devs[:n] for k in d.keys]


def assess_threat(
    devs: Sequence[DevDraft],
    *,
    history: Sequence[int] = (),
    previous: tuple[ThreatLevel, float] | None = None,
    settings: ThreatSettings = _DEFAULTS,
    volume: int | None = None,
    confidence: ConfidenceDraft | None = None,
) -> ThreatDraft:
    """Score the period's developments.

    Args:
        devs: the developments (any order).
        history: numbers of articles about the country in the previous periods of the
            same length, most recent first; empty when the store has none.
        previous: level and score of the previous stored report for the country.
        settings: the ``[analyze.threat]`` weights, bands and cut-offs.
        volume: articles about the country in the period, counted as *history* counts
            them (every article about it, security or not); the developments' articles
            when None.
        confidence: the coverage's verdict (:func:`watchfloor.analyze.coverage.
            judge_confidence`); insufficient data gives no score and the level
            "Insufficient data", whatever the factors say.
    """
    factors = [
        _severity(devs, settings),
        _casualties(devs, settings),
        _attacks(devs, settings),
        _novelty(devs, settings),
        _volume(devs, history, settings, volume),
    ]
    score = round(min(100.0, max(0.0, sum(f.value * f.weight for f in factors))), 1)
    prev_level, prev_score = previous if previous else (None, None)
    reasons = list(confidence.reasons) if confidence else []
    if confidence is not None and confidence.insufficient:
        # Nothing is measured: no score, no band, no trend against the last report.
        return ThreatDraft(
            score=None,
            level=INSUFFICIENT,
            factors=factors,
            direction="new",
            previous_level=prev_level,
            previous_score=prev_score,
            confidence=None,
            confidence_reasons=reasons,
        )
    return ThreatDraft(
        score=score,
        level=band(score, settings),
        factors=factors,
        direction=trend(score, prev_score, settings),
        previous_level=prev_level,
        previous_score=prev_score,
        confidence=confidence.level if confidence else None,
        confidence_reasons=reasons,
    )


def _severity(devs: Sequence[DevDraft], settings: ThreatSettings) -> FactorDraft:
    by_severity = sorted(devs, key=lambda d: (-d.severity, -d.significance))
    top = [d.severity for d in by_severity[: settings.top]]
    value = (0.6 * sum(top) / len(top) + 0.4 * max(top)) if top else 0.0
    detail = (
        "most severe: "
        + "; ".join(f"{d.category} ({d.severity:.2f}) in '{d.title}'" for d in by_severity[:3])
        if top
        else "no development in the period"
    )
    return FactorDraft(
        "severity", round(value, 3), settings.w_severity, detail, _top_keys(by_severity, 3)
    )


def _casualties(devs: Sequence[DevDraft], settings: ThreatSettings) -> FactorDraft:
    """Casualties of the country's own events: in the country, or among its forces and
    citizens abroad; a foreign disaster or war reported by the country's outlets is left
    out (and said so)."""
    harmful = [d for d in devs if d.casualties.killed or d.casualties.injured]
    counted = [d for d in harmful if d.harm_counts]
    foreign = [d for d in harmful if not d.harm_counts]
    counted.sort(key=lambda d: -(d.casualties.killed + d.casualties.injured / 2))
    killed = sum(d.casualties.killed for d in counted)
    injured = sum(d.casualties.injured for d in counted)
    value = min(1.0, math.log10(1 + killed + injured / 2) / 2)
    if counted:
        top = "; ".join(
            f"'{d.title}' ({d.casualties.killed} killed, {d.casualties.injured} injured"
            + (", the country's forces or citizens abroad" if d.where == "own_abroad" else "")
            + ")"
            for d in counted[:3]
        )
        detail = (
            f"{killed} killed and {injured} injured reported across {len(counted)} "
            f"developments (largest figure per story); top: {top}"
        )
    else:
        detail = "no casualty figures reported in the country"
    if foreign:
        detail += (
            f"; {len(foreign)} development(s) abroad with casualties not counted "
            "(the event did not happen in the country nor to its people)"
        )
    keys = [k for d in counted[:5] for k in d.keys]
    return FactorDraft("casualties", round(value, 3), settings.w_casualties, detail, keys)


def _attacks(devs: Sequence[DevDraft], settings: ThreatSettings) -> FactorDraft:
    attacks = [d for d in devs if d.attack is not None]
    value = min(1.0, len(attacks) / settings.attacks_for_full)
    detail = (
        f"{len(attacks)} developments report attacks on government or critical "
        "infrastructure: " + "; ".join(f"'{d.title}'" for d in attacks[:5])
        if attacks
        else "no attack on government or critical infrastructure reported"
    )
    keys = [d.attack[1] for d in attacks if d.attack]
    return FactorDraft("attacks", round(value, 3), settings.w_attacks, detail, keys)


def _novelty(devs: Sequence[DevDraft], settings: ThreatSettings) -> FactorDraft:
    new = sorted((d for d in devs if d.new), key=lambda d: -d.severity)[: settings.top]
    value = sum(d.severity for d in new) / len(new) if new else 0.0
    detail = (
        f"{sum(1 for d in devs if d.new)} of {len(devs)} developments began in the period"
        if devs
        else "no development in the period"
    )
    return FactorDraft("novelty", round(value, 3), settings.w_novelty, detail, _top_keys(new, 3))


def _volume(
    devs: Sequence[DevDraft],
    history: Sequence[int],
    settings: ThreatSettings,
    count: int | None = None,
) -> FactorDraft:
    volume = sum(len(d.articles) for d in devs) if count is None else count
    if not history:
        detail = f"{volume} articles; no earlier period in the store to compare with"
        return FactorDraft("volume", 0.0, settings.w_volume, detail)
    mean = sum(history) / len(history)
    # A floor on the baseline keeps a handful of articles from reading as a surge.
    ratio = volume / max(mean, settings.min_baseline)
    value = min(1.0, max(0.0, ratio - 1.0))
    detail = (
        f"{volume} articles against {mean:.1f} on average in the {len(history)} previous "
        "periods of the same length"
    )
    return FactorDraft("volume", round(value, 3), settings.w_volume, detail)
