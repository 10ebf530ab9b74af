"""How well a development is corroborated: its sources' reliability and its credibility.

Each development gets a grade such as "B2" on the Admiralty scale (docs/standards.md):

* the letter is the **best reliability** (A-F) in force during the period among the
  sources that carried the story: the most reliable source that vouches for it. The
  reasons list every outlet with its own grade.
* the number is the **credibility** of the information (1-6), from:

  - its *independent accounts*: articles carried by the same outlet, articles carrying the
    same text (one article seen in several feeds, or near-identical text: the same story
    syndicated) and articles crediting the same wire are one account;
  - *official confirmation*: a source marked official (a ministry, an emergency agency)
    carried it;
  - *agreement* between the accounts: the same casualty figures, places and dates; figures
    that differ are named as conflicting, never averaged.

  1: three or more independent accounts, or two with an official one; 2: two independent
  accounts, or one official source; 3: one account from a source graded A-C; 4: one
  account from a source graded D or E; 6: one account from a source that cannot be judged
  (F). Conflicting figures lower grades 1-3 by one. 5 (improbable) needs information that
  contradicts the story, which watchfloor does not judge: it is never given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from watchfloor.analyze.casualties import count_casualties
from watchfloor.analyze.facts import ArticleFacts, PeriodData, SourceFact
from watchfloor.models.report import RELIABILITY_GRADES
from watchfloor.text import stems

__all__ = [
    "GRADE_VALUE",
    "CredibilityDraft",
    "assess_credibility",
    "independent_accounts",
    "near_identical",
]

#: A reliability letter as a ranking input, 0-1.
GRADE_VALUE = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.3, "E": 0.1, "F": 0.0}
#: Word-trigram overlap from which two texts are the same story syndicated: containment in
#: the shorter of two bodies, or Jaccard of two whole texts without bodies.
SYNDICATED_CONTAINMENT = 0.7
SYNDICATED_JACCARD = 0.6
_WIRES = re.compile(
    r"\((Reuters|AP|AFP|Xinhua|TASS|Kyodo|Yonhap|Montsame|MONTSAME|RIA Novosti)\)"
    r"|\b(Reuters|AFP|Xinhua|TASS|Kyodo|Yonhap|MONTSAME)\s+[-–—]"
)


@dataclass(slots=True)
class CredibilityDraft:
    """A development's source reliability, information credibility and their reasons."""

    reliability: str
    credibility: int
    independent: int
    outlets: list[str]
    official: bool
    conflicts: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"

    @property
    def single_source(self) -> bool:
        return self.independent <= 1

    @property
    def source_grade(self) -> float:
        """The ranking input: the best reliability, 0-1."""
        return GRADE_VALUE.get(self.reliability, 0.0)

    @property
    def corroboration(self) -> float:
        """The ranking input, 0-1: one more independent account 0.5, two or more 1, an
        official source 0.5."""
        return min(1.0, 0.5 * min(2, self.independent - 1) + (0.5 if self.official else 0.0))


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = stems(text, length=24)
    return {tuple(words[i : i + 3]) for i in range(max(0, len(words) - 2))}


def near_identical(a: ArticleFacts, b: ArticleFacts) -> bool:
    """True when two articles carry the same text (a syndicated copy, lightly edited).

    The same headline in the same language is a copy; so are bodies sharing most of their
    word trigrams (containment in the shorter body of ``SYNDICATED_CONTAINMENT``: a reprint
    keeps the body and changes the headline, or keeps the lead only); without bodies to
    compare, the whole texts' Jaccard of ``SYNDICATED_JACCARD``.
    """
    ta, tb = " ".join(a.title.split()).lower(), " ".join(b.title.split()).lower()
    if ta and ta == tb and a.lang == b.lang:
        return True
    ba, bb = _shingles(a.body), _shingles(b.body)
    if len(ba) >= 8 and len(bb) >= 8:
        return len(ba & bb) / min(len(ba), len(bb)) >= SYNDICATED_CONTAINMENT
    sa, sb = _shingles(a.text), _shingles(b.text)
    if len(sa) < 5 or len(sb) < 5:
        return False
    return len(sa & sb) / len(sa | sb) >= SYNDICATED_JACCARD


def _wire(a: ArticleFacts) -> str | None:
    found = _WIRES.search(a.text[:400])
    if not found:
        return None
    return (found.group(1) or found.group(2) or "").lower() or None


def _names(a: ArticleFacts, sources: dict[int, SourceFact]) -> set[str]:
    """The outlets that carried an article: its own and every feed it was seen in."""
    names = {a.outlet}
    for sid in a.seen_by:
        if sid in sources:
            names.add(sources[sid].name)
    return names


