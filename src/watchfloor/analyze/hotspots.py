"""Hotspots: where the period's developments happen, in the country and to its people abroad.

**Which places.** A hotspot is a place in the country (from
:func:`~watchfloor.analyze.developments.plausible_places`), or a place abroad where the
country's forces or citizens are involved: a place of a development whose ``where`` is
``own_abroad`` (for such a development a country named as the place counts too, e.g.
peacekeepers in South Sudan). Those abroad form their own short list and never stretch the
map of the country. A foreign place in a story about another country is no hotspot; one
within ``merge_km`` of a hotspot in the country (the other side of a border crossing) joins
its label ("Zamiin-Uud / Erenhot").

**One spot, one hotspot.** Towns, bases and sites within ``merge_km`` (``[analyze.hotspots]``)
of each other are one spot, the most mentioned giving the label. A place inside another
hotspot merges into the more specific one: a town, island or site inside a province that is
a hotspot too takes the province's developments and sources (Oahu in Hawaii, Darkhan in
Darkhan-Uul). Containment is read from admin-1 codes, not distance: a province's code is its
ISO 3166-2 code; a town's comes from the nearest town of the country in the
countrystatecity data (which files towns under ISO codes), else from the gazetteer's code
when it is an ISO code of the country, else from the nearest province centre. A province
with several hotspots inside gives each development it shares with one of them to those;
the developments named only by the province keep it as a hotspot of its own, at its centre.

**One name.** :func:`normalise_place_names` gives every place one display name for the whole
report: the spelling the period's articles use most for it (Darkhan, Sainshand), else the
gazetteer's name. Gazetteer entries of one place (GeoNames' "Darhan" and our supplement's
"Darkhan") are one place.

**How exact.** Each hotspot says how exact its point is (``precision``): ``point`` (a town,
base or site), ``admin1`` (a province drawn at its centre), ``region`` (a region, island or
range at its centre) or ``country``. Intensity (1-3) grows with the severity of the
developments there, their number, and casualties or attacks.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Literal

from watchfloor.analyze.developments import COARSE_FEATURES, DevDraft, plausible_places
from watchfloor.analyze.facts import ArticleFacts, PlaceFact
from watchfloor.config import HotspotSettings
from watchfloor.models.analysis import Key

__all__ = [
    "Bounds",
    "HotspotDraft",
    "Hotspots",
    "Precision",
    "admin1_of",
    "country_extent",
    "find_hotspots",
    "longitude_window",
    "normalise_place_names",
    "precision_of",
]

_DEFAULTS = HotspotSettings()

Precision = Literal["point", "admin1", "country", "region"]
_PRECISION: dict[str, Precision] = {
    "city": "point",
    "base": "point",
    "poi": "point",
    "admin1": "admin1",
    "country": "country",
    "region": "region",
    "island": "region",
    "range": "region",
    "sea": "region",
}
#: Gazetteer entries of one place (two spellings of one town) are this close at most.
SAME_PLACE_KM = 10.0
# 0.46 degrees of latitude is 51 km on the haversine's sphere (R = 6371 km), and no two
# points that far apart north-south are within 50 km (or SAME_PLACE_KM) of each other.
_FAR_DEGREES = 0.46
# No two places further apart than this are one place (SAME_PLACE_KM, or 50 km for one
# name), with a hair of margin for the rounding of a lower bound against the haversine.
_NEAR_KM = max(SAME_PLACE_KM, 50.0) + 1e-6
_EAST_WEST_KM = 2 * 6371.0  # 2R of the haversine's sphere


def _root_cos(lat: float) -> float:
    return math.sqrt(max(0.0, math.cos(math.radians(lat))))


#: A town is filed under the province of a countrystatecity town this close to it.
TOWN_MATCH_KM = 25.0


def precision_of(feature: str) -> Precision:
    """How exact a gazetteer feature kind is as a point on a map."""
    return _PRECISION.get(feature, "point")


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
    precision: Precision = "point"
    where: Literal["in_country", "own_abroad"] = "in_country"


@dataclass(slots=True)
class Hotspots:
    """The hotspots in the country, those abroad, and places dropped for want of coordinates."""

    home: list[HotspotDraft]
    abroad: list[HotspotDraft]
    dropped: list[str]


# --------------------------------------------------------------------------- geography


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    from watchfloor.enrich.gazetteer import haversine_km as distance

    return distance(lat1, lng1, lat2, lng2)


def longitude_window(lngs: Sequence[float]) -> tuple[float, float]:
    """Return ``(west, east)`` of the narrowest longitude span holding every point.

    ``east`` may exceed 180 when the span crosses the antimeridian; add 360 to any longitude
    below ``west`` to place it in the window.
    """
    if not lngs:
        return -180.0, 180.0
    ordered = sorted(((x + 180.0) % 360.0) - 180.0 for x in lngs)
    # The widest gap between neighbouring longitudes (going round the globe) is where
    # the map should be cut.
    best_gap, cut = -1.0, 0
    for i, x in enumerate(ordered):
        following = ordered[(i + 1) % len(ordered)] + (360.0 if i == len(ordered) - 1 else 0.0)
        gap = following - x
        if gap > best_gap:
            best_gap, cut = gap, (i + 1) % len(ordered)
    west = ordered[cut]
    east = ordered[cut - 1] if cut else ordered[-1]
    if east < west:
        east += 360.0
    return west, east


@dataclass(frozen=True, slots=True)
class Bounds:
    """A box of latitudes and longitudes; ``east`` exceeds 180 across the antimeridian."""

    south: float
    west: float
    north: float
    east: float

    @classmethod
    def around(cls, points: Sequence[tuple[float, float]]) -> Bounds | None:
        """The smallest box holding every ``(lat, lng)`` point, or None for no point."""
        if not points:
            return None
        west, east = longitude_window([lng for _, lng in points])
        lats = [lat for lat, _ in points]
        return cls(min(lats), west, max(lats), east)

    def padded(self, margin: float, min_span: float) -> Bounds:
        """Widen by *margin* of each span, and to at least *min_span* degrees each way."""
        lat_pad = max(
            (self.north - self.south) * margin, (min_span - (self.north - self.south)) / 2
        )
        lng_pad = max((self.east - self.west) * margin, (min_span - (self.east - self.west)) / 2)
        return Bounds(
            max(self.south - lat_pad, -85.0),
            self.west - lng_pad,
            min(self.north + lat_pad, 85.0),
            self.east + lng_pad,
        )

    def contains(self, lat: float, lng: float) -> bool:
        shifted = lng + 360.0 if lng < self.west - 1e-9 else lng
        return self.south <= lat <= self.north and self.west <= shifted <= self.east


@dataclass(frozen=True, slots=True)
class _Units:
    """A country's admin-1 units and towns from the countrystatecity data."""

    states: dict[str, tuple[str, float, float]] = field(default_factory=dict)
    towns: list[tuple[float, float, str]] = field(default_factory=list)


