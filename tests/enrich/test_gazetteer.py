"""The gazetteer: built from packaged data, loaded fast, multilingual names."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.enrich.gazetteer import (
    DATA_DIR,
    build_gazetteer,
    fold,
    haversine_km,
    load_gazetteer,
    name_key,
)


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

    fresh = Gazetteer(DATA_DIR)
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
