"""The LLM analyst's store: cached model calls, translations, and each report's record.

Identical calls (same endpoint, model, messages, schema and parameters) are answered from
``llm_cache``; a translation is made once per original text and model (``llm_translations``);
``llm_runs`` keeps what a writing backend cost for each stored report (tokens, calls, model,
endpoint host, prompt versions, statements kept and replaced). No API key is ever stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from watchfloor.store.schema import llm_cache, llm_runs, llm_translations

__all__ = [
    "CachedReply",
    "StoredTranslation",
    "cached_reply",
    "get_translation",
    "keep_reply",
    "keep_run",
    "keep_translation",
    "runs_of",
]


@dataclass(frozen=True, slots=True)
class CachedReply:
    reply: str
    tokens_in: int
    tokens_out: int
    model: str


@dataclass(frozen=True, slots=True)
class StoredTranslation:
    translation: str
    kept: bool
    reason: str


def cached_reply(conn: Connection, key: str) -> CachedReply | None:
    """The stored answer to the call with this key, or None."""
    row = conn.execute(select(llm_cache).where(llm_cache.c.key == key)).first()
    if row is None:
        return None
    return CachedReply(row.reply, int(row.tokens_in), int(row.tokens_out), row.model)


def keep_reply(conn: Connection, key: str, reply: CachedReply) -> None:
    """Store an answer under its call's key (a second store of the same key is ignored)."""
    try:
        with conn.begin_nested():
            conn.execute(
                insert(llm_cache).values(
                    key=key,
                    model=reply.model[:200],
                    reply=reply.reply,
                    tokens_in=reply.tokens_in,
                    tokens_out=reply.tokens_out,
                    created_at=datetime.now(UTC),
                )
            )
    except IntegrityError:
        pass


def get_translation(conn: Connection, source_hash: str, model: str) -> StoredTranslation | None:
    """The stored translation of an original text by a model, or None."""
    row = conn.execute(
        select(llm_translations).where(
            llm_translations.c.source_hash == source_hash, llm_translations.c.model == model
        )
    ).first()
    if row is None:
        return None
    return StoredTranslation(row.translation, bool(row.kept), row.reason)


def keep_translation(
    conn: Connection,
    *,
    source_hash: str,
    model: str,
    language: str,
    original: str,
    translation: str,
    kept: bool,
    reason: str,
) -> None:
    """Store a translation and the verifier's verdict on it (once per text and model)."""
    try:
        with conn.begin_nested():
            conn.execute(
                insert(llm_translations).values(
                    source_hash=source_hash,
                    model=model[:200],
                    language=language[:16],
                    original=original,
                    translation=translation,
                    kept=kept,
                    reason=reason[:32],
                    created_at=datetime.now(UTC),
                )
            )
    except IntegrityError:
        pass


def keep_run(conn: Connection, report_id: int, record: dict[str, Any]) -> None:
    """Store what a writing backend did for a stored report."""
    conn.execute(
        insert(llm_runs).values(report_id=report_id, record=record, created_at=datetime.now(UTC))
    )


def runs_of(conn: Connection, report_id: int) -> list[dict[str, Any]]:
    """The records of the writing backend's work on a report."""
    rows = conn.execute(
        select(llm_runs.c.record).where(llm_runs.c.report_id == report_id).order_by(llm_runs.c.id)
    )
    return [dict(r.record) for r in rows]
