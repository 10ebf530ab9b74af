"""Language detection: scripts, Cyrillic orthographies, short titles, empty input."""

from __future__ import annotations

import html
import json

import pytest

from tests.conftest import need_corpus
from watchfloor.enrich.language import UNDETERMINED, detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The defence minister met his counterpart in Beijing on Tuesday.", "en"),
        ("Cabinet approves budget", "en"),
        ("Монгол Улсын Ерөнхийлөгч Хятадад төрийн айлчлал хийнэ", "mn"),
        ("Хурал эхэллээ", "mn"),
        ("Ерөнхийлөгч", "mn"),
        ("Президент Монголии посетит Китай", "ru"),
        ("Путин прибыл в Улан-Батор с официальным визитом", "ru"),
        ("中国外交部发言人表示双方将继续磋商", "zh"),
        ("東京で地震が発生しました", "ja"),
        ("Україна і Монголія підписали угоду", "uk"),
    ],
)
def test_language_is_detected(text: str, code: str) -> None:
    guess = detect_language(text)
    assert guess.code == code
    assert guess.confidence >= 0.5


def test_kazakh_letters_are_never_taken_for_mongolian() -> None:
    # Kazakh shares Ө and Ү with Mongolian; Қ, Ә, Ң, І must steer it away from "mn".
    guess = detect_language("Қазақстан Республикасының Президенті Өскемен қаласына келді")
    assert guess.code == "kk"


def test_kyrgyz_with_mongolian_like_letters_is_not_mongolian() -> None:
    assert detect_language("Кыргызстандын өкмөтү жаңы мыйзам кабыл алды").code != "mn"


@pytest.mark.parametrize("text", ["", "   ", "12345 !!", "https://example.org/a/b"])
def test_text_without_letters_is_undetermined(text: str) -> None:
    guess = detect_language(text)
    assert guess.code == UNDETERMINED
    assert guess.confidence == 0.0


def test_feed_hint_decides_an_ambiguous_word() -> None:
    assert detect_language("Talks").code == UNDETERMINED
    assert detect_language("Talks", hint="en-GB").code == "en"


@pytest.mark.corpus
def test_mongolian_headlines_are_detected_as_mongolian() -> None:
    root = need_corpus("mongolia-news-headlines")
    items = []
    for path in sorted((root / "daily").glob("*.json")):
        items.extend(json.loads(path.read_text(encoding="utf-8")))
    test_half = [html.unescape(it["title"]) for i, it in enumerate(items) if i % 2 == 1]
    hits = sum(detect_language(title).code == "mn" for title in test_half)
    # SOURCE.md: all but 3 of 2,312 titles are Mongolian Cyrillic.
    assert hits / len(test_half) >= 0.99