def _float(value: object) -> float | None:
    try:
        out = float(str(value))
    except ValueError:
        return None
    return out if not math.isnan(out) else None


@cache
def _units(iso: str) -> _Units:
    """Read the country's provinces and towns (empty when the data is not installed)."""
    try:
        root = resources.files("countrystatecity_countries").joinpath(f"data/by-country/{iso}")
        states_raw = json.loads(root.joinpath("states.json").read_text(encoding="utf-8"))
    except (ModuleNotFoundError, OSError, ValueError):
        return _Units()
    states: dict[str, tuple[str, float, float]] = {}
    towns: list[tuple[float, float, str]] = []
    for s in states_raw:
        code = s.get("state_code") or ""
        lat, lng = _float(s.get("latitude")), _float(s.get("longitude"))
        if code and lat is not None and lng is not None:
            states[code] = (s.get("name") or code, lat, lng)
        try:
            cities = json.loads(
                root.joinpath(f"states/{code}/cities.json").read_text(encoding="utf-8")
            )
        except (OSError, ValueError):
            continue
        for c in cities:
            clat, clng = _float(c.get("latitude")), _float(c.get("longitude"))
            if clat is not None and clng is not None:
                towns.append((clat, clng, c.get("state_code") or code))
    return _Units(states, towns)


def country_extent(iso: str) -> Bounds | None:
    """The box of a country's province centres and towns (countrystatecity data, offline).

    None when the data has nothing for *iso*.
    """
    units = _units(iso.upper())
    points = [(lat, lng) for _, lat, lng in units.states.values()]
    points += [(lat, lng) for lat, lng, _ in units.towns]
    return Bounds.around(points)


