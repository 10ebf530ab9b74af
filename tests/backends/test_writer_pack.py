"""Evidence packs: cut to the budget by the stated rule, never mid-sentence."""

from __future__ import annotations

from watchfloor.analyze.developments import select_developments
from watchfloor.analyze.facts import country_timezone, load_period
from watchfloor.analyze.writer import _pack, _parse_json, _salvage
from watchfloor.backends.extractive import ExtractiveBackend
from watchfloor.text import split_sentences


def test_packs_fit_the_budget_most_cited_first_and_whole(demo_week) -> None:
    store = demo_week.store()
    with store.connect() as conn:
        data = load_period(
            conn,
            country="MN",
            start=demo_week.start,
            end=demo_week.end,
            timezone=country_timezone("MN"),
        )
    store.dispose()
    devs = select_developments(data, ExtractiveBackend()).developments
    dev = max(devs, key=lambda d: len(d.articles))
    assert len(dev.articles) >= 2
    full = _pack(dev, 10_000)
    small = _pack(dev, 120)
    assert 0 < len(small) < len(full)
    assert sum(len(i.evidence.text) // 4 + 13 for i in small) <= 120
    wholes = {" ".join(a.title.split()) for a in dev.articles} | {
        s for a in dev.articles for s in split_sentences(a.body)
    }
    for item in full:
        assert item.evidence.text in wholes or any(item.evidence.text in w for w in wholes)
        assert item.evidence.id == f"E{full.index(item) + 1}"
    cited = [len(i.keys) for i in full]
    assert cited == sorted(cited, reverse=True)  # most-cited first
    # the small pack is the head of the order, with items that did not fit left out whole
    assert [i.evidence.text for i in small] == [
        i.evidence.text for i in full if i.evidence.text in {s.evidence.text for s in small}
    ]


def test_invalid_json_is_repaired_when_it_can_be() -> None:
    assert _parse_json('```json\n{"a": [1, 2,],}\n```') == {"a": [1, 2]}
    assert _parse_json('Sure! {"statements": []} Hope this helps.') == {"statements": []}
    assert _parse_json('{"statements": [{"text": "cut off') is None


def test_an_answer_cut_off_keeps_its_complete_statements() -> None:
    cut = '{"statements": [{"text": "One.", "cites": ["E1"]},\n {"text": "Two", "ci'
    assert _salvage(cut, "statements") == [{"text": "One.", "cites": ["E1"]}]
    assert _salvage('{"statements": [{"text": "cut', "statements") == []
    assert _salvage("no json at all", "statements") == []
