"""Measure article-level security relevance on real Mongolian headlines against hand labels.

:func:`watchfloor.enrich.security.assess_security` reads each labelled headline of
``benchmarks/labels/mongolia-headlines-{dev,test}.tsv`` (docs/labels.md) with what the
report reads: the title, the body (the corpus summary), the detected language and the
classifier's categories. The corpus ``../shared/corpora/mongolia-news-headlines``
(relative to the repository; read only, never copied) gives the text; the language and the
categories come from the enrich stage's own functions (the categoriser loads the
multilingual embedding model once, about half a minute for a half). With ``--store`` they
are read instead from a store kept by ``bench_realweek.py --keep DIR`` (``DIR/realweek.db``),
exactly as the weekly report reads them.

The dev half is scored three times: on the first draw (``-dev.tsv``), on the second draw
(``-dev2.tsv``, labelled later: a fresh check of cues tuned on the first) and on both.

Printed per half:

- precision, recall and F1 of ``is_security`` against the ``security`` column;
- recall per labelled severity band (1, 2, 3) and of the significant stories (severity >= 2,
  about MN: what the weekly bench's recall counts), precision per assigned severity, and
  how often the assigned severity equals the labelled one;
- on every corpus headline of the half (labelled or not): how many are security, by kind.

``--errors`` (dev half only) lists the false negatives and false positives with their
score, kind and reason. ``--against LEXICON.toml`` (e.g. main's lexicon written out with
``git show main:src/watchfloor/data/security.toml``) lists the dev-day headlines, labelled
or not, whose verdict differs between that lexicon and the packaged one: what a new cue
pulls in beyond the labelled sample. On the test half only counts are printed.

    .venv/bin/python benchmarks/bench_security.py                       # test half
    .venv/bin/python benchmarks/bench_security.py --half dev --errors   # dev, with errors
    .venv/bin/python benchmarks/bench_security.py --half dev --store /tmp/rw/realweek.db

Only the dev half may guide tuning; the test half is for reporting.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from watchfloor.enrich.security import (
    SecurityAssessment,
    SecurityLexicon,
    assess_security,
    load_lexicon,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "labels"))
from bench_realweek import (
    CORPUS,
    COUNTRY,
    LABELS,
    Item,
    Label,
    corpus_items,
    half_labels,
    read_labels,
)
from sample import split_of


@dataclass(frozen=True, slots=True)
class Article:
    """What assess_security reads of one article."""

    title: str
    body: str
    language: str
    categories: tuple[str, ...]


def from_corpus(items: list[Item]) -> dict[str, Article]:
    """Title and summary from the corpus; language and categories as enrichment finds them."""
    from watchfloor.enrich.categorize import OTHER, categorize_many
    from watchfloor.enrich.language import detect_language

    cats = categorize_many([(i.title, i.summary) for i in items])
    out: dict[str, Article] = {}
    for item, found in zip(items, cats, strict=True):
        text = f"{item.title}\n\n{item.summary}" if item.summary else item.title
        guess = detect_language(text)
        out[item.url] = Article(
            item.title,
            item.summary,
            (guess.code if guess.known else "und").split("-")[0],
            tuple(c.category for c in found if c.category != OTHER),
        )
    return out


def from_store(path: Path, items: list[Item]) -> dict[str, Article]:
    """The stored article behind each item's URL (its own, canonical or a sighting's)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    query = (
        "select a.id, a.title, a.summary, a.content, coalesce(a.detected_language, a.language) "
        "from articles a where a.url = ? or a.canonical_url = ? "
        "union select a.id, a.title, a.summary, a.content, "
        "coalesce(a.detected_language, a.language) "
        "from sightings s join articles a on a.id = s.article_id where s.url = ?"
    )
    out: dict[str, Article] = {}
    for item in items:
        row = db.execute(query, (item.url, item.url, item.url)).fetchone()
        if row is None:
            continue
        aid, title, summary, content, language = row
        summary, content = summary or "", content or ""
        cats = tuple(
            c
            for (c,) in db.execute(
                "select category from article_categories where article_id = ?", (aid,)
            )
            if c != "other"
        )
        out[item.url] = Article(
            title,
            content if len(content) > len(summary) else summary,
            (language or "en").split("-")[0].lower(),
            cats,
        )
    db.close()
    return out


