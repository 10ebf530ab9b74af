"""Namesakes decided by what stands beside them (issue #10, docs/geoparsing.md, "Places
everywhere"): two names side by side read in one country, a country after "in", and names
of two letters only with strong evidence. Sentences are ours."""

from __future__ import annotations

import pytest

from tests.enrich.geoparse_helpers import place_names, placed_near
from watchfloor.enrich.entities import extract_entities
from watchfloor.enrich.geoparse import Geoparser


@pytest.mark.parametrize(
    ("text", "points"),
    [
        # Junín of Ecuador and La Libertad of Ecuador or El Salvador win alone; together
        # they are the two Peruvian regions.
        (
            "Road blockades spread between Junín and La Libertad on Thursday.",
            {"Junín": (-11.5, -74.9), "La Libertad": (-7.9, -78.5)},
        ),
        # Two Venezuelan states whose centres lie 500 km apart, not two Philippine towns.
        (
            "Teachers went on strike between Mérida and Miranda this week.",
            {"Mérida": (8.5, -71.2), "Miranda": (10.3, -66.4)},
        ),
    ],
)
def test_two_names_side_by_side_are_read_in_one_country(
    geoparser: Geoparser, text: str, points: dict[str, tuple[float, float]]
) -> None:
    for name, (lat, lng) in points.items():
        assert placed_near(geoparser, text, name, lat, lng, km=250), geoparser.parse(text)


def test_famous_pairs_keep_their_own_countries(geoparser: Geoparser) -> None:
    """Paris, Texas and London, Kentucky fall far below the capitals: no joint reading."""
    text = "Flights between Paris and London were cancelled because of the fog."
    assert {p.country for p in geoparser.parse(text)} == {"FR", "GB"}


def test_a_country_after_in_qualifies_a_name(geoparser: Geoparser) -> None:
    text = "Floods cut the main road in Hamilton in New Zealand on Sunday."
    assert placed_near(geoparser, text, "Hamilton", -37.78, 175.28), geoparser.parse(text)
    # without it, the Canadian city (the namesake the qualifier overrides)
    bare = "Floods cut the main road in Hamilton on Sunday."
    assert not placed_near(geoparser, bare, "Hamilton", -37.78, 175.28)


@pytest.mark.parametrize(
    "text",
    [
        "Villagers fled Ba in Fiji as the river rose.",
        "Police closed the road from Lautoka to Ba after the landslide.",
        "Looting was reported in Ba, Fiji, overnight.",
    ],
)
def test_a_two_letter_name_with_strong_evidence(geoparser: Geoparser, text: str) -> None:
    assert placed_near(geoparser, text, "Ba", -17.53, 177.68), geoparser.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ba said nothing more about the plan.",  # no preposition, no qualifier
        "The statue of Ba stood in the hall.",  # "of" is no locative preposition
        "He said In the end it was Li who won.",  # words and a surname
        "The band played in Li Jun's garden.",  # a surname after "in"
    ],
)
def test_a_two_letter_name_without_strong_evidence_is_no_place(
    geoparser: Geoparser, text: str
) -> None:
    names = place_names(geoparser, text)
    assert not {"Ba", "In", "Li", "Mo"} & set(names), names


def test_two_letter_names_stay_out_of_the_entity_list() -> None:
    """Only the geoparser weighs them: the article's entities keep to longer names."""
    ents = extract_entities("Villagers fled Ba in Fiji as the river rose.")
    from_gazetteer = {e.text for e in ents if e.source == "gazetteer"}
    assert "Ba" not in from_gazetteer  # spaCy's own label of it (NORP) may stay
    assert "Ba" not in {e.text for e in extract_entities("Villagers fled Ba.", "fr")}


def test_a_short_name_with_a_glottal_stop(geoparser: Geoparser) -> None:
    text = "Residents of Mu‘a said the well had run dry."
    assert placed_near(geoparser, text, "Mu‘a", -21.19, -175.12), geoparser.parse(text)


def test_a_gazetteer_name_over_a_person_and_a_place_of_spacy(geoparser: Geoparser) -> None:
    """spaCy reads "Rennell" as a person and "Bellona" as a place; together they are the
    Solomon Islands province, not the Italian town Bellona."""
    text = "Rennell and Bellona was shelled overnight, residents said."
    assert placed_near(geoparser, text, "Rennell and Bellona", -11.6, 160.2, km=250)


def test_an_agency_dateline_makes_its_name_a_place(geoparser: Geoparser) -> None:
    """spaCy reads the town as an organisation and the words after it name no country the
    gazetteer knows; the agency's bracket says it is where the story was filed."""
    text = "Kralendijk, Caribbean Netherlands (AP) — The port was closed on Monday."
    assert placed_near(geoparser, text, "Kralendijk", 12.15, -68.27), geoparser.parse(text)
    assert "John Smith" not in place_names(geoparser, "John Smith, Associated Press (AP) — Hi.")


def test_a_town_whose_namesakes_are_villages_is_the_town(geoparser: Geoparser) -> None:
    """Kourou of French Guiana (24,000 people) has a namesake village of 2,300 in Côte
    d'Ivoire: after a cue, the name is the town's own."""
    text = "A curfew was imposed in Kourou after a night of protests."
    assert placed_near(geoparser, text, "Kourou", 5.16, -52.64), geoparser.parse(text)


def test_a_foreign_name_of_a_country_yields_to_a_big_town_of_that_name(
    geoparser: Geoparser,
) -> None:
    """ "Salvador" is an alternate name of El Salvador and the main name of the Brazilian
    city of 2.7 million; "Burma" stays Myanmar, which no town of that name rivals."""
    text = "Residents of Salvador said the water had been cut for days."
    assert placed_near(geoparser, text, "Salvador", -12.98, -38.49), geoparser.parse(text)
    assert [p.country for p in geoparser.parse("Burma and Thailand signed a deal.")] == [
        "MM",
        "TH",
    ]


def test_a_pair_that_is_the_texts_only_places_reads_first_in_one_country() -> None:
    """Barcelona alone is the Spanish city; beside Amazonas, a state of Venezuela, it is
    the Venezuelan city. With no pair bonus (a setting) the pair falls apart again."""
    from watchfloor.config import GeoparseSettings

    text = "Protests spread from Barcelona to Amazonas"
    paired = Geoparser()
    assert placed_near(paired, text, "Barcelona", 10.13, -64.69), paired.parse(text)
    apart = Geoparser(settings=GeoparseSettings(pair_bonus=0.001), gazetteer=paired.gazetteer)
    assert not placed_near(apart, text, "Barcelona", 10.13, -64.69)
    # a third place in the text: its context decides, the pair rule stays out
    busy = "Protests spread from Barcelona to Amazonas and to Madrid"
    assert not placed_near(paired, busy, "Barcelona", 10.13, -64.69)
