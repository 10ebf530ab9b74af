"""Looking at what came in: stored articles and what the stages rejected."""

from __future__ import annotations

from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.queries import Article, ArticleHit, Reject

__all__ = ["list_articles", "list_rejects", "search_articles"]


def list_rejects(
    store: Store,
    *,
    stage: str | None = None,
    source_id: int | None = None,
    include_resolved: bool = False,
    limit: int = 100,
) -> list[Reject]:
    """Rejected feeds, items, pages and articles, newest first."""
    store.check_ready()
    with store.connect() as conn:
        return q.list_rejects(
            conn,
            stage=stage,
            source_id=source_id,
            include_resolved=include_resolved,
            limit=limit,
        )


def list_articles(store: Store, *, limit: int = 20, source_id: int | None = None) -> list[Article]:
    """The newest articles, of one source or all."""
    store.check_ready()
    with store.connect() as conn:
        return q.list_articles(conn, limit=limit, source_id=source_id)


def search_articles(store: Store, query: str, *, limit: int = 20) -> list[ArticleHit]:
    """Full-text search over titles, summaries and text."""
    store.check_ready()
    with store.connect() as conn:
        return q.search_articles(conn, query, limit=limit)
