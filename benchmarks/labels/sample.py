"""Draw the reproducible sample of Mongolian headlines that was labelled by hand.

Run from the repository root::

    python benchmarks/labels/sample.py [--split dev|test] [--round 1|2] [--batch N]

It prints the sampled headlines (index, day, outlet, title) for a person to read;
it never writes corpus text into the repository.  The sample: every distinct URL
(first record kept) published on 2026-06-22 or later, split by day of month
(even = dev, odd = test), ordered by URL, then ``random.Random(SEED).sample`` of
SIZE per split, re-sorted by (day, URL).

Round 2 (dev only) is a second, disjoint draw for ``mongolia-headlines-dev2.tsv``: the
same dev pool minus every URL round 1 drew, ordered by URL, then
``random.Random(SEED2).sample`` of SIZE2, re-sorted by (day, URL).
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

SEED = 9
SIZE = 340
SEED2 = 92
SIZE2 = 260
FIRST_DAY = date(2026, 6, 22)
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "mongolia-news-headlines"


def publication_day(value: str) -> date:
    """The day of a corpus ``publish_date`` (``YYYY-MM-DD``, ``YYYY/MM/DD HH:MM`` or RFC 822)."""
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d %H:%M"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    return parsedate_to_datetime(value).date()


def split_of(day: date) -> str:
    return "dev" if day.day % 2 == 0 else "test"


def records(corpus: Path = CORPUS) -> list[dict[str, str]]:
    """Distinct-URL records of the corpus, first occurrence kept, with a ``day`` field added."""
    seen: dict[str, dict[str, str]] = {}
    for path in sorted((corpus / "daily").glob("*.json")):
        for rec in json.loads(path.read_text(encoding="utf-8")):
            url = rec.get("url", "").strip()
            if not url or url in seen:
                continue
            row = {k: str(v) for k, v in rec.items()}
            row["day"] = publication_day(rec["publish_date"]).isoformat()
            seen[url] = row
    return list(seen.values())


def _pool(split: str, corpus: Path) -> list[dict[str, str]]:
    pool = sorted(
        (r for r in records(corpus) if date.fromisoformat(r["day"]) >= FIRST_DAY),
        key=lambda r: r["url"],
    )
    return [r for r in pool if split_of(date.fromisoformat(r["day"])) == split]


def sample(split: str, corpus: Path = CORPUS, round_: int = 1) -> list[dict[str, str]]:
    """Round 1: the labelled sample of *split*. Round 2 (dev only): a disjoint second draw."""
    pool = _pool(split, corpus)
    chosen = random.Random(SEED).sample(pool, SIZE)
    if round_ == 2:
        if split != "dev":
            raise ValueError("round 2 is drawn from the dev pool only")
        drawn = {r["url"] for r in chosen}
        rest = [r for r in pool if r["url"] not in drawn]
        chosen = random.Random(SEED2).sample(rest, SIZE2)
    return sorted(chosen, key=lambda r: (r["day"], r["url"]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=["dev", "test"], default="test")
    parser.add_argument("--round", type=int, choices=[1, 2], default=1, dest="round_")
    parser.add_argument("--batch", type=int, default=None, help="print only batch N of 40")
    args = parser.parse_args()
    rows = sample(args.split, round_=args.round_)
    start, stop = (0, len(rows)) if args.batch is None else (args.batch * 40, args.batch * 40 + 40)
    for i in range(start, min(stop, len(rows))):
        r = rows[i]
        summary = r.get("summary", "")[:140]
        line = f"{i:3d} {r['day'][5:]} {r.get('source', '')[:10]:10s} {r['title']}"
        print(line + (f" || {summary}" if summary else ""))


if __name__ == "__main__":
    main()
