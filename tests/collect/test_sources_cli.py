"""Sources of every kind through the CLI: pages and their diffs, GDELT files, OPML."""

from __future__ import annotations

import html
import json
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import need_corpus, need_seeds
from tests.fixture_server import FixtureServer, Reply
from watchfloor.cli import cli


def _wrap_as_page(text: str, title: str) -> bytes:
    """A reference page as a site would serve it: navigation, the text, a footer."""
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n") if p.strip())
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/topics'>Topics</a></nav>"
        f"<main><article><h1>{html.escape(title)}</h1>{paragraphs}</article></main>"
        "<footer>Site map · Contact · Cookies</footer></body></html>"
    ).encode()


def _cli(db: str, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["--db", db, *args], env=env or {})


def test_a_changed_reference_page_becomes_a_new_version_with_a_diff(tmp_path):
    seeds = need_seeds()
    v1 = next(seeds.glob("001_*.txt")).read_text(encoding="utf-8")
    v2 = next(seeds.glob("003_*.txt")).read_text(encoding="utf-8")
    current = {"body": _wrap_as_page(v1, "Relations with Mongolia")}
    db = f"sqlite:///{tmp_path / 'p.db'}"
    with FixtureServer() as server:
        server.route("/nato-mn", lambda r: Reply(body=current["body"]))
        env = {"WATCHFLOOR_COLLECT_ALLOW_HOSTS": server.authority}
        assert _cli(db, "init").exit_code == 0
        added = _cli(db, "sources", "add", server.url("/nato-mn"), "--kind", "page", "-c", "MN")
        assert added.exit_code == 0, added.output
        first = _cli(db, "collect", "--no-enrich", "--json", env=env)
        same = _cli(db, "collect", "--no-enrich", "--force", "--json", env=env)
        current["body"] = _wrap_as_page(v2, "Relations with Mongolia")
        changed = _cli(db, "collect", "--no-enrich", "--force", "--json", env=env)
    assert json.loads(first.output)["totals"]["new"] == 1
    assert json.loads(same.output)["totals"]["unchanged"] == 1
    assert json.loads(changed.output)["totals"]["updated"] == 1
    listing = _cli(db, "pages", "list", "1")
    assert listing.exit_code == 0 and "2" in listing.output
    diff = _cli(db, "pages", "diff", "1")
    assert diff.exit_code == 0, diff.output
    assert "changed" in diff.output or "added" in diff.output
    assert any(line.startswith(("+", "-")) for line in diff.output.splitlines())


