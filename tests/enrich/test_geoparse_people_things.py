"""Names at the head of a sentence: subjects of war verbs are places, people and things
named like places are not (docs/geoparsing.md, "Method": weak names and person evidence).

Sentences are ours, in the style of news and of everyday prose.
"""

from __future__ import annotations

import pytest

from watchfloor.enrich.gazetteer import haversine_km
from watchfloor.enrich.geoparse import Geoparser


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser()


def _names(geoparser: Geoparser, text: str) -> list[str]:
    return [p.text for p in geoparser.parse(text)]


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
    assert "Lilongwe" in _names(geoparser, text)


def test_the_road_from_one_town_to_another_keeps_the_second(geoparser: Geoparser) -> None:
    text = "Traffic on the road from Nairobi to Kakamega was halted for hours by the protest."
    assert "Kakamega" in _names(geoparser, text)
