"""How often a fixed, generic answer passes as the translation of a real Mongolian headline.

Every distinct Cyrillic headline of ``../shared/corpora/mongolia-news-headlines``
(relative to the repository; read only, never copied) is given the answer a scripted
server returns ("Translated text", or ``--answer``), and checked as the LLM analyst checks
a translation (docs/llm.md): the verifier alone (before ``check_translation`` existed), and
``check_translation`` then the verifier (now). Halves: daily files of even index in date
order are dev, odd ones test.

    .venv/bin/python benchmarks/bench_translation_check.py --half dev

About a minute (one embedding per headline).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from watchfloor.backends.verify import Claim, Evidence, Verifier, check_translation

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "mongolia-news-headlines"


def headlines(corpus: Path, half: str) -> list[str]:
    """Distinct Cyrillic headlines of the daily files of *half*."""
    files = sorted((corpus / "daily").glob("*.json"))[0 if half == "dev" else 1 :: 2]
    seen: dict[str, None] = {}
    for path in files:
        for record in json.loads(path.read_text(encoding="utf-8")):
            title = " ".join(str(record.get("title") or "").split())
            if any("\u0400" <= c <= "\u04ff" for c in title):
                seen.setdefault(title, None)
    return list(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=["dev", "test"], default="test")
    parser.add_argument("--answer", default="Translated text")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"SKIP: corpus mongolia-news-headlines not found at {args.corpus}")
        return
    heads = headlines(args.corpus, args.half)
    before = now = 0
    for text in heads:
        pack = {"E1": Evidence("E1", ("a", 1), text, "mn")}
        if Verifier(pack).check(Claim(args.answer, ("E1",))).kept:
            before += 1
            now += check_translation(text, args.answer) is None
    print(
        f"{args.half}: {len(heads)} headlines; {args.answer!r} kept as their translation: "
        f"before {before}, now {now}"
    )


if __name__ == "__main__":
    main()
