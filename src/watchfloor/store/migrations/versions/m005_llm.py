"""The LLM analyst's tables: cached model calls, translations, and each report's record.

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.store.schema import UTCDateTime

revision = "m005"
down_revision = "m004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "llm_cache",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("tokens_in", sa.Integer, nullable=False),
        sa.Column("tokens_out", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_llm_cache"),
    )
    op.create_table(
        "llm_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("original", sa.Text, nullable=False),
        sa.Column("translation", sa.Text, nullable=False),
        sa.Column("kept", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_llm_translations"),
        sa.UniqueConstraint("source_hash", "model", name="uq_llm_translations_source_hash_model"),
    )
    op.create_table(
        "llm_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_llm_runs"),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_llm_runs_report_id_reports", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_llm_runs_report_id", "llm_runs", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_llm_runs_report_id", table_name="llm_runs")
    op.drop_table("llm_runs")
    op.drop_table("llm_translations")
    op.drop_table("llm_cache")
