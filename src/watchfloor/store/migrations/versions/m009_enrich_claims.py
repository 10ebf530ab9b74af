"""Enrichment claims: the articles each enrich worker is working on, with a lease, so that
several workers enrich different batches side by side and a batch whose worker died is
taken up again once its lease has run out.

Also widens ``article_places.population`` to a 64-bit integer: continents (Asia, 3.8
billion people) overflow PostgreSQL's 32-bit ``integer``, which made the write of any
article naming one fail there (SQLite's integers are 64-bit already).

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.store.schema import UTCDateTime

revision = "m009"
down_revision = "m008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrich_claims",
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("worker", sa.String(128), nullable=False),
        sa.Column("claimed_until", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_enrich_claims"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            ondelete="CASCADE",
            name="fk_enrich_claims_article_id_articles",
        ),
    )

    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "article_places", "population", type_=sa.BigInteger, existing_nullable=False
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("article_places", "population", type_=sa.Integer, existing_nullable=False)
    op.drop_table("enrich_claims")
