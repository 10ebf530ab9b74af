"""The verifier: a model's statement is kept only when its cited evidence bears it out.

Each statement a writing backend returns cites evidence ids (``E1``, ``E2`` ...) of the
evidence pack it was written from. It is kept when, in this order:

1. **citations** — it cites at least one id, and every id it cites is in the pack
   (``no_citation``, ``missing_citation``);
2. **dates** — every date it names (``3 May``, ``May 3``, ``2026-05-03``, a weekday) is in the
   cited evidence, in English, Russian or Mongolian wording, or is the publication day of a
   cited item; a date that is not, and falls outside the report's period, fails as
   ``out_of_period``, any other as ``date``;
3. **numbers** — every number it names (digits, or the words one to twenty) is in the cited
   evidence (``number``); "1,200" and "1200" are one number;
4. **names** — every capitalised word that does not open the sentence is in the cited
   evidence, compared after transliteration (Ж.Сүхбаатар meets "J. Sukhbaatar") and by its
   first five letters, so "Mongolia" meets "Mongolian" (``name``); the names given as
   ``known`` (the country) pass;
5. **meaning** — the cosine of the statement to the closest cited evidence item, by the
   packaged multilingual embedder (:mod:`watchfloor.enrich.embed`), reaches the threshold
   (``meaning``): ``[backends.openai] similarity`` when a cited item is in English,
   ``similarity_cross`` when all are in another language (a translation). Both were chosen
   on the dev half of the verifier's labelled statements
   (``tests/backends/verifier_cases.py``); docs/llm.md gives the figures on the test half.

The checks are the same for a translation: its evidence is the original text. A
translation must first be plausible as one (:func:`check_translation`): its length in
letters within ``MIN_TRANSLATION_RATIO`` to ``MAX_TRANSLATION_RATIO`` of its original's
(``length``), and every number of the original kept (``dropped_number``). A fixed or
generic answer ("Translated text") can pass the meaning check for a short headline, where
the embedder's cosines across languages are loose; it does not pass these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from watchfloor.models.analysis import Key
from watchfloor.text import ALL_STOPWORDS, NAME, romanize, strip_marks

__all__ = [
    "DEFAULT_SIMILARITY",
    "DEFAULT_SIMILARITY_CROSS",
    "MAX_TRANSLATION_RATIO",
    "MIN_TRANSLATION_RATIO",
    "Claim",
    "Evidence",
    "Verdict",
    "Verifier",
    "check_translation",
    "dates_in",
    "names_in",
    "numbers_in",
]

#: The thresholds chosen on the labelled statements (docs/llm.md, "The verifier"): for a
#: statement checked against evidence in English, and against evidence in another language
#: (a translation), where the embedder's cosines run lower for every statement.
DEFAULT_SIMILARITY = 0.89
DEFAULT_SIMILARITY_CROSS = 0.79

#: The bounds of a translation's length over its original's, in letters and digits, an
#: ideograph counting as 3 and a Hangul or kana character as 2 (an English rendering of one
#: takes about that many letters). Translations of Mongolian headlines written for the
#: tests run 0.74 to 1.40; a translation that drops half its original, or pads it, is no
#: translation. The upper bound has a slack of 12 letters for abbreviations ("ЗГ":
#: "the government").
MIN_TRANSLATION_RATIO = 0.5
MAX_TRANSLATION_RATIO = 2.5
_RATIO_SLACK = 12

#: texts -> an (n, dim) array of L2-normalised rows (numpy, from the nlp extra's embedder)
Embed = Callable[[Sequence[str]], Any]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One item of an evidence pack: an article's title or key sentence, with its id."""

    id: str
    key: Key
    text: str
    language: str = "en"
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement the model wrote and the evidence ids it cites."""

    text: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a claim is kept, why not, and its closest similarity to its evidence."""

    kept: bool
    reason: str
    similarity: float = 0.0
    detail: str = ""


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            "january jan январ января январь 1-р",
            "february feb феврал февраля февраль",
            "march mar марта март",
            "april apr апреля апрель",
            "may мая май",
            "june jun июня июнь",
            "july jul июля июль",
            "august aug августа август",
            "september sep sept сентября сентябрь",
            "october oct октября октябрь",
            "november nov ноября ноябрь",
            "december dec декабря декабрь",
        ]
    )
    for m in names.split()
}
_WEEKDAYS = {
    d: i
    for i, names in enumerate(
        [
            "monday понедельник даваа",
            "tuesday вторник мягмар",
            "wednesday среда лхагва",
            "thursday четверг пүрэв",
            "friday пятница баасан",
            "saturday суббота бямба",
            "sunday воскресенье ням",
        ]
    )
    for d in names.split()
}
_EN_MONTH = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_RU_MONTH = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_EN_MONTH}|{_RU_MONTH})\b\.?", re.I
)
_MONTH_DAY = re.compile(rf"\b({_EN_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)
_ISO = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
# Mongolian: "5 сарын 3", "5-р сарын 3-ны", "5-р сарын 3-нд", "тавдугаар сарын 3"
_MN_DATE = re.compile(r"\b(\d{1,2})(?:-р|-н|-ийн|-ын)?\s+сар(?:ын)?\s+(\d{1,2})", re.I)
_MN_ORDINAL = {
    "нэгдүгээр": 1,
    "хоёрдугаар": 2,
    "гуравдугаар": 3,
    "дөрөвдүгээр": 4,
    "тавдугаар": 5,
    "зургадугаар": 6,
    "долдугаар": 7,
    "наймдугаар": 8,
    "есдүгээр": 9,
    "аравдугаар": 10,
    "арван нэгдүгээр": 11,
    "арван хоёрдугаар": 12,
}
_MN_WORD_DATE = re.compile(
    r"(" + "|".join(sorted(_MN_ORDINAL, key=len, reverse=True)) + r")\s+сар(?:ын)?\s+(\d{1,2})",
    re.I,
)
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:[ ,]\d{3})+(?!\d)|(?<![\w])\d+(?:\.\d+)?")
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_ORDINAL_WORDS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
        "twentieth".split()
    )
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_NOT_NAMES = frozenset(
    # Capitalised English words that are titles and parts of institutions' names, not
    # names: a translation writes them in English where the original has its own words.
    "i mr mrs ms dr the a an in on at of and or but as by for to from with this that these "
    "those it its he she they we his her their our government ministry minister police "
    "president prime parliament court army state national city province agency authority "
    "office department council committee bureau service services general central chief "
    "head deputy mayor governor anti corruption emergency emergencies management "
    "intelligence defence defense foreign affairs justice health energy finance border "
    "customs armed forces supreme constitutional assembly party bank company corporation "
    "university school hospital plant power thermal station avenue square street road "
    "river lake north south east west northern southern eastern western central "
    "international public republic district soum aimag capital airport railway".split()
)


