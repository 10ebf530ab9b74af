"""Locate the bundled demo data and the curated default source lists.

The demo data (``watchfloor/data/demo/``) is one fictional week of news about Mongolia,
written for watchfloor: five feeds (one of them malformed on purpose), two versions of a
reference page, and two extra calibration weeks. ``manifest.toml`` in that folder describes
it; this module reads the manifest so that ``make demo``, tests and the web UI do not
hard-code file names. The curated default sources (``watchfloor/data/sources/*.toml``) are
real outlets' public feeds; nothing here fetches them.

:func:`run_demo` is the ``watchfloor demo`` use case: a fresh store in a folder, the demo
sources loaded, collected, enriched, the report built, written in every format and
checked. :func:`prepare_demo` does the part before the report, for tests and benchmarks.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from watchfloor.collect.run import import_snapshot
from watchfloor.config import Settings, parse_duration
from watchfloor.errors import ConfigError, SourceError
from watchfloor.services import collect as collect_service
from watchfloor.services import enrich as enrich_service
from watchfloor.services import reports as report_service
from watchfloor.services import sources as source_service
from watchfloor.services.progress import CancelToken, ProgressCallback
from watchfloor.store import queries as q
from watchfloor.store.db import Store

if TYPE_CHECKING:
    from watchfloor.enrich.pipeline import Enricher
from watchfloor.models.records import SourceKind

__all__ = [
    "DefaultSource",
    "DemoPeriod",
    "DemoResult",
    "DemoSource",
    "DemoWeek",
    "PageVersion",
    "PreparedDemo",
    "default_source_countries",
    "default_sources",
    "demo_dir",
    "demo_period",
    "demo_sources",
    "demo_weeks",
    "prepare_demo",
    "run_demo",
    "sources_dir",
]

SOURCE_KINDS = (SourceKind.FEED, SourceKind.PAGE)  # the demo has no GDELT source
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class PageVersion:
    """One captured version of a demo reference page."""

    path: Path
    captured_at: datetime


@dataclass(frozen=True, slots=True)
class DemoSource:
    """A bundled demo source: a feed file or a reference page with its versions.

    ``url`` is the fictional address the source claims to live at (reserved ``.example``
    domains); ``path`` is the file to read instead. For a page, ``path`` is the newest
    version and ``versions`` lists every capture, oldest first.
    """

    path: Path
    kind: str
    name: str
    countries: tuple[str, ...]
    language: str
    url: str
    format: str
    expected_items: int | None = None
    malformed: bool = False
    versions: tuple[PageVersion, ...] = ()
    notes: str = ""
    reliability: str | None = None
    """Admiralty grade A-F the manifest gives this fictional outlet (None: ungraded, F)."""
    reliability_why: str = ""
    official: bool = False


@dataclass(frozen=True, slots=True)
class DemoPeriod:
    """The demo analysis period: inclusive UTC calendar dates and the country."""

    country: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class DemoWeek:
    """An extra fictional week (one feed) for calibrating the threat level."""

    name: str
    path: Path
    source_name: str
    url: str
    country: str
    language: str
    start: date
    end: date
    expected_items: int
    expected_threat: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True, slots=True)
class DefaultSource:
    """One curated real source from ``data/sources/<country>.toml``."""

    url: str
    name: str
    kind: str
    countries: tuple[str, ...]
    every: str
    every_seconds: int
    language: str
    why: str
    reliability: str = "F"
    """Admiralty reliability grade A-F given by the curated list."""
    reliability_why: str = "not graded in the curated list"
    official: bool = False


def _data_dir(name: str) -> Path:
    path = Path(str(resources.files("watchfloor").joinpath("data", name)))
    if not path.is_dir():
        raise SourceError(
            f"bundled data folder {path} is missing: reinstall watchfloor "
            "(pip install -e .) so that package data is included"
        )
    return path


def demo_dir() -> Path:
    """Return the folder that holds the bundled demo data and its ``manifest.toml``."""
    return _data_dir("demo")


def demo_places() -> Path:
    """Return the demo's own places: a user gazetteer file the demo enriches with."""
    return demo_dir() / "places.tsv"


