"""The casualty count tries its toll patterns only on sentences holding one of the words
every match holds (``_KILLED_ANY``, ``_INJURED_ANY``): a word added to a toll pattern and
forgotten in the prefilter would drop tolls silently. Each branch of each pattern gets a
sentence of its own here, and every match must hold a prefilter word."""

from __future__ import annotations

import pytest

from watchfloor.analyze import casualties as c

KILLED = [
    "At least 12 civilians were killed in the raid.",
    "Three soldiers died when the convoy was hit.",
    "Some 40 villagers have been slain since March.",
    "Five passengers were massacred on the road north.",
    "Two guards were murdered at the gate.",
    "Nine workers lost their lives in the mine.",
    "The blast went off at noon, killing 7 people.",
    "The storm swept the coast, leaving 15 dead.",
    "The attack left 6 residents dead.",
    "The death toll has risen to 31.",
    "Officials gave a tally of 22 dead.",
    "В результате взрыва 8 человек погибли.",
    "Погибли не менее 4 человек.",
    "Жертвами стали более 11 человек.",
    "Осолд гурван хүн нас баржээ.",
    "Галд 2 хүүхэд амиа алдсан байна.",
    "Үерт таван хүн амь үрэгджээ.",
    "Халдлагад 3 цэрэг алагдсан.",
]
INJURED = [
    "Fourteen people were injured in the crash.",
    "At least 9 civilians were badly wounded.",
    "Two officers were hurt in the clashes.",
    "The bomb went off in the market, wounding 23.",
    "Пострадали 5 человек.",
    "12 человек ранены при обстреле.",
    "Ослын улмаас 4 хүн шархаджээ.",
    "Хоёр цэрэг гэмтжээ.",
    "Гурван хүүхэд бэртжээ.",
]


@pytest.mark.parametrize(
    ("sentences", "patterns", "prefilter"),
    [
        (KILLED, (c._KILLED_EN, c._KILLED_RU, c._KILLED_MN), c._KILLED_ANY),
        (INJURED, (c._INJURED_EN, c._INJURED_RU, c._INJURED_MN), c._INJURED_ANY),
    ],
    ids=["killed", "injured"],
)
def test_every_toll_match_holds_a_prefilter_word(
    sentences: list[str], patterns: tuple, prefilter
) -> None:
    for sentence in sentences:
        matches = [m.group(0) for p in patterns for m in p.finditer(sentence)]
        assert matches, f"no toll pattern matches {sentence!r}: add a branch or fix the text"
        for text in matches:
            assert prefilter.search(text), f"the prefilter misses {text!r} of {sentence!r}"


def test_the_count_with_the_prefilter_equals_trying_every_pattern() -> None:
    def unfiltered(sentence: str) -> tuple[int, int]:
        killed = max(c._largest(p, sentence) for p in (c._KILLED_EN, c._KILLED_RU, c._KILLED_MN))
        hurt = max(c._largest(p, sentence) for p in (c._INJURED_EN, c._INJURED_RU, c._INJURED_MN))
        return killed, hurt

    for sentence in KILLED + INJURED:
        got = c.count_casualties(sentence)
        assert (got.killed, got.injured) == unfiltered(sentence), sentence
        assert got.killed or got.injured, sentence
