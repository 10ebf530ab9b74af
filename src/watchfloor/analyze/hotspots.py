"""Hotspots: the places of the period's developments, with gazetteer coordinates.

Only places that :func:`~watchfloor.analyze.developments.plausible_places` accepts are
used, so a hotspot is in the country or where a development involving it happens. Each
place is one hotspot however many surfaces name it; its intensity (1-3) grows with the
severity of the developments there and their number.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from watchfloor.analyze.developments import DevDraft, plausible_places
from watchfloor.backends.base import Key

__all__ = ["HotspotDraft", "find_hotspots"]

MAX_HOTSPOTS = 25


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


def _intensity(severity: float, devs: int, harmful: bool) -> int:
    score = severity + 0.1 * (devs - 1) + (0.3 if harmful else 0.0)
    return 3 if score >= 0.85 else 2 if score >= 0.45 else 1


def find_hotspots(devs: Sequence[DevDraft], country: str) -> tuple[list[HotspotDraft], list[str]]:
    """Aggregate the developments' places; return hotspots and places dropped for want of
    coordinates."""
    names: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[str, tuple[float, float, str, str]] = {}
    by_place: dict[str, list[DevDraft]] = defaultdict(list)
    keys: dict[str, list[Key]] = defaultdict(list)
    dropped: list[str] = []
    for dev in devs:
        for article in dev.articles:
            seen_here: set[str] = set()
            for p in plausible_places(article, country):
                if not _valid(p.lat, p.lng):
                    dropped.append(p.name)
                    continue
                # Several gazetteer entries of one town (city, province seat) share a
                # name: one hotspot per name and country.
                ident = f"{p.name.casefold()}|{p.country}"
                names[ident][p.name] += 1
                where.setdefault(ident, (p.lat, p.lng, p.country, p.feature))
                if ident not in seen_here:
                    seen_here.add(ident)
                    keys[ident].append(("a", article.id))
                if dev not in by_place[ident]:
                    by_place[ident].append(dev)
    out = []
    for ident, dev_list in by_place.items():
        lat, lng, country, feature = where[ident]
        severity = max(d.severity for d in dev_list)
        harmful = any(d.casualties.killed or d.casualties.injured or d.attack for d in dev_list)
        titles = [d.title for d in sorted(dev_list, key=lambda d: -d.significance)]
        out.append(
            HotspotDraft(
                label=names[ident].most_common(1)[0][0],
                detail="; ".join(titles[:4])
                + (f" (and {len(titles) - 4} more)" if len(titles) > 4 else ""),
                lat=round(lat, 5),
                lng=round(lng, 5),
                intensity=_intensity(severity, len(dev_list), harmful),
                keys=list(dict.fromkeys(keys[ident])),
                country=country,
                feature=feature,
                weight=severity * math.log1p(sum(names[ident].values())) + len(dev_list),
            )
        )
    out.sort(key=lambda h: (-h.intensity, -h.weight, h.label))
    return out[:MAX_HOTSPOTS], sorted(set(dropped))
