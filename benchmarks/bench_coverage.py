"""Coverage of the geoparser everywhere: places of every country, news spellings, false places.

Usage: ``.venv/bin/python benchmarks/bench_coverage.py [--half dev|test|both] [--json]
[--towns N] [--admin1 N]``. Method and figures: docs/coverage.md, docs/benchmarks.md.

Three suites, all in English sentences written by us (``benchmarks/coverage/``):

* places: for every country of the gazetteer, its admin-1 units and its largest towns
  (``--towns``, default 5, plus the capital) go into sentence shapes (``shapes.tsv``): with
  and without the country, lower-case context, two places in one sentence, after a
  preposition, as the subject, headlines. A place counts when a returned place's span
  overlaps its name and lies within 161 km of the gazetteer's point (recall@161 km),
  reported per region (``regions.tsv``).
* news spellings (``news_spellings.tsv``): the transliterations news agencies use for
  places in conflict zones, scored the same way against our own coordinates.
* people and common words (``people.tsv``): sentences whose only capitalised words are
  people's names or words that are also place names; a sentence is false when any place is
  returned in it.

Split by country: a country is dev when ``zlib.crc32(ISO code) % 2 == 0``, else test (news
spellings by their country too); people sentences by line (even data lines dev, odd test).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "coverage"
RADIUS_KM = 161.0
GOAL_RECALL = 0.95
GOAL_FALSE = 0.02
HALVES = ("dev", "test")
REGIONS = (
    "Africa",
    "Middle East",
    "Europe",
    "Caucasus and Central Asia",
    "South Asia",
    "East and Southeast Asia",
    "Oceania",
    "Americas",
)


@dataclass(frozen=True, slots=True)
class Target:
    """A place a sentence names, with where it is."""

    name: str
    iso: str
    kind: str  # admin1, town, capital, spelling
    lat: float
    lng: float
    population: int = 0


@dataclass(frozen=True, slots=True)
class Item:
    """One sentence and the places in it (target, start, end)."""

    text: str
    targets: tuple[tuple[Target, int, int], ...]
    shape: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one target of one sentence fared."""

    target: Target
    shape: str
    text: str
    found: bool
    hit: bool
    got: str  # what was returned over the name ("" when nothing)


def half_of(iso: str) -> str:
    """The half a country belongs to: dev when crc32 of its ISO code is even."""
    return "dev" if zlib.crc32(iso.upper().encode("ascii")) % 2 == 0 else "test"


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with a header; lines starting with # are comments."""
    lines = [x for x in path.read_text(encoding="utf-8").split("\n") if x and x[0] != "#"]
    header = lines[0].split("\t")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        values = line.split("\t")
        if len(values) != len(header):
            raise ValueError(f"{path.name}: data line {n}: {len(values)} fields, not {len(header)}")
        rows.append(dict(zip(header, values, strict=True)))
    return rows


def load_regions() -> dict[str, tuple[str, str]]:
    """ISO code -> (region, the country's name as news writes it)."""
    return {r["iso"]: (r["region"], r["name"]) for r in read_tsv(HERE / "regions.tsv")}


def load_shapes() -> list[dict[str, str]]:
    """The sentence shapes (id, style, text with {a}, {b}, {country})."""
    return read_tsv(HERE / "shapes.tsv")


def load_spellings() -> list[Target]:
    """The news spellings, as targets."""
    return [
        Target(r["spelling"], r["country"], "spelling", float(r["lat"]), float(r["lng"]))
        for r in read_tsv(HERE / "news_spellings.tsv")
    ]


def load_people() -> list[tuple[str, str, str, str]]:
    """(half, kind, names, sentence) of the people-and-words sentences, by line parity."""
    rows = read_tsv(HERE / "people.tsv")
    return [(HALVES[i % 2], r["kind"], r["names"], r["sentence"]) for i, r in enumerate(rows)]


