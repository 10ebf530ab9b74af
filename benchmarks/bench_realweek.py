"""Measure the weekly Mongolia reports built from real Mongolian news against hand labels.

The corpus ``../shared/corpora/mongolia-news-headlines`` (relative to the repository; read
only, never copied) becomes one RSS 2.0 file per outlet in a temporary folder (pubDate
from ``publish_date``, one item per URL, the first record kept). A fresh SQLite store gets
each file as a source with ``--country MN``; the services collect, enrich and build the
report of every Monday-Sunday week the corpus touches. The hand labels in
``benchmarks/labels/mongolia-headlines-{dev,test}.tsv`` (see docs/labels.md; the dev half also
reads the second dev draw ``mongolia-headlines-dev2.tsv``) then score:

- precision: developments whose labelled articles (of the chosen half) are mostly
  security = 1 and about MN, among developments with any labelled article;
- recall: labelled articles with severity >= 2, security = 1 and MN in ``about`` that some
  development cites;
- foreign share: developments whose labelled articles are mostly not about MN;
- attribution: the store's "about" countries of each labelled article against the label
  (MN yes/no, and the exact set);
- each week's threat level, score, top factor and its top contributors;
- report length (developments, words of the Markdown) and run times;
- recall and precision of each week's first N developments for the smaller caps of
  ``--caps`` (the ranking: the first N are what a cap of N would keep), with the labelled
  severity of those developments.

``--half dev --dump FILE`` writes every week's developments in rank order with their
dev-day titles and labels, for reading (test-day articles are left out).

    .venv/bin/python benchmarks/bench_realweek.py               # the test half (odd days)
    .venv/bin/python benchmarks/bench_realweek.py --half dev    # the dev half (even days)
    .venv/bin/python benchmarks/bench_realweek.py --half both   # one run, both tables

The pipeline (collect, enrich of ~2,000 articles, four weekly reports) takes about four
minutes on two shared cores. Development and annex counts may differ by one or two
between runs (clustering order).

Only the dev half may guide tuning; the test half is for reporting.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from watchfloor.config import load_settings
from watchfloor.models.report import Development, Report
from watchfloor.services import collect as collect_service
from watchfloor.services import enrich as enrich_service
from watchfloor.services import reports as report_service
from watchfloor.services import sources as source_service
from watchfloor.store.db import Store
from watchfloor.store.evaluation import ArticleAttribution, attributions_by_url

sys.path.insert(0, str(Path(__file__).resolve().parent / "labels"))
from sample import publication_day, split_of

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "mongolia-news-headlines"
LABELS = Path(__file__).resolve().parent / "labels"
COUNTRY = "MN"
#: Outlet names (the corpus writes them in Chinese) of government bodies: ministries (部),
#: agencies and bureaus (局), governments (政府), the central bank (央行), parliament.
OFFICIAL = re.compile(r"(部|局|政府|央行|大呼拉尔)$")


@dataclass(frozen=True, slots=True)
class Label:
    url: str
    split: str
    day: date
    about: frozenset[str]
    security: bool
    severity: int

    @property
    def significant(self) -> bool:
        """Severity >= 2, security, about the country: what recall counts."""
        return self.security and self.severity >= 2 and COUNTRY in self.about

    @property
    def on_target(self) -> bool:
        """Security and about the country: what a key development should be."""
        return self.security and COUNTRY in self.about


def read_labels(path: Path) -> dict[str, Label]:
    """The label file *path* keyed by URL."""
    out: dict[str, Label] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            about = frozenset() if row["about"] == "-" else frozenset(row["about"].split())
            out[row["url"]] = Label(
                url=row["url"],
                split=row["split"],
                day=date.fromisoformat(row["day"]),
                about=about,
                security=row["security"] == "1",
                severity=int(row["severity"]),
            )
    return out


def half_labels(half: str) -> dict[str, Label]:
    """Every label of *half*: for dev, both draws (``-dev.tsv`` and ``-dev2.tsv``)."""
    out = read_labels(LABELS / f"mongolia-headlines-{half}.tsv")
    extra = LABELS / f"mongolia-headlines-{half}2.tsv"
    if half == "dev" and extra.is_file():
        out |= read_labels(extra)
    return out


@dataclass(frozen=True, slots=True)
class Item:
    url: str
    title: str
    summary: str
    published: datetime
    outlet: str


def corpus_items(corpus: Path) -> list[Item]:
    """Every distinct URL of the corpus (first record kept), with its publication time."""
    import json

    seen: dict[str, Item] = {}
    for path in sorted((corpus / "daily").glob("*.json")):
        for rec in json.loads(path.read_text(encoding="utf-8")):
            url = str(rec.get("url", "")).strip()
            title = str(rec.get("title", "")).strip()
            if not url or not title or url in seen:
                continue
            published = _published(str(rec["publish_date"]))
            seen[url] = Item(
                url,
                title,
                str(rec.get("summary") or ""),
                published,
                str(rec.get("source") or "unknown"),
            )
    return list(seen.values())


def _published(value: str) -> datetime:
    """A timestamp whose UTC date is the record's publication day (see labels/sample.py)."""
    day = publication_day(value)
    value = value.strip()
    if len(value) == 16 and value[4] == "/":  # "2026/06/20 18:48", Ulaanbaatar time
        local = datetime.strptime(value, "%Y/%m/%d %H:%M")
        stamp = local.replace(tzinfo=UTC) - timedelta(hours=8)
        if stamp.date() == day:
            return stamp
    return datetime(day.year, day.month, day.day, 4, 0, tzinfo=UTC)


