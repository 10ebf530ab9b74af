"""Enriched stores of the bundled demo weeks, built once per test session.

The main demo week (Mongolia), the quiet week (Mongolia) and the violent week (Mozambique)
are collected from their local feed files and enriched with the real pipeline into SQLite
files under a session temp folder. Enrichment loads its models once and reuses them. Tests
that write to a store take a copy (``demo_copy``) so the shared ones stay as built.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from watchfloor.store.db import Store


@dataclass(frozen=True)
class Week:
    """An enriched store and the period a report should cover."""

    path: Path
    country: str
    start: date
    end: date

    def store(self) -> Store:
        return Store(f"sqlite:///{self.path}")


@pytest.fixture(scope="session")
def enricher():  # type: ignore[no-untyped-def]
    from watchfloor.enrich.pipeline import Enricher

    return Enricher()


def _collect(  # type: ignore[no-untyped-def]
    folder: Path, feeds: list[tuple[Path, str, list[str], str]], enricher, with_pages: bool = False
) -> Path:
    from watchfloor.collect.run import collect, import_snapshot
    from watchfloor.config import load_settings
    from watchfloor.enrich.pipeline import enrich
    from watchfloor.services.demo import demo_sources
    from watchfloor.store import queries as q

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "watchfloor.db"
    store = Store(f"sqlite:///{path}")
    store.init()
    settings = load_settings(None, env={}, overrides={"db": f"sqlite:///{path}"})
    with store.begin() as conn:
        for file, name, countries, language in feeds:
            q.add_source(
                conn,
                url=str(file),
                kind="feed",
                name=name,
                countries=countries,
                every_seconds=3600,
                language=language,
            )
    if with_pages:
        # The main demo week also tracks its reference page, two captured versions.
        for source in demo_sources():
            if source.kind != "page":
                continue
            with store.begin() as conn:
                row, _ = q.add_source(
                    conn,
                    url=str(source.path),
                    kind="page",
                    name=source.name,
                    countries=list(source.countries),
                    every_seconds=86400,
                    language=source.language,
                )
            for version in source.versions:
                import_snapshot(store, row.id, str(version.path), captured_at=version.captured_at)
    collect(store, settings, force=True)
    enrich(store, enricher=enricher)
    store.dispose()  # closes the WAL so the file can be copied
    return path


@pytest.fixture(scope="session")
def demo_week(tmp_path_factory: pytest.TempPathFactory, enricher) -> Week:  # type: ignore[no-untyped-def]
    """The bundled demo week, collected and enriched as ``watchfloor demo`` does."""
    from watchfloor.services.demo import demo_period, demo_sources

    feeds = [
        (s.path, s.name, list(s.countries), s.language) for s in demo_sources() if s.kind == "feed"
    ]
    period = demo_period()
    path = _collect(tmp_path_factory.mktemp("demo"), feeds, enricher, with_pages=True)
    return Week(path, period.country, period.start, period.end)


def _week(name: str, tmp_path_factory: pytest.TempPathFactory, enricher) -> Week:  # type: ignore[no-untyped-def]
    from watchfloor.services.demo import demo_weeks

    week = next(w for w in demo_weeks() if w.name == name)
    feeds = [(week.path, week.source_name, [week.country], week.language)]
    path = _collect(tmp_path_factory.mktemp(name), feeds, enricher)
    return Week(path, week.country, week.start, week.end)


@pytest.fixture(scope="session")
def quiet_week(tmp_path_factory: pytest.TempPathFactory, enricher) -> Week:  # type: ignore[no-untyped-def]
    return _week("quiet", tmp_path_factory, enricher)


@pytest.fixture(scope="session")
def violent_week(tmp_path_factory: pytest.TempPathFactory, enricher) -> Week:  # type: ignore[no-untyped-def]
    return _week("violent", tmp_path_factory, enricher)


@pytest.fixture(scope="session")
def demo_report(demo_week: Week):  # type: ignore[no-untyped-def]
    """The extractive report of the demo week, built once."""
    from watchfloor.report.build import build_report

    store = demo_week.store()
    try:
        return build_report(
            store, country=demo_week.country, start=demo_week.start, end=demo_week.end
        )
    finally:
        store.dispose()


@pytest.fixture
def demo_copy(demo_week: Week, tmp_path: Path) -> Iterator[Week]:
    """A private copy of the demo store, for tests that write to it."""
    path = tmp_path / "watchfloor.db"
    shutil.copyfile(demo_week.path, path)
    yield Week(path, demo_week.country, demo_week.start, demo_week.end)
