"""Indexes for a million articles: one country's articles of one week.

``articles (published_at, id)`` gives the week's ids and
``article_countries (country, is_about, article_id)`` answers "which articles are about
this country" from the index alone, so a country-week select intersects it with the
week's ids from ``articles (published_at)`` without reading either table. With only the
``(country, score)`` index, SQLite read each of the country's rows of the whole year and
then each article (docs/scaling.md).

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

from alembic import op

revision = "m010"
down_revision = "m009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The week's ids from the index alone on PostgreSQL too, whose index on published_at
    # points at rows, not ids (SQLite's carries the rowid, which is the id).
    op.create_index("ix_articles_published_at_id", "articles", ["published_at", "id"])
    op.create_index(
        "ix_article_countries_country_is_about_article_id",
        "article_countries",
        ["country", "is_about", "article_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_article_countries_country_is_about_article_id", "article_countries")
    op.drop_index("ix_articles_published_at_id", "articles")
