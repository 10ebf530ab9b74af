"""How long raw responses are kept: removing old raw documents (``watchfloor prune``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, select

from watchfloor.store.schema import raw_documents

__all__ = ["prune_raw"]


def prune_raw(conn: Connection, *, before: datetime, dry_run: bool = False) -> tuple[int, int]:
    """Delete raw documents fetched before *before* that were parsed; return how many and
    their stored bytes. Articles, sightings and page versions stay (their ``raw_id``
    becomes NULL); only a ``reparse`` of those documents is no longer possible."""
    old = (raw_documents.c.fetched_at < before) & raw_documents.c.parsed_at.is_not(None)
    count, size = conn.execute(
        select(func.count(), func.coalesce(func.sum(func.length(raw_documents.c.body)), 0)).where(
            old
        )
    ).one()
    if not dry_run and count:
        conn.execute(delete(raw_documents).where(old))
    return int(count), int(size)
