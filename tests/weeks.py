"""Enriched demo weeks shared by the report and analysis tests (a plugin of tests/conftest.py).

The main demo week (Mongolia), the quiet week (Mongolia) and the violent week (Mozambique)
are prepared by the demo service (``prepare_demo``: its sources added, collected and
enriched with the real pipeline) into SQLite files under a session temp folder.
Enrichment loads its models once and reuses them. Tests that write to a store take a
copy (``demo_copy``) so the shared ones stay as built.
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


def _prepare(folder: Path, enricher, week: str | None = None) -> Week:  # type: ignore[no-untyped-def]
    """A fresh store in *folder*, prepared by the demo service (collect and enrich)."""
    from watchfloor.config import load_settings
    from watchfloor.services.demo import prepare_demo

    path = folder / "watchfloor.db"
    settings = load_settings(None, env={}, overrides={"db": f"sqlite:///{path}"})
    store = Store(settings.db)
    store.init()
    try:
        prepared = prepare_demo(settings, store, week=week, enricher=enricher)
    finally:
        store.dispose()  # closes the WAL so the file can be copied
    period = prepared.period
    return Week(path, period.country, period.start, period.end)


@pytest.fixture(scope="session")
def demo_week(tmp_path_factory: pytest.TempPathFactory, enricher) -> Week:  # type: ignore[no-untyped-def]
    """The bundled demo week, collected and enriched as ``watchfloor demo`` does."""
    return _prepare(tmp_path_factory.mktemp("demo"), enricher)


def _week(name: str, tmp_path_factory: pytest.TempPathFactory, enricher) -> Week:  # type: ignore[no-untyped-def]
    return _prepare(tmp_path_factory.mktemp(name), enricher, week=name)


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
