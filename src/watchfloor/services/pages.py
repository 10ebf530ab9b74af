"""Reference pages: their stored versions, what changed, archived captures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from watchfloor.collect.pages import PageDiff, diff_pages
from watchfloor.collect.run import import_snapshot
from watchfloor.errors import SourceError
from watchfloor.store import queries as q
from watchfloor.store.db import Store

__all__ = [
    "ImportedCapture",
    "PageChange",
    "PageVersions",
    "choose_versions",
    "diff",
    "import_capture",
    "versions",
]


@dataclass(frozen=True, slots=True)
class PageVersions:
    """A page source and its stored versions, oldest first."""

    source: q.Source
    versions: tuple[q.PageVersion, ...]


@dataclass(frozen=True, slots=True)
class PageChange:
    """What changed between two versions of a page."""

    source: q.Source
    old: q.PageVersion
    new: q.PageVersion
    diff: PageDiff


@dataclass(frozen=True, slots=True)
class ImportedCapture:
    """An archived capture added as a page version; ``new_version`` False when unchanged."""

    path: Path
    captured_at: datetime
    new_version: bool


def versions(store: Store, source_id: int) -> PageVersions:
    """The stored versions of a source."""
    store.check_ready()
    with store.connect() as conn:
        source = q.get_source(conn, source_id)
        found = q.page_versions_of(conn, source_id)
    return PageVersions(source, tuple(found))


def choose_versions(
    available: list[int],
    *,
    from_version: int | None,
    to_version: int | None,
    what: str = "the page",
) -> tuple[int, int]:
    """The (older, newer) pair to compare: by default the last two.

    Raises:
        SourceError: fewer than two versions, or a version that does not exist.
    """
    if len(available) < 2:
        raise SourceError(
            f"{what} has {len(available)} version(s); a diff needs two "
            "(collect again after the page changes)"
        )
    new_v = to_version or max(available)
    older = [v for v in available if v < new_v]
    old_v = from_version or (max(older) if older else 0)
    if old_v not in available or new_v not in available:
        raise SourceError(f"versions available: {', '.join(map(str, sorted(available)))}")
    return old_v, new_v


def diff(
    store: Store,
    source_id: int,
    *,
    from_version: int | None = None,
    to_version: int | None = None,
) -> PageChange:
    """Compare two versions of a page source (the last two by default).

    Raises:
        SourceError: the source is not a page, or the versions are not there.
    """
    page = versions(store, source_id)
    if page.source.kind != "page":
        raise SourceError(f"source {source_id} is a {page.source.kind}, not a page")
    by_number = {v.version: v for v in page.versions}
    old_v, new_v = choose_versions(
        list(by_number),
        from_version=from_version,
        to_version=to_version,
        what=f"source {source_id}",
    )
    old, new = by_number[old_v], by_number[new_v]
    return PageChange(page.source, old, new, diff_pages(old.text, new.text))


def import_capture(
    store: Store, source_id: int, path: str | Path, *, captured_at: datetime
) -> ImportedCapture:
    """Add an archived capture of a page as the version of ``captured_at`` (naive = UTC).

    Raises:
        SourceError: the file could not be read or parsed as a page.
    """
    when = captured_at if captured_at.tzinfo else captured_at.replace(tzinfo=UTC)
    store.check_ready()
    outcome = import_snapshot(store, source_id, str(path), captured_at=when)
    if outcome.error:
        raise SourceError(f"{path}: {outcome.error}")
    return ImportedCapture(Path(path), when, bool(outcome.new or outcome.updated))
