"""Group articles that tell the same story into clusters, incrementally and deterministically.

An article joins an existing story when one of the story's articles published within the time
window (72 hours by default) is similar enough to it; otherwise it starts a new story. The
similarity of two articles combines, in order of how much each is trusted:

* near-duplicate evidence: Jaccard of word-bigram shingles, estimated with MinHash and found
  through LSH, so a re-published wire story joins at once whatever else differs;
* the cosine of multilingual-e5 embeddings of title + lead, which is what lets an English and a
  Mongolian report of one event meet;
* shared content words (same language only: translation makes lexical overlap meaningless);
* shared proper names, transliterated from Cyrillic to Latin and cut to a five-letter stem so
  that "У.Хүрэлсүхийн" and "Khurelsukh" meet across languages and grammatical cases;
* shared entities and places from the NER and geoparsing stages. Places weigh little: two
  unrelated Ulaanbaatar stories share a place and nothing else.

Weights and thresholds were tuned on the dev half of the SemEval-2022 Task 8 pairs; figures and
the commands that reproduce them are in docs/clustering.md.

The clusterer keeps only the articles that a new article could still join (those within twice
the window of the newest one seen); every story keeps its id, size, time span and centroid.
:class:`ClusterState` turns all of it into plain JSON-able data and back.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from watchfloor.enrich.embed import LEAD_CHARS
from watchfloor.enrich.embed import lead_text as embed_lead_text
from watchfloor.errors import EnrichError
from watchfloor.text import ALL_STOPWORDS, CAPITALS, MATCH_STEM, proper_names, romanize
from watchfloor.text import stem as cut_stem

__all__ = [
    "DEFAULT_WINDOW",
    "ClusterItem",
    "ClusterState",
    "Embedder",
    "Embedding",
    "SimilarityConfig",
    "StoryClusterer",
    "item_features",
    "lead_text",
    "pair_similarity",
    "same_story",
]

Embedding = npt.NDArray[np.float32]
"""An embedding (or a stack of them, one per row) of a language model; float32, unit rows."""
Embedder = Callable[[list[str]], Embedding]

DEFAULT_WINDOW = timedelta(hours=96)
NUM_PERM = 64
MINHASH_SCHEME = "affine32"
STATE_VERSION = 2
READABLE_STATE_VERSIONS = (1, 2)
"""Version 1 kept vectors as lists of numbers, version 2 as base64 float32; both read."""
MAX_POSTINGS = 200


@dataclass(slots=True)
class ClusterItem:
    """One article as the clusterer sees it.

    ``published`` must be timezone-aware. ``entities`` and ``places`` are the surface forms
    (or ids) the NER and geoparsing stages found; they may be empty. ``embedding`` is an
    L2-normalised vector of title + lead; when ``None`` the clusterer computes it.
    """

    id: str
    title: str
    text: str
    language: str
    published: datetime
    entities: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    embedding: Embedding | None = None


@dataclass(frozen=True, slots=True)
class SimilarityConfig:
    """Weights and thresholds of the pair similarity (defaults tuned on SemEval dev)."""

    cos_low: float = 0.84
    """Embedding cosine mapped to 0: multilingual-e5-small puts unrelated news of one language
    at 0.80-0.88 (median about 0.84 on SemEval dev), so only what lies above counts."""
    cos_high: float = 0.92
    """Embedding cosine mapped to 1."""
    cross_cos_shift: float = 0.0
    """Added to the cosine of two texts in different languages: translation costs the same
    story about this much similarity (SemEval dev, German-English pairs)."""
    lex_full: float = 0.8
    """Dice overlap of content stems that counts as full lexical agreement between two short
    texts (a headline, a headline and a one-line summary)."""
    lex_full_long: float = 0.4
    """The same for two long texts: two tellings of one story share most of a headline's
    words but a smaller share of a whole lead and body, so less overlap is needed there."""
    anchor_full: float = 3.0
    """Shared transliterated stems (names, numbers) across two languages that count fully,
    for short texts."""
    anchor_full_long: float = 8.0
    """The same for long texts, which share more names and numbers by chance."""
    short_stems: int = 12
    """Content stems in the shorter of two texts up to which the short-text values apply."""
    long_stems: int = 40
    """Content stems from which the long-text values apply (log-linear in between)."""
    w_embedding: float = 0.5
    w_lexical: float = 0.8
    w_anchor: float = 0.3
    w_names: float = 0.2
    w_entities: float = 0.25
    w_places: float = 0.05
    dup_full: float = 0.5
    """Shingle Jaccard at which two texts count as the same text re-published."""
    same_story: float = 0.52
    """Similarity at or above which two articles tell the same story (:func:`same_story`)."""
    same_story_cross: float = 0.38
    """The same for two articles in different languages, which share no words and so score
    lower; equal to ``join_cross``. SemEval dev has six cross-lingual same-story pairs, too
    few to tune on (every bar from 0.30 to 0.62 gives the same dev accuracy)."""
    join: float = 0.65
    """Similarity to one of a story's articles at or above which the clusterer joins it.
    Higher than ``same_story`` because an article is compared with every article in the
    window, and each comparison is one more chance of a false join."""
    join_cross: float = 0.38
    """Join threshold between articles in different languages. multilingual-e5 places a
    Mongolian lead and its English telling at cosine 0.85-0.90 where same-language
    retellings reach 0.95, and no shared word can add evidence, so the same story scores
    lower across languages; the best candidate must still clear this and be coherent."""
    link_ratio: float = 1.0
    """The mean similarity to a story's recent articles must reach this share of the
    threshold, so that one article mixing two stories cannot chain them together."""
    strong_link: float = 0.8
    """A pair similarity at or above which the story-wide check is skipped."""
    link_members: int = 8
    """How many of the story's most recent articles that mean is taken over."""
    lead_chars: int = LEAD_CHARS
    """Characters of body text after the title that are embedded (the lead)."""
    lex_chars: int = 1000
    """Characters of body text whose content words and names are compared. No model reads
    them, so they reach well past the embedded lead at little cost: on SemEval dev this
    lifts Pearson r from 0.55 (lead words only) to 0.66 with a 200-character lead."""


