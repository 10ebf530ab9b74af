"""The same mistake gives the same exit status in every command.

A bad flag value (a country code that is not ISO 3166-1 alpha-2, an unreadable --every)
is a usage error, exit 2; an operational failure is exit 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import run

OPML = """<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline type="rss" text="A" xmlUrl="https://a.example/rss"/></body></opml>"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert run("--db", url, "init").exit_code == 0
    return url


def _country_commands(tmp_path: Path) -> list[list[str]]:
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML, encoding="utf-8")
    return [
        ["sources", "add", "https://a.example/rss"],
        ["sources", "list"],
        ["sources", "import-opml", str(opml)],
        ["sources", "load-defaults"],
        ["collect"],
        ["report", "--from", "2026-04-27", "--to", "2026-05-03", "--out", str(tmp_path)],
        ["reports", "list"],
    ]


@pytest.mark.parametrize("bad", ["XX", "Mongolia", "MN,zz"])
def test_a_bad_country_is_a_usage_error_everywhere(db: str, tmp_path: Path, bad: str):
    for command in _country_commands(tmp_path):
        res = run("--db", db, *command, "--country", bad)
        assert res.exit_code == 2, (command, res.output)
        assert "Invalid value for '--country'" in res.output, (command, res.output)
    assert run("--db", db, "sources", "list", "--json").output.strip() == "[]"  # nothing added


def test_a_bad_every_is_a_usage_error_everywhere(db: str, tmp_path: Path):
    opml = tmp_path / "feeds.opml"
    opml.write_text(OPML, encoding="utf-8")
    for command in (
        ["sources", "add", "https://a.example/rss"],
        ["sources", "import-opml", str(opml)],
    ):
        res = run("--db", db, *command, "--every", "soon")
        assert res.exit_code == 2, (command, res.output)
        assert "Invalid value for '--every'" in res.output
    assert run("--db", db, "sources", "list", "--json").output.strip() == "[]"  # nothing added


def test_operational_failures_exit_1(db: str, tmp_path: Path):
    res = run("--db", db, "sources", "add", str(tmp_path / "missing.xml"))
    assert res.exit_code == 1 and "neither an http(s) URL" in res.output
    assert run("--db", db, "sources", "remove", "5").exit_code == 1
    assert run("--db", db, "pages", "diff", "5").exit_code == 1
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    res = run("--db", fresh, "reports", "list")
    assert res.exit_code == 1 and "watchfloor init" in res.output
