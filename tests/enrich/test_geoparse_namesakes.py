"""Recall of small and far places and their namesakes (issue #10, docs/geoparsing.md,
"Places everywhere"): names only one place bears, datelines and "X in Country" that spaCy
reads as one organisation, longer gazetteer names over spaCy's pieces, qualifiers of
several words, and admin-1 units weighed by the people they hold. Sentences are ours."""

from __future__ import annotations

import pytest

from tests.enrich.geoparse_helpers import place_names, placed_near
from watchfloor.enrich.englishwords import is_english_word
from watchfloor.enrich.geoparse import Geoparser

# ---------------------------------------------------------------- one-place names


@pytest.mark.parametrize(
    ("text", "name", "lat", "lng"),
    [
        ("Shells hit the main market in Rutshuru, witnesses told us.", "Rutshuru", -1.19, 29.45),
        ("Mortar rounds landed near Enerhodar on Friday night.", "Enerhodar", 47.50, 34.66),
        ("Lysychansk was bombed again before dawn.", "Lysychansk", 48.92, 38.43),
        ("Aid lorries were stuck outside Kaga-Bandoro for a week.", "Kaga-Bandoro", 6.99, 19.19),
        ("Families in Mulifanua waited for the ferry to resume.", "Mulifanua", -13.83, -172.04),
    ],
)
def test_a_name_only_one_place_bears_after_a_cue(
    geoparser: Geoparser, text: str, name: str, lat: float, lng: float
) -> None:
    # spaCy calls most of these a person or an organisation, and none is a big town.
    assert placed_near(geoparser, text, name, lat, lng), geoparser.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "A statement from Nokia said the new phones would ship in May.",  # Nokia, Finland
        "The letter from Obama arrived a day late.",  # Obama, Japan
        "A spokeswoman from McDonald's said the branch had reopened.",
        "The band stopped near Muse merchandise stalls.",  # an English word
    ],
)
def test_people_firms_and_words_named_like_one_town_stay_what_they_are(
    geoparser: Geoparser, text: str
) -> None:
    names = place_names(geoparser, text)
    assert not {"Nokia", "Obama", "McDonald", "Muse"} & set(names), names


def test_the_english_word_list_comes_with_the_model() -> None:
    assert is_english_word("Muse") and is_english_word("Fig Tree")
    assert not is_english_word("Rutshuru") and not is_english_word("Spin Boldak")


# ---------------------------------------------------------------- spans spaCy runs together


def test_a_dateline_spacy_reads_as_one_organisation(geoparser: Geoparser) -> None:
    text = "Meneng, Nauru (Reuters) — The island's only clinic ran out of fuel on Monday."
    assert placed_near(geoparser, text, "Meneng", -0.55, 166.93)
    text = "Bridgetown, Barbados (AP) — The port reopened after the storm."
    assert placed_near(geoparser, text, "Bridgetown", 13.10, -59.61)


def test_a_place_and_its_country_read_as_one_entity(geoparser: Geoparser) -> None:
    text = "Hundreds of families fled Morobe in Papua New Guinea after the landslide."
    hits = [p for p in geoparser.parse(text) if p.text == "Morobe"]
    assert hits and hits[0].country == "PG"


def test_a_qualifier_naming_no_candidate_does_not_place_a_namesake(
    geoparser: Geoparser,
) -> None:
    # The gazetteer has a Muse in Oklahoma, none in Myanmar: better no place than that one.
    text = "Muse, Myanmar (AP) — Traders said the border crossing had closed."
    assert all(p.country != "US" for p in geoparser.parse(text))


def test_a_qualifier_of_several_words(geoparser: Geoparser) -> None:
    text = "The water ran out in Spanish Town, British Virgin Islands, on Friday."
    hits = [p for p in geoparser.parse(text) if p.text == "Spanish Town"]
    assert hits and hits[0].country == "VG"


def test_a_longer_gazetteer_name_beats_spacys_pieces(geoparser: Geoparser) -> None:
    text = "Port of Spain, Trinidad and Tobago (AP) — Schools closed for a second day."
    places = geoparser.parse(text)
    assert {p.country for p in places} == {"TT"}, places
    assert "Port of Spain" in [p.text for p in places]
    text = "Police patrolled Spanish Town after the shooting on Sunday."
    places = geoparser.parse(text)
    assert [p.text for p in places] == ["Spanish Town"] and places[0].country == "JM"
    text = "Grand Roy was flooded overnight, residents said."
    assert placed_near(geoparser, text, "Grand Roy", 12.13, -61.75)


# ---------------------------------------------------------------- namesakes


def test_a_state_outranks_a_municipality_or_county_of_its_name(geoparser: Geoparser) -> None:
    for text in (
        "Schools closed across Maryland as the snow kept falling.",
        "Officials in Florida opened shelters before the hurricane.",
    ):
        places = geoparser.parse(text)
        assert places and places[0].country == "US", places


def test_a_parish_of_a_small_island_does_not_outrank_a_big_town(geoparser: Geoparser) -> None:
    # Hamilton parish of Bermuda has a few thousand people; Hamilton, Ontario half a million.
    places = geoparser.parse("Soldiers set up roadblocks around Hamilton overnight.")
    assert places and places[0].country != "BM", places
