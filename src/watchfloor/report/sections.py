"""The report's sections, in reading order: the one outline both renderers follow.

:func:`report_sections` turns a :class:`Report` into an ordered list of :class:`Section`.
A section has an anchor id, a title, the text to show when it is empty, and a ``kind`` that
says how its content is laid out:

* ``"statements"``: a paragraph (or a list) of cited statements;
* ``"groups"``: sub-headed lists of cited statements (geopolitics, outlook);
* any other kind (``"developments"``, ``"also_reported"``, ``"map"``, ``"threat"``,
  ``"coverage"``, ``"hotspots"``,
  ``"background"``, ``"data_quality"``, ``"annex"``) is a table or a list that each renderer
  draws from the report itself.

:mod:`watchfloor.report.markdown` and ``templates/report.html.j2`` iterate this list, so a
section added, renamed or moved here moves in both. A section marked ``interactive`` (the
hotspot map) exists only where a map can be drawn: HTML and PDF, not Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from watchfloor.models.report import Report, Statement

__all__ = [
    "KNOWN_VS_JUDGED",
    "NOTHING",
    "OUTLOOK_TITLES",
    "Section",
    "SectionKind",
    "StatementGroup",
    "insufficient_text",
    "report_sections",
]

SectionKind = Literal[
    "statements",
    "groups",
    "developments",
    "also_reported",
    "map",
    "threat",
    "coverage",
    "hotspots",
    "background",
    "data_quality",
    "annex",
]

NOTHING = "Nothing in the sources for this period."
"""What an empty list of statements says."""

OUTLOOK_TITLES = {
    "short_term": "Short-term trends (1-3 months)",
    "flashpoints": "Critical flashpoints and risk areas",
    "indicators": "Indicators to monitor",
    "recommendations": "Strategic recommendations",
}
"""The outlook's sub-sections, by field of :class:`~watchfloor.models.report.Outlook`."""

KNOWN_VS_JUDGED = (
    "Statements marked [judgement] are watchfloor's own assessment (the level, the trend, "
    "flashpoints, indicators, recommendations); every other statement is quoted or "
    "condensed from the sources cited after it. Outlook items say whether a source "
    "announced the date [scheduled] or watchfloor inferred it [inferred]. Grades such as "
    "B2 give the best source reliability (A-F) and the credibility of the information "
    "(1-6); docs/standards.md explains them."
)
"""The legend every format prints once, near the top."""


def insufficient_text(report: Report) -> str:
    """What a report with insufficient data says instead of a level."""
    why = "; ".join(r.removeprefix("insufficient data: ") for r in report.threat.confidence_reasons)
    return "Insufficient data: no threat level or score is given" + (f" ({why})." if why else ".")


@dataclass(frozen=True, slots=True)
class StatementGroup:
    """A sub-heading (with an optional note, e.g. an actor's relation) over statements."""

    title: str
    statements: tuple[Statement, ...]
    note: str | None = None
    bullets: bool = True
    from_sources: bool = False
    """True when title and note come from articles (an actor's name): Markdown escapes them."""


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the report, as both renderers lay it out."""

    id: str
    """Anchor id (``#executive-summary``)."""
    title: str
    kind: SectionKind
    empty: str = NOTHING
    """Shown instead of the content when the section has none."""
    statements: tuple[Statement, ...] = ()
    """The content of a ``"statements"`` section."""
    groups: tuple[StatementGroup, ...] = ()
    """The content of a ``"groups"`` section."""
    interactive: bool = False
    """True for a section only a page can show (the map): Markdown leaves it out."""


def report_sections(report: Report) -> list[Section]:
    """Return the sections of *report* in the order they are read."""
    r = report
    return [
        Section(
            "executive-summary",
            "Executive summary",
            "statements",
            statements=tuple(r.executive_summary),
        ),
        Section("map-section", "Hotspot map", "map", interactive=True),
        Section(
            "key-developments",
            "Key security developments",
            "developments",
            empty="No developments in this period.",
        ),
        Section(
            "also-reported",
            "Also reported",
            "also_reported",
            empty="Nothing else about the country in this period.",
        ),
        Section(
            "geopolitics",
            "Geopolitical impact and regional dynamics",
            "groups",
            groups=tuple(
                StatementGroup(g.actor, tuple(g.statements), note=g.relation, from_sources=True)
                for g in r.geopolitical_impact
            ),
        ),
        Section(
            "military",
            "Military and defence analysis",
            "statements",
            statements=tuple(r.military_analysis),
        ),
        Section(
            "outlook",
            "Outlook and forecast",
            "groups",
            groups=tuple(
                StatementGroup(title, tuple(getattr(r.outlook, key)))
                for key, title in OUTLOOK_TITLES.items()
            ),
        ),
        Section("threat", "Threat level", "threat"),
        Section(
            "coverage",
            "Coverage and confidence",
            "coverage",
            empty="No coverage figures (a report made before schema 1.2).",
        ),
        Section("hotspots", "Hotspots", "hotspots", empty="No hotspots in this period."),
        Section("background", "Background", "background", empty="No background passages."),
        Section("data-quality", "Data quality notes", "data_quality", empty="No issues found."),
        Section("annex", "Annex", "annex"),
    ]
