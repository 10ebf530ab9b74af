"""Turn the bytes of a news feed into a :class:`~watchfloor.models.ParsedFeed`.

RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 go through feedparser (its loose parser copes with
the broken XML real sites publish); JSON Feed 1.0/1.1 is parsed here because feedparser
6.0 does not know it. On top of feedparser this module adds what the rest of watchfloor
relies on:

- a safety gate: any ``<!ENTITY`` declaration is refused with
  :class:`~watchfloor.errors.UnsafeXMLError` before an XML parser sees the document,
  so entity bombs and external entities are never expanded or fetched;
- modern charset rules: the HTTP ``charset`` wins, then the BOM and the XML declaration,
  then UTF-8 (feedparser's RFC 3023 rules would read every ``text/xml`` as US-ASCII);
- plain text: titles, summaries and content are HTML-stripped, with script, style and
  similar elements dropped with their content, and whitespace normalised;
- timezone-aware UTC dates, with a fallback for dates written with localised day and
  month names (``Seg, 24 Set 2018``, ``lun., 3 déc. 2018``);
- quarantine: an entry with neither a title nor a link becomes an
  :class:`~watchfloor.models.ItemReject` instead of an item.

See docs/feeds.md for the policies and the measured fidelity.
"""

from __future__ import annotations

import codecs
import email.utils
import html
import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import feedparser.encodings
from dateutil import parser as date_parser

from watchfloor.collect.fastfeed import is_plain_http_url, parse_wellformed
from watchfloor.errors import ParseError, UnsafeXMLError
from watchfloor.models import ItemReject, ParsedFeed, ParsedItem

__all__ = ["html_to_text", "parse_date", "parse_feed"]

_JSON_MIME_TYPES = frozenset({"application/feed+json", "application/json", "text/json"})
_RAW_LIMIT = 4000  # characters of a rejected entry kept for the rejects table

# Elements whose content is code or decoration, never readable text.
_SKIP_ELEMENTS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "svg", "math", "head"}
)
_BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
_TAG_HINT = re.compile(r"<[A-Za-z!/?]")
_WHITESPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# Left-to-right tokens that can hide a literal "<!ENTITY" from an XML parser: comments and
# CDATA sections. Each alternative also ends at end-of-input so the scan stays linear.
_MARKUP_SCAN = re.compile(
    rb"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|(?P<entity><!ENTITY)",
    re.IGNORECASE | re.DOTALL,
)

# Localised month names and abbreviations (pt, es, fr, de, it, nl) mapped to English.
_MONTHS = {
    "jan": ["janeiro", "enero", "ene", "janvier", "janv", "januar", "gennaio", "gen", "januari"],
    "feb": ["fevereiro", "fev", "febrero", "février", "févr", "fevr", "februar", "febbraio",
            "februari"],
    "mar": ["março", "marco", "marzo", "mars", "märz", "mär", "mrz", "maart", "mrt"],
    "apr": ["abril", "abr", "avril", "avr", "aprile", "april"],
    "may": ["maio", "mayo", "mai", "maggio", "mag", "mei"],
    "jun": ["junho", "junio", "juin", "juni", "giugno", "giu"],
    "jul": ["julho", "julio", "juillet", "juil", "juli", "luglio", "lug"],
    "aug": ["agosto", "ago", "août", "aout", "august", "augustus"],
    "sep": ["setembro", "septiembre", "set", "sept", "septembre", "september", "settembre"],
    "oct": ["outubro", "out", "octubre", "octobre", "oktober", "okt", "ottobre", "ott"],
    "nov": ["novembro", "noviembre", "novembre", "november"],
    "dec": ["dezembro", "dez", "diciembre", "dic", "décembre", "déc", "dezember", "dicembre",
            "december"],
}  # fmt: skip
_MONTH_WORDS = {word: english for english, words in _MONTHS.items() for word in words}
_FRACTION = re.compile(r":\d\d[.,]\d")
_LEADING_DAY_NAME = re.compile(r"^\s*[^\W\d_]+\.?\s*,\s*")
_WORD = re.compile(r"[^\W\d_]+\.?")


