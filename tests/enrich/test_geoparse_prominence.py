"""Countries and admin-1 units against their namesake towns, and places inside the names of
organisations (issues #9 and #10, docs/geoparsing.md, "Resolution"): a list of countries
is no "town, country" qualifier, a province holding the text's other towns is the
province, a name does not vote for its own reading, a town's council or airport names the
town. Sentences are ours."""

from __future__ import annotations

from tests.enrich.geoparse_helpers import place_names, placed_near
from watchfloor.enrich.geoparse import Geoparser


def test_a_list_of_countries_is_no_qualifier(geoparser: Geoparser) -> None:
    # "China, Japan" once read as the town of China in Japan (a "town, country" qualifier).
    text = "Flu cases were confirmed in several countries, among them China, Japan and Peru."
    china = [p for p in geoparser.parse(text) if p.text == "China"]
    assert china and all(p.country == "CN" and p.feature == "country" for p in china), china


def test_a_town_with_its_country_keeps_the_qualifier(geoparser: Geoparser) -> None:
    # The qualifier still picks a town that is not a country's own name.
    assert placed_near(geoparser, "Floods hit Paris, Texas, on Monday.", "Paris", 33.66, -95.56)


def test_a_province_holding_the_texts_towns_beats_a_namesake_town(
    geoparser: Geoparser,
) -> None:
    # Ontario, New York (2,000 people) sits in a state the text names too; the province
    # holds Toronto.
    text = (
        "A hospital in Toronto closed its ward after the outbreak. Health officials in "
        "Ontario said patients were moved. A lab in Buffalo, New York, tested the samples. "
        "Ontario has asked for more staff."
    )
    ontario = [p for p in geoparser.parse(text) if p.text == "Ontario"]
    assert ontario and all(p.country == "CA" and p.feature == "admin1" for p in ontario), ontario


def test_a_unit_named_like_its_big_town_stays_the_town(geoparser: Geoparser) -> None:
    # New York the city, not the state, beside a borough inside both.
    text = "Police in New York said the suspect was arrested in Brooklyn on Tuesday."
    assert placed_near(geoparser, text, "New York", 40.71, -74.01)


def test_a_name_does_not_vote_for_its_own_reading(geoparser: Geoparser) -> None:
    # Three mentions of Delta once counted as votes for the Nigerian state, each reading
    # supporting the others'; Toronto, far from it but in the same country, now decides
    # for Delta, British Columbia.
    text = (
        "A Delta police officer was called to testify. He moved to Delta from Toronto in "
        "2001 and still lives in Delta with his family."
    )
    deltas = [p for p in geoparser.parse(text) if p.text == "Delta"]
    assert deltas and all(p.country == "CA" for p in deltas), deltas


def test_a_towns_council_and_airport_name_the_town(geoparser: Geoparser) -> None:
    text = (
        "The scheme was launched by Richmond Council this week. Planes were held at "
        "Vancouver International Airport for an hour."
    )
    names = place_names(geoparser, text)
    assert "Richmond" in names and "Vancouver" in names, names


def test_a_place_inside_an_organisation_after_of_stays(geoparser: Geoparser) -> None:
    names = place_names(geoparser, "He works for the Bank of America branch in Leeds.")
    assert "America" in names or "Leeds" in names, names


def test_a_unit_named_like_a_country_keeps_its_qualifier(geoparser: Geoparser) -> None:
    text = "Storms hit Georgia, United States, on Monday."
    assert placed_near(geoparser, text, "Georgia", 32.75, -83.50, km=400), geoparser.parse(text)


def test_a_namesake_under_another_name_does_not_hide_the_city(geoparser: Geoparser) -> None:
    # The City of London (8,000 people, "London" an alternate name) stands at London's
    # point; of two entries at one point only the first was scored, and it hid the city.
    london = [p for p in geoparser.parse("Thousands marched in London on Saturday.")]
    assert london and london[0].feature == "city" and london[0].population > 1_000_000, london
