"""Markdown: the report as ``report.md``, sections in the model report's order.

Citations are numbered links to anchors in the annex (``[3](#source-3)``). Everything that
comes from an article (titles, summaries, outlets, places, URLs) goes through
:func:`escape_markdown`, so a hostile title can add neither markup, raw HTML nor a link:
Markdown punctuation is backslash-escaped, ``<``, ``>`` and ``&`` become entities, and bare
web addresses are defanged (``hxxps://``, ``www[.]``) so GitHub-style autolinking cannot
turn them into links. Only annex URLs with an http(s) scheme become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from urllib.parse import quote, urlsplit

from watchfloor.models.report import (
    INSUFFICIENT,
    Credibility,
    DateRange,
    Hotspot,
    Report,
    Statement,
)
from watchfloor.report.sections import (
    KNOWN_VS_JUDGED,
    NOTHING,
    Section,
    insufficient_text,
    report_sections,
)
from watchfloor.text import LANGUAGE_NAMES

__all__ = [
    "cite_markdown",
    "escape_markdown",
    "format_date_range",
    "render_markdown",
    "safe_url",
]

# Characters with an inline meaning anywhere in CommonMark or GFM (emphasis, code, links,
# tables, strikethrough); others matter only at the start of a line, see _LEADING.
_PUNCT = frozenset("\\`*_[]()|~")
_LEADING = re.compile(r"^(\d+)([.)])|^([#=+-])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_FANGS = (
    (re.compile(r"\b(h)(tt)(ps?://)", re.IGNORECASE), lambda m: m[1] + "xx" + m[3]),
    (re.compile(r"\b(www)\.", re.IGNORECASE), lambda m: m[1] + "[.]"),
)


def escape_markdown(text: str) -> str:
    """Escape article-derived text so Markdown renders it as plain, inert text.

    Newlines collapse to spaces, web addresses are defanged, HTML-significant characters
    become entities, inline Markdown punctuation is backslash-escaped, and so is a leading
    list or heading marker (so the text cannot start a heading or a list).
    """
    text = " ".join(text.split())
    for pattern, repl in _FANGS:
        text = pattern.sub(repl, text)
    out = []
    for ch in text:
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch in _PUNCT:
            out.append("\\" + ch)
        else:
            out.append(ch)
    # Text may open a paragraph or a table cell: "1. x" or "# x" must not become a list
    # or a heading there.
    return _LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", "".join(out), count=1)


def safe_url(url: str | None) -> str | None:
    """Return the URL percent-encoded for use as a link target, or None if not http(s).

    ``javascript:``, ``data:`` and relative URLs never become links.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    # Keep URL syntax characters; encode the rest (spaces, quotes, angle brackets, parens).
    return quote(url.strip(), safe="/:?#[]@!$&'*+,;=%-._~")


def cite_markdown(ids: Iterable[int]) -> str:
    """Return ``[1](#source-1), [4](#source-4)`` in square brackets, or '' for no ids."""
    unique = sorted(set(ids))
    if not unique:
        return ""
    return "\\[" + ", ".join(f"[{i}](#source-{i})" for i in unique) + "\\]"


def format_date_range(rng: DateRange) -> str:
    """Format a development's date: one day, or ``start – end``."""
    if rng.end is None or rng.end == rng.start:
        return rng.start.isoformat()
    return f"{rng.start.isoformat()} – {rng.end.isoformat()}"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip() or moment.isoformat()


def _statement(s: Statement) -> str:
    prefix = ""
    if s.language and s.language != "en":
        name = LANGUAGE_NAMES.get(s.language, s.language)
        prefix = f"*\\[in {escape_markdown(name)}\\]* "
    if s.background:
        prefix += "*\\[background\\]* "
    if s.judgement:
        prefix += "*\\[judgement\\]* "
    if s.timing:
        prefix += f"*\\[{s.timing}\\]* "
    if s.likelihood:
        prefix += f"*\\[{s.likelihood}\\]* "
    return f"{prefix}{escape_markdown(s.text)} {cite_markdown(s.sources)}".rstrip()


def _statements(items: Sequence[Statement], *, bullets: bool = False) -> list[str]:
    if not items:
        return [f"*{NOTHING}*", ""]
    if bullets:
        return [*(f"- {_statement(s)}" for s in items), ""]
    return [" ".join(_statement(s) for s in items), ""]


def _cell(text: str) -> str:
    return escape_markdown(text) or " "


def _day(d: date) -> str:
    return d.isoformat()


def _header(r: Report) -> list[str]:
    m = r.method
    return [
        f"# {escape_markdown(r.title)}",
        "",
        f"**Country:** {escape_markdown(r.country_name)} ({r.country})  ",
        f"**Analysis period:** {_day(r.period.start)} – {_day(r.period.end)} "
        f"(inclusive, {escape_markdown(r.period.timezone)})  ",
        f"**Generated:** {_when(r.generated_at)}  ",
        f"**Method:** {escape_markdown(m.note)} Backend `{escape_markdown(m.backend)}`, "
        f"analyst {escape_markdown(m.analyst_version)}, "
        f"enricher {escape_markdown(m.enricher_version)}; "
        f"{m.articles} annex entries (news and reference pages) from {m.sources} sources, "
        "listed in the [annex](#annex).",
        "",
        f"*{escape_markdown(KNOWN_VS_JUDGED)}*",
        "",
    ]


