"""Shared fixtures: paths to the evaluation corpora, a fresh store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", REPO.parent / "shared"))
CORPORA = SHARED / "corpora"
SEEDS = SHARED / "seeds"


def need_corpus(name: str) -> Path:
    """Return ../shared/corpora/NAME, or skip the test with a clear reason."""
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"evaluation corpus {name!r} not found at {path}: set WATCHFLOOR_SHARED")
    return path


def need_seeds() -> Path:
    """Return ../shared/seeds, or skip the test with a clear reason."""
    if not SEEDS.exists():
        pytest.skip(f"seed documents not found at {SEEDS}: set WATCHFLOOR_SHARED")
    return SEEDS
