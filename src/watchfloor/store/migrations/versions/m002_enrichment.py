"""Enrichment: language, entities, places, categories, country relevance, dated events,
story clusters, and a small key-value table for stage state (the clusterer's memory).

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.store.schema import UTCDateTime

revision = "m002"
down_revision = "m001"
branch_labels = None
depends_on = None


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"],
        ["articles.id"],
        ondelete="CASCADE",
        name=f"fk_{table}_article_id_articles",
    )


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("detected_language", sa.String(16)))
        batch.add_column(sa.Column("language_confidence", sa.Float))
        batch.add_column(sa.Column("cluster_id", sa.String(32)))
        batch.create_index("ix_articles_cluster_id", ["cluster_id"])

    op.create_table(
        "article_entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_article_entities"),
        _article_fk("article_entities"),
    )
    op.create_index("ix_article_entities_article_id", "article_entities", ["article_id"])
    op.create_table(
        "article_places",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("in_title", sa.Boolean, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("admin1", sa.Text, nullable=False),
        sa.Column("feature", sa.String(16), nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lng", sa.Float, nullable=False),
        sa.Column("population", sa.Integer, nullable=False),
        sa.Column("gazetteer_key", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("demonym", sa.Boolean, nullable=False),
        sa.Column("metonymy", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_article_places"),
        _article_fk("article_places"),
    )
    op.create_index("ix_article_places_article_id", "article_places", ["article_id"])
    op.create_index("ix_article_places_country", "article_places", ["country"])
    op.create_table(
        "article_categories",
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "category", name="pk_article_categories"),
        _article_fk("article_categories"),
    )
    op.create_index("ix_article_categories_category", "article_categories", ["category"])
    op.create_table(
        "article_countries",
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("is_about", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "country", name="pk_article_countries"),
        _article_fk("article_countries"),
    )
    op.create_index("ix_article_countries_country_score", "article_countries", ["country", "score"])
    op.create_table(
        "dated_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("expression", sa.Text, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
        sa.Column("precision", sa.String(16), nullable=False),
        sa.Column("is_future", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dated_events"),
        _article_fk("dated_events"),
    )
    op.create_index("ix_dated_events_article_id", "dated_events", ["article_id"])
    op.create_index("ix_dated_events_start_date", "dated_events", ["start_date"])
    op.create_table(
        "clusters",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("first_published", UTCDateTime, nullable=False),
        sa.Column("last_published", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clusters"),
    )
    op.create_table(
        "stage_state",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_stage_state"),
    )
