"""Covering indexes for the web app's filters: the ids of the articles about a country,
and of those in a category, read from the index alone.

The search and the country page test article ids against "about this country" and "in
this category" lists. The old indexes, (country, score) and (category), found the rows
but then read each from the table for ``is_about``, ``confidence`` and ``article_id``:
12,700 and 15,000 row reads for the busiest country and a common category at 100,000
articles. The new ones start with the same columns, so every query the old ones served
is served as before, and carry the rest. On SQLite the two lists cost 1.8 and 1.3 ms of
CPU instead of 8.4 and 11.1 (docs/benchmarks.md, the web section).

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

from alembic import op

revision = "m008"
down_revision = "m007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_article_countries_country_score_is_about_article_id",
        "article_countries",
        ["country", "score", "is_about", "article_id"],
    )
    op.drop_index("ix_article_countries_country_score", table_name="article_countries")
    op.create_index(
        "ix_article_categories_category_confidence_article_id",
        "article_categories",
        ["category", "confidence", "article_id"],
    )
    op.drop_index("ix_article_categories_category", table_name="article_categories")


def downgrade() -> None:
    op.create_index("ix_article_categories_category", "article_categories", ["category"])
    op.drop_index(
        "ix_article_categories_category_confidence_article_id", table_name="article_categories"
    )
    op.create_index("ix_article_countries_country_score", "article_countries", ["country", "score"])
    op.drop_index(
        "ix_article_countries_country_score_is_about_article_id", table_name="article_countries"
    )
