"""Measure the geoparser on real Mongolian headlines against the hand-labelled places.

The corpus ``../shared/corpora/mongolia-news-headlines`` (relative to the repository; read
only, never copied) gives the text of each labelled URL: the headline, and the summary
after a blank line when the corpus has one, as the enrich stage joins title and body. The
real :class:`~watchfloor.enrich.geoparse.Geoparser` reads it as the enrich stage reads a
Mongolian outlet's article: language ``mn`` and country hint ``MN``. The ``places`` column
of ``benchmarks/labels/mongolia-headlines-{dev,test}.tsv`` (docs/labels.md) is the gold.

Scoring, per headline, on distinct places:

- scored predictions are the places a map would draw: countries, admin-1 units and
  settlements (``feature`` country, admin1, city), nationality words excluded;
  continents, world regions, seas, ranges, mines and bases are neither labelled nor
  scored (their count is printed);
- a prediction matches a label of the same country when both are that country, or when
  it is the same gazetteer entry or lies within 25 km of the labelled place;
- precision: scored predictions matching some label; recall: labels matched by some
  prediction;
- "sub-national" keeps only labels and predictions below the country level (what the
  map needs); "all" adds countries.

    .venv/bin/python benchmarks/bench_places_mn.py               # the test half (odd days)
    .venv/bin/python benchmarks/bench_places_mn.py --half dev --show  # dev, with errors

Only the dev half may guide tuning; the test half is for reporting. About 10 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from watchfloor.enrich.gazetteer import Gazetteer, haversine_km, load_gazetteer
from watchfloor.enrich.geoparse import Geoparser, ResolvedPlace

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "mongolia-news-headlines"
LABELS = Path(__file__).resolve().parent / "labels"
NEAR_KM = 25.0
SCORED_FEATURES = frozenset({"country", "admin1", "city"})
LANGUAGE = "mn"
COUNTRY_HINT = "MN"
# One label: a bare ISO code (a country), or "NAME CC [admin1|city] [@LAT,LNG]".
_PLACE = re.compile(
    r"^(?P<name>\S(?:.*\S)?) (?P<cc>[A-Z]{2})(?: (?P<kind>admin1|city))?"
    r"(?: @(?P<lat>-?\d{1,2}(?:\.\d+)?),(?P<lng>-?\d{1,3}(?:\.\d+)?))?$"
)
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """One labelled place as written in the ``places`` column."""

    raw: str
    country: str
    name: str = ""  # empty for a country
    kind: str = ""  # "admin1" or "city" when the label says which entry is meant
    coords: tuple[float, float] | None = None  # for places the gazetteer lacks

    @property
    def subnational(self) -> bool:
        return bool(self.name)


@dataclass(frozen=True, slots=True)
class Target:
    """A labelled place resolved to a point (countries have no point)."""

    spec: LabelSpec
    place_id: int | None
    lat: float
    lng: float


def parse_places(value: str) -> list[LabelSpec]:
    """Parse one ``places`` cell; raises ValueError on a malformed entry."""
    if value == "-":
        return []
    out: list[LabelSpec] = []
    for raw in value.split(";"):
        if _COUNTRY.match(raw):
            out.append(LabelSpec(raw, raw))
            continue
        m = _PLACE.match(raw)
        if m is None:
            raise ValueError(f"malformed place label {raw!r}")
        coords = (float(m["lat"]), float(m["lng"])) if m["lat"] is not None else None
        out.append(LabelSpec(raw, m["cc"], m["name"], m["kind"] or "", coords))
    if len({s.raw for s in out}) != len(out):
        raise ValueError(f"repeated place in {value!r}")
    return out


def resolve_label(spec: LabelSpec, gaz: Gazetteer) -> Target:
    """Resolve a label to its gazetteer entry: the entries of that name in that country,
    of the kind it names if any, admin-1 before settlements, then the most populous.
    A label with ``@lat,lng`` is taken at that point. Raises LookupError when unresolved."""
    if not spec.name:
        if gaz.country(spec.country) is None:
            raise LookupError(f"unknown country {spec.raw!r}")
        return Target(spec, None, 0.0, 0.0)
    if spec.coords is not None:
        return Target(spec, None, *spec.coords)
    cands = [
        p
        for p, _alt in gaz.lookup(spec.name)
        if p.country == spec.country and (not spec.kind or p.feature == spec.kind)
    ]
    if not cands:
        raise LookupError(f"no gazetteer entry for {spec.raw!r}")
    best = min(cands, key=lambda p: (p.feature != "admin1", -p.population))
    return Target(spec, best.id, best.lat, best.lng)


def matches(pred: ResolvedPlace, place_id: int, target: Target) -> bool:
    """Say whether a prediction names the labelled place (see the module docstring)."""
    if pred.country != target.spec.country:
        return False
    if not target.spec.subnational:
        return pred.feature == "country"
    if pred.feature == "country":
        return False
    if target.place_id is not None and place_id == target.place_id:
        return True
    return haversine_km(pred.lat, pred.lng, target.lat, target.lng) <= NEAR_KM


@dataclass(frozen=True, slots=True)
class Row:
    url: str
    index: int
    text: str
    targets: list[Target]


def read_rows(split: str, gaz: Gazetteer, corpus: Path = CORPUS) -> list[Row]:
    """The labelled rows of SPLIT, each with its corpus text and resolved labels."""
    texts: dict[str, str] = {}
    for path in sorted((corpus / "daily").glob("*.json")):
        for rec in json.loads(path.read_text(encoding="utf-8")):
            url = str(rec.get("url", "")).strip()
            if url and url not in texts:
                title = str(rec.get("title") or "").strip()
                summary = str(rec.get("summary") or "").strip()
                texts[url] = f"{title}\n\n{summary}" if summary else title
    rows = []
    path = LABELS / f"mongolia-headlines-{split}.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        for n, rec in enumerate(csv.DictReader(handle, delimiter="\t")):
            targets = [resolve_label(s, gaz) for s in parse_places(rec["places"])]
            rows.append(Row(rec["url"], n, texts[rec["url"]], targets))
    return rows


@dataclass
class Tally:
    predicted: int = 0
    correct: int = 0
    labelled: int = 0
    found: int = 0

    def line(self, name: str) -> str:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.found / self.labelled if self.labelled else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return (
            f"{name:14s} P {p:.3f} ({self.correct}/{self.predicted})  "
            f"R {r:.3f} ({self.found}/{self.labelled})  F1 {f1:.3f}"
        )


def score(rows: list[Row], parser: Geoparser, *, show: bool = False) -> tuple[Tally, Tally, int]:
    """Return (sub-national, all, unscored predictions); print errors when SHOW."""
    sub, every, unscored = Tally(), Tally(), 0
    for row in rows:
        seen: dict[int, ResolvedPlace] = {}
        for p in parser.parse(row.text, country_hint=COUNTRY_HINT, language=LANGUAGE):
            if p.demonym or p.feature not in SCORED_FEATURES:
                unscored += 1
                continue
            place_id = _place_id(parser.gazetteer, p)
            seen.setdefault(place_id, p)
        preds = list(seen.items())
        for tally, national in ((sub, False), (every, True)):
            targets = [t for t in row.targets if national or t.spec.subnational]
            cand = [(i, p) for i, p in preds if national or p.feature != "country"]
            tally.labelled += len(targets)
            tally.predicted += len(cand)
            hit = [any(matches(p, i, t) for i, p in cand) for t in targets]
            ok = [any(matches(p, i, t) for t in targets) for i, p in cand]
            tally.found += sum(hit)
            tally.correct += sum(ok)
            if show and national:
                short = " ".join(row.text.split())[:110]
                for (_i, p), good in zip(cand, ok, strict=True):
                    if not good:
                        print(
                            f"  FP   {row.index:3d} {p.text!r} -> {p.name}/{p.country}/"
                            f"{p.feature}  | {short}"
                        )
                for t, good in zip(targets, hit, strict=True):
                    if not good:
                        print(f"  MISS {row.index:3d} {t.spec.raw}  | {short}")
    return sub, every, unscored


def _place_id(gaz: Gazetteer, p: ResolvedPlace) -> int:
    """The gazetteer id of a resolved place (ResolvedPlace keeps its key, not its id)."""
    for cand, _alt in gaz.lookup(p.key):
        if (cand.name, cand.country, cand.feature, cand.lat, cand.lng) == (
            p.name, p.country, p.feature, p.lat, p.lng,
        ):  # fmt: skip
            return cand.id
    return hash((p.name, p.country, p.feature))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=["test", "dev", "both"], default="test")
    ap.add_argument("--show", action="store_true", help="list false positives and misses")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    args = ap.parse_args()
    if not (args.corpus / "daily").is_dir():
        print(f"SKIP: corpus mongolia-news-headlines not found at {args.corpus}")
        return 0
    gaz = load_gazetteer()
    parser = Geoparser(gazetteer=gaz)
    halves = ["dev", "test"] if args.half == "both" else [args.half]
    print(f"# bench_places_mn  language={LANGUAGE} hint={COUNTRY_HINT} near={NEAR_KM:g} km")
    for half in halves:
        rows = read_rows(half, gaz, args.corpus)
        start = time.perf_counter()
        if args.show:
            print(f"## errors on {half}")
        sub, every, unscored = score(rows, parser, show=args.show)
        seconds = time.perf_counter() - start
        print(
            f"## {half}: {len(rows)} headlines, {seconds:.1f} s, "
            f"{unscored} unscored predictions (demonyms, regions, mines...)"
        )
        print(sub.line("sub-national"))
        print(every.line("all"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