def _assess(art: Article, lexicon: SecurityLexicon | None = None) -> SecurityAssessment:
    return assess_security(
        art.title,
        art.body,
        language=art.language,
        categories=art.categories,
        lexicon=lexicon,
    )


def _share(num: int, den: int) -> str:
    return f"{num / den:.2f} ({num}/{den})" if den else "n/a (0/0)"


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def score(
    half: str,
    labels: dict[str, Label],
    articles: dict[str, Article],
    half_urls: list[str],
    *,
    errors: bool,
    name: str | None = None,
    census: bool = True,
) -> None:
    """Print the tables of one half (*name* titles a subset of its labels; *census* adds the
    count over all the half's headlines)."""
    tp = fp = fn = 0
    by_band: Counter[tuple[int, bool]] = Counter()  # (labelled severity, found)
    by_given: Counter[tuple[int, bool]] = Counter()  # (assigned severity, correct)
    same_severity = 0
    significant = found_significant = 0
    misses: list[tuple[Label, Article, SecurityAssessment]] = []
    false: list[tuple[Label, Article, SecurityAssessment]] = []
    present = [u for u in labels if u in articles]
    for url in present:
        lab, art = labels[url], articles[url]
        got = _assess(art)
        if lab.security:
            by_band[(lab.severity, got.is_security)] += 1
            if lab.significant:
                significant += 1
                found_significant += got.is_security
        if got.is_security:
            by_given[(got.severity, lab.security)] += 1
        if lab.security and got.is_security:
            tp += 1
            same_severity += got.severity == lab.severity
        elif lab.security:
            fn += 1
            misses.append((lab, art, got))
        elif got.is_security:
            fp += 1
            false.append((lab, art, got))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    print()
    print(f"## {name or half} half: {len(present)}/{len(labels)} labelled headlines found")
    print()
    print(f"| measure ({half}) | value |")
    print("|---|---|")
    print(f"| precision | {_share(tp, tp + fp)} |")
    print(f"| recall | {_share(tp, tp + fn)} |")
    print(f"| F1 | {f1:.2f} |")
    for band in (1, 2, 3):
        hit, miss = by_band[(band, True)], by_band[(band, False)]
        print(f"| recall, labelled severity {band} | {_share(hit, hit + miss)} |")
    print(
        f"| recall, significant (severity >= 2, about {COUNTRY}) "
        f"| {_share(found_significant, significant)} |"
    )
    for band in (1, 2, 3):
        ok, bad = by_given[(band, True)], by_given[(band, False)]
        print(f"| precision, assigned severity {band} | {_share(ok, ok + bad)} |")
    print(f"| assigned severity = labelled, true positives | {_share(same_severity, tp)} |")

    if census:
        _census(half, articles, half_urls)
    if errors and half == "dev":
        _errors(misses, false)


def _census(half: str, articles: dict[str, Article], half_urls: list[str]) -> None:
    verdicts = [_assess(articles[u]) for u in half_urls if u in articles]
    flagged = [v for v in verdicts if v.is_security]
    kinds = Counter(v.kind for v in flagged).most_common()
    print()
    print(
        f"all {half}-day headlines: {len(flagged)} of {len(verdicts)} security "
        f"({len(flagged) / max(1, len(verdicts)):.1%}); " + ", ".join(f"{k} {n}" for k, n in kinds)
    )
    print(
        "severity: "
        + ", ".join(f"{s}: {n}" for s, n in sorted(Counter(v.severity for v in flagged).items()))
    )