def parse_feed(
    content: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    fast: bool = True,
) -> ParsedFeed:
    """Parse an RSS, Atom or JSON Feed document into items.

    Args:
        content: the document exactly as fetched (any encoding, BOM allowed).
        url: the feed's final URL; relative links are resolved against it (after any
            ``xml:base`` in the document).
        content_type: the HTTP ``Content-Type`` header; its ``charset`` decides the
            encoding, and a JSON media type selects the JSON Feed parser.

    Returns:
        The feed with its items; ``bozo`` is set when the document was malformed but
        could still be read, and entries with neither title nor link are in ``rejects``.

    Raises:
        UnsafeXMLError: the document declares XML entities (see docs/feeds.md).
        ParseError: nothing usable could be read from the document.
    """
    if not content.strip():
        raise ParseError(f"empty document from {url or 'input'}: nothing to parse")
    mime, charset = _split_content_type(content_type)
    if mime in _JSON_MIME_TYPES or _starts_like_json(content):
        return _parse_json_feed(content, url=url, charset=charset)
    return _parse_xml_feed(content, url=url, charset=charset, fast=fast)


def html_to_text(value: str, *, single_line: bool = False) -> str:
    """Return the readable text of an HTML fragment, without scripts, styles or tags.

    Without tags the value is treated as plain text (its line breaks are kept, character
    references are decoded). In HTML, block elements become line breaks, runs of blank
    lines become one empty line and spaces are collapsed; with ``single_line`` every
    whitespace run becomes one space.
    """
    if _TAG_HINT.search(value):
        extractor = _TextExtractor()
        extractor.feed(value)
        extractor.close()
        value = "".join(extractor.parts)
    elif "&" in value:
        value = html.unescape(value)
    if single_line:
        return " ".join(value.split())
    lines = (" ".join(line.split()) for line in value.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def parse_date(value: str) -> datetime | None:
    """Parse a feed date string to timezone-aware UTC, or return None if it has no date.

    Understands RFC 822/2822 and ISO 8601/RFC 3339 and most other English spellings,
    plus Portuguese, Spanish, French, German, Italian and Dutch day and month names.
    A date without a timezone is taken to be UTC.
    """
    text = " ".join(value.split())
    if not text:
        return None
    parsed = _try_parse_date(text)
    if parsed is None:
        localised = _englishify_date(text)
        if localised != text:
            parsed = _try_parse_date(localised)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# --- XML feeds --------------------------------------------------------------------------


def _parse_xml_feed(
    content: bytes, *, url: str | None, charset: str | None, fast: bool = True
) -> ParsedFeed:
    # feedparser follows RFC 3023, which reads text/xml without charset as US-ASCII and
    # flags any non-XML media type as malformed. Real servers label feeds text/html or
    # text/xml with UTF-8 bodies, so only the charset of the header is passed on, under a
    # neutral XML media type; the document's own declaration decides otherwise.
    bom_codec = _bom_codec(content)
    if bom_codec:
        # A byte order mark outranks every label (RFC 7303); feedparser would try the
        # declared or default charset first, and UTF-16 ASCII text is valid UTF-8 with NULs.
        try:
            content = content.decode(bom_codec).encode("utf-8")
            charset = "utf-8"
        except UnicodeDecodeError:
            pass
    headers = {
        "content-type": f"application/xml; charset={charset}" if charset else "application/xml"
    }
    encoding_result: dict[str, Any] = {}
    try:
        data = feedparser.encodings.convert_to_utf8(headers, content, encoding_result)
    except LookupError:
        # An unknown charset label in the HTTP header: let the document decide instead.
        headers = {"content-type": "application/xml"}
        encoding_result = {}
        data = feedparser.encodings.convert_to_utf8(headers, content, encoding_result)
    _refuse_entity_declarations(data, url)
    result: Any = None
    if fast and encoding_result.get("encoding") and not encoding_result.get("bozo_exception"):
        # Well-formed, cleanly decoded documents of the common formats: lxml (fastfeed.py).
        fast_result = parse_wellformed(data, url=url)
        if fast_result is not None:
            result = {
                "version": fast_result.version,
                "feed": fast_result.feed,
                "entries": fast_result.entries,
            }
    if result is None:
        if encoding_result.get("encoding"):
            headers = {"content-type": "application/xml; charset=utf-8"}
        if url:
            headers["content-location"] = url
        result = _feedparser_parse(data, url, headers)

    bozo_reasons = [
        _describe(exc)
        for exc in (encoding_result.get("bozo_exception"), _get(result, "bozo_exception"))
        if exc is not None
    ]
    version = str(_get(result, "version") or "")
    entries = _get(result, "entries") or []
    feed_meta = _get(result, "feed") or {}
    if not version and not entries:
        reason = "; ".join(bozo_reasons) or "no RSS, Atom or JSON Feed elements found"
        raise ParseError(
            f"{url or 'input'} is not a readable feed ({reason}); check that the URL points"
            " at the feed itself rather than an HTML page"
        )

    feed_language = _clean_language(_get(feed_meta, "language"))
    parsed = ParsedFeed(
        title=html_to_text(str(_get(feed_meta, "title") or ""), single_line=True),
        link=_safe_link(_get(feed_meta, "link"), url),
        language=feed_language,
        format=version or "unknown",
        bozo=bool(bozo_reasons),
        bozo_reason="; ".join(bozo_reasons) or None,
    )
    for entry in entries:
        item = _item_from_entry(entry, feed_language, url)
        if isinstance(item, ItemReject):
            parsed.rejects.append(item)
        else:
            parsed.items.append(item)
    return parsed


def _feedparser_parse(data: bytes, url: str | None, headers: dict[str, str]) -> Any:
    try:
        return feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:
        # feedparser's loose parser is a large regex-driven state machine; whatever it trips
        # over inside is a property of this input, reported as such instead of a crash.
        raise ParseError(
            f"feed parser failed on {url or 'input'}: {type(exc).__name__}: {exc}"
        ) from exc


def _item_from_entry(
    entry: Mapping[str, Any], feed_language: str | None, url: str | None
) -> ParsedItem | ItemReject:
    title = html_to_text(str(_get(entry, "title") or ""), single_line=True)
    link = _safe_link(_get(entry, "link"), url)
    if not title and not link:
        return _reject("entry has neither a title nor a link", entry)
    guid = str(_get(entry, "id") or "").strip() or None
    summary = html_to_text(str(_get(entry, "summary") or ""))
    content = "\n\n".join(
        text
        for part in _get(entry, "content") or []
        if (text := html_to_text(str(_get(part, "value") or "")))
    )
    published = _entry_date(entry, "published")
    updated = _entry_date(entry, "updated")
    language = None
    for detail_key in ("title_detail", "summary_detail"):
        detail = _get(entry, detail_key)
        if detail and _get(detail, "language"):
            language = _clean_language(_get(detail, "language"))
            break
    author = html_to_text(str(_get(entry, "author") or ""), single_line=True) or None
    categories = _unique(
        html_to_text(str(_get(tag, "term") or _get(tag, "label") or ""), single_line=True)
        for tag in _get(entry, "tags") or []
    )
    return ParsedItem(
        title=title,
        url=link,
        guid=guid,
        summary=summary,
        content=content,
        # Atom requires <updated> but not <published>; the update time is then the best
        # date the feed gives for when the story appeared.
        published=published or updated,
        updated=updated,
        author=author,
        language=language or feed_language,
        categories=categories,
        geo=_entry_geo(entry),
    )


def _entry_date(entry: Mapping[str, Any], key: str) -> datetime | None:
    raw = str(_get(entry, key) or "")
    parsed = _get(entry, f"{key}_parsed")
    if parsed:
        try:
            year, month, day, hour, minute, second = (int(v) for v in parsed[:6])
            whole = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except (TypeError, ValueError):
            pass
        else:
            # feedparser's struct_time drops fractions of a second; keep them when the
            # string has some and our own reading agrees to the second.
            if _FRACTION.search(raw):
                precise = parse_date(raw)
                if precise is not None and precise.replace(microsecond=0) == whole:
                    return precise
            return whole
    return parse_date(raw) if raw else None


def _entry_geo(entry: Mapping[str, Any]) -> list[tuple[str, float, float, str | None]]:
    name = html_to_text(str(_get(entry, "georss_featurename") or ""), single_line=True)
    places: list[tuple[str, float, float, str | None]] = []
    where = _get(entry, "where")
    if where and _get(where, "type") == "Point":
        coordinates: tuple[Any, ...] = tuple(_get(where, "coordinates") or ())
        # feedparser gives GeoJSON order: longitude first.
        if len(coordinates) >= 2:
            point = _coordinates(coordinates[1], coordinates[0])
            if point:
                places.append((name, *point, None))
    lat = _get(entry, "geo_lat")
    lng = _get(entry, "geo_long") or _get(entry, "geo_lon")
    if lat is not None and lng is not None:
        point = _coordinates(lat, lng)
        if point and all((p[1], p[2]) != point for p in places):
            places.append((name, *point, None))
    return places


def _coordinates(lat: Any, lng: Any) -> tuple[float, float] | None:
    try:
        lat_f, lng_f = float(lat), float(lng)
    except (TypeError, ValueError):
        return None
    if -90.0 <= lat_f <= 90.0 and -180.0 <= lng_f <= 180.0:
        return lat_f, lng_f
    return None


def _refuse_entity_declarations(data: bytes, url: str | None) -> None:
    """Raise UnsafeXMLError if the document declares any XML entity.

    ``data`` is what the XML parser will read (already UTF-8), so the check cannot be
    dodged by UTF-16, UTF-7 or EBCDIC spellings. A literal ``<!ENTITY`` inside a comment
    or CDATA section is article text (security advisories quote them) and is allowed.
    """
    if not _ENTITY_DECLARATION.search(data):
        return
    for match in _MARKUP_SCAN.finditer(data):
        if match.group("entity"):
            raise UnsafeXMLError(
                f"refusing {url or 'input'}: it declares XML entities (<!ENTITY at byte"
                f" {match.start()}), which watchfloor never expands (entity bombs, external"
                " entities); ask the publisher for a plain feed"
            )


# --- JSON Feed --------------------------------------------------------------------------


def _parse_json_feed(content: bytes, *, url: str | None, charset: str | None) -> ParsedFeed:
    try:
        text = content.decode(charset or "utf-8-sig")
    except (UnicodeDecodeError, LookupError):
        text = content.decode("utf-8-sig", errors="replace")
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ParseError(f"{url or 'input'} is not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise ParseError(
            f"{url or 'input'} is JSON but not a JSON Feed (top level is not an object)"
        )
    version = str(document.get("version") or "")
    items = document.get("items")
    if "jsonfeed.org/version/" not in version and not isinstance(items, list):
        raise ParseError(
            f"{url or 'input'} is JSON but not a JSON Feed (no jsonfeed.org version, no items)"
        )
    bozo_reasons: list[str] = []
    if "jsonfeed.org/version/" not in version:
        bozo_reasons.append(f"missing or unknown JSON Feed version {version!r}")
    if not isinstance(items, list):
        bozo_reasons.append("items is not a list")
        items = []
    base = (
        url or _str_or_none(document.get("feed_url")) or _str_or_none(document.get("home_page_url"))
    )
    feed_language = _clean_language(document.get("language"))
    parsed = ParsedFeed(
        title=html_to_text(str(document.get("title") or ""), single_line=True),
        link=_safe_link(document.get("home_page_url"), base),
        language=feed_language,
        format="json11" if version.endswith("/1.1") else "json1",
        bozo=bool(bozo_reasons),
        bozo_reason="; ".join(bozo_reasons) or None,
    )
    for raw_item in items:
        item = _item_from_json(raw_item, feed_language, base)
        if isinstance(item, ItemReject):
            parsed.rejects.append(item)
        else:
            parsed.items.append(item)
    return parsed


def _item_from_json(
    raw: Any, feed_language: str | None, base: str | None
) -> ParsedItem | ItemReject:
    if not isinstance(raw, dict):
        return _reject("JSON Feed item is not an object", raw)
    title = html_to_text(_str_or_none(raw.get("title")) or "", single_line=True)
    link = _safe_link(raw.get("url"), base) or _safe_link(raw.get("external_url"), base)
    if not title and not link:
        return _reject("entry has neither a title nor a link", raw)
    guid_value = raw.get("id")
    guid = str(guid_value).strip() if isinstance(guid_value, str | int) else None
    content_html = _str_or_none(raw.get("content_html"))
    content_text = _str_or_none(raw.get("content_text"))
    content = html_to_text(content_html) if content_html else html_to_text(content_text or "")
    authors = raw.get("authors")
    if not isinstance(authors, list):
        authors = [raw.get("author")]
    names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    tags = raw.get("tags")
    published = parse_date(_str_or_none(raw.get("date_published")) or "")
    updated = parse_date(_str_or_none(raw.get("date_modified")) or "")
    return ParsedItem(
        title=title,
        url=link,
        guid=guid or None,
        summary=html_to_text(_str_or_none(raw.get("summary")) or ""),
        content=content,
        published=published or updated,
        updated=updated,
        author=html_to_text(", ".join(names), single_line=True) or None,
        language=_clean_language(raw.get("language")) or feed_language,
        categories=_unique(
            html_to_text(str(tag), single_line=True)
            for tag in (tags if isinstance(tags, list) else [])
            if isinstance(tag, str | int)
        ),
    )


# --- helpers ----------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment, dropping code-bearing elements entirely."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_ELEMENTS:
            self._skip_depth += 1
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <script/> opens and closes nothing; only line-breaking void tags matter here.
        if tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_ELEMENTS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        # In HTML a source line break is just a space; only block elements break lines.
        if not self._skip_depth:
            self.parts.append(_WHITESPACE.sub(" ", data))


def _try_parse_date(text: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError, TypeError, date_parser.ParserError):
        return None


def _englishify_date(text: str) -> str:
    text = _LEADING_DAY_NAME.sub("", text)

    def month(match: re.Match[str]) -> str:
        word = match.group(0)
        english = _MONTH_WORDS.get(word.rstrip(".").lower())
        return english if english else word

    return _WORD.sub(month, text)


def _split_content_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    mime, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return mime.strip().lower(), charset


def _bom_codec(content: bytes) -> str | None:
    # UTF-32 first: its little-endian mark starts with the UTF-16 one.
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return codec
    return None


def _starts_like_json(content: bytes) -> bool:
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def _safe_link(value: Any, base: str | None) -> str | None:
    """Return an absolute http(s) link, or None for empty, scriptable or unusable values."""
    if not isinstance(value, str):
        return None
    link = value.strip()
    if not link:
        return None
    if is_plain_http_url(link):
        return link  # what urljoin and the scheme check below would return, only faster
    if base:
        try:
            link = urljoin(base, link)
        except ValueError:
            return None
    try:
        scheme = urlsplit(link).scheme.lower()
    except ValueError:
        return None
    if scheme in ("http", "https"):
        return link
    # A relative link with no base to resolve against is kept: the caller knows the page.
    return link if not scheme and not link.startswith("//") else None


def _clean_language(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    language = value.strip()
    return language or None


def _get(mapping: Mapping[str, Any], key: str) -> Any:
    # FeedParserDict.get() maps missing keys onto legacy aliases (updated_parsed falls back
    # to published_parsed) with a DeprecationWarning; plain dict lookup reads what was parsed.
    return dict.get(mapping, key) if isinstance(mapping, dict) else mapping.get(key)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


def _describe(exc: Any) -> str:
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _reject(reason: str, raw: Any) -> ItemReject:
    try:
        text = json.dumps(raw, default=str, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(raw)
    return ItemReject(error=reason, raw=text[:_RAW_LIMIT])