def dates_in(text: str) -> set[tuple[int, int]]:
    """(month, day) pairs *text* names, in English, Russian or Mongolian wording."""
    out: set[tuple[int, int]] = set()
    for day, month in _DAY_MONTH.findall(text):
        out.add((_MONTHS[month.lower().rstrip(".")], int(day)))
    for month, day in _MONTH_DAY.findall(text):
        out.add((_MONTHS[month.lower().rstrip(".")], int(day)))
    for _, month, day in _ISO.findall(text):
        out.add((int(month), int(day)))
    for month, day in _MN_DATE.findall(text):
        out.add((int(month), int(day)))
    for word, day in _MN_WORD_DATE.findall(text):
        out.add((_MN_ORDINAL[word.lower()], int(day)))
    return {(m, d) for m, d in out if 1 <= m <= 12 and 1 <= d <= 31}


def _date_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in (_DAY_MONTH, _MONTH_DAY, _ISO, _MN_DATE, _MN_WORD_DATE):
        spans.extend(m.span() for m in pattern.finditer(text))
    return spans


def numbers_in(text: str) -> set[float]:
    """Numbers *text* names, apart from the day numbers of its dates and its years."""
    spans = _date_spans(text)
    out: set[float] = set()
    for match in _NUMBER.finditer(text):
        if any(lo <= match.start() < hi for lo, hi in spans):
            continue
        raw = match.group(0).replace(",", "").replace(" ", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        if _YEAR.fullmatch(raw):
            continue
        out.add(value)
    for word in _WORD.findall(text.lower()):
        if word in _NUMBER_WORDS:
            out.add(float(_NUMBER_WORDS[word]))
        elif word in _ORDINAL_WORDS and word != "second":  # "a second" is no figure
            out.add(float(_ORDINAL_WORDS[word]))
    return out


def _letters(text: str) -> float:
    """Letters and digits of *text*, each weighted by how many English letters it takes."""
    total = 0.0
    for ch in text:
        if not ch.isalnum():
            continue
        code = ord(ch)
        if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
            total += 3  # CJK ideographs
        elif 0xAC00 <= code <= 0xD7AF or 0x3040 <= code <= 0x30FF:
            total += 2  # Hangul syllables, kana
        else:
            total += 1
    return total


def check_translation(original: str, translation: str) -> Verdict | None:
    """Why *translation* cannot be a translation of *original* (None: it may be one).

    Its length in letters must lie within ``MIN_TRANSLATION_RATIO`` and
    ``MAX_TRANSLATION_RATIO`` of the original's (``length``), and every number the original
    names, in digits, must be in it, in digits or words (``dropped_number``). The
    :class:`Verifier` then checks it against the original like any statement.
    """
    have, want = _letters(translation), _letters(original)
    if want and not (
        MIN_TRANSLATION_RATIO * want <= have <= MAX_TRANSLATION_RATIO * want + _RATIO_SLACK
    ):
        return Verdict(False, "length", detail=f"{have:g} letters for {want:g}")
    kept = numbers_in(translation)
    for number in sorted(numbers_in(original)):
        if number not in kept:
            return Verdict(False, "dropped_number", detail=f"{number:g}")
    return None


def _fold(word: str) -> str:
    return strip_marks(romanize(word.lower())).replace("'", "")


def names_in(text: str) -> list[str]:
    """Capitalised words of *text* that do not open it or a sentence in it (likely names)."""
    out = []
    for match in NAME.finditer(text):
        start = match.start()
        before = text[:start].rstrip()
        if not before or before[-1] in ".!?:\"'«“(":
            # A sentence opener is a name only when it is no ordinary word.
            word = match.group(0)
            if word.lower() in ALL_STOPWORDS or word.lower() in _NOT_NAMES:
                continue
            if not before:
                continue
        for part in re.split(r"[-']", match.group(0)):
            low = part.lower()
            if len(part) < 2 or low in _NOT_NAMES or low in ALL_STOPWORDS:
                continue
            if low in _MONTHS or low in _WEEKDAYS or low in _NUMBER_WORDS:
                continue
            out.append(part)
    return out


def _tokens(text: str) -> set[str]:
    return {_fold(w) for w in _WORD.findall(text)}


def _name_found(name: str, tokens: set[str]) -> bool:
    folded = _fold(name)
    if folded in tokens:
        return True
    stem = folded[:5]
    if len(folded) >= 4:
        return any(len(t) >= 4 and (t.startswith(stem) or folded.startswith(t[:5])) for t in tokens)
    return False


class Verifier:
    """Check a model's claims against the evidence pack they were written from.

    Args:
        evidence: the pack's items by id.
        period: the report's first and last day (dates outside fail as ``out_of_period``).
        embed: texts → L2-normalised rows; :func:`watchfloor.enrich.embed.embed_texts` by
            default. None switches the meaning check off (tests of the other checks only).
        threshold: the least cosine to the closest cited item, when one is in English.
        cross_threshold: the same when every cited item is in another language.
        known: names that pass without evidence (the country's name).
    """

    def __init__(
        self,
        evidence: Mapping[str, Evidence],
        *,
        period: tuple[date, date] | None = None,
        embed: Embed | None = None,
        threshold: float = DEFAULT_SIMILARITY,
        cross_threshold: float = DEFAULT_SIMILARITY_CROSS,
        known: Sequence[str] = (),
        use_meaning: bool = True,
    ) -> None:
        self.evidence = dict(evidence)
        self.period = period
        self.threshold = threshold
        self.cross_threshold = cross_threshold
        self._embed = embed
        self._use_meaning = use_meaning
        self._known = {_fold(k) for name in known for k in _WORD.findall(name)}
        self._vectors: dict[str, Any] = {}

    def _embedder(self) -> Embed:
        if self._embed is None:
            from watchfloor.enrich.embed import embed_texts, use_engine_threads

            # One engine thread: the verifier runs beside a model server (or other work)
            # on the same cores, where a second OpenMP thread only waits (enrich/embed.py).
            use_engine_threads(1)
            self._embed = embed_texts
        return self._embed

    def similarity(self, text: str, cites: Sequence[str]) -> float:
        """Cosine of *text* to the closest of the cited evidence items."""
        embed = self._embedder()
        todo = [c for c in cites if c not in self._vectors]
        if todo:
            rows = embed([self.evidence[c].text for c in todo])
            for c, row in zip(todo, rows, strict=True):
                self._vectors[c] = row
        query = embed([text])[0]
        return max(float(query @ self._vectors[c]) for c in cites)

    def check(self, claim: Claim) -> Verdict:
        """The verdict on one claim (see the module's docstring for the checks)."""
        cites = tuple(dict.fromkeys(c.strip() for c in claim.cites if c.strip()))
        if not cites:
            return Verdict(False, "no_citation")
        missing = [c for c in cites if c not in self.evidence]
        if missing:
            return Verdict(False, "missing_citation", detail=", ".join(missing))
        cited = [self.evidence[c] for c in cites]
        body = " ".join(e.text for e in cited)
        verdict = self._check_dates(claim.text, body, cited)
        if verdict is not None:
            return verdict
        have = numbers_in(body)
        for number in sorted(numbers_in(claim.text)):
            if number not in have:
                return Verdict(False, "number", detail=f"{number:g}")
        tokens = _tokens(body)
        for name in names_in(claim.text):
            if _fold(name) in self._known or _name_found(name, tokens):
                continue
            return Verdict(False, "name", detail=name)
        if not self._use_meaning:
            return Verdict(True, "ok")
        score = self.similarity(claim.text, cites)
        english = any(e.language in ("en", "und") for e in cited)
        bar = self.threshold if english else self.cross_threshold
        if score < bar:
            return Verdict(False, "meaning", score, f"{score:.3f} < {bar:.2f}")
        return Verdict(True, "ok", score)

    def _check_dates(self, text: str, body: str, cited: Sequence[Evidence]) -> Verdict | None:
        said = dates_in(text)
        have = dates_in(body)
        published = {e.published for e in cited if e.published is not None}
        have |= {(d.month, d.day) for d in published}
        for month, day in sorted(said):
            if (month, day) in have:
                continue
            if self.period is not None and not self._in_period(month, day):
                return Verdict(False, "out_of_period", detail=f"{month}/{day}")
            return Verdict(False, "date", detail=f"{month}/{day}")
        weekdays = {m.lower() for m in _WEEKDAY.findall(body)}
        allowed = {_WEEKDAYS[w] for w in weekdays} | {d.weekday() for d in published}
        for word in _WEEKDAY.findall(text):
            if _WEEKDAYS[word.lower()] not in allowed:
                return Verdict(False, "date", detail=word)
        years = set(_YEAR.findall(body)) | {str(d.year) for d in published}
        if self.period is not None:
            years |= {str(self.period[0].year), str(self.period[1].year)}
        for year in _YEAR.findall(text):
            if year not in years:
                return Verdict(False, "out_of_period", detail=year)
        return None

    def _in_period(self, month: int, day: int) -> bool:
        assert self.period is not None
        lo, hi = self.period
        d = lo
        while d <= hi:
            if (d.month, d.day) == (month, day):
                return True
            d += timedelta(days=1)
        return False
