"""Names that are places and also given names or goods (namesense.py), and towns in the
admin-1 unit the text names when the two data sets code units differently (gazetteer
``unit_code``). Sentences are ours.
"""

from __future__ import annotations

import pytest

from tests.enrich.geoparse_helpers import place_names
from watchfloor.enrich.gazetteer import Place, admin1_code_map, haversine_km, unit_codes
from watchfloor.enrich.geoparse import Geoparser
from watchfloor.enrich.namesense import (
    person_by_verb,
    person_subject,
    surname_after_name,
    thing_sense,
)


@pytest.mark.parametrize(
    "text",
    [
        "Sydney vacuumed the hallway before the guests arrived.",
        "Austin mumbled an apology and looked at the floor.",
        "Chelsea borrows her sister's car on weekends.",
        "Dallas ignored the phone for the rest of the afternoon.",
    ],
)
def test_a_given_name_before_a_verb_towns_do_not_do_is_a_person(
    geoparser: Geoparser, text: str
) -> None:
    assert place_names(geoparser, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sydney hosted the regional summit on Tuesday.", "Sydney"),
        ("Dallas police arrested two men after the robbery.", "Dallas"),
        ("Denver recorded its hottest day of the year.", "Denver"),
        ("Houston residents were told to boil their water.", "Houston"),
    ],
)
def test_a_town_before_what_towns_do_stays_a_place(
    geoparser: Geoparser, text: str, name: str
) -> None:
    assert name in place_names(geoparser, text)


@pytest.mark.parametrize(
    "text",
    [
        "Champagne fizzed in the glasses as the clock struck twelve.",
        "Cheddar goes well with apple chutney.",
        "Jersey cream was spooned over the pudding.",
        "Brie and grapes were set out on the table.",
    ],
)
def test_goods_named_after_places_are_no_places(geoparser: Geoparser, text: str) -> None:
    assert place_names(geoparser, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The storm flattened vines near Cognac, France, on Sunday.", "Cognac"),
        ("Jersey police said the ferry would sail on Monday.", "Jersey"),
        ("Brussels said the new rules would apply from March.", "Brussels"),
        ("Bordeaux and the surrounding villages lost power overnight.", "Bordeaux"),
        ("Flooding closed roads near Cheddar, Somerset, overnight.", "Cheddar"),
    ],
)
def test_those_names_stay_places_where_a_word_says_so(
    geoparser: Geoparser, text: str, name: str
) -> None:
    assert name in place_names(geoparser, text)


def test_a_town_that_ends_a_name_spacy_took_for_an_organisation_is_a_surname() -> None:
    # spaCy sometimes reads "Adil Amman" as one organisation; Amman is Jordan's capital.
    text = "Adil Amman sells olives."
    org = [(0, 10, "ORG")]
    given = frozenset({"adil"})
    assert surname_after_name(text, 5, org, True, given)
    assert not surname_after_name(text, 5, org, False, given)  # only a town: "Air India"
    assert not surname_after_name("Air Amman flies daily.", 4, [(0, 9, "ORG")], True, given)


@pytest.mark.parametrize(
    "text",
    [
        "Jordan's younger sister cheered from the stands.",
        "Chad's hat-trick sealed the cup for the village team.",
        "Everyone heard Georgia's left knee crack on the ice.",
    ],
)
def test_a_name_before_what_only_a_person_has_is_a_person(geoparser: Geoparser, text: str) -> None:
    assert place_names(geoparser, text) == []


def test_a_country_before_what_a_country_has_stays_a_place(geoparser: Geoparser) -> None:
    assert "Jordan" in place_names(geoparser, "Jordan's foreign minister flew to Cairo on Monday.")


def test_a_given_name_before_a_one_word_person_is_that_person(geoparser: Geoparser) -> None:
    # spaCy labels "Paris" a place and "Jackson" a person.
    assert place_names(geoparser, "Paris Jackson thanked her fans for the flowers.") == []


def test_person_subject_and_thing_sense_alone() -> None:
    text = "Regina folded the map."
    assert person_subject(text, len("Regina"), True)
    assert not person_subject(text, len("Regina"), False)  # not a given name: not judged
    assert not person_subject("Regina approved the budget.", len("Regina"), True)
    assert not person_subject("Regina officials said so.", len("Regina"), True)
    tea = "Darjeeling steeps for three minutes."
    kwargs = {"country": False, "big": False, "head": True}
    assert thing_sense(tea, 0, 10, "Darjeeling", place_cue=False, **kwargs)
    assert not thing_sense(tea, 0, 10, "Darjeeling", place_cue=True, **kwargs)
    assert not thing_sense(tea, 0, 10, "Kathmandu", place_cue=False, **kwargs)


def test_admin1_code_map_matches_codes_by_where_the_towns_lie() -> None:
    # Two provinces, "P1" in the west and "P2" in the east, around a small enclosed "P3"
    # whose one big town lies nearer than most of P2's towns to P3's centre.
    units = [("P1", 0.0, 0.0), ("P2", 0.0, 10.0), ("P3", 0.0, 10.5)]
    towns = [
        ("07", 0.1, 0.2, 50_000), ("07", -0.3, 0.4, 2_000),
        ("09", 0.2, 9.0, 9_000), ("09", 0.1, 11.9, 3_000), ("09", 0.0, 10.3, 1_000),
        ("04", 0.0, 10.45, 80_000),
    ]  # fmt: skip
    assert admin1_code_map(units, towns) == {"07": "P1", "09": "P2", "04": "P3"}
    # Where the codings agree ("CA" is California in both), codes map to themselves.
    same = [("CA", 36.0, -119.0), ("NV", 39.0, -117.0)]
    assert admin1_code_map(same, [("CA", 38.9, -117.1, 10), ("NV", 39.1, -117.2, 10)]) == {
        "CA": "CA",
        "NV": "NV",
    }


