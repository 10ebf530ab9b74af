"""The gazetteer: built from packaged data, loaded fast, multilingual names."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from watchfloor.enrich.gazetteer import (
    AUTOMATON_NAME,
    DB_NAME,
    LEGACY_DIR,
    adopt_legacy_index,
    build_gazetteer,
    default_dir,
    fold,
    haversine_km,
    load_gazetteer,
    name_key,
    open_gazetteer,
)
from watchfloor.errors import EnrichError


def _best(name: str, feature: str | None = None) -> tuple[str, str, float, float]:
    cands = [p for p, _alt in load_gazetteer().lookup(name) if feature in (None, p.feature)]
    assert cands, f"no gazetteer entry for {name!r}"
    p = max(cands, key=lambda p: p.population)
    return p.name, p.country, p.lat, p.lng


def test_fold_keeps_one_character_per_character() -> None:
    for text in ("Zamyn-Üüd", "İstanbul straße", "Улаанбаатар", "二连浩特", "O’ahu"):
        assert len(fold(text)) == len(text)
    assert fold("Zamyn-Üüd") == "zamyn-uud"
    # Mongolian Cyrillic letters are letters, not accented Latin: they must survive.
    assert fold("Үүд") == "үүд"


def test_built_index_loads_from_disk_and_answers() -> None:
    # Load time is measured in benchmarks/bench_geoparse.py, not asserted here: these
    # machines are too noisy for wall-clock limits in tests.
    load_gazetteer()  # builds the index on first use if the install step did not
    from watchfloor.enrich.gazetteer import Gazetteer

    fresh = Gazetteer(default_dir())
    assert any(p.country == "MN" for p, _ in fresh.lookup("Ulaanbaatar"))


@pytest.mark.parametrize(
    ("name", "lat", "lng"),
    [
        ("Ulaanbaatar", 47.92, 106.88),
        ("Ulan Bator", 47.92, 106.88),
        ("Улаанбаатар", 47.92, 106.88),
        ("乌兰巴托", 47.92, 106.88),
        ("Zamiin-Uud", 43.72, 111.90),
        ("Zamyn-Üüd", 43.72, 111.90),
        ("Замын-Үүд", 43.72, 111.90),
        ("Ereen", 43.65, 111.98),
        ("Erenhot", 43.65, 111.98),
        ("二连浩特", 43.65, 111.98),
        ("Москва", 55.75, 37.62),
    ],
)
def test_transliterations_reach_the_same_place(name: str, lat: float, lng: float) -> None:
    _n, _c, plat, plng = _best(name)
    assert haversine_km(plat, plng, lat, lng) < 30


def test_provinces_have_centres() -> None:
    for name in ("Dornogovi", "Darkhan-Uul", "Bulgan"):
        _n, country, lat, lng = _best(name, "admin1")
        assert country == "MN"
        assert 41 < lat < 52 and 87 < lng < 120


def test_supplement_adds_islands_and_regions() -> None:
    assert _best("Oahu")[1] == "US"
    assert _best("South China Sea", "sea")[0] == "South China Sea"
    assert _best("U.S.")[1] == "US"


def test_demonyms_name_countries_not_places() -> None:
    gaz = load_gazetteer()
    assert gaz.demonym_country("Mongolian") == "MN"
    assert gaz.demonym_country("Russians") == "RU"
    assert not [p for p, _ in gaz.lookup("Mongolian") if p.feature == "country"]


def test_name_key_collapses_space_and_case() -> None:
    assert name_key("  New   York ") == "new york"


@pytest.mark.slow
def test_missing_index_is_built_on_first_use(tmp_path: Path) -> None:
    target = tmp_path / "gaz"
    assert not target.exists()
    built = build_gazetteer(target)
    assert (built / "gazetteer.sqlite").stat().st_size > 1_000_000
    gaz = load_gazetteer(target)
    assert gaz.lookup("Dornogovi")


def test_supplement_adds_english_spellings_to_admin1_units() -> None:
    name, country, lat, lng = _best("South Gobi", "admin1")
    assert (name, country) == ("Ömnögovi", "MN")
    assert haversine_km(lat, lng, 43.28, 104.11) < 10
    assert _best("Umnugovi", "admin1")[0] == "Ömnögovi"


def test_index_lives_in_the_data_dir_not_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WATCHFLOOR_DATA", str(tmp_path))
    assert default_dir() == tmp_path / "gazetteer"
    monkeypatch.delenv("WATCHFLOOR_DATA")
    package = LEGACY_DIR.parent.parent
    assert package not in default_dir().parents
    assert default_dir().name == "gazetteer"


def _copy_index(to: Path) -> None:
    """Copy the session's built index (real files, not links) into TO."""
    load_gazetteer()  # builds it once if the install step did not
    to.mkdir(parents=True)
    for name in (DB_NAME, AUTOMATON_NAME):
        shutil.copyfile((default_dir() / name).resolve(), to / name)


@pytest.mark.slow
def test_index_built_in_the_old_place_is_moved_not_rebuilt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    old = tmp_path / "site-packages" / "watchfloor" / "data" / "gazetteer"
    _copy_index(old)
    inodes = {n: os.stat(old / n).st_ino for n in (DB_NAME, AUTOMATON_NAME)}
    monkeypatch.setenv("WATCHFLOOR_DATA", str(tmp_path / "data"))
    target = default_dir()

    assert adopt_legacy_index(target, old)
    assert not (old / DB_NAME).exists() and not (old / AUTOMATON_NAME).exists()
    gaz = open_gazetteer()  # finds the moved index: nothing is rebuilt
    assert gaz.directory == target
    assert gaz.lookup("Dornogovi")
    # Same files (a rename), untouched by the load: a rebuild would have replaced them.
    assert {n: os.stat(target / n).st_ino for n in inodes} == inodes
    assert not adopt_legacy_index(target, old)  # nothing left to move


def test_unreadable_index_names_the_build_command(tmp_path: Path) -> None:
    load_gazetteer()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / DB_NAME).symlink_to((default_dir() / DB_NAME).resolve())
    (broken / AUTOMATON_NAME).write_bytes(b"not a pickle")
    with pytest.raises(EnrichError, match="`watchfloor gazetteer build`"):
        load_gazetteer(broken)