DEFAULT_CONFIG = SimilarityConfig()

# ---------------------------------------------------------------------------------------------
# Text normalisation

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
STEM_LEN = MATCH_STEM

# The toolkit's stop words of every language, romanised as tokens are; words of three letters
# or fewer are dropped anyway.
_STOPWORDS = frozenset(romanize(w) for w in ALL_STOPWORDS)


def _tokens(text: str) -> list[str]:
    """Lower-case, transliterate and split *text* into word tokens (CJK into char bigrams)."""
    text = unicodedata.normalize("NFKC", text).lower()
    out: list[str] = []
    for raw in _WORD.findall(text):
        if raw.isascii():  # nothing to transliterate or strip: most of an English text
            out.append(raw)
            continue
        if _CJK.search(raw):
            out.extend(raw[i : i + 2] for i in range(max(1, len(raw) - 1)))
            continue
        word = romanize(raw)
        if word:
            out.append(word)
    return out


def _content_stems(tokens: Iterable[str]) -> frozenset[str]:
    stems = set()
    for tok in tokens:
        if tok.isdigit():
            # Amounts ("200 families", "40 сая") identify a story; years and day or month
            # numbers are shared by everything published that week.
            if len(tok) >= 3 and not (len(tok) == 4 and tok[:2] in ("19", "20")):
                stems.add(tok)
            continue
        if len(tok) < 4 or tok in _STOPWORDS:
            continue
        stems.add(cut_stem(tok, STEM_LEN))
    return frozenset(stems)


_INITIAL = re.compile(rf"\b[{CAPITALS}]\.\s*", re.UNICODE)


def _name_stems(text: str) -> frozenset[str]:
    """Return stems of capitalised words that do not start a sentence (likely proper names).

    Mongolian writes a person as "З.Энхболд"; the patronymic initial is dropped first so the
    name itself is what is compared.
    """
    # The initial is replaced by a mark that is not a sentence boundary, so a headline that
    # opens with "З.Энхболд" still yields the name.
    text = _INITIAL.sub(" · ", unicodedata.normalize("NFKC", text))
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) > 0.5 * len(letters):
        # An all-capitals headline has no capitalisation to read names from.
        return frozenset()
    stems = set()
    for word in proper_names(text):
        if word.isupper() and len(word) > 1:
            # Acronyms (NATO, МАН) are kept whole: their first letters are the whole point.
            name = romanize(word.lower())
        else:
            name = cut_stem(romanize(word.lower()), STEM_LEN)
        if len(name) >= 3 and name not in _STOPWORDS:
            stems.add(name)
    return frozenset(stems)