def admin1_of(place: PlaceFact) -> str:
    """The ISO 3166-2 admin-1 code of the province a place lies in ("" when unknown).

    A province's own code; else the gazetteer's code when it is an ISO code of the country
    (US states); else a province named like the place within 150 km (Darkhan in
    Darkhan-Uul); else the province of the nearest countrystatecity town or province
    centre within ``TOWN_MATCH_KM``; else the province whose centre is nearest.
    """
    from watchfloor.enrich.gazetteer import name_key

    if place.feature == "admin1":
        return place.admin1
    if place.feature in COARSE_FEATURES or place.feature == "region":
        return ""
    units = _units(place.country)
    if place.admin1 and place.admin1 in units.states:
        return place.admin1
    here = name_key(place.name)
    distance = {
        code: haversine_km(place.lat, place.lng, lat, lng)
        for code, (_, lat, lng) in units.states.items()
    }
    for code, (name, _, _) in units.states.items():
        key = name_key(name)
        if (key == here or key.startswith((here + "-", here + " "))) and distance[code] <= 150:
            return code
    best, best_km = "", TOWN_MATCH_KM
    for code, km in distance.items():
        if km <= best_km:
            best, best_km = code, km
    for lat, lng, code in units.towns:
        if abs(lat - place.lat) > 0.5:
            continue
        km = haversine_km(place.lat, place.lng, lat, lng)
        if km < best_km:
            best, best_km = code, km
    if best:
        return best
    return min(distance, key=lambda c: distance[c], default="")


# --------------------------------------------------------------------------- names


_LATIN_NAME = re.compile(r"^[A-Z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’. -]*$")
_POSSESSIVE = re.compile(r"['’]s$")


def _surface(text: str) -> str | None:
    """The article's spelling of a place if it can stand as an English name."""
    name = _POSSESSIVE.sub("", " ".join(text.split()))
    if not _LATIN_NAME.match(name) or (name.isupper() and len(name) > 4):
        return None
    return name


def normalise_place_names(
    articles: Iterable[ArticleFacts], *, counted: Iterable[ArticleFacts] | None = None
) -> dict[str, str]:
    """Give each place one display name, in place, in every article's places.

    The name is the Latin spelling the *counted* articles (default: all) use most for the
    place, else its most used gazetteer name. Demonyms, countries, continents and seas keep
    the gazetteer's name. Gazetteer entries of one country and kind
    within ``SAME_PLACE_KM`` of each other, or of one name within 50 km, are one place.
    Returns the renamings made, gazetteer name -> display name.
    """
    articles = list(articles)
    counted_ids = None if counted is None else {a.id for a in counted}
    groups: list[list[PlaceFact]] = []
    group_root_cos: list[float] = []  # sqrt(cos(latitude)) of each group's first place
    # Groups by country, kind and one-degree cell: a place is compared with the groups of
    # its cell and the eight around it only (50 km is under half a degree of latitude).
    cells: dict[tuple[str, str, int, int], list[int]] = defaultdict(list)
    group_of: dict[tuple[str, str, str, float, float], int] = {}

    def ident(p: PlaceFact) -> tuple[str, str, str, float, float]:
        return (p.country, p.feature, p.name, round(p.lat, 4), round(p.lng, 4))

    for a in articles:
        for p in a.places:
            # Countries, continents and seas keep the gazetteer's name ("U.S." is no label).
            coarse = p.demonym or p.feature in COARSE_FEATURES
            if coarse or ident(p) in group_of or math.isnan(p.lat) or math.isnan(p.lng):
                continue
            kind = precision_of(p.feature)
            row, col = math.floor(p.lat), math.floor(p.lng)
            root_cos = _root_cos(p.lat)
            found = None
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    for g in cells.get((p.country, kind, row + dr, col + dc), ()):
                        q = groups[g][0]
                        if abs(p.lat - q.lat) > _FAR_DEGREES:
                            continue  # over 50 km apart north-south alone: no match
                        # ... or east-west alone: the haversine's sum is at least its
                        # east-west term, 2R sqrt(cos φ1 cos φ2) |sin(Δλ/2)|.
                        east_west = _EAST_WEST_KM * root_cos * group_root_cos[g]
                        if east_west * abs(math.sin(math.radians(p.lng - q.lng) / 2)) > _NEAR_KM:
                            continue
                        km = haversine_km(p.lat, p.lng, q.lat, q.lng)
                        if km <= SAME_PLACE_KM or (km <= 50.0 and p.key == q.key):
                            found = g
                            break
                    if found is not None:
                        break
                if found is not None:
                    break
            if found is None:
                found = len(groups)
                groups.append([p])
                group_root_cos.append(root_cos)
                cells[(p.country, kind, row, col)].append(found)
            group_of[ident(p)] = found
    spellings: dict[int, Counter[str]] = defaultdict(Counter)
    names: dict[int, Counter[str]] = defaultdict(Counter)
    for a in articles:
        if counted_ids is not None and a.id not in counted_ids:
            continue
        for p in a.places:
            gid = group_of.get(ident(p))
            if gid is None:
                continue
            names[gid][p.name] += 1
            surface = _surface(p.text)
            if surface is not None:
                spellings[gid][surface] += 1
    display: dict[int, str] = {}
    for g, members in enumerate(groups):
        gazetteer = names[g] or Counter(m.name for m in members)
        choice = spellings[g] or gazetteer
        # Most used first; on a tie the gazetteer's own spelling, then the shorter.
        display[g] = min(choice, key=lambda n: (-choice[n], n not in gazetteer, len(n), n))
    renamed: dict[str, str] = {}
    for a in articles:
        new = []
        for p in a.places:
            gid = group_of.get(ident(p))
            if gid is not None and display[gid] != p.name:
                renamed[p.name] = display[gid]
                p = replace(p, name=display[gid])
            new.append(p)
        a.places[:] = new
    return renamed


