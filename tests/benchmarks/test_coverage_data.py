"""The coverage benchmark's data (benchmarks/coverage, docs/coverage.md) stays well-formed,
its split by country stays put, and its scorer counts a hit and a miss as it should."""

from __future__ import annotations

import re
from collections import Counter
from types import ModuleType

import pytest

from tests.conftest import REPO, load_script
from watchfloor.enrich.gazetteer import DB_NAME
from watchfloor.enrich.geoparse import Geoparser


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """Import benchmarks/bench_coverage.py, which holds the loaders and the scorer."""
    return load_script(REPO / "benchmarks" / "bench_coverage.py")


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser()


def test_every_gazetteer_country_has_one_region(bench: ModuleType, geoparser: Geoparser) -> None:
    rows = bench.read_tsv(bench.HERE / "regions.tsv")
    isos = [r["iso"] for r in rows]
    assert len(isos) == len(set(isos)), "a country is listed twice"
    assert all(re.fullmatch(r"[A-Z]{2}", iso) for iso in isos)
    assert {r["region"] for r in rows} == set(bench.REGIONS)
    assert all(r["name"].strip() for r in rows)
    countries = bench.gazetteer_countries(geoparser.gazetteer.directory / DB_NAME)
    assert len(countries) > 240
    assert countries <= set(isos), f"no region for {sorted(countries - set(isos))}"


def test_split_by_country_is_stable(bench: ModuleType) -> None:
    """crc32 of the ISO code: these assignments are the published split; never move them."""
    expected = {"ML": "dev", "UA": "dev", "MN": "dev", "US": "dev", "FR": "dev",
                "SD": "test", "PS": "test", "YE": "test"}  # fmt: skip
    assert {iso: bench.half_of(iso) for iso in expected} == expected
    assert bench.half_of("ml") == "dev"
    regions = bench.load_regions()
    halves = Counter((region, bench.half_of(iso)) for iso, (region, _) in regions.items())
    for region in bench.REGIONS:
        assert halves[(region, "dev")] >= 3 and halves[(region, "test")] >= 3, region


def test_shapes_are_well_formed(bench: ModuleType) -> None:
    shapes = bench.load_shapes()
    ids = [s["id"] for s in shapes]
    assert len(ids) == len(set(ids))
    for s in shapes:
        slots = set(re.findall(r"\{(\w+)\}", s["text"]))
        assert "a" in slots and slots <= {"a", "b", "country"}, s["id"]
        assert s["style"] in ("prose", "lower", "headline", "title", "dateline"), s["id"]
    texts = [s["text"] for s in shapes]
    assert any("{b}" in t for t in texts)
    assert any("{country}" in t for t in texts)
    assert sum("{country}" not in t and "{b}" not in t for t in texts) >= 5


def test_filled_sentences_keep_the_spans(bench: ModuleType) -> None:
    a = bench.Target("Ménaka", "ML", "admin1", 15.9, 2.4)
    b = bench.Target("Gao", "ML", "town", 16.27, -0.04)
    for shape in bench.load_shapes():
        item = bench.fill(shape, a, b, "Mali")
        assert "{" not in item.text, shape["id"]
        for target, start, end in item.targets:
            assert item.text[start:end] == target.name, shape["id"]
        assert len(item.targets) == (2 if "{b}" in shape["text"] else 1)


def test_news_spellings_are_well_formed(bench: ModuleType) -> None:
    rows = bench.read_tsv(bench.HERE / "news_spellings.tsv")
    regions = bench.load_regions()
    assert len(rows) >= 150
    keys = [(r["spelling"], r["country"]) for r in rows]
    assert len(keys) == len(set(keys)), "a spelling is listed twice"
    points: dict[str, tuple[str, str]] = {}
    for r in rows:
        assert r["country"] in regions, r
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lng"]) <= 180, r
        assert r["spelling"].strip() == r["spelling"] and r["reference"].strip(), r
        # variants of one place (Kyiv, Kiev) share its point
        assert points.setdefault(r["reference"], (r["lat"], r["lng"])) == (r["lat"], r["lng"]), r
    spread = Counter(regions[r["country"]][0] for r in rows)
    assert len(spread) >= 6, spread
    assert {bench.half_of(r["country"]) for r in rows} == {"dev", "test"}


def test_people_sentences_name_no_place_but_the_tricky_words(bench: ModuleType) -> None:
    people = bench.load_people()
    assert len(people) >= 150
    assert Counter(p[0] for p in people)["dev"] >= 75
    assert Counter(p[0] for p in people)["test"] >= 75
    for _half, kind, names, sentence in people:
        assert kind in ("person", "word"), sentence
        assert names in sentence, sentence
        allowed = set(re.findall(r"[\w'’-]+", names))
        capitalised = [w for w in re.findall(r"[\w'’-]+", sentence) if w[0].isupper()]
        assert all(w in allowed for w in capitalised), sentence