def _key_stems(values: Iterable[str]) -> frozenset[str]:
    """Reduce entity or place strings to transliterated token stems for fuzzy overlap."""
    stems = set()
    for value in values:
        for tok in _tokens(value):
            if len(tok) >= 3:
                stems.add(cut_stem(tok, STEM_LEN))
    return frozenset(stems)


def _shingles(tokens: Sequence[str]) -> set[bytes]:
    if len(tokens) < 2:
        return {t.encode() for t in tokens}
    return {f"{a} {b}".encode() for a, b in itertools.pairwise(tokens)}


def lead_text(item: ClusterItem, lead_chars: int = DEFAULT_CONFIG.lead_chars) -> str:
    """Return the text embedded for *item*: its title and the first *lead_chars* of its body."""
    return embed_lead_text(item.title, item.text, lead_chars)


# ---------------------------------------------------------------------------------------------
# Features of one item


@dataclass(slots=True)
class _Features:
    item_id: str
    published: float
    """POSIX seconds: cheaper to compare in bulk than datetimes."""
    language: str
    lex: frozenset[str]
    names: frozenset[str]
    ents: frozenset[str]
    places: frozenset[str]
    minhash: npt.NDArray[np.uint64]
    embedding: Embedding | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.item_id,
            "published": self.published,
            "language": self.language,
            "lex": sorted(self.lex),
            "names": sorted(self.names),
            "ents": sorted(self.ents),
            "places": sorted(self.places),
            "minhash": [int(v) for v in self.minhash],
            "embedding": _encode_vector(self.embedding),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _Features:
        emb = data.get("embedding")
        return cls(
            item_id=str(data["id"]),
            published=float(data["published"]),
            language=str(data["language"]),
            lex=frozenset(data["lex"]),
            names=frozenset(data["names"]),
            ents=frozenset(data["ents"]),
            places=frozenset(data["places"]),
            minhash=np.asarray(data["minhash"], dtype=np.uint64),
            embedding=_decode_vector(emb),
        )


def _encode_vector(vector: Embedding | None) -> str | None:
    """Return *vector* as base64 of little-endian float32: exact, and a third of the JSON a
    list of rounded numbers takes, which matters as the state is saved after every batch."""
    if vector is None:
        return None
    return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")


