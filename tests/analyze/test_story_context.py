"""Reading an article with its story: cluster context for attribution, and security stories
the clusterer split joined before ranking (issue #9, real news weeks)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from watchfloor.analyze.casualties import head_counts
from watchfloor.analyze.developments import (
    _merge_split_stories,
    _story_verdict,
    _where,
    distinctive_names,
    led_elsewhere,
)
from watchfloor.analyze.facts import ArticleFacts, PlaceFact
from watchfloor.enrich.relevance import names_a_country
from watchfloor.enrich.security import SecurityAssessment

WHEN = datetime(2026, 6, 25, 4, 0, tzinfo=UTC)


def _article(
    id: int,
    title: str,
    countries: dict[str, tuple[float, bool]],
    *,
    cluster: str = "c1",
    language: str = "mn",
    categories: dict[str, float] | None = None,
) -> ArticleFacts:
    return ArticleFacts(
        id=id,
        title=title,
        body="",
        url=f"https://outlet{id}.example/{id}",
        published=WHEN,
        language=language,
        outlet=f"outlet {id}",
        source_id=id,
        cluster_id=cluster,
        enriched_version=None,
        in_period=True,
        categories=categories or {},
        countries=countries,
        source_countries=("MN",),
    )


def test_names_a_country_sees_names_regions_and_domestic_terms_only() -> None:
    assert names_a_country("Францад халуун агаарын улмаас 40 хүн нас баржээ")
    assert names_a_country("Европт халуун үргэлжилж байна")
    assert names_a_country("УИХ-ын чуулган өнөөдөр хуралдана")
    assert not names_a_country("Сэрүүцэхээр ус руу орсон 40 хүн живж амиа алджээ")


def test_an_article_without_a_signal_follows_its_story_told_elsewhere() -> None:
    bare = _article(1, "Сэрүүцэхээр ус руу орсон 40 хүн живж амиа алджээ", {"MN": (0.75, True)})
    told = _article(
        2,
        "Францад халуун агаарын улмаас 40 хүн нас баржээ",
        {"FR": (0.8, True), "MN": (0.1, False)},
    )
    found = led_elsewhere([bare, told], "MN")
    assert list(found) == [bare.id]
    assert "FR" in found[bare.id]


def test_a_story_with_no_signal_at_all_keeps_the_prior() -> None:
    bare = _article(1, "Сэрүүцэхээр ус руу орсон 40 хүн живж амиа алджээ", {"MN": (0.75, True)})
    other = _article(2, "Ус руу орсон хүн живжээ", {"MN": (0.75, True)})
    assert led_elsewhere([bare, other], "MN") == {}


def test_a_story_one_of_whose_articles_is_about_the_country_stays_with_it() -> None:
    bare = _article(1, "Сэрүүцэхээр ус руу орсон 40 хүн живж амиа алджээ", {"MN": (0.75, True)})
    home = _article(2, "Улаанбаатарт 40 хүн живжээ", {"MN": (0.9, True)})
    abroad = _article(3, "Францад 40 хүн живжээ", {"FR": (0.8, True), "MN": (0.1, False)})
    assert led_elsewhere([bare, home, abroad], "MN") == {}


def test_security_stories_the_clusterer_split_are_joined() -> None:
    health = {"disaster_public_health": 0.9}
    run_over = _article(
        1,
        "Two conscripts killed and injured by a truck in a Bayankhongor training accident",
        {"MN": (0.75, True)},
        cluster="a",
        language="en",
        categories=health,
    )
    injuries = _article(
        2,
        "Conscript injured by the truck in the Bayankhongor training accident has a ruptured liver",
        {"MN": (0.75, True)},
        cluster="b",
        language="en",
        categories=health,
    )
    flood = _article(
        3,
        "Flood warning: the Tuul river rises over its banks near the capital",
        {"MN": (0.75, True)},
        cluster="c",
        language="en",
        categories=health,
    )
    groups = {"a": [run_over], "b": [injuries], "c": [flood]}
    cache: dict[int, SecurityAssessment] = {}
    merged = _merge_split_stories(groups, cache)
    assert sorted(sorted(a.id for a in arts) for arts in merged.values()) == [[1, 2], [3]]


def test_security_articles_that_count_make_the_development_of_a_mostly_other_story() -> None:
    """Pay talks told by five outlets, the strike that interrupted them by two: the story
    is security news and its development is the two strike articles."""
    mn = {"MN": (0.8, True)}
    talks = [
        _article(i, f"Цалингийн хэлэлцээр үргэлжилж байна, {i}-р өдөр", mn) for i in range(1, 6)
    ]
    strike = [
        _article(6, "Дулааны цахилгаан станцын ажилчид ажил хаялт зарлалаа", mn),
        _article(7, "Эрчим хүчний салбарын ажилчид ажил хаяжээ", mn),
    ]
    verdict, told = _story_verdict([*talks, *strike])
    assert verdict.is_security
    assert verdict.kind == "strike"
    assert [a.id for a in told] == [6, 7]
    # one minor security article among seven does not carry the story
    verdict, told = _story_verdict([*talks, _article(8, "Цагдаа хэлэлцээрт оролцов", mn)])
    assert not verdict.is_security
    assert len(told) == 6


def _stories(
    *titles: str, categories: dict[str, float] | None = None
) -> dict[str, list[ArticleFacts]]:
    """One story (cluster) per title, all about MN, in cluster order s0, s1, ..."""
    mn = {"MN": (0.8, True)}
    return {
        f"s{i}": [_article(i + 1, t, mn, cluster=f"s{i}", categories=categories)]
        for i, t in enumerate(titles)
    }


def _joined(groups: dict[str, list[ArticleFacts]]) -> list[list[int]]:
    merged = _merge_split_stories(groups, {})
    return sorted(sorted(a.id for a in arts) for arts in merged.values())


def test_a_case_and_its_court_hearing_join_on_the_acronym_they_share() -> None:
    """The hearing scheduled and the case sent to court share the body's acronym and one
    common word: too little for the rare-word rule, enough with the name."""
    groups = _stories(
        "ОНХС-ийн дарга асан албан тушаалаа урвуулан ашигласан хэргийг шүүхэд шилжүүлжээ",
        "ОНХС-гийн Б.Түмэнд холбогдох хэргийн шүүх хурлыг товложээ",
        # another court case, another body: no name in common
        "ЗГХЭГ-ын мэргэжилтэн хээл хахууль авсан хэргийн шүүх хурал болно",
    )
    assert _joined(groups) == [[1, 2], [3]]


def test_a_rubric_in_capitals_is_no_name() -> None:
    """A rubric in capitals ("ШУУРХАЙ МЭДЭЭ:", breaking news) opens many headlines: two
    crimes under it stay apart."""
    assert distinctive_names("ШУУРХАЙ МЭДЭЭ: ОНХС-ийн дарга баривчлагдлаа") == {"онхс"}
    assert distinctive_names("Б.Түмэнд ял оноов, J.Smith said") == {"б.түмэнд", "j.smith"}
    assert distinctive_names("АНУ-ын иргэнийг УИХ-ын гишүүн НҮБ-д илтгэв") == set()
    groups = _stories(
        "ШУУРХАЙ МЭДЭЭ: Хулгайн хэргээр хоёр хүнийг баривчиллаа",
        "ШУУРХАЙ МЭДЭЭ: Дархан хотын луйварчны хэргийг шүүхэд шилжүүллээ",
    )
    assert _joined(groups) == [[1], [2]]


def test_an_injuries_briefing_joins_the_accident_on_a_shared_phrase() -> None:
    """Each word of "үзүүлэх тоглолт" is in four stories of the period (the show was news
    all week), so no word of it is distinctive; the phrase, in two stories only, is."""
    groups = _stories(
        "Үзүүлэх тоглолтын үеэр хоёр хугацаат цэрэг автомашинд дайруулж бэртжээ",
        "Үзүүлэх тоглолтын үеэр болсон осол, хугацаат цэргүүдийн эрүүл мэндийн талаар",
        "Тоглолт үзүүлэх хугацаат цэргүүдийн бэлтгэл үеэр хүндэтгэл үзүүлэв",
        "Хугацаат алба хаагчид тоглолт үзүүлэх бэлтгэлээ базаав, сургуулилалтын үеэр",
        "Хэнтийд гарсан хээрийн түймрийг унтраав",
    )
    assert _joined(groups) == [[1, 2], [3], [4], [5]]


def test_a_story_with_no_place_that_says_abroad_happens_abroad() -> None:
    """No place found, the country's outlet and prior: the words say where. Another
    nationality's citizens abroad are abroad (their harm is not the country's); citizens
    abroad without a nationality are the outlet's own."""
    mn = {"MN": (0.8, True)}
    korean = _article(1, "Хилийн чанадад байгаа хятад иргэдийг хулгайлах хэрэг нэмэгджээ", mn)
    own = _article(2, "Хилийн чанадад осолдсон иргэдийн шарилыг эх оронд нь авчирна", mn)
    home = _article(3, "Хулгайлах хэрэг хоёр дахин нэмэгджээ", mn)
    assert _where([korean], "MN") == "abroad"
    assert _where([own], "MN") == "own_abroad"
    assert _where([home], "MN") == "in_country"


