"""Local-language place words (enrich/placewords.py) through the real geoparser and gazetteer.

Every sentence here was written for these tests; none comes from a corpus.
"""

from __future__ import annotations

import pytest

from watchfloor.enrich.gazetteer import Place, haversine_km
from watchfloor.enrich.geoparse import Geoparser, ResolvedPlace
from watchfloor.enrich.placewords import (
    case_ending_ok,
    district_names,
    glued_dateline,
    local_candidates,
    mostly_other_script,
    not_a_place_here,
    unit_feature,
)


@pytest.fixture(scope="module")
def geoparser() -> Geoparser:
    return Geoparser()


def mn(geoparser: Geoparser, text: str) -> list[ResolvedPlace]:
    return geoparser.parse(text, country_hint="MN", language="mn")


def names(places: list[ResolvedPlace]) -> list[tuple[str, str]]:
    return [(p.name, p.feature) for p in places]


# ------------------------------------------------------------------ case endings


def test_mongolian_case_endings_are_read_as_the_place(geoparser: Geoparser) -> None:
    text = "Сургагчид Улаанбаатарт цугларч, дараа нь Ховдод очно. Эрдэнэтэд бороо орно."
    got = {p.text: p.country for p in mn(geoparser, text)}
    assert got == {"Улаанбаатарт": "MN", "Ховдод": "MN", "Эрдэнэтэд": "MN"}


def test_other_letters_after_a_name_make_another_word() -> None:
    assert case_ending_ok("Улаанбаатар", "т")
    assert case_ending_ok("Ховд", "од")
    assert case_ending_ok("Австрали", "йн")
    assert case_ending_ok("Хангай", "н")
    assert case_ending_ok("Иркутск", "е")  # Russian
    assert case_ending_ok("Анкара", "гийн")
    assert not case_ending_ok("Монца", "мэ")  # an agency's name, not Monza
    assert not case_ending_ok("Газа", "р")  # "газар", land
    assert not case_ending_ok("Солон", "гос")  # Korea, not Solon
    assert not case_ending_ok("Алта", "н")  # "алтан", golden


def test_a_word_starting_like_a_place_is_not_that_place(geoparser: Geoparser) -> None:
    # "Газар" (land) is not Gaza; Korea ("Солонгосын", Korea's) is named and found.
    text = "Газар тариалангийн салбарын мэргэжилтнүүд Солонгосын туршлага судлав."
    assert [(p.text, p.country) for p in mn(geoparser, text)] == [("Солонгосын", "KR")]


# ------------------------------------------------------------------ people


def test_an_initial_makes_a_person(geoparser: Geoparser) -> None:
    text = "Ж.Сүхбаатар болон Б.Дархан нар шагнал гардав."
    assert mn(geoparser, text) == []


def test_a_title_before_a_bare_name_makes_a_person_but_not_before_a_case_ending(
    geoparser: Geoparser,
) -> None:
    assert mn(geoparser, "Шинэ дасгалжуулагч Орхон багаа бэлтгэж байна.") == []
    # "Сайд" (minister) at the head of a sentence is no Sidon either.
    got = mn(geoparser, "Сайд Сайншандад ажиллаж, иргэдтэй уулзав.")
    assert [p.text for p in got] == ["Сайншандад"]


def test_chinese_names_after_a_title_or_before_speech_are_people(geoparser: Geoparser) -> None:
    # 高岩 is also an alternate name of a Chinese village; here it is a spokesman.
    assert geoparser.parse("发言人高岩表示，双方将继续对话。", language="zh") == []
    assert geoparser.parse("金山表示将继续努力。", language="zh") == []
    # 北 is no surname: a capital before a verb of speech stays a place.
    assert [p.country for p in geoparser.parse("北京表示反对。", language="zh")] == ["CN"]
    assert not_a_place_here("记者金山报道。", 2, "金山")
    assert not not_a_place_here("游客到金山旅游。", 3, "金山")


def test_chinese_common_words_are_not_towns(geoparser: Geoparser) -> None:
    # 合作 (cooperation) is also the name of Hezuo, a town in Gansu.
    places = geoparser.parse("两国加强经贸合作。", language="zh")
    assert "Hezuo" not in [p.name for p in places]


# ------------------------------------------------------------------ common words


def test_common_words_and_unit_required_names(geoparser: Geoparser) -> None:
    assert mn(geoparser, "Төв командлалын алба хаагчид Төв цэнгэлдэхэд жагслаа.") == []
    assert names(mn(geoparser, "Төв аймгийн малчид ноос тушаав.")) == [("Töv", "admin1")]
    assert mn(geoparser, "Баян айлын хүүхдүүд Даваа гарагт ирнэ.") == []


def test_darkhan_as_a_protected_area_or_a_title_is_not_the_city(geoparser: Geoparser) -> None:
    assert mn(geoparser, "Дархан цаазат газарт хог хаяхыг хориглоно.") == []
    assert mn(geoparser, "Дархан аварга Б.Болд барилдана.") == []
    assert [p.country for p in mn(geoparser, "Дархан хотод шинэ эмнэлэг нээв.")] == ["MN"]


def test_a_nationality_adjective_is_not_the_country(geoparser: Geoparser) -> None:
    assert all(p.text != "Монгол" for p in mn(geoparser, "Монгол бөхчүүд Японд барилдана."))
    assert [p.country for p in mn(geoparser, "Монголын эдийн засаг өслөө.")] == ["MN"]
    assert [p.country for p in mn(geoparser, "Монгол, Хятад хоёр тохиролцов.")] == ["MN", "CN"]


