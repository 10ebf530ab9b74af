"""Reference pages: extract their text, fingerprint it, and diff two versions.

Background pages (a country profile, an alliance's "relations with X" page) are tracked as
versions. A new version matters only when its *text* changed, so each version gets a
``text_hash`` over its normalised paragraphs (markup, whitespace and bullet glyphs do not
count), and :func:`diff_pages` says which paragraphs were added, removed or reworded, with
word-level detail for the reworded ones. The changes are themselves news for the report.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Literal

from watchfloor.collect.extract import decode_html, extract_article
from watchfloor.errors import ParseError

__all__ = [
    "PageDiff",
    "PageText",
    "ParagraphChange",
    "WordChange",
    "diff_pages",
    "extract_page",
    "page_from_text",
    "split_paragraphs",
]

#: Two paragraphs at this similarity or above are "the same paragraph, reworded"; below it,
#: one was removed and another added. Set by eye on the NATO-Mongolia page versions in
#: ../shared/seeds, where real rewrites score 0.4-0.6 and unrelated paragraphs below 0.3.
CHANGED_THRESHOLD = 0.4
_CONTAINMENT_WEIGHT = 0.6
_MIN_CONTAINMENT_TOKENS = 8
_TOKEN = re.compile(r"\w+")
_MAX_PAIRING_CELLS = 250_000  # above this, pair reworded paragraphs greedily (cheaper)

_BULLET = re.compile(r"^(?:[•·▪◦‣∙●○■□–—]|[-*+](?=\s))\s*")
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype|html|head|body|div|p|meta)\b",
    re.IGNORECASE | re.DOTALL,
)
_DATE_LINE = re.compile(
    r"\b(?:last\s+updated|updated|last\s+modified|modified|published)\s*:?\s*"
    r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})",
    re.IGNORECASE,
)
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip


@dataclass(slots=True)
class PageText:
    """The main text of one version of a reference page.

    ``text`` has one paragraph per line, normalised (see :func:`split_paragraphs`);
    ``text_hash`` is the SHA-256 of that text, so two versions with the same hash have the
    same words in the same paragraphs.
    """

    title: str
    text: str
    text_hash: str
    language: str | None = None
    date: date | None = None
    url: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n") if self.text else []


@dataclass(slots=True)
class WordChange:
    """One run of words in a reworded paragraph: kept, deleted, inserted or replaced."""

    op: Literal["equal", "delete", "insert", "replace"]
    old: str
    new: str


@dataclass(slots=True)
class ParagraphChange:
    """One paragraph of the aligned versions.

    ``kind`` is ``equal`` for context, else ``added``, ``removed`` or ``changed``;
    indices are positions in the old and new paragraph lists.
    """

    kind: Literal["equal", "added", "removed", "changed"]
    old: str | None
    new: str | None
    old_index: int | None
    new_index: int | None
    similarity: float | None = None
    words: list[WordChange] = field(default_factory=list)

    def inline(self) -> str:
        """Show a reworded paragraph with ``[-deleted-]`` and ``{+inserted+}`` words."""
        parts: list[str] = []
        for w in self.words:
            if w.op == "equal":
                parts.append(w.old)
            if w.op in ("delete", "replace"):
                parts.append(f"[-{w.old}-]")
            if w.op in ("insert", "replace"):
                parts.append(f"{{+{w.new}+}}")
        return " ".join(parts)


@dataclass(slots=True)
class PageDiff:
    """The paragraph-level difference between two versions of a page."""

    paragraphs: list[ParagraphChange]
    old_hash: str
    new_hash: str
    context: int = 2

    @property
    def changes(self) -> list[ParagraphChange]:
        return [p for p in self.paragraphs if p.kind != "equal"]

    @property
    def unchanged(self) -> bool:
        return self.old_hash == self.new_hash

    def count(self, kind: str) -> int:
        """Count paragraphs of one kind (``changed``, ``added``, ``removed``, ``equal``)."""
        return sum(1 for p in self.paragraphs if p.kind == kind)

    def summary(self) -> str:
        """Describe the change in one line: ``"3 paragraphs changed, 1 added"``."""
        parts: list[str] = []
        for kind in ("changed", "added", "removed"):
            n = self.count(kind)
            if n:
                noun = "" if parts else (" paragraph" if n == 1 else " paragraphs")
                parts.append(f"{n}{noun} {kind}")
        return ", ".join(parts) if parts else "no changes"

    def render(self) -> str:
        """Render for a terminal: ``-`` removed, ``+`` added, ``~`` reworded, two spaces
        for unchanged context, ``...`` for skipped unchanged paragraphs."""
        lines = [f"--- old {self.old_hash[:12]}", f"+++ new {self.new_hash[:12]}", self.summary()]
        near: set[int] = set()
        for i, p in enumerate(self.paragraphs):
            if p.kind != "equal":
                near.update(range(i - self.context, i + self.context + 1))
        skipped = False
        for i, p in enumerate(self.paragraphs):
            if p.kind == "equal" and i not in near:
                skipped = True
                continue
            if skipped:
                lines.append("...")
                skipped = False
            if p.kind == "equal":
                lines.append(f"  {p.new}")
            elif p.kind == "removed":
                lines.append(f"- {p.old}")
            elif p.kind == "added":
                lines.append(f"+ {p.new}")
            else:
                lines.append(f"~ {p.inline()}")
        if skipped:
            lines.append("...")
        return "\n".join(lines)


def split_paragraphs(text: str) -> list[str]:
    """Split text into normalised paragraphs: one per non-empty line, Unicode NFC,
    whitespace collapsed, leading bullet glyphs removed."""
    out: list[str] = []
    for line in unicodedata.normalize("NFC", text).splitlines():
        line = " ".join(line.split())
        line = _BULLET.sub("", line).strip()
        if line:
            out.append(line)
    return out


def _hash(paragraphs: list[str]) -> str:
    return hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()


def _find_date(text: str) -> date | None:
    match = _DATE_LINE.search(text[:5000])
    if not match:
        return None
    month = _MONTHS.get(match.group(2).lower())
    if month is None:
        return None
    try:
        return date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        return None


def page_from_text(text: str, *, title: str | None = None, url: str | None = None) -> PageText:
    """Make a :class:`PageText` from plain text (first paragraph as title by default)."""
    paragraphs = split_paragraphs(text)
    return PageText(
        title=title if title is not None else (paragraphs[0] if paragraphs else ""),
        text="\n".join(paragraphs),
        text_hash=_hash(paragraphs),
        date=_find_date(text),
        url=url,
    )


def extract_page(
    content: bytes, *, url: str | None = None, content_type: str | None = None
) -> PageText:
    """Extract the main text of a reference page version, keeping its paragraphs.

    HTML goes through trafilatura (boilerplate removed, recall favoured so that a paragraph
    does not flicker in and out between versions); ``text/plain`` bodies, or bytes that do
    not start like HTML, are taken as they are.

    Args:
        content: the page body as fetched.
        url: the page URL.
        content_type: the HTTP ``Content-Type`` header (charset and plain-text detection).

    Raises:
        ParseError: no main text was found.
    """
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime == "text/plain" or (not mime and not _HTML_START.match(content[:2048])):
        page = page_from_text(decode_html(content, content_type), url=url)
        if not page.text:
            raise ParseError(f"reference page {url or '(no URL)'} has no text")
        return page
    article = extract_article(content, url=url, content_type=content_type, favor="recall")
    paragraphs = split_paragraphs(article.text)
    return PageText(
        title=article.title,
        text="\n".join(paragraphs),
        text_hash=_hash(paragraphs),
        language=article.language,
        date=article.date or _find_date(article.text),
        url=url,
    )


def _label(paragraph: str) -> str | None:
    head, colon, _ = paragraph.partition(":")
    return head.lower() if colon and 0 < len(head.split()) <= 4 else None


def _similarity(a: str, b: str) -> float:
    """Score how likely ``b`` is a rewording of ``a`` (0 to 1).

    Word-sequence ratio catches edits; token containment catches a paragraph that was
    absorbed into a longer one (editors merge and split paragraphs); a shared short label
    ("Last updated: ...") marks the same line with a new value.
    """
    score = SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
    ta, tb = set(_TOKEN.findall(a.lower())), set(_TOKEN.findall(b.lower()))
    if min(len(ta), len(tb)) >= _MIN_CONTAINMENT_TOKENS:
        score = max(score, _CONTAINMENT_WEIGHT * len(ta & tb) / min(len(ta), len(tb)))
    label = _label(a)
    if label is not None and label == _label(b):
        score = max(score, CHANGED_THRESHOLD)
    return score


def _word_changes(a: str, b: str) -> list[WordChange]:
    wa, wb = a.split(), b.split()
    changes: list[WordChange] = []
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changes.append(WordChange(tag, " ".join(wa[i1:i2]), " ".join(wb[j1:j2])))
    return changes


def _pair(old: list[str], new: list[str]) -> list[tuple[int | None, int | None, float]]:
    """Align two blocks of differing paragraphs, keeping order, maximising total similarity.

    Returns (old offset, new offset, similarity) steps; a None side is an add or remove.
    """
    n, m = len(old), len(new)
    sim = [[0.0] * m for _ in range(n)]
    if n * m <= _MAX_PAIRING_CELLS:
        for i in range(n):
            for j in range(m):
                s = _similarity(old[i], new[j])
                sim[i][j] = s if s >= CHANGED_THRESHOLD else 0.0
    # dp[i][j]: best total similarity aligning old[i:] with new[j:]
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(dp[i + 1][j], dp[i][j + 1])
            if sim[i][j]:
                best = max(best, dp[i + 1][j + 1] + sim[i][j])
            dp[i][j] = best
    steps: list[tuple[int | None, int | None, float]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] and dp[i][j] == dp[i + 1][j + 1] + sim[i][j]:
            steps.append((i, j, sim[i][j]))
            i, j = i + 1, j + 1
        elif dp[i][j] == dp[i + 1][j]:
            steps.append((i, None, 0.0))
            i += 1
        else:
            steps.append((None, j, 0.0))
            j += 1
    steps += [(k, None, 0.0) for k in range(i, n)]
    steps += [(None, k, 0.0) for k in range(j, m)]
    # Within a run of unpaired paragraphs, list removals before additions (like diff -u).
    ordered: list[tuple[int | None, int | None, float]] = []
    run: list[tuple[int | None, int | None, float]] = []
    for step in [*steps, (0, 0, 1.0)]:
        if step[0] is None or step[1] is None:
            run.append(step)
            continue
        ordered += sorted(run, key=lambda s: s[0] is None)
        run = []
        ordered.append(step)
    return ordered[:-1]


def diff_pages(old: PageText | str, new: PageText | str, *, context: int = 2) -> PageDiff:
    """Compare two versions of a page paragraph by paragraph.

    Paragraphs equal after normalisation are unchanged; among the rest, an old and a new
    paragraph whose similarity reaches ``CHANGED_THRESHOLD`` (shared word
    sequence, or one mostly contained in the other, or the same ``Label:``) are one reworded
    paragraph with word-level detail; others are
    removed or added.

    Args:
        old: the earlier version, as a :class:`PageText` or plain text.
        new: the later version.
        context: unchanged paragraphs shown around each change by :meth:`PageDiff.render`.
    """
    old_page = old if isinstance(old, PageText) else page_from_text(old)
    new_page = new if isinstance(new, PageText) else page_from_text(new)
    a, b = old_page.paragraphs, new_page.paragraphs
    result: list[ParagraphChange] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result += [
                ParagraphChange("equal", a[i1 + k], b[j1 + k], i1 + k, j1 + k)
                for k in range(i2 - i1)
            ]
            continue
        for oi, nj, score in _pair(a[i1:i2], b[j1:j2]):
            if oi is not None and nj is not None:
                o, n = a[i1 + oi], b[j1 + nj]
                result.append(
                    ParagraphChange(
                        "changed", o, n, i1 + oi, j1 + nj, round(score, 3), _word_changes(o, n)
                    )
                )
            elif oi is not None:
                result.append(ParagraphChange("removed", a[i1 + oi], None, i1 + oi, None))
            elif nj is not None:
                result.append(ParagraphChange("added", None, b[j1 + nj], None, j1 + nj))
    return PageDiff(result, old_page.text_hash, new_page.text_hash, context)
