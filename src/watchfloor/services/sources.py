"""Sources: add, remove, list, import and export OPML, load a curated list.

Adding a source is one function, :func:`add_source`; every other way in (OPML, the
curated lists, the demo) goes through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from watchfloor.collect.opml import OpmlOutline, parse_opml, render_opml
from watchfloor.config import Settings, parse_duration
from watchfloor.countries import countries as known_countries
from watchfloor.countries import validate_country
from watchfloor.errors import SourceError
from watchfloor.models.records import SourceKind
from watchfloor.models.report import RELIABILITY_GRADES, RELIABILITY_MEANING
from watchfloor.store import queries as q
from watchfloor.store.db import Store

__all__ = [
    "SOURCE_KINDS",
    "AddedSource",
    "ExportedOpml",
    "ImportedOpml",
    "LoadedDefaults",
    "RatedSource",
    "add_source",
    "country_codes",
    "every_seconds",
    "export_opml",
    "grade_history",
    "import_opml",
    "list_sources",
    "load_defaults",
    "normalize_location",
    "rate_source",
    "remove_source",
]

SOURCE_KINDS = tuple(kind.value for kind in SourceKind)


@dataclass(frozen=True, slots=True)
class AddedSource:
    """A source after :func:`add_source`; ``created`` is False when its URL was known."""

    source: q.Source
    created: bool


@dataclass(frozen=True, slots=True)
class ImportedOpml:
    """What an OPML import did: new and updated sources, and refused outlines."""

    added: int
    updated: int
    skipped: tuple[tuple[str, str], ...]  # (url, why)


@dataclass(frozen=True, slots=True)
class ExportedOpml:
    """An OPML 2.0 document of the feed sources."""

    document: str
    feeds: int


@dataclass(frozen=True, slots=True)
class LoadedDefaults:
    """The curated list that was loaded for a country."""

    country: str
    sources: tuple[q.Source, ...]


@dataclass(frozen=True, slots=True)
class RatedSource:
    """A source after :func:`rate_source`, and the change kept in its history."""

    source: q.Source
    change: q.GradeChange | None
    """None when the grade and flag were already those given (nothing to record)."""


def normalize_location(url_or_path: str) -> str:
    """An http(s) URL as given, a local path made absolute; anything else is refused.

    Raises:
        SourceError: another scheme, a URL without a host, or a path that does not exist.
    """
    parts = urlsplit(url_or_path)
    if parts.scheme in {"http", "https"}:
        if not parts.hostname:
            raise SourceError(f"{url_or_path!r} has no host name")
        return url_or_path
    if parts.scheme == "file":
        return str(Path(parts.path).resolve())
    if parts.scheme and len(parts.scheme) > 1:
        raise SourceError(
            f"{url_or_path!r}: only http, https and local paths are accepted, not {parts.scheme}:"
        )
    path = Path(url_or_path).expanduser()
    if not path.exists():
        raise SourceError(f"{url_or_path!r} is neither an http(s) URL nor an existing file")
    return str(path.resolve())


def country_codes(values: Iterable[str]) -> list[str]:
    """Validated, upper-cased, de-duplicated ISO codes; each value may be comma-separated.

    Raises:
        SourceError: a code that is not ISO 3166-1 alpha-2.
    """
    codes: list[str] = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                code = validate_country(part)
                if code not in codes:
                    codes.append(code)
    return codes


def every_seconds(settings: Settings, every: str | None) -> int:
    """``--every`` in seconds, the settings' default when not given.

    Raises:
        ConfigError: not a duration such as 30m, 2h or 1d.
    """
    return parse_duration(every) if every else settings.collect.default_every


def add_source(
    settings: Settings,
    store: Store,
    location: str,
    *,
    kind: str = "feed",
    name: str | None = None,
    countries: Sequence[str] = (),
    every: str | int | None = None,
    language: str | None = None,
) -> AddedSource:
    """Add a feed, page or GDELT source by URL or local path; the same URL updates it.

    Args:
        location: an http(s) URL or an existing local file.
        kind: one of :data:`SOURCE_KINDS`.
        name: display name; the host or file name by default.
        countries: ISO codes (validated here); none for a world source.
        every: a duration (``"30m"``) or seconds; the settings' default when None.
        language: ISO 639-1 code if known.

    Raises:
        SourceError: a bad location, kind or country code.
        ConfigError: a bad ``every``.
    """
    if kind not in SOURCE_KINDS:
        raise SourceError(f"kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    url = normalize_location(location)
    codes = country_codes(countries)
    seconds = every if isinstance(every, int) else every_seconds(settings, every)
    display = name or urlsplit(url).hostname or Path(url).name
    store.check_ready()
    with store.begin() as conn:
        source, created = q.add_source(
            conn,
            url=url,
            kind=kind,
            name=display,
            countries=codes,
            every_seconds=seconds,
            language=language,
        )
    return AddedSource(source, created)


def remove_source(store: Store, source_id: int) -> q.Source:
    """Remove a source (its articles stay) and return what it was."""
    store.check_ready()
    with store.begin() as conn:
        return q.remove_source(conn, source_id)


def rate_source(
    store: Store,
    source_id: int,
    reliability: str,
    *,
    why: str,
    official: bool | None = None,
) -> RatedSource:
    """Grade a source's reliability on the Admiralty scale and keep the change.

    Args:
        reliability: A (completely reliable), B (usually), C (fairly), D (not usually),
            E (unreliable) or F (cannot be judged), any case.
        why: the reason, kept with the date in the source's grade history.
        official: mark the source official (a ministry, an emergency agency) or not;
            unchanged when None.

    Raises:
        SourceError: an unknown grade, an empty reason or an unknown source id.
    """
    grade = reliability.strip().upper()
    if grade not in RELIABILITY_GRADES:
        raise SourceError(
            f"reliability {reliability!r} is not one of "
            + ", ".join(f"{g} ({RELIABILITY_MEANING[g]})" for g in RELIABILITY_GRADES)
        )
    reason = " ".join(why.split())
    if not reason:
        raise SourceError("give the reason for the grade with --why")
    store.check_ready()
    with store.begin() as conn:
        before = q.get_source(conn, source_id)
        flag = before.official if official is None else official
        if (before.reliability, before.official) == (grade, flag) and q.grade_history(
            conn, source_id
        ):
            return RatedSource(before, None)
        change = q.rate_source(conn, source_id, reliability=grade, official=flag, reason=reason)
        return RatedSource(q.get_source(conn, source_id), change)


def grade_history(store: Store, source_id: int) -> list[q.GradeChange]:
    """Every change of a source's grade and official flag, oldest first."""
    store.check_ready()
    with store.connect() as conn:
        return q.grade_history(conn, source_id)


