"""Floors for story clustering on real corpora (skipped when ../shared/corpora is absent).

The floors sit a little under what benchmarks/bench_cluster.py measured on the test halves
(docs/clustering.md), so a change that makes clustering clearly worse fails here. To stay
under 20 s these run without embeddings (embedding the SemEval leads takes minutes on 2
cores): they guard the lexical, name and near-duplicate signals; the bench measures the rest.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

from tests.conftest import REPO, load_script, need_corpus
from watchfloor.enrich.cluster import DEFAULT_CONFIG, StoryClusterer

pytestmark = pytest.mark.corpus


def bench() -> ModuleType:
    """Import benchmarks/bench_cluster.py, which holds the loaders and the metrics."""
    return load_script(REPO / "benchmarks" / "bench_cluster.py")


class NoEmbeddings:
    """Stands in for the bench's embedding cache: all-zero rows, which the clusterer reads
    as "no embedding" (a zero vector cannot be normalised)."""

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.zeros((len(texts), 384), dtype=np.float32)


def load_pairs(b: ModuleType) -> list:
    need_corpus("semeval2022-task8-pairs")
    return b.load_semeval("test", NoEmbeddings())


def test_semeval_lexical_similarity_correlates_with_gold() -> None:
    b = bench()
    pairs = load_pairs(b)
    scores = b.semeval_scores(pairs, DEFAULT_CONFIG)
    assert scores["n"] > 700
    # Measured without embeddings on the test half: r 0.589, ROC-AUC 0.853, accuracy 0.814
    # (r 0.413 before the word features read past the lead).
    assert scores["pearson"] >= 0.55
    assert scores["auc"] >= 0.80
    assert scores["accuracy"] >= 0.76


def test_mongolian_headlines_repeated_across_outlets_join_and_unrelated_do_not() -> None:
    need_corpus("mongolia-news-headlines")
    b = bench()
    rows = b.load_headlines(half="test")
    assert len(rows) > 900
    clusterer = StoryClusterer(embedder=None)
    assignment = clusterer.add([it for it, _ in rows])
    s = b.headline_scores(rows, assignment, clusterer.window)
    # Measured without embeddings on the test days: 21 of 23 groups whole, 5 of 236 joined
    # pairs sharing no content stem.
    assert s["groups"] >= 20
    assert s["groups_whole"] / s["groups"] >= 0.85
    assert s["unrelated_joined"] / max(1, s["joined_pairs"]) <= 0.06
