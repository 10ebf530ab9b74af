"""Security relevance of an article: is it security news, how severe, and why.

A small assessment from the article's categories (the taxonomy's ids) and a few English and
Mongolian cues. Routine weather, sport, culture, festivals, awards, markets and tourism are
not security; a severe-weather warning or a disaster is. Severity runs 0 (not security) to
3 (armed violence, terrorism, mass-casualty disaster).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["SecurityAssessment", "assess_security"]


@dataclass(frozen=True, slots=True)
class SecurityAssessment:
    """How much an article is security news (``score`` 0-1) and why."""

    score: float
    is_security: bool
    severity: int  # 0..3
    kind: str
    reason: str


# category id -> (kind, severity); economy is security only with a disruption cue.
_CATEGORY: dict[str, tuple[str, int]] = {
    "terrorism_armed_violence": ("armed violence", 3),
    "disaster_public_health": ("disaster", 2),
    "cyber": ("cyber", 2),
    "domestic_politics_unrest": ("unrest", 2),
    "crime": ("crime", 2),
    "military_defence": ("defence", 1),
    "border_trade": ("border", 1),
    "energy_infrastructure": ("energy and supply", 1),
    "diplomacy": ("diplomacy", 1),
}


def _cues(*words: str) -> re.Pattern[str]:
    return re.compile("|".join(words), re.IGNORECASE)


_NOT_SECURITY = _cues(
    r"\bweather forecast",
    r"\bforecast\b",
    r"\btournament\b",
    r"\bchampionship",
    r"\bmedal",
    r"\bolympi",
    r"\bfootball\b",
    r"\bfestival",
    r"\bnaadam\b",
    r"\bwrestl",
    r"\barchery\b",
    r"\bhorse rac",
    r"\bculture\b",
    r"\bconcert\b",
    r"\baward",
    r"\bexhibition\b",
    r"\btourism\b",
    r"\bexchange rate",
    r"\bmeat price",
    r"цаг агаар",
    r"бороо орно",
    r"дулаан байх",
    r"агаарын температур",
    r"тэмцээн",
    r"аварга",
    r"медаль",
    r"наадам",
    r"фестиваль",
    r"шагнал",
    r"үзэсгэлэн",
    r"аялал жуулчлал",
    r"ханш",
)
_SEVERE_WEATHER = _cues(
    r"\bwarning\b",
    r"\bstorm\b",
    r"\bflood",
    r"\bdzud\b",
    r"\bblizzard",
    r"\bearthquake",
    r"сэрэмжлүүлэг",
    r"шуурга",
    r"үер",
    r"зуд",
    r"газар хөдлөл",
)
_VIOLENCE = _cues(
    r"\bkill",
    r"\bdead\b",
    r"\bshooting",
    r"\bexplosion",
    r"\bbomb",
    r"\battack",
    r"\bkidnap",
    r"\bhostage",
    r"\binsurgen",
    r"\bmilitant",
    r"\bfighting\b",
    r"\barmed (?:men|group|intruders?|gang)",
    r"амиа алд",
    r"нас барс",
    r"дэлбэр",
    r"халдлага",
    r"барьцаа",
)
_HAZARD = _cues(
    r"\bwildfire", r"\bblaze\b", r"\bfire\b", r"\blandslide", r"\boutbreak", r"түймэр", r"гал\b"
)
_CRIME = _cues(
    r"\bseiz",
    r"\bdetain",
    r"\bsmuggl",
    r"\barrest",
    r"\bcounterfeit",
    r"\bfraud\b",
    r"\bbribe",
    r"хураа",
    r"баривчил",
    r"хууль бус",
    r"хээл хахууль",
    r"луйвар",
)
_UNREST = _cues(
    r"\bprotest",
    r"\brally",
    r"\bstrike\b",
    r"\bclash",
    r"\briot",
    r"\bdemonstrat",
    r"жагсаал",
    r"ажил хая",
    r"эсэргүүц",
)
_MASS = re.compile(r"\b(\d{2,}|hundreds|thousands|dozens)\b", re.IGNORECASE)
_DISRUPTION = _cues(
    r"\bshortage", r"\bblackout", r"\bpower cut", r"\bsupply disruption", r"тасалд", r"хомсдол"
)


def assess_security(
    title: str, text: str = "", *, language: str = "und", categories: Sequence[str] = ()
) -> SecurityAssessment:
    """Assess one article: its title, body and the category ids enrichment gave it."""
    whole = f"{title}\n{text}"
    best: tuple[str, int] | None = None
    for cat in categories:
        found = _CATEGORY.get(cat)
        if found and (best is None or found[1] > best[1]):
            best = found
    if "economy" in categories and _DISRUPTION.search(whole) and best is None:
        best = ("energy and supply", 1)
    violent = _VIOLENCE.search(whole)
    routine = _NOT_SECURITY.search(title) or (not best and _NOT_SECURITY.search(whole))
    # A routine headline stays routine unless the headline itself reports violence or a
    # hazard ("ankle-bone shooting" in a festival story is a sport).
    if routine and not _VIOLENCE.search(title) and not _SEVERE_WEATHER.search(title):
        cue = routine.group(0)
        kind = best[0] if best else "other"
        # A military sports competition or a festival stays out of the security picture.
        return SecurityAssessment(0.15, False, 0, kind, f"routine news ('{cue}')")
    if best is None:
        if violent:
            return SecurityAssessment(
                0.6, True, 2, "armed violence", f"violence cue '{violent.group(0)}'"
            )
        weather = _SEVERE_WEATHER.search(whole) or _HAZARD.search(whole)
        if weather:
            return SecurityAssessment(0.55, True, 2, "disaster", f"hazard cue '{weather.group(0)}'")
        crime = _CRIME.search(whole)
        if crime:
            return SecurityAssessment(0.5, True, 2, "crime", f"crime cue '{crime.group(0)}'")
        return SecurityAssessment(0.05, False, 0, "other", "no security category or cue")
    kind, severity = best
    if kind == "disaster" and _MASS.search(whole) and violent:
        severity = 3
    if kind == "crime" and violent:
        severity = 2
    if kind == "unrest" and not _UNREST.search(whole):
        kind, severity = "politics", 1  # routine politics: no crowd, no clash
    score = {1: 0.55, 2: 0.75, 3: 0.95}[severity]
    return SecurityAssessment(score, True, severity, kind, f"category {kind}")
