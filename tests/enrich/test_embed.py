"""Embedding wrapper: shape, normalisation, empty texts, prefixes, batching."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from watchfloor.enrich.embed import (
    DIM,
    LEAD_CHARS,
    embed_texts,
    get_model,
    lead_text,
    use_engine_threads,
)
from watchfloor.errors import EnrichError


def test_rows_are_unit_length_and_shaped() -> None:
    vecs = embed_texts(["Border talks resume", "Засгийн газар шийдвэр гаргав"])
    assert vecs.shape == (2, DIM)
    assert vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_empty_and_blank_texts_get_zero_rows() -> None:
    vecs = embed_texts(["", "Earthquake hits the capital", "   "])
    assert not vecs[0].any()
    assert not vecs[2].any()
    assert np.isclose(np.linalg.norm(vecs[1]), 1.0, atol=1e-4)
    assert embed_texts([]).shape == (0, DIM)


def test_existing_prefix_is_not_doubled() -> None:
    bare, prefixed = embed_texts(
        ["Troops hold joint exercise", "query: Troops hold joint exercise"]
    )
    assert np.allclose(bare, prefixed, atol=1e-5)


def test_query_and_passage_roles_differ() -> None:
    q = embed_texts(["Troops hold joint exercise"], kind="query")[0]
    p = embed_texts(["Troops hold joint exercise"], kind="passage")[0]
    assert not np.allclose(q, p, atol=1e-3)
    assert float(q @ p) > 0.8


def test_batching_does_not_change_results() -> None:
    texts = [f"Flood warning number {i} for the river basin" for i in range(5)]
    one = embed_texts(texts, batch_size=1)
    many = embed_texts(texts, batch_size=4)
    assert np.allclose(one, many, atol=1e-4)


def test_translations_are_closer_than_unrelated_texts() -> None:
    en, mn, other = embed_texts(
        ["The president visited China", "Ерөнхийлөгч Хятадад айлчиллаа", "Heavy snow closed roads"]
    )
    assert float(en @ mn) > float(en @ other)


def test_model_is_loaded_once() -> None:
    assert get_model() is get_model()


def test_engine_threads_per_calling_thread_keep_the_vectors() -> None:
    texts = [f"Herders move livestock ahead of the storm, report {i}" for i in range(6)]
    default = embed_texts(texts)
    with ThreadPoolExecutor(max_workers=1, initializer=use_engine_threads, initargs=(1,)) as pool:
        single = pool.submit(embed_texts, texts).result()
    assert np.allclose(default, single, atol=1e-5)
    with pytest.raises(EnrichError, match="at least 1"):
        use_engine_threads(0)


def test_lead_text_is_title_then_the_start_of_the_body() -> None:
    body = "Ulaanbaatar. " + "Snow fell across the capital overnight. " * 20
    lead = lead_text("Snow in the capital", body)
    assert lead.startswith("Snow in the capital. Ulaanbaatar. Snow fell")
    assert len(lead) <= len("Snow in the capital. ") + LEAD_CHARS
    assert lead_text("", body, 12) == "Ulaanbaatar"  # no title: no joining full stop
    assert lead_text("Title only", "") == "Title only"
