"""Security relevance: sentences written for these tests in Mongolian, English, Russian and
Chinese, the packaged lexicon, and the dev half of the real Mongolian headlines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import need_corpus
from watchfloor.enrich.security import (
    SecurityAssessment,
    assess_security,
    casualty_count,
    extreme_temperature,
    get_lexicon,
    load_lexicon,
)
from watchfloor.errors import EnrichError

SECURITY_KINDS = {
    "armed_violence", "terrorism", "disaster", "accident", "public_health",
    "severe_weather_warning", "crime", "corruption", "cyber", "unrest", "strike", "defence",
    "border", "energy_supply", "political_crisis", "diplomacy",
}  # fmt: skip


def _check(a: SecurityAssessment) -> None:
    assert 0.0 <= a.score <= 1.0
    assert a.is_security == (a.score >= get_lexicon().bar)
    assert 0 <= a.severity <= 3
    assert (a.severity > 0) == a.is_security
    assert a.reason and a.kind


# --- weather ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Маргааш нутгийн зүүн хэсгээр бороо орж, цаг агаар сэрүүн байна",
        "Weather forecast: sunny in the capital, 25 degrees in the afternoon",
        "Прогноз погоды на выходные: облачно, без осадков",
        "明天天气多云，气温二十五度",
    ],
)
def test_routine_weather_forecast_is_not_security(title: str) -> None:
    a = assess_security(title)
    _check(a)
    assert not a.is_security
    assert a.kind == "weather"
    assert a.reason.startswith("not security: routine weather forecast")


@pytest.mark.parametrize(
    "title",
    [
        "Цасан шуурга шуурч, зам хаагдахыг анхааруулж байна",
        "Storm warning issued for the eastern provinces",
        "Штормовое предупреждение: ожидается ураган",
        "气象台发布台风预警",
        "Улаанбаатарт усархаг аадар бороо орохыг анхааруулав",
    ],
)
def test_storm_warning_is_security(title: str) -> None:
    a = assess_security(title)
    _check(a)
    assert a.is_security
    assert a.kind == "severe_weather_warning"
    assert a.severity == 2


# --- sport, festivals, awards, markets ----------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Улсын наадамд 512 бөх барилдаж, шинэ аварга тодорно",
        "Naadam festival programme: wrestling, archery and horse racing",
        "Борцы из Монголии выиграли турнир Наадам",
        "那达慕摔跤比赛明天开幕",
    ],
)
def test_naadam_wrestling_is_not_security(title: str) -> None:
    a = assess_security(title)
    _check(a)
    assert not a.is_security
    assert a.kind in {"sport", "festival"}


@pytest.mark.parametrize(
    "title",
    [
        "Цэргийн спортын тэмцээнд манай алба хаагчид Турк улсад хүрэл медаль хүртлээ",
        "Mongolian soldiers win silver at the international military sports competition",
        "Военнослужащие Монголии завоевали медали на армейских соревнованиях в Казахстане",
        "蒙古军人在国际军事体育比赛中获得奖牌",
    ],
)
def test_military_sports_competition_abroad_is_not_security(title: str) -> None:
    a = assess_security(title, categories=["military_defence"])
    _check(a)
    assert not a.is_security or a.severity <= 1
    assert not a.is_security
    assert a.kind in {"sport", "award"}
    assert "outweighs weak defence" in a.reason


def test_police_football_cup_is_not_security() -> None:
    a = assess_security("Цагдаагийн байгууллагын хөл бөмбөгийн цомын тэмцээн боллоо")
    assert not a.is_security
    assert a.kind == "sport"


@pytest.mark.parametrize(
    "title",
    [
        "Төрийн шагнал гардуулах ёслол Төрийн ордонд боллоо",
        "Film director receives lifetime achievement award",
        "Церемония вручения премии лучшим журналистам года",
        "年度新闻奖颁奖典礼举行",
    ],
)
def test_award_ceremony_is_not_security(title: str) -> None:
    a = assess_security(title)
    _check(a)
    assert not a.is_security
    assert a.kind == "award"


@pytest.mark.parametrize(
    "title",
    [
        "Ам.долларын ханш 3,450 төгрөг болж өслөө",
        "Stock market index closes higher as the exchange rate steadies",
        "Курс тугрика к доллару снизился на бирже",
        "蒙古图格里克汇率下跌，股市收高",
    ],
)
def test_exchange_rate_and_markets_are_not_security(title: str) -> None:
    a = assess_security(title)
    _check(a)
    assert not a.is_security
    assert a.kind == "market"


def test_culture_tourism_and_festival_are_not_security() -> None:
    for title, kind in [
        ("Монгол уран бүтээлчдийн зургийн үзэсгэлэн Парист нээгдлээ", "culture"),
        ("Аялал жуулчлалын улирал эхэлж, жуулчдын тоо нэмэгдэв", "tourism"),
        ("Тайга фестиваль Бугат суманд болно", "festival"),
    ]:
        a = assess_security(title)
        assert not a.is_security, title
        assert a.kind == kind, title


# --- crime and corruption -----------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Цагдаагийн байгууллага хээл хахууль авсан хэргээр сумын Засаг даргыг баривчиллаа",
        "Police arrest a customs officer for taking bribes",
        "Полиция задержала чиновника по подозрению во взятке",
        "警方以受贿罪逮捕一名海关官员",
    ],
)
def test_police_arrest_for_bribery(title: str) -> None:
    a = assess_security(title)
    _check(a)
    assert a.is_security
    assert a.kind in {"corruption", "crime"}
    assert a.severity == 2


def test_strong_cue_wins_over_a_topical_negative() -> None:
    a = assess_security("Бөхийн барилдааны үеэр хээл хахууль авсан шүүгчийг баривчиллаа")
    assert a.is_security
    assert a.kind in {"corruption", "crime"}
    assert "outweighs sport" in a.reason
    killed = assess_security("Two spectators killed in a crush at the football stadium")
    assert killed.is_security
    assert killed.severity == 2


@pytest.mark.parametrize(
    ("title", "lead"),
    [
        (
            "Сангийн захирал ₮2 тэрбумыг дүрэм зөрчиж олгожээ",
            "Прокурорын байгууллагаас сангийн захиралд холбогдох хэргийг шүүхэд шилжүүлжээ.",
        ),
        ("Хотын даргын орлогч", "Түүнийг яллагдагчаар татаж, яллах дүгнэлт үйлдсэн байна."),
        ("Бывший глава фонда", "В отношении него возбуждено уголовное дело о растрате."),
        ("Former fund director", "He was indicted on Tuesday and will stand trial in May."),
    ],
)
def test_criminal_proceedings_in_the_lead_make_it_security(title: str, lead: str) -> None:
    """A headline naming only the person or the sum: the lead's case sent to court, the
    indictment or the criminal case opened says it is security news."""
    a = assess_security(title, lead)
    _check(a)
    assert a.is_security
    assert a.kind in {"crime", "corruption"}
    assert a.severity == 2


def test_official_misconduct_outweighs_a_business_word() -> None:
    a = assess_security(
        "Сангийн түр орлон гүйцэтгэгч нь үүргээ биелүүлээгүй ₮1 тэрбумын санхүүжилт олгожээ",
        "Прокурорын байгууллагаас хэргийг шүүхэд шилжүүлжээ. Албан тушаалын байдлаа "
        "урвуулан ашигласан гэж үзэж байна.",
    )
    assert a.is_security
    assert a.kind == "corruption"


def test_a_judge_appointed_is_not_security() -> None:
    assert not assess_security("Ж.Батыг Улсын дээд шүүхийн шүүгчээр томиллоо").is_security


def test_soldiers_hurt_at_a_show_are_news_about_the_soldiers() -> None:
    """The show's word ("тоглолт", a performance or a game) does not outweigh an accident
    that names the soldiers; a contest without harm stays out."""
    a = assess_security("Үзүүлэх тоглолтын үеэр болсон осол, цэргийн алба хаагчдын эрүүл мэнд")
    _check(a)
    assert a.is_security
    assert a.severity == 2
    show = assess_security("Цэргийн алба хаагчдын үзүүлэх тоглолт амжилттай боллоо")
    assert not show.is_security


# --- disasters, deaths and severity ---------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Газар хөдлөлтийн улмаас хэдэн зуун хүн амь үрэгджээ",
        "Earthquake kills hundreds in the mountain region",
        "Землетрясение унесло жизни сотен человек",
        "地震造成数百人死亡",
        "Хүчтэй газар хөдлөлтөөр 312 хүн нас барж, 2 мянга гаруй хүн гэмтжээ",
    ],
)
def test_earthquake_killing_hundreds_is_severity_3(title: str) -> None:
    a = assess_security(title)
    _check(a)
    assert a.is_security
    assert a.severity == 3
    assert a.kind == "disaster"


def test_casualty_count() -> None:
    assert casualty_count("газар хөдлөлтийн улмаас 188 хүн нас барж") == 188
    assert casualty_count("the death toll rose to 1,400") == 1400
    assert casualty_count("погибли 12 человек") == 12
    assert casualty_count("事故造成3人死亡") == 3
    assert casualty_count("таван бяцхан амь осолджээ") == 5
    assert casualty_count("2026 оны зургадугаар сарын 23") == 0


def test_single_road_death_is_severity_2_and_a_bomb_is_3() -> None:
    road = assess_security("Зам тээврийн осолд нэг иргэн нас баржээ")
    assert road.is_security
    assert road.kind == "accident"
    assert road.severity == 2
    bomb = assess_security("A bomb exploded near the market, police said")
    assert bomb.is_security
    assert bomb.kind == "armed_violence"
    assert bomb.severity == 3


# --- unrest, strikes, defence, border, energy, cyber, politics ------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Сүхбаатарын талбайд олон зуун иргэн жагсаал хийв", "unrest"),
        ("Эрчим хүчний салбарын ажилчид ажил хаялт зарлалаа", "strike"),
        ("Thousands protest against the mining law in the capital", "unrest"),
        ("Teachers went on strike over pay", "strike"),
        ("Тысячи человек вышли на митинг протеста", "unrest"),
        ("Водители автобусов объявили забастовку", "strike"),
        ("数千名矿工罢工抗议", "strike"),
    ],
)
def test_protest_and_strike_are_security(title: str, kind: str) -> None:
    a = assess_security(title)
    _check(a)
    assert a.is_security
    assert a.kind == kind
    assert a.severity == 2


@pytest.mark.parametrize(
    "title",
    [
        "Батлан хамгаалахын сайд ОХУ-ын хамтрагчтайгаа хилийн асуудлаар хэлэлцээ хийлээ",
        "Defence minister holds talks with his Chinese counterpart on border security",
        "Министр обороны провёл переговоры о безопасности границы",
        "国防部长就边境安全问题举行会谈",
    ],
)
def test_defence_minister_talks_on_border_is_security(title: str) -> None:
    a = assess_security(title)
    _check(a)
    assert a.is_security
    assert a.kind in {"defence", "border", "diplomacy"}
    assert a.severity >= 1


def test_courtesy_visit_is_weak_and_defence_talks_are_not() -> None:
    visit = assess_security("Элчин сайд Соёлын яамны сайдтай уулзлаа")
    assert not visit.is_security
    assert visit.kind in {"diplomacy", "culture"}
    talks = assess_security("Монгол, Хятадын хооронд хилийн боомтыг хаасан асуудлаар хэлэлцээ хийв")
    assert talks.is_security
    assert talks.kind == "border"
    assert talks.severity == 2


def test_other_security_kinds() -> None:
    cases = [
        ("Засгийн газрын цахим системд хакерууд халдаж, мэдээлэл алдагдсан", "cyber"),
        (
            "Нийслэлийн зүүн хэсгээр цахилгаан тасарч, 40 мянган өрх гэрэлгүй болсон",
            "energy_supply",
        ),
        ("Ерөнхий сайдыг огцруулах санал хураалт явагдана", "political_crisis"),
        ("Хил зөрчсөн гадаадын иргэдийг хилчид саатуулжээ", "border"),
        ("Сэлэнгэ аймагт ой хээрийн түймэр гарч 300 га талбайг хамарлаа", "disaster"),
    ]
    for title, kind in cases:
        a = assess_security(title)
        assert a.is_security, title
        assert a.kind == kind or (kind == "border" and a.kind == "crime"), (title, a)


# --- reasons and categories -----------------------------------------------------------------


def test_reason_names_the_matched_cue_and_its_gloss() -> None:
    a = assess_security("Төв аймагт буудсан хэргийн улмаас хоёр хүн шархаджээ")
    assert a.is_security
    assert a.kind == "armed_violence"
    assert a.reason.startswith('armed violence: "буудсан" (shooting)')
    w = assess_security("Өнөөдөр цаг агаар дулаан")
    assert w.reason == 'not security: routine weather forecast "цаг агаар" (weather forecast)'


def test_other_category_alone_never_makes_it_security() -> None:
    for title in ["", "Хотын төвд шинэ цэцэрлэг нээгдлээ", "A new park opened downtown"]:
        a = assess_security(title, categories=["other"])
        assert not a.is_security
        assert a.score == 0.0
        assert a.kind == "other"


def test_categories_support_cues_but_alone_stay_under_the_bar() -> None:
    no_cue = "Хотын төвд шинэ барилга ашиглалтад орлоо"
    alone = assess_security(no_cue, categories=["terrorism_armed_violence", "crime", "cyber"])
    assert not alone.is_security
    assert 0.0 < alone.score < get_lexicon().bar
    assert "category" in alone.reason
    weak = "Цэргийн анги шинэ байранд орлоо"
    assert not assess_security(weak).is_security
    assert (
        assess_security(weak, categories=["military_defence"]).score > assess_security(weak).score
    )


def test_body_text_counts_less_than_the_title() -> None:
    title_hit = assess_security("Гурван хүнийг баривчиллаа")
    body_hit = assess_security("Шинэ мэдээ", "Цагдаа гурван хүнийг баривчиллаа")
    assert title_hit.is_security and body_hit.is_security
    assert body_hit.score < title_hit.score


def test_the_bar_can_be_set_per_call() -> None:
    title = "Элчин сайд гадаад хэргийн сайдтай уулзлаа"
    assert not assess_security(title).is_security
    assert assess_security(title, bar=0.2).is_security


def test_lexicon_rejects_a_term_in_two_cues(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        """
[kinds.security]
crime = "crime"
[kinds.not_security]
sport = "sport"
[[cue]]
gloss = "arrest"
kind = "crime"
weight = 0.8
severity = 2
en = ["arrest"]
[[cue]]
gloss = "sport"
kind = "sport"
weight = 0.5
en = ["arrest"]
""",
        encoding="utf-8",
    )
    with pytest.raises(EnrichError, match="belongs to cue"):
        load_lexicon(bad)
    with pytest.raises(EnrichError, match="cannot read"):
        load_lexicon(tmp_path / "missing.toml")


def test_packaged_lexicon_kinds_are_the_documented_ones() -> None:
    lex = get_lexicon()
    assert lex.security_kinds == SECURITY_KINDS
    for cue in lex.cues:
        assert cue.security == (cue.kind in SECURITY_KINDS)
        assert cue.severity >= 1 or not cue.security


# --- the dev half of the real Mongolian headlines -------------------------------------------


def test_dev_headlines_share_of_security() -> None:
    """On even days only (the dev half), about a tenth of Mongolian outlets' headlines are
    security matters; sport and festival coverage of the Naadam season is not."""
    corpus = need_corpus("mongolia-news-headlines") / "daily"
    seen: set[str] = set()
    verdicts = []
    for path in sorted(corpus.glob("*.json")):
        if int(path.stem[-2:]) % 2:
            continue
        for rec in json.loads(path.read_text(encoding="utf-8")):
            if rec["url"] in seen:
                continue
            seen.add(rec["url"])
            title = re.sub(r"\s+", " ", rec["title"])
            verdicts.append(assess_security(title, rec.get("summary") or ""))
    assert len(verdicts) > 500
    share = sum(v.is_security for v in verdicts) / len(verdicts)
    assert 0.05 <= share <= 0.2, share
    kinds = {v.kind for v in verdicts if not v.is_security}
    assert {"sport", "festival", "weather", "market"} <= kinds


def test_a_contest_headline_keeps_its_body_events_out_of_security() -> None:
    """Marksmanship and casualty care are events of a military contest, not violence."""
    body = (
        "Цэргүүд буудлага, шархадсан хүнд анхны тусламж үзүүлэх, саадтай гүйлтийн төрөлд өрсөлдөнө."
    )
    found = assess_security("Монгол цэргүүд олон улсын тэмцээнд оролцож байна", body)
    assert not found.is_security and found.severity == 0
    assert found.kind == "sport"
    # a death at the contest is still news
    assert assess_security("Soldier killed during military sports competition").is_security


def test_an_exercise_is_defence_only_beside_armed_forces() -> None:
    drill = assess_security(
        "Neighbours to hold joint exercise in June",
        "Troops of both armies will rehearse live-fire manoeuvres after the smaller training.",
    )
    assert drill.is_security and drill.kind == "defence" and drill.severity == 1
    assert not assess_security("Doctors say daily exercise cuts heart risk").is_security
    counter = assess_security(
        "Army exercise to rehearse counter-terrorism skills", "Units train on a range."
    )
    assert counter.kind != "terrorism" and counter.severity <= 1


def test_live_fire_exercise_is_defence_not_armed_violence() -> None:
    drill = assess_security(
        "Хамтарсан байлдааны буудлагатай тактикийн хээрийн сургуулилалт эхэллээ"
    )
    assert drill.is_security and drill.kind == "defence" and drill.severity == 1
    attack = assess_security("Gunmen open fire at police post, two killed")
    assert attack.kind == "armed_violence" and attack.severity == 3


def test_a_routine_bulletin_is_minor_unless_people_died() -> None:
    bulletin = assess_security("Аюулт үзэгдэл ослын нөхцөл байдлын мэдээ")
    assert bulletin.is_security and bulletin.severity == 1
    assert assess_security("2026.06.29, 30: Цахилгаан хязгаарлах байршлууд").severity == 1
    deadly = assess_security("Situation report: floods killed 12 in the west")
    assert deadly.severity == 3


@pytest.mark.parametrize(
    "title",
    [
        "ОНХС-гийн Б.Түмэнд холбогдох хэргийн шүүх хурлыг товложээ",
        "Хотын захиргааны мэргэжилтэнд холбогдох хэргийг прокурор хянаж байна",
        "Нярав Д.Дорж холбогдох хэрэгт шүүх хурал болно",
        "Газрын албаны даргын хэргийн шүүх хурал маргааш болно",
    ],
)
def test_a_case_against_a_person_and_its_trial_are_criminal_proceedings(title: str) -> None:
    """ "X-д холбогдох хэрэг" (the case against X) and "хэргийн шүүх хурал" (the trial of a
    case) are steps of a criminal case: significant, not a routine court notice."""
    a = assess_security(title)
    _check(a)
    assert a.is_security
    assert a.kind in {"crime", "corruption"}
    assert a.severity == 2


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        # a stabbing, a slashing with a razor, a beating
        ("Согтуу эрэгтэй хамт амьдрагчаа хутгалжээ", "crime"),
        ("Маргалдсан залуу найзынхаа нүүрийг заазуурджээ", "crime"),
        ("Хоёр залуу таксины жолоочийг зодож гэмтээжээ", "crime"),
        # theft as a noun: a thief, a theft committed, a theft case, poaching
        ("Дэлгүүрээс хулгай хийсэн этгээдийг илрүүлжээ", "crime"),
        ("Малын хулгайч нарыг мөрдөж байна", "crime"),
        ("Хулгайн ангийн хэргээр хоёр хүн шалгагдаж байна", "crime"),
        # the sentence served
        ("Хуучин дарга зургаан жилийн ял авсан", "crime"),
        # road accidents told by their verb: collided, overturned, hit by a car
        ("Улаанбаатар-Дархан чиглэлд хоёр автомашин мөргөлдсөн", "accident"),
        ("Зорчигч тээврийн автобус замаас гарч онхолджээ", "accident"),
        ("Явган зорчигч автомашинд мөргүүлжээ", "accident"),
    ],
)
def test_mongolian_crime_and_accident_verbs_are_security(title: str, kind: str) -> None:
    """Mongolian says a crime or an accident with its verb or its doer, not only with the
    words "crime" or "accident"."""
    a = assess_security(title)
    _check(a)
    assert a.is_security, a
    assert a.kind == kind
    assert a.severity == 2


def test_theft_as_a_figure_of_speech_and_a_clash_stay_apart() -> None:
    """ "хуулийн хулгай" (a "theft" of the law) is an opinion, not a theft; "мөргөлдөөн" (a
    clash) stays armed violence, not a collision; stirring is not stabbing."""
    assert not assess_security("Хоёр гишүүний хуулийн хулгай").is_security
    # "хутгалаа" is "stirred" (хутгах), not "stabbed" (хутгалах): "бантан хутгалаа", made a mess
    assert not assess_security("Сайд хуулиа УИХ дээр бантан хутгалаа").is_security
    assert assess_security("Хилийн мөргөлдөөнд хоёр цэрэг шархаджээ").kind != "accident"


@pytest.mark.parametrize(
    "title",
    [
        "Гомдлын 40 гаруй хувь нь гэмт хэргийн шинжтэй байжээ",
        "Сүүлийн гурван жилд хар тамхины гэмт хэрэг хоёр дахин өсчээ",
        "Оны эхнээс хойш залилангийн гэмт хэрэг 12% буурсан",
        "Fraud cases rose 30 percent since the start of the year",
    ],
)
def test_crime_statistics_are_routine(title: str) -> None:
    """Crime summed up over a period or as a share is a statistic, not a case: still
    security, but minor, so it ranks below an arrest or a trial."""
    a = assess_security(title)
    _check(a)
    assert a.is_security
    assert a.severity == 1
    assert a.reason.startswith("statistics")


def test_a_case_with_a_sum_or_a_count_is_no_statistic() -> None:
    a = assess_security("Гурван хүнийг залилангийн хэргээр баривчилжээ, хохирол ₮2 тэрбум")
    assert a.severity == 2
    assert not a.reason.startswith("statistics")


def test_a_lawsuit_and_contact_advice_are_not_criminal_proceedings() -> None:
    assert not assess_security("Компани яамыг шүүхэд өгчээ").severity >= 2
    assert assess_security("Асуудал гарвал цагдаад холбогдох хэрэгтэй").severity <= 1


def test_grouped_cue_pattern_matches_as_the_flat_alternation_does() -> None:
    """The compiled pattern groups the words by first character (a speed-up of the report's
    scan of every story); it must find exactly what one alternation of every word, longest
    first, finds: shared prefixes, whole-word terms, spaces and Chinese included."""
    from watchfloor.enrich.security import _CJK, _compile, _compile_split, _finditer, _term_regex

    terms = {
        t: 0
        for t in (
            "attack",
            "attacks on",
            "att.",
            "a",
            "arm",
            "armed men",
            "armed",
            "шок",
            "шок.",
            "ш",
            "bomb",
            "bombing",
            "b.",
            "-ray",
            "爆炸",
            "爆",
        )
    }
    ordered = sorted(terms, key=lambda t: (-len(t), t))
    flat = re.compile(
        r"(?<!\w)(?:"
        + "|".join(_term_regex(t) for t in ordered if not _CJK.search(t))
        + ")|(?:"
        + "|".join(re.escape(t) for t in ordered if _CJK.search(t))
        + ")"
    )
    grouped = _compile(terms)
    assert grouped.pattern != flat.pattern
    texts = [
        "armed men attacks on the att. a bombing b. bomb armedmen arm",
        "шок шокирован ш. x-ray -ray 爆炸 爆 a-attack attack-ers",
        "attacks  on\nthe armed\tmen; att.x att b.c bombings",
        "爆炸attack 爆a 爆 armed爆炸 arm爆 a 爆炸爆a",
    ]
    split = _compile_split(terms)
    for text in texts:
        expected = [(m.start(), m.end()) for m in flat.finditer(text)]
        assert [(m.start(), m.end()) for m in grouped.finditer(text)] == expected
        # ... and the two patterns of the scan find it too.
        assert [(m.start(), m.end()) for m in _finditer(*split, text)] == expected


# --- vocabulary added from the dev half's misses (issue #9) -------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Улсын баярт зориулсан цэргийн жагсаалд 6,000 алба хаагч оролцоно",
        "Цэргийн ёслолын жагсаалын бэлтгэл сургуулилалт эхэллээ",
        "Military parade through the capital: 6,000 troops take part",
        "Военный парад пройдёт на главной площади",
    ],
)
def test_a_military_parade_is_defence_at_severity_1(title: str) -> None:
    """A parade of troops shows the armed forces (docs/labels.md: parades are defence, 1)."""
    a = assess_security(title)
    _check(a)
    assert a.is_security, a
    assert a.kind == "defence"
    assert a.severity == 1


def test_a_parade_without_troops_stays_a_festival() -> None:
    a = assess_security("Carnival parade and street festival close the summer holiday")
    assert not a.is_security
    assert a.kind == "festival"


@pytest.mark.parametrize(
    "title",
    [
        "Пентагон хиймэл оюуныг цэргийн байг тодорхойлоход ашиглана",
        "НАТО-гийн дээд хэмжээний уулзалт Анкарад болно",
        "NATO summit opens with talks on air defence",
        "Дрон цэргийн байгууламжийг онилжээ",
    ],
)
def test_defence_institutions_and_military_targets_are_defence(title: str) -> None:
    """The US defence ministry and the military alliance are defence institutions; a
    military target or installation is a defence matter."""
    a = assess_security(title)
    _check(a)
    assert a.is_security, a
    assert a.kind == "defence"


@pytest.mark.parametrize(
    "title",
    [
        "Хоёр улсын төлөөлөгчид Оманы зуучлалаар шууд бус хэлэлцээ хийжээ",
        "Indirect talks between the two adversaries resume in Doha",
        "Непрямые переговоры сторон продолжатся на следующей неделе",
    ],
)
def test_indirect_talks_are_diplomacy_with_security_weight(title: str) -> None:
    """Talks held through a mediator are held between parties that will not meet: a
    conflict, like peace talks."""
    a = assess_security(title)
    _check(a)
    assert a.is_security, a
    assert a.kind == "diplomacy"


def test_talks_alone_stay_weak() -> None:
    assert not assess_security("Монгол, Японы төлөөлөгчид хэлэлцээ хийжээ").is_security
    # civil mediation is not diplomacy at all
    assert not assess_security("Эвлэрүүлэн зуучлалын төвийн үйлчилгээ өргөжлөө").is_security


@pytest.mark.parametrize(
    "title",
    [
        "ЗАВХАН: Мал, амьтны шилжилт хөдөлгөөнийг хориглосон хугацааг сунгав",
        "Шүлхийн голомттой сумд хорио цээр тогтоожээ",
        "Хотод хөл хорио тогтоохгүй гэж мэдэгдэв",
        "Quarantine on livestock imports extended for a month",
    ],
)
def test_a_quarantine_or_movement_ban_is_public_health_at_severity_1(title: str) -> None:
    a = assess_security(title)
    _check(a)
    assert a.is_security, a
    assert a.kind == "public_health"
    assert a.severity <= 2


def test_a_quarantine_alone_is_minor_and_migration_is_no_cue() -> None:
    assert assess_security("Мал, амьтны шилжилт хөдөлгөөнийг хязгаарлав").severity == 1
    assert not assess_security("Хүн амын шилжилт хөдөлгөөн нэмэгджээ").is_security


def test_an_officials_case_is_official_misconduct() -> None:
    """ "албан тушаалтны хэрэг" is the case of an official, as "X-д холбогдох хэрэг" is."""
    a = assess_security("Яамны хоёр албан тушаалтны хэргийг 30 хоногийн дотор шийдвэрлэнэ")
    _check(a)
    assert a.is_security
    assert a.kind == "corruption"


def test_slander_only_supports_another_crime_cue() -> None:
    """Slander is an offence at law but also a word for political smears: alone it stays
    under the bar; beside a crime told in the lead it tips the verdict."""
    assert not assess_security("Гишүүнийг гүтгэсэн гэж мэдэгдэв").is_security
    lead = "Уурхайгаас нүүрс хулгай хийдэг болсон"
    assert not assess_security("Уурхайн маргаан", lead).is_security
    a = assess_security("Уурхайн маргаан ба гүтгэлэг", lead)
    _check(a)
    assert a.is_security
    assert a.kind == "crime"


def test_a_construction_project_is_business_unless_someone_was_hurt() -> None:
    a = assess_security("Хилийн боомтын төмөр замын бүтээн байгуулалт 60 хувьд хүрчээ")
    assert not a.is_security
    assert a.kind == "business"
    hurt = assess_security("Барилгын бүтээн байгуулалтын талбайд ажилчин осолдож нас баржээ")
    assert hurt.is_security
    assert hurt.severity >= 2


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        # fraud (the criminal code's "залилах"), money laundering, rape, arson
        ("Иргэдийг онлайнаар залилсан этгээдийг илрүүлжээ", "crime"),
        ("Компанийн захирал мөнгө угаасан хэргээр шалгагдаж байна", "crime"),
        ("Насанд хүрээгүй охиныг хүчиндсэн этгээд", "crime"),
        ("Хөршийнхөө гэрийг галдан шатаажээ", "crime"),
        # embezzlement (the code's "шамшигдуулах")
        ("Сангийн хөрөнгийг шамшигдуулсан гэх мэдээлэл гарчээ", "corruption"),
        # an avalanche or rubble, a lightning strike
        ("Уулчид нуранги дор үлджээ", "disaster"),
        ("Малчин аянгад цохиулж бэртжээ", "severe_weather_warning"),
    ],
)
def test_mongolian_crime_corruption_and_disaster_words(title: str, kind: str) -> None:
    a = assess_security(title)
    _check(a)
    assert a.is_security, a
    assert a.kind == kind
    assert a.severity == 2


def test_force_is_not_rape() -> None:
    """ "хүчинд" is the dative of "хүчин" (force): only the verb's forms are rape."""
    a = assess_security("Иргэд өөрсдийн хүчиндээ найдаж зам засчээ")
    assert a.kind != "crime"


