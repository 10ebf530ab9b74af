"""Places everywhere (issue #10): compass-named provinces, three-letter towns, pairs of
small towns, towns of unknown size, and people named like places (docs/geoparsing.md,
"Places everywhere"). Sentences are ours."""

from __future__ import annotations

import pytest

from tests.enrich.geoparse_helpers import place_names, placed_near
from watchfloor.enrich.geoparse import Geoparser

# ---------------------------------------------------------------- compass names


def test_a_compass_province_of_a_country_the_text_names(geoparser: Geoparser) -> None:
    text = "The road from Lusaka to Southern was cut by floods, officials in Zambia said."
    hits = [p for p in geoparser.parse(text) if p.text == "Southern"]
    assert hits and hits[0].country == "ZM" and hits[0].feature == "admin1"


@pytest.mark.parametrize(
    "text",
    [
        "Western diplomats said the talks in Lusaka had failed.",
        "The West imposed new sanctions on Zambia.",
        "Aid workers moved into Northern after the storm.",  # no country named
        "Central bank officials in Harare raised rates again.",
    ],
)
def test_compass_words_stay_words(geoparser: Geoparser, text: str) -> None:
    names = place_names(geoparser, text)
    assert not {"Western", "West", "Northern", "Central"} & set(names), names


# ---------------------------------------------------------------- three-letter names


def test_a_three_letter_town_after_a_place_preposition(geoparser: Geoparser) -> None:
    assert placed_near(
        geoparser, "Protests spread from Bishkek to Osh on Friday.", "Osh", 40.5, 72.8
    )
    text = "Floods cut the highway near Lae, Papua New Guinea."
    assert placed_near(geoparser, text, "Lae", -6.7, 147.0)


def test_three_letter_words_are_no_places(geoparser: Geoparser) -> None:
    text = "The Sun said in May that Ben had won the vote in a Gap store."
    assert place_names(geoparser, text) == []


# ---------------------------------------------------------------- pairs and small towns


def test_two_small_neighbouring_towns_support_each_other(geoparser: Geoparser) -> None:
    text = "Fighting was reported between Mulifanua and Sale’imoa after the truce collapsed."
    countries = {p.text: p.country for p in geoparser.parse(text)}
    assert countries == {"Mulifanua": "WS", "Sale’imoa": "WS"}


def test_from_a_to_b_read_as_one_organisation(geoparser: Geoparser) -> None:
    text = "Protests spread from Arequipa to Trujillo"
    assert {p.text: p.country for p in geoparser.parse(text)} == {
        "Arequipa": "PE",
        "Trujillo": "PE",
    }


def test_two_surnames_are_not_towns_far_apart(geoparser: Geoparser) -> None:
    assert place_names(geoparser, "Lawyers for Okafor and Tanaka met on Monday.") == []


def test_a_town_of_unknown_size_in_the_country_named(geoparser: Geoparser) -> None:
    text = "Thousands of people fled Spin Boldak in Afghanistan as the fighting spread."
    assert placed_near(geoparser, text, "Spin Boldak", 31.0, 66.4)


@pytest.mark.parametrize(
    ("text", "name", "lat", "lng"),
    [
        ("Ethiopian troops were reported in Humera on Sunday.", "Humera", 14.3, 36.6),
        ("Thousands crossed the Naf river from Maungdaw, Myanmar.", "Maungdaw", 20.8, 92.4),
        ("Rebels entered Kiwanja, Democratic Republic of Congo, overnight.", "Kiwanja", -1.2, 29.5),
        ("Gangs burned houses in Cite Soleil, Haiti, on Monday.", "Cite Soleil", 18.6, -72.3),
        ("The army retook Aguelhoc in Mali.", "Aguelhoc", 19.5, 0.9),
    ],
)  # fmt: skip
def test_conflict_places_the_gazetteer_lacked(
    geoparser: Geoparser, text: str, name: str, lat: float, lng: float
) -> None:
    assert placed_near(geoparser, text, name, lat, lng), geoparser.parse(text)


# ---------------------------------------------------------------- people named like places


@pytest.mark.parametrize(
    "text",
    [
        "Florence won the chess final at the age of eleven.",
        "Madison said the bus had been late all week.",
        "Dallas was dropped from the squad before the final.",
        "Aunt Florence sent a parcel for the children.",
        "Her younger brother Lincoln started school this week.",
        "The nurse told Savannah that the results were fine.",
        "Dr Jordan said the ward was full.",
        "Carla Verona painted the bridge in the spring.",
        "Orange juice prices rose after the frost.",
    ],
)
def test_people_and_things_named_like_places(geoparser: Geoparser, text: str) -> None:
    assert place_names(geoparser, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dallas was cut off by the floods on Sunday.", "Dallas"),
        ("Florence was flooded when the Arno burst its banks.", "Florence"),
        ("Paris said the talks would go on.", "Paris"),
        ("Flights to Paris France were cancelled.", "France"),
        ("Kabul residents said the power was cut.", "Kabul"),
    ],
)
def test_places_named_like_people_stay_places(geoparser: Geoparser, text: str, name: str) -> None:
    assert name in place_names(geoparser, text)
