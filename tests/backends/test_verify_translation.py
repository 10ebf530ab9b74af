"""A machine translation is checked for being one before its meaning is compared: a fixed,
generic answer is refused, real translations are kept. Headlines and translations written
for watchfloor (not taken from any corpus)."""

from __future__ import annotations

import pytest

from watchfloor.backends.verify import (
    DEFAULT_SIMILARITY_CROSS,
    Claim,
    Evidence,
    Verifier,
    check_translation,
)

GENERIC = "Translated text"

#: Mongolian headlines and their English translations.
TRANSLATED = [
    (
        "Ерөнхий сайд өнөөдөр хэвлэлийн бага хурал хийнэ",
        "The prime minister will hold a press conference today",
    ),
    ("Хотын захиргаа шинэ журам баталлаа", "The city administration approved new rules"),
    ("Мэдээллийн технологийн үзэсгэлэн нээгдлээ", "An information technology exhibition opened"),
    ("Аймгуудад 15 шинэ сургууль ашиглалтад орлоо", "15 new schools opened in the provinces"),
    (
        "Төв банк бодлогын хүүг 2 нэгжээр бууруулав",
        "The central bank cut its policy rate by 2 points",
    ),
    ("Замын хөдөлгөөний осол 8 хувиар буурчээ", "Road traffic accidents fell by 8 percent"),
    ("Гал түймэрт 3 хүн нас барав", "Three people died in a fire"),
    ("Орчуулсан 5 бичвэр", "5 translated texts"),
    ("Текстийн 3 шинэ хэлбэр", "3 new forms of text"),
    ("Цахим бичиг 6 төрөл", "6 types of electronic documents"),
    ("Цаг агаар", "Weather"),
]


def _verdict(original: str, translation: str):  # type: ignore[no-untyped-def]
    """What the LLM analyst decides on a translation (analyze/writer.py): plausible as a
    translation, then verified against its original like any statement."""
    refused = check_translation(original, translation)
    if refused is not None:
        return refused
    evidence = {"E1": Evidence("E1", ("a", 1), original, "mn")}
    return Verifier(evidence, cross_threshold=DEFAULT_SIMILARITY_CROSS).check(
        Claim(translation, ("E1",))
    )


@pytest.mark.parametrize(("original", "translation"), TRANSLATED)
def test_a_real_translation_is_kept(original: str, translation: str) -> None:
    verdict = _verdict(original, translation)
    assert verdict.kept, verdict


@pytest.mark.parametrize(
    ("original", "reason"),
    [
        # the meaning check alone passed the generic answer for these (cosine >= 0.79)
        ("Мэдээллийн технологийн үзэсгэлэн нээгдлээ", "length"),
        ("Орчуулсан 5 бичвэр", "dropped_number"),
        ("Текстийн 3 шинэ хэлбэр", "dropped_number"),
        ("Цахим бичиг 6 төрөл", "dropped_number"),
        # and refused it for these on meaning: now the cheaper checks refuse it first
        ("Ерөнхий сайд өнөөдөр хэвлэлийн бага хурал хийнэ", "length"),
        ("Замын хөдөлгөөний осол 8 хувиар буурчээ", "length"),
    ],
)
def test_a_fixed_generic_answer_is_refused(original: str, reason: str) -> None:
    verdict = _verdict(original, GENERIC)
    assert not verdict.kept and verdict.reason == reason, verdict


def test_length_is_counted_in_letters_across_scripts() -> None:
    # An ideograph takes about three English letters: a faithful translation of a Chinese
    # headline is several times its length in characters and still fits.
    assert check_translation("蒙古国总统访问中国", "The president of Mongolia visits China") is None
    assert check_translation("蒙古国总统访问中国", "Visit") is not None
    # Padding is no translation either; an abbreviation may take a few words.
    assert check_translation("Шинэ хууль", "The new law " + "and much more " * 8).reason == "length"  # type: ignore[union-attr]
    assert check_translation("ЗГ", "The government") is None
    # Numbers the original names are kept, in digits or in words; years and dates aside.
    assert check_translation("Гал түймэрт 3 хүн нас барав", "Three people died in a fire") is None
    dropped = check_translation("Гал түймэрт 3 хүн нас барав", "People died in a fire")
    assert dropped is not None and dropped.reason == "dropped_number"
    assert (
        check_translation("2026 оны 6 сарын 3-нд үер болов", "A flood struck on June 3, 2026")
        is None
    )
