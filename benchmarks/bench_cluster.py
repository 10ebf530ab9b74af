"""Measure story clustering: SemEval-2022 Task 8 pairs, Mongolian headlines, throughput.

Reads ``../shared/corpora`` (or ``$WATCHFLOOR_SHARED``); a corpus that is absent is skipped
with a message. Three parts:

1. ``semeval2022-task8-pairs``: each row of each of the four CSV files is one pair; rows with
   an even index within their file are the dev half (tuning), odd the test half (reported).
   Pearson r of :func:`pair_similarity` against the gold Overall score (sign flipped: gold 1
   means same story), and the same-story decision (gold <= 1.5 same, >= 2.5 different, the
   middle band dropped, as the corpus' SOURCE.md proposes): accuracy, P/R/F1 and ROC-AUC.
2. ``mongolia-news-headlines`` (duplicate URLs dropped; daily files of even index in date
   order are the dev half, odd the test half): the headlines (with the summary when there is
   one) are clustered with :class:`StoryClusterer` in time order.
   "Repeated across outlets": link two headlines from different domains, published within
   the 72 h window, whose token sets (lower-cased, transliterated ``\\w+`` tokens) have
   Jaccard >= 0.8 (identical headlines included); a group is a connected set of such links.
   Reported: how many groups land whole in one cluster, and the share of linked pairs that
   share a cluster. "Unrelated but joined": pairs inside one cluster whose headlines share
   no content stem at all (5-letter stems of transliterated words of 4+ letters, stopwords
   and dates left out), as a share of all pairs inside clusters.
3. Throughput: clustering 2,000 items (embeddings precomputed, then the embedding cost
   separately) and the peak Python memory of the clusterer (tracemalloc).

    .venv/bin/python benchmarks/bench_cluster.py                  # test half
    .venv/bin/python benchmarks/bench_cluster.py --half dev --cache /tmp/wf-emb.npz

Embedding ~3,300 SemEval leads takes a few minutes on 2 cores; ``--cache`` keeps them.
"""

from __future__ import annotations

