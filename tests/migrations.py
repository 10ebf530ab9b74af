"""A store left at an older migration, holding one source and one article linked to it.

Migrations that change ``sources`` must keep every article's ``source_id``: on SQLite with
foreign keys on, a batch copy of the table would set them to NULL when the old table is
dropped. Tests upgrade the store this returns to head and check the link.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config

from watchfloor.store.db import Store


def store_at(path: Path, revision: str) -> Store:
    """Return a SQLite store at PATH migrated only up to REVISION, with source 1 and
    article 1 (``source_id`` 1) in it."""
    store = Store(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option(
        "script_location", str(resources.files("watchfloor.store").joinpath("migrations"))
    )
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    with store.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO sources (id, url, kind, name, countries, every_seconds, enabled, "
            "consecutive_failures, created_at) VALUES (1, 'https://a.example/f', 'feed', 'A', "
            "'[\"MN\"]', 60, 1, 0, '2026-01-01 00:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO articles (id, content_hash, title, summary, content, tags, geo, kind, "
            "published_at, date_estimated, first_seen_at, updated_at, source_id) VALUES "
            "(1, 'h', 't', '', '', '[]', '[]', 'feed', '2026-01-01 00:00:00', 0, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
        )
    return store