def test_pages_diff_explains_when_there_is_only_one_version(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(_wrap_as_page("One paragraph of policy text that is long enough. " * 5, "P"))
    db = f"sqlite:///{tmp_path / 'p.db'}"
    _cli(db, "init")
    _cli(db, "sources", "add", str(page), "--kind", "page", "-c", "MN")
    _cli(db, "collect", "--no-enrich")
    res = _cli(db, "pages", "diff", "1")
    assert res.exit_code == 1 and "a diff needs two" in res.output


def test_gdelt_export_file_becomes_articles_with_coordinates(tmp_path):
    corpus = need_corpus("gdelt-samples")
    db = f"sqlite:///{tmp_path / 'g.db'}"
    _cli(db, "init")
    res = _cli(db, "sources", "add", str(corpus / "gdelt1_events_sample.tsv"), "--kind", "gdelt")
    assert res.exit_code == 0, res.output
    res = _cli(db, "collect", "--no-enrich", "--json")
    totals = json.loads(res.output)["totals"]
    assert totals["new"] > 100, totals
    found = json.loads(_cli(db, "articles", "list", "--limit", "500", "--json").output)
    with_geo = [a for a in found if a["geo"]]
    assert with_geo, "GDELT rows carry ActionGeo coordinates"
    name, lat, lng, *_ = with_geo[0]["geo"][0]
    assert -90 <= lat <= 90 and -180 <= lng <= 180 and name


def test_opml_export_then_import_round_trips_sources(tmp_path):
    db1 = f"sqlite:///{tmp_path / 'a.db'}"
    db2 = f"sqlite:///{tmp_path / 'b.db'}"
    for db in (db1, db2):
        _cli(db, "init")
    _cli(db1, "sources", "add", "https://one.example/rss", "-c", "MN", "--name", "One & Co")
    _cli(db1, "sources", "add", "https://two.example/atom", "-c", "MN,CN", "--name", "Two")
    opml = tmp_path / "out.opml"
    res = _cli(db1, "sources", "export-opml", "-o", str(opml))
    assert res.exit_code == 0, res.output
    res = _cli(db2, "sources", "import-opml", str(opml))
    assert res.exit_code == 0 and "imported 2 new" in res.output
    listed = json.loads(_cli(db2, "sources", "list", "--json").output)
    assert {s["name"] for s in listed} == {"One & Co", "Two"}
    assert {tuple(s["countries"]) for s in listed} == {("MN",), ("MN", "CN")}


def test_version_flag():
    res = CliRunner().invoke(cli, ["--version"])
    assert res.exit_code == 0 and "watchfloor" in res.output


def test_source_list_and_remove(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    _cli(db, "init")
    _cli(db, "sources", "add", "https://one.example/rss", "-c", "mn")
    listed = json.loads(_cli(db, "sources", "list", "--json").output)
    assert listed[0]["countries"] == ["MN"]
    assert _cli(db, "sources", "remove", "1").exit_code == 0
    res = _cli(db, "sources", "remove", "1")
    assert res.exit_code == 1 and "no source with id 1" in res.output


def test_commands_before_init_say_what_to_run(tmp_path):
    res = _cli(f"sqlite:///{tmp_path / 'fresh.db'}", "sources", "list")
    assert res.exit_code == 1 and "watchfloor init" in res.output


def test_sources_rate_keeps_every_change_and_list_shows_the_grade(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.db'}"
    assert _cli(db, "init").exit_code == 0
    assert _cli(db, "sources", "add", "https://agency.example/rss", "-c", "MN").exit_code == 0
    rated = _cli(db, "sources", "rate", "1", "b", "--why", "checked against releases")
    assert rated.exit_code == 0, rated.output
    official = _cli(db, "sources", "rate", "1", "A", "--why", "ministry's own feed", "--official")
    assert official.exit_code == 0, official.output
    same = _cli(db, "sources", "rate", "1", "A", "--why", "again")
    assert "already graded A" in same.output
    history = json.loads(_cli(db, "sources", "grades", "1", "--json").output)
    assert [(h["reliability"], h["official"], h["reason"]) for h in history] == [
        ("B", False, "checked against releases"),
        ("A", True, "ministry's own feed"),
    ]
    listed = json.loads(_cli(db, "sources", "list", "--json").output)
    assert (listed[0]["reliability"], listed[0]["official"]) == ("A", True)
    assert "A official" in _cli(db, "sources", "list").output
    assert _cli(db, "sources", "rate", "1", "G", "--why", "x").exit_code == 2
    assert _cli(db, "sources", "rate", "1", "B").exit_code == 2  # --why is required
    assert _cli(db, "sources", "rate", "9", "B", "--why", "x").exit_code == 1


def test_default_list_grades_sources_once_and_keeps_the_analysts_grade(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'd.db'}"
    assert _cli(db, "init").exit_code == 0
    assert _cli(db, "sources", "load-defaults", "-c", "MN").exit_code == 0
    listed = {s["name"]: s for s in json.loads(_cli(db, "sources", "list", "--json").output)}
    assert listed["Montsame (English)"]["reliability"] == "B"
    assert listed["CISA advisories"]["official"] is True
    assert {s["reliability"] for s in listed.values()} - {"F"}  # graded, not all default
    sid = str(listed["Montsame (English)"]["id"])
    assert _cli(db, "sources", "rate", sid, "C", "--why", "my own check").exit_code == 0
    assert _cli(db, "sources", "load-defaults", "-c", "MN").exit_code == 0
    again = {s["name"]: s for s in json.loads(_cli(db, "sources", "list", "--json").output)}
    assert again["Montsame (English)"]["reliability"] == "C"
    history = json.loads(_cli(db, "sources", "grades", sid, "--json").output)
    assert [h["reliability"] for h in history] == ["B", "C"]
    assert history[0]["reason"].startswith("curated default list: ")
