"""Reports: every report written, with the inputs and versions that produced it.

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.store.schema import UTCDateTime

revision = "m003"
down_revision = "m002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("generated_at", UTCDateTime, nullable=False),
        sa.Column("backend", sa.String(64), nullable=False),
        sa.Column("analyst_version", sa.String(32), nullable=False),
        sa.Column("enricher_version", sa.String(32), nullable=False),
        sa.Column("article_ids", sa.JSON, nullable=False),
        sa.Column("threat_level", sa.String(16), nullable=False),
        sa.Column("threat_score", sa.Float, nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )
    op.create_index("ix_reports_country_period_end", "reports", ["country", "period_end"])


def downgrade() -> None:
    op.drop_index("ix_reports_country_period_end", table_name="reports")
    op.drop_table("reports")
