"""Score watchfloor's article extraction on the Zyte article-extraction benchmark.

Reads ``../shared/corpora/article-extraction-benchmark`` (or ``$WATCHFLOOR_SHARED``), runs
:func:`watchfloor.collect.extract.extract_article` on one half of the pages and prints
shingle precision, recall, F1 and exact-match accuracy beside the stored outputs of other
extractors on the same pages, plus our speed in pages per second.

The metric is the benchmark's own (see its SOURCE.md): ``\\w+`` tokens, 4-gram shingle
multisets, per-page TP/FP/FN normalised to sum to 1, precision and recall averaged over
pages, F1 from the two means; ± is the std of F1 over 1,000 bootstrap resamples of pages.
Halves: pages sorted by file name; even indices are the dev half (tune there), odd the test
half (report that).

    .venv/bin/python benchmarks/bench_extract.py                 # test half, default settings
    .venv/bin/python benchmarks/bench_extract.py --half dev --favor balanced
    .venv/bin/python benchmarks/bench_extract.py --corpus trafilatura-eval   # second corpus
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from watchfloor.collect.extract import Favor, extract_article
from watchfloor.errors import ParseError

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpora" / "article-extraction-benchmark"
TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Count the n-gram shingles of a text's word tokens (one shingle if it is short)."""
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_scores(gold: str, pred: str) -> tuple[float, float, bool]:
    """Return (precision, recall, exact token match) for one page."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    exact = TOKEN.findall(gold or "") == TOKEN.findall(pred or "")
    if fp == fn == 0:
        return 1.0, 1.0, exact
    if tp == 0:
        return 0.0, 0.0, exact
    # normalising TP/FP/FN to sum to 1 leaves these ratios unchanged
    return tp / (tp + fp), tp / (tp + fn), exact


def summarise(scores: list[tuple[float, float, bool]], seed: int = 0) -> dict[str, float]:
    """Mean precision and recall, F1 of the means, accuracy and a bootstrap std of F1."""

    def f1(sample: list[tuple[float, float, bool]]) -> float:
        p = sum(s[0] for s in sample) / len(sample)
        r = sum(s[1] for s in sample) / len(sample)
        return 2 * p * r / (p + r) if p + r else 0.0

    rng = random.Random(seed)
    boots = [f1(rng.choices(scores, k=len(scores))) for _ in range(1000)]
    mean = sum(boots) / len(boots)
    std = (sum((b - mean) ** 2 for b in boots) / len(boots)) ** 0.5
    return {
        "precision": sum(s[0] for s in scores) / len(scores),
        "recall": sum(s[1] for s in scores) / len(scores),
        "f1": f1(scores),
        "f1_std": std,
        "accuracy": sum(s[2] for s in scores) / len(scores),
    }


def load_outputs(path: Path) -> dict[str, str]:
    """Read a stored system output: {id: {"articleBody": ...}}, maybe under "output"."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if "output" in data and isinstance(data["output"], dict):
        data = data["output"]
    return {k: (v or {}).get("articleBody") or "" for k, v in data.items()}


def run_trafilatura_eval(half: str, favor: Favor) -> int:
    """Score must-have / must-not-have segments on trafilatura's evaluation subset."""
    corpus = SHARED / "corpora" / "trafilatura-eval"
    if not corpus.exists():
        print(f"corpus not found at {corpus}: set WATCHFLOOR_SHARED", file=sys.stderr)
        return 2
    entries = json.loads((corpus / "evaldata-subset.json").read_text(encoding="utf-8"))
    items = sorted(entries.values(), key=lambda e: e["file"])
    if half != "all":
        items = items[1::2] if half == "test" else items[0::2]
    tp = fn = fp = tn = failures = 0
    start = time.perf_counter()
    texts = []
    for entry in items:
        content = gzip.decompress((corpus / "html" / (entry["file"] + ".gz")).read_bytes())
        try:
            texts.append(" ".join(extract_article(content, favor=favor).text.split()))
        except ParseError:
            failures += 1
            texts.append("")
    elapsed = time.perf_counter() - start
    for entry, text in zip(items, texts, strict=True):
        for segment in entry.get("with") or []:
            found = " ".join(segment.split()) in text
            tp, fn = tp + found, fn + (not found)
        for segment in entry.get("without") or []:
            found = " ".join(segment.split()) in text
            fp, tn = fp + found, tn + (not found)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (tp + tn) / max(1, tp + fn + fp + tn)
    print(f"trafilatura-eval subset, {half} half: {len(items)} pages, favor={favor}")
    print(f"P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  accuracy {accuracy:.3f}")
    print(f"speed: {len(items) / elapsed:.1f} pages/s; no text on {failures} pages")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=["dev", "test", "all"], default="test")
    parser.add_argument("--favor", choices=["precision", "balanced", "recall"], default="precision")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--corpus", choices=["zyte", "trafilatura-eval"], default="zyte",
        help="zyte: article-extraction-benchmark (default); trafilatura-eval: segment checks",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.corpus == "trafilatura-eval":
        return run_trafilatura_eval(args.half, args.favor)
    if not CORPUS.exists():
        print(f"corpus not found at {CORPUS}: set WATCHFLOOR_SHARED", file=sys.stderr)
        return 2

    gold = load_outputs(CORPUS / "ground-truth.json")
    urls = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    files = sorted((CORPUS / "html").glob("*.html.gz"))
    if args.half != "all":
        files = files[1::2] if args.half == "test" else files[0::2]
    ids = [f.name.removesuffix(".html.gz") for f in files]
    pages = [gzip.decompress(f.read_bytes()) for f in files]

    ours: dict[str, str] = {}
    failures = 0
    start = time.perf_counter()
    for page_id, content in zip(ids, pages, strict=True):
        try:
            article = extract_article(content, url=urls[page_id].get("url"), favor=args.favor)
            ours[page_id] = article.text
        except ParseError:
            failures += 1
            ours[page_id] = ""
    elapsed = time.perf_counter() - start

    systems = {"watchfloor (trafilatura " + _trafilatura_version() + ")": ours}
    for path in sorted((CORPUS / "baseline-output").glob("*.json")):
        systems["stored: " + path.stem] = load_outputs(path)
    results = {
        name: summarise([page_scores(gold[i], out.get(i, "")) for i in ids])
        for name, out in systems.items()
    }
    speed = len(ids) / elapsed
    if args.json:
        print(json.dumps({"half": args.half, "pages": len(ids), "pages_per_s": speed,
                          "no_text": failures, "results": results}, indent=2))  # fmt: skip
        return 0
    print(f"article-extraction-benchmark, {args.half} half: {len(ids)} pages, favor={args.favor}")
    print(f"{'system':<36} {'F1':>14} {'P':>6} {'R':>6} {'acc':>6}")
    for name, r in sorted(results.items(), key=lambda kv: -kv[1]["f1"]):
        print(
            f"{name:<36} {r['f1']:.3f} ± {r['f1_std']:.3f} {r['precision']:6.3f} "
            f"{r['recall']:6.3f} {r['accuracy']:6.3f}"
        )
    print(f"speed: {speed:.1f} pages/s on one core ({elapsed:.1f} s); no text on {failures} pages")
    return 0


def _trafilatura_version() -> str:
    import trafilatura

    return str(trafilatura.__version__)


if __name__ == "__main__":
    sys.exit(main())
