"""Labelled statements for the verifier, written for watchfloor (not taken from any corpus).

Each scenario is a small evidence pack (ids E1, E2 ...) from a week of 27 April to 3 May
2026, and statements a model might write from it, each with the verdict it should get:

* ``right``       — says what the evidence says, in its words or close to them (keep);
* ``reworded``    — says what the evidence says in other words (keep);
* ``number``      — a figure the evidence does not give (drop);
* ``place``       — a place the evidence does not name (drop);
* ``unsupported`` — a claim the evidence does not make (drop);
* ``period``      — a date outside the week that the evidence does not give (drop);
* ``citation``    — cites an id that is not in the pack (drop).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PERIOD = (date(2026, 4, 27), date(2026, 5, 3))
KEEP = frozenset({"right", "reworded"})


@dataclass(frozen=True)
class Case:
    scenario: str
    kind: str
    text: str
    cites: tuple[str, ...]

    @property
    def keep(self) -> bool:
        return self.kind in KEEP


SCENARIOS: dict[str, dict[str, tuple[str, str, date]]] = {
    "flood": {
        "E1": (
            "Heavy rain flooded three districts of Darkhan on 29 April, and emergency "
            "officials moved 1,200 residents to schools and gyms.",
            "en",
            date(2026, 4, 29),
        ),
        "E2": (
            "The National Emergency Management Agency said two people drowned in the "
            "Kharaa river and rescue teams were still searching for a missing herder.",
            "en",
            date(2026, 4, 30),
        ),
    },
    "exercise": {
        "E1": (
            "Mongolian and US troops opened the Khaan Quest peacekeeping exercise at the "
            "Five Hills training area near Ulaanbaatar on 28 April.",
            "en",
            date(2026, 4, 28),
        ),
        "E2": (
            "About 900 soldiers from 20 countries take part in the exercise, which runs "
            "until 12 May, the Ministry of Defence said.",
            "en",
            date(2026, 4, 28),
        ),
    },
    "border": {
        "E1": (
            "The Zamiin-Uud border crossing with China was closed for two days after a "
            "fire broke out in the customs warehouse on Thursday.",
            "en",
            date(2026, 4, 30),
        ),
        "E2": (
            "More than 600 coal trucks were left waiting on the Chinese side at Erenhot "
            "while inspectors assessed the damage.",
            "en",
            date(2026, 5, 1),
        ),
    },
    "cyber": {
        "E1": (
            "Hackers defaced the websites of four ministries on 1 May, posting a message "
            "that claimed the attack for a group calling itself Blue Wolf.",
            "en",
            date(2026, 5, 1),
        ),
        "E2": (
            "The General Intelligence Agency said no data was stolen and the sites were "
            "restored within six hours.",
            "en",
            date(2026, 5, 1),
        ),
    },
    "protest": {
        "E1": (
            "Around 3,000 people gathered on Sukhbaatar Square on 2 May to demand the "
            "resignation of the mining minister over a coal export deal.",
            "en",
            date(2026, 5, 2),
        ),
        "E2": (
            "Police said the rally was peaceful and that 14 people were detained for "
            "blocking traffic on Peace Avenue.",
            "en",
            date(2026, 5, 2),
        ),
    },
    "visit": {
        "E1": (
            "Foreign Minister Battsetseg met her Japanese counterpart in Tokyo on 27 April "
            "and signed a memorandum on rare earth exploration.",
            "en",
            date(2026, 4, 27),
        ),
        "E2": (
            "Japan pledged 50 million dollars in soft loans for a new power plant in "
            "Choibalsan, the ministry said.",
            "en",
            date(2026, 4, 28),
        ),
    },
    "arrest_mn": {
        "E1": (
            "Авлигатай тэмцэх газар Дархан-Уул аймгийн Засаг дарга Ж.Сүхбаатарыг 4 сарын "
            "30-нд баривчилжээ.",
            "mn",
            date(2026, 4, 30),
        ),
        "E2": (
            "Тэрээр 2.4 тэрбум төгрөгийн авлига авсан гэж сэжиглэгдэж байна.",
            "mn",
            date(2026, 4, 30),
        ),
    },
    "fire_mn": {
        "E1": (
            "Сэлэнгэ аймгийн Мандал суманд гарсан ойн түймэрт 5 сарын 1-ний байдлаар 3200 "
            "гектар талбай шатжээ.",
            "mn",
            date(2026, 5, 1),
        ),
        "E2": (
            "Онцгой байдлын 250 алба хаагч түймрийг унтраахаар ажиллаж байна.",
            "mn",
            date(2026, 5, 1),
        ),
    },
    "outbreak": {
        "E1": (
            "Health officials confirmed 37 cases of measles in Khovd province this week, "
            "most of them children under five.",
            "en",
            date(2026, 5, 1),
        ),
        "E2": (
            "Schools in Khovd town will stay closed until 8 May while nurses vaccinate "
            "pupils, the province governor said.",
            "en",
            date(2026, 5, 2),
        ),
    },
    "power": {
        "E1": (
            "A fault at Thermal Power Plant No. 4 cut electricity to parts of Ulaanbaatar "
            "for five hours on 30 April.",
            "en",
            date(2026, 4, 30),
        ),
        "E2": (
            "The energy ministry said imports from Russia covered the shortfall and that "
            "the plant's third boiler was repaired overnight.",
            "en",
            date(2026, 5, 1),
        ),
    },
}


def _c(scenario: str, kind: str, text: str, *cites: str) -> Case:
    return Case(scenario, kind, text, cites)


CASES: list[Case] = [
    # --- flood -----------------------------------------------------------------------------
    _c("flood", "right", "Rain flooded three districts of Darkhan on 29 April.", "E1"),
    _c(
        "flood",
        "right",
        "Emergency officials moved 1,200 residents of Darkhan to schools and gyms.",
        "E1",
    ),
    _c("flood", "reworded", "Two people drowned in the Kharaa river.", "E2"),
    _c(
        "flood",
        "reworded",
        "Floodwater forced about 1200 people in Darkhan out of their homes into public "
        "buildings, and two people died.",
        "E1",
        "E2",
    ),
    _c("flood", "number", "Emergency officials moved 12,000 residents in Darkhan.", "E1"),
    _c("flood", "number", "Five people drowned in the Kharaa river.", "E2"),
    _c("flood", "place", "Heavy rain flooded three districts of Erdenet on 29 April.", "E1"),
    _c("flood", "place", "Two people drowned in the Tuul river.", "E2"),
    _c(
        "flood",
        "unsupported",
        "The government declared a state of emergency and blamed the dam operator.",
        "E1",
        "E2",
    ),
    _c("flood", "unsupported", "Looting broke out in the flooded districts.", "E1"),
    _c("flood", "period", "Heavy rain flooded three districts of Darkhan on 19 April.", "E1"),
    _c("flood", "citation", "Two people drowned in the Kharaa river.", "E7"),
    # --- exercise --------------------------------------------------------------------------
    _c(
        "exercise",
        "right",
        "Mongolian and US troops opened the Khaan Quest exercise on 28 April.",
        "E1",
    ),
    _c(
        "exercise",
        "right",
        "About 900 soldiers from 20 countries take part in the exercise.",
        "E2",
    ),
    _c(
        "exercise",
        "reworded",
        "Roughly 900 troops from twenty nations are training together until 12 May.",
        "E2",
    ),
    _c(
        "exercise",
        "reworded",
        "The annual multinational peacekeeping drill Khaan Quest began at Five Hills, near "
        "the capital Ulaanbaatar.",
        "E1",
    ),
    _c("exercise", "number", "About 9,000 soldiers take part in the exercise.", "E2"),
    _c("exercise", "number", "Soldiers from 35 countries take part in Khaan Quest.", "E2"),
    _c("exercise", "place", "The exercise opened at a training area near Sainshand.", "E1"),
    _c("exercise", "place", "Mongolian and Chinese troops opened Khaan Quest.", "E1"),
    _c("exercise", "unsupported", "One soldier was injured during a live-fire drill.", "E1", "E2"),
    _c(
        "exercise",
        "unsupported",
        "Protesters gathered outside the training area to oppose the foreign troops.",
        "E1",
    ),
    _c("exercise", "period", "The Khaan Quest exercise opened on 28 March.", "E1"),
    _c("exercise", "citation", "About 900 soldiers take part in the exercise.", "E3"),
    # --- border ----------------------------------------------------------------------------
    _c(
        "border",
        "right",
        "The Zamiin-Uud border crossing with China was closed for two days after a fire.",
        "E1",
    ),
    _c("border", "right", "More than 600 coal trucks were left waiting at Erenhot.", "E2"),
    _c(
        "border",
        "reworded",
        "A blaze in the customs warehouse shut the Zamiin-Uud crossing for two days.",
        "E1",
    ),
    _c(
        "border",
        "reworded",
        "Over 600 lorries carrying coal queued on the Chinese side of the border at Erenhot.",
        "E2",
    ),
    _c("border", "number", "The crossing was closed for nine days after a fire.", "E1"),
    _c("border", "number", "More than 6,000 coal trucks were left waiting at Erenhot.", "E2"),
    _c("border", "place", "The Altanbulag border crossing was closed after a fire.", "E1"),
    _c("border", "place", "Coal trucks were left waiting at Gashuunsukhait.", "E2"),
    _c("border", "unsupported", "Investigators said the fire was started deliberately.", "E1"),
    _c("border", "unsupported", "China suspended all coal imports from the country.", "E2"),
    _c(
        "border",
        "period",
        "The Zamiin-Uud crossing was closed after a fire on 14 February.",
        "E1",
    ),
    _c("border", "citation", "The crossing was closed for two days after a fire.", "E4"),
    # --- cyber -----------------------------------------------------------------------------
    _c("cyber", "right", "Hackers defaced the websites of four ministries on 1 May.", "E1"),
    _c(
        "cyber",
        "right",
        "The General Intelligence Agency said no data was stolen.",
        "E2",
    ),
    _c(
        "cyber",
        "reworded",
        "A group calling itself Blue Wolf claimed the defacement of four ministry websites.",
        "E1",
    ),
    _c(
        "cyber",
        "reworded",
        "The sites were back online in under six hours and nothing was taken, according to "
        "the General Intelligence Agency.",
        "E2",
    ),
    _c("cyber", "number", "Hackers defaced the websites of eleven ministries.", "E1"),
    _c("cyber", "number", "The sites were restored within 48 hours.", "E2"),
    _c("cyber", "place", "Hackers in Kazakhstan defaced the websites of four ministries.", "E1"),
    _c(
        "cyber",
        "place",
        "The attack was claimed by a group calling itself Red Dragon.",
        "E1",
    ),
    _c(
        "cyber",
        "unsupported",
        "The personal data of thousands of citizens was leaked online.",
        "E1",
        "E2",
    ),
    _c("cyber", "unsupported", "The ministries paid a ransom to restore their websites.", "E2"),
    _c("cyber", "period", "Hackers defaced the websites of four ministries on 1 June.", "E1"),
    _c("cyber", "citation", "Hackers defaced the websites of four ministries.", "E1", "E9"),
    # --- protest ---------------------------------------------------------------------------
    _c(
        "protest",
        "right",
        "Around 3,000 people gathered on Sukhbaatar Square on 2 May.",
        "E1",
    ),
    _c(
        "protest",
        "right",
        "Police said 14 people were detained for blocking traffic on Peace Avenue.",
        "E2",
    ),
    _c(
        "protest",
        "reworded",
        "Some 3,000 demonstrators called for the mining minister to step down over a coal "
        "export deal.",
        "E1",
    ),
    _c(
        "protest",
        "reworded",
        "The rally passed off peacefully, police said, though 14 protesters were held for "
        "obstructing traffic.",
        "E2",
    ),
    _c("protest", "number", "Around 30,000 people gathered on Sukhbaatar Square.", "E1"),
    _c("protest", "number", "Police detained 41 people at the rally.", "E2"),
    _c("protest", "place", "Around 3,000 people gathered in Erdenet on 2 May.", "E1"),
    _c("protest", "place", "Protesters blocked traffic on Chinggis Avenue.", "E2"),
    _c("protest", "unsupported", "Police used tear gas to disperse the crowd.", "E2"),
    _c("protest", "unsupported", "The mining minister resigned after the rally.", "E1"),
    _c("protest", "period", "Around 3,000 people gathered on Sukhbaatar Square on 2 April.", "E1"),
    _c("protest", "citation", "Police detained 14 people.", "E5"),
    # --- visit -----------------------------------------------------------------------------
    _c(
        "visit",
        "right",
        "Foreign Minister Battsetseg met her Japanese counterpart in Tokyo on 27 April.",
        "E1",
    ),
    _c(
        "visit",
        "right",
        "Japan pledged 50 million dollars in soft loans for a power plant in Choibalsan.",
        "E2",
    ),
    _c(
        "visit",
        "reworded",
        "During talks in Tokyo, Battsetseg and the Japanese foreign minister signed a "
        "memorandum on exploring for rare earths.",
        "E1",
    ),
    _c(
        "visit",
        "reworded",
        "Tokyo offered concessional loans worth 50 million dollars to build a power station "
        "in Choibalsan.",
        "E2",
    ),
    _c("visit", "number", "Japan pledged 500 million dollars for a power plant.", "E2"),
    _c("visit", "number", "The ministers signed three memorandums on rare earths.", "E1"),
    _c("visit", "place", "Japan pledged loans for a new power plant in Baganuur.", "E2"),
    _c("visit", "place", "Foreign Minister Battsetseg met her counterpart in Osaka.", "E1"),
    _c("visit", "unsupported", "Japan agreed to buy all of the country's rare earth output.", "E1"),
    _c("visit", "unsupported", "The two ministers discussed a visa-free travel regime.", "E1"),
    _c("visit", "period", "Battsetseg met her Japanese counterpart in Tokyo on 27 January.", "E1"),
    _c("visit", "citation", "Japan pledged soft loans for a power plant.", "E6"),
    # --- arrest_mn (the evidence is in Mongolian: the statements are translations) --------
    _c(
        "arrest_mn",
        "right",
        "The Anti-Corruption Agency arrested J. Sukhbaatar, governor of Darkhan-Uul "
        "province, on 30 April.",
        "E1",
    ),
    _c(
        "arrest_mn",
        "right",
        "He is suspected of taking bribes of 2.4 billion tugrik.",
        "E2",
    ),
    _c(
        "arrest_mn",
        "reworded",
        "The governor of Darkhan-Uul, Sukhbaatar, was detained by anti-graft investigators.",
        "E1",
    ),
    _c(
        "arrest_mn",
        "reworded",
        "Investigators suspect the governor took 2.4 billion tugrik in bribes.",
        "E2",
    ),
    _c("arrest_mn", "number", "He is suspected of taking bribes of 24 billion tugrik.", "E2"),
    _c("arrest_mn", "number", "He is suspected of taking 4.2 billion tugrik in bribes.", "E2"),
    _c(
        "arrest_mn",
        "place",
        "The Anti-Corruption Agency arrested the governor of Orkhon province.",
        "E1",
    ),
    _c(
        "arrest_mn",
        "place",
        "The Anti-Corruption Agency arrested J. Enkhbold, governor of Darkhan-Uul.",
        "E1",
    ),
    _c("arrest_mn", "unsupported", "The governor denied the charges and resigned.", "E1", "E2"),
    _c(
        "arrest_mn",
        "unsupported",
        "He is suspected of rigging the provincial election.",
        "E2",
    ),
    _c(
        "arrest_mn",
        "period",
        "The Anti-Corruption Agency arrested J. Sukhbaatar on 13 March.",
        "E1",
    ),
    _c("arrest_mn", "citation", "The governor of Darkhan-Uul was arrested.", "E3"),
    # --- fire_mn ---------------------------------------------------------------------------
    _c(
        "fire_mn",
        "right",
        "A forest fire in Mandal soum of Selenge province had burned 3,200 hectares by 1 May.",
        "E1",
    ),
    _c(
        "fire_mn",
        "right",
        "250 emergency service officers are working to put out the fire.",
        "E2",
    ),
    _c(
        "fire_mn",
        "reworded",
        "Woodland in Selenge's Mandal district was ablaze across 3,200 hectares.",
        "E1",
    ),
    _c(
        "fire_mn",
        "reworded",
        "Some 250 emergency personnel are fighting the fire.",
        "E2",
    ),
    _c("fire_mn", "number", "The fire had burned 32,000 hectares.", "E1"),
    _c("fire_mn", "number", "400 emergency officers are fighting the fire.", "E2"),
    _c("fire_mn", "place", "A forest fire in Khentii province burned 3,200 hectares.", "E1"),
    _c("fire_mn", "place", "A forest fire broke out in Bulgan soum.", "E1"),
    _c("fire_mn", "unsupported", "The fire destroyed forty homes and a school.", "E1", "E2"),
    _c("fire_mn", "unsupported", "Police arrested two campers for starting the fire.", "E1"),
    _c("fire_mn", "period", "The forest fire had burned 3,200 hectares by 11 May.", "E1"),
    _c("fire_mn", "citation", "250 emergency officers are fighting the fire.", "E8"),
    # --- outbreak --------------------------------------------------------------------------
    _c(
        "outbreak",
        "right",
        "Health officials confirmed 37 cases of measles in Khovd province.",
        "E1",
    ),
    _c(
        "outbreak",
        "right",
        "Schools in Khovd town will stay closed until 8 May.",
        "E2",
    ),
    _c(
        "outbreak",
        "reworded",
        "Measles has infected 37 people in Khovd, mostly young children.",
        "E1",
    ),
    _c(
        "outbreak",
        "reworded",
        "Khovd's schools remain shut until 8 May so that nurses can vaccinate the pupils.",
        "E2",
    ),
    _c("outbreak", "number", "Health officials confirmed 73 cases of measles.", "E1"),
    _c("outbreak", "number", "Most of the cases are children under ten.", "E1"),
    _c(
        "outbreak", "place", "Health officials confirmed 37 cases of measles in Uvs province.", "E1"
    ),
    _c("outbreak", "place", "Schools in Olgii will stay closed until 8 May.", "E2"),
    _c("outbreak", "unsupported", "Three children died of measles.", "E1"),
    _c("outbreak", "unsupported", "The outbreak was traced to travellers from abroad.", "E1", "E2"),
    _c("outbreak", "period", "Schools in Khovd town will stay closed until 28 May.", "E2"),
    _c("outbreak", "citation", "Officials confirmed 37 cases of measles.", "E1", "E4"),
    # --- power -----------------------------------------------------------------------------
    _c(
        "power",
        "right",
        "A fault at Thermal Power Plant No. 4 cut electricity to parts of Ulaanbaatar for "
        "five hours.",
        "E1",
    ),
    _c(
        "power",
        "right",
        "Imports from Russia covered the shortfall, the energy ministry said.",
        "E2",
    ),
    _c(
        "power",
        "reworded",
        "Parts of the capital Ulaanbaatar lost power for five hours on 30 April after a "
        "breakdown at its fourth power plant.",
        "E1",
    ),
    _c(
        "power",
        "reworded",
        "Electricity bought from Russia made up the gap, and the broken boiler was fixed "
        "overnight.",
        "E2",
    ),
    _c("power", "number", "The outage lasted fifteen hours.", "E1"),
    _c("power", "number", "The plant's seventh boiler was repaired overnight.", "E2"),
    _c("power", "place", "A fault cut electricity to parts of Darkhan for five hours.", "E1"),
    _c("power", "place", "Imports from China covered the shortfall.", "E2"),
    _c("power", "unsupported", "Hackers were behind the fault at the plant.", "E1"),
    _c("power", "unsupported", "Hospitals switched to generators during the blackout.", "E1"),
    _c("power", "period", "A fault cut electricity to parts of Ulaanbaatar on 30 March.", "E1"),
    _c("power", "citation", "Imports from Russia covered the shortfall.", "E3"),
]
