"""Web assets live in the user data directory: the report reads them there, the fetch
script puts them there and moves those an older version left inside the package."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import load_script
from tests.report.fixtures_report import mongolia_report
from watchfloor.config import data_dir, web_assets_dir
from watchfloor.report.html import render_html

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fetch_web_assets.py"
NEEDED = ("leaflet.js", "leaflet.css", "countries-110m.json")


def _script() -> ModuleType:
    """Import scripts/fetch_web_assets.py (registered, as its dataclasses need)."""
    return load_script(SCRIPT)


def test_assets_dir_is_under_watchfloor_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WATCHFLOOR_DATA", str(tmp_path))
    assert data_dir() == tmp_path
    assert web_assets_dir() == tmp_path / "web-assets"
    assert _script().default_dest() == tmp_path / "web-assets"


def test_report_reads_assets_from_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("WATCHFLOOR_DATA", str(tmp_path))
    with caplog.at_level(logging.WARNING, logger="watchfloor.report.html"):
        html = render_html(mongolia_report())
    assert "<svg" in html and "<script" not in html  # the static map: nothing there yet
    assert str(tmp_path / "web-assets") in caplog.text


def test_fetch_moves_assets_from_the_old_place_in_the_package(tmp_path: Path) -> None:
    script = _script()
    old, dest = tmp_path / "package" / "report" / "assets", tmp_path / "data" / "web-assets"
    old.mkdir(parents=True)
    for f in script.wanted_files(old):
        f.write_text(f"/* {f.name} */", encoding="utf-8")
    assert script.adopt_legacy(dest, old)
    assert sorted(p.name for p in dest.iterdir()) == sorted(
        f.name for f in script.wanted_files(dest)
    )
    assert not any(old.iterdir())
    # Present now: --if-missing neither fetches (no npm needed) nor moves anything.
    assert script.main(["--if-missing", "--dest", str(dest)]) == 0
    assert not script.adopt_legacy(dest, old)


def test_leaflet_map_when_the_data_dir_has_the_assets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    have = web_assets_dir()
    if not all((have / n).exists() for n in NEEDED):
        pytest.skip(f"web assets not installed in {have}: run scripts/fetch_web_assets.py")
    (tmp_path / "web-assets").mkdir()
    for n in NEEDED:
        shutil.copyfile(have / n, tmp_path / "web-assets" / n)
    monkeypatch.setenv("WATCHFLOOR_DATA", str(tmp_path))
    html = render_html(mongolia_report())
    assert "<script" in html and "L.map" in html