def independent_accounts(
    arts: Sequence[ArticleFacts], sources: dict[int, SourceFact]
) -> tuple[list[list[ArticleFacts]], list[str]]:
    """The articles grouped into independent accounts, and how copies were joined.

    Two articles are one account when they share an outlet, carry the same text (the
    same article seen in several feeds, or near-identical text) or credit the same wire.
    """
    parent = list(range(len(arts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    notes: list[str] = []

    def join(i: int, j: int, why: str | None) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[rj] = ri
            if why:
                notes.append(why)

    names = [_names(a, sources) for a in arts]
    wires = [_wire(a) for a in arts]
    for i, a in enumerate(arts):
        if len(names[i]) > 1:
            notes.append(f"the same text ran in {', '.join(sorted(names[i]))} (counted once)")
        for j in range(i):
            if names[i] & names[j]:
                join(j, i, None)
            elif wires[i] and wires[i] == wires[j]:
                join(j, i, f"{a.outlet} and {arts[j].outlet} both credit {wires[i]}")
            elif near_identical(a, arts[j]):
                join(j, i, f"{arts[j].outlet} and {a.outlet} carry near-identical text")
    groups: dict[int, list[ArticleFacts]] = {}
    for i, a in enumerate(arts):
        groups.setdefault(find(i), []).append(a)
    return list(groups.values()), list(dict.fromkeys(notes))


def _figures(group: Sequence[ArticleFacts]) -> tuple[int, int]:
    found = [count_casualties(a.text) for a in group]
    return max(c.killed for c in found), max(c.injured for c in found)


def _agreement(accounts: list[list[ArticleFacts]], country: str) -> tuple[list[str], list[str]]:
    """What the accounts agree on, and the figures they disagree on, named."""
    from watchfloor.analyze.developments import plausible_places

    agree: list[str] = []
    conflicts: list[str] = []
    if len(accounts) < 2:
        return agree, conflicts
    figures = [(_figures(g), g[0].outlet) for g in accounts]
    for index, word in ((0, "killed"), (1, "injured")):
        told = [(f[index], who) for f, who in figures if f[index] > 0]
        values = sorted({n for n, _ in told})
        if len(values) > 1:
            parts = [
                f"{n} {word} ({', '.join(sorted({w for m, w in told if m == n}))})" for n in values
            ]
            conflicts.append(f"conflicting figures: {' vs '.join(parts)}")
        elif len(told) > 1:
            agree.append(f"{values[0]} {word}")
    places = [{p.name for a in g for p in plausible_places(a, country)} for g in accounts]
    shared_places = sorted(set.intersection(*places)) if all(places) else []
    if shared_places:
        agree.append("place " + ", ".join(shared_places[:3]))
    dates = [{ev.start for a in g for ev in a.events if not ev.is_future} for g in accounts]
    shared_dates = sorted(set.intersection(*dates)) if all(dates) else []
    if shared_dates:
        agree.append("date " + ", ".join(d.isoformat() for d in shared_dates[:2]))
    return agree, conflicts


def assess_credibility(
    arts: Sequence[ArticleFacts],
    data: PeriodData,
    *,
    page_sources: Sequence[int] = (),
) -> CredibilityDraft:
    """Grade a development told by *arts* (its in-period articles) or by reference pages."""
    sources = data.sources
    ids = {sid for a in arts for sid in (a.source_id, *a.seen_by) if sid is not None}
    ids |= set(page_sources)
    graded = sorted(
        {
            (sources[i].name, sources[i].reliability, sources[i].official)
            for i in ids
            if i in sources
        }
    )
    unknown = sorted({a.outlet for a in arts if a.source_id not in sources})
    letters = [g for _, g, _ in graded] or ["F"]
    best = min(letters, key=RELIABILITY_GRADES.index)
    official_names = sorted({n for n, _, off in graded if off})
    if arts:
        accounts, notes = independent_accounts(arts, sources)
    else:  # a reference page's change: one account per page
        accounts, notes = [], []
    n = len(accounts) if arts else max(1, len(page_sources))
    outlets = sorted({name for name, _, _ in graded} | set(unknown))
    agree, conflicts = _agreement(accounts, data.country.iso) if arts else ([], [])
    official = bool(official_names)
    if n >= 3 or (n >= 2 and official):
        grade = 1
    elif n == 2 or official:
        grade = 2
    elif best in ("A", "B", "C"):
        grade = 3
    elif best in ("D", "E"):
        grade = 4
    else:
        grade = 6
    if conflicts and grade <= 3:
        grade += 1
    listed = ", ".join(f"{name} ({g})" for name, g, _ in graded)
    listed += "".join(f", {u} (F, not a registered source)" for u in unknown)
    reasons = [
        f"single source: {listed}"
        if n <= 1
        else f"{n} independent accounts from {len(outlets)} outlets: {listed}"
    ]
    reasons.extend(notes)
    if official:
        reasons.append(f"official confirmation: {', '.join(official_names)}")
    if agree:
        reasons.append("accounts agree on: " + "; ".join(agree))
    reasons.extend(conflicts)
    reasons.append(f"reliability {best}: the best-graded source that carried it")
    return CredibilityDraft(
        reliability=best,
        credibility=grade,
        independent=n,
        outlets=outlets,
        official=official,
        conflicts=conflicts,
        reasons=reasons,
    )