def gazetteer_countries(db_path: Path) -> set[str]:
    """The ISO codes of the gazetteer's countries."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT country FROM places WHERE feature = 'country'")}
    finally:
        con.close()


def gazetteer_targets(db_path: Path, towns: int, admin1: int) -> dict[str, list[Target]]:
    """Per country: admin-1 units (at most *admin1*, 0 = all, a stable sample) and the
    *towns* most populous towns plus the capital, from the built gazetteer index."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        capitals = {r[0] for r in con.execute("SELECT place_id FROM capitals")}
        rows = con.execute(
            "SELECT id, name, country, feature, lat, lng, population FROM places"
            " WHERE feature IN ('admin1', 'city') ORDER BY country, feature, population DESC, id"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[Target]] = defaultdict(list)
    units: dict[str, list[Target]] = defaultdict(list)
    n_towns: Counter[str] = Counter()
    for pid, name, iso, feature, lat, lng, pop in rows:
        if feature == "admin1":
            units[iso].append(Target(name, iso, "admin1", lat, lng, 0))
        elif pid in capitals:
            out[iso].append(Target(name, iso, "capital", lat, lng, pop))
        elif n_towns[iso] < towns:
            n_towns[iso] += 1
            out[iso].append(Target(name, iso, "town", lat, lng, pop))
    for iso, found in units.items():
        if admin1 and len(found) > admin1:
            found = sorted(found, key=lambda t: zlib.crc32(t.name.encode("utf-8")))[:admin1]
        out[iso].extend(found)
    return dict(out)


def fill(shape: dict[str, str], a: Target, b: Target | None, country: str) -> Item:
    """Write one sentence: the shape with its slots filled, keeping each place's span."""
    text = shape["text"]
    pieces: list[str] = []
    spans: list[tuple[Target, int, int]] = []
    pos = 0
    length = 0
    while True:
        at = text.find("{", pos)
        if at < 0:
            pieces.append(text[pos:])
            break
        close = text.index("}", at)
        pieces.append(text[pos:at])
        length += at - pos
        slot = text[at + 1 : close]
        if slot == "country":
            value = country
        else:
            target = a if slot == "a" else b
            assert target is not None, shape["id"]
            value = target.name
            spans.append((target, length, length + len(value)))
        pieces.append(value)
        length += len(value)
        pos = close + 1
    return Item("".join(pieces), tuple(spans), shape["id"])


def place_items(
    targets: dict[str, list[Target]],
    regions: dict[str, tuple[str, str]],
    shapes: Sequence[dict[str, str]],
    per_place: int = 2,
) -> list[Item]:
    """Every place in *per_place* one-place shapes and (as the first) one two-place shape;
    the shapes are picked by a hash of the place, so the sentences never change."""
    ones = [s for s in shapes if "{b}" not in s["text"]]
    twos = [s for s in shapes if "{b}" in s["text"]]
    items = []
    for iso in sorted(targets):
        places = targets[iso]
        country = regions[iso][1]
        for i, t in enumerate(places):
            h = zlib.crc32(f"{iso}:{t.kind}:{t.name}".encode())
            for k in range(per_place):
                items.append(fill(ones[(h + k * 5) % len(ones)], t, None, country))
            if len(places) > 1:
                other = places[(i + 1) % len(places)]
                if other.name != t.name:
                    items.append(fill(twos[h % len(twos)], t, other, country))
    return items


