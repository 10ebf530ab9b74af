"""Local-language place words: when a gazetteer match in Mongolian, Russian or Chinese text
is a person, a grammar word or an ordinary word rather than the place of that spelling.

The English side (spaCy's labels, capitalisation) lives in :mod:`watchfloor.enrich.geoparse`;
text in other scripts has no NER, so these rules are what stands between a common word and
a province on the map.
"""

from __future__ import annotations

import re

#: Mongolian place names that are also ordinary words or common given names: alone they
#: are "centre" (Төв командлал, Төв цэнгэлдэх) or a person (Сүхбаатар). They count as
#: places only with a unit word after them ("Төв аймаг", "Сүхбаатар дүүрэг").
UNIT_REQUIRED_CYRILLIC = frozenset({"төв", "сүхбаатар"})
# An initial, optionally with the first half of a compound name: "Ж.", "Б.Энх-", "Б.ЭНХ-".
_CYRILLIC_INITIAL = re.compile(r"(?:^|[\s(«\"'])[А-ЯЁӨҮ]\.\s?(?:[А-ЯЁӨҮ][А-ЯЁӨҮа-яёөү]+-)?$")
#: The Mongolian plural particle after people's names ("… нарт", in capitals "НАРТ" in an
#: all-caps headline) is grammar, never the place of the same spelling.
NEVER_PLACES_CYRILLIC = frozenset({"нар", "нарт", "нарын", "нараас", "нартай"})
_CYRILLIC_UNIT_AFTER = re.compile(
    r"\S*\s+(?:аймаг|аймг|сум|дүүрэг|дүүргийн|хот|аймак|област|район)", re.IGNORECASE
)


def not_a_place_here(text: str, start: int, surface: str) -> bool:
    """A Cyrillic gazetteer match that is a person ("Ж.Сүхбаатар", "Б.Энх-Амгалан": an
    initial before it), a grammar word, or a common word that needs its unit word to be a
    place."""
    if _CYRILLIC_INITIAL.search(text[max(0, start - 24) : start]):
        return True
    word = surface.casefold()
    if word in NEVER_PLACES_CYRILLIC:
        return True
    if not any(word.startswith(name) for name in UNIT_REQUIRED_CYRILLIC):
        return False
    return _CYRILLIC_UNIT_AFTER.match(text, start) is None


__all__ = ["not_a_place_here"]