def test_two_cases_sharing_only_the_formula_of_a_court_notice_stay_apart() -> None:
    """ "хэргийг шүүхэд шилжүүлжээ" (the case was sent to court) is how every such notice
    reads: two cases, a theft and a fraud, do not join on it."""
    groups = _stories(
        "Прокурор хулгайн хэргийг шүүхэд шилжүүлжээ, яллагдагч Дорж",
        "Прокурор луйврын хэргийг шүүхэд шилжүүлжээ, яллагдагч Бат",
        "Шүүхэд прокурор яллагдагчийн шилжүүлэх хэргийг ярилцав",
        "Прокурор яллагдагч нарын хэргийг шилжүүлэх журмыг шүүхэд танилцуулав",
    )
    assert _joined(groups) == [[1], [2], [3], [4]]


def _place(name: str) -> PlaceFact:
    return PlaceFact(
        text=name,
        start=0,
        name=name,
        country="MN",
        feature="admin1",
        lat=47.0,
        lng=100.0,
        key=name.casefold(),
        demonym=False,
        metonymy=False,
        in_title=True,
    )


def test_one_incident_told_in_other_words_joins_on_the_people_it_counts() -> None:
    """Two outlets tell the same accident with no phrase in common: one counts "цэргийн хоёр
    алба хаагч" (two servicemen of the army), the other "хоёр цэргийн" (of the two
    soldiers). The same count of the same people and the verb both use (run over) make it
    one incident; a fire of the same week stays apart."""
    groups = _stories(
        "Сургуулилтын талбайд хугацаат цэргийн хоёр алба хаагч машинд дайруулж гэмтжээ",
        "Ангийн захирагч: дайруулсан хоёр цэргийн нэг нь хүнд байна",
        "Хэнтийд гарсан хээрийн түймрийг хоёр өдөр унтраав",
    )
    assert _joined(groups) == [[1, 2], [3]]