def _errors(
    misses: list[tuple[Label, Article, SecurityAssessment]],
    false: list[tuple[Label, Article, SecurityAssessment]],
) -> None:
    print()
    print(f"false negatives ({len(misses)}): labelled severity, about, score, kind, reason")
    for lab, art, got in misses:
        about = " ".join(sorted(lab.about)) or "-"
        print(f"  {lab.severity} {about} {got.score:.2f} {got.kind}: {_short(art.title)}")
        print(f"      {got.reason}")
    print(f"false positives ({len(false)}): score, kind, reason")
    for _lab, art, got in false:
        print(f"  {got.score:.2f} {got.kind}: {_short(art.title)}")
        print(f"      {got.reason}")


def against(
    half: str,
    path: Path,
    articles: dict[str, Article],
    half_urls: list[str],
    labels: dict[str, Label],
) -> None:
    """Headlines of *half* whose verdict or severity differs between the lexicon at *path*
    and the packaged one (the titles on the dev half only)."""
    other = load_lexicon(path)
    gained: list[tuple[str, SecurityAssessment]] = []
    lost: list[tuple[str, SecurityAssessment]] = []
    graded: list[tuple[str, SecurityAssessment]] = []
    for url in half_urls:
        art = articles.get(url)
        if art is None:
            continue
        new, old = _assess(art), _assess(art, other)
        if new.is_security and not old.is_security:
            gained.append((url, new))
        elif old.is_security and not new.is_security:
            lost.append((url, old))
        elif new.severity != old.severity:
            graded.append((url, new))
    print()
    print(
        f"against {path}: {len(gained)} {half}-day headlines newly security, "
        f"{len(lost)} no longer, {len(graded)} of another severity"
    )
    if half != "dev":
        return
    for sign, rows in (("+", gained), ("-", lost), ("~", graded)):
        for url, got in rows:
            lab = labels.get(url)
            mark = f"[label sec={int(lab.security)} sev={lab.severity}]" if lab else "[unlabelled]"
            print(f"  {sign} {mark} {got.severity} {got.kind}: {_short(articles[url].title)}")
            print(f"      {got.reason}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=["test", "dev", "both"], default="test")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument(
        "--store",
        type=Path,
        default=None,
        help="a realweek.db kept by bench_realweek.py --keep: read title, body, language and "
        "categories from it instead of computing them from the corpus",
    )
    ap.add_argument("--errors", action="store_true", help="list dev false negatives/positives")
    ap.add_argument(
        "--against",
        type=Path,
        default=None,
        help="a security lexicon (TOML) to compare with: the headlines whose verdict changes",
    )
    args = ap.parse_args()
    if not (args.corpus / "daily").is_dir():
        print(f"SKIP: corpus mongolia-news-headlines not found at {args.corpus}")
        return 0
    if args.store is not None and not args.store.is_file():
        print(f"SKIP: no store at {args.store} (run bench_realweek.py --keep DIR first)")
        return 0
    halves = ["test", "dev"] if args.half == "both" else [args.half]
    items = corpus_items(args.corpus)
    wanted = [i for i in items if split_of(i.published.date()) in halves]
    t0 = time.perf_counter()
    articles = from_store(args.store, wanted) if args.store else from_corpus(wanted)
    read = time.perf_counter() - t0
    source = f"store {args.store}" if args.store else f"corpus {args.corpus.name}"
    print(
        f"# bench_security  {len(articles)} headlines of the {'+'.join(halves)} half from {source}"
    )
    print(f"read in {read:.1f}s")
    for half in halves:
        labels = half_labels(half)
        half_urls = [i.url for i in wanted if split_of(i.published.date()) == half]
        t1 = time.perf_counter()
        if half == "dev":
            for draw, suffix in (("dev draw 1", ""), ("dev draw 2", "2")):
                path = LABELS / f"mongolia-headlines-dev{suffix}.tsv"
                if path.is_file():
                    draw_labels = read_labels(path)
                    score(
                        half,
                        draw_labels,
                        articles,
                        half_urls,
                        errors=False,
                        name=draw,
                        census=False,
                    )
        score(half, labels, articles, half_urls, errors=args.errors)
        per = (time.perf_counter() - t1) / max(1, len(half_urls) + len(labels))
        print(f"assess_security: {per * 1e6:.0f} us per headline")
        if args.against is not None:
            against(half, args.against, articles, half_urls, labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