def _decode_vector(value: str | list[float] | None) -> Embedding | None:
    """Read a vector written by :func:`_encode_vector`, or a list of numbers (state version 1)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            raw = base64.b64decode(value.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError) as exc:
            raise EnrichError(f"cluster state holds an unreadable vector: {exc}") from exc
        if len(raw) % 4:
            raise EnrichError("cluster state holds a vector whose length is not float32")
        return np.frombuffer(raw, dtype="<f4").astype(np.float32)
    return np.asarray(value, dtype=np.float32)


def _permutations() -> Any:
    # Drawing the permutations is most of what a MinHash costs to create: the enrich
    # stage's resources draw them once.
    from watchfloor.enrich.resources import shared

    return shared().minhash_permutations


def _minhash(values: npt.NDArray[np.uint64]) -> Any:
    from datasketch import MinHash

    return MinHash(
        num_perm=NUM_PERM,
        hashvalues=values,
        scheme=MINHASH_SCHEME,
        permutations=_permutations(),
    )


def _minhash_values(shingles: set[bytes]) -> npt.NDArray[np.uint64]:
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=MINHASH_SCHEME, permutations=_permutations())
    if shingles:
        mh.update_batch(sorted(shingles))
    return np.asarray(mh.hashvalues, dtype=np.uint64)


def item_features(
    item: ClusterItem, config: SimilarityConfig = DEFAULT_CONFIG, embedding: Embedding | None = None
) -> _Features:
    """Compute the comparable features of *item* (the embedding is passed in or taken as is)."""
    if item.published.tzinfo is None:
        raise EnrichError(
            f"cluster item {item.id!r}: published {item.published.isoformat()} has no time "
            "zone; pass a timezone-aware UTC datetime"
        )
    # The word features read the first lex_chars of the body, the near-duplicate shingles
    # all of it: tokenise the beginning once and only the rest a second time.
    body = " ".join(item.text.split())
    title = " ".join(item.title.split())
    words = f"{title} {body[: config.lex_chars]}" if title else body[: config.lex_chars]
    word_tokens = _tokens(words)
    full_tokens = word_tokens + _tokens(body[config.lex_chars :])
    emb = embedding if embedding is not None else item.embedding
    if emb is not None:
        emb = np.asarray(emb, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(emb))
        emb = emb / norm if norm > 0 else None
    return _Features(
        item_id=item.id,
        published=item.published.timestamp(),
        language=(item.language or "und").lower(),
        lex=_content_stems(word_tokens),
        names=_name_stems(words),
        ents=_key_stems(item.entities),
        places=_key_stems(item.places),
        minhash=_minhash_values(_shingles(full_tokens)),
        embedding=emb,
    )


# ---------------------------------------------------------------------------------------------
# Pair similarity


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _minhash_jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def _comparable_languages(a: str, b: str) -> bool:
    return a == b or a == "und" or b == "und"


def _longness(stems: int, config: SimilarityConfig) -> float:
    """Place a text of *stems* content stems between short (0.0) and long (1.0), in log scale."""
    if stems <= config.short_stems:
        return 0.0
    if stems >= config.long_stems:
        return 1.0
    return math.log(stems / config.short_stems) / math.log(config.long_stems / config.short_stems)


def _feature_similarity(
    a: _Features, b: _Features, config: SimilarityConfig, cosine: float | None = None
) -> float:
    dup = _minhash_jaccard(a.minhash, b.minhash)
    num = 0.0
    den = 0.0
    if cosine is None and a.embedding is not None and b.embedding is not None:
        cosine = float(np.dot(a.embedding, b.embedding))
    if cosine is not None:
        if not _comparable_languages(a.language, b.language):
            cosine += config.cross_cos_shift
        span = config.cos_high - config.cos_low
        num += config.w_embedding * min(1.0, max(0.0, (cosine - config.cos_low) / span))
        den += config.w_embedding
    if a.lex and b.lex:
        longness = _longness(min(len(a.lex), len(b.lex)), config)
        if _comparable_languages(a.language, b.language):
            full = config.lex_full + longness * (config.lex_full_long - config.lex_full)
            num += config.w_lexical * min(1.0, _dice(a.lex, b.lex) / full)
            den += config.w_lexical
        else:
            # Across languages the words differ, so what the two leads still share after
            # transliteration is names and numbers: a few of them are strong evidence.
            # Like names below, only a match counts: Cyrillic and Latin leads about the
            # same event often share no transliterated token at all.
            full = config.anchor_full + longness * (config.anchor_full_long - config.anchor_full)
            anchors = min(1.0, len(a.lex & b.lex) / full)
            if anchors > 0:
                num += config.w_anchor * anchors
                den += config.w_anchor
    # Across languages a name or entity that does not match may just be translated ("city
    # council" / "иргэдийн төлөөлөгчдийн хурал"), so only a match counts there, never a miss.
    same_language = _comparable_languages(a.language, b.language)
    if a.names and b.names:
        # One shared name (the capital, the president) says little; three say a lot.
        shared = len(a.names & b.names)
        score = min(1.0, 2.0 * _dice(a.names, b.names), shared / 3.0)
        if same_language or score > 0:
            num += config.w_names * score
            den += config.w_names
    if a.ents and b.ents:
        score = min(1.0, 2.0 * _jaccard(a.ents, b.ents))
        if same_language or score > 0:
            num += config.w_entities * score
            den += config.w_entities
    if a.places and b.places:
        score = _jaccard(a.places, b.places)
        if same_language or score > 0:
            num += config.w_places * score
            den += config.w_places
    combined = num / den if den else 0.0
    return max(combined, min(1.0, dup / config.dup_full))


def _embed_default(texts: list[str]) -> Embedding:
    from watchfloor.enrich.embed import embed_texts

    return embed_texts(texts)


def _with_embeddings(
    items: Sequence[ClusterItem], embedder: Embedder | None, config: SimilarityConfig
) -> list[_Features]:
    missing = [i for i, it in enumerate(items) if it.embedding is None]
    vectors: dict[int, Embedding] = {}
    if missing and embedder is not None:
        matrix = embedder([lead_text(items[i], config.lead_chars) for i in missing])
        if matrix.shape[0] != len(missing):
            raise EnrichError(
                f"the embedder returned {matrix.shape[0]} vectors for {len(missing)} texts"
            )
        vectors = {i: matrix[k] for k, i in enumerate(missing)}
    return [item_features(it, config, vectors.get(i)) for i, it in enumerate(items)]


def pair_similarity(
    a: ClusterItem,
    b: ClusterItem,
    *,
    config: SimilarityConfig = DEFAULT_CONFIG,
    embedder: Embedder | None = _embed_default,
) -> float:
    """Return how likely *a* and *b* tell the same story, from 0 (unrelated) to 1.

    Time is not part of the score; :func:`same_story` and the clusterer apply the window.

    Args:
        a: one article.
        b: the other.
        config: weights and thresholds.
        embedder: turns texts into L2-normalised vectors for items without an embedding;
            ``None`` compares them on words, names, entities and places only.
    """
    fa, fb = _with_embeddings([a, b], embedder, config)
    return _feature_similarity(fa, fb, config)


def same_story(
    a: ClusterItem,
    b: ClusterItem,
    *,
    window: timedelta = DEFAULT_WINDOW,
    config: SimilarityConfig = DEFAULT_CONFIG,
    embedder: Embedder | None = _embed_default,
) -> bool:
    """Return True when *a* and *b* are within *window* of each other and tell the same story."""
    if abs(a.published - b.published) > window:
        return False
    bar = (
        config.same_story
        if _comparable_languages((a.language or "und").lower(), (b.language or "und").lower())
        else config.same_story_cross
    )
    return pair_similarity(a, b, config=config, embedder=embedder) >= bar


# ---------------------------------------------------------------------------------------------
# Incremental clustering


def _cluster_id(first_item_id: str) -> str:
    # Derived from the story's first article so that a rebuild from the same items in the
    # same order gives the same ids, with no counter to persist.
    return "s" + hashlib.sha1(first_item_id.encode("utf-8")).hexdigest()[:15]


@dataclass(slots=True)
class _Cluster:
    id: str
    size: int
    first: float
    last: float
    centroid_sum: Embedding | None
    item_ids: list[str]

    def centroid(self) -> Embedding | None:
        if self.centroid_sum is None:
            return None
        norm = float(np.linalg.norm(self.centroid_sum))
        return self.centroid_sum / norm if norm > 0 else self.centroid_sum


@dataclass(slots=True)
class ClusterState:
    """Everything a :class:`StoryClusterer` needs to carry on later, as plain data.

    ``clusters`` maps a story id to its size, time span (POSIX seconds), centroid and item
    ids; ``members`` are the features of the articles a new article could still join.
    """

    window_seconds: float
    clusters: list[dict[str, Any]]
    members: list[dict[str, Any]]
    newest: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "version": STATE_VERSION,
            "window_seconds": self.window_seconds,
            "newest": self.newest,
            "clusters": self.clusters,
            "members": self.members,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClusterState:
        """Read a dict written by :meth:`to_dict`."""
        if data.get("version") not in READABLE_STATE_VERSIONS:
            raise EnrichError(
                f"cluster state version {data.get('version')!r} is not one of "
                f"{READABLE_STATE_VERSIONS}; "
                "rebuild it with StoryClusterer.rebuild() from the stored assignments"
            )
        return cls(
            window_seconds=float(data["window_seconds"]),
            clusters=list(data["clusters"]),
            members=list(data["members"]),
            newest=data.get("newest"),
        )


class StoryClusterer:
    """Assign articles to stories as they arrive.

    Args:
        window: an article joins a story only through an article published within this span.
        config: similarity weights and the join threshold (``config.join``).
        embedder: embeds title + lead of items that carry no embedding; ``None`` clusters on
            words, names, entities and places only. The default loads multilingual-e5 on
            first use (not in the constructor).
        candidates: how many most-similar recent articles (by embedding) are scored in full.
    """

    def __init__(
        self,
        *,
        window: timedelta = DEFAULT_WINDOW,
        config: SimilarityConfig = DEFAULT_CONFIG,
        embedder: Embedder | None = _embed_default,
        candidates: int = 24,
    ) -> None:
        if window <= timedelta(0):
            raise EnrichError(f"cluster window must be positive, got {window}")
        self.window = window
        self.config = config
        self.embedder = embedder
        self.candidates = candidates
        self._clusters: dict[str, _Cluster] = {}
        self._assigned: dict[str, str] = {}
        self._members: list[_Features] = []
        self._member_cluster: list[str] = []
        self._newest: float | None = None
        self._lsh: Any = None
        self._stems: dict[str, set[int]] = {}
        self._by_cluster: dict[str, list[int]] = {}
        # Times and embeddings of the members, grown by doubling: rebuilding them for every
        # new article made clustering quadratic.
        self._times = np.zeros(0, dtype=np.float64)
        self._emb = np.zeros((0, 0), dtype=np.float32)
        self._has_emb = np.zeros(0, dtype=bool)

    # -- public API ---------------------------------------------------------------------------

    def add(self, items: Iterable[ClusterItem]) -> dict[str, str]:
        """Assign each item to an existing story or a new one; return item id → story id.

        Items are processed in (published, id) order so a batch gives the same stories
        whatever order it came in. An item id seen before keeps its story.
        """
        batch = sorted(items, key=lambda it: (it.published, it.id))
        features = _with_embeddings(batch, self.embedder, self.config)
        known = self._assigned
        out: dict[str, str] = {}
        for feat in features:
            if feat.item_id in known:
                out[feat.item_id] = known[feat.item_id]
                continue
            cluster_id = self._best_cluster(feat)
            if cluster_id is None:
                cluster_id = _cluster_id(feat.item_id)
                while cluster_id in self._clusters:  # pragma: no cover - sha1 collision
                    cluster_id = _cluster_id(cluster_id)
            self._append(feat, cluster_id)
            out[feat.item_id] = cluster_id
        self._prune()
        return out

    def horizon(self) -> datetime | None:
        """The oldest publication time an arriving article can still be matched against.

        Older members have been dropped from memory; an article published before this
        needs a clusterer rebuilt from the stored assignments around its time.
        """
        if self._newest is None:
            return None
        return datetime.fromtimestamp(self._newest - 2 * self.window.total_seconds(), tz=UTC)

    def centroids(self) -> dict[str, Embedding]:
        """Return each story's L2-normalised mean embedding (stories with embeddings only)."""
        out: dict[str, Embedding] = {}
        for cid, cluster in self._clusters.items():
            centroid = cluster.centroid()
            if centroid is not None:
                out[cid] = centroid
        return out

    def clusters(self) -> dict[str, list[str]]:
        """Return story id → item ids, in the order the items joined."""
        return {cid: list(c.item_ids) for cid, c in self._clusters.items()}

    def state(self) -> ClusterState:
        """Return the state as plain data (see :class:`ClusterState`)."""
        clusters = []
        for cluster in self._clusters.values():
            centroid = cluster.centroid()
            clusters.append(
                {
                    "id": cluster.id,
                    "size": cluster.size,
                    "first": cluster.first,
                    "last": cluster.last,
                    "item_ids": list(cluster.item_ids),
                    "centroid": _encode_vector(centroid),
                    "centroid_sum": _encode_vector(cluster.centroid_sum),
                }
            )
        members = []
        for feat, cid in zip(self._members, self._member_cluster, strict=True):
            data = feat.to_dict()
            data["cluster"] = cid
            members.append(data)
        return ClusterState(
            window_seconds=self.window.total_seconds(),
            clusters=clusters,
            members=members,
            newest=self._newest,
        )

    @classmethod
    def from_state(
        cls,
        state: ClusterState,
        *,
        config: SimilarityConfig = DEFAULT_CONFIG,
        embedder: Embedder | None = _embed_default,
        candidates: int = 24,
    ) -> StoryClusterer:
        """Recreate a clusterer from :meth:`state` output."""
        self = cls(
            window=timedelta(seconds=state.window_seconds),
            config=config,
            embedder=embedder,
            candidates=candidates,
        )
        for data in state.clusters:
            csum = data.get("centroid_sum")
            self._clusters[data["id"]] = _Cluster(
                id=data["id"],
                size=int(data["size"]),
                first=float(data["first"]),
                last=float(data["last"]),
                centroid_sum=_decode_vector(csum),
                item_ids=list(data["item_ids"]),
            )
            for item_id in data["item_ids"]:
                self._assigned[item_id] = data["id"]
        for data in state.members:
            self._index(_Features.from_dict(data), str(data["cluster"]))
        self._newest = state.newest
        return self

    @classmethod
    def rebuild(
        cls,
        assignments: Iterable[tuple[ClusterItem, str]],
        *,
        window: timedelta = DEFAULT_WINDOW,
        config: SimilarityConfig = DEFAULT_CONFIG,
        embedder: Embedder | None = _embed_default,
        candidates: int = 24,
    ) -> StoryClusterer:
        """Recreate a clusterer from stored (item, story id) pairs, keeping the stored ids."""
        self = cls(window=window, config=config, embedder=embedder, candidates=candidates)
        pairs = sorted(assignments, key=lambda p: (p[0].published, p[0].id))
        features = _with_embeddings([p[0] for p in pairs], embedder, config)
        for feat, (_, cluster_id) in zip(features, pairs, strict=True):
            self._append(feat, cluster_id)
        self._prune()
        return self

    # -- internals ----------------------------------------------------------------------------

    def _get_lsh(self) -> Any:
        if self._lsh is None:
            from datasketch import MinHashLSH

            # Bands tuned for Jaccard ~0.5: the dup threshold; the exact check follows.
            self._lsh = MinHashLSH(threshold=self.config.dup_full, num_perm=NUM_PERM)
        return self._lsh

    def _index(self, feat: _Features, cluster_id: str) -> None:

        idx = len(self._members)
        self._members.append(feat)
        self._member_cluster.append(cluster_id)
        self._by_cluster.setdefault(cluster_id, []).append(idx)
        self._get_lsh().insert(
            str(idx),
            _minhash(feat.minhash),
            check_duplication=False,
        )
        for stem in feat.lex | feat.names | feat.ents:
            self._stems.setdefault(stem, set()).add(idx)
        self._store_arrays(idx, feat)
        if self._newest is None or feat.published > self._newest:
            self._newest = feat.published

    def _append(self, feat: _Features, cluster_id: str) -> None:
        cluster = self._clusters.get(cluster_id)
        if cluster is None:
            cluster = _Cluster(
                id=cluster_id,
                size=0,
                first=feat.published,
                last=feat.published,
                centroid_sum=None,
                item_ids=[],
            )
            self._clusters[cluster_id] = cluster
        cluster.size += 1
        cluster.first = min(cluster.first, feat.published)
        cluster.last = max(cluster.last, feat.published)
        cluster.item_ids.append(feat.item_id)
        self._assigned[feat.item_id] = cluster_id
        if feat.embedding is not None:
            if cluster.centroid_sum is None:
                cluster.centroid_sum = feat.embedding.copy()
            else:
                cluster.centroid_sum = cluster.centroid_sum + feat.embedding
        self._index(feat, cluster_id)

    def _store_arrays(self, idx: int, feat: _Features) -> None:
        if idx >= len(self._times):
            capacity = max(64, 2 * len(self._times))
            dim = self._emb.shape[1]
            if dim == 0 and feat.embedding is not None:
                dim = feat.embedding.shape[0]
            times = np.zeros(capacity, dtype=np.float64)
            times[: len(self._times)] = self._times
            emb = np.zeros((capacity, dim), dtype=np.float32)
            emb[: self._emb.shape[0], : self._emb.shape[1]] = self._emb
            has = np.zeros(capacity, dtype=bool)
            has[: len(self._has_emb)] = self._has_emb
            self._times, self._emb, self._has_emb = times, emb, has
        if self._emb.shape[1] == 0 and feat.embedding is not None:
            self._emb = np.zeros((len(self._times), feat.embedding.shape[0]), dtype=np.float32)
        self._times[idx] = feat.published
        if feat.embedding is not None and feat.embedding.shape[0] == self._emb.shape[1]:
            self._emb[idx] = feat.embedding
            self._has_emb[idx] = True

    def _best_cluster(self, feat: _Features) -> str | None:
        if not self._members:
            return None
        n = len(self._members)
        window = self.window.total_seconds()
        in_window = np.abs(self._times[:n] - feat.published) <= window
        if not in_window.any():
            return None
        candidates: set[int] = set()
        cosines: dict[int, float] = {}
        if feat.embedding is not None and self._emb.shape[1] == feat.embedding.shape[0]:
            eligible = np.flatnonzero(in_window & self._has_emb[:n])
            if eligible.size:
                sims = self._emb[eligible] @ feat.embedding
                top = np.argsort(-sims, kind="stable")[: self.candidates]
                for k in top:
                    candidates.add(int(eligible[k]))
                # Cosines of the window's members, for the story-wide check as well.
                cosines = dict(zip(eligible.tolist(), sims.tolist(), strict=True))

        for key in self._get_lsh().query(_minhash(feat.minhash)):
            candidates.add(int(key))
        shared: dict[int, int] = {}
        for stem in feat.lex | feat.names | feat.ents:
            postings = self._stems.get(stem, ())
            if len(postings) > MAX_POSTINGS:
                continue  # a word in hundreds of recent articles finds nothing in particular
            for idx in postings:
                shared[idx] = shared.get(idx, 0) + 1
        best_shared = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[: self.candidates]
        candidates.update(i for i, n in best_shared if n >= 2)

        best_by_cluster: dict[str, float] = {}
        for idx in sorted(candidates):
            if not in_window[idx]:
                continue
            member = self._members[idx]
            score = _feature_similarity(feat, member, self.config, cosines.get(idx))
            cid = self._member_cluster[idx]
            threshold = (
                self.config.join
                if _comparable_languages(feat.language, member.language)
                else self.config.join_cross
            )
            if score >= threshold and score > best_by_cluster.get(cid, -1.0):
                best_by_cluster[cid] = score
        for neg_score, cid in sorted((-sc, cid) for cid, sc in best_by_cluster.items()):
            # A strong match (a re-post, the same headline reworded) joins whatever the rest
            # of the story looks like; a weaker one must also fit the story as a whole.
            if -neg_score >= self.config.strong_link or self._coherent(
                feat, cid, in_window, cosines
            ):
                return cid
        return None

    def _coherent(
        self,
        feat: _Features,
        cluster_id: str,
        in_window: npt.NDArray[np.bool_],
        cosines: dict[int, float],
    ) -> bool:
        # Single link alone lets one article that mixes two stories bridge them; the mean
        # over the story's most recent articles must also be close to the threshold.
        members = [i for i in self._by_cluster.get(cluster_id, []) if in_window[i]]
        recent = members[-self.config.link_members :]
        if len(recent) < 2:
            return True
        # Members in the article's own language are the fair test when there are any: a
        # story told mostly in English should not push away a second English telling
        # because its Mongolian member scores lower.
        same = [
            i for i in recent if _comparable_languages(feat.language, self._members[i].language)
        ]
        pool, bar = (same, self.config.join) if same else (recent, self.config.join_cross)
        if len(pool) < 2:
            return True
        scores = [
            _feature_similarity(feat, self._members[i], self.config, cosines.get(i)) for i in pool
        ]
        return sum(scores) / len(scores) >= self.config.link_ratio * bar

    def _prune(self) -> None:
        # Keep members that a later article could still join: within two windows of the
        # newest article seen, which leaves room for items that arrive a little late.
        if self._newest is None:
            return
        horizon = self._newest - 2 * self.window.total_seconds()
        stale = int(np.count_nonzero(self._times[: len(self._members)] < horizon))
        # Rebuilding the indexes costs a pass over every member: wait until a quarter is stale.
        if stale == 0 or stale < len(self._members) // 4:
            return
        keep = [
            (m, c)
            for m, c in zip(self._members, self._member_cluster, strict=True)
            if m.published >= horizon
        ]
        self._members = []
        self._member_cluster = []
        self._lsh = None
        self._stems = {}
        self._by_cluster = {}
        self._times = np.zeros(0, dtype=np.float64)
        self._emb = np.zeros((0, 0), dtype=np.float32)
        self._has_emb = np.zeros(0, dtype=bool)
        newest = self._newest
        for m, c in keep:
            self._index(m, c)
        self._newest = newest
