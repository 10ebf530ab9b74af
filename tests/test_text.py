"""The text toolkit: one splitter, one set of stop words per language, stems, names."""

from __future__ import annotations

import itertools

import pytest

from watchfloor.text import (
    ALL_STOPWORDS,
    CORE_STOPWORDS,
    MATCH_STEM,
    NAME,
    STEM,
    STOPWORDS,
    centroid,
    cosine,
    proper_names,
    romanize,
    sentence_spans,
    split_sentences,
    stem,
    stems,
    tfidf,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lt. Col. J. Smith met Gen. Batbayar in the U.S. capital. Talks ended at 5 p.m. "
            "Monday. A statement followed.",
            [
                "Lt. Col. J. Smith met Gen. Batbayar in the U.S. capital.",
                "Talks ended at 5 p.m. Monday.",
                "A statement followed.",
            ],
        ),
        (
            # Mongolian: initials before a name, "т.б." (etc.) and "ж.нь" (e.g.)
            "Ерөнхийлөгч У. Хүрэлсүх Д. Амарбаясгалантай уулзав. Мал, тэжээл т.б. "
            "Хэрэгцээтэй зүйл ирсэн. Ж.нь. Говь-Алтай аймаг. Шинэ санал гарлаа!",
            [
                "Ерөнхийлөгч У. Хүрэлсүх Д. Амарбаясгалантай уулзав.",
                "Мал, тэжээл т.б. Хэрэгцээтэй зүйл ирсэн.",
                "Ж.нь. Говь-Алтай аймаг.",
                "Шинэ санал гарлаа!",
            ],
        ),
        (
            # Russian: "г." (year), "т.е." (that is), "ул." (street), an initial
            "Встреча прошла в 2024 г. В Москве, т.е. В столице. Адрес: ул. Ленина. "
            "Заявил В. Путин. Всё?",
            [
                "Встреча прошла в 2024 г. В Москве, т.е. В столице.",
                "Адрес: ул. Ленина.",
                "Заявил В. Путин.",
                "Всё?",
            ],
        ),
    ],
)
def test_splitter_keeps_abbreviations_and_initials(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_a_lower_case_continuation_does_not_start_a_sentence() -> None:
    text = "Prices rose 3 pct. in April. Analysts expect more."
    assert split_sentences(text) == ["Prices rose 3 pct. in April.", "Analysts expect more."]


def test_closing_quotes_stay_with_their_sentence_and_lines_break() -> None:
    text = 'He said: "We will go." Then he left.\nNew line without a stop\n\n  Last one. '
    assert split_sentences(text) == [
        'He said: "We will go."',
        "Then he left.",
        "New line without a stop",
        "Last one.",
    ]


def test_spans_index_the_text_exactly() -> None:
    text = "  First one, with Dr. Bold.  Second?\n\nThird (from U.N. sources) ends here.  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "First one, with Dr. Bold.",
        "Second?",
        "Third (from U.N. sources) ends here.",
    ]
    for a, b in spans:
        assert text[a:b] == text[a:b].strip()
    assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(spans))
    assert sentence_spans("") == []
    assert sentence_spans("   \n ") == []


def test_stopwords_one_set_per_language_with_a_core() -> None:
    assert set(STOPWORDS) == {"en", "ru", "mn"}
    for lang, words in STOPWORDS.items():
        assert CORE_STOPWORDS[lang] <= words
        assert words <= ALL_STOPWORDS
    assert {"the", "said", "told", "year"} <= STOPWORDS["en"]
    assert {"это", "который", "сообщил"} <= STOPWORDS["ru"]
    assert {"болон", "мэдээлэв", "монгол"} <= STOPWORDS["mn"]
    # The core is what sentence scoring drops; the rest only clustering.
    assert "told" not in CORE_STOPWORDS["en"] and "the" in CORE_STOPWORDS["en"]


def test_stems_cut_words_and_drop_core_stopwords_and_numbers() -> None:
    assert STEM == 6 and MATCH_STEM == 5
    assert stem("ministries") == "minist" == stem("ministry")
    assert stem("khurelsukhiin", MATCH_STEM) == "khure"
    assert stems("The ministries said 42 soldiers and the ministry met") == [
        "minist",
        "soldie",
        "minist",
        "met",
    ]
    assert stems("Министерства и министерство", length=MATCH_STEM) == ["минис", "минис"]


def test_name_pattern_and_proper_names() -> None:
    assert NAME.findall("met Хүрэлсүх and O'Neil-Smith in Өлгий") == [
        "Хүрэлсүх",
        "O'Neil-Smith",
        "Өлгий",
    ]
    text = 'Officials met Batbold in Ulaanbaatar. Then "Quoted" words: Not names, but NATO is.'
    assert proper_names(text) == ["Batbold", "Ulaanbaatar", "NATO"]
    assert proper_names("Зөвлөлдөх уулзалтад У.Хүрэлсүх оролцов") == ["У"]


def test_romanize_meets_english_spellings() -> None:
    assert romanize("хүрэлсүх") == "khurelsukh"
    assert romanize("цогтбаатар") == "tsogtbaatar"
    assert romanize("tögrög") == "togrog"


def test_tfidf_vectors_are_unit_and_comparable() -> None:
    docs = [stems("Fire in Khovd province"), stems("Khovd fire contained"), stems("Cyber attack")]
    vecs = tfidf(docs)
    for v in vecs:
        assert abs(sum(x * x for x in v.values()) - 1.0) < 1e-9
    assert cosine(vecs[0], vecs[1]) > cosine(vecs[0], vecs[2]) == 0.0
    center = centroid(vecs[:2])
    assert cosine(center, vecs[0]) > 0.5