def write_feeds(items: list[Item], folder: Path) -> dict[str, Path]:
    """One RSS 2.0 file per outlet in *folder*; returns outlet -> file."""
    by_outlet: dict[str, list[Item]] = {}
    for item in items:
        by_outlet.setdefault(item.outlet, []).append(item)
    files: dict[str, Path] = {}
    for n, (outlet, group) in enumerate(sorted(by_outlet.items())):
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>',
            f"<title>{escape(outlet)}</title><link>https://outlet{n}.example/</link>",
            "<description>Mongolian news headlines (evaluation corpus)</description>",
        ]
        for item in group:
            parts.append(
                "<item>"
                f"<title>{escape(item.title)}</title>"
                f"<link>{escape(item.url)}</link>"
                f'<guid isPermaLink="true">{escape(item.url)}</guid>'
                f"<pubDate>{format_datetime(item.published)}</pubDate>"
                + (f"<description>{escape(item.summary)}</description>" if item.summary else "")
                + "</item>"
            )
        parts.append("</channel></rss>\n")
        path = folder / f"outlet{n:02d}.xml"
        path.write_text("".join(parts), encoding="utf-8")
        files[outlet] = path
    return files


def weeks(items: list[Item]) -> list[tuple[date, date]]:
    """Every Monday-Sunday week holding at least one corpus item."""
    mondays = sorted({i.published.date() - timedelta(days=i.published.weekday()) for i in items})
    return [(m, m + timedelta(days=6)) for m in mondays]


@dataclass
class WeekResult:
    start: date
    end: date
    report: Report
    seconds: float
    words: int


