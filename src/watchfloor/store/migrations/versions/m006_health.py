"""Source health and watched countries: when each source is next tried (backoff after a
failure), which fetch policy refused it, and the countries whose reports run on a schedule.

Append-only: once released, never edit this file; add a new migration instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from watchfloor.store.schema import UTCDateTime

revision = "m006"
down_revision = "m005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, never a batch copy of ``sources``: on SQLite a copy
    # drops and recreates the table, and with foreign keys on, dropping it sets every
    # article's source_id to NULL (ON DELETE SET NULL). Nullable columns keep it an ALTER.
    op.add_column("sources", sa.Column("next_attempt_at", UTCDateTime, nullable=True))
    op.add_column("sources", sa.Column("refused_policy", sa.Text, nullable=True))
    op.create_table(
        "watches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("cron", sa.Text, nullable=False),
        sa.Column("timezone", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_fire_at", UTCDateTime),
        sa.Column("last_report_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_watches"),
        sa.UniqueConstraint("country", name="uq_watches_country"),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("delivered_at", UTCDateTime),
        sa.Column("delivery_error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.UniqueConstraint("report_id", "kind", name="uq_alerts_report_id_kind"),
    )


def downgrade() -> None:
    op.drop_table("alerts")
    op.drop_table("watches")
    op.drop_column("sources", "refused_policy")
    op.drop_column("sources", "next_attempt_at")