import argparse
import csv
import email.utils
import hashlib
import itertools
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from watchfloor.enrich.cluster import (
    DEFAULT_CONFIG,
    ClusterItem,
    SimilarityConfig,
    StoryClusterer,
    _content_stems,
    _tokens,
    item_features,
    lead_text,
    pair_similarity,
)

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", REPO.parent / "shared"))
SEMEVAL = SHARED / "corpora" / "semeval2022-task8-pairs"
HEADLINES = SHARED / "corpora" / "mongolia-news-headlines"
SEMEVAL_FILES = (
    "english-textrank/pairs_overall.csv",
    "english-textrank/pairs_overall_entities_narrative.csv",
    "multilingual-textrank/pairs_a.csv",
    "multilingual-textrank/pairs_b.csv",
)
EPOCH = datetime(2020, 6, 1, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# Embedding cache


class EmbeddingCache:
    """Embed lead texts once and keep them in an .npz file keyed by the text's sha1."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            with np.load(path) as data:
                self.vectors = {k: data[k] for k in data.files}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from watchfloor.enrich.embed import embed_texts

        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors})
        if todo:
            lookup = dict(zip(keys, texts, strict=True))
            start = time.perf_counter()
            matrix = embed_texts([lookup[k] for k in todo])
            print(
                f"  embedded {len(todo)} texts in {time.perf_counter() - start:.0f} s",
                file=sys.stderr,
            )
            for k, v in zip(todo, matrix, strict=True):
                self.vectors[k] = v
            if self.path is not None:
                np.savez(self.path, **self.vectors)
        return np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, 384))


# ---------------------------------------------------------------------------------------------
# SemEval pairs


@dataclass
class Pair:
    file: str
    row: int
    label: float
    a: ClusterItem
    b: ClusterItem

    @property
    def cross_lingual(self) -> bool:
        return self.a.language != self.b.language


def load_semeval(half: str, cache: EmbeddingCache) -> list[Pair]:
    """Load one half of every pair file as ClusterItems carrying their embeddings."""
    from watchfloor.enrich.language import detect_language

    pairs: list[Pair] = []
    for name in SEMEVAL_FILES:
        with (SEMEVAL / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for i, row in enumerate(rows):
            if (i % 2 == 0) != (half == "dev"):
                continue
            items = []
            for side in ("sentence1", "sentence2"):
                text = row[side]
                lang = "en" if name.startswith("english") else detect_language(text).code
                items.append(
                    ClusterItem(
                        id=f"{name}:{i}:{side}", title="", text=text, language=lang,
                        published=EPOCH,
                    )
                )  # fmt: skip
            pairs.append(Pair(name, i, float(row["label"]), items[0], items[1]))
    leads = [lead_text(it) for p in pairs for it in (p.a, p.b)]
    matrix = cache.embed(leads)
    for k, p in enumerate(pairs):
        p.a.embedding = matrix[2 * k]
        p.b.embedding = matrix[2 * k + 1]
    return pairs


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Return Pearson's r of two equal-length sequences."""
    return float(np.corrcoef(np.asarray(x, float), np.asarray(y, float))[0, 1])


def roc_auc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """Return the ROC-AUC (probability a positive outranks a negative, ties count half)."""
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, p in zip(scores, positive, strict=True) if not p]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def semeval_scores(pairs: Sequence[Pair], config: SimilarityConfig) -> dict[str, float]:
    """Return Pearson r, accuracy, P/R/F1 and ROC-AUC of pair_similarity on *pairs*."""
    sims = [pair_similarity(p.a, p.b, config=config, embedder=None) for p in pairs]
    labels = [p.label for p in pairs]
    out = {"n": float(len(pairs)), "pearson": pearson(sims, [-x for x in labels])}
    bars = [config.same_story if not p.cross_lingual else config.same_story_cross for p in pairs]
    decided = [
        (s, lab <= 1.5, bar)
        for s, lab, bar in zip(sims, labels, bars, strict=True)
        if not 1.5 < lab < 2.5
    ]
    pred = [s >= bar for s, _, bar in decided]
    gold = [g for _, g, _ in decided]
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    out["binary_n"] = float(len(decided))
    out["accuracy"] = sum(p == g for p, g in zip(pred, gold, strict=True)) / max(1, len(decided))
    out["precision"] = tp / max(1, tp + fp)
    out["recall"] = tp / max(1, tp + fn)
    out["f1"] = 2 * tp / max(1, 2 * tp + fp + fn)
    out["auc"] = roc_auc([s for s, _, _ in decided], gold)
    return out


def report_semeval(half: str, cache: EmbeddingCache, config: SimilarityConfig) -> None:
    if not SEMEVAL.exists():
        print(f"skip SemEval: corpus not found at {SEMEVAL}")
        return
    pairs = load_semeval(half, cache)
    groups = {
        "all": pairs,
        "english (translated)": [p for p in pairs if p.file.startswith("english")],
        "original, same language": [
            p for p in pairs if p.file.startswith("multi") and not p.cross_lingual
        ],
        "original, cross-lingual": [p for p in pairs if p.cross_lingual],
    }
    print(f"SemEval-2022 Task 8 pairs, {half} half (threshold {config.same_story}, "
          f"{config.same_story_cross} across languages)")  # fmt: skip
    print(f"  {'subset':26} {'pairs':>5} {'r':>6} {'bin':>5} {'acc':>6} {'P':>6} {'R':>6}"
          f" {'F1':>6} {'AUC':>6}")  # fmt: skip
    for name, subset in groups.items():
        if not subset:
            continue
        s = semeval_scores(subset, config)
        print(
            f"  {name:26} {int(s['n']):5d} {s['pearson']:6.3f} {int(s['binary_n']):5d} "
            f"{s['accuracy']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
            f"{s['auc']:6.3f}"
        )


# ---------------------------------------------------------------------------------------------
# Mongolian headlines


