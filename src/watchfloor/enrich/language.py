"""Detect the language of an article or a title, offline.

The statistical model is py3langid (a naive-Bayes classifier over byte n-grams, bundled
with the package). On its own it has two weaknesses for this project:

* with 140 candidate languages, a short English headline spreads its probability over
  creoles and minor languages ("The president visited Beijing" → en 0.17), so we restrict
  the candidates to the languages news sources realistically publish in;
* Mongolian, Russian, Kazakh and Kyrgyz share the Cyrillic alphabet, and a short title is
  often decided by one letter. Mongolian writes Ө/ө and Ү/ү but none of the Kazakh letters
  Ә Ғ Қ Ң Ұ Һ І, and Russian writes none of them, so letter evidence decides when present.

Han, kana and Hangul are decided by script alone: the n-gram model confuses Mandarin with
Wu and Cantonese, which for our purposes are all written Chinese ("zh").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from watchfloor.errors import EnrichError

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["UNDETERMINED", "LanguageGuess", "detect_language", "load_identifier"]

UNDETERMINED = "und"

# Languages a news feed plausibly carries; anything else stays out of the candidate set
# because it only steals probability mass from short texts.
CANDIDATES: tuple[str, ...] = (
    "af", "am", "ar", "az", "ba", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de",
    "el", "en", "es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "gu", "he", "hi", "hr",
    "hu", "hy", "id", "is", "it", "ja", "ka", "kk", "km", "kn", "ko", "ky", "lo", "lt",
    "lv", "mk", "ml", "mn", "mr", "ms", "mt", "my", "ne", "nl", "no", "pa", "pl", "ps",
    "pt", "ro", "ru", "si", "sk", "sl", "so", "sq", "sr", "sv", "sw", "ta", "te", "tg",
    "th", "tk", "tl", "tr", "tt", "ug", "uk", "ur", "uz", "vi", "zh",
)  # fmt: skip

# Prior odds of each language in a watch floor's intake: mostly English wire copy, then the
# languages of the countries watched first. A long text's likelihood swamps the prior; a
# five-word headline is decided by it when the n-grams are ambiguous ("Border talks resume":
# en 0.24, sv 0.21, da 0.20 before the prior).
PRIOR: dict[str, float] = {"en": 20.0, "ru": 8.0, "mn": 8.0, "zh": 8.0}
DEFAULT_PRIOR = 1.0
HINT_WEIGHT = 10.0
"""Extra prior weight for the language a feed declares (``hint``)."""

MIN_CONFIDENCE = 0.5
"""Below this normalised probability the guess is reported as "und"."""

MAX_CHARS = 3000
"""Only the first characters are classified: the language does not change mid-article,
and the classifier's cost is linear in length."""

_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
_MONGOLIAN_ONLY = frozenset("өүӨҮ")
_TURKIC_CYRILLIC = frozenset("әғқңұһіӘҒҚҢҰҺІ")  # kk, ky (ң), tt, ba: never Mongolian
_KAZAKH_ONLY = frozenset("әғқұһіӘҒҚҰҺІ")
_UKRAINIAN_ONLY = frozenset("їєґЇЄҐ")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """A language code (ISO 639-1, or "und") and the confidence in it, 0 to 1."""

    code: str
    confidence: float

    @property
    def known(self) -> bool:
        return self.code != UNDETERMINED


def load_identifier() -> LanguageIdentifier:
    """Load the bundled py3langid model, restricted to CANDIDATES; callers keep it
    (:class:`watchfloor.enrich.resources.Resources` does)."""
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EnrichError("language detection needs py3langid: install watchfloor[nlp]") from exc
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(CANDIDATES))
    return ident


_ASCII_LETTERS = re.compile(r"[A-Za-z]")


def _script_counts(text: str) -> dict[str, int]:
    counts = {"latin": 0, "cyrillic": 0, "han": 0, "kana": 0, "hangul": 0, "other": 0}
    if text.isascii():  # an English text: every letter is Latin, counted in C
        counts["latin"] = len(_ASCII_LETTERS.findall(text))
        return counts
    for ch in text:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if cp < 0x250 or 0x1E00 <= cp < 0x1F00:
            counts["latin"] += 1
        elif 0x400 <= cp < 0x530:
            counts["cyrillic"] += 1
        elif 0x3040 <= cp < 0x3100 or 0x31F0 <= cp < 0x3200:
            counts["kana"] += 1
        elif 0x4E00 <= cp < 0xA000 or 0x3400 <= cp < 0x4DC0 or 0xF900 <= cp < 0xFB00:
            counts["han"] += 1
        elif 0xAC00 <= cp < 0xD7B0 or 0x1100 <= cp < 0x1200:
            counts["hangul"] += 1
        else:
            counts["other"] += 1
    return counts


