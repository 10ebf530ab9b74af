"""The threat level: a 0-100 score from five factors, and the band it falls in.

The model (docs/threat.md has the reasoning and the calibration):

=================  ======  =========================================================
factor             weight  value (0-1)
=================  ======  =========================================================
severity           40      0.6 x mean severity of the five most severe developments
                           + 0.4 x the highest severity (taxonomy weights)
casualties         25      log10(1 + killed + injured/2) / 2, capped at 1
                           (10 dead ~ 0.52, 100 dead = 1)
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

from watchfloor.analyze.developments import DevDraft
from watchfloor.models.analysis import Key
from watchfloor.models.report import THREAT_LEVELS, ThreatLevel

__all__ = [
    "BANDS",
    "STEADY",
    "WEIGHTS",
    "FactorDraft",
    "ThreatDraft",
    "assess_threat",
    "band",
    "trend",
]

WEIGHTS = {"severity": 40.0, "casualties": 25.0, "attacks": 15.0, "novelty": 10.0, "volume": 10.0}
#: Lower bounds of the bands above Low.
BANDS: tuple[tuple[float, ThreatLevel], ...] = (
    (80.0, "Severe"),
    (60.0, "High"),
    (40.0, "Elevated"),
    (20.0, "Guarded"),
)
#: A score within this many points of the previous report's is "steady".
STEADY = 5.0
TOP = 5
ATTACKS_FOR_FULL = 3
MIN_BASELINE = 5.0


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
    score: float
    level: ThreatLevel
    factors: list[FactorDraft]
    direction: Literal["up", "down", "steady", "new"]
    previous_level: ThreatLevel | None
    previous_score: float | None


def band(score: float) -> ThreatLevel:
    """The threat level of a 0-100 score."""
    for lower, level in BANDS:
        if score >= lower:
            return level
    return THREAT_LEVELS[0]


def trend(score: float, previous: float | None) -> Literal["up", "down", "steady", "new"]:
    """Compare a score with the previous report's: up, down, steady, or new."""
    if previous is None:
        return "new"
    if score > previous + STEADY:
        return "up"
    if score < previous - STEADY:
        return "down"
    return "steady"


def _top_keys(devs: Sequence[DevDraft], n: int = TOP) -> list[Key]:
    return [k for d in devs[:n] for k in d.keys]


def assess_threat(
    devs: Sequence[DevDraft],
    *,
    history: Sequence[int] = (),
    previous: tuple[ThreatLevel, float] | None = None,
) -> ThreatDraft:
    """Score the period's developments.

    Args:
        devs: the developments (any order).
        history: numbers of articles about the country in the previous periods of the
            same length, most recent first; empty when the store has none.
        previous: level and score of the previous stored report for the country.
    """
    by_severity = sorted(devs, key=lambda d: (-d.severity, -d.significance))
    top = [d.severity for d in by_severity[:TOP]]
    sev_value = (0.6 * sum(top) / len(top) + 0.4 * max(top)) if top else 0.0
    sev_detail = (
        "most severe: "
        + "; ".join(f"{d.category} ({d.severity:.2f}) in '{d.title}'" for d in by_severity[:3])
        if top
        else "no development in the period"
    )

    harmful = [d for d in devs if d.casualties.killed or d.casualties.injured]
    killed = sum(d.casualties.killed for d in harmful)
    injured = sum(d.casualties.injured for d in harmful)
    cas_value = min(1.0, math.log10(1 + killed + injured / 2) / 2)
    cas_detail = (
        f"{killed} killed and {injured} injured reported across {len(harmful)} developments "
        "(largest figure per story)"
        if harmful
        else "no casualty figures reported"
    )

    attacks = [d for d in devs if d.attack is not None]
    att_value = min(1.0, len(attacks) / ATTACKS_FOR_FULL)
    att_detail = (
        f"{len(attacks)} developments report attacks on government or critical "
        "infrastructure: " + "; ".join(f"'{d.title}'" for d in attacks[:5])
        if attacks
        else "no attack on government or critical infrastructure reported"
    )

    new = sorted((d for d in devs if d.new), key=lambda d: -d.severity)[:TOP]
    nov_value = sum(d.severity for d in new) / len(new) if new else 0.0
    nov_detail = (
        f"{sum(1 for d in devs if d.new)} of {len(devs)} developments began in the period"
        if devs
        else "no development in the period"
    )

    volume = sum(len(d.articles) for d in devs)
    if history:
        mean = sum(history) / len(history)
        # A floor on the baseline keeps a handful of articles from reading as a surge.
        ratio = volume / max(mean, MIN_BASELINE)
        vol_value = min(1.0, max(0.0, ratio - 1.0))
        vol_detail = (
            f"{volume} articles against {mean:.1f} on average in the {len(history)} previous "
            "periods of the same length"
        )
    else:
        vol_value = 0.0
        vol_detail = f"{volume} articles; no earlier period in the store to compare with"

    factors = [
        FactorDraft(
            "severity",
            round(sev_value, 3),
            WEIGHTS["severity"],
            sev_detail,
            _top_keys(by_severity, 3),
        ),
        FactorDraft(
            "casualties",
            round(cas_value, 3),
            WEIGHTS["casualties"],
            cas_detail,
            [k for d in harmful for k in d.keys],
        ),
        FactorDraft(
            "attacks",
            round(att_value, 3),
            WEIGHTS["attacks"],
            att_detail,
            [d.attack[1] for d in attacks if d.attack],
        ),
        FactorDraft(
            "novelty", round(nov_value, 3), WEIGHTS["novelty"], nov_detail, _top_keys(new, 3)
        ),
        FactorDraft("volume", round(vol_value, 3), WEIGHTS["volume"], vol_detail),
    ]
    score = round(min(100.0, max(0.0, sum(f.value * f.weight for f in factors))), 1)
    prev_level, prev_score = previous if previous else (None, None)
    return ThreatDraft(
        score=score,
        level=band(score),
        factors=factors,
        direction=trend(score, prev_score),
        previous_level=prev_level,
        previous_score=prev_score,
    )
