"""Hotspots: the places of the period's developments, with gazetteer coordinates.

Only places that :func:`~watchfloor.analyze.developments.plausible_places` accepts are
used, so a hotspot is in the country or where a development involving it happens. Each
spot is one hotspot however many names point at it: gazetteer entries within
``merge_km`` (``[analyze.hotspots]``) of each other (a city and its province seat,
"Ulaanbaatar" and "Ulan Bator", a square in the capital, the two towns of one border
crossing) are merged, the most mentioned name giving the label and the coordinates. Its
intensity (1-3) grows with the severity of the developments there and their number.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from watchfloor.analyze.developments import DevDraft, plausible_places
from watchfloor.config import HotspotSettings
from watchfloor.models.analysis import Key

__all__ = ["HotspotDraft", "find_hotspots"]

_DEFAULTS = HotspotSettings()


@dataclass(slots=True)
class HotspotDraft:
    label: str
    detail: str
    lat: float
    lng: float
    intensity: int
    keys: list[Key]
    country: str
    feature: str
    weight: float


def _valid(lat: float, lng: float) -> bool:
    return not math.isnan(lat) and not math.isnan(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


def _intensity(severity: float, devs: int, harmful: bool, settings: HotspotSettings) -> int:
    score = severity + 0.1 * (devs - 1) + (0.3 if harmful else 0.0)
    if score >= settings.intensity_high:
        return 3
    return 2 if score >= settings.intensity_medium else 1


def find_hotspots(
    devs: Sequence[DevDraft], country: str, *, settings: HotspotSettings = _DEFAULTS
) -> tuple[list[HotspotDraft], list[str]]:
    """Aggregate the developments' places; return hotspots and places dropped for want of
    coordinates. *settings* are the ``[analyze.hotspots]`` limits."""
    from watchfloor.enrich.gazetteer import haversine_km

    names: dict[str, Counter[str]] = defaultdict(Counter)
    spots: dict[str, dict[str, tuple[float, float, str, str]]] = defaultdict(dict)
    anchors: list[tuple[str, float, float]] = []
    by_place: dict[str, list[DevDraft]] = defaultdict(list)
    keys: dict[str, list[Key]] = defaultdict(list)
    dropped: list[str] = []

    def group_of(lat: float, lng: float, fallback: str) -> str:
        for ident, alat, alng in anchors:
            if haversine_km(lat, lng, alat, alng) <= settings.merge_km:
                return ident
        anchors.append((fallback, lat, lng))
        return fallback

    for dev in devs:
        for article in dev.articles:
            seen_here: set[str] = set()
            for p in plausible_places(article, country):
                if not _valid(p.lat, p.lng):
                    dropped.append(p.name)
                    continue
                ident = group_of(p.lat, p.lng, f"{p.name.casefold()}|{p.country}")
                names[ident][p.name] += 1
                spots[ident].setdefault(p.name, (p.lat, p.lng, p.country, p.feature))
                if ident not in seen_here:
                    seen_here.add(ident)
                    keys[ident].append(("a", article.id))
                if dev not in by_place[ident]:
                    by_place[ident].append(dev)
    out = []
    for ident, dev_list in by_place.items():
        top = names[ident].most_common()
        lat, lng, country, feature = spots[ident][top[0][0]]
        label = top[0][0]
        # A spot straddling a border (Zamiin-Uud and Erenhot) is named from both sides.
        other = next((n for n, _ in top[1:] if spots[ident][n][2] != country), None)
        if other is not None:
            label = f"{label} / {other}"
        severity = max(d.severity for d in dev_list)
        harmful = any(d.casualties.killed or d.casualties.injured or d.attack for d in dev_list)
        titles = [d.title for d in sorted(dev_list, key=lambda d: -d.significance)]
        out.append(
            HotspotDraft(
                label=label,
                detail="; ".join(titles[:4])
                + (f" (and {len(titles) - 4} more)" if len(titles) > 4 else ""),
                lat=round(lat, 5),
                lng=round(lng, 5),
                intensity=_intensity(severity, len(dev_list), harmful, settings),
                keys=list(dict.fromkeys(keys[ident])),
                country=country,
                feature=feature,
                weight=severity * math.log1p(sum(names[ident].values())) + len(dev_list),
            )
        )
    out.sort(key=lambda h: (-h.intensity, -h.weight, h.label))
    return out[: settings.max_hotspots], sorted(set(dropped))
