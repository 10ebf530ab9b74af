"""Country relevance: headline vs passing mentions, language and source priors, actors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from watchfloor.enrich.relevance import (
    ActorMention,
    country_relevance,
    find_country_mentions,
    is_about,
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
