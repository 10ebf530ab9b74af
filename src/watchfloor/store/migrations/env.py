"""Alembic environment: runs on the connection watchfloor hands it."""

from __future__ import annotations

from alembic import context

from watchfloor.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table="_migrations",
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
