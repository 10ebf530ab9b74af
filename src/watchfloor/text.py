"""Sentence-level text tools for the extractive analyst: splitting, TF-IDF, guards.

No model is needed: sentences are compared by TF-IDF cosine over lower-cased word stems
(the first six letters, which is enough to match "ministries"/"ministry" and Cyrillic case
endings). Two guards keep hostile article text out of the report's own voice: text that
addresses an automated system ("ignore previous instructions...") and text with markup.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

__all__ = [
    "STEM",
    "Vector",
    "cosine",
    "has_markup",
    "is_instruction",
    "split_sentences",
    "stems",
    "tfidf",
]

STEM = 6
Vector = dict[str, float]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ABBREV = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt st no vs etc inc ltd co corp jr sr u.s e.g i.e "
    "jan feb mar apr jun jul aug sep sept oct nov dec a.m p.m".split()
)
_BOUNDARY = re.compile(r"(?<=[.!?。])[\"'”’»)]*\s+(?=[\"'“‘«(]?[A-ZА-ЯЁӨҮ0-9])|\n\s*\n|\n")
_STOP = frozenset(
    """a an the and or but of to in on at by for with from as is are was were be been being
    that this these those it its he she they them his her their we our you your i not no
    has have had will would shall should can could may might do does did than then so such
    also into over under about after before between during said says say according more most
    other some any all each which who whom whose what when where why how there here up out
    и в во на с со по к о об от за из для что как это не но а же бы ли то
    ба болон нь юм байна байгаа энэ тэр гэж гэв гэлээ""".split()
)
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


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; abbreviations such as "Lt." do not end one."""
    out: list[str] = []
    pos = 0
    pending = ""
    for m in _BOUNDARY.finditer(text):
        piece = text[pos : m.start()].strip()
        pos = m.end()
        if not piece:
            continue
        last = piece.rsplit(None, 1)[-1].rstrip(".").lower() if piece.split() else ""
        if piece.endswith(".") and (last in _ABBREV or (len(last) == 1 and last.isalpha())):
            pending = f"{pending} {piece}".strip()
            continue
        out.append(f"{pending} {piece}".strip())
        pending = ""
    tail = f"{pending} {text[pos:].strip()}".strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def stems(text: str) -> list[str]:
    """Lower-cased word stems without stop words or bare numbers."""
    out = []
    for w in _WORD.findall(text.lower()):
        if w in _STOP or w.isdigit() or len(w) < 2:
            continue
        out.append(w[:STEM])
    return out


def tfidf(
    docs: Sequence[Sequence[str]], df: Counter[str] | None = None, n: int = 0
) -> list[Vector]:
    """Unit TF-IDF vectors of token lists; *df*/*n* give document frequencies to reuse."""
    if df is None:
        df = Counter()
        for d in docs:
            df.update(set(d))
        n = len(docs)
    out: list[Vector] = []
    for d in docs:
        tf = Counter(d)
        vec = {
            t: (1 + math.log(c)) * math.log((1 + n) / (1 + df.get(t, 0)) + 1) for t, c in tf.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def centroid(vectors: Iterable[Vector]) -> Vector:
    """The normalised mean of unit vectors."""
    total: dict[str, float] = {}
    for v in vectors:
        for t, x in v.items():
            total[t] = total.get(t, 0.0) + x
    norm = math.sqrt(sum(x * x for x in total.values())) or 1.0
    return {t: x / norm for t, x in total.items()}