def spelling_items(
    spellings: Sequence[Target],
    regions: dict[str, tuple[str, str]],
    shapes: Sequence[dict[str, str]],
) -> list[Item]:
    """Every news spelling in three shapes: one naming the country, two not."""
    with_country = [s for s in shapes if "{country}" in s["text"]]
    bare = [s for s in shapes if "{country}" not in s["text"] and "{b}" not in s["text"]]
    items = []
    for t in spellings:
        h = zlib.crc32(f"{t.iso}:{t.name}".encode())
        country = regions[t.iso][1]
        items.append(fill(with_country[h % len(with_country)], t, None, country))
        items.append(fill(bare[h % len(bare)], t, None, country))
        items.append(fill(bare[(h + 4) % len(bare)], t, None, country))
    return items


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km."""
    from math import asin, cos, radians, sin, sqrt

    dlat, dlng = radians(lat2 - lat1), radians(lng2 - lng1)
    h = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlng / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(min(1.0, h)))


# How prominent a kind of place is: an inherent namesake must be at least as high on this
# scale, or a town at least as big (docs/coverage.md, "Ambiguity").
_LEVEL = {"country": 4, "capital": 3, "admin1": 2, "island": 2, "region": 2, "range": 2, "city": 1}
# A town this big is as well known as a province of the same name.
_BIG_TOWN = 100_000


def _level(feature: str, capital: bool) -> int:
    return _LEVEL["capital"] if capital and feature == "city" else _LEVEL.get(feature, 0)


def inherent_namesake(target: Target, lookup: Any, capitals: Any) -> bool:
    """Say whether another gazetteer place has TARGET's name as its own (main) name, lies
    more than 161 km from it, and is at least as prominent: of a higher kind (country >
    capital > admin-1 unit or named region or island > town), of the same kind and at
    least as populous, a town or capital at least as populous as a target town or
    capital, or a town of 100,000 people or more beside a target admin-1 unit. A
    one-sentence text that does not name the country cannot tell such a place from the
    target. *lookup* is ``Gazetteer.lookup``, *capitals* the ids of national capitals."""
    entries = [p for p, alt in lookup(target.name) if not alt]
    kind = {"capital": "city", "town": "city"}.get(target.kind, target.kind)
    own = [
        p
        for p in entries
        if p.feature == kind and haversine_km(p.lat, p.lng, target.lat, target.lng) < 1.0
    ]
    people = max((p.population for p in own), default=target.population)
    level = _level(kind, target.kind == "capital")
    for p in entries:
        if haversine_km(p.lat, p.lng, target.lat, target.lng) <= RADIUS_KM:
            continue
        other = _level(p.feature, p.id in capitals)
        if other > level or (other == level and p.population >= people):
            return True
        if p.feature == "city" and kind == "city" and p.population >= people:
            return True
        if p.feature == "city" and level == _LEVEL["admin1"] and p.population >= _BIG_TOWN:
            return True
    return False


def context_of(shape: dict[str, str]) -> str:
    """How much a sentence shape tells about where its place is: "context" when it names the
    country or pairs the place with another of the same country, else "bare"."""
    text = shape["text"]
    return "context" if "{country}" in text or "{b}" in text else "bare"


def ambiguity(
    outcomes: Sequence[Outcome],
    contexts: dict[str, str],
    namesake: dict[Target, bool],
    group: Any,
) -> dict[str, dict[str, Any]]:
    """Per group (region and half): recall on all targets, on sentences with context and on
    bare one-place sentences; misses and how many of them are inherent namesakes; and recall
    on what a text can decide: every sentence but the bare ones of inherent namesakes."""
    by: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by[group(o)].append(o)
    out = {}
    for key, os in by.items():
        misses = [o for o in os if not o.hit]
        out[key] = {
            "all": recall(os),
            "context": recall([o for o in os if contexts[o.shape] == "context"]),
            "bare": recall([o for o in os if contexts[o.shape] == "bare"]),
            "misses": len(misses),
            "namesake_misses": sum(namesake[o.target] for o in misses),
            "decidable": recall(
                [o for o in os if not (namesake[o.target] and contexts[o.shape] == "bare")]
            ),
        }
    return out


def score(items: Sequence[Item], results: Sequence[Sequence[Any]]) -> list[Outcome]:
    """Score each target of each sentence: found (a returned span overlaps its name) and
    hit (one of those lies within 161 km of the target's point)."""
    out = []
    for item, places in zip(items, results, strict=True):
        for target, start, end in item.targets:
            over = [p for p in places if p.start < end and start < p.end]
            hit = any(haversine_km(p.lat, p.lng, target.lat, target.lng) <= RADIUS_KM for p in over)
            got = "; ".join(
                f"{p.text!r}->{p.name} {p.country} "
                f"{haversine_km(p.lat, p.lng, target.lat, target.lng):.0f} km"
                for p in over
            )
            out.append(Outcome(target, item.shape, item.text, bool(over), hit, got))
    return out


def recall(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Counts and recall@161 km of some outcomes."""
    n = len(outcomes)
    hits = sum(o.hit for o in outcomes)
    found = sum(o.found for o in outcomes)
    return {
        "n": n,
        "found": found,
        "hits": hits,
        "recall": round(hits / n, 4) if n else None,
    }


def _fmt(stats: dict[str, Any] | None) -> str:
    if not stats or not stats["n"]:
        return f"{'-':>6} {'-':>6}"
    return f"{stats['n']:6d} {stats['recall']:6.3f}"


def _goal(values: Iterator[float | None], goal: float, *, at_most: bool = False) -> str:
    seen = [v for v in values if v is not None]
    if not seen:
        return ""
    ok = all(v <= goal for v in seen) if at_most else all(v >= goal for v in seen)
    return "met" if ok else "not met"


def worst_misses(outcomes: Sequence[Outcome], limit: int) -> list[dict[str, Any]]:
    """Places missed in every sentence they appear in, capitals and big towns first."""
    by_place: dict[Target, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_place[o.target].append(o)
    rank = {"capital": 0, "spelling": 1, "town": 2, "admin1": 3}
    missed = [t for t, os in by_place.items() if not any(o.hit for o in os)]
    missed.sort(key=lambda t: (rank[t.kind], -t.population, t.iso, t.name))
    rows = []
    for t in missed[:limit]:
        os = by_place[t]
        got = Counter(o.got or "not found" for o in os).most_common(1)[0][0]
        rows.append(
            {
                "name": t.name,
                "iso": t.iso,
                "kind": t.kind,
                "population": t.population,
                "sentences": len(os),
                "got": got,
                "example": os[0].text,
            }
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Build the sentences, geoparse them, print (or --json) the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--half", choices=["dev", "test", "both"], default="both")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead")
    ap.add_argument("--towns", type=int, default=5, help="largest towns per country (+ capital)")
    ap.add_argument("--admin1", type=int, default=0, help="admin-1 units per country, 0 = all")
    ap.add_argument("--misses", type=int, default=25, help="worst misses to list per suite")
    ap.add_argument(
        "--ambiguity",
        action="store_true",
        help="also print recall with and without context and the share of inherent namesakes",
    )
    args = ap.parse_args(argv)
    halves = HALVES if args.half == "both" else (args.half,)

    from watchfloor.enrich.entities import load_nlp
    from watchfloor.enrich.gazetteer import DB_NAME
    from watchfloor.enrich.geoparse import Geoparser

    geoparser = Geoparser()
    regions = load_regions()
    shapes = load_shapes()
    db_path = geoparser.gazetteer.directory / DB_NAME
    unassigned = gazetteer_countries(db_path) - set(regions)
    if unassigned:
        print(f"countries without a region in regions.tsv: {sorted(unassigned)}")
        return 1
    targets = gazetteer_targets(db_path, args.towns, args.admin1)
    targets = {iso: ts for iso, ts in targets.items() if half_of(iso) in halves}
    places = place_items(targets, regions, shapes)
    spellings = [t for t in load_spellings() if half_of(t.iso) in halves]
    news = spelling_items(spellings, regions, shapes)
    people = [p for p in load_people() if p[0] in halves]

    nlp = load_nlp()
    texts = [i.text for i in places] + [i.text for i in news] + [p[3] for p in people]
    sample = texts[:: max(1, len(texts) // 1000)][:1000]
    list(geoparser.parse_many(sample[:50]))  # warm up the models
    started = time.perf_counter()
    list(nlp.pipe(sample, batch_size=64))
    bare = time.perf_counter() - started
    started = time.perf_counter()
    geoparser.parse_many(sample, batch_size=64)
    sampled = time.perf_counter() - started
    started = time.perf_counter()
    results = geoparser.parse_many(texts, batch_size=64)
    total = time.perf_counter() - started

    place_out = score(places, results[: len(places)])
    news_out = score(news, results[len(places) : len(places) + len(news)])
    people_res = results[len(places) + len(news) :]

    goals = {"recall": GOAL_RECALL, "false_places": GOAL_FALSE}
    report: dict[str, Any] = {"halves": list(halves), "goals": goals}

    def where(outs: Sequence[Outcome], half: str, **only: Any) -> dict[str, Any]:
        region, kinds, shape = only.get("region"), only.get("kinds"), only.get("shape")
        return recall(
            [
                o
                for o in outs
                if half_of(o.target.iso) == half
                and (region is None or regions[o.target.iso][0] == region)
                and (kinds is None or o.target.kind in kinds)
                and (shape is None or o.shape == shape)
            ]
        )

    report["places"] = {r: {h: where(place_out, h, region=r) for h in halves} for r in REGIONS}
    report["places"]["all"] = {h: where(place_out, h) for h in halves}
    groups = {"towns": ("capital", "town"), "admin1": ("admin1",)}
    report["places_by_region_kind"] = {
        r: {
            f"{h} {g}": where(place_out, h, region=r, kinds=k)
            for h in halves
            for g, k in groups.items()
        }
        for r in REGIONS
    }
    report["places_by_kind"] = {
        k: {h: where(place_out, h, kinds=(k,)) for h in halves}
        for k in ("capital", "town", "admin1")
    }
    report["places_by_style"] = {
        s["id"]: {h: where(place_out, h, shape=s["id"]) for h in halves} for s in shapes
    }
    report["news_spellings"] = {h: where(news_out, h) for h in halves}
    people_stats: dict[str, Any] = {}
    false_rows = []
    for half in halves:
        rows = [(p, r) for p, r in zip(people, people_res, strict=True) if p[0] == half]
        false = [(p, r) for p, r in rows if r]
        people_stats[half] = {
            "n": len(rows),
            "false": len(false),
            "share": round(len(false) / len(rows), 4) if rows else None,
        }
        false_rows += [
            {
                "half": half,
                "names": p[2],
                "sentence": p[3],
                "places": [f"{x.text!r}->{x.name} {x.country}" for x in r],
            }
            for p, r in false
        ]
    report["false_places"] = people_stats
    report["worst_misses"] = {
        "places": worst_misses(place_out, args.misses),
        "news_spellings": worst_misses(news_out, args.misses),
    }
    report["false_place_sentences"] = false_rows
    if args.ambiguity:
        gaz = geoparser.gazetteer
        namesake = {
            t: inherent_namesake(t, gaz.lookup, gaz.capitals) for t in {o.target for o in place_out}
        }
        contexts = {s["id"]: context_of(s) for s in shapes}
        report["ambiguity"] = ambiguity(
            place_out,
            contexts,
            namesake,
            lambda o: f"{regions[o.target.iso][0]}\t{half_of(o.target.iso)}",
        )
    report["throughput"] = {
        "sentences": len(texts),
        "seconds": round(total, 1),
        "sentences_per_s": round(len(texts) / total, 1),
        "ratio_to_spacy": round(sampled / bare, 2),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    _print(report, halves, regions)
    return 0


def _print(report: dict[str, Any], halves: Sequence[str], regions: dict[str, Any]) -> None:
    cols = "  ".join(f"{h + ' n':>6} {h + ' R':>6}" for h in halves)
    print(f"Places of every country: recall@161 km (goal >= {GOAL_RECALL} in every region)")
    print(f"{'region':28} {cols}")
    for region, stats in report["places"].items():
        line = "  ".join(_fmt(stats.get(h)) for h in halves)
        print(f"{region:28} {line}")
    goal = _goal((report["places"][r][h]["recall"] for r in REGIONS for h in halves), GOAL_RECALL)
    print(f"goal (every region, {'/'.join(halves)}): {goal}")
    print("\nby region, towns (the largest and the capital) apart from admin-1 units")
    cols = "  ".join(f"{k:>13}" for k in next(iter(report["places_by_region_kind"].values())))
    print(f"{'region':28} {cols}")
    for region, stats in report["places_by_region_kind"].items():
        print(f"{region:28} " + "  ".join(_fmt(v) for v in stats.values()))
    print("\nby kind of place")
    for kind, stats in report["places_by_kind"].items():
        print(f"{kind:28} " + "  ".join(_fmt(stats.get(h)) for h in halves))
    print("\nby sentence shape")
    for shape, stats in report["places_by_style"].items():
        print(f"{shape:28} " + "  ".join(_fmt(stats.get(h)) for h in halves))
    print(f"\nNews spellings: recall@161 km (goal >= {GOAL_RECALL})")
    print(f"{'news spellings':28} " + "  ".join(_fmt(report["news_spellings"][h]) for h in halves))
    print(f"goal: {_goal((report['news_spellings'][h]['recall'] for h in halves), GOAL_RECALL)}")
    print(f"\nPeople and common words: sentences with a false place (goal <= {GOAL_FALSE:.0%})")
    for h in halves:
        s = report["false_places"][h]
        print(f"{h:6} {s['false']:4d} / {s['n']:4d} = {s['share']:.1%}")
    print(
        "goal: "
        + _goal((report["false_places"][h]["share"] for h in halves), GOAL_FALSE, at_most=True)
    )
    for suite, rows in report["worst_misses"].items():
        print(f"\nworst misses, {suite} (missed in every sentence; capitals and big towns first)")
        for r in rows:
            print(
                f"  {r['name']} ({r['iso']} {regions[r['iso']][0]}, {r['kind']}"
                f"{', pop ' + str(r['population']) if r['population'] else ''}): {r['got']}"
                f"  | {r['example']}"
            )
    print("\nfalse places (people and common words)")
    for r in report["false_place_sentences"]:
        print(f"  [{r['half']}] {', '.join(r['places'])}  | {r['sentence']}")
    if "ambiguity" in report:
        _print_ambiguity(report["ambiguity"], halves)
    t = report["throughput"]
    print(
        f"\nthroughput: {t['sentences']} sentences in {t['seconds']} s, "
        f"{t['sentences_per_s']} sentences/s with Geoparser.parse_many; "
        f"{t['ratio_to_spacy']:.2f}x the time of bare spaCy NER on a 1,000-sentence sample"
    )


def _print_ambiguity(rows: dict[str, dict[str, Any]], halves: Sequence[str]) -> None:
    print(
        "\nAmbiguity (places): recall on all sentences, on those naming the country or a"
        " same-country partner (ctx), on bare one-place sentences; the misses and the share"
        " of them that are inherent namesakes (docs/coverage.md); recall on what a text can"
        " decide (all but the bare sentences of inherent namesakes)"
    )
    print(
        f"{'region':26} {'half':4} {'all n':>6} {'R':>6} {'ctx n':>6} {'R':>6} {'bare n':>6}"
        f" {'R':>6} {'misses':>6} {'namesake':>8} {'dec. n':>6} {'R':>6}"
    )
    for region in REGIONS:
        for h in halves:
            r = rows.get(f"{region}\t{h}")
            if r is None:
                continue
            share = r["namesake_misses"] / r["misses"] if r["misses"] else 0.0
            print(
                f"{region:26} {h:4} {_fmt(r['all'])} {_fmt(r['context'])} {_fmt(r['bare'])}"
                f" {r['misses']:6d} {share:8.0%} {_fmt(r['decidable'])}"
            )


if __name__ == "__main__":
    sys.exit(main())
