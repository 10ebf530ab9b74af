"""Places the gazetteer knows stay places when spaCy's small model misses or mislabels them.

Sentences are written in the style of security news about the towns the English model
tags as people ("Goma", "Bukavu", "Gao", "Bandar Abbas"), as one organisation ("Kharkiv and
Odesa") or not at all ("Timbuktu"); the context around a name decides (see
docs/geoparsing.md, "Weak names").
"""

from __future__ import annotations

import pytest

from watchfloor.config import GeoparseSettings
from watchfloor.enrich.gazetteer import haversine_km
from watchfloor.enrich.geoparse import Geoparser, ResolvedPlace


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser()


def _at(places: list[ResolvedPlace], surface: str) -> ResolvedPlace:
    hits = [p for p in places if p.text == surface]
    assert hits, f"{surface!r} not found in {[p.text for p in places]}"
    return hits[0]


def _within(p: ResolvedPlace, lat: float, lng: float, km: float = 50) -> bool:
    return haversine_km(p.lat, p.lng, lat, lng) < km


def test_a_town_spacy_does_not_tag_is_found_after_outside(geoparser: Geoparser) -> None:
    text = "Gunmen attacked a convoy on the road outside Timbuktu on Tuesday, officials said."
    assert _within(_at(geoparser.parse(text), "Timbuktu"), 16.77, -3.01)


def test_towns_in_a_list_after_between_are_both_malian(geoparser: Geoparser) -> None:
    text = "Mali's army said jihadists ambushed a supply column between Gao and Ansongo on Sunday."
    places = geoparser.parse(text)
    gao, ansongo = _at(places, "Gao"), _at(places, "Ansongo")
    assert gao.country == ansongo.country == "ML"
    assert _within(gao, 16.27, -0.04)
    assert _within(ansongo, 15.66, 0.50)


def test_gao_the_envoy_stays_a_person(geoparser: Geoparser) -> None:
    text = "Chinese envoy Gao Yan met Mali's foreign minister in Bamako on Monday."
    places = geoparser.parse(text)
    assert "Gao" not in {p.text for p in places}
    assert "Gao Yan" not in {p.text for p in places}
    assert _at(places, "Bamako").country == "ML"
    # A title keeps a bare surname a person even in a text about Mali.
    titled = geoparser.parse("Mr Gao said the talks in Mali had been useful.", country_hint="ML")
    assert [p.text for p in titled] == ["Mali"]


def test_congolese_towns_spacy_calls_people_are_places(geoparser: Geoparser) -> None:
    text = "M23 rebels advanced towards Goma as thousands fled Bukavu in eastern Congo."
    places = geoparser.parse(text)
    assert _within(_at(places, "Goma"), -1.67, 29.23)
    assert _within(_at(places, "Bukavu"), -2.49, 28.84)


def test_beni_in_a_congo_text_is_the_town_in_north_kivu(geoparser: Geoparser) -> None:
    beni_drc = (0.49, 29.47)
    text = "ADF rebels killed 20 villagers around Beni and Butembo in eastern Congo overnight."
    places = geoparser.parse(text)
    assert _at(places, "Beni").country == "CD"
    assert _within(_at(places, "Beni"), *beni_drc)
    assert _at(places, "Butembo").country == "CD"
    hinted = geoparser.parse("Attackers killed twelve people in Beni on Sunday.", country_hint="CD")
    assert _within(_at(hinted, "Beni"), *beni_drc)


def test_ukrainian_cities_and_a_list_read_as_one_organisation(geoparser: Geoparser) -> None:
    text = "Russian missiles struck Zaporizhzhya overnight, and drones hit Kharkiv and Odesa."
    places = geoparser.parse(text)
    assert _within(_at(places, "Zaporizhzhya"), 47.85, 35.12)
    assert _within(_at(places, "Kharkiv"), 49.98, 36.25)
    assert _within(_at(places, "Odesa"), 46.49, 30.74)


def test_zaporizhzhia_spelling_reads_the_city_not_the_village(geoparser: Geoparser) -> None:
    # The gazetteer knows this spelling as an alternate name of the city of 710,000 and
    # the main name of a village of 656.
    text = "Shelling hit the outskirts of Zaporizhzhia and Kherson on Monday."
    assert _within(_at(geoparser.parse(text), "Zaporizhzhia"), 47.85, 35.12)


def test_kursk_region_and_city(geoparser: Geoparser) -> None:
    text = (
        "Ukrainian troops pushed deeper into the Kursk region, and air raid sirens sounded "
        "in Kursk."
    )
    # "Kursk region" is also a news spelling of the province (news_spellings.tsv).
    places = [p for p in geoparser.parse(text) if p.text.startswith("Kursk")]
    assert [p.text for p in places] == ["Kursk region", "Kursk"]
    assert places[0].feature == "admin1"
    assert places[1].feature == "city"
    assert all(p.country == "RU" and _within(p, 51.73, 36.19, 100) for p in places)


