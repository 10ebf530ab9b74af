"""Source grades: each source's reliability (Admiralty A-F) and official flag, every change
kept with its reason and date; reports may say "Insufficient data" and have no score.

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.store.schema import UTCDateTime

revision = "m004"
down_revision = "m003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, never a batch copy of ``sources``: on SQLite a copy
    # drops and recreates the table, and with foreign keys on, dropping it sets every
    # article's source_id to NULL (ON DELETE SET NULL). Constant defaults keep it an ALTER.
    op.add_column(
        "sources", sa.Column("reliability", sa.String(1), nullable=False, server_default="F")
    )
    op.add_column("sources", sa.Column("official", sa.Boolean, nullable=False, server_default="0"))
    op.create_table(
        "source_grades",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("reliability", sa.String(1), nullable=False),
        sa.Column("official", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source_grades"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            ondelete="CASCADE",
            name="fk_source_grades_source_id_sources",
        ),
    )
    op.create_index(
        "ix_source_grades_source_id_changed_at", "source_grades", ["source_id", "changed_at"]
    )
    # ``reports`` is referenced by no other table: a batch copy of it loses nothing.
    with op.batch_alter_table("reports") as batch:
        batch.alter_column(
            "threat_level", existing_type=sa.String(16), type_=sa.String(32), nullable=False
        )
        batch.alter_column("threat_score", existing_type=sa.Float, nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.alter_column("threat_score", existing_type=sa.Float, nullable=False)
        batch.alter_column(
            "threat_level", existing_type=sa.String(32), type_=sa.String(16), nullable=False
        )
    op.drop_index("ix_source_grades_source_id_changed_at", table_name="source_grades")
    op.drop_table("source_grades")
    op.drop_column("sources", "official")
    op.drop_column("sources", "reliability")