def _empty(section: Section) -> list[str]:
    return [f"*{section.empty}*", ""]


def _groups(section: Section) -> list[str]:
    if not section.groups:
        return _empty(section)
    lines: list[str] = []
    for g in section.groups:
        esc = escape_markdown if g.from_sources else str
        note = f" ({esc(g.note)})" if g.note is not None else ""
        lines += [f"### {esc(g.title)}{note}", ""]
        lines += _statements(g.statements, bullets=g.bullets)
    return lines


def _developments(r: Report, section: Section) -> list[str]:
    if not r.key_developments:
        return _empty(section)
    lines: list[str] = []
    for n, d in enumerate(r.key_developments, start=1):
        cats = ", ".join(escape_markdown(c) for c in d.categories if c not in (d.category, "other"))
        category = escape_markdown(d.category) + (f" ({cats})" if cats else "")
        places = ", ".join(escape_markdown(p) for p in d.places) or "none named"
        lines += [
            f"### {n}. {escape_markdown(d.title)}",
            "",
            f"*Date:* {format_date_range(d.date)} · *Category:* {category} · *Places:* {places}",
            "",
            *_grade(d.credibility),
            *_statements(d.summary),
            f"Sources: {cite_markdown(d.sources)}",
            "",
        ]
    return lines


def grade_line(c: Credibility) -> str:
    """``B2, single source`` or ``A1, 3 independent outlets, official``."""
    said = [c.grade]
    said.append(
        "single source" if c.single_source else f"{c.independent_outlets} independent outlets"
    )
    if c.official:
        said.append("officially confirmed")
    if c.conflicts:
        said.append("conflicting figures")
    return ", ".join(said)


def _grade(c: Credibility | None) -> list[str]:
    if c is None:
        return []
    reasons = "; ".join(escape_markdown(x) for x in c.reasons)
    return [f"*Grade:* **{grade_line(c)}** — {reasons}", ""]


def _also_reported(r: Report, section: Section) -> list[str]:
    if not r.also_reported and not r.also_reported_more:
        return _empty(section)
    lines = []
    for x in r.also_reported:
        why = "security, below the cut" if x.reason == "below_cap" else "not security"
        lines.append(
            f"- {escape_markdown(' '.join(x.title.split()))} — {escape_markdown(x.outlet)}, "
            f"{x.published:%Y-%m-%d}; {escape_markdown(x.category)} ({why}) "
            f"{cite_markdown(x.sources)}"
        )
    if r.also_reported_more:
        counts = ", ".join(
            f"{escape_markdown(cat)}: {n}" for cat, n in r.also_reported_more.items()
        )
        lines.append(f"- *Further stories, by category:* {counts}")
    return [*lines, ""]


def _threat(r: Report) -> list[str]:
    t = r.threat
    trend: str = t.trend.direction
    if t.trend.previous_level is not None:
        previous = f"{t.trend.previous_level}"
        if t.trend.previous_score is not None:
            previous += f", {t.trend.previous_score:.1f}"
        trend += f" (previous report: {previous})"
    if r.threat_level == INSUFFICIENT or t.score is None:
        head = [f"*\\[judgement\\]* **{escape_markdown(insufficient_text(r))}**", ""]
        head += [
            "The factors below are what was counted; with so little data they measure nothing.",
            "",
        ]
    else:
        confidence = f"; confidence: **{t.confidence}**" if t.confidence else ""
        head = [
            f"*\\[judgement\\]* **{r.threat_level}**, score {t.score:.1f} / 100; "
            f"trend: {trend}{confidence}.",
            "",
        ]
        if t.confidence_reasons:
            head += [
                "Confidence rests on: "
                + "; ".join(escape_markdown(x) for x in t.confidence_reasons)
                + ".",
                "",
            ]
    lines = [
        *head,
        "| Factor | Value | Weight | Contribution | Detail | Sources |",
        "|---|---:|---:|---:|---|---|",
    ]
    for f in t.factors:
        lines.append(
            f"| {_cell(f.name)} | {f.value:.2f} | {f.weight:g} | {f.contribution:.1f} | "
            f"{_cell(f.detail)} | {cite_markdown(f.sources) or ' '} |"
        )
    return [*lines, ""]