def test_the_same_count_in_two_places_or_days_apart_is_two_incidents() -> None:
    """Two road accidents, each with two drivers dead at night: one incident when nothing
    sets them apart, two when each names its own province, or when days lie between."""
    one = "Шөнө хоёр жолооч ачааны машинтай мөргөлдөж амь үрэгджээ"
    other = "Шөнө хоёр жолооч зам тээврийн осолд өртөж нас баржээ"
    assert _joined(_stories(one, other)) == [[1, 2]]
    placed = _stories(one, other)
    placed["s0"] = [replace(placed["s0"][0], places=[_place("Ховд")])]
    placed["s1"] = [replace(placed["s1"][0], places=[_place("Дархан-Уул")])]
    assert _joined(placed) == [[1], [2]]
    later = _stories(one, other)
    later["s1"] = [replace(later["s1"][0], published=WHEN + timedelta(days=5))]
    assert _joined(later) == [[1], [2]]


def test_people_in_general_dates_and_ages_are_no_count_of_an_incident() -> None:
    assert head_counts("Хоёр хүн нас барж, 30 настай эрэгтэй 2 дугаар хороонд") == set()
    assert (2, "цэргий") in head_counts("хугацаат цэргийн хоёр алба хаагч")
    assert (3, "soldie") in head_counts("Three soldiers were hit, two people hurt")
    assert not any(n == 2 for n, _ in head_counts("Three soldiers were hit, two people hurt"))