def _short(text: str, n: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _score(rep: Report) -> str:
    return "-" if rep.threat.score is None else f"{rep.threat.score:.0f}"


def _share(num: int, den: int) -> str:
    return f"{num / den:.2f} ({num}/{den})" if den else "n/a (0/0)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--half", choices=["test", "dev", "both"], default="test", help="both: one run, two tables"
    )
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--keep", type=Path, default=None, help="keep the store and feeds here")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: build the reports from the store kept there by an earlier run "
        "(no new collect or enrichment), to compare selection changes on the same clusters",
    )
    ap.add_argument(
        "--caps",
        default="8,10,12",
        help="comma-separated smaller caps at which to also score recall and the labelled "
        "severity of the top developments (read off each week's ranked developments)",
    )
    ap.add_argument(
        "--dump",
        type=Path,
        default=None,
        help="with --half dev: write every week's developments in rank order, with their "
        "dev-day titles and labels, to this file (for reading; test days are left out)",
    )
    ap.add_argument(
        "--standards",
        action="store_true",
        help="also print the credibility grades of the key developments and the coverage",
    )
    args = ap.parse_args()
    if not (args.corpus / "daily").is_dir():
        print(f"SKIP: corpus mongolia-news-headlines not found at {args.corpus}")
        return 0
    halves = ["test", "dev"] if args.half == "both" else [args.half]
    every = {h: half_labels(h) for h in halves}
    items = corpus_items(args.corpus)

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        reuse = bool(args.reuse and args.keep and (folder / "realweek.db").exists())
        store = Store(f"sqlite:///{folder / 'realweek.db'}")
        store.init()
        settings = load_settings(env={}, overrides={"db": store.url})
        feeds = write_feeds(items, folder)
        for outlet, path in feeds.items() if not reuse else ():
            added = source_service.add_source(
                settings, store, str(path), name=outlet, countries=[COUNTRY]
            )
            if OFFICIAL.search(outlet):
                # A ministry, agency, government or parliament publishing its own news:
                # official (docs/standards.md); its reliability stays ungraded (F).
                source_service.rate_source(
                    store, added.source.id, "F", why="government body", official=True
                )
        t0 = time.perf_counter()
        collected = None if reuse else collect_service.collect(settings, store, force=True)
        t1 = time.perf_counter()
        enriched = None if reuse else enrich_service.enrich(settings, store)
        t2 = time.perf_counter()
        results: list[WeekResult] = []
        for start, end in weeks(items):
            w0 = time.perf_counter()
            built = report_service.build_and_store(
                settings, store, country=COUNTRY, start=start, end=end
            )
            seconds = time.perf_counter() - w0
            words = len(report_service.render_text(built.report, "md").split())
            results.append(WeekResult(start, end, built.report, seconds, words))
        with store.connect() as conn:
            stored = attributions_by_url(conn, [u for lab in every.values() for u in lab])
        store.dispose()

    print(f"# bench_realweek  corpus items={len(items)}  outlets={len(feeds)}")
    if collected is None or enriched is None:
        print(f"reused the store in {folder} (no collect, no enrichment)")
    else:
        print(
            f"collect: {collected.summary.totals().new} new articles in {t1 - t0:.1f}s; "
            f"enrich: {enriched.articles} articles in {t2 - t1:.1f}s"
        )
    caps = sorted({int(c) for c in args.caps.split(",") if c.strip()})
    for half in halves:
        score(half, every[half], items, results, stored, caps)
    if args.dump is not None and halves == ["dev"]:
        dump(args.dump, every["dev"], items, results, stored)
    categories = Counter(
        d.category for r in results for d in r.report.key_developments
    ).most_common(6)
    print("development categories, all weeks: " + ", ".join(f"{c} {n}" for c, n in categories))
    if args.standards:
        standards(results)
    return 0