def test_investigated_on_a_charge_is_criminal_proceedings() -> None:
    """ "X-ын хэргээр шалгагдаж байна": being investigated on a charge of X."""
    a = assess_security("Гурван албан хаагч татвараас зайлсхийсэн хэргээр шалгагдаж байна")
    _check(a)
    assert a.is_security
    assert a.kind == "crime"
    assert a.severity == 2


def test_a_wanted_notice_is_a_routine_police_notice() -> None:
    """ "эрэн сурвалжилж байна": the police are searching for a person (wanted or missing)."""
    a = assess_security("Энэ иргэнийг эрэн сурвалжилж байна")
    _check(a)
    assert a.is_security
    assert a.kind == "crime"
    assert a.severity == 1


# --- second dev draw: cues that follow from the language ----------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Олон бүс нутагт 50 хэмээс давж халжээ",
        "Говьд өнөөдөр +41 хэм хүрнэ",
        "Шөнөдөө -45 хэм хүйтэн байна",
        "Temperatures reached 44°C in the south",
    ],
)
def test_a_temperature_of_40_degrees_or_more_is_a_weather_warning(title: str) -> None:
    """The figure is the warning: whatever the forecast words around it, 40 degrees of heat
    or cold is extreme (docs/labels.md: +41 is security, +32 to +36 is not)."""
    a = assess_security(title)
    _check(a)
    assert a.is_security
    assert a.kind == "severe_weather_warning"
    assert a.severity == 1