def _cyrillic_rule(text: str, code: str, confidence: float) -> tuple[str, float]:
    """Correct the model with letters that only some Cyrillic orthographies use."""
    letters = set(text)
    if letters & _UKRAINIAN_ONLY:
        return (
            ("uk", max(confidence, 0.9))
            if code in {"ru", "bg", "mk", "be", "sr"}
            else (
                code,
                confidence,
            )
        )
    if letters & _KAZAKH_ONLY:
        # Kazakh, Tatar and Bashkir share most of these letters; trust the model among them,
        # but never let it say Mongolian or Russian.
        if code in {"mn", "ru", "bg", "mk", "uk", "be", "sr", "tg"}:
            return "kk", max(confidence, 0.6)
        return code, confidence
    if letters & _MONGOLIAN_ONLY and not letters & _TURKIC_CYRILLIC:
        # Ө and Ү without any Turkic letter: Mongolian (Kyrgyz would show Ң sooner or later;
        # a short Kyrgyz title without it is the accepted residual error).
        if code == "mn":
            return code, max(confidence, 0.9)
        if code in {"ru", "bg", "mk", "uk", "be", "sr", "tg", "uz"}:
            return "mn", 0.85
    return code, confidence


def _classify(sample: str, hint: str | None, identifier: LanguageIdentifier) -> tuple[str, float]:
    """Rank candidates with the model, weight them by the prior, return the best."""
    ranked = identifier.rank(sample)
    weighted = []
    for code, prob in ranked:
        weight = PRIOR.get(code, DEFAULT_PRIOR)
        if hint is not None and code == hint:
            weight *= HINT_WEIGHT
        weighted.append((str(code), float(prob) * weight))
    total = sum(w for _, w in weighted)
    if total <= 0.0:
        return UNDETERMINED, 0.0
    code, best = max(weighted, key=lambda item: item[1])
    return code, best / total


def detect_language(
    text: str, *, hint: str | None = None, identifier: LanguageIdentifier | None = None
) -> LanguageGuess:
    """Guess the language of *text*; return "und" when there is too little to tell.

    Args:
        text: a title, a lead or a whole article; only its first characters are read.
        hint: the language the feed or page declares (e.g. "mn" or "en-US"), if any; it
            raises that language's prior, so it decides only when the text is ambiguous.
        identifier: the loaded model (:func:`load_identifier`); the shared one by default.

    Returns:
        A :class:`LanguageGuess` with an ISO 639-1 code (or "und") and a confidence.
    """
    sample = _URL.sub(" ", text[:MAX_CHARS])
    counts = _script_counts(sample)
    total = sum(counts.values())
    if total < 2:
        return LanguageGuess(UNDETERMINED, 0.0)

    # CJK scripts decide by themselves (kana beats Han: Japanese mixes both).
    if counts["kana"] and counts["kana"] + counts["han"] >= total * 0.3:
        return LanguageGuess("ja", round(min(1.0, (counts["kana"] + counts["han"]) / total), 4))
    if counts["hangul"] >= total * 0.3:
        return LanguageGuess("ko", round(counts["hangul"] / total, 4))
    if counts["han"] >= total * 0.3:
        return LanguageGuess("zh", round(counts["han"] / total, 4))

    if hint:
        hint = hint.split("-")[0].split("_")[0].lower() or None
    if identifier is None:
        from watchfloor.enrich.resources import shared

        identifier = shared().language_identifier
    code, confidence = _classify(sample, hint, identifier)
    if counts["cyrillic"] >= total * 0.5:
        code, confidence = _cyrillic_rule(sample, code, confidence)
    if confidence < MIN_CONFIDENCE:
        return LanguageGuess(UNDETERMINED, round(confidence, 4))
    return LanguageGuess(code, round(confidence, 4))
