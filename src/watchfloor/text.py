"""The one text toolkit: sentences, stop words, stems, names, romanisation, TF-IDF, guards.

Every stage that reads words uses these rules, so "a sentence", "a stop word" and "a name"
mean the same thing in the analyst, the date extractor and the story clusterer:

* :func:`sentence_spans` / :func:`split_sentences`: a sentence ends at ``.``, ``!``, ``?`` or
  ``。`` (with any closing quotes) followed by white space and then anything but a lower-case
  letter, or at a line break. A full stop after an abbreviation ("Lt.", "т.е.", "ж.нь."), an
  initial ("J.", "У.") or a dotted acronym ("U.N.") does not end one.
* :data:`STOPWORDS`: one set of function words and newsroom boilerplate per language
  ("en", "ru", "mn"); :data:`ALL_STOPWORDS` is their union. :data:`CORE_STOPWORDS` is the
  short core of each, which is all that sentence scoring drops (see there why).
* :func:`stem`: a word cut to a prefix. Two lengths are named because they serve two
  purposes and each was measured where it is used: :data:`STEM` (6) for TF-IDF of sentences
  within one language, which matches "ministries"/"ministry" and Cyrillic case endings, and
  :data:`MATCH_STEM` (5) for romanised words compared across languages and grammatical cases
  by the clusterer ("Khurelsukh" and "Хүрэлсүхийн").
* :data:`NAME` and :func:`proper_names`: a capitalised word (Latin or Cyrillic capitals),
  and those of them that do not open a sentence, which are likely proper names.
* :func:`romanize`: Mongolian-leaning transliteration of Cyrillic with accents dropped.

Two vector types have names that say which is which: :data:`SparseVector` (a dict of TF-IDF
weights, here) and ``Embedding`` (a numpy array of a language model, in
:mod:`watchfloor.enrich.cluster`).

Two guards keep hostile article text out of the report's own voice: text that addresses an
automated system ("ignore previous instructions...") and text with markup.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

LANGUAGE_NAMES = {
    "mn": "Mongolian",
    "ru": "Russian",
    "zh": "Chinese",
    "kk": "Kazakh",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "pt": "Portuguese",
    "ar": "Arabic",
}
"""English names of the languages the reports quote, by ISO 639-1 code."""

__all__ = [
    "ALL_STOPWORDS",
    "CAPITALS",
    "CORE_STOPWORDS",
    "LANGUAGE_NAMES",
    "MATCH_STEM",
    "NAME",
    "STEM",
    "STOPWORDS",
    "SparseVector",
    "centroid",
    "cosine",
    "has_markup",
    "is_instruction",
    "proper_names",
    "romanize",
    "sentence_spans",
    "split_sentences",
    "stem",
    "stems",
    "strip_marks",
    "tfidf",
]

STEM = 6
"""Stem length for TF-IDF of sentences in one language."""
MATCH_STEM = 5
"""Stem length for romanised words matched across languages (story clustering)."""

SparseVector = dict[str, float]
"""A TF-IDF vector: stem -> weight, unit length."""

CAPITALS = "A-ZА-ЯЁӨҮ"
"""Capital letters, as a regex character-class body, that may open a name."""
NAME = re.compile(rf"(?<!\w)[{CAPITALS}][\w'-]*")
"""A capitalised word."""
_SENTENCE_OPENERS = frozenset(".!?:\"'«“")
"""A capital after one of these (or at the start) opens a sentence, so says nothing of names."""

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# --------------------------------------------------------------------------- stop words

_CORE_TEXT = {
    "en": """a an the and or but of to in on at by for with from as is are was were be been being
        that this these those it its he she they them his her their we our you your i not no
        has have had will would shall should can could may might do does did than then so such
        also into over under about after before between during said says say according more
        most other some any all each which who whom whose what when where why how there here up
        out""",
    "ru": "и в во на с со по к о об от за из для что как это не но а же бы ли то",
    "mn": "ба болон нь юм байна байгаа энэ тэр гэж гэв гэлээ",
}
_MORE_TEXT = {
    "en": """theirs having doing through until while again against among another because both
        down further itself just once only same very year years last first week today told""",
    "ru": """этот эта эти того тому также который которые была было были будет быть после более
        между через когда только может даже чтобы если уже этого года году сообщил""",
    "mn": """байсан байдаг байх гэсэн бол ч оны онд хүртэл дээр доор бүх нэг хоёр болж болно
        бөгөөд учир тул мөн харин гэхдээ өдөр сарын хамт талаар тухай шинэ өнөөдөр холбогдох
        энэхүү бусад зэрэг гарагт дугаар дүгээр түүнчлэн мэдээлэв мэдээллээ мэдэгдлээ хэлэв
        байлаа боллоо байгуулна хийх иргэд иргэдийн хүмүүс олон улсын монгол""",
}
CORE_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in _CORE_TEXT.items()
}
"""The short core of each language's stop words: articles, pronouns, auxiliaries,
prepositions and "said". Sentence scoring (:func:`stems`) drops only these: it compares the
sentences of one story, where a wider list flips which of two close sentences or titles wins
without any measure saying the new pick is better."""
STOPWORDS: dict[str, frozenset[str]] = {
    lang: CORE_STOPWORDS[lang] | frozenset(_MORE_TEXT[lang].split()) for lang in _CORE_TEXT
}
"""Each language's stop words: the core, more function words and newsroom boilerplate
("told", "сообщил", "мэдээлэв"). Matching articles against each other (story clustering)
drops all of them."""
ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())
_CORE_ALL = frozenset().union(*CORE_STOPWORDS.values())


# --------------------------------------------------------------------------- romanisation

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ү": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g",
}  # fmt: skip
"""Mongolian-leaning romanisation: it matches how English-language outlets spell Mongolian
names (Khurelsukh, Enkhbold, Tsogtbaatar), which is what cross-language name matching needs."""
_TRANSLIT = str.maketrans(_CYRILLIC_TO_LATIN)


def strip_marks(text: str) -> str:
    """Decompose and drop combining marks, so "Tögrög" and "Togrog" meet.

    Cyrillic ө/ү are letters of their own (no decomposition) and pass through.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def romanize(text: str) -> str:
    """Transliterate lower-case Cyrillic to Latin and drop accents."""
    return strip_marks(text.translate(_TRANSLIT))