@pytest.mark.parametrize(
    "title",
    [
        "Ойрын өдрүүдэд зарим нутгаар +36 хэм давж хална",
        "Улаанбаатарт өдөртөө 23 хэм дулаан",
        "Баруун аймгуудын ихэнх нутгаар +32 градус давж хална",
    ],
)
def test_ordinary_summer_heat_stays_a_forecast(title: str) -> None:
    a = assess_security(title)
    assert not a.is_security
    assert a.kind == "weather"


def test_extreme_temperature_reads_degrees_only() -> None:
    assert extreme_temperature("+39.6 градус хүрчээ", 40) is None
    assert extreme_temperature("+40,5 градус хүрчээ", 40) == "+40,5 градус"
    assert extreme_temperature("50 хэмээс давж", 40) == "50 хэмээс"
    # "хэмжээ" (size) and "хэмнэ" (save) are other words; a year is no temperature
    assert extreme_temperature("50 хэмжээний талбай", 40) is None
    assert extreme_temperature("45 хэмнэлт гаргав", 40) is None
    assert extreme_temperature("2026 онд 45 хувь", 40) is None


def test_an_appointment_is_personnel_news_even_to_head_the_police() -> None:
    """Appointments are not security (docs/labels.md); a strong cue beside one still is."""
    a = assess_security("Тээврийн цагдаагийн албаны даргаар Б.Батыг томиллоо")
    assert not a.is_security
    assert a.kind == "routine"
    assert not assess_security("Police chief appointed after long search").is_security
    b = assess_security("Баривчлагдсан даргын оронд шинэ даргыг томиллоо")
    _check(b)
    assert b.is_security and b.kind == "crime"
    # "томилолт" is a work trip, not an appointment
    assert get_lexicon().scan("томилолтоор") == []