def _with_demo_places(settings: Settings) -> Settings:
    """*settings* reading the demo's places instead of the user's own (docs/demo.md)."""
    geoparse = dataclasses.replace(settings.enrich.geoparse, user_gazetteer=str(demo_places()))
    enrich = dataclasses.replace(settings.enrich, geoparse=geoparse)
    return dataclasses.replace(settings, enrich=enrich)


def sources_dir() -> Path:
    """Return the folder that holds the curated default source lists."""
    return _data_dir("sources")


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceError(f"{path} not found: reinstall watchfloor") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path} is not valid TOML: {exc}") from exc


def _manifest() -> tuple[Path, dict[str, Any]]:
    folder = demo_dir()
    return folder, _load_toml(folder / "manifest.toml")


def _get(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise SourceError(f"{where}: missing key {key!r}")
    value = table[key]
    if not isinstance(value, kind):
        raise SourceError(f"{where}: {key} must be a {kind.__name__}, not {value!r}")
    return value


def _file(folder: Path, table: dict[str, Any], where: str) -> Path:
    name: str = _get(table, "file", str, where)
    path = folder / name
    if not path.is_file():
        raise SourceError(f"{where}: file {path} does not exist")
    return path


def _countries(values: Any, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SourceError(f"{where}: countries must be a list of ISO alpha-2 codes")
    for code in values:
        if not _COUNTRY.match(code):
            raise SourceError(
                f"{where}: country {code!r} is not an ISO 3166-1 alpha-2 code such as 'MN'"
            )
    return tuple(values)


def _date(value: Any, where: str) -> date:
    # tomllib gives a date for bare TOML dates; accept ISO strings as well.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise SourceError(f"{where}: {value!r} is not a date like 2026-04-27")


def _utc(value: Any, where: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    raise SourceError(f"{where}: {value!r} is not a timezone-aware timestamp")


def demo_period() -> DemoPeriod:
    """Return the demo analysis period (Monday 2026-04-27 to Sunday 2026-05-03, UTC)."""
    _, manifest = _manifest()
    table = _get(manifest, "period", dict, "manifest.toml")
    where = "manifest.toml [period]"
    return DemoPeriod(
        country=_get(table, "country", str, where),
        start=_date(table.get("start"), where),
        end=_date(table.get("end"), where),
    )


def demo_sources() -> list[DemoSource]:
    """Return every bundled demo source in manifest order, with absolute file paths.

    Raises:
        SourceError: the manifest is missing, malformed or names a file that is absent.
    """
    folder, manifest = _manifest()
    result: list[DemoSource] = []
    for number, table in enumerate(_get(manifest, "sources", list, "manifest.toml"), 1):
        where = f"manifest.toml source #{number}"
        kind = _get(table, "kind", str, where)
        if kind not in SOURCE_KINDS:
            raise SourceError(f"{where}: kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
        versions = tuple(
            PageVersion(
                path=_file(folder, version, f"{where} version #{index}"),
                captured_at=_utc(version.get("captured_at"), f"{where} version #{index}"),
            )
            for index, version in enumerate(table.get("versions", []), 1)
        )
        items = table.get("items")
        result.append(
            DemoSource(
                path=_file(folder, table, where),
                kind=kind,
                name=_get(table, "name", str, where),
                countries=_countries(table.get("countries"), where),
                language=_get(table, "language", str, where),
                url=_get(table, "url", str, where),
                format=_get(table, "format", str, where),
                expected_items=items if isinstance(items, int) else None,
                malformed=bool(table.get("malformed", False)),
                versions=tuple(sorted(versions, key=lambda v: v.captured_at)),
                notes=str(table.get("notes", "")),
                **_grade(table, where),
            )
        )
    return result


def demo_weeks() -> list[DemoWeek]:
    """Return the extra calibration weeks (a quiet one and a violent one)."""
    folder, manifest = _manifest()
    result: list[DemoWeek] = []
    for number, table in enumerate(_get(manifest, "weeks", list, "manifest.toml"), 1):
        where = f"manifest.toml week #{number}"
        threat = _get(table, "expected_threat", list, where)
        result.append(
            DemoWeek(
                name=_get(table, "name", str, where),
                path=_file(folder, table, where),
                source_name=_get(table, "source_name", str, where),
                url=_get(table, "url", str, where),
                country=_countries([_get(table, "country", str, where)], where)[0],
                language=_get(table, "language", str, where),
                start=_date(table.get("start"), where),
                end=_date(table.get("end"), where),
                expected_items=_get(table, "items", int, where),
                expected_threat=tuple(str(level) for level in threat),
                notes=str(table.get("notes", "")),
            )
        )
    return result


def _source_files() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, _load_toml(path)) for path in sorted(sources_dir().glob("*.toml"))]


def default_source_countries() -> list[str]:
    """Return the ISO codes of the countries that have a curated default source list."""
    return sorted(str(data["country"]).upper() for _, data in _source_files() if "country" in data)


def _default_source(table: dict[str, Any], where: str) -> DefaultSource:
    url = _get(table, "url", str, where)
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise SourceError(f"{where}: url {url!r} must be an absolute https:// URL")
    kind = _get(table, "kind", str, where)
    if kind not in SOURCE_KINDS:
        raise SourceError(f"{where}: kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    every = _get(table, "every", str, where)
    try:
        seconds = parse_duration(every)
    except ConfigError as exc:
        raise SourceError(f"{where}: {exc}") from exc
    language = _get(table, "language", str, where)
    if not _LANGUAGE.match(language):
        raise SourceError(f"{where}: language {language!r} is not a code such as 'en' or 'mn'")
    return DefaultSource(
        url=url,
        name=_get(table, "name", str, where),
        kind=kind,
        countries=_countries(table.get("countries"), where),
        every=every,
        every_seconds=seconds,
        language=language,
        why=_get(table, "why", str, where),
        **_grade(table, where),
    )


def _grade(table: dict[str, Any], where: str) -> dict[str, Any]:
    """The curated reliability grade, its reason and the official flag of a list entry."""
    if "reliability" not in table:
        return {}
    grade = _get(table, "reliability", str, where).upper()
    if grade not in ("A", "B", "C", "D", "E", "F"):
        raise SourceError(f"{where}: reliability {grade!r} is not one of A, B, C, D, E, F")
    official = table.get("official", False)
    if not isinstance(official, bool):
        raise SourceError(f"{where}: official must be true or false")
    return {
        "reliability": grade,
        "reliability_why": _get(table, "reliability_why", str, where),
        "official": official,
    }


def default_sources(country: str) -> list[DefaultSource]:
    """Return the curated default sources for a country.

    Args:
        country: an ISO 3166-1 alpha-2 code (``"MN"``, any case) or the file's country
            name (``"mongolia"``).

    Raises:
        SourceError: no list exists for that country, or the list is malformed.
    """
    wanted = country.strip()
    files = _source_files()
    for path, data in files:
        code = str(data.get("country", "")).upper()
        names = {path.stem.lower(), str(data.get("name", "")).lower()}
        if wanted.upper() == code or wanted.lower() in names:
            where = path.name
            tables = _get(data, "sources", list, where)
            return [
                _default_source(table, f"{where} source #{number}")
                for number, table in enumerate(tables, 1)
            ]
    known = ", ".join(str(data.get("country", path.stem)) for path, data in files) or "none"
    raise SourceError(
        f"no curated default sources for {country!r} (available: {known}); "
        "add sources with `watchfloor sources add` instead"
    )


# --- the demo pipeline ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreparedDemo:
    """A demo store after collect and enrich, and the period a report should cover."""

    period: DemoPeriod
    collected: collect_service.CollectResult
    enriched: enrich_service.EnrichResult
    articles: int
    rejects: int


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What ``watchfloor demo`` did: the store, its contents and the checked report."""

    folder: Path
    db_file: Path
    prepared: PreparedDemo
    report: report_service.BuiltReport


def _load_sources(settings: Settings, store: Store, week: DemoWeek | None) -> None:
    """Add the main week's sources (and import its page captures), or one extra week."""
    if week is not None:
        source_service.add_source(
            settings,
            store,
            str(week.path),
            name=week.source_name,
            countries=[week.country],
            language=week.language,
        )
        return
    for source in demo_sources():
        added = source_service.add_source(
            settings,
            store,
            str(source.path),
            kind=source.kind,
            name=source.name,
            countries=source.countries,
            language=source.language,
        )
        if source.reliability is not None:
            source_service.rate_source(
                store,
                added.source.id,
                source.reliability,
                why=source.reliability_why,
                official=source.official,
            )
        for version in source.versions:
            import_snapshot(
                store, added.source.id, str(version.path), captured_at=version.captured_at
            )


def prepare_demo(
    settings: Settings,
    store: Store,
    *,
    week: str | None = None,
    enricher: Enricher | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> PreparedDemo:
    """Load the demo sources into an initialised store, collect and enrich them.

    Args:
        week: an extra calibration week's name (``"quiet"``, ``"violent"``) instead of
            the main demo week.
        enricher: loaded models to reuse (tests build several stores with one).
    """
    if week is None:
        period = demo_period()
        chosen = None
    else:
        chosen = next((w for w in demo_weeks() if w.name == week), None)
        if chosen is None:
            names = ", ".join(w.name for w in demo_weeks())
            raise SourceError(f"no demo week {week!r} (available: {names})")
        period = DemoPeriod(chosen.country, chosen.start, chosen.end)
    settings = _with_demo_places(settings)
    if enricher is not None and enricher.resources.settings != settings.enrich:
        from watchfloor.enrich.pipeline import Enricher
        from watchfloor.enrich.resources import Resources

        enricher = Enricher(Resources(settings.enrich, parent=enricher.resources))
    _load_sources(settings, store, chosen)
    collected = collect_service.collect(
        settings, store, force=True, progress=progress, cancel=cancel
    )
    enriched = enrich_service.enrich(
        settings, store, enricher=enricher, progress=progress, cancel=cancel
    )
    with store.connect() as conn:
        articles = q.count_rows(conn, "articles")
        rejects = len(q.list_rejects(conn))
    return PreparedDemo(period, collected, enriched, articles, rejects)


def run_demo(
    settings: Settings,
    out_dir: Path,
    *,
    formats: tuple[str, ...] = report_service.ALL_FORMATS,
    enricher: Enricher | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> DemoResult:
    """Run every stage on the bundled demo week, offline, into a fresh folder.

    The store is ``out_dir/watchfloor.db`` (replaced if present), whatever ``settings.db``
    says; the report is written into ``out_dir`` in ``formats`` and checked.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    db_file = folder / "watchfloor.db"
    for leftover in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
        leftover.unlink(missing_ok=True)
    settings = dataclasses.replace(settings, db=f"sqlite:///{db_file}")
    store = Store(settings.db)
    try:
        store.init()
        prepared = prepare_demo(
            settings, store, enricher=enricher, progress=progress, cancel=cancel
        )
        period = prepared.period
        built = report_service.build_and_store(
            settings,
            store,
            country=period.country,
            start=period.start,
            end=period.end,
            out_dir=folder,
            formats=formats,
            run_check=True,
        )
    finally:
        store.dispose()
    return DemoResult(folder, db_file, prepared, built)