# --------------------------------------------------------------------------- hotspots


def _valid(lat: float, lng: float) -> bool:
    return not math.isnan(lat) and not math.isnan(lng) and -90 <= lat <= 90 and -180 <= lng <= 180


def _intensity(severity: float, devs: int, harmful: bool, settings: HotspotSettings) -> int:
    score = severity + 0.1 * (devs - 1) + (0.3 if harmful else 0.0)
    if score >= settings.intensity_high:
        return 3
    return 2 if score >= settings.intensity_medium else 1


@dataclass(slots=True)
class _Spot:
    """A place (or merged places) collecting developments."""

    place: PlaceFact
    names: Counter[str] = field(default_factory=Counter)
    places: dict[str, PlaceFact] = field(default_factory=dict)
    devs: list[DevDraft] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    dev_keys: dict[str, list[Key]] = field(default_factory=dict)

    @property
    def precision(self) -> Precision:
        return precision_of(self.place.feature)

    def has(self, dev: DevDraft) -> bool:
        return any(d is dev for d in self.devs)

    def add(self, p: PlaceFact, dev: DevDraft, key: Key) -> None:
        self.names[p.name] += 1
        self.places.setdefault(p.name, p)
        if not self.has(dev):
            self.devs.append(dev)
        if key not in self.keys:
            self.keys.append(key)
        dev_keys = self.dev_keys.setdefault(dev.id, [])
        if key not in dev_keys:
            dev_keys.append(key)

    def absorb(self, other: _Spot, devs: Iterable[DevDraft] | None = None) -> None:
        """Take *other*'s developments (all, or those given) and their sources."""
        for dev in other.devs if devs is None else devs:
            if not self.has(dev):
                self.devs.append(dev)
            for key in other.dev_keys.get(dev.id, []):
                if key not in self.keys:
                    self.keys.append(key)
                self.dev_keys.setdefault(dev.id, [])
                if key not in self.dev_keys[dev.id]:
                    self.dev_keys[dev.id].append(key)
        for name, n in other.names.items():
            if other.places[name].country != self.place.country:
                self.names[name] += n
                self.places.setdefault(name, other.places[name])

    @property
    def mentions(self) -> int:
        return sum(self.names.values())


def _candidates(dev: DevDraft, article: ArticleFacts, country: str) -> list[PlaceFact]:
    """The article's places that may be hotspots for *country* in this development."""
    out = list(plausible_places(article, country))
    if dev.where == "own_abroad" and not any(p.country != country for p in out):
        # Forces or citizens abroad, often told by the country's name only.
        out.extend(
            p
            for p in article.places
            if p.feature == "country"
            and p.country
            and p.country != country
            and not p.demonym
            and not p.metonymy
            and p.text[:1].isupper()
        )
    return out


def _group_points(spots: list[_Spot], merge_km: float) -> list[_Spot]:
    """Merge point spots within *merge_km* of each other into the most mentioned."""
    spots = sorted(spots, key=lambda s: -s.mentions)
    kept: list[_Spot] = []
    for s in spots:
        near = next(
            (
                k
                for k in kept
                if k.precision == "point"
                and s.precision == "point"
                and k.place.country == s.place.country
                and haversine_km(s.place.lat, s.place.lng, k.place.lat, k.place.lng) <= merge_km
            ),
            None,
        )
        if near is None:
            kept.append(s)
        else:
            near.absorb(s)
            for name, n in s.names.items():
                near.names[name] += n
                near.places.setdefault(name, s.places[name])
    return kept


