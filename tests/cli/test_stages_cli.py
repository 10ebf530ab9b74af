"""``enrich``, ``geoparse``, ``gazetteer build`` and exit codes of ``collect``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import run

DATE = "Mon, 27 Apr 2026 08:00:00 +0000"


def _feed(path: Path, stories: list[str]) -> Path:
    items = "".join(
        f"<item><title>{s}</title><link>https://local.example/{n}</link>"
        f"<pubDate>{DATE}</pubDate><description>{s} in Darkhan, Mongolia.</description></item>"
        for n, s in enumerate(stories)
    )
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        f"<link>https://local.example/</link>{items}</channel></rss>",
        encoding="utf-8",
    )
    return path


def test_enrich_processes_what_collect_left_and_then_nothing(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'w.db'}"
    feed = _feed(tmp_path / "feed.xml", ["Flood warning issued", "New rail link opens"])
    assert run("--db", db, "init").exit_code == 0
    assert run("--db", db, "sources", "add", str(feed), "-c", "MN").exit_code == 0
    res = run("--db", db, "collect", "--no-enrich", "--json")
    assert res.exit_code == 0 and json.loads(res.output)["totals"]["new"] == 2
    res = run("--db", db, "enrich", "--json")
    assert res.exit_code == 0, res.output
    counts = json.loads(res.output)
    assert counts["articles"] == 2 and counts["failed"] == 0 and counts["languages"] == {"en": 2}
    assert counts["places"] >= 2  # Darkhan and Mongolia in each
    again = json.loads(run("--db", db, "enrich", "--json").output)
    assert again["articles"] == 0
    table = run("--db", db, "enrich", "--redo")
    assert table.exit_code == 0 and "clusters touched" in table.output


def test_geoparse_follows_its_jsonl_contract(tmp_path: Path):
    text = "Protesters gathered in Ulaanbaatar on Monday."
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"index": "a", "text": text}) + "\n\n" + json.dumps({"index": 7, "text": ""}),
        encoding="utf-8",
    )
    out = tmp_path / "places.jsonl"
    res = run("geoparse", str(source), "--out", str(out))
    assert res.exit_code == 0 and "geoparsed 2 texts" in res.output
    first, second = (json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    assert first["index"] == "a" and second == {"index": 7, "places": []}
    (place,) = first["places"]
    assert set(place) == {"text", "start", "end", "lat", "lng", "name", "country", "feature"}
    assert text[place["start"] : place["end"]] == place["text"] == "Ulaanbaatar"
    assert place["country"] == "MN" and abs(place["lat"] - 47.9) < 0.5


def test_geoparse_refuses_a_line_without_text(tmp_path: Path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"index": 1, "body": "no text key"}\n', encoding="utf-8")
    res = run("geoparse", str(source), "--out", str(tmp_path / "out.jsonl"))
    assert res.exit_code == 1 and "in.jsonl:1" in res.output and "'text'" in res.output


def test_gazetteer_build_if_missing_leaves_an_existing_index_alone():
    from watchfloor.enrich.gazetteer import default_dir

    index = next(p for p in Path(default_dir()).iterdir() if p.suffix == ".sqlite")
    before = index.stat().st_mtime_ns
    res = run("gazetteer", "build", "--if-missing")
    assert res.exit_code == 0 and "gazetteer ready in" in res.output
    assert index.stat().st_mtime_ns == before


def test_collect_exits_1_when_a_source_fails_and_0_otherwise(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'w.db'}"
    feed = _feed(tmp_path / "feed.xml", ["One story"])
    run("--db", db, "init")
    run("--db", db, "sources", "add", str(feed))
    assert run("--db", db, "collect", "--no-enrich").exit_code == 0
    feed.unlink()  # the file goes away: fetching it fails
    res = run("--db", db, "collect", "--no-enrich", "--force", "--json")
    assert res.exit_code == 1
    assert json.loads(res.output)["totals"]["failed"] == 1