def test_australian_states_map_by_all_their_towns() -> None:
    # Queensland's big towns sit in its south-east corner, nearer New South Wales' centre.
    codes = unit_codes()
    assert codes[("AU", "04")] == "QLD"
    assert codes[("AU", "02")] == "NSW"
    assert codes[("AU", "01")] == "ACT"


def test_mongolian_towns_map_to_their_aimags() -> None:
    codes = unit_codes()
    # GeoNames 14 (Dalanzadgad) is Ömnögovi, 053; 18 (Zuunmod) is Töv, not the capital.
    assert codes[("MN", "14")] == "053"
    assert codes[("MN", "18")] == "047"
    assert codes[("MN", "20")] == "001"
    assert codes[("MN", "16")] == "049"  # Sükhbaatar town lies in Selenge
    assert codes[("MN", "23")] == "037"  # Darkhan in Darkhan-Uul
    assert ("US", "CA") not in codes  # the same in both: nothing to map


def test_unit_code_of_a_town(geoparser: Geoparser) -> None:
    gaz = geoparser.gazetteer
    town = Place(0, "dalanzadgad", "Dalanzadgad", "MN", "14", "city", 43.57, 104.42, 19_000)
    assert gaz.unit_code(town) == "053"
    unit = Place(0, "omnogovi", "Ömnögovi", "MN", "053", "admin1", 43.5, 104.3, 0)
    assert gaz.unit_code(unit) == "053"


@pytest.mark.parametrize(
    ("text", "name", "lat", "lng"),
    [
        # A soum of that name in Khövsgöl, beside others in Khovd, Uvs, Bayan-Ölgii...
        ("Wolves killed forty sheep in Jargalant soum of Khövsgöl province.",
         "Jargalant", 49.3, 100.3),
        # Without the mapping, "Mandal" read as Māndal in India.
        ("Heavy snow fell on herders in Mandal, Töv province, overnight.", "Mandal", 48.4, 106.7),
    ],
)  # fmt: skip
def test_a_town_in_the_aimag_the_text_names(
    geoparser: Geoparser, text: str, name: str, lat: float, lng: float
) -> None:
    hits = [p for p in geoparser.parse(text) if p.text == name]
    assert hits, f"{name!r} not found"
    assert haversine_km(hits[0].lat, hits[0].lng, lat, lng) < 50


def test_a_unit_listed_beside_another_keeps_its_unit(geoparser: Geoparser) -> None:
    # The town Los Lagos lies in Los Ríos region: the context bonus must not turn the
    # region Los Lagos, named beside Los Ríos, into that town.
    hits = [p for p in geoparser.parse("Aid convoys left Los Ríos for Los Lagos on Tuesday.")]
    lagos = [p for p in hits if p.text == "Los Lagos"]
    assert lagos and lagos[0].feature == "admin1"


@pytest.mark.parametrize(
    "text",
    [
        "Galway yawned at the back of the class.",
        "Ireland Baldwin sneezed on the red carpet.",
        "Israel Adesanya punched his way into the final.",
        "Cayenne gave the soup its heat.",
    ],
)
def test_a_persons_verb_or_a_surname_then_a_verb_makes_a_person_or_a_thing(
    geoparser: Geoparser, text: str
) -> None:
    assert place_names(geoparser, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Galway hosted the festival.", "Galway"),
        ("Shannon said the airport would reopen on Monday.", "Shannon"),
        ("Protesters gathered in Cayenne on Monday.", "Cayenne"),
    ],
)
def test_a_place_before_a_places_verb_or_after_a_preposition_stays(
    geoparser: Geoparser, text: str, name: str
) -> None:
    assert name in place_names(geoparser, text)


def test_person_by_verb_rules() -> None:
    def judge(text: str, name: str, persons: list[tuple[int, int]], country: bool) -> bool:
        start = text.index(name)
        return person_by_verb(text, start, start + len(name), persons, set(), country=country)

    assert judge("Shannon sneezed twice.", "Shannon", [], False)
    assert not judge("Shannon flooded after the storm.", "Shannon", [], False)
    # spaCy's PERSON label and a verb that is not a place's.
    assert judge("Chester mumbled a reply.", "Chester", [(0, 7)], False)
    assert not judge("Chester mumbled a reply.", "Chester", [], False)
    assert not judge("Chester hosted the fair.", "Chester", [(0, 7)], False)
    # A country: only a surname then a verb makes it a person, not an organisation word.
    assert judge("Israel Adesanya knocked out his rival.", "Israel", [], True)
    assert not judge("Israel Police arrested two men.", "Israel", [], True)
    assert not judge("Kenya said it would act.", "Kenya", [], True)
    assert not judge("Kenya Barris said the show was over.", "Kenya", [], True)
    # The capitalised word after the name is itself a place (its end is a place's end).
    text = "Juba Kator flooded."
    assert person_by_verb(text, 0, 4, [], set(), country=False)
    assert not person_by_verb(text, 0, 4, [], {10}, country=False)
