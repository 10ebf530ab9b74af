"""Read-only views of the store for evaluation against hand labels (benchmarks, tests).

An evaluation knows articles by their URL (labels never hold store ids), so these
functions answer by URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, or_, select

from watchfloor.store.facts import ABOUT_SCORE
from watchfloor.store.schema import article_countries, articles, sightings

__all__ = ["ArticleAttribution", "attributions_by_url"]


@dataclass(frozen=True, slots=True)
class ArticleAttribution:
    """What the store holds about one article's countries.

    ``scores`` maps every attributed country to ``(score, is_about)``; ``about`` is the
    set the report's selection counts as "about" (``is_about`` or score at or above
    ``threshold``).
    """

    article_id: int
    url: str
    scores: dict[str, tuple[float, bool]] = field(default_factory=dict)
    threshold: float = ABOUT_SCORE

    @property
    def about(self) -> frozenset[str]:
        return frozenset(
            c for c, (score, is_about) in self.scores.items() if is_about or score >= self.threshold
        )


def attributions_by_url(
    conn: Connection, urls: Iterable[str], *, threshold: float = ABOUT_SCORE
) -> dict[str, ArticleAttribution]:
    """The country attribution of the stored article behind each of *urls*, keyed by the URL
    asked for; URLs not in the store are left out.

    A URL matches an article's ``url`` or ``canonical_url``, or one of its sightings: when
    collect merged the same item seen at another URL (same title and text) into one
    article, that URL resolves to the article it was merged into.
    """
    wanted = list(dict.fromkeys(urls))
    found: dict[str, ArticleAttribution] = {}
    by_id: dict[int, ArticleAttribution] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            select(articles.c.id, articles.c.url, articles.c.canonical_url).where(
                or_(articles.c.url.in_(chunk), articles.c.canonical_url.in_(chunk))
            )
        )
        asked = set(chunk)
        for row in rows:
            for key in (row.url, row.canonical_url):
                if key in asked and key not in found:
                    entry = by_id.get(row.id) or ArticleAttribution(row.id, key, {}, threshold)
                    by_id[row.id] = entry
                    found[key] = entry
        for seen in conn.execute(
            select(sightings.c.url, sightings.c.article_id).where(sightings.c.url.in_(chunk))
        ):
            if seen.url not in found:
                entry = by_id.get(seen.article_id) or ArticleAttribution(
                    seen.article_id, seen.url, {}, threshold
                )
                by_id[seen.article_id] = entry
                found[seen.url] = entry
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        for hit in conn.execute(
            select(
                article_countries.c.article_id,
                article_countries.c.country,
                article_countries.c.score,
                article_countries.c.is_about,
            ).where(article_countries.c.article_id.in_(ids[start : start + 500]))
        ):
            by_id[hit.article_id].scores[hit.country] = (float(hit.score), bool(hit.is_about))
    return found
