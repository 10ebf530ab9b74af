"""Fixtures for the watch floor's tests: real loopback HTTP servers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixture_server import FixtureServer


@pytest.fixture
def feed_server() -> Iterator[FixtureServer]:
    """A fresh loopback server per test."""
    with FixtureServer() as server:
        yield server