def parse_date(value: str) -> datetime:
    """Parse the corpus' date forms (ISO, RFC 822, "2026/06/20 18:48") as UTC."""
    from dateutil import parser as dateparser

    value = value.strip()
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        parsed = dateparser.parse(value)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def load_headlines(
    limit: int | None = None, half: str | None = None
) -> list[tuple[ClusterItem, str]]:
    """Return (item, domain) for every distinct URL, in publication order.

    *half* "dev" keeps the daily files of even index (in date order), "test" the odd ones,
    None all of them.
    """
    seen: set[str] = set()
    out: list[tuple[ClusterItem, str]] = []
    files = sorted((HEADLINES / "daily").glob("*.json"))
    if half is not None:
        files = [f for i, f in enumerate(files) if (i % 2 == 0) == (half == "dev")]
    for path in files:
        for rec in json.loads(path.read_text(encoding="utf-8")):
            url = rec.get("url") or ""
            title = (rec.get("title") or "").strip()
            if not url or not title or url in seen:
                continue
            seen.add(url)
            domain = urlsplit(url).netloc.lower().removeprefix("www.")
            item = ClusterItem(
                id=url, title=title, text=rec.get("summary") or "", language="mn",
                published=parse_date(rec["publish_date"]),
            )  # fmt: skip
            out.append((item, domain))
    out.sort(key=lambda p: (p[0].published, p[0].id))
    return out[:limit] if limit else out


def repeated_groups(rows: Sequence[tuple[ClusterItem, str]], window: timedelta) -> list[list[int]]:
    """Return groups of indices of near-identical headlines from two or more domains."""
    toks = [frozenset(_tokens(it.title)) for it, _ in rows]
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(rows)), 2):
        a, b = toks[i], toks[j]
        if not a or not b or rows[i][1] == rows[j][1]:
            continue
        if abs(rows[i][0].published - rows[j][0].published) > window:
            continue
        if len(a & b) / len(a | b) >= 0.8:
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1 and len({rows[i][1] for i in g}) > 1]


def headline_scores(
    rows: Sequence[tuple[ClusterItem, str]], assignment: dict[str, str], window: timedelta
) -> dict[str, float]:
    """Score an assignment of headlines to stories (see the module docstring)."""
    groups = repeated_groups(rows, window)
    whole = sum(len({assignment[rows[i][0].id] for i in g}) == 1 for g in groups)
    pairs_total = pairs_joined = 0
    for g in groups:
        for i, j in itertools.combinations(g, 2):
            pairs_total += 1
            pairs_joined += assignment[rows[i][0].id] == assignment[rows[j][0].id]
    by_cluster: dict[str, list[int]] = {}
    for k, (it, _) in enumerate(rows):
        by_cluster.setdefault(assignment[it.id], []).append(k)
    stems = [_content_stems(_tokens(it.title)) for it, _ in rows]
    joined = unrelated = 0
    for members in by_cluster.values():
        for i, j in itertools.combinations(members, 2):
            joined += 1
            unrelated += not (stems[i] & stems[j])
    sizes = [len(m) for m in by_cluster.values()]
    return {
        "items": len(rows),
        "clusters": len(by_cluster),
        "multi": sum(s > 1 for s in sizes),
        "largest": max(sizes, default=0),
        "groups": len(groups),
        "groups_whole": whole,
        "pairs_total": pairs_total,
        "pairs_joined": pairs_joined,
        "joined_pairs": joined,
        "unrelated_joined": unrelated,
    }


