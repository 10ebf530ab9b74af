"""The hand labels of Mongolian headlines (benchmarks/labels, docs/labels.md) stay valid.

They are keyed by URL and carry no headline text; dev rows are even days of the month,
test rows odd days. When the corpus is present every URL must exist in it with that day.
The ``places`` column must parse, and every place in it must resolve in the gazetteer
(benchmarks/bench_places_mn.py reads it). The second dev draw (``-dev2.tsv``) has the same
columns, with places left unlabelled ('-'): the security and real-week benchmarks read it as
more dev rows, the places benchmark does not.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO, load_script, need_corpus
from watchfloor.countries import validate_country

LABELS = Path(__file__).resolve().parents[1] / "benchmarks" / "labels"
COLUMNS = ["url", "split", "day", "about", "security", "severity", "places"]
# One place: a bare ISO code (a country) or "NAME CC [admin1|city] [@LAT,LNG]".
PLACE = re.compile(
    r"^(?:[A-Z]{2}|\S(?:.*\S)? [A-Z]{2}(?: (?:admin1|city))?(?: @-?\d{1,2}\.\d+,-?\d{1,3}\.\d+)?)$"
)
SPLITS = ("dev", "test")
#: Every label file: the two splits and the second dev draw (file suffix -> split).
FILES = {"dev": "dev", "test": "test", "dev2": "dev"}


def _rows(split: str) -> list[dict[str, str]]:
    path = LABELS / f"mongolia-headlines-{split}.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader)
        assert header == COLUMNS, f"{path.name}: columns {header}, expected {COLUMNS}"
        rows = []
        for n, values in enumerate(reader, start=2):
            assert len(values) == len(COLUMNS), f"{path.name}:{n}: {len(values)} fields"
            rows.append(dict(zip(COLUMNS, values, strict=True)))
    return rows


def _corpus_day(value: str) -> date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d %H:%M"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    return parsedate_to_datetime(value).date()


@pytest.mark.parametrize("name", list(FILES))
def test_label_file_is_valid(name: str) -> None:
    rows = _rows(name)
    split = FILES[name]
    assert len(rows) >= (250 if name == "dev2" else 300), f"{name}: only {len(rows)} rows"
    urls = [r["url"] for r in rows]
    assert len(set(urls)) == len(urls), f"{name}: duplicate URLs"
    for r in rows:
        where = f"{name} {r['url']}"
        assert re.match(r"^https?://\S+$", r["url"]), where
        assert r["split"] == split, where
        day = date.fromisoformat(r["day"])
        assert (day.day % 2 == 0) == (split == "dev"), f"{where}: day {day} in the wrong split"
        assert r["about"] == "-" or all(validate_country(c) == c for c in r["about"].split(" ")), (
            f"{where}: about {r['about']!r}"
        )
        assert r["security"] in ("0", "1"), where
        assert r["severity"] in ("0", "1", "2", "3"), where
        # severity grades security items only: no security, no severity, and vice versa
        assert (r["security"] == "0") == (r["severity"] == "0"), where
        places = [] if r["places"] == "-" else r["places"].split(";")
        assert all(PLACE.match(p) for p in places), f"{where}: places {r['places']!r}"
        assert len(set(places)) == len(places), f"{where}: a place twice"
        for p in places:
            code = p.split(" @")[0].split(" ")
            country = next(t for t in reversed(code) if re.fullmatch(r"[A-Z]{2}", t))
            assert validate_country(country) == country, f"{where}: {p!r}"


def test_labels_mix_what_the_benchmark_needs() -> None:
    """Each split has security and non-security rows, foreign rows and significant MN rows."""
    for split in SPLITS:
        rows = _rows(split)
        security = [r for r in rows if r["security"] == "1"]
        foreign = [r for r in rows if "MN" not in r["about"].split()]
        significant = [
            r for r in security if int(r["severity"]) >= 2 and "MN" in r["about"].split()
        ]
        assert 20 <= len(security) <= len(rows) - 200, split
        assert len(foreign) >= 20, split
        assert len(significant) >= 5, split


def _bench() -> ModuleType:
    """Import benchmarks/bench_places_mn.py, which parses and resolves the places column."""
    return load_script(REPO / "benchmarks" / "bench_places_mn.py")


def test_every_labelled_place_resolves_in_the_gazetteer() -> None:
    """A label names a gazetteer entry in its country (or carries its own point)."""
    from watchfloor.enrich.gazetteer import load_gazetteer

    bench = _bench()
    gaz = load_gazetteer()
    counts: dict[str, int] = {}
    for split in SPLITS:
        specs = [s for r in _rows(split) for s in bench.parse_places(r["places"])]
        for spec in specs:
            target = bench.resolve_label(spec, gaz)
            if spec.subnational:
                assert -90 <= target.lat <= 90 and -180 <= target.lng <= 180, spec.raw
        counts[split] = sum(s.subnational for s in specs)
    # enough sub-national places in each half for precision and recall to mean something
    assert counts["dev"] >= 50 and counts["test"] >= 50, counts


def test_dev_and_test_do_not_overlap() -> None:
    dev = {r["url"] for r in _rows("dev")}
    test = {r["url"] for r in _rows("test")}
    dev2 = {r["url"] for r in _rows("dev2")}
    assert not dev & test
    assert not dev2 & (dev | test)


def test_second_dev_draw_leaves_places_unlabelled() -> None:
    """The places benchmark reads only -dev.tsv and -test.tsv; -dev2.tsv has no places."""
    assert {r["places"] for r in _rows("dev2")} == {"-"}
    bench = (REPO / "benchmarks" / "bench_places_mn.py").read_text(encoding="utf-8")
    assert "dev2" not in bench


def test_second_dev_draw_is_the_documented_sample() -> None:
    """sample.py --round 2 draws exactly the URLs of -dev2.tsv, none of round 1's."""
    need_corpus("mongolia-news-headlines")
    sys.path.insert(0, str(REPO / "benchmarks" / "labels"))
    import sample

    first = {r["url"] for r in sample.sample("dev")}
    second = [r["url"] for r in sample.sample("dev", round_=2)]
    assert first == {r["url"] for r in _rows("dev")}
    assert second == [r["url"] for r in _rows("dev2")]
    assert not first & set(second)
    with pytest.raises(ValueError):
        sample.sample("test", round_=2)


def test_every_label_is_in_the_corpus_on_its_day() -> None:
    corpus = need_corpus("mongolia-news-headlines")
    first: dict[str, date] = {}
    titles: set[str] = set()
    for path in sorted((corpus / "daily").glob("*.json")):
        for rec in json.loads(path.read_text(encoding="utf-8")):
            titles.add(str(rec.get("title", "")).strip())
            first.setdefault(str(rec["url"]).strip(), _corpus_day(str(rec["publish_date"])))
    for split in FILES:
        for r in _rows(split):
            assert r["url"] in first, f"{split}: {r['url']} is not in the corpus"
            assert first[r["url"]].isoformat() == r["day"], f"{split}: {r['url']} day differs"
            # no corpus text leaks into the label file
            assert not any(value in titles for value in r.values()), r["url"]