def test_the_emergency_service_and_a_rescue_only_support_a_disaster() -> None:
    """ "Онцгой байдлын" drops the second vowel of "онцгой байдал" before its ending; the
    agency at work or a rescue is a weak cue: news only beside a disaster or an accident."""
    alone = assess_security("Онцгой байдлын алба хаагчид 30 иргэний амь насыг авран хамгааллаа")
    assert not alone.is_security
    assert alone.kind == "disaster" and "Онцгой байдлын" in alone.reason
    fire = assess_security("Онцгой байдлын алба хаагчид ойн түймрийг унтраав")
    no_agency = assess_security("Алба хаагчид ойн түймрийг унтраав")
    assert fire.is_security and fire.kind == "disaster"
    assert fire.score > no_agency.score
    flood = assess_security("Үерт автсан 30 иргэнийг аврагчид авран хамгааллаа")
    _check(flood)
    assert flood.is_security
    assert "авран хамгааллаа" in flood.reason or "аврагчид" in flood.reason
    # "аварга" (champion) and a team "saved" are other words
    found = get_lexicon().scan("Улсын аварга Харри Кейн Английг аварлаа")
    assert [c.kind for c, _ in found] == ["sport"]


@pytest.mark.parametrize(
    ("title", "lang"),
    [
        ("“Би Монгол төрийн цэргийн сургуулийн сурагч”", "mn"),
        ("Цэргийн их сургуулийн курсантууд хээрийн бэлтгэлд гарлаа", "mn"),
        ("Military academy cadets begin summer duty", "en"),
        ("Курсанты военного училища приняли присягу", "ru"),
    ],
)
def test_a_military_school_is_defence(title: str, lang: str) -> None:
    """Training of the armed forces' students is defence at severity 1 (docs/labels.md)."""
    a = assess_security(title, language=lang)
    _check(a)
    assert a.is_security
    assert a.kind == "defence"
    assert a.severity == 1


