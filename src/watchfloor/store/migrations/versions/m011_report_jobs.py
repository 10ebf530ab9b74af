"""Reports remember the web job that wrote them: ``reports.job_id`` (unique when set), so a
report job run again after its worker was killed (a redelivered Celery task) finds the
report the first run stored instead of storing a second one.

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "m011"
down_revision = "m010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added in place (no table copy): NULL for every report written before, and for every
    # report not written by a web job (CLI, schedule).
    op.add_column("reports", sa.Column("job_id", sa.Integer, nullable=True))
    op.create_index("ix_reports_job_id", "reports", ["job_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_reports_job_id", table_name="reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("job_id")
