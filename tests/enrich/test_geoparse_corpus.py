"""A quick end-to-end check on a sample of the EUPEG dev halves (even document indices)."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

from tests.conftest import SHARED, load_script, need_corpus
from watchfloor.enrich.geoparse import Geoparser

# Measured on this sample when the test was written; floors sit a little below.
FLOORS = {"LGL": 0.60, "GeoVirus": 0.66, "TR-News": 0.84, "GeoWebNews": 0.60, "GeoCorpora": 0.62}
SAMPLE_DOCS = {"LGL": 24, "GeoVirus": 16, "TR-News": 8, "GeoWebNews": 14, "GeoCorpora": 120}


def _scorer() -> ModuleType:
    path = SHARED / "tools" / "geoscore_lib.py"
    if not path.exists():
        pytest.skip(f"scorer {path} not found: set WATCHFLOOR_SHARED")
    return load_script(path)


@pytest.mark.corpus
@pytest.mark.parametrize("corpus", list(FLOORS))
def test_dev_sample_f1_at_161_km_stays_above_floor(corpus: str) -> None:
    root = need_corpus("eupeg-geoparsing")
    lib = _scorer()
    lines = (root / "texts" / f"{corpus}.jsonl").read_text(encoding="utf-8").split("\n")
    gold_lines = (
        (root / "gold" / f"{corpus}_gold.txt")
        .read_text(encoding="utf-8", errors="replace")
        .split("\n")
    )
    docs = [i for i in range(0, len(lines), 2) if i < len(gold_lines)][: SAMPLE_DOCS[corpus]]
    texts = [json.loads(lines[i])["text"] for i in docs]
    results = Geoparser().parse_many(texts)
    pred = [
        [
            {"surface": p.text, "lat": p.lat, "lon": p.lng, "start": p.start, "end": p.end}
            for p in places
        ]
        for places in results
    ]
    gold = [lib.parse_line(gold_lines[i]) for i in docs]
    scores = lib.score(gold, pred)
    assert scores["F1_161"] >= FLOORS[corpus], scores
