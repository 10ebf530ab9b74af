"""The geoparser: places found in several scripts, resolved with the text's context."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from watchfloor.enrich.entities import extract_entities
from watchfloor.enrich.gazetteer import haversine_km
from watchfloor.enrich.geoparse import Geoparser, ResolvedPlace, geoparse_jsonl
from watchfloor.errors import EnrichError


def _find(places: list[ResolvedPlace], surface: str) -> ResolvedPlace:
    hits = [p for p in places if p.text == surface]
    assert hits, f"{surface!r} not found in {[p.text for p in places]}"
    return hits[0]


def _near(p: ResolvedPlace, lat: float, lng: float, km: float = 100) -> bool:
    return haversine_km(p.lat, p.lng, lat, lng) < km


def test_offsets_are_python_characters_end_exclusive(geoparser: Geoparser) -> None:
    text = "Ёлки 🎄 — troops left Zamiin-Uud for Ulaanbaatar."
    places = geoparser.parse(text)
    assert places
    for p in places:
        assert text[p.start : p.end] == p.text


def test_mongolian_russian_and_chinese_names_are_found(geoparser: Geoparser) -> None:
    mn = geoparser.parse("Замын-Үүд боомтоор дамжин Улаанбаатар руу ачаа тээвэрлэв.", language="mn")
    assert _near(_find(mn, "Замын-Үүд"), 43.72, 111.90)
    assert _near(_find(mn, "Улаанбаатар"), 47.92, 106.88)
    ru = geoparser.parse("Делегация прибыла в Москву, а затем в Улан-Удэ.", language="ru")
    assert _near(_find(ru, "Москву"), 55.75, 37.62)
    zh = geoparser.parse("货车从二连浩特开往乌兰巴托。", language="zh")
    assert _near(_find(zh, "二连浩特"), 43.65, 111.98)
    assert _near(_find(zh, "乌兰巴托"), 47.92, 106.88)


def test_asian_names_spacy_mislabels_are_still_places(geoparser: Geoparser) -> None:
    places = geoparser.parse("Officials in Ulaanbaatar inspected the Zamiin-Uud crossing.")
    assert _find(places, "Ulaanbaatar").country == "MN"
    assert _find(places, "Zamiin-Uud").country == "MN"


def test_moscow_in_a_mongolia_russia_story_is_the_russian_capital(geoparser: Geoparser) -> None:
    text = (
        "Mongolia's army chief flew to Moscow on Tuesday for talks with Russian generals "
        "about the joint Selenge exercise."
    )
    moscow = _find(geoparser.parse(text), "Moscow")
    assert moscow.country == "RU"
    assert _near(moscow, 55.75, 37.62)


def test_georgia_next_to_tbilisi_is_the_country(geoparser: Geoparser) -> None:
    text = "Protesters gathered in Tbilisi as Georgia's parliament debated the bill."
    assert _find(geoparser.parse(text), "Georgia").country == "GE"


def test_georgia_next_to_atlanta_is_the_state(geoparser: Geoparser) -> None:
    text = "The storm hit Atlanta and Savannah before leaving Georgia for South Carolina."
    georgia = _find(geoparser.parse(text), "Georgia")
    assert georgia.country == "US"
    assert georgia.feature == "admin1"


def test_paris_france_and_paris_texas(geoparser: Geoparser) -> None:
    fr = _find(geoparser.parse("The summit in Paris drew leaders from across France."), "Paris")
    assert fr.country == "FR"
    tx = _find(geoparser.parse("The rodeo in Paris, Texas, drew a crowd."), "Paris")
    assert tx.country == "US" and tx.admin1 == "TX"


def test_washington_said_is_resolved_but_marked_as_metonymy(geoparser: Geoparser) -> None:
    said = _find(geoparser.parse("Washington said the sanctions would stay."), "Washington")
    assert said.metonymy
    assert _near(said, 38.9, -77.04)
    lives = _find(geoparser.parse("She moved to Washington last year."), "Washington")
    assert not lives.metonymy


def test_provinces_resolve_to_admin1_centres(geoparser: Geoparser) -> None:
    text = "Snow closed roads in Dornogovi, Darkhan-Uul and Bulgan provinces of Mongolia."
    places = geoparser.parse(text, country_hint="MN")
    for name in ("Dornogovi", "Darkhan-Uul", "Bulgan"):
        p = _find(places, name)
        assert p.country == "MN"
        assert p.feature == "admin1"


def test_oahu_comes_from_the_supplement(geoparser: Geoparser) -> None:
    oahu = _find(geoparser.parse("Marines trained on Oahu last month."), "Oahu")
    assert oahu.feature == "island"
    assert _near(oahu, 21.47, -157.98, 50)


def test_demonyms_are_flagged(geoparser: Geoparser) -> None:
    russian = _find(geoparser.parse("Russian troops crossed the border."), "Russian")
    assert russian.demonym and russian.country == "RU"
    assert not [p for p in Geoparser(demonyms=False).parse("Russian troops.") if p.demonym]


def test_extract_entities_finds_people_and_places() -> None:
    ents = extract_entities("Angela Merkel met officials in Замын-Үүд and Berlin.", "en")
    labels = {(e.text, e.label) for e in ents}
    assert ("Angela Merkel", "PERSON") in labels
    assert ("Замын-Үүд", "GPE") in labels
    assert any(e.text == "Berlin" and e.label == "GPE" for e in ents)
    mn = extract_entities("Улаанбаатар хотод", "mn")
    assert [e.text for e in mn] == ["Улаанбаатар"]


def test_jsonl_contract(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    out = tmp_path / "out.jsonl"
    texts = ["Floods hit Dornogovi.", "", "Talks in Paris, France ended."]
    src.write_text(
        "".join(json.dumps({"index": i, "text": t}) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )
    assert geoparse_jsonl(src, out) == 3
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["index"] for r in rows] == [0, 1, 2]
    assert rows[1]["places"] == []
    place = rows[0]["places"][0]
    assert set(place) == {"text", "start", "end", "lat", "lng", "name", "country", "feature"}
    assert texts[0][place["start"] : place["end"]] == place["text"] == "Dornogovi"


def test_bad_jsonl_line_names_the_line(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"index": 0, "text": "ok"}\n{"index": 1}\n', encoding="utf-8")
    with pytest.raises(EnrichError, match=r"in\.jsonl:2"):
        geoparse_jsonl(src, tmp_path / "out.jsonl")


def test_province_with_a_lower_case_unit_word_is_found(geoparser: Geoparser) -> None:
    text = "Chinese and Mongolian troops began a joint exercise in Dornogovi province on Sunday."
    dornogovi = _find(geoparser.parse(text, country_hint="MN"), "Dornogovi")
    assert dornogovi.feature == "admin1"
    assert _near(dornogovi, 44.42, 109.78, 10)


def test_hyphenated_province_beats_its_city_prefix(geoparser: Geoparser) -> None:
    places = geoparser.parse(
        "European Day will be held in Darkhan-Uul province.", country_hint="MN"
    )
    assert [p.text for p in places] == ["Darkhan-Uul"]
    assert places[0].feature == "admin1"
    assert _near(places[0], 49.38, 106.29, 10)


def test_demonym_naming_an_observance_is_not_a_place(geoparser: Geoparser) -> None:
    # "European Day" is a festival; elsewhere the adjective still names its people, and
    # demonyms inside other names ("the Australian Open") stay, as the corpora annotate them.
    text = "European Day brings European films to Darkhan; the Australian Open ends today."
    demonyms = [p.text for p in geoparser.parse(text) if p.demonym]
    assert demonyms == ["European", "Australian"]
    starts = [p.start for p in geoparser.parse(text) if p.demonym]
    assert starts[0] == text.index("European f")


def test_aimag_soum_and_mine_words_make_names_places(geoparser: Geoparser) -> None:
    text = (
        "Herders from Selenge province, Govisümber and Sükhbaatar aimags and Choir soum "
        "met near the Oyu Tolgoi mine."
    )
    places = {p.text: p for p in geoparser.parse(text, country_hint="MN")}
    for name in ("Selenge", "Govisümber", "Sükhbaatar"):
        assert places[name].feature == "admin1" and places[name].country == "MN"
    assert _near(places["Choir"], 46.36, 108.36, 20)
    assert _near(places["Oyu Tolgoi"], 43.0, 106.87, 20)


def test_unit_word_prefers_the_province_to_a_town_of_its_name(geoparser: Geoparser) -> None:
    bulgan = _find(
        geoparser.parse("Drills were held in Bulgan aimag.", country_hint="MN"), "Bulgan"
    )
    assert bulgan.feature == "admin1"


def test_english_spellings_of_aimags_resolve(geoparser: Geoparser) -> None:
    text = "Coal trucks left Umnugovi province; South Gobi mines slowed."
    places = geoparser.parse(text, country_hint="MN")
    for name in ("Umnugovi", "South Gobi"):
        p = _find(places, name)
        assert p.name == "Ömnögovi" and _near(p, 43.28, 104.11, 10)


def test_lower_case_cyrillic_words_are_not_places(geoparser: Geoparser) -> None:
    # "газар" (office, land), "болон" (and), "сайд" (minister) are also alternate names
    # of Gaza, Bologna and Sidon; Mongolian capitalises names, so case tells them apart.
    text = "Хил хамгаалах ерөнхий газар болон сайд Сайншандад ажиллав."
    places = geoparser.parse(text, language="mn")
    assert [p.text for p in places] == ["Сайншандад"]
    assert places[0].country == "MN"


def test_a_name_keeps_its_place_sense_through_the_text(geoparser: Geoparser) -> None:
    # spaCy reads the first "Dornogovi" as a person; the second is plainly the province.
    text = (
        "Soldiers seen on the road to the Dornogovi training range\n"
        "Residents of two districts in Dornogovi province reported columns of trucks."
    )
    places = geoparser.parse(text, country_hint="MN")
    assert [p.text for p in places] == ["Dornogovi", "Dornogovi"]
    assert all(p.feature == "admin1" for p in places)


def test_a_capital_after_in_is_a_location_not_metonymy(geoparser: Geoparser) -> None:
    text = "The defence ministry in Ulaanbaatar said the visit was planned."
    assert not _find(geoparser.parse(text, country_hint="MN"), "Ulaanbaatar").metonymy
    said = _find(
        geoparser.parse("Washington said the talks failed.", country_hint="MN"), "Washington"
    )
    assert said.metonymy and said.country == "US"


def test_moscow_and_georgia_keep_their_countries_under_a_mongolia_hint(
    geoparser: Geoparser,
) -> None:
    moscow = _find(
        geoparser.parse("Mongolia's army chief held talks in Moscow.", country_hint="MN"), "Moscow"
    )
    assert moscow.country == "RU" and _near(moscow, 55.75, 37.62)
    text = "Mongolian diplomats in Tbilisi met Georgia's foreign minister."
    assert _find(geoparser.parse(text, country_hint="MN"), "Georgia").country == "GE"
    zh = geoparser.parse("货车从二连浩特开往乌兰巴托。", country_hint="MN", language="zh")
    assert [p.country for p in zh] == ["CN", "MN"]


def test_mongolian_text_names_oahu_and_hawaii_in_inflected_forms() -> None:
    text = "АНУ-ын Номхон далайн армиас Хавайн Оахү аралд зохион байгуулж буй тэмцээн."
    found = {(p.name, p.country) for p in Geoparser().parse(text, language="mn")}
    assert ("Oahu", "US") in found and ("Hawaii", "US") in found


def test_geoparse_settings_from_watchfloor_toml_change_resolution(tmp_path: Path) -> None:
    from watchfloor.config import load_settings

    cfg = tmp_path / "watchfloor.toml"
    cfg.write_text("[enrich.geoparse]\nhint_bonus = 20.0\n")
    settings = load_settings(cfg, env={}).enrich.geoparse
    assert settings.hint_bonus == 20.0
    # By default a US source's "Paris" is still the French capital; a hint worth 20 points
    # outweighs the capital and its population, and a Paris in the United States wins.
    text = "The summit in Paris drew leaders."
    assert _find(Geoparser().parse(text, country_hint="US"), "Paris").country == "FR"
    tuned = Geoparser(settings=settings)
    assert _find(tuned.parse(text, country_hint="US"), "Paris").country == "US"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # АНУ is the United States (a country alias since gazetteer schema 11); Төв is no place.
        ("АНУ-ын Төв командлал Ираны радарын станц руу цохилт өгчээ", {"US", "IR"}),
        ("Нийслэлийн Төв цэнгэлдэх хүрээлэнд хөлбөмбөгийн тоглолт болно", set()),
        ("Ж.Сүхбаатарыг Улсын дээд шүүхийн шүүгчээр томиллоо", set()),
        ("З.ЭНХБОЛД, Б.ЭНХ-АМГАЛАН НАРТ ОНООСОН ЯЛЫГ ӨӨРЧИЛЛӨӨ", set()),
        ("З.Энхболд, Б.Энх-Амгалан нарт оноосон ялыг өөрчиллөө", set()),
        ("Төв аймгийн Зуунмод суманд хээрийн түймэр гарчээ", {"MN"}),
        ("Сүхбаатар аймагт их цас орно", {"MN"}),
    ],
)
def test_mongolian_names_that_are_also_words_or_people(text: str, expected: set[str]) -> None:
    """ "Төв" is "central" and Сүхбаатар a given name unless a unit word follows them."""
    from watchfloor.enrich.resources import shared

    found = shared().geoparser.parse(text, language="mn")
    assert {p.country for p in found} == expected, [(p.text, p.country) for p in found]