# --------------------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset(
    # English titles, months, Latin and company abbreviations
    "mr mrs ms dr prof gen lt col maj capt sgt st no vs etc inc ltd co corp jr sr gov sen rep"
    " jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m u.s u.n e.g i.e"
    # Russian: год(а), то есть, и так далее, и тому подобное, другие, имени, улица, например
    " г гг т.е т.д т.п др им ул напр проф ген"
    # Mongolian: тэргүүтэн бусад (etc.), жишээ нь (e.g.), гэх мэт (etc.)
    " т.б ж.нь г.м".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?。])([\"'”’»)]*)\s+|\n\s*\n|\n")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")


def _continues(word: str) -> bool:
    """True when a full stop after *word* is that of an abbreviation, not a sentence end."""
    word = word.lstrip("(\"'«“‘").lower()
    return (
        word in _ABBREVIATIONS
        or (len(word) == 1 and word.isalpha())
        or _DOTTED.fullmatch(word) is not None
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of each sentence of *text*, white space trimmed.

    ``text[start:end]`` is the sentence as written, closing quotes included.
    """
    return list(_sentence_spans(text))


@lru_cache(maxsize=4096)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    # Cached: a report splits each article's text several times (casualties, attacks,
    # summaries, credibility), and a busy week has thousands of them.
    spans: list[tuple[int, int]] = []
    begin: int | None = None  # start of the sentence being read
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(1) is not None:  # a full stop, not a line break
            nxt = text[m.end() : m.end() + 1]
            if nxt.islower():
                continue
            end = m.end(1)
        else:
            end = m.start()
        piece = text[pos:end]
        pos = m.end()
        if not piece.strip():
            continue
        if begin is None:
            begin = end - len(piece.lstrip())
        words = piece.rstrip("\"'”’») ").rsplit(None, 1)
        if m.group(1) is not None and words and words[-1].endswith("."):
            if _continues(words[-1].rstrip(".")):
                continue
        spans.append((begin, end - (len(piece) - len(piece.rstrip()))))
        begin = None
    if text[pos:].strip():
        tail = text[pos:]
        if begin is None:
            begin = pos + len(tail) - len(tail.lstrip())
        spans.append((begin, len(text.rstrip())))
    elif begin is not None:
        spans.append((begin, len(text[:pos].rstrip())))
    return tuple(spans)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (see :func:`sentence_spans` for the rules)."""
    return [text[a:b] for a, b in sentence_spans(text)]


# --------------------------------------------------------------------------- words


def stem(word: str, length: int = STEM) -> str:
    """Cut *word* to its first *length* characters (:data:`STEM` or :data:`MATCH_STEM`)."""
    return word[:length]


def stems(text: str, *, length: int = STEM) -> list[str]:
    """Lower-cased word stems of *text* without stop words or bare numbers."""
    out = []
    for w in _WORD.findall(text.lower()):
        if w in _CORE_ALL or w.isdigit() or len(w) < 2:
            continue
        out.append(stem(w, length))
    return out


def proper_names(text: str) -> list[str]:
    """Capitalised words of *text* that do not open a sentence: likely proper names.

    A capital at the start, or after a full stop, a colon or an opening quote, is read as a
    sentence opening and skipped.
    """
    out = []
    for match in NAME.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1].isspace():
            start -= 1
        if start and text[start - 1] not in _SENTENCE_OPENERS:
            out.append(match.group(0))
    return out


# --------------------------------------------------------------------------- guards

_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+)?"
    r"(?:previous|prior|above|earlier|preceding|your)\s+(?:instructions?|prompts?|rules|directions)"
    r"|\b(?:system|developer)\s+prompt\b"
    r"|\byou\s+are\s+(?:now\s+)?(?:an?\s+|the\s+)?(?:ai|assistant|chatbot|language\s+model|llm)\b"
    r"|\b(?:rate|set|change|raise|lower)\s+the\s+threat\s+level\b"
    r"|\bnew\s+instructions?\s*:"
    r"|\bas\s+an\s+ai\b",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|javascript:|\bon\w+\s*=", re.IGNORECASE)


