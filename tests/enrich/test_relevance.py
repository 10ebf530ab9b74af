"""Country relevance: headline vs passing mentions, language and source priors, actors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from watchfloor.enrich.relevance import (
    ActorMention,
    country_relevance,
    dateline,
    find_country_mentions,
    is_about,
    place_candidates,
)
from watchfloor.errors import EnrichError

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "cluster" / "relevance_cases.json"
CASES: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]


def score(case: dict[str, Any]) -> dict[str, float]:
    return country_relevance(
        title=case["title"],
        text=case["text"],
        language=case["language"],
        places=[tuple(p) for p in case["places"]],
        actors=case["actors"],
        source_countries=case["source_countries"],
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_relevance_case_scores_within_expected_bounds(case: dict[str, Any]) -> None:
    scores = score(case)
    for country, (low, high) in case["expect"].items():
        got = scores.get(country, 0.0)
        assert low <= got <= high, f"{country}: {got} not in [{low}, {high}]; all: {scores}"


def test_passing_mention_is_not_about_the_country() -> None:
    case = next(c for c in CASES if c["name"] == "passing_mention")
    scores = score(case)
    assert is_about(scores, "CN")
    assert not is_about(scores, "MN")


def test_army_chief_in_moscow_is_mostly_about_mongolia() -> None:
    case = next(c for c in CASES if c["name"] == "mongolian_army_chief_in_moscow")
    scores = score(case)
    assert scores["MN"] - scores["RU"] >= 0.2


def test_national_source_in_its_language_without_naming_the_country_is_about_it() -> None:
    text = "Засгийн газар өнөөдөр хуралдаж, төсвийн тодотголыг баталлаа."
    domestic = country_relevance(title="Төсвийн тодотгол батлагдлаа", text=text, language="mn",
                                 source_countries=["MN"])  # fmt: skip
    assert is_about(domestic, "MN")
    world = country_relevance(title="Төсвийн тодотгол батлагдлаа", text=text, language="mn")
    assert not is_about(world, "MN")


def test_foreign_language_edition_of_a_national_source_gets_a_weaker_prior() -> None:
    mn = country_relevance(title="Budget amendment approved", text="", language="mn",
                           source_countries=["MN"])  # fmt: skip
    en = country_relevance(title="Budget amendment approved", text="", language="en",
                           source_countries=["MN"])  # fmt: skip
    assert en["MN"] < mn["MN"]


def test_actor_with_known_country_counts_in_the_title() -> None:
    base = country_relevance(title="Khurelsukh opens new school", text="", language="en")
    linked = country_relevance(
        title="Khurelsukh opens new school",
        text="",
        language="en",
        actors=[ActorMention(name="Khurelsukh", country="MN", in_title=True)],
    )
    assert "MN" not in base
    assert linked["MN"] >= 0.5


def test_inner_mongolia_counts_for_china_not_mongolia() -> None:
    found = {(t.country, t.kind) for _, _, t in find_country_mentions("floods in Inner Mongolia")}
    assert found == {("CN", "place")}
    found_mn = {t.country for _, _, t in find_country_mentions("Өвөр Монголд үер буув")}
    assert found_mn == {"CN"}


def test_mongolian_and_russian_case_endings_are_matched() -> None:
    text = "Монгол Улсын Ерөнхийлөгч Оросын Холбооны Улсад айлчилна. Визит в Россию и Китай."
    assert {t.country for _, _, t in find_country_mentions(text)} == {"MN", "RU", "CN"}


def test_lowercase_homograph_is_not_a_country() -> None:
    # Russian "того" (of that) is spelt like the country Togo, but in lower case.
    assert find_country_mentions("после того как") == []


def test_is_about_refuses_a_threshold_outside_zero_one() -> None:
    with pytest.raises(EnrichError):
        is_about({"MN": 0.9}, "MN", threshold=1.5)


def test_relevance_settings_from_watchfloor_toml_change_scores(tmp_path: Path) -> None:
    from watchfloor.config import load_settings

    case = next(c for c in CASES if c["name"] == "passing_mention")
    default = score(case)
    cfg = tmp_path / "watchfloor.toml"
    cfg.write_text("[enrich.relevance]\nbody_base = 0.3\nabout_threshold = 0.1\n")
    settings = load_settings(cfg, env={}).enrich.relevance
    tuned = country_relevance(
        title=case["title"],
        text=case["text"],
        language=case["language"],
        places=[tuple(p) for p in case["places"]],
        actors=case["actors"],
        source_countries=case["source_countries"],
        settings=settings,
    )
    # A body mention weighs more, so the passing mention rises.
    assert tuned["MN"] > default["MN"]
    assert is_about(tuned, "MN", settings.about_threshold)
    assert not is_about(default, "MN")


# --- Who a story is about, from its content: the source's country is a prior, not a verdict.
# Sentences written for these tests.


def about(scores: dict[str, float]) -> set[str]:
    return {c for c in scores if is_about(scores, c)}


def mongolian_outlet(title: str, text: str = "", language: str = "mn") -> dict[str, float]:
    return country_relevance(title=title, text=text, language=language, source_countries=["MN"])


def test_mongolian_outlet_story_on_the_caracas_earthquake_is_about_venezuela() -> None:
    by_city = mongolian_outlet("Каракаст хүчтэй газар хөдлөлт болж, олон хүн амь насаа алджээ")
    by_country = mongolian_outlet("Венесуэлд болсон газар хөдлөлтөөс амь үрэгдэгсдийн тоо өсөв")
    assert about(by_city) == {"VE"}
    assert about(by_country) == {"VE"}
    assert by_city.get("MN", 0.0) < 0.2


def test_mongolian_outlet_story_on_a_us_strike_on_iran_is_about_both_not_mongolia() -> None:
    scores = mongolian_outlet("АНУ-ын арми Ираны цөмийн байгууламж руу агаараас цохилт өгчээ")
    assert about(scores) == {"US", "IR"}
    # Named by its capital only, Iran is where the story happens: scored, yet under the
    # country the title names (as "Mongolia's army chief in Moscow" is mostly Mongolia's).
    by_capital = mongolian_outlet("Тегеранд АНУ-ын цохилтын дараа дахин дэлбэрэлт сонсогдов")
    assert "US" in about(by_capital)
    assert "MN" not in about(by_capital)
    assert by_capital["IR"] > 0.3


def test_mongolia_russia_talks_are_about_both() -> None:
    scores = mongolian_outlet("Монгол, Оросын Гадаад хэргийн сайд нар Москвад хэлэлцээ хийв")
    assert about(scores) == {"MN", "RU"}
    ru = country_relevance(
        title="Монголия и Россия обсудили поставки топлива",
        text="Переговоры прошли в Улан-Баторе.",
        language="ru",
    )
    assert about(ru) == {"MN", "RU"}


def test_mongolian_headline_without_any_country_stays_with_the_source_prior() -> None:
    scores = mongolian_outlet("Хүчтэй салхи шороон шуурганаас болгоомжлохыг анхааруулав")
    assert about(scores) == {"MN"}


def test_domestic_institution_keeps_a_national_story_with_its_country() -> None:
    # The Mongolian central bank named beside China's: about both, not China alone.
    both = mongolian_outlet("Монголбанк болон Хятадын Ардын банк своп хэлцлээ сунгав")
    assert about(both) == {"MN", "CN"}
    # "Засгийн газар" right after another country's name is that country's government.
    japan = mongolian_outlet("Японы Засгийн газар визийн хураамжаа нэмэхээр шийдэв")
    assert about(japan) == {"JP"}


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Венесуэлд", "VE"),
        ("Ираны", "IR"),
        ("Иранаас", "IR"),
        ("Оросын", "RU"),
        ("Хятадад", "CN"),
        ("Японы", "JP"),
        ("Америкийн", "US"),
        ("АНУ-ын", "US"),
        ("ОХУ-д", "RU"),
        ("БНХАУ-аас", "CN"),
        ("Москвад", "RU"),
        ("Тимбуктугийн", "ML"),
        ("Малийн", "ML"),
        ("Ирака", "IQ"),
        ("БЭЭЖИНД", "CN"),
        ("加拉加斯", "VE"),
        ("Kyiv", "UA"),
    ],
)
def test_case_endings_and_city_names_find_their_country(text: str, country: str) -> None:
    found = {t.country for _, _, t in find_country_mentions(f"Мэдээ: {text} тухай")}
    assert found == {country}


@pytest.mark.parametrize("word", ["Чадна", "Ганаа", "Газар", "Сана"])
def test_words_that_begin_like_a_short_country_name_are_not_countries(word: str) -> None:
    assert find_country_mentions(f"{word} гэж хэлэв") == []


def test_ambiguous_name_counts_for_the_country_the_article_otherwise_names() -> None:
    text = (
        "Georgia lawmakers passed the budget on Tuesday. The vote in Atlanta followed a long "
        "debate, and the governor of Georgia is expected to sign it at the Texas border."
    )
    scores = country_relevance(title="", text=text, language="en")
    assert next(iter(scores)) == "US"
    assert "GE" not in scores


def test_english_world_feed_story_is_about_the_country_of_its_places() -> None:
    # Shaped like the EUPEG texts: no source country, places found by the geoparser.
    text = (
        "Health officials in Peru reported 40 new cases of cholera in the coastal city of "
        "Trujillo on Monday, and said a team from Lima would arrive this week. A spokesman "
        "said two patients had travelled from Ecuador in May."
    )
    scores = country_relevance(
        title="Cholera cases rise in northern Peru",
        text=text,
        language="en",
        places=[("PE", 1, 3), ("EC", 0, 1)],
    )
    assert about(scores) == {"PE"}
    local = country_relevance(
        title="Fire destroys barn near Decatur",
        text="Firefighters from three towns worked through the night, the fire chief said.",
        language="en",
        places=[("US", 1, 0)],
    )
    assert about(local) == {"US"}


def test_a_single_lead_mention_flips_a_national_story_only_without_domestic_ties() -> None:
    foreign = mongolian_outlet(
        "Хүчтэй бороо орж, үер буув",
        text="Японы өмнөд хэсэгт хүчтэй бороо орж, олон байшин усанд автжээ.",
    )
    assert about(foreign) == {"JP"}
    domestic = mongolian_outlet(
        "Хүчтэй бороо орж, үер буув",
        text="Японы иргэд аялж байсан Хөвсгөл аймгийн нутагт хүчтэй бороо орж, гэр усанд автжээ.",
    )
    assert "MN" in about(domestic)


def test_attribution_says_why_the_source_country_is_left_out() -> None:
    from watchfloor.enrich.relevance import country_attribution

    result = country_attribution(
        title="Каракаст хүчтэй газар хөдлөлт болов",
        text="",
        language="mn",
        source_countries=["MN"],
    )
    assert result.about() == ["VE"]
    assert result.scores == mongolian_outlet("Каракаст хүчтэй газар хөдлөлт болов")
    assert any("source prior dropped" in r and "VE" in r for r in result.reasons["MN"])
    assert any("place" in r for r in result.reasons["VE"])


def test_a_country_in_the_comitative_is_the_source_countrys_partner() -> None:
    # "With South Korea's government": the Mongolian outlet's own country is the other party.
    scores = mongolian_outlet("Эрчим хүчний салбарт БНСУ-ын Засгийн газартай хамтран ажиллана")
    assert about(scores) == {"MN", "KR"}
    # A third country named in the title is the partner instead.
    us_china = mongolian_outlet("АНУ Хятадтай худалдааны шинэ гэрээ байгуулав")
    assert about(us_china) == {"US", "CN"}
    # A leader met in the comitative says nothing of the outlet's country.
    met = mongolian_outlet("Путинтэй уулзсаны дараа Лукашенко Бээжинд очив")
    assert "MN" not in about(met)


def test_title_mentions_do_not_count_as_body_mentions() -> None:
    from watchfloor.enrich.relevance import country_attribution

    result = country_attribution(title="Peru and Chile sign a deal", text="", language="en")
    assert all("body" not in r for r in result.reasons["PE"])


def test_a_region_abroad_in_the_title_leads_away_from_the_source_country() -> None:
    heat = mongolian_outlet("Европт халуун агаар үргэлжилсээр байна")
    assert about(heat) == set()
    assert "XX" not in heat
    # Mongolia named beside the region: still about Mongolia.
    eu = mongolian_outlet("Монгол Улс, Европын Холбооны хамтын ажиллагааны хороо хуралдав")
    assert about(eu) == {"MN"}


def test_the_prime_minister_by_initial_and_name_keeps_the_story_mongolian() -> None:
    scores = mongolian_outlet(
        "Ерөнхий сайд Н.Учрал Бүгд Найрамдах Солонгос Улсын Ерөнхий сайдтай уулзав"
    )
    assert about(scores) == {"MN", "KR"}


def test_a_lower_case_country_name_before_uls_is_that_country() -> None:
    """Outlets write "франц улсад" as often as "Франц улсад"; "манай улс" stays at home."""
    scores = country_relevance(
        title="Хэт халалтын улмаас франц улсад 40 гаруй хүн нас баржээ",
        text="",
        language="mn",
        source_countries=["MN"],
    )
    assert is_about(scores, "FR") and not is_about(scores, "MN")
    home = country_relevance(
        title="Манай улс хөгжлийн шинэ бодлого батлав",
        text="",
        language="mn",
        source_countries=["MN"],
    )
    assert is_about(home, "MN")


def test_us_local_news_wording_makes_a_namesake_town_american() -> None:
    # A local paper names its town and county, not the country; the geoparser read the
    # town as the Greek capital.
    scores = country_relevance(
        title="Man booked after a fight outside a diner.",
        text="The Athens Police Department arrested a 33-year-old man on Monday. He was taken "
        "to the Clarke County jail.",
        language="en",
        places=[("GR", 0, 1)],
        source_countries=[],
    )
    assert next(iter(scores)) == "US"
    assert is_about(scores, "US")
    assert not is_about(scores, "GR")


def test_us_local_news_wording_does_not_move_a_national_source() -> None:
    scores = country_relevance(
        title="Capital City Police Department detains two suspects",
        text="The suspects were detained in Bayanzürkh district.",
        language="en",
        source_countries=["MN"],
    )
    assert "US" not in scores


def test_a_person_named_like_a_capital_is_no_actor_of_its_country() -> None:
    # "Stanley" is the Falklands' capital; Stanley Okafor is a chess player from Owerri.
    scores = country_relevance(
        title="Stanley Okafor wins the regional chess final.",
        text="Stanley Okafor beat four grandmasters in Owerri on Sunday. Okafor, 19, studies "
        "in Owerri and trains in Enugu.",
        language="en",
        places=[("NG", 0, 3)],
        actors=["Stanley Okafor", "Stanley Okafor", "Okafor"],
        place_names=[("Owerri", "NG"), ("Owerri", "NG"), ("Enugu", "NG")],
    )
    assert next(iter(scores)) == "NG"
    assert "FK" not in scores


def test_a_demonym_tagged_as_a_group_is_not_counted_again_as_an_actor() -> None:
    title = "Canadian hikers found safe after two nights on the glacier."
    text = "Rescuers reached the three Canadian hikers at dawn."
    bare = country_relevance(title=title, text=text, language="en")
    tagged = country_relevance(
        title=title, text=text, language="en", actors=["Canadian", "Canadian"]
    )
    assert tagged["CA"] == bare["CA"]


def test_a_county_or_town_named_after_a_country_or_city_is_not_it() -> None:
    scores = country_relevance(
        title="Guernsey County commissioners approve the road budget.",
        text="The commissioners met in Cambridge. New London council will vote next week.",
        language="en",
    )
    assert "GG" not in scores and "GB" not in scores
    assert next(iter(scores)) == "US"


def test_the_geoparser_reading_of_a_city_in_its_context_overrules_the_name_table() -> None:
    # London, Ontario: the geoparser put it in Canada beside St. Thomas and Woodstock; the
    # name table alone would read the English capital.
    scores = country_relevance(
        title="London shelter opens forty new beds.",
        text="The London shelter serves St. Thomas and Woodstock too, the high school "
        "superintendent said. London council pays half.",
        language="en",
        places=[("CA", 1, 4)],
        place_names=[
            ("London", "CA"),
            ("London", "CA"),
            ("St. Thomas", "CA"),
            ("Woodstock", "CA"),
            ("London", "CA"),
        ],
    )
    assert next(iter(scores)) == "CA"
    assert is_about(scores, "CA")
    assert not is_about(scores, "GB")


def test_a_bare_country_name_in_us_local_news_is_a_namesake_town() -> None:
    # Jordan, Minnesota: the geoparser took the country.
    scores = country_relevance(
        title="Jordan man hurt in crash on Highway 169.",
        text="The Scott County Sheriff's Office said the Jordan man was taken to hospital.",
        language="en",
        places=[("JO", 1, 1)],
        place_names=[("Jordan", "JO"), ("Jordan", "JO")],
    )
    assert next(iter(scores)) == "US"


def test_a_country_the_body_is_about_far_more_than_the_title_country_keeps_its_score() -> None:
    scores = country_relevance(
        title="Opposition leader calls the government a greater threat than Russia.",
        text="Speaking in Tbilisi, the former minister said Georgia needed new elections. "
        "Georgia's government denied it. Protesters gathered in Gori and Batumi, and "
        "Georgia's president called for calm. Russia did not comment.",
        language="en",
        places=[("GE", 0, 6), ("RU", 1, 1)],
        place_names=[("Tbilisi", "GE"), ("Georgia", "GE"), ("Gori", "GE"), ("Batumi", "GE")],
    )
    assert next(iter(scores)) == "GE"
    assert is_about(scores, "RU")


def test_one_country_named_three_times_among_many_named_once_is_dominant() -> None:
    scores = country_relevance(
        title="",
        text="Bird flu was confirmed in Turkey this week. Armenia, Azerbaijan, Georgia, "
        "Iraq, Iran and Syria have closed their borders to poultry. Turkey has culled "
        "two million birds, and Turkey's neighbours are on alert.",
        language="en",
        places=[("TR", 0, 3), ("AM", 0, 1), ("AZ", 0, 1), ("GE", 0, 1), ("IQ", 0, 1)],
    )
    assert next(iter(scores)) == "TR"
    assert is_about(scores, "TR")
    assert not is_about(scores, "AM")


def test_south_america_is_a_region_not_america() -> None:
    scores = country_relevance(
        title="South America's frogs face a deadly fungus.",
        text="Researchers found the fungus in Panama and Colombia. Panama has lost many species.",
        language="en",
    )
    assert "US" not in scores
    assert next(iter(scores)) == "PA"


#: A small gazetteer for the place-candidate tests: name -> (country, feature, population).
GAZETTEER: dict[str, list[tuple[str, str, int]]] = {
    "millbrook": [("US", "city", 14000), ("US", "city", 1600)],
    "hadleigh": [("GB", "city", 8000), ("AU", "city", 300)],
    "cromwell": [("NZ", "city", 4000), ("US", "city", 14000)],
    "ripley": [("GB", "city", 21000), ("US", "city", 8000)],
    "belle plaine": [("US", "city", 6800)],
    "milaca": [("US", "city", 2900)],
    "minnesota": [("US", "admin1", 0)],
    "athens": [("GR", "city", 664000), ("US", "city", 127000)],
    "toronto": [("CA", "city", 2600000), ("US", "city", 5000)],
    "hollywood": [("US", "city", 150000)],
    "greece": [("GR", "country", 10000000)],
    "dalton": [("US", "city", 33000)],
    "mansfield": [("GB", "city", 77000), ("US", "city", 47000), ("AU", "city", 1000)],
    "tbilisi": [("GE", "city", 1100000)],
}


def lookup(name: str) -> list[tuple[str, str, int]]:
    return GAZETTEER.get(name.lower(), [])


def test_a_dateline_in_capitals_names_the_town_of_the_story() -> None:
    assert dateline("MILLBROOK — Police said a man was hurt.") == "MILLBROOK"
    assert dateline("Budget vote delayed. BY JANE DOE Staff Writer MILLBROOK -- The board") == (
        "MILLBROOK"
    )
    assert dateline("LONDON, Ont. (AP) - A fire broke out.") == "LONDON"
    assert dateline("The mayor said the budget - now late - would pass.") is None


def test_place_candidates_reads_datelines_place_entities_and_towns_by_their_institutions() -> None:
    text = (
        "MILLBROOK — Two cars collided on Main Street, according to Hadleigh Police. "
        "The driver was taken to Ripley."
    )
    found = dict(place_candidates(text, [("Ripley", "GPE"), ("Main Street", "FAC")], [], lookup))
    assert found == {
        "MILLBROOK": frozenset({"US"}),
        "Hadleigh": frozenset({"GB"}),  # the Australian town is too small to be plausible
        "Ripley": frozenset({"GB", "US"}),
    }
    # A name the geoparser resolved keeps its reading among the candidates; one it read as
    # a country is no town to re-read.
    resolved = [("Ripley", "GB", "city"), ("Greece", "GR", "country")]
    found = dict(place_candidates("Ripley and Greece.", [("Greece", "GPE")], resolved, lookup))
    assert found == {"Ripley": frozenset({"GB", "US"})}


def test_a_dateline_town_the_geoparser_left_out_counts_for_its_one_country() -> None:
    title = "Shoplifting suspect struck by car."
    text = (
        "MILLBROOK - A man police say stole a bracelet was struck by a car. Millbrook police said."
    )
    candidates = place_candidates(f"{title} {text}", [], [], lookup)
    scores = country_relevance(title=title, text=text, language="en", candidates=candidates)
    assert next(iter(scores)) == "US"
    assert is_about(scores, "US")
    assert not country_relevance(title=title, text=text, language="en")
    # A national source's prior is not touched: its geoparser places stay out, and so do these.
    national = country_relevance(
        title=title, text=text, language="en", source_countries=["GB"], candidates=candidates
    )
    assert "US" not in national


def test_an_ambiguous_dateline_town_goes_to_the_country_the_story_otherwise_points_to() -> None:
    title = "Selectman plans to run again."
    text = "CROMWELL — The first selectman, a Democrat, announced he would seek re-election."
    candidates = place_candidates(f"{title} {text}", [], [], lookup)
    assert candidates == [("CROMWELL", frozenset({"NZ", "US"}))]
    scores = country_relevance(title=title, text=text, language="en", candidates=candidates)
    assert next(iter(scores)) == "US"
    assert "NZ" not in scores


def test_a_town_put_abroad_goes_to_the_country_of_clearly_the_most_place_names() -> None:
    title = "Ripley beats Belle Plaine in overtime."
    text = (
        "Ripley led at the half. Belle Plaine came back behind two Milaca transfers, but "
        "Ripley won the Minnesota section final. Ripley plays again on Friday, and Ripley "
        "fans are already queuing."
    )
    resolved = [("Ripley", "GB", "city"), ("Belle Plaine", "US", "city"),
                ("Milaca", "US", "city"), ("Minnesota", "US", "admin1")]  # fmt: skip
    args: dict[str, Any] = {
        "title": title,
        "text": text,
        "language": "en",
        "places": [("GB", 1, 4), ("US", 1, 3)],
        "place_names": [(n, c) for n, c, _ in resolved],
    }
    assert next(iter(country_relevance(**args))) == "GB"
    candidates = place_candidates(f"{title} {text}", [], resolved, lookup)
    scores = country_relevance(**args, candidates=candidates)
    assert next(iter(scores)) == "US"
    assert "GB" not in scores


def test_a_country_the_story_names_keeps_its_towns() -> None:
    # Athens, Toronto and Hollywood may all be American towns, but the story names Greece.
    title = "Film festival opens in Athens."
    text = (
        "Directors from Toronto and Hollywood joined the festival in Athens, the largest "
        "in Greece. Athens hosts it every year."
    )
    resolved = [("Athens", "GR", "city"), ("Toronto", "CA", "city"),
                ("Hollywood", "US", "city"), ("Greece", "GR", "country")]  # fmt: skip
    scores = country_relevance(
        title=title,
        text=text,
        language="en",
        places=[("GR", 1, 3), ("CA", 0, 1), ("US", 0, 1)],
        place_names=[(n, c) for n, c, _ in resolved],
        candidates=place_candidates(f"{title} {text}", [], resolved, lookup),
    )
    assert next(iter(scores)) == "GR"
    assert is_about(scores, "GR")


def test_georgia_in_a_us_local_story_is_the_state() -> None:
    # A US-only town by its police: the story reads as US local news; "Georgia" is the state.
    title = "Cyclist hurt on Walnut Avenue."
    text = (
        "A cyclist was taken to a north Georgia hospital on Tuesday after a crash, "
        "according to Dalton Police."
    )
    resolved = [("Georgia", "GE", "country")]
    args: dict[str, Any] = {
        "title": title,
        "text": text,
        "language": "en",
        "places": [("GE", 0, 1)],
        "place_names": [("Georgia", "GE")],
    }
    assert next(iter(country_relevance(**args))) == "GE"
    candidates = place_candidates(f"{title} {text}", [], resolved, lookup)
    assert ("Dalton", frozenset({"US"})) in candidates
    scores = country_relevance(**args, candidates=candidates)
    assert next(iter(scores)) == "US"
    assert not is_about(scores, "GE")


def test_georgia_beside_tbilisi_stays_the_country_whatever_the_register() -> None:
    title = "Talks resume over the breakaway region."
    text = (
        "Georgia said on Monday that talks would resume in Tbilisi. A State Department "
        "spokesman welcomed the news from Georgia."
    )
    resolved = [("Georgia", "GE", "country"), ("Tbilisi", "GE", "city")]
    scores = country_relevance(
        title=title,
        text=text,
        language="en",
        places=[("GE", 0, 3)],
        place_names=[(n, c) for n, c, _ in resolved],
        candidates=place_candidates(f"{title} {text}", [], resolved, lookup),
    )
    assert next(iter(scores)) == "GE"


def test_an_ambiguous_town_in_a_story_with_a_us_street_address_is_the_american_one() -> None:
    title = "Mansfield library to close for repairs."
    text = (
        "The Mansfield library, 310 N. Elm St., will close for two weeks while the roof is "
        "repaired, the city said. Mansfield residents may use the branch in the meantime."
    )
    resolved = [("Mansfield", "GB", "city")]
    args: dict[str, Any] = {
        "title": title,
        "text": text,
        "language": "en",
        "places": [("GB", 1, 2)],
        "place_names": [("Mansfield", "GB")],
    }
    candidates = place_candidates(f"{title} {text}", [], resolved, lookup)
    scores = country_relevance(**args, candidates=candidates)
    assert next(iter(scores)) == "US"
    assert not is_about(scores, "GB")
    # Without the address nothing says which Mansfield: the geoparser's reading stands.
    plain = text.replace(", 310 N. Elm St.,", "")
    scores = country_relevance(**{**args, "text": plain}, candidates=candidates)
    assert next(iter(scores)) == "GB"


def test_a_named_country_keeps_its_town_in_a_us_register_story() -> None:
    title = "Mansfield exchange visit."
    text = (
        "Pupils from Mansfield, England, visited 12 W. Main St. on a trip to Britain's twin town."
    )
    resolved = [("Mansfield", "GB", "city")]
    scores = country_relevance(
        title=title,
        text=text,
        language="en",
        places=[("GB", 1, 1)],
        place_names=[("Mansfield", "GB")],
        candidates=place_candidates(f"{title} {text}", [], resolved, lookup),
    )
    assert next(iter(scores)) == "GB"


def test_a_us_time_of_day_reads_as_us_local_news() -> None:
    """US papers write "9 a.m."; a town the geoparser put abroad that is also American goes
    to the United States in such a story."""
    title = "Mansfield library to close early."
    text = "Mansfield residents may return books from 9 a.m. to 1 p.m. on Saturday, the city said."
    resolved = [("Mansfield", "GB", "city")]
    args: dict[str, Any] = {
        "title": title,
        "language": "en",
        "places": [("GB", 1, 1)],
        "place_names": [("Mansfield", "GB")],
        "candidates": place_candidates(f"{title} {text}", [], resolved, lookup),
    }
    scores = country_relevance(**args, text=text)
    assert next(iter(scores)) == "US"
    assert not is_about(scores, "GB")
    plain = country_relevance(**args, text=text.replace(" from 9 a.m. to 1 p.m.", ""))
    assert next(iter(plain)) == "GB"


def test_pounds_and_british_times_read_as_british_local_news() -> None:
    """A town the geoparser put in the United States that is also a British town is the
    British one in a story that counts in pounds, writes "4am" or names a police constable."""
    title = "Mansfield shop burgled overnight."
    resolved = [("Mansfield", "US", "city")]
    args: dict[str, Any] = {
        "title": title,
        "language": "en",
        "places": [("US", 1, 1)],
        "place_names": [("Mansfield", "US")],
    }
    for text in (
        "Thieves took goods worth £2,000 from a Mansfield shop, the owner said.",
        "Thieves broke into a Mansfield shop at 4.15am on Saturday, the owner said.",
        "Thieves broke into a Mansfield shop, PC Jane Hollis said.",
    ):
        candidates = place_candidates(f"{title} {text}", [], resolved, lookup)
        scores = country_relevance(**args, text=text, candidates=candidates)
        assert next(iter(scores)) == "GB", text
        assert not is_about(scores, "US")
    text = "Thieves broke into a Mansfield shop on Saturday, the owner said."
    candidates = place_candidates(f"{title} {text}", [], resolved, lookup)
    assert next(iter(country_relevance(**args, text=text, candidates=candidates))) == "US"


@pytest.mark.parametrize(
    ("title", "country"),
    [
        ("Хилийн чанадад солонгос иргэдийг барьцаалжээ", "KR"),
        ("Хууль бусаар ажиллаж байсан хятад иргэдийг албадан гаргав", "CN"),
        ("Хөвсгөл нуурт орос жуулчид ирлээ", "RU"),
        ("Осолд японы иргэн шархаджээ", "JP"),
        ("Галд америк хүн нас баржээ", "US"),
    ],
)
def test_a_lower_case_nationality_before_a_word_for_people_is_that_country(
    title: str, country: str
) -> None:
    """Mongolian writes nationalities in lower case: "солонгос иргэд" (Korean citizens)."""
    assert country in about(mongolian_outlet(title))


def test_a_lower_case_word_before_a_word_for_people_that_names_no_country_stays_home() -> None:
    # "олон хүн" (many people), "гадаад иргэн" (a foreign citizen): no country named.
    for title in ("Үерт олон хүн нэрвэгджээ", "Гадаад иргэн баривчлагджээ"):
        assert about(mongolian_outlet(title)) == {"MN"}, title
    # Without a word for people a lower-case nationality is not read as a country:
    # "солонгос хоол" (Korean food).
    assert about(mongolian_outlet("Нийслэлд солонгос хоолны үзэсгэлэн болно")) == {"MN"}


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("На границе задержаны китайцы", "CN"),
        ("Пострадали двое японцев", "JP"),
        ("корейские туристы пропали", "KR"),
        ("Задержаны трое американцев", "US"),
        ("Эвакуированы россияне", "RU"),
        ("Домой вернулись казахстанцы", "KZ"),
    ],
)
def test_russian_nationality_nouns_name_their_country(text: str, country: str) -> None:
    found = {t.country for _, _, t in find_country_mentions(text)}
    assert country in found


def test_chinese_names_are_found_inside_the_text_around_them() -> None:
    """Chinese has no spaces: "韩国公民", "在日本", "美籍男子" name their countries."""
    found = [
        (text[s:e], t.country) for text in ("中国游客在日本被捕", "韩国公民被绑架", "美籍男子")
        for s, e, t in find_country_mentions(text)
    ]  # fmt: skip
    assert found == [("中国", "CN"), ("日本", "JP"), ("韩国", "KR"), ("美籍", "US")]
    # A name inside another word is not one: "沿海地区" (coastal areas) is no Haiti.
    assert find_country_mentions("沿海地区") == []
    scores = mongolian_outlet("韩国公民在菲律宾被绑架", language="zh")
    assert "KR" in about(scores)


def test_england_scotland_and_wales_name_the_united_kingdom() -> None:
    """The constituent countries are names of the country, not just places in it: a title
    naming England beside a Canadian is about both."""
    scores = country_relevance(
        title="Canadian tourists rescued off the coast of Cornwall, England.",
        text="The coastguard said the two were taken to hospital.",
        language="en",
    )
    assert about(scores) >= {"GB", "CA"}


def test_a_compass_name_read_as_a_far_province_is_no_evidence_for_it() -> None:
    """The "Southwest" of "the Southwest Conditions Team" is no Cameroonian province; in a
    story that otherwise speaks of South Africa, "North West" stays its province."""
    title = "Hartford police seize guns in raids."
    text = (
        "Officers of the Southwest Conditions Team made the arrests, Hartford police said. "
        "The Southwest team worked with narcotics detectives."
    )
    args: dict[str, Any] = {"title": title, "text": text, "language": "en"}
    scores = country_relevance(
        **args,
        places=[("US", 1, 1), ("CM", 0, 2)],
        place_names=[("Hartford", "US"), ("Hartford", "US"), ("Southwest", "CM")],
    )
    assert next(iter(scores)) == "US"
    assert "CM" not in scores
    kept = country_relevance(
        title="Floods in North West province.",
        text="South Africa's North West province declared a disaster after the rains.",
        language="en",
        places=[("ZA", 1, 2)],
        place_names=[("North West", "ZA"), ("North West", "ZA")],
    )
    assert is_about(kept, "ZA")