def test_scorer_counts_a_hit_and_misses(bench: ModuleType, geoparser: Geoparser) -> None:
    """The real geoparser on three sentences: a capital found where it is (a hit), the same
    name scored against a point on another continent (found, not a hit), a made-up name
    (not found)."""
    shape = {"id": "in_country", "style": "prose", "text": "Troops entered {a}, {country}."}
    right = bench.Target("Bamako", "ML", "capital", 12.65, -8.0)
    wrong = bench.Target("Bamako", "ML", "capital", -33.87, 151.21)
    made_up = bench.Target("Qorzyvexa", "ML", "town", 12.65, -8.0)
    items = [bench.fill(shape, t, None, "Mali") for t in (right, wrong, made_up)]
    results = geoparser.parse_many([i.text for i in items])
    hit, far, absent = bench.score(items, results)
    assert (hit.found, hit.hit) == (True, True)
    assert (far.found, far.hit) == (True, False)
    assert "Bamako" in far.got
    assert (absent.found, absent.hit, absent.got) == (False, False, "")
    stats = bench.recall([hit, far, absent])
    assert stats == {"n": 3, "found": 2, "hits": 1, "recall": 0.3333}
    # a returned place counts only for the target whose span it overlaps
    elsewhere = bench.Item(items[0].text, ((right, 0, len("Troops")),), "in_country")
    (aside,) = bench.score([elsewhere], results[:1])
    assert (aside.found, aside.hit) == (False, False)


def test_place_items_are_deterministic(bench: ModuleType) -> None:
    regions = bench.load_regions()
    shapes = bench.load_shapes()
    targets = {
        "ML": [bench.Target("Gao", "ML", "town", 16.27, -0.04),
               bench.Target("Kidal", "ML", "admin1", 18.44, 1.41)],
    }  # fmt: skip
    first = bench.place_items(targets, regions, shapes)
    assert first == bench.place_items(targets, regions, shapes)
    assert len(first) == 6  # two one-place sentences and one two-place sentence each
    assert all(any(t.name == "Gao" for t, _s, _e in i.targets) for i in first[:3])


def test_an_inherent_namesake_is_a_place_as_prominent_elsewhere(
    bench: ModuleType, geoparser: Geoparser
) -> None:
    """Hamilton of New Zealand has a bigger Hamilton in Canada: no bare sentence tells them
    apart. Ba, a province of Fiji, has only small towns of its name abroad; and a place
    does not count as its own namesake."""
    gaz = geoparser.gazetteer
    hamilton = bench.Target("Hamilton", "NZ", "town", -37.78, 175.28, 152_641)
    ba = bench.Target("Ba", "FJ", "admin1", -17.53, 177.68)
    bamako = bench.Target("Bamako", "ML", "capital", 12.65, -8.0, 1_297_281)
    assert bench.inherent_namesake(hamilton, gaz.lookup, gaz.capitals)
    assert not bench.inherent_namesake(ba, gaz.lookup, gaz.capitals)
    assert not bench.inherent_namesake(bamako, gaz.lookup, gaz.capitals)


def test_ambiguity_splits_recall_by_context_and_counts_namesake_misses(
    bench: ModuleType,
) -> None:
    shapes = {s["id"]: s for s in bench.load_shapes()}
    contexts = {k: bench.context_of(s) for k, s in shapes.items()}
    assert contexts["in_country"] == contexts["between"] == "context"
    assert contexts["in_bare"] == contexts["headline"] == "bare"
    a = bench.Target("Hamilton", "NZ", "town", -37.78, 175.28)
    b = bench.Target("Lae", "PG", "town", -6.72, 147.0)
    outs = [
        bench.Outcome(a, "in_bare", "", True, False, "x"),  # a namesake, missed, bare
        bench.Outcome(a, "in_country", "", True, True, "x"),
        bench.Outcome(b, "near", "", False, False, ""),  # missed, no namesake
        bench.Outcome(b, "between", "", True, True, "x"),
    ]
    rows = bench.ambiguity(outs, contexts, {a: True, b: False}, lambda o: "all")
    row = rows["all"]
    assert row["all"]["recall"] == 0.5
    assert row["context"]["recall"] == 1.0 and row["bare"]["recall"] == 0.0
    assert (row["misses"], row["namesake_misses"]) == (2, 1)
    # what a text can decide: all but the one bare sentence of the namesake
    assert (row["decidable"]["n"], row["decidable"]["recall"]) == (3, 0.6667)