def list_sources(store: Store, *, country: str | None = None) -> list[q.Source]:
    """Every source, or those covering ``country``."""
    code = validate_country(country) if country else None
    store.check_ready()
    with store.connect() as conn:
        return q.list_sources(conn, country=code)


def import_opml(
    settings: Settings,
    store: Store,
    document: bytes,
    *,
    countries: Sequence[str] = (),
    every: str | None = None,
) -> ImportedOpml:
    """Add the feeds of an OPML document (the usual export of feed readers).

    Without ``countries``, the outline's categories that are country codes are used, so
    that our own export round-trips.
    """
    codes = country_codes(countries)
    seconds = every_seconds(settings, every)
    added = updated = 0
    skipped: list[tuple[str, str]] = []
    for entry in parse_opml(document):
        found = codes or [c.upper() for c in entry.categories if c.upper() in known_countries()]
        try:
            result = add_source(
                settings,
                store,
                entry.xml_url,
                kind="feed",
                name=entry.title or None,
                countries=found,
                every=seconds,
                language=entry.language,
            )
        except SourceError as exc:
            skipped.append((entry.xml_url, str(exc)))
            continue
        added += result.created
        updated += not result.created
    return ImportedOpml(added, updated, tuple(skipped))


def export_opml(store: Store) -> ExportedOpml:
    """The feed sources as an OPML 2.0 document."""
    entries = [
        OpmlOutline(xml_url=s.url, title=s.name, categories=list(s.countries), language=s.language)
        for s in list_sources(store)
        if s.kind == "feed"
    ]
    return ExportedOpml(render_opml(entries, title="watchfloor sources"), len(entries))


def load_defaults(settings: Settings, store: Store, country: str) -> LoadedDefaults:
    """Add the curated default sources for a country (collecting them needs the network)."""
    from watchfloor.services.demo import default_sources  # demo imports this module

    code = validate_country(country)
    loaded = []
    for entry in default_sources(code):
        source = add_source(
            settings,
            store,
            entry.url,
            kind=entry.kind,
            name=entry.name,
            countries=entry.countries,
            every=entry.every_seconds,
            language=entry.language,
        ).source
        # The curated grade for a source never graded; an analyst's own grade stays.
        if not grade_history(store, source.id):
            source = rate_source(
                store,
                source.id,
                entry.reliability,
                why=f"curated default list: {entry.reliability_why}",
                official=entry.official,
            ).source
        loaded.append(source)
    return LoadedDefaults(code, tuple(loaded))
