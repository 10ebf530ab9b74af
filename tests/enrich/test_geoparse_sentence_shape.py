"""People, teams and words told from places by the shape of the sentence rather than by a
list of names (namesense ``team_subject``, ``paired_subject``, ``given_before_surname``,
``person_object``; geoparse ``_shape_sense``). Sentences are ours.
"""

from __future__ import annotations

import pytest

from tests.enrich.geoparse_helpers import place_names
from watchfloor.enrich.geoparse import Geoparser
from watchfloor.enrich.namesense import (
    given_before_surname,
    paired_subject,
    person_object,
    team_subject,
)


@pytest.mark.parametrize(
    "text",
    [
        # a town before a plural verb, or its verb and "their": a club
        "Bristol were beaten at home on the last day of the season.",
        "Bristol sacked their manager after the derby.",
        # two names heading the sentence, one a given name, before a verb towns do not do
        "Madison and Denver repainted the garden fence on a sunny afternoon.",
        # a surname that is no English word after a country or town
        "a letter from Kenya Odhiambo was read out at the meeting.",
        # a given name as the object of a verb said of people
        "the judge sentenced Lincoln to six months.",
        # a lower-case English word spaCy may take for a small town
        "Tomas won the ball back in midfield.",
    ],
)
def test_people_teams_and_words_by_sentence_shape(geoparser: Geoparser, text: str) -> None:
    assert place_names(geoparser, text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Bristol was flooded after the river burst its banks.", {"Bristol"}),
        ("Kharkiv and Odesa were shelled overnight.", {"Kharkiv", "Odesa"}),
        ("Dallas and Austin recorded their wettest spring.", {"Dallas", "Austin"}),
        ("Fighting spread across Kursk Oblast during the week.", {"Kursk Oblast"}),
        ("Boats were stopped off the Gaza Strip on Monday.", {"Gaza Strip"}),
        ("the army entered Florence at dawn.", {"Florence"}),
        ("Residents of Gao said the market was closed.", {"Gao"}),
        ("Moscow said the talks would resume.", {"Moscow"}),
    ],
)
def test_places_in_the_same_shapes_stay_places(
    geoparser: Geoparser, text: str, names: set[str]
) -> None:
    assert names <= set(place_names(geoparser, text))


def test_team_subject() -> None:
    text = "Leeds were relegated. Leeds was flooded. Leeds sacked their coach. Leeds residents "
    text += "said their homes flooded."
    ends = [i + len("Leeds") for i in range(len(text)) if text.startswith("Leeds", i)]
    assert [team_subject(text, e) for e in ends] == [True, False, True, False]


def test_paired_subject() -> None:
    given = frozenset({"madison", "austin"})
    text = "Madison and Denver shared a flat."
    assert paired_subject(text, 0, 7, given, head=True)
    assert paired_subject(text, 12, 18, given, head=False)
    places = "Madison and Denver recorded heavy rain."
    assert not paired_subject(places, 0, 7, given, head=True)
    no_given = "Kharkiv and Odesa shared a border crossing."
    assert not paired_subject(no_given, 0, 7, given, head=True)
    mid = "They drove from Madison and Denver shared the fuel."
    assert not paired_subject(mid, mid.index("Denver"), mid.index(" shared"), given, head=False)


def test_given_before_surname() -> None:
    def after(text: str, name: str, ends: frozenset[int] = frozenset()) -> bool:
        start = text.index(name)
        return given_before_surname(text, start, start + len(name), ends)

    assert after("a fight with Israel Adesanya", "Israel")
    assert after("a letter from Kenya Odhiambo.", "Kenya")
    assert not after("off the Gaza Strip", "Gaza")  # an English word
    assert not after("a Kenya Airways plane", "Kenya")  # an organisation
    assert not after("Dallas Cowboys fans", "Dallas")  # the plural of an English word
    assert not after("near Kursk Oblast", "Kursk")  # a unit WordNet lacks
    assert not after("from Kabul Tuesday", "Kabul")
    assert not after("the Atlanta Journal-Constitution wrote", "Atlanta")  # a determiner
    assert not after("ambassador to Egypt Dan Kurtzer said", "Egypt")  # a longer name
    assert not after("Ohio Gov. Ted Strickland said", "Ohio")  # an abbreviation
    assert not after("the Nairobi Sheriff's office", "Nairobi")  # a possessive
    text = "between Mosul Erbil and Kirkuk"
    assert not after(text, "Mosul", frozenset({text.index(" and")}))  # the next is a place


def test_person_object() -> None:
    def obj(text: str, name: str) -> bool:
        start = text.index(name)
        return person_object(text, start, start + len(name))

    assert obj("the nurse woke Austin at six.", "Austin")
    assert obj("the coach benched Madison for the final.", "Madison")
    assert not obj("the firm opened Phoenix offices.", "Phoenix")  # not its object
    assert not obj("she said Madison would win.", "Madison")  # no noun subject
    assert not obj("the city of Madison.", "Madison")