@pytest.mark.parametrize(
    ("text", "name", "lat", "lng"),
    [
        ("Iran's navy held drills off Bandar Abbas on Thursday.", "Bandar Abbas", 27.19, 56.28),
        (
            "The Arakan Army closed in on Sittwe as fighting spread across Rakhine.",
            "Sittwe",
            20.15,
            92.90,
        ),
        (
            "Troops retook Marawi after five months of fighting with Islamic State militants.",
            "Marawi",
            8.00,
            124.28,
        ),
    ],
)
def test_conflict_towns_after_a_preposition_or_a_war_verb(
    geoparser: Geoparser, text: str, name: str, lat: float, lng: float
) -> None:
    assert _within(_at(geoparser.parse(text), name), lat, lng)


def test_sukhbaatar_city_is_the_town_not_the_province(geoparser: Geoparser) -> None:
    text = "A fire broke out in Selenge Province, near Sukhbaatar city, on Friday."
    place = _at(geoparser.parse(text, country_hint="MN"), "Sukhbaatar")
    assert place.feature == "city"
    assert _within(place, 50.23, 106.21)  # the aimag's centre is ~650 km south-east


def test_tavan_tolgoi_in_a_military_story_is_the_training_area(geoparser: Geoparser) -> None:
    drill = (
        "Soldiers from 20 countries began the Khaan Quest peacekeeping exercise at "
        "Tavan Tolgoi on Monday."
    )
    area = _at(geoparser.parse(drill, country_hint="MN"), "Tavan Tolgoi")
    assert area.feature == "base"
    assert _within(area, 47.67, 106.58)  # Five Hills, west of Ulaanbaatar
    mine = _at(
        geoparser.parse(
            "Coal exports from the Tavan Tolgoi mine rose by a third.", country_hint="MN"
        ),
        "Tavan Tolgoi",
    )
    assert _within(mine, 43.60, 105.50)  # the coal deposit in the South Gobi
    guarded = geoparser.parse("Soldiers guard the Tavan Tolgoi mine.", country_hint="MN")
    assert _within(_at(guarded, "Tavan Tolgoi"), 43.60, 105.50)


@pytest.mark.parametrize(
    "text",
    [
        "President Goodluck Jonathan visited the market.",
        "Jordan said he would retire after the season.",
        "Gao scored twice on Saturday.",
        "Tragedy struck the Webster last year, when its booker disappeared.",
        "The report blamed the administration for the Arab-Israeli conflict.",
    ],
)
def test_people_and_things_named_like_towns_stay_unplaced(geoparser: Geoparser, text: str) -> None:
    assert [p.text for p in geoparser.parse(text) if not p.demonym] == []


def test_the_threshold_is_a_setting(geoparser: Geoparser) -> None:
    text = "Gunmen attacked a convoy on the road outside Timbuktu on Tuesday."
    strict = Geoparser(
        settings=GeoparseSettings(weak_threshold=10.0), gazetteer=geoparser.gazetteer
    )
    assert "Timbuktu" in {p.text for p in geoparser.parse(text)}
    assert "Timbuktu" not in {p.text for p in strict.parse(text)}


def test_advancing_on_and_taking_a_town_are_place_cues(geoparser: Geoparser) -> None:
    # With Bukavu and Goma found, Beni is read in the DR Congo, not the Bolivian department.
    text = "Rebels advanced on Bukavu after taking Goma, and clashes were reported near Beni."
    got = {p.text: p.country for p in geoparser.parse(text)}
    assert got == {"Bukavu": "CD", "Goma": "CD", "Beni": "CD"}


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # spaCy tags the town a person after "sent to ... on Monday".
        ("Troops were sent to Kharkiv on Monday.", "Kharkiv", "UA"),
        ("Reinforcements were sent to Goma on Monday as the rebels closed in.", "Goma", "CD"),
        ("Protests spread to Austin after the verdict.", "Austin", "US"),
        ("Thousands fled to Bukavu on Sunday.", "Bukavu", "CD"),
    ],
)
def test_a_destination_of_movement_is_a_place(
    geoparser: Geoparser, text: str, name: str, country: str
) -> None:
    assert _at(geoparser.parse(text), name).country == country


def test_a_person_after_sent_to_stays_a_person(geoparser: Geoparser) -> None:
    text = "The invitation was sent to Chad Mwangi on Monday."
    assert geoparser.parse(text) == []