def _nest(spots: list[_Spot]) -> list[_Spot]:
    """Merge each province (or country) into the hotspots inside it."""
    areas = [s for s in spots if s.precision in ("admin1", "country")]
    inner = [s for s in spots if s.precision not in ("admin1", "country")]
    out = list(inner)
    # Provinces inside a country spot count as its children too.
    for area in sorted(areas, key=lambda s: s.precision == "country"):
        if area.precision == "country":
            children = [s for s in out if s.place.country == area.place.country and s is not area]
        else:
            code = area.place.admin1
            children = [
                s
                for s in inner
                if code
                and s.place.country == area.place.country
                and s.precision in ("point", "region")
                and s.place.feature != "region"
                and admin1_of(s.place) == code
            ]
        if not children:
            out.append(area)
            continue
        leftover = []
        for dev in area.devs:
            sharing = [c for c in children if c.has(dev)]
            for c in sharing:
                c.absorb(area, [dev])
            if not sharing:
                leftover.append(dev)
        if leftover and len(children) == 1:
            children[0].absorb(area, leftover)
        elif leftover:
            # Several hotspots inside and no telling which one a story named only by its
            # province is about: the province stays, drawn at its centre, with those alone.
            area.devs = leftover
            area.keys = list(
                dict.fromkeys(k for d in leftover for k in area.dev_keys.get(d.id, []))
            )
            out.append(area)
    return out


def _draft(
    spot: _Spot, where: Literal["in_country", "own_abroad"], settings: HotspotSettings
) -> HotspotDraft:
    main = spot.place
    label = main.name
    # A spot straddling a border (Zamiin-Uud and Erenhot) is named from both sides.
    other = next(
        (n for n, _ in spot.names.most_common() if spot.places[n].country != main.country), None
    )
    if other is not None:
        label = f"{label} / {other}"
    dev_list = spot.devs
    severity = max(d.severity for d in dev_list)
    harmful = any(d.casualties.killed or d.casualties.injured or d.attack for d in dev_list)
    titles = [d.title for d in sorted(dev_list, key=lambda d: -d.significance)]
    return HotspotDraft(
        label=label,
        detail="; ".join(titles[:4])
        + (f" (and {len(titles) - 4} more)" if len(titles) > 4 else ""),
        lat=round(main.lat, 5),
        lng=round(main.lng, 5),
        intensity=_intensity(severity, len(dev_list), harmful, settings),
        keys=list(spot.keys),
        country=main.country,
        feature=main.feature,
        weight=severity * math.log1p(spot.mentions) + len(dev_list),
        precision=spot.precision,
        where=where,
    )


def find_hotspots(
    devs: Sequence[DevDraft], country: str, *, settings: HotspotSettings = _DEFAULTS
) -> Hotspots:
    """Aggregate the developments' places into hotspots in the country and abroad.

    Places dropped for want of coordinates are listed by name. *settings* are the
    ``[analyze.hotspots]`` limits.
    """
    home: dict[tuple[str, Precision, str], _Spot] = {}
    foreign: dict[tuple[str, Precision, str], _Spot] = {}
    own_abroad: set[tuple[str, Precision, str]] = set()
    dropped: list[str] = []
    for dev in devs:
        for article in dev.articles:
            for p in _candidates(dev, article, country):
                if not _valid(p.lat, p.lng):
                    dropped.append(p.name)
                    continue
                ident = (p.country, precision_of(p.feature), p.name)
                table = home if p.country == country else foreign
                spot = table.setdefault(ident, _Spot(p))
                spot.add(p, dev, ("a", article.id))
                if table is foreign and dev.where == "own_abroad":
                    own_abroad.add(ident)
    home_spots = _nest(_group_points(list(home.values()), settings.merge_km))
    # A foreign place beside a hotspot in the country (across a border crossing) joins it.
    abroad_spots: list[_Spot] = []
    for where_ident, spot in foreign.items():
        border = next(
            (
                h
                for h in home_spots
                if h.precision == "point"
                and spot.precision == "point"
                and haversine_km(spot.place.lat, spot.place.lng, h.place.lat, h.place.lng)
                <= settings.merge_km
            ),
            None,
        )
        if border is not None:
            border.absorb(spot)
        elif where_ident in own_abroad:
            own = [d for d in spot.devs if d.where == "own_abroad"]
            spot.devs = own
            spot.keys = list(dict.fromkeys(k for d in own for k in spot.dev_keys.get(d.id, [])))
            abroad_spots.append(spot)
    abroad_spots = _nest(_group_points(abroad_spots, settings.merge_km))
    out_home = [_draft(s, "in_country", settings) for s in home_spots]
    out_abroad = [_draft(s, "own_abroad", settings) for s in abroad_spots]
    for found in (out_home, out_abroad):
        found.sort(key=lambda h: (-h.intensity, -h.weight, h.label))
    return Hotspots(
        home=out_home[: settings.max_hotspots],
        abroad=out_abroad[: settings.max_abroad],
        dropped=sorted(set(dropped)),
    )
