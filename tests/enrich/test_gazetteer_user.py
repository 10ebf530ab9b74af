"""The user gazetteer: a file of the user's own places read on top of the packaged index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import run
from watchfloor.config import DATA_ENV, EnrichSettings, GeoparseSettings
from watchfloor.enrich.gazetteer import (
    USER_FILE_NAME,
    Gazetteer,
    haversine_km,
    load_gazetteer,
    open_gazetteer,
    user_gazetteer_path,
)
from watchfloor.enrich.geoparse import Geoparser
from watchfloor.enrich.resources import Resources, shared
from watchfloor.services.demo import demo_places

HEADER = "names\tfeature\tcountry\tlat\tlng\tpopulation\tsource\n"
ROWS = [
    "# my places",  # line 2
    "Khaan Camp|Хаан бааз\tbase\tMN\t47.80\t106.70\t0\tour survey",  # 3: add
    "Sainshand|Sain Shand town\talias:city\tMN\t0\t0\t0\tspelling",  # 4: alias
    "Choir\tcorrect:city\tMN\t46.40\t108.30\t0\tGPS",  # 5: correct
    "Darkhan\tsuppress\t\t\t\t\tnever a place for us",  # 6: suppress all
    "Paris\tsuppress\tUS\t\t\t\tonly the French one",  # 7: suppress in a country
    "just one column",  # 8: bad
    "Nowhere Camp\tbase\tMN\t95\t106\t0\tx",  # 9: bad latitude
    "Big Camp\tcamp\tMN\t47\t106\t0\tx",  # 10: unknown feature
    "No Such Town|Alias\talias:city\tMN\t0\t0\t0\tx",  # 11: no such entry
    "Bayanzürkh Camp\tbase\tmongolia\t47.9\t107.0\t0\tx",  # 12: bad country
    "Erdene Camp\tbase\tMN\t47.7\t107.2\t0\tafter the bad rows",  # 13: add
]


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    path = tmp_path / "user.tsv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def gaz(user_file: Path) -> Gazetteer:
    return load_gazetteer().with_user(user_file)


def _ids(gaz: Gazetteer, name: str) -> set[int]:
    return {p.id for p, _alt in gaz.lookup(name)}


def test_bad_rows_are_rejected_by_line_and_the_rest_loads(gaz: Gazetteer, user_file: Path) -> None:
    assert gaz.user is not None
    rejected = {e.line: e.message for e in gaz.user.rejects}
    assert sorted(rejected) == [8, 9, 10, 11, 12]
    assert "7 tab-separated columns" in rejected[8]
    assert "lat '95'" in rejected[9]
    assert "unknown feature 'camp'" in rejected[10]
    assert "No Such Town" in rejected[11]
    assert "ISO alpha-2" in rejected[12]
    assert all(str(user_file) in str(e) for e in gaz.user.rejects)
    assert str(gaz.user.rejects[0]).startswith(f"{user_file}:8: ")
    assert [row.line for row, _ in gaz.user.applied] == [3, 4, 5, 6, 7, 13]
    # The row after the bad ones applies.
    assert [p.name for p, _ in gaz.lookup("Erdene Camp")] == ["Erdene Camp"]


def test_a_new_place_is_found_in_text(gaz: Gazetteer) -> None:
    [(camp, alt)] = gaz.lookup("Khaan Camp")
    assert (camp.feature, camp.country, camp.lat, camp.lng, alt) == (
        "base",
        "MN",
        47.8,
        106.7,
        False,
    )
    assert _ids(gaz, "Хаан бааз") == {camp.id}
    assert camp.id not in _ids(load_gazetteer(), "Khaan Camp")  # the packaged one is intact
    text = "Soldiers trained at Khaan Camp on Tuesday."
    places = Geoparser(gazetteer=gaz).parse(text)
    assert [(p.name, p.lat) for p in places] == [("Khaan Camp", 47.8)]
    # Without the user file the name is nothing.
    assert Geoparser(gazetteer=load_gazetteer()).parse(text) == []


def test_an_alias_names_the_existing_entry(gaz: Gazetteer) -> None:
    base = load_gazetteer()
    [sainshand] = [
        p for p, _ in base.lookup("Sainshand") if p.feature == "city" and p.country == "MN"
    ][:1]
    assert base.lookup("Sain Shand town") == []
    hits = gaz.lookup("Sain Shand town")
    assert [(p.id, alt) for p, alt in hits] == [(sainshand.id, False)]
    text = "A convoy left Sain Shand town for the border."
    [place] = Geoparser(gazetteer=gaz).parse(text)
    assert text[place.start : place.end] == "Sain Shand town"
    assert haversine_km(place.lat, place.lng, sainshand.lat, sainshand.lng) < 1


def test_a_correction_moves_the_entry_everywhere(gaz: Gazetteer) -> None:
    base = max(
        (
            p
            for p, _ in load_gazetteer().lookup("Choir")
            if p.country == "MN" and p.feature == "city"
        ),
        key=lambda p: p.population,
    )
    moved = [p for p, _ in gaz.lookup("Choir") if p.id == base.id]
    assert [(p.lat, p.lng) for p in moved] == [(46.40, 108.30)]
    assert (base.lat, base.lng) != (46.40, 108.30)
    # Under its other names too.
    other = next(n for n in ("Choyr", "Чойр") if any(p.id == base.id for p, _ in gaz.lookup(n)))
    assert [(p.lat, p.lng) for p, _ in gaz.lookup(other) if p.id == base.id] == [(46.40, 108.30)]


def test_a_suppressed_name_is_no_place(gaz: Gazetteer) -> None:
    assert load_gazetteer().lookup("Darkhan")
    assert gaz.lookup("Darkhan") == []
    text = "Darkhan said the mine would reopen in Ulaanbaatar next week."
    names = {p.name for p in Geoparser(gazetteer=gaz).parse(text)}
    assert "Ulaanbaatar" in names and not any("Dar" in n for n in names)
    # Suppressed in one country only: the other readings stay.
    assert {p.country for p, _ in gaz.lookup("Paris")} == {
        p.country for p, _ in load_gazetteer().lookup("Paris")
    } - {"US"}
    assert "FR" in {p.country for p, _ in gaz.lookup("Paris")}


def test_the_setting_picks_the_file_and_borrows_the_index(
    user_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = EnrichSettings(geoparse=GeoparseSettings(user_gazetteer=str(user_file)))
    res = Resources(settings, parent=shared())
    assert res.gazetteer.user_file == user_file
    assert res.geoparser.gazetteer is res.gazetteer
    assert res.gazetteer.lookup("Khaan Camp")
    # The packaged index is shared, not loaded again.
    assert res.gazetteer._base_automaton is shared().gazetteer._base_automaton
    assert shared().gazetteer.user_file is None
    # The default: user.tsv beside the index when it exists; "off": none.
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    assert user_gazetteer_path("") is None
    default = tmp_path / "data" / "gazetteer" / USER_FILE_NAME
    default.parent.mkdir(parents=True)
    default.write_text(HEADER, encoding="utf-8")
    assert user_gazetteer_path("") == default
    assert user_gazetteer_path("off") is None
    assert user_gazetteer_path("~/places.tsv") == Path.home() / "places.tsv"


def test_a_missing_file_is_reported_not_fatal(tmp_path: Path) -> None:
    gaz = load_gazetteer().with_user(tmp_path / "absent.tsv")
    assert gaz.user is not None and gaz.user.applied == []
    [err] = gaz.user.rejects
    assert err.line == 0 and "cannot read" in str(err)
    assert gaz.lookup("Ulaanbaatar")


def test_open_gazetteer_reads_the_user_file(user_file: Path) -> None:
    gaz = open_gazetteer(user_file=user_file)
    assert gaz.user_file == user_file and gaz.lookup("Khaan Camp")


def test_check_command_prints_each_row_and_fails_on_rejects(user_file: Path) -> None:
    res = run("gazetteer", "check", str(user_file))
    assert res.exit_code == 1
    out = res.output
    assert f"{user_file}:3: ok: add base Khaan Camp" in out
    assert f"{user_file}:4: ok: alias Sain Shand town -> " in out
    line5 = next(x for x in out.splitlines() if x.startswith(f"{user_file}:5: "))
    assert line5.startswith(f"{user_file}:5: ok: correct ") and line5.endswith(
        " -> 46.4000, 108.3000"
    )
    assert f"{user_file}:6: ok: suppress Darkhan as any place" in out
    assert f"{user_file}:8: rejected: expected 7 tab-separated columns" in out
    assert "6 row(s) apply, 5 rejected" in out
    as_json = json.loads(run("gazetteer", "check", "--json", str(user_file)).output)
    statuses = {r["line"]: r["status"] for r in as_json["rows"]}
    assert statuses[3] == "ok" and statuses[8] == "rejected" and len(statuses) == 11


def test_the_demo_places_all_apply() -> None:
    gaz = load_gazetteer().with_user(demo_places())
    assert gaz.user is not None
    assert gaz.user.rejects == []
    actions = {row.action for row, _ in gaz.user.applied}
    assert actions == {"add", "alias", "correct", "suppress"}
    [(five_hills, _)] = [(p, a) for p, a in gaz.lookup("Tavan Tolgoi training area")]
    assert five_hills.name == "Five Hills"
    assert gaz.lookup("Даваа") == []
    res = run("gazetteer", "check", str(demo_places()))
    assert res.exit_code == 0, res.output


def test_a_country_or_admin1_alias_by_code(tmp_path: Path) -> None:
    path = tmp_path / "codes.tsv"
    rows = [
        "South Gobi aimag\talias\tMN:053\t0\t0\t0\tx",
        "Outer Steppe Land\talias\tMN\t0\t0\t0\tx",
        "Nope\talias\tMN:999\t0\t0\t0\tx",
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    gaz = load_gazetteer().with_user(path)
    assert gaz.user is not None
    assert [(e.line, e.message) for e in gaz.user.rejects] == [(4, "no admin-1 unit 'MN:999'")]
    [(unit, _)] = gaz.lookup("South Gobi aimag")
    assert (unit.feature, unit.country, unit.admin1) == ("admin1", "MN", "053")
    [(country, _)] = gaz.lookup("Outer Steppe Land")
    assert country.feature == "country" and country.country == "MN"
