"""Alembic migrations for the store, applied by ``watchfloor init``."""
