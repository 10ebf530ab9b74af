"""Opening the store: SQLite (default, WAL mode) or PostgreSQL (psycopg 3)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection as Connection  # re-exported: callers outside store/ name it
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from watchfloor.errors import StoreError

log = logging.getLogger(__name__)


def normalize_db_url(url: str) -> str:
    """Accept a path or URL and return a SQLAlchemy URL with the right driver.

    ``watchfloor.db`` and ``sqlite:///watchfloor.db`` both mean a SQLite file;
    ``postgresql://`` and ``postgres://`` select psycopg 3.
    """
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (reports, the web UI) work while a collect writes; the busy
    # timeout makes a second writer wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # 64 MiB of page cache (the default is 2 MB), taken only as pages are read: a batch
    # write inserts into a dozen indexes at random places, and a million-article store's
    # index pages stop fitting in 2 MB long before its articles do (docs/scaling.md).
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


class Store:
    """A handle on the database. Creating one does no I/O; :meth:`init` migrates."""

    def __init__(self, url: str) -> None:
        self.url = normalize_db_url(url)
        self._engine: Engine | None = None

    @property
    def dialect(self) -> str:
        return make_url(self.url).get_backend_name()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._create_engine()
        return self._engine

    def _create_engine(self) -> Engine:
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise StoreError(f"cannot read database URL {self.url!r}: {exc}") from exc
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:":
                parent = Path(database).expanduser().resolve().parent
                if not parent.is_dir():
                    raise StoreError(
                        f"cannot open SQLite database {database}: folder {parent} does not exist"
                    )
            engine = create_engine(self.url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        if parsed.get_backend_name() == "postgresql":
            try:
                return create_engine(self.url, pool_pre_ping=True)
            except NoSuchModuleError as exc:  # pragma: no cover - depends on install
                raise StoreError(
                    "PostgreSQL needs psycopg 3: pip install 'watchfloor[pg]'"
                ) from exc
            except ModuleNotFoundError as exc:  # pragma: no cover - depends on install
                raise StoreError(
                    "PostgreSQL needs psycopg 3: pip install 'watchfloor[pg]'"
                ) from exc
        raise StoreError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://"
        )

    def init(self) -> str:
        """Create the schema or upgrade it to the newest migration; return the revision.

        Running it again on an up-to-date store changes nothing.
        """
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option(
            "script_location", str(resources.files("watchfloor.store").joinpath("migrations"))
        )
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as exc:
            raise StoreError(f"cannot migrate the database at {self.safe_url}: {exc.orig}") from exc
        return self.revision() or ""

    def revision(self) -> str | None:
        """The applied migration, or None for an empty database."""
        with self.connect() as conn:
            if not inspect(conn).has_table("_migrations"):
                return None
            row = conn.exec_driver_sql("SELECT version_num FROM _migrations").first()
            return None if row is None else str(row[0])

    def check_ready(self) -> None:
        """Raise StoreError with a hint when the store has not been initialised."""
        if self.revision() is None:
            raise StoreError(
                f"the database at {self.safe_url} is not initialised: run 'watchfloor init'"
            )

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reading."""
        try:
            conn = self.engine.connect()
        except OperationalError as exc:
            raise StoreError(f"cannot open the database at {self.safe_url}: {exc.orig}") from exc
        with conn:
            yield conn

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction that commits on success and rolls back on error."""
        try:
            ctx = self.engine.begin()
            conn = ctx.__enter__()
        except OperationalError as exc:
            raise StoreError(f"cannot open the database at {self.safe_url}: {exc.orig}") from exc
        try:
            yield conn
        except BaseException as exc:
            ctx.__exit__(type(exc), exc, exc.__traceback__)
            raise
        else:
            ctx.__exit__(None, None, None)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
