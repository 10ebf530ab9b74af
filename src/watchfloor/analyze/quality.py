"""Data-quality notes for a report, and the ``--check`` of a finished report.

Notes: articles of the period's stories dated outside it (kept out of the news), names
carrying a stale year ("Steppe Partner-2024" in 2026), place names the gazetteer could not
resolve, inputs rejected during collection, text addressed to automated systems, and
articles not enriched yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from watchfloor.analyze.developments import DevDraft, Selection
from watchfloor.analyze.facts import PeriodData
from watchfloor.models.analysis import Key
from watchfloor.models.report import Report
from watchfloor.text import is_instruction, split_sentences

__all__ = ["NoteDraft", "check_report", "quality_notes", "selection_notes"]

MAX_UNRESOLVED = 12


@dataclass(slots=True)
class NoteDraft:
    kind: str
    text: str
    keys: list[Key] = field(default_factory=list)


def quality_notes(
    data: PeriodData, devs: Sequence[DevDraft], dropped_places: Sequence[str] = ()
) -> list[NoteDraft]:
    """Everything a reader should know about the inputs' weaknesses."""
    from watchfloor.enrich.timex import stale_year_names

    notes: list[NoteDraft] = []
    for dev in devs:
        for a in dev.outside:
            when = "before" if data.local_date(a.published) < data.start else "after"
            notes.append(
                NoteDraft(
                    "outside_period",
                    f"'{a.title}' ({a.outlet}, {a.published:%Y-%m-%d %H:%M} UTC) belongs to the "
                    f"story '{dev.title}' but was published {when} the period; it is not "
                    "reported as news of the period.",
                    [("a", a.id)],
                )
            )
    stale: dict[str, list[Key]] = defaultdict(list)
    hostile: list[tuple[str, Key]] = []
    unresolved: dict[str, list[Key]] = defaultdict(list)
    for dev in devs:
        for a in dev.articles:
            for name in stale_year_names(a.text, a.published):
                stale[name].append(("a", a.id))
            if any(is_instruction(s) for s in split_sentences(a.text)):
                hostile.append((a.title, ("a", a.id)))
            spans = [(p.start, p.start + len(p.text)) for p in a.places]
            for e in a.entities:
                if e.label not in ("GPE", "LOC"):
                    continue
                if any(lo < e.end and e.start < hi for lo, hi in spans):
                    continue
                unresolved[" ".join(e.text.split())].append(("a", a.id))
    for name, keys in sorted(stale.items()):
        year = name[-4:]
        notes.append(
            NoteDraft(
                "stale_name",
                f"'{name}' carries a year ({year}) earlier than its article's publication "
                "year: possibly an old name reused or a wrong year; it is not repeated as "
                "this year's name.",
                list(dict.fromkeys(keys)),
            )
        )
    if unresolved:
        ranked = sorted(unresolved.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:MAX_UNRESOLVED]
        names = ", ".join(f"'{n}'" for n, _ in ranked)
        notes.append(
            NoteDraft(
                "unresolved_place",
                f"Place names not found in the gazetteer (not on the map): {names}.",
                list(dict.fromkeys(k for _, keys in ranked for k in keys))[:20],
            )
        )
    for name in dropped_places:
        notes.append(
            NoteDraft("unresolved_place", f"'{name}' has no usable coordinates and is not mapped.")
        )
    for title, key in hostile:
        notes.append(
            NoteDraft(
                "other",
                f"'{title}' contains text addressed to automated systems; it was treated as "
                "data and changed nothing in this report.",
                [key],
            )
        )
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in data.rejects:
        grouped[(r.source_name, r.stage)].append(r.error)
    for (source, stage), errors in sorted(grouped.items()):
        first = " ".join(errors[0].split())[:160]
        notes.append(
            NoteDraft(
                "rejected_input",
                f"{len(errors)} input(s) from {source} rejected at the {stage} stage "
                f"(first: {first}).",
            )
        )
    if data.unenriched:
        notes.append(
            NoteDraft(
                "other",
                f"{data.unenriched} articles of the period are not enriched yet and were not "
                "considered: run 'watchfloor enrich' and write the report again.",
            )
        )
    return notes


