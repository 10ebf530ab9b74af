"""Names at the head of a sentence: subjects of war verbs are places, people and things
named like places are not (docs/geoparsing.md, "Method": weak names and person evidence).

Sentences are ours, in the style of news and of everyday prose.
"""

from __future__ import annotations

import pytest

from tests.enrich.geoparse_helpers import place_names
from watchfloor.enrich.gazetteer import haversine_km
from watchfloor.enrich.geoparse import Geoparser


@pytest.mark.parametrize(
    ("text", "name", "lat", "lng"),
    [
        ("Kunar was shelled again on Friday and two schools burned, villagers said.",
         "Kunar", 34.9, 71.1),
        ("Barranquilla came under fire late on Monday as the gangs fought for the port.",
         "Barranquilla", 11.0, -74.8),
    ],
)  # fmt: skip
def test_subject_of_a_passive_war_verb_is_a_place(
    geoparser: Geoparser, text: str, name: str, lat: float, lng: float
) -> None:
    hits = [p for p in geoparser.parse(text) if p.text == name]
    assert hits, f"{name!r} not found"
    assert haversine_km(hits[0].lat, hits[0].lng, lat, lng) < 161


def test_residents_of_a_town_name_the_town(geoparser: Geoparser) -> None:
    text = "Residents of Lilongwe told reporters the power had been off since Sunday."
    assert "Lilongwe" in place_names(geoparser, text)


def test_the_road_from_one_town_to_another_keeps_the_second(geoparser: Geoparser) -> None:
    text = "Traffic on the road from Nairobi to Kakamega was halted for hours by the protest."
    assert "Kakamega" in place_names(geoparser, text)


@pytest.mark.parametrize(
    "text",
    [
        "Phoenix adopted a puppy from the rescue centre last spring.",
        "Georgia said she would take the early train home.",
        "Trinidad gave her old bicycle to a neighbour.",
        "Selenge, a teacher, said the pupils had walked through the snow.",
        "Orlando played the hero in the end-of-term play.",
    ],
)
def test_a_person_at_the_head_of_a_sentence_is_no_place(geoparser: Geoparser, text: str) -> None:
    assert place_names(geoparser, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Buffalo wings and chips were all that was left by midnight.",
        "Guinea pigs need fresh hay every day.",
        "She put the good china back on the top shelf.",
        "Cayenne pepper went into the soup by mistake.",
    ],
)
def test_things_named_after_places_are_no_places(geoparser: Geoparser, text: str) -> None:
    assert place_names(geoparser, text) == []


def test_a_country_that_speaks_for_its_government_stays_a_place(geoparser: Geoparser) -> None:
    text = "Israel said it would reopen the crossing on Sunday."
    places = geoparser.parse(text)
    assert [p.country for p in places] == ["IL"]
    assert places[0].metonymy


def test_a_town_at_the_head_of_a_sentence_with_a_pronoun_for_someone_else(
    geoparser: Geoparser,
) -> None:
    text = "Kabul fell in August, and the president said he had left to avoid bloodshed."
    assert "Kabul" in place_names(geoparser, text)


def test_a_multi_word_name_beats_the_pieces_spacy_cut_it_into(geoparser: Geoparser) -> None:
    text = "Flights from Tobago to Port of Spain were cancelled because of the storm."
    places = [p for p in geoparser.parse(text) if p.text == "Port of Spain"]
    assert places and places[0].country == "TT"


def test_a_name_ending_in_apostrophe_s_keeps_it_when_the_gazetteer_has_it(
    geoparser: Geoparser,
) -> None:
    text = "Power cuts hit Saint George's, Grenada, on Tuesday night."
    places = [p for p in geoparser.parse(text) if p.text.startswith("Saint George")]
    assert places and places[0].text == "Saint George's" and places[0].country == "GD"


def test_a_small_capital_after_a_preposition_is_a_place(geoparser: Geoparser) -> None:
    text = "A state of emergency was declared in Nuku’alofa after the riots."
    places = [p for p in geoparser.parse(text) if p.text.startswith("Nuku")]
    assert places and places[0].country == "TO"
