"""Categories: taxonomy file, multilingual scoring, batch API, measured macro-F1."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import FIXTURES
from watchfloor.enrich.categorize import (
    OTHER,
    Categorizer,
    categorize,
    categorize_many,
    get_categorizer,
    load_taxonomy,
    macro_f1,
)
from watchfloor.enrich.embed import embed_texts, lead_text
from watchfloor.errors import EnrichError

LABELLED = [
    json.loads(line)
    for line in (FIXTURES / "enrich" / "categorize_labelled.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]
EXPECTED_IDS = {
    "diplomacy", "military_defence", "cyber", "terrorism_armed_violence", "crime",
    "border_trade", "economy", "energy_infrastructure", "domestic_politics_unrest",
    "disaster_public_health", "other",
}  # fmt: skip


def test_packaged_taxonomy_has_every_category_with_keywords_in_four_languages() -> None:
    taxonomy = load_taxonomy()
    assert set(taxonomy.ids) == EXPECTED_IDS
    for cat in taxonomy.categories:
        assert 0.0 <= cat.severity <= 1.0
        assert cat.description
        assert {"en", "mn", "ru", "zh"} <= set(cat.keywords)
    assert taxonomy.get("other").severity == 0.0


def test_invalid_taxonomy_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "taxonomy.toml"
    bad.write_text('[[category]]\nid = "x"\nlabel = "X"\n', encoding="utf-8")
    with pytest.raises(EnrichError, match="needs id, label, description and severity"):
        load_taxonomy(bad)


def test_taxonomy_without_fallback_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.toml"
    path.write_text(
        '[[category]]\nid = "x"\nlabel = "X"\ndescription = "x"\nseverity = 0.5\n',
        encoding="utf-8",
    )
    with pytest.raises(EnrichError, match="fallback category 'other'"):
        load_taxonomy(path)


@pytest.mark.parametrize(
    ("title", "text", "language", "expected"),
    [
        ("Floods kill three in the capital", "Families evacuated.", "en", "disaster_public_health"),
        ("Хил дээр цэргийн хамтарсан сургуулилалт эхэллээ", "", "mn", "military_defence"),
        ("Хакеры взломали базу данных министерства", "Утечка данных.", "ru", "cyber"),
        ("警方逮捕了涉嫌走私毒品的嫌疑人", "", "zh", "crime"),
    ],
)  # fmt: skip
def test_top_category_is_right_in_each_language(
    title: str, text: str, language: str, expected: str
) -> None:
    scores = categorize(title, text, language=language)
    assert scores[0].category == expected
    assert 0.0 < scores[0].confidence <= 1.0


def test_sport_story_is_other() -> None:
    scores = categorize("Wrestlers win gold at the national championship", "", language="en")
    assert [s.category for s in scores] == [OTHER]


def test_empty_article_is_other() -> None:
    assert [s.category for s in categorize("", "", language="und")] == [OTHER]


def test_batch_results_match_single_calls_and_accept_shared_vectors() -> None:
    articles = [(item["title"], item["text"]) for item in LABELLED[:6]]
    batch = categorize_many(articles)
    assert batch == [categorize(t, x) for t, x in articles]
    vectors = embed_texts([lead_text(t, x) for t, x in articles])
    assert categorize_many(articles, vectors=vectors) == batch
    with pytest.raises(EnrichError, match="vectors for"):
        categorize_many(articles, vectors=vectors[:2])


def test_embedding_text_is_title_and_lead() -> None:
    body = " ".join(f"w{i}" for i in range(100))
    assert lead_text("Title", body, lead_chars=8) == "Title. w0 w1 w2"
    assert lead_text("Title", "Title. w0 w1", lead_chars=200) == "Title. w0 w1"
    assert lead_text("", "", lead_chars=8) == ""


def test_macro_f1_counts_each_label_once() -> None:
    gold = [["a"], ["b"], ["a", "b"]]
    assert macro_f1(gold, gold, ["a", "b"]) == 1.0
    assert macro_f1(gold, [["b"], ["a"], []], ["a", "b"]) == 0.0


def _f1_on(half: int) -> float:
    cat: Categorizer = get_categorizer()
    items = [it for i, it in enumerate(LABELLED) if i % 2 == half]
    predicted = cat.categorize_many([(it["title"], it["text"]) for it in items])
    return macro_f1(
        [it["labels"] for it in items],
        [[s.category for s in row] for row in predicted],
        cat.taxonomy.ids,
    )


def test_labelled_set_is_large_enough_and_multilingual() -> None:
    assert len(LABELLED) >= 60
    assert {it["language"] for it in LABELLED} >= {"en", "mn", "ru"}


def test_macro_f1_on_held_out_half() -> None:
    # Parameters were tuned on the even lines (dev); the odd lines (test) were not used.
    # Measured: dev 0.974, test 0.987 (see docs/taxonomy.md); assert with a margin.
    assert _f1_on(0) >= 0.9
    assert _f1_on(1) >= 0.85


def test_keywords_alone_do_not_need_the_model_vote() -> None:
    cat = get_categorizer()
    hits = cat.keyword_hits("Protesters rally against the government", "")
    assert hits[cat.taxonomy.ids.index("domestic_politics_unrest")] >= 2
    assert np.count_nonzero(hits) >= 1