def is_instruction(text: str) -> bool:
    """True when *text* addresses an automated system rather than reporting news."""
    return bool(_INSTRUCTION.search(text))


def has_markup(text: str) -> bool:
    """True when *text* carries HTML tags or script-like attributes."""
    return bool(_MARKUP.search(text))


def tfidf(
    docs: Sequence[Sequence[str]], df: Counter[str] | None = None, n: int = 0
) -> list[SparseVector]:
    """Unit TF-IDF vectors of token lists; *df*/*n* give document frequencies to reuse."""
    if df is None:
        df = Counter()
        for d in docs:
            df.update(set(d))
        n = len(docs)
    out: list[SparseVector] = []
    for d in docs:
        tf = Counter(d)
        vec = {
            t: (1 + math.log(c)) * math.log((1 + n) / (1 + df.get(t, 0)) + 1) for t, c in tf.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def cosine(a: SparseVector, b: SparseVector) -> float:
    """Cosine of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def centroid(vectors: Iterable[SparseVector]) -> SparseVector:
    """The normalised mean of unit vectors."""
    total: dict[str, float] = {}
    for v in vectors:
        for t, x in v.items():
            total[t] = total.get(t, 0.0) + x
    norm = math.sqrt(sum(x * x for x in total.values())) or 1.0
    return {t: x / norm for t, x in total.items()}
