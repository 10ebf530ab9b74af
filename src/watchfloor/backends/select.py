"""Extractive sentence selection: the method behind the default analyst.

It writes nothing of its own but plain connective words. For a story it:

1. splits every English source into sentences and drops the unusable ones (too short or
   long, markup, or text addressed to an automated system such as "ignore previous
   instructions");
2. scores each sentence by *centrality* (TF-IDF cosine to the centroid of the story's
   sentences and headlines), *salience* (numbers and names it carries) and *position*
   (leads carry the news);
3. picks the best sentences greedily, skipping any too similar to one already picked
   (the same fact told by another outlet);
4. cites each picked sentence with every source that holds it or a near-identical one;
5. orders them by the time of their source and their place in it.

A story told only in other languages is summarised by its headline and lead in the original
language, marked with the language code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from watchfloor.models.analysis import Draft, Key, SourceText
from watchfloor.text import (
    SparseVector,
    centroid,
    cosine,
    has_markup,
    is_instruction,
    proper_names,
    split_sentences,
    stems,
    tfidf,
)

__all__ = ["select_sentences", "usable"]

ENGLISH = frozenset({"en", "und"})
MIN_CHARS, MAX_CHARS = 30, 420
REDUNDANT = 0.45  # cosine above which a candidate repeats a picked sentence
SAME_FACT = 0.6  # cosine above which another outlet's sentence counts as the same one
W_CENTRAL, W_SALIENT, W_POSITION = 0.55, 0.25, 0.20
_NUMBER = re.compile(r"\d")


def usable(sentence: str) -> bool:
    """True when a sentence may be quoted: plain, of news length, not an instruction."""
    return (
        MIN_CHARS <= len(sentence) <= MAX_CHARS
        and not is_instruction(sentence)
        and not has_markup(sentence)
        and len(stems(sentence)) >= 3
    )


@dataclass(slots=True)
class _Candidate:
    key: Key
    order: tuple[float, int]
    position: int
    text: str
    vector: SparseVector


def _salience(sentence: str) -> float:
    names = len(proper_names(sentence))
    numbers = len(_NUMBER.findall(sentence))
    return min(1.0, (names + 2 * min(numbers, 3)) / 8)


def _headline(doc: SourceText) -> str:
    title = " ".join(doc.title.split())
    return title if title[-1:] in ".!?" else f"{title}."


def _foreign(docs: Sequence[SourceText]) -> list[Draft]:
    """Title and lead of the earliest source, in its own language."""
    doc = min(docs, key=lambda d: (d.published, d.key))
    lead = next((s for s in split_sentences(doc.body) if usable(s)), "")
    parts = [_headline(doc)] if not has_markup(doc.title) and not is_instruction(doc.title) else []
    if lead:
        parts.append(lead)
    if not parts:
        return []
    return [Draft(text=" ".join(parts), keys=(doc.key,), language=doc.language)]


def select_sentences(docs: Sequence[SourceText], *, max_sentences: int = 3) -> list[Draft]:
    """Choose up to *max_sentences* representative, non-repeating, cited sentences."""
    english = [d for d in docs if d.language in ENGLISH]
    if not english:
        return _foreign(docs) if docs else []
    raw: list[tuple[SourceText, int, str]] = []
    for doc in english:
        for pos, sentence in enumerate(split_sentences(doc.body)):
            if usable(sentence):
                raw.append((doc, pos, sentence))
    titles = [d.title for d in english if not has_markup(d.title)]
    vectors = tfidf([stems(s) for _, _, s in raw] + [stems(t) for t in titles])
    if not raw:
        return _foreign(docs)
    center = centroid(vectors)
    cands = [
        _Candidate(
            key=doc.key,
            order=(doc.published.timestamp(), pos),
            position=pos,
            text=sentence,
            vector=vectors[i],
        )
        for i, (doc, pos, sentence) in enumerate(raw)
    ]
    scored = sorted(
        cands,
        key=lambda c: (
            -(
                W_CENTRAL * cosine(c.vector, center)
                + W_SALIENT * _salience(c.text)
                + W_POSITION / (1 + c.position)
            )
        ),
    )
    picked: list[_Candidate] = []
    for cand in scored:
        if len(picked) >= max_sentences:
            break
        if any(cosine(cand.vector, p.vector) > REDUNDANT for p in picked):
            continue
        picked.append(cand)
    drafts = []
    for cand in sorted(picked, key=lambda c: c.order):
        keys = {cand.key}
        keys.update(
            other.key
            for other in cands
            if other.key != cand.key and cosine(other.vector, cand.vector) >= SAME_FACT
        )
        drafts.append(Draft(text=cand.text, keys=tuple(sorted(keys))))
    return drafts
