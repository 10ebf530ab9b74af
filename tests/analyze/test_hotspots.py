"""Hotspots: nested places merge, one spelling per place, abroad apart, maps fit the country."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from tests.report.fixtures_report import mongolia_report
from watchfloor.analyze.casualties import Casualties
from watchfloor.analyze.developments import DevDraft
from watchfloor.analyze.facts import ArticleFacts, PlaceFact
from watchfloor.analyze.hotspots import (
    admin1_of,
    country_extent,
    find_hotspots,
    normalise_place_names,
)
from watchfloor.models.report import Report
from watchfloor.report.geojson import hotspots_feature_collection
from watchfloor.report.html import map_view, render_html
from watchfloor.report.staticmap import map_bounds, render_svg_map

# Mongolia with a margin: every in-country view must sit inside it.
MONGOLIA = (38.0, 84.0, 55.0, 123.0)


def _place(
    text: str,
    name: str,
    country: str,
    feature: str,
    lat: float,
    lng: float,
    admin1: str = "",
    *,
    demonym: bool = False,
) -> PlaceFact:
    return PlaceFact(
        text=text,
        start=0,
        name=name,
        country=country,
        feature=feature,
        lat=lat,
        lng=lng,
        key=name.casefold(),
        demonym=demonym,
        metonymy=False,
        in_title=False,
        admin1=admin1,
    )


def _article(ident: int, places: list[PlaceFact], about: tuple[str, ...] = ("MN",)) -> ArticleFacts:
    return ArticleFacts(
        id=ident,
        title=f"Article {ident}",
        body="Mongolian troops and citizens.",
        url=None,
        published=datetime(2026, 4, 28, tzinfo=UTC),
        language="en",
        outlet="Steppe Ledger",
        source_id=1,
        cluster_id=f"c{ident}",
        enriched_version="test",
        in_period=True,
        countries={code: (0.9, True) for code in about},
        places=places,
    )


def _dev(ident: str, articles: list[ArticleFacts], where: str = "in_country") -> DevDraft:
    return DevDraft(
        id=ident,
        title=f"Development {ident}",
        start=date(2026, 4, 28),
        end=None,
        category="military_defence",
        categories=["military_defence"],
        summary=[],
        places=[p for a in articles for p in a.places],
        actors=[],
        partners=[],
        organisations=[],
        significance=1.0,
        severity=0.5,
        articles=articles,
        outside=[],
        casualties=Casualties(killed=0, injured=0),
        attack=None,
        new=True,
        where=where,
    )


DARKHAN = _place("Darkhan", "Darhan", "MN", "city", 49.48667, 105.92278, "23")
DARKHAN_UUL = _place("Darkhan-Uul", "Darkhan-Uul", "MN", "admin1", 49.37673, 106.29014, "037")
ULAANBAATAR = _place("Ulaanbaatar", "Ulaanbaatar", "MN", "city", 47.9077, 106.8832)
OAHU = _place("Oahu", "Oahu", "US", "island", 21.47, -157.98)
HAWAII = _place("Hawaii", "Hawaii", "US", "admin1", 19.6273, -155.5646, "HI")
MOSCOW = _place("Moscow", "Moscow", "RU", "city", 55.75204, 37.61781, "48")
EREN = _place("Erenhot", "Erenhot", "CN", "city", 43.6475, 111.9767, "20")
ZAMIIN = _place("Zamiin-Uud", "Zamiin-Uud", "MN", "city", 43.7193, 111.9078)


def test_a_town_merges_with_its_province_and_keeps_its_label() -> None:
    province_only = _dev("p", [_article(1, [DARKHAN_UUL])])
    both = _dev("b", [_article(2, [DARKHAN, DARKHAN_UUL])])
    capital = _dev("c", [_article(3, [ULAANBAATAR])])
    found = find_hotspots([province_only, both, capital], "MN")
    labels = {h.label: h for h in found.home}
    assert set(labels) == {"Darhan", "Ulaanbaatar"}  # no separate Darkhan-Uul spot
    town = labels["Darhan"]
    # The province's sources joined the town, which keeps its point and precision.
    assert {k for k in town.keys} == {("a", 1), ("a", 2)}
    assert (town.lat, town.lng, town.precision) == (49.48667, 105.92278, "point")
    assert found.abroad == []


def test_a_province_alone_is_drawn_at_its_centre_as_admin1() -> None:
    found = find_hotspots([_dev("p", [_article(1, [DARKHAN_UUL])])], "MN")
    assert [(h.label, h.precision) for h in found.home] == [("Darkhan-Uul", "admin1")]


def test_oahu_inside_hawaii_is_one_hotspot_abroad() -> None:
    # Neither the gazetteer codes (Oahu has none) nor distance (320 km) say it: the
    # countrystatecity towns of Hawaii do.
    assert admin1_of(OAHU) == "HI"
    article = _article(1, [OAHU, HAWAII, ULAANBAATAR], about=("MN", "US"))
    found = find_hotspots([_dev("o", [article], where="own_abroad")], "MN")
    assert [(h.label, h.country, h.where) for h in found.abroad] == [("Oahu", "US", "own_abroad")]
    assert [h.label for h in found.home] == ["Ulaanbaatar"]


def test_foreign_places_are_hotspots_only_when_the_country_is_involved() -> None:
    visit = _article(1, [MOSCOW, ULAANBAATAR], about=("MN", "RU"))
    foreign_story = _dev("f", [visit], where="abroad")
    found = find_hotspots([foreign_story], "MN")
    assert [h.label for h in found.home] == ["Ulaanbaatar"] and found.abroad == []
    own = find_hotspots([_dev("o", [visit], where="own_abroad")], "MN")
    assert [h.label for h in own.abroad] == ["Moscow"]
    assert [h.label for h in own.home] == ["Ulaanbaatar"]
    # The other side of a border crossing joins the hotspot in the country.
    crossing = _article(2, [ZAMIIN, EREN], about=("MN", "CN"))
    border = find_hotspots([_dev("z", [crossing])], "MN")
    assert [h.label for h in border.home] == ["Zamiin-Uud / Erenhot"] and border.abroad == []


def test_own_forces_abroad_named_by_country_only_get_a_country_hotspot() -> None:
    sudan = _place("South Sudan", "South Sudan", "SS", "country", 7.0, 30.0)
    mongolian = _place("Mongolian", "Mongolia", "MN", "country", 46.0, 105.0, demonym=True)
    found = find_hotspots(
        [_dev("s", [_article(1, [mongolian, sudan], about=("MN",))], where="own_abroad")], "MN"
    )
    assert [(h.label, h.precision) for h in found.abroad] == [("South Sudan", "country")]
    assert found.home == []


def test_display_name_is_the_spelling_the_articles_use_most() -> None:
    supplement = _place("Darkhan", "Darkhan", "MN", "city", 49.4867, 105.9228)
    cyrillic = _place("Дархан", "Darhan", "MN", "city", 49.48667, 105.92278, "23")
    only_cyrillic = _place("Сайншандаас", "Saynshand", "MN", "city", 44.88239, 110.11631, "07")
    articles = [
        _article(1, [DARKHAN, DARKHAN]),
        _article(2, [cyrillic, supplement]),
        _article(3, [only_cyrillic, DARKHAN_UUL]),
    ]
    renamed = normalise_place_names(articles)
    names = {p.name for a in articles for p in a.places}
    # GeoNames' "Darhan" and the supplement's "Darkhan" are one town, spelt as the
    # articles spell it; a place named only in Cyrillic keeps the gazetteer's name; the
    # province is another place and keeps its own.
    assert names == {"Darkhan", "Saynshand", "Darkhan-Uul"}
    assert renamed == {"Darhan": "Darkhan"}


def test_country_extent_and_bounds_without_hotspots_show_the_country() -> None:
    extent = country_extent("MN")
    assert extent is not None
    assert 86 < extent.west < 92 and 112 < extent.east < 121
    assert 41 < extent.south < 45 and 49 < extent.north < 53
    view = map_bounds([], "MN")
    assert view.west <= extent.west and view.east >= extent.east


def _inside_mongolia(south: float, west: float, north: float, east: float) -> None:
    s, w, n, e = MONGOLIA
    assert s <= south < north <= n and w <= west < east <= e, (south, west, north, east)


def test_demo_hotspots_are_in_mongolia_or_listed_abroad(demo_report: Report) -> None:
    assert demo_report.hotspots, "the demo week has hotspots in Mongolia"
    assert all(h.country == "MN" for h in demo_report.hotspots)
    assert all(h.country != "MN" for h in demo_report.hotspots_abroad)
    assert all(h.precision in ("point", "admin1", "region") for h in demo_report.hotspots)
    labels = [h.label for h in demo_report.hotspots]
    assert len(labels) == len(set(labels))
    # Darkhan-Uul's town carries it; Moscow (talks of the general staff chief) is abroad.
    assert "Darkhan" in labels and "Darkhan-Uul" not in labels
    assert "Moscow" in {h.label for h in demo_report.hotspots_abroad}
    annex = {a.id for a in demo_report.annex}
    for h in demo_report.hotspots_abroad:
        assert set(h.sources) <= annex and h.detail
        cited = set(h.sources)
        devs = [d for d in demo_report.key_developments if cited & set(d.sources)]
        assert devs and all(d.where == "own_abroad" for d in devs), h.label


def test_demo_report_spells_each_place_one_way(demo_report: Report) -> None:
    text = demo_report.model_dump_json()
    places = {p for d in demo_report.key_developments for p in d.places}
    assert {"Darkhan", "Sainshand"} <= places | {h.label for h in demo_report.hotspots}
    for wrong in ("Darhan", "Saynshand", "Ulan Bator"):
        assert f'"{wrong}"' not in text, wrong
    geo = hotspots_feature_collection(demo_report)
    geo_labels = [f["properties"]["label"] for f in geo["features"]]
    assert "Darhan" not in geo_labels and "Saynshand" not in geo_labels
    assert {f["properties"]["where"] for f in geo["features"]} == {"in_country", "own_abroad"}


def test_demo_maps_fit_mongolia(demo_report: Report) -> None:
    south, west, north, east = map_view(demo_report)
    _inside_mongolia(south, west, north, east)
    for h in demo_report.hotspots:
        assert south < h.lat < north and west < h.lng < east, h.label
    # The static map (PDF) frames the same country: its projection extent is in the SVG.
    svg = render_svg_map(
        demo_report.hotspots, None, abroad=demo_report.hotspots_abroad, country="MN"
    )
    match = re.search(r'data-bounds="([-\d.]+),([-\d.]+),([-\d.]+),([-\d.]+)"', svg)
    assert match
    s, w, n, e = (float(x) for x in match.groups())
    _inside_mongolia(s, w, n, e)
    assert "Abroad (not on this map)" in svg and "Moscow (RU)" in svg


def test_demo_html_fits_the_country_and_lists_abroad(demo_report: Report) -> None:
    html = render_html(demo_report, tiles=None)
    assert 'id="hotspots-abroad"' in html and "Moscow" in html
    block = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html)
    if block is None:  # no Leaflet assets installed: the static map stands in
        assert 'class="staticmap"' in html
        return
    data = json.loads(block.group(1))
    (south, west), (north, east) = data["bounds"]
    _inside_mongolia(south, west, north, east)
    assert [h["label"] for h in data["abroad"]] == [h.label for h in demo_report.hotspots_abroad]
    assert {h["precision"] for h in data["hotspots"]} <= {"point", "admin1", "region"}


def test_a_report_listing_foreign_hotspots_with_the_others_still_fits_the_country() -> None:
    # The hand-written fixture lists Oahu and Moscow among its hotspots, as reports
    # before 1.2 did: the view is fitted to the Mongolian ones only.
    report = mongolia_report()
    assert {h.country for h in report.hotspots} > {"MN"}
    south, west, north, east = map_view(report)
    _inside_mongolia(south, west, north, east)
    svg = render_svg_map(report.hotspots, None, country=report.country)
    match = re.search(r'data-bounds="([-\d.]+),([-\d.]+),([-\d.]+),([-\d.]+)"', svg)
    assert match
    _inside_mongolia(*(float(x) for x in match.groups()))
