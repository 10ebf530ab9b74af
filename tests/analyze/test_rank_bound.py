"""Ranking on cheap signals first changes nothing that is shown.

``select_developments`` assesses casualties, attacks and credibility only for the stories
that can reach the key developments or the shown "also reported" lines; the others stay
ranked by an upper bound. On a busy synthetic week (hundreds of security stories about
one country), the selection must equal the one where every story is assessed (an
"also reported" cap larger than the week).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from benchmarks.synth import SynthConfig, load

from watchfloor.analyze.developments import Selection, select_developments
from watchfloor.analyze.facts import load_period
from watchfloor.backends.registry import get_backend
from watchfloor.config import DevelopmentSettings
from watchfloor.store.db import Store

START, END = date(2026, 5, 11), date(2026, 5, 17)


def _select(store: Store, settings: DevelopmentSettings) -> Selection:
    with store.connect() as conn:
        data = load_period(conn, country="MN", start=START, end=END)
    return select_developments(data, get_backend("extractive"), settings=settings)


def test_cheap_ranking_first_shows_what_ranking_every_story_shows(store: Store) -> None:
    load(
        store,
        SynthConfig(
            articles=1500,
            days=35,
            sources=40,
            countries=("MN", "KZ", "CN", "FR"),
            busy_country="MN",
            busy_week=START,
            busy_articles=400,
            seed=11,
        ),
        batch=500,
    )
    shown = DevelopmentSettings()
    lazy = _select(store, shown)
    full = _select(store, DevelopmentSettings(max_also_reported=1_000_000))
    cap = shown.max_also_reported

    def devs(s: Selection) -> list[object]:
        return [
            (d.id, d.title, d.significance, d.casualties, d.attack, d.credibility, d.summary)
            for d in s.developments
        ]

    def lines(s: Selection) -> list[object]:
        return [(x.id, x.title, x.reason, x.significance, x.keys) for x in s.also[:cap]]

    assert devs(lazy) == devs(full)
    assert lines(lazy) == lines(full)
    assert Counter(x.category for x in lazy.also[cap:]) == Counter(
        x.category for x in full.also[cap:]
    )
    assert [(x.article.id, x.reason, x.detail, x.story) for x in lazy.excluded] == [
        (x.article.id, x.reason, x.detail, x.story) for x in full.excluded
    ]
    # The week is busy enough that some stories were never assessed in the lazy run.
    below = [x for x in lazy.also if x.reason == "below_cap"]
    assert len(below) > cap
    exact = {x.id: x.significance for x in full.also}
    assert any(x.significance > exact[x.id] for x in below[cap:]), "every story was assessed"
