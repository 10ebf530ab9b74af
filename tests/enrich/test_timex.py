"""Temporal expressions resolved to dated events, checked against hand-written cases."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from tests.conftest import FIXTURES
from watchfloor.enrich.timex import extract_dated_events, stale_year_names

CASES = json.loads((FIXTURES / "enrich" / "timex_cases.json").read_text(encoding="utf-8"))


def _d(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_expression_resolves_to_expected_dates(case: dict) -> None:
    published = datetime.fromisoformat(case["published"]).replace(tzinfo=UTC)
    events = extract_dated_events(case["text"], published, language=case.get("language", "en"))
    got = [
        {
            "expression": e.expression,
            "start": e.start.isoformat(),
            "end": e.end.isoformat() if e.end else None,
            "precision": e.precision,
            "is_future": e.is_future,
        }
        for e in events
    ]
    assert got == case["events"]


def test_offsets_point_at_the_expression_and_its_sentence() -> None:
    text = "Markets were calm. The exercise will start on Sunday. More later."
    (event,) = extract_dated_events(text, date(2026, 5, 20))
    assert text[event.expression_span[0] : event.expression_span[1]] == "on Sunday"
    assert text[event.span[0] : event.span[1]] == "The exercise will start on Sunday."
    assert event.text == "The exercise will start on Sunday."


def test_at_least_forty_cases_are_checked() -> None:
    assert len(CASES) >= 40


def test_stale_year_in_exercise_name_is_reported() -> None:
    text = (
        "Troops from 12 nations joined Steppe Partner-2024 near Five Hills. "
        "Khaan Quest 2026 opens in June. The mine closed in May 2024, and in 2023 output fell."
    )
    assert stale_year_names(text, date(2026, 6, 1)) == ["Steppe Partner-2024"]


def test_names_with_current_year_are_not_stale() -> None:
    assert stale_year_names("Gobi Wolf-2026 begins.", date(2026, 3, 1)) == []


def test_empty_text_has_no_events() -> None:
    assert extract_dated_events("", date(2026, 1, 1)) == []


def test_sentence_openers_before_a_year_are_not_stale_names() -> None:
    from datetime import date

    from watchfloor.enrich.timex import stale_year_names

    published = date(2026, 5, 1)
    assert stale_year_names("Мөн 1970 онд байгуулагдсан.", published) == []
    assert stale_year_names("В 2019 году учения прошли.", published) == []
    assert stale_year_names("The Steppe Partner-2024 drills began.", published) == [
        "Steppe Partner-2024"
    ]