def test_a_border_port_alone_is_trade_and_closing_it_is_a_border_incident() -> None:
    """A border port named beside a meeting or a railway is trade; closed, it is news."""
    meeting = "Цагааннуур-Ташанта боомтын хамтын ажиллагааны асуудлаар уулзалт хийлээ"
    assert not assess_security(meeting).is_security
    closed = assess_security("Замын-Үүд боомтыг хаасан тул ачааны машинууд зогсов")
    _check(closed)
    assert closed.is_security and closed.kind == "border"
    drugs = assess_security("Боомтоор мансууруулах бодис хил нэвтрүүлсэн иргэнийг саатуулав")
    assert drugs.is_security and drugs.kind == "crime"


def test_the_extreme_temperature_line_is_read_from_the_lexicon(tmp_path: Path) -> None:
    from importlib import resources

    text = resources.files("watchfloor").joinpath("data/security.toml").read_text("utf-8")
    assert "extreme_temperature = 40" in text
    path = tmp_path / "security.toml"
    path.write_text(text.replace("extreme_temperature = 40", "extreme_temperature = 35"))
    title = "Ойрын өдрүүдэд зарим нутгаар +36 хэм давж хална"
    assert not assess_security(title).is_security
    assert assess_security(title, lexicon=load_lexicon(path)).is_security
