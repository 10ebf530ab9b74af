"""Fixtures for the watch floor's tests: real loopback HTTP servers."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import _service_missing
from tests.fixture_server import FixtureServer


@pytest.fixture
def feed_server() -> Iterator[FixtureServer]:
    """A fresh loopback server per test."""
    with FixtureServer() as server:
        yield server


REDIS_URL = os.environ.get("WATCHFLOOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_url() -> str:
    """An emptied Redis database for a test's broker, or skip (fail under CI=true)."""
    try:
        import redis
    except ImportError as exc:  # pragma: no cover - the scale extra installs it
        _service_missing("Redis client (watchfloor[scale])", str(exc))
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        _service_missing(f"Redis at {REDIS_URL}", str(exc))
    return REDIS_URL