def check_report(report: Report, *, start: date, end: date) -> list[str]:
    """List what makes a report untrustworthy; an empty list means it passes.

    Checks: statements without sources, sources missing from the annex, annex entries
    never cited, items outside [start, end] cited as news (background statements and
    data-quality notes may cite them), and hotspots without coordinates.
    """
    problems: list[str] = []
    annex = {a.id: a for a in report.annex}
    cited = set(report.cited_ids())

    from watchfloor.analyze.facts import zone

    tz = zone(report.period.timezone)

    def outside(i: int) -> bool:
        entry = annex.get(i)
        return entry is not None and not start <= entry.published.astimezone(tz).date() <= end

    for section, s in report.statements():
        if not s.sources:
            problems.append(f"uncited statement in {section}: {s.text[:80]!r}")
        for i in s.sources:
            if i not in annex:
                problems.append(f"statement in {section} cites [{i}], which is not in the annex")
            elif not s.background and outside(i):
                problems.append(
                    f"statement in {section} cites [{i}] '{annex[i].title}', published "
                    f"{annex[i].published:%Y-%m-%d}, outside the period, as news"
                )
    for d in report.key_developments:
        as_background = {i for s in d.summary if s.background for i in s.sources}
        for i in d.sources:
            if outside(i) and i not in as_background:
                problems.append(
                    f"development '{d.title}' cites [{i}] '{annex[i].title}', outside the period"
                )
            if i not in annex:
                problems.append(f"development '{d.title}' cites [{i}], which is not in the annex")
    for h in (*report.hotspots, *report.hotspots_abroad):
        if h.lat is None or h.lng is None:
            problems.append(f"hotspot '{h.label}' has no coordinates")
        for i in h.sources:
            if outside(i):
                problems.append(f"hotspot '{h.label}' cites [{i}], outside the period")
    for f in report.threat.factors:
        for i in f.sources:
            if outside(i):
                problems.append(f"threat factor '{f.name}' cites [{i}], outside the period")
    for entry in report.annex:
        if entry.id not in cited:
            problems.append(f"annex entry [{entry.id}] '{entry.title}' is never cited")
    return problems


def selection_notes(selection: Selection, country: str, *, limit: int) -> list[NoteDraft]:
    """What the selection left out and why, so that nothing disappears in silence.

    Counts the in-period articles by reason (not about the country, not security, ranked
    below the first *limit*), lists by title the articles of the country's own outlets that
    no relevance score placed, and records the analyst's pins.
    """
    from watchfloor.countries import country_name

    name = country_name(country)
    notes: list[NoteDraft] = []
    by_reason: dict[str, list[str]] = defaultdict(list)
    for x in selection.excluded:
        by_reason[x.reason].append(x.story)
    labels = {
        "not_about": f"not about {name}",
        "not_security": "not security news",
        "below_cap": f"security news ranked below the first {limit}",
        "analyst_exclude": "pinned out by the analyst",
    }
    parts = [
        f"{labels[r]}: {len(by_reason[r])} articles ({len(set(by_reason[r]))} stories)"
        for r in ("not_about", "not_security", "below_cap", "analyst_exclude")
        if by_reason.get(r)
    ]
    if parts:
        notes.append(
            NoteDraft(
                "selection",
                "Left out of the key developments: " + "; ".join(parts) + ". Stories about "
                f"{name} that are not developments are listed under 'Also reported'; "
                "'watchfloor reports show ID --excluded' lists every article with its reason.",
            )
        )
    if selection.under_bar:
        kept = {a.id for d in selection.developments for a in d.articles}
        also = {x.article.id for x in selection.also}
        reasons = {x.article.id: x.reason for x in selection.excluded}
        lines = []
        for a in selection.under_bar[:20]:
            fate = (
                "kept as a development"
                if a.id in kept
                else "in 'Also reported'"
                if a.id in also
                else reasons.get(a.id, "left out").replace("_", " ")
            )
            lines.append(f"'{' '.join(a.title.split())}' ({a.outlet}: {fate})")
        more = len(selection.under_bar) - len(lines)
        notes.append(
            NoteDraft(
                "selection",
                f"From {name}'s own outlets but under the relevance bar (no country found "
                f"in them): {len(selection.under_bar)} articles: "
                + "; ".join(lines)
                + (f"; and {more} more" if more > 0 else "")
                + ".",
            )
        )
    pinned_in = [d.title for d in selection.developments if d.pinned == "analyst_include"]
    if pinned_in:
        notes.append(
            NoteDraft(
                "analyst_choice",
                "Pinned into the report by the analyst: "
                + "; ".join(f"'{t}'" for t in pinned_in)
                + ".",
            )
        )
    if selection.analyst_excluded:
        notes.append(
            NoteDraft(
                "analyst_choice",
                "Excluded from the report by the analyst: "
                + "; ".join(f"'{t}'" for t in selection.analyst_excluded)
                + ".",
            )
        )
    if selection.unknown_pins:
        ids = ", ".join(str(i) for i in selection.unknown_pins)
        notes.append(
            NoteDraft(
                "other",
                f"Article id(s) {ids} given to --include or --exclude are not articles of "
                "the period; they changed nothing.",
            )
        )
    return notes
