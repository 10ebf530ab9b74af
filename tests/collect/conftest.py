"""Fixtures for collector tests: a real HTTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import FIXTURES
from tests.fixture_server import FixtureServer


@pytest.fixture(scope="session")
def http_server() -> Iterator[FixtureServer]:
    """Serve tests/fixtures/ plus per-test routes from 127.0.0.1 on a free port.

    The server is shared by the whole session: register routes under
    ``http_server.unique_path(...)`` so tests do not see each other's requests.
    """
    with FixtureServer(directory=FIXTURES) as server:
        yield server


@pytest.fixture
def target_server() -> Iterator[FixtureServer]:
    """A fresh loopback server per test, for asserting that nothing reached it."""
    with FixtureServer() as server:
        yield server