def report_headlines(cache: EmbeddingCache, config: SimilarityConfig, half: str) -> None:
    if not HEADLINES.exists():
        print(f"skip Mongolian headlines: corpus not found at {HEADLINES}")
        return
    rows = load_headlines(half=half)
    matrix = cache.embed([lead_text(it) for it, _ in rows])
    for (it, _), v in zip(rows, matrix, strict=True):
        it.embedding = v
    clusterer = StoryClusterer(config=config, embedder=None)
    assignment = clusterer.add([it for it, _ in rows])
    s = headline_scores(rows, assignment, clusterer.window)
    print(f"Mongolian headlines, {half} half of the daily files: {s['items']} items -> "
          f"{s['clusters']} clusters ({s['multi']} with 2+ items, "
          f"largest {s['largest']})")  # fmt: skip
    print(f"  repeated across outlets: {s['groups_whole']}/{s['groups']} groups whole in one "
          f"cluster; pairwise {s['pairs_joined']}/{s['pairs_total']} "
          f"({s['pairs_joined'] / max(1, s['pairs_total']):.1%})")  # fmt: skip
    print(f"  joined pairs sharing no content stem: {s['unrelated_joined']}/{s['joined_pairs']} "
          f"({s['unrelated_joined'] / max(1, s['joined_pairs']):.1%})")  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Throughput


def synthetic_items(n: int) -> list[ClusterItem]:
    """Make *n* items of 200 stories with random unit embeddings (used without corpora)."""
    rng = np.random.default_rng(7)
    words = [f"w{k}" for k in range(3000)]
    centres = rng.normal(size=(200, 384)).astype(np.float32)
    items = []
    for i in range(n):
        story = int(rng.integers(200))
        vec = centres[story] + 0.3 * rng.normal(size=384).astype(np.float32)
        text = " ".join(rng.choice(words, 40))
        items.append(
            ClusterItem(
                id=f"i{i}", title=f"story {story} " + " ".join(rng.choice(words, 8)),
                text=text, language="en", published=EPOCH + timedelta(minutes=5 * i),
                embedding=vec / np.linalg.norm(vec),
            )
        )  # fmt: skip
    return items


def report_throughput(cache: EmbeddingCache, config: SimilarityConfig, n: int = 2000) -> None:
    if HEADLINES.exists():
        items = [it for it, _ in load_headlines(limit=n)]
        leads = [lead_text(it) for it in items]
        start = time.perf_counter()
        matrix = cache.embed(leads)
        embed_s = time.perf_counter() - start
        for it, v in zip(items, matrix, strict=True):
            it.embedding = v
        what = "Mongolian headlines"
    else:
        items, embed_s, what = synthetic_items(n), 0.0, "synthetic items"

    def run() -> tuple[StoryClusterer, float]:
        start = time.perf_counter()
        clusterer = StoryClusterer(config=config, embedder=None)
        for k in range(0, len(items), 100):  # batches, as the enrich stage will call it
            clusterer.add(items[k : k + 100])
        return clusterer, time.perf_counter() - start

    run()  # warm up: imports and the MinHash permutations are drawn once per process
    clusterer, elapsed = run()
    feats_start = time.perf_counter()
    for it in items[:200]:
        item_features(it, config)
    feats_s = (time.perf_counter() - feats_start) / 200

    # tracemalloc slows Python several-fold, so memory is measured in a separate run.
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    state = json.dumps(clusterer.state().to_dict())
    print(f"Throughput on {len(items)} {what} (embeddings given): {len(items) / elapsed:.0f} "
          f"items/s ({elapsed:.2f} s), features {feats_s * 1000:.2f} ms/item, peak Python "
          f"memory {peak / 2**20:.1f} MiB, state JSON {len(state) / 2**20:.1f} MiB")  # fmt: skip
    if embed_s > 0.5:
        print(f"  embedding the {len(items)} leads took {embed_s:.0f} s "
              f"({len(items) / embed_s:.0f} items/s) and dominates the cost")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=["dev", "test"], default="test")
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache (.npz)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["semeval", "headlines", "speed"])
    args = parser.parse_args(argv)
    cache = EmbeddingCache(args.cache)
    config = DEFAULT_CONFIG
    if "semeval" not in args.skip:
        report_semeval(args.half, cache, config)
    if "headlines" not in args.skip:
        report_headlines(cache, config, args.half)
    if "speed" not in args.skip:
        report_throughput(cache, config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