def _coverage(r: Report, section: Section) -> list[str]:
    c = r.coverage
    if c is None:
        return _empty(section)
    usual = (
        f"usual {c.usual_per_day:.1f} a day over {c.history_periods} earlier period(s)"
        if c.usual_per_day is not None
        else "usual volume unknown (no earlier period in the store)"
    )
    days = ", ".join(f"{d.day:%m-%d} {d.articles}" for d in c.per_day)
    langs = ", ".join(
        f"{escape_markdown(LANGUAGE_NAMES.get(k, k))} {n}" for k, n in c.languages.items()
    )
    excluded = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in c.excluded.items())
    lines = [
        f"- **Articles about the country:** {c.articles}; per day: {days}; {usual}.",
        f"- **Sources:** {c.worked} worked, {c.failed} failed, {c.stale} stale.",
        f"- **Languages:** {langs or 'none'}.",
        f"- **Unresolved:** {c.unresolved_places:.0%} of the articles with no place resolved, "
        f"{c.unresolved_dates:.0%} with an estimated publication date.",
        f"- **Excluded articles, by reason:** {excluded or 'none'} "
        "(see *Also reported* and `report.json` `excluded`).",
        *(f"- {escape_markdown(n)}" for n in c.notes),
        "",
    ]
    if c.sources:
        lines += [
            "| Source | Status | Articles | Grade | Detail |",
            "|---|---|---:|---|---|",
        ]
        for s in c.sources:
            grade = s.reliability + (", official" if s.official else "")
            lines.append(
                f"| {_cell(s.name)} | {s.status} | {s.articles} | {grade} | {_cell(s.detail)} |"
            )
        lines.append("")
    return lines


def _hotspot_rows(hotspots: list[Hotspot], first: int, country: str) -> list[str]:
    lines = [
        "| # | Label | Detail | Lat | Lng | Precision | Intensity | Sources |",
        "|---:|---|---|---:|---:|---|---:|---|",
    ]
    for n, h in enumerate(hotspots, start=first):
        label = h.label + (f" ({h.country})" if h.country and h.country != country else "")
        lines.append(
            f"| {n} | {_cell(label)} | {_cell(h.detail)} | {h.lat:.4f} | {h.lng:.4f} | "
            f"{h.precision or 'point'} | {h.intensity} | {cite_markdown(h.sources)} |"
        )
    return lines


def _hotspots(r: Report, section: Section) -> list[str]:
    lines = _hotspot_rows(r.hotspots, 1, r.country) if r.hotspots else [f"*{section.empty}*"]
    if r.hotspots_abroad:
        lines += [
            "",
            "### Abroad",
            "",
            f"*Places abroad where {escape_markdown(r.country_name)}'s forces or citizens "
            "are involved; not on the map of the country.*",
            "",
            *_hotspot_rows(r.hotspots_abroad, len(r.hotspots) + 1, r.country),
        ]
    return [*lines, ""]


def _background(r: Report, section: Section) -> list[str]:
    if not r.background:
        return _empty(section)
    lines = ["*Background from tracked reference pages, not news of the period.*", ""]
    for b in r.background:
        changed = " — changed during the period" if b.changed_in_period else ""
        lines.append(
            f"- **{escape_markdown(b.page)}** (version {b.version} of "
            f"{_day(b.version_date)}{changed}): {_statement(b.statement)}"
        )
    return [*lines, ""]


def _data_quality(r: Report, section: Section) -> list[str]:
    if not r.data_quality:
        return _empty(section)
    lines = []
    for q in r.data_quality:
        kind = q.kind.replace("_", " ")
        cite = cite_markdown(q.sources)
        lines.append(f"- **{kind}:** {escape_markdown(q.text)} {cite}".rstrip())
    return [*lines, ""]


def _annex(r: Report) -> list[str]:
    lines = [
        "| # | Title | Outlet | Published | Language | URL |",
        "|---:|---|---|---|---|---|",
    ]
    for a in r.annex:
        url = safe_url(a.url)
        link = f"<{url}>" if url else (_cell(a.url) if a.url else " ")
        lines.append(
            f'| <a id="source-{a.id}"></a>{a.id} | {_cell(a.title)} | {_cell(a.outlet)} | '
            f"{_when(a.published)} | {_cell(a.language or 'unknown')} | {link} |"
        )
    return [*lines, ""]


def _section_body(r: Report, section: Section) -> list[str]:
    match section.kind:
        case "statements":
            return _statements(section.statements)
        case "groups":
            return _groups(section)
        case "developments":
            return _developments(r, section)
        case "also_reported":
            return _also_reported(r, section)
        case "threat":
            return _threat(r)
        case "coverage":
            return _coverage(r, section)
        case "hotspots":
            return _hotspots(r, section)
        case "background":
            return _background(r, section)
        case "data_quality":
            return _data_quality(r, section)
        case "annex":
            return _annex(r)
        case "map":
            return []


def render_markdown(report: Report) -> str:
    """Render ``report.md`` from a report, section by section (:func:`report_sections`)."""
    lines = _header(report)
    for section in report_sections(report):
        if section.interactive:
            continue
        if section.id == "annex":  # the header's link points here
            lines += ['<a id="annex"></a>', ""]
        lines += [f"## {section.title}", "", *_section_body(report, section)]
    return "\n".join(lines)
