"""Shared by the geoparser tests: one geoparser per test module."""

from __future__ import annotations

import pytest

from watchfloor.enrich.geoparse import Geoparser


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser()