def standards(results: list[WeekResult]) -> None:
    """Credibility grades of the key developments and the coverage of each week."""
    print()
    print("## standards: grades of the key developments, coverage and confidence")
    print()
    print(
        "| week | level | confidence | grades | single-source | official | conflicts "
        "| sources worked/failed/stale | articles/day (usual) | languages "
        "| no place | date estimated |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    every: Counter[str] = Counter()
    for res in results:
        rep, cov = res.report, res.report.coverage
        grades = Counter(d.credibility.grade for d in rep.key_developments if d.credibility)
        every.update(grades)
        creds = [d.credibility for d in rep.key_developments if d.credibility]
        if cov is None:
            continue
        usual = f"{cov.usual_per_day:.1f}" if cov.usual_per_day is not None else "unknown"
        langs = ", ".join(f"{k} {n}" for k, n in cov.languages.items())
        print(
            f"| {res.start}..{res.end} | {rep.threat_level} | {rep.threat.confidence or '-'} | "
            + (", ".join(f"{g} {n}" for g, n in sorted(grades.items())) or "-")
            + f" | {sum(c.single_source for c in creds)} | {sum(c.official for c in creds)} "
            f"| {sum(bool(c.conflicts) for c in creds)} | {cov.worked}/{cov.failed}/{cov.stale} "
            f"| {cov.articles / max(1, len(cov.per_day)):.1f} ({usual}) | {langs} "
            f"| {cov.unresolved_places:.0%} | {cov.unresolved_dates:.0%} |"
        )
    total = sum(every.values())
    by_number: Counter[str] = Counter()
    for grade, n in every.items():
        by_number[grade[1]] += n
    print()
    print(
        f"credibility of all {total} key developments: "
        + ", ".join(f"{k}: {n} ({n / total:.0%})" for k, n in sorted(by_number.items()))
        if total
        else "no key development"
    )


def score(
    half: str,
    labels: dict[str, Label],
    items: list[Item],
    results: list[WeekResult],
    stored: dict[str, ArticleAttribution],
    caps: list[int] | None = None,
) -> None:
    """Print the tables of one half."""
    half_urls = {i.url for i in items if split_of(i.published.date()) == half}
    print()
    print(f"## {half} half: {len(half_urls)} corpus articles, {len(labels)} labelled")

    # --- selection: precision, foreign share, recall -------------------------------------
    # A labelled URL may have been merged by collect into an article seen at another URL
    # (same headline from several pages): match on the store's article ids.
    by_article: dict[int, list[Label]] = {}
    for url, lab in labels.items():
        if url in stored:
            by_article.setdefault(stored[url].article_id, []).append(lab)
    cited: set[int] = set()
    judged = correct = foreign = 0
    unlabelled = 0
    for res in results:
        annex = {a.id: a.article_id for a in res.report.annex}
        for dev in res.report.key_developments:
            ids = {i for i in (annex.get(s) for s in dev.sources) if i is not None}
            cited.update(ids)
            mine = [lab for i in ids for lab in by_article.get(i, [])]
            if not mine:
                unlabelled += 1
                continue
            judged += 1
            if sum(lab.on_target for lab in mine) * 2 > len(mine):
                correct += 1
            if sum(COUNTRY not in lab.about for lab in mine) * 2 > len(mine):
                foreign += 1
    in_weeks = {u for u, lab in labels.items() if any(r.start <= lab.day <= r.end for r in results)}
    targets = [lab for u, lab in labels.items() if lab.significant and u in in_weeks]
    found = [lab for lab in targets if lab.url in stored and stored[lab.url].article_id in cited]
    total_devs = sum(len(r.report.key_developments) for r in results)

    # --- attribution -----------------------------------------------------------------------
    present = [u for u in labels if u in stored]
    mn_ok = sum((COUNTRY in stored[u].about) == (COUNTRY in labels[u].about) for u in present)
    exact_ok = sum(stored[u].about == labels[u].about for u in present)
    gold_mn = [u for u in present if COUNTRY in labels[u].about]
    gold_other = [u for u in present if COUNTRY not in labels[u].about]
    mn_recall = sum(COUNTRY in stored[u].about for u in gold_mn)
    other_ok = sum(COUNTRY not in stored[u].about for u in gold_other)

    print()
    print(f"| measure ({half} days) | value |")
    print("|---|---|")
    print(f"| developments, all weeks | {total_devs} ({judged} with a labelled article) |")
    print(f"| precision: security and about MN | {_share(correct, judged)} |")
    print(f"| recall: severity>=2, security, MN | {_share(len(found), len(targets))} |")
    print(f"| developments about another country | {_share(foreign, judged)} |")
    print(f"| labelled articles found in the store | {len(present)}/{len(labels)} |")
    print(f"| attribution: MN yes/no agrees | {_share(mn_ok, len(present))} |")
    print(f"| attribution: exact country set | {_share(exact_ok, len(present))} |")
    print(f"| attribution: gold MN kept as MN | {_share(mn_recall, len(gold_mn))} |")
    print(f"| attribution: gold not-MN kept out of MN | {_share(other_ok, len(gold_other))} |")

    print()
    print(
        "| week | articles | devs | words | level | score | top factor "
        "| top contributors | report s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for res in results:
        rep = res.report
        annex_title = {a.id: a.title for a in rep.annex}
        factors = sorted(rep.threat.factors, key=lambda f: f.contribution, reverse=True)
        top = factors[0] if factors else None
        contributors = (
            "; ".join(_short(annex_title.get(s, "?"), 40) for s in top.sources[:3]) if top else ""
        )
        factor = f"{top.name} {top.contribution:.1f} ({_short(top.detail, 40)})" if top else "-"
        print(
            f"| {res.start}..{res.end} | {rep.method.articles} | {len(rep.key_developments)} | "
            f"{res.words} | {rep.threat_level} | {_score(rep)} | {factor} | "
            f"{contributors} | {res.seconds:.1f} |"
        )

    if caps:
        at_caps(half, caps, targets, by_article, results, stored)

    missed = [lab for lab in targets if lab not in found]
    if missed:
        print()
        print(f"missed significant stories ({len(missed)}): " + ", ".join(m.url for m in missed))
        # Why each was left out: the report's own exclusion record (reason and detail).
        why: dict[int, str] = {}
        for res in results:
            for ex in res.report.excluded:
                why.setdefault(ex.article_id, f"{ex.reason}: {_short(ex.detail, 70)}")
        for lab in missed:
            got = stored.get(lab.url)
            reason = why.get(got.article_id, "not in any report") if got else "not in the store"
            print(f"  {lab.url}  {reason}")


def _ranked(rep: Report) -> list[tuple[Development, set[int]]]:
    """The report's developments in rank order (pinned first), with their article ids."""
    annex = {a.id: a.article_id for a in rep.annex}
    devs = sorted(rep.key_developments, key=lambda d: (d.pinned is None, -d.significance))
    return [(d, {i for i in (annex.get(s) for s in d.sources) if i is not None}) for d in devs]


def at_caps(
    half: str,
    caps: list[int],
    targets: list[Label],
    by_article: dict[int, list[Label]],
    results: list[WeekResult],
    stored: dict[str, ArticleAttribution],
) -> None:
    """Recall, precision and labelled severity of each week's first *cap* developments.

    The selection keeps the first candidates by significance, so the first *cap* of a
    report built at a larger cap are the report a smaller cap would build. A development's
    labelled severity is the highest severity among its labelled articles that are on
    target (security and about the country), 0 when none is.
    """
    print()
    print(
        f"| cap ({half} days) | recall: severity>=2, security, MN | precision "
        "| labelled devs | mean labelled severity | severity>=2 devs |"
    )
    print("|---|---|---|---|---|---|")
    for cap in caps:
        cited: set[int] = set()
        judged = correct = significant = 0
        severities: list[int] = []
        for res in results:
            for _dev, ids in _ranked(res.report)[:cap]:
                cited.update(ids)
                mine = [lab for i in ids for lab in by_article.get(i, [])]
                if not mine:
                    continue
                judged += 1
                correct += sum(lab.on_target for lab in mine) * 2 > len(mine)
                level = max((lab.severity for lab in mine if lab.on_target), default=0)
                severities.append(level)
                significant += level >= 2
        found = sum(1 for t in targets if t.url in stored and stored[t.url].article_id in cited)
        mean = f"{sum(severities) / len(severities):.2f}" if severities else "-"
        print(
            f"| {cap} | {_share(found, len(targets))} | {_share(correct, judged)} "
            f"| {judged} | {mean} | {significant} |"
        )


def dump(
    path: Path,
    labels: dict[str, Label],
    items: list[Item],
    results: list[WeekResult],
    stored: dict[str, ArticleAttribution],
) -> None:
    """Every week's developments in rank order with their dev-day titles and labels."""
    dev_urls = {i.url for i in items if split_of(i.published.date()) == "dev"}
    url_of = {att.article_id: u for u, att in stored.items()}
    lines: list[str] = []
    for res in results:
        rep = res.report
        titles = {a.id: (a.article_id, a.title, a.url) for a in rep.annex}
        lines.append(f"## week {res.start}..{res.end}")
        for rank, (dev, _ids) in enumerate(_ranked(rep), 1):
            shown = []
            for s in dev.sources:
                art, title, url = titles[s]
                if url is None or url not in dev_urls:
                    continue
                lab = labels.get(url) or labels.get(url_of.get(art or 0, ""))
                mark = (
                    f"[sec={int(lab.security)} sev={lab.severity} {' '.join(sorted(lab.about))}]"
                    if lab
                    else ""
                )
                shown.append(f"    - {mark} {_short(title, 110)}")
            if not shown:
                continue
            lines.append(
                f"{rank:2d}. {dev.significance:.2f} L{dev.severity_level} {dev.category} "
                f"{dev.where}: {_short(dev.title, 90)}"
            )
            lines.extend(shown)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
