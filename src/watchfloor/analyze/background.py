"""Background from tracked reference pages, and page changes as developments.

For each development, the paragraph of the country's reference pages (the version current
at the period's end) that shares most with it, above a floor, is cited as background with
the version's date. A page with a new version captured in the period is itself a
development: its changed paragraphs, cited to the new version, with the paragraph it
replaced cited to the old version as background.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from watchfloor.analyze.casualties import Casualties
from watchfloor.analyze.credibility import assess_credibility
from watchfloor.analyze.developments import DevDraft
from watchfloor.analyze.facts import PageFact, PeriodData, day_bounds
from watchfloor.backends.select import usable
from watchfloor.models.analysis import Draft
from watchfloor.text import cosine, split_sentences, stems, tfidf

__all__ = ["BackgroundDraft", "find_background", "page_changes", "paragraphs"]

MIN_SIMILARITY = 0.12
MAX_ITEMS = 8
MIN_PARAGRAPH = 60
_BOILERPLATE = re.compile(r"^(?:last updated|updated|share|print|cookie|©)", re.IGNORECASE)


@dataclass(slots=True)
class BackgroundDraft:
    page: PageFact
    draft: Draft
    changed_in_period: bool


def paragraphs(text: str) -> list[str]:
    """The substantive paragraphs of a page's text (no dates lines or short crumbs)."""
    out = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(line) >= MIN_PARAGRAPH and not _BOILERPLATE.match(line):
            out.append(line)
    return out


def _passage(paragraph: str, limit: int = 2) -> str:
    picked = [s for s in split_sentences(paragraph) if usable(s)][:limit]
    return " ".join(picked)


def _current(pages: Sequence[PageFact]) -> dict[int, list[PageFact]]:
    by_source: dict[int, list[PageFact]] = {}
    for page in pages:
        by_source.setdefault(page.source_id, []).append(page)
    for versions in by_source.values():
        versions.sort(key=lambda p: p.version)
    return by_source


def page_changes(data: PeriodData, devs: Sequence[DevDraft]) -> list[DevDraft]:
    """One development per reference page that got a new version during the period."""
    lo, hi = day_bounds(data.start, data.end, data.timezone)
    out = []
    for versions in _current(data.pages).values():
        for old, new in itertools.pairwise(versions):
            if not lo <= new.fetched_at < hi:
                continue
            before, after = paragraphs(old.text), paragraphs(new.text)
            matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
            drafts: list[Draft] = []
            replaced: list[Draft] = []
            for op, a0, _a1, b0, b1 in matcher.get_opcodes():
                if op not in ("replace", "insert"):
                    continue
                for para in after[b0:b1]:
                    text = _passage(para)
                    if text:
                        drafts.append(Draft(text=text, keys=(("p", new.id),)))
                if op == "replace" and not replaced:
                    text = _passage(before[a0])
                    if text:
                        replaced.append(Draft(text=text, keys=(("p", old.id),), background=True))
            if not drafts:
                continue
            category, severity = _nearest_category(" ".join(after), devs)
            day = new.fetched_at.date()
            out.append(
                DevDraft(
                    id=f"page-{new.source_id}-v{new.version}",
                    title=f"Reference page updated: {new.title}",
                    start=day,
                    end=None,
                    category=category,
                    categories=[category],
                    summary=drafts[:3] + replaced,
                    places=[],
                    actors=[],
                    partners=[],
                    organisations=[],
                    significance=round(3.0 * severity + 1.0, 3),
                    severity=severity,
                    articles=[],
                    outside=[],
                    casualties=Casualties(),
                    attack=None,
                    new=True,
                    page_keys=[("p", new.id), ("p", old.id)],
                    credibility=assess_credibility([], data, page_sources=[new.source_id]),
                )
            )
    return out


def _nearest_category(text: str, devs: Sequence[DevDraft]) -> tuple[str, float]:
    news = [d for d in devs if d.articles]
    if not news:
        return "other", 0.0
    vectors = tfidf([stems(text)] + [stems(" ".join(x.text for x in d.summary)) for d in news])
    best = max(range(len(news)), key=lambda i: cosine(vectors[0], vectors[i + 1]))
    if cosine(vectors[0], vectors[best + 1]) < MIN_SIMILARITY:
        return "other", 0.0
    return news[best].category, news[best].severity


def find_background(data: PeriodData, devs: Sequence[DevDraft]) -> list[BackgroundDraft]:
    """Passages of the country's reference pages that bear on the developments."""
    lo, hi = day_bounds(data.start, data.end, data.timezone)
    pool: list[tuple[PageFact, str]] = []
    for versions in _current(data.pages).values():
        page = versions[-1]
        pool.extend((page, para) for para in paragraphs(page.text))
    news = [d for d in devs if d.articles][:15]
    if not pool or not news:
        return []
    dev_texts = [" ".join([d.title, *(s.text for s in d.summary)]) for d in news]
    vectors = tfidf([stems(p) for _, p in pool] + [stems(t) for t in dev_texts])
    para_vecs, dev_vecs = vectors[: len(pool)], vectors[len(pool) :]
    used: set[int] = set()
    out: list[BackgroundDraft] = []
    for dv in dev_vecs:
        ranked = sorted(range(len(pool)), key=lambda i: -cosine(dv, para_vecs[i]))
        for i in ranked[:1]:
            if i in used or cosine(dv, para_vecs[i]) < MIN_SIMILARITY:
                continue
            text = _passage(pool[i][1], limit=3)
            if not text:
                continue
            used.add(i)
            page = pool[i][0]
            out.append(
                BackgroundDraft(
                    page=page,
                    draft=Draft(text=text, keys=(("p", page.id),), background=True),
                    changed_in_period=lo <= page.fetched_at < hi and page.version > 1,
                )
            )
        if len(out) >= MAX_ITEMS:
            break
    return out


def version_date(page: PageFact) -> date:
    """The date a page version speaks for."""
    return page.dated.date()
