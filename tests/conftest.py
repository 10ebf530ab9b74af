"""Shared fixtures: paths to the evaluation corpora, a fresh store per test."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

#: session fixtures of the enriched demo weeks, built once for every test folder
pytest_plugins = ["tests.weeks"]

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", REPO.parent / "shared"))
CORPORA = SHARED / "corpora"
SEEDS = SHARED / "seeds"


def load_script(path: Path) -> ModuleType:
    """Import a benchmark or script file by its path, once, under its file name (registered
    in ``sys.modules``, as its dataclasses look their module up)."""
    name = path.stem
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# --- data directory ------------------------------------------------------------------
# Tests never write into the real user data directory: WATCHFLOOR_DATA points at a session
# folder. The gazetteer index and web assets that `make install` put in the real one (or
# an older version left inside the package) are linked into it, read-only, so the index
# is not rebuilt per session; without them the first test that needs the index builds it.
_SESSION_DATA: Path | None = None


def _link_files(names: list[str], sources: list[Path], dest: Path) -> None:
    for src in sources:
        if all((src / n).is_file() for n in names):
            dest.mkdir(parents=True, exist_ok=True)
            for n in names:
                (dest / n).symlink_to((src / n).resolve())
            return


def pytest_configure(config: pytest.Config) -> None:
    global _SESSION_DATA
    from watchfloor.config import DATA_ENV, data_dir
    from watchfloor.enrich.gazetteer import AUTOMATON_NAME, DB_NAME, LEGACY_DIR

    real = data_dir()
    _SESSION_DATA = Path(tempfile.mkdtemp(prefix="watchfloor-test-data-"))
    _link_files(
        [DB_NAME, AUTOMATON_NAME], [real / "gazetteer", LEGACY_DIR], _SESSION_DATA / "gazetteer"
    )
    old_assets = REPO / "src" / "watchfloor" / "report" / "assets"
    web = ["leaflet.js", "leaflet.css", "countries-110m.json"]
    _link_files(web, [real / "web-assets", old_assets], _SESSION_DATA / "web-assets")
    os.environ[DATA_ENV] = str(_SESSION_DATA)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SESSION_DATA is not None:
        shutil.rmtree(_SESSION_DATA, ignore_errors=True)


def need_corpus(name: str) -> Path:
    """Return ../shared/corpora/NAME, or skip the test with a clear reason."""
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"evaluation corpus {name!r} not found at {path}: set WATCHFLOOR_SHARED")
    return path


def need_seeds() -> Path:
    """Return ../shared/seeds, or skip the test with a clear reason."""
    if not SEEDS.exists():
        pytest.skip(f"seed documents not found at {SEEDS}: set WATCHFLOOR_SHARED")
    return SEEDS


# --- stores ------------------------------------------------------------------------

PG_URL = os.environ.get("WATCHFLOOR_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _service_missing(what: str, why: str) -> None:
    """Skip locally; fail under CI=true, where the service must be there."""
    message = f"{what} is not reachable ({why})"
    if IN_CI:
        pytest.fail(f"{message}, and CI=true requires it", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "watchfloor.db"


@pytest.fixture
def store(db_path: Path):  # type: ignore[no-untyped-def]
    """A fresh, migrated SQLite store in a temporary folder."""
    from watchfloor.store.db import Store

    s = Store(f"sqlite:///{db_path}")
    s.init()
    yield s
    s.dispose()


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """The PostgreSQL server for tests, or skip (fail under CI) when it is not there."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - the dev extra installs it
        _service_missing("PostgreSQL driver psycopg", str(exc))
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        _service_missing(f"PostgreSQL at {PG_URL}", str(exc).strip().splitlines()[0])
    return PG_URL


@pytest.fixture
def pg_store(pg_server_url: str):  # type: ignore[no-untyped-def]
    """A fresh, migrated PostgreSQL database, dropped after the test."""
    import uuid

    import psycopg

    from watchfloor.store.db import Store

    name = f"wf_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = pg_server_url.rpartition("/")
    s = Store(f"{base}/{name}")
    s.init()
    try:
        yield s
    finally:
        s.dispose()
        with psycopg.connect(pg_server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The same test on a SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        return request.getfixturevalue("store")
    return request.getfixturevalue("pg_store")