# ------------------------------------------------------------------ organisations


def test_a_place_inside_a_short_quoted_name_is_an_organisation(geoparser: Geoparser) -> None:
    assert mn(geoparser, "“Улаанбаатар Чонос” баг аварга боллоо.") == []
    assert mn(geoparser, "«Орхон» компанийн хувьцаа өсөв.") == []
    # A quoted sentence is not a name: the place in it counts.
    said = mn(geoparser, "“Бид ирэх онд Дарханд шинэ сургууль барина” гэж сайд хэлэв.")
    assert [p.text for p in said] == ["Дарханд"]


def test_a_one_letter_prefix_makes_a_product_name(geoparser: Geoparser) -> None:
    assert mn(geoparser, "Иргэд И-Монголиа системээр лавлагаа авна.") == []


def test_latin_brands_in_mongolian_text_are_not_towns(geoparser: Geoparser) -> None:
    got = mn(geoparser, "Toyota машины TASS мэдээ Улаанбаатарт тарсан.")
    assert [p.text for p in got] == ["Улаанбаатарт"]
    assert mostly_other_script("Toyota машины мэдээ Улаанбаатарт")
    assert not mostly_other_script("Toyota cars in Ulaanbaatar")


# ------------------------------------------------------------------ unit words and context


def test_unit_words_choose_the_aimag_or_the_town(geoparser: Geoparser) -> None:
    assert names(mn(geoparser, "Баянхонгор аймгийн малчид хуралдав.")) == [
        ("Bayankhongor", "admin1")
    ]
    assert [p.feature for p in mn(geoparser, "Баянхонгор хотод зам засна.")] == ["city"]
    assert unit_feature("Ховд аймагт бороо", 0, 4) == "admin1"
    assert unit_feature("Ховд хотод бороо", 0, 4) == "city"
    assert unit_feature("Баян сумын малчид", 0, 4) == "soum"
    assert unit_feature("Ховд бол сайхан", 0, 4) is None


def test_an_aimag_dateline_at_the_head_is_the_aimag(geoparser: Geoparser) -> None:
    assert names(mn(geoparser, "ТӨВ: Аймгийн номын санд шинэ ном ирлээ")) == [("Töv", "admin1")]
    assert names(mn(geoparser, "СҮХБААТАР: Малчдад сургалт болов")) == [("Sükhbaatar", "admin1")]


def test_ulaanbaatar_districts_are_the_capital(geoparser: Geoparser) -> None:
    got = mn(geoparser, "Сүхбаатар дүүрэгт цэцэрлэг нээгдэв.")
    assert got and all(p.country == "MN" for p in got)
    assert all(haversine_km(p.lat, p.lng, 47.92, 106.92) < 25 for p in got)
    got = mn(geoparser, "Сонгинохайрхан дүүргийн иргэд мод тарив.")
    assert got and all(haversine_km(p.lat, p.lng, 47.92, 106.92) < 25 for p in got)
    # The aimag of the same name stays the aimag.
    assert names(mn(geoparser, "Сүхбаатар аймагт бороо орно.")) == [("Sükhbaatar", "admin1")]
    assert district_names("НАЛАЙХ ДҮҮРГИЙН иргэд") == [(0, 6, "Nalayh")]
    assert district_names("налайх дүүрэг") == []  # names are capitalised


def test_a_soum_is_looked_for_in_its_aimag(geoparser: Geoparser) -> None:
    """ "<aimag> аймгийн <soum> сум": a soum of that name elsewhere is another soum."""
    tov = (47.47, 106.55)
    for p in mn(geoparser, "Төв аймгийн Алтанбулаг сумд шинэ сургууль нээв."):
        if p.text.startswith("Алтанбулаг"):
            assert haversine_km(p.lat, p.lng, *tov) <= 200
    # "сум" is a Mongolian unit: a soum is never a town in another country.
    assert all(p.country == "MN" for p in mn(geoparser, "Баян сумын малчид хуралдав."))


def _place(name: str, country: str, feature: str, population: int, lat: float = 0.0) -> Place:
    return Place(0, name.casefold(), name, country, "", feature, lat, 100.0, population)


def test_small_settlements_need_a_unit_word() -> None:
    soum = _place("Smallsoum", "MN", "city", 0)
    town = _place("Bigtown", "MN", "city", 30_000)
    abroad = _place("Village", "PH", "city", 20_000)
    aimag = _place("Someaimag", "MN", "admin1", 0)

    def lookup(_name: str) -> list[tuple[Place, bool]]:
        return []

    cands = [(soum, True), (town, True), (abroad, True), (aimag, True)]
    alone = local_candidates("Нэр бол сайхан", 0, 3, cands, lookup)
    assert [p.name for p, _ in alone] == ["Bigtown", "Someaimag"]
    with_unit = local_candidates("Нэр сумын малчид", 0, 3, cands, lookup)
    assert [p.name for p, _ in with_unit] == ["Smallsoum", "Bigtown"]


def test_a_dateline_glued_to_the_headline_before_it_is_read(geoparser: Geoparser) -> None:
    text = "Сургууль шинээр нээгдлээДархан, 2026 оны 7 дугаар сарын 1 /Агентлаг/."
    assert glued_dateline(text, text.index("Дархан"), text.index(","))
    assert [p.text for p in mn(geoparser, text)] == ["Дархан"]
    # Inside an ordinary word the same letters stay part of it.
    assert not glued_dateline("нэгэнДархан хот", 5, 11)
