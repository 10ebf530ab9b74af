"""Geopolitical groups: an unknown partner code is a recorded reject, not a silent skip."""

from __future__ import annotations

from datetime import date

from watchfloor.analyze.casualties import Casualties
from watchfloor.analyze.developments import DevDraft
from watchfloor.analyze.outlook import geopolitical_groups
from watchfloor.models.analysis import Draft, Key


def _dev(n: int, title: str, partners: list[str], significance: float) -> DevDraft:
    key: Key = ("p", n)
    return DevDraft(
        id=f"d{n}",
        title=title,
        start=date(2026, 4, 27),
        end=None,
        category="diplomacy",
        categories=["diplomacy"],
        summary=[Draft(text=f"{title} was reported on Monday by officials.", keys=(key,))],
        places=[],
        actors=[],
        partners=partners,
        organisations=[],
        significance=significance,
        severity=0.1,
        articles=[],
        outside=[],
        casualties=Casualties(0, 0),
        attack=None,
        new=True,
        page_keys=[key],
    )


def test_unknown_partner_codes_become_rejects_citing_their_developments() -> None:
    devs = [
        _dev(1, "Talks with Beijing", ["CN", "XX"], 2.0),
        _dev(2, "Rail deal with Japan", ["JP", "XX"], 1.0),
        _dev(3, "Visit from Moscow", ["RU"], 0.5),
    ]
    grouped = geopolitical_groups(devs, "MN")
    actors = [(g.actor, g.relation) for g in grouped.groups]
    assert ("China", "neighbour") in actors and ("Japan", "third partner") in actors
    assert ("Russia", "neighbour") in actors
    assert len(grouped.rejects) == 1
    note = grouped.rejects[0]
    assert note.kind == "rejected_input"
    assert "'XX'" in note.text and "Talks with Beijing" in note.text
    assert "Rail deal with Japan" in note.text
    assert note.keys == [("p", 1), ("p", 2)]


def test_known_partners_leave_no_rejects() -> None:
    grouped = geopolitical_groups([_dev(1, "Talks with Beijing", ["CN"], 1.0)], "MN")
    assert grouped.rejects == []
    assert [g.actor for g in grouped.groups] == ["China"]
