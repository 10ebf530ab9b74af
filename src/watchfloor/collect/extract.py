"""Extract the main text of an article page with trafilatura.

Bytes are decoded here, not by trafilatura, so the charset the server declared wins over
guesses: HTTP ``Content-Type`` charset, then a byte-order mark, then the page's
``<meta charset>``, then strict UTF-8, then Windows-1252 (what browsers assume for
"ISO-8859-1" and undeclared Western pages).
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from watchfloor.errors import ParseError

__all__ = ["MIN_WORDS", "ArticleText", "Favor", "decode_html", "extract_article", "html_language"]

Favor = Literal["precision", "balanced", "recall"]

#: Fewer words than this is not an article: trafilatura's fallbacks can return a lone menu
#: label ("Home") from a page whose content is built by JavaScript.
MIN_WORDS = 8

logger = logging.getLogger(__name__)

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Browsers treat these labels as Windows-1252, a superset that decodes the 0x80-0x9F range.
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}


@dataclass(slots=True)
class ArticleText:
    """The main text of one article and the metadata found beside it.

    ``text`` keeps one paragraph (or list item, or heading) per line. ``date`` is the
    publication date trafilatura found (a calendar date, no time of day). ``language`` is
    the page's declared ``<html lang>``, not a detection.
    """

    title: str
    text: str
    author: str | None = None
    date: date | None = None
    language: str | None = None
    url: str | None = None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(content: bytes, content_type: str | None = None) -> str:
    """Decode page bytes to text, honouring the declared charset.

    Args:
        content: the raw body.
        content_type: the HTTP ``Content-Type`` header, if any.
    """
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content.decode(name, errors="replace")
    declared = None
    if content_type and (match := _HTTP_CHARSET.search(content_type)):
        declared = _codec(match.group(1))
    if declared is None and (meta := _META_CHARSET.search(content[:4096])):
        declared = _codec(meta.group(1).decode("ascii", errors="ignore"))
        # A <meta> the regex could read sits in ASCII-compatible bytes, so a UTF-16 label
        # there is wrong; browsers read such pages as UTF-8 too.
        if declared is not None and declared.startswith("utf-16"):
            declared = "utf-8"
    if declared is not None:
        return content.decode(declared, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def html_language(html: str) -> str | None:
    """Return the primary language subtag of ``<html lang>`` ("en" for "en-GB"), if any."""
    match = _HTML_LANG.search(html[:20000])
    return match.group(1).lower() if match else None


def _to_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _extract(html: str, url: str | None, *, favor: Favor = "precision") -> dict[str, object] | None:
    """Run trafilatura on decoded HTML and return its fields, or None if it found nothing."""
    import trafilatura  # imported here: loading it takes ~0.3 s and most commands skip it

    html = _XML_DECL.sub("", html, count=1)  # lxml refuses str input with an encoding decl
    if not html.strip():
        return None
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=favor == "precision",
        favor_recall=favor == "recall",
    )
    if doc is None:
        return None
    fields: dict[str, object] = doc if isinstance(doc, dict) else doc.as_dict()
    return fields


def extract_article(
    content: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    favor: Favor = "precision",
) -> ArticleText:
    """Extract an article's main text, title, author, date and declared language.

    Args:
        content: the page body as fetched.
        url: the page URL; helps trafilatura with site-specific rules and metadata.
        content_type: the HTTP ``Content-Type`` header, used for the charset.
        favor: trafilatura's trade-off: ``"precision"`` (the default: best F1 on the dev half
            of the benchmark in ``benchmarks/bench_extract.py``, and less boilerplate for the
            entity and place stages), ``"balanced"`` or ``"recall"``.

    Raises:
        ParseError: no main text could be found (an index page, an empty or script-only
            page, or not HTML at all).
    """
    html = decode_html(content, content_type)
    fields = _extract(html, url, favor=favor) or {}
    text = str(fields.get("text") or "").strip()
    if len(text.split()) < MIN_WORDS:
        raise ParseError(
            f"no main text found in {url or 'the page'} ({len(text.split())} words): it may "
            "be an index page, need JavaScript, or not be an article"
        )
    return ArticleText(
        title=str(fields.get("title") or "").strip(),
        text=text,
        author=str(fields["author"]).strip() if fields.get("author") else None,
        date=_to_date(fields.get("date")),
        language=html_language(html),
        url=url,
    )
