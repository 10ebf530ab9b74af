"""Read GDELT event exports, mention exports and DOC 2.0 API answers into items.

Formats are sniffed from the bytes, not from the URL:

* GDELT 1.0 event exports: tab-separated, no header, 58 columns (daily updates, with
  ``SOURCEURL``) or 57 columns (historical backfiles, without it). Both widths may mix.
* GDELT 2.0 event exports: tab-separated, no header, 61 columns.
* GDELT 2.0 mention exports: tab-separated without header (16 columns), or a
  comma-separated file whose first row is the lower-case header.
* GDELT DOC 2.0 API answers in ``ArtList`` mode: ``{"articles": [...]}``.
* Any of the table formats inside a ``.zip`` (as GDELT publishes them); decompression stops
  at ``max_size`` bytes.

Decisions the rest of watchfloor relies on:

* Several event rows citing the same ``SOURCEURL`` (GDELT codes many events per article)
  become ONE item: its guid is ``gdelt:<lowest event id>``, its categories carry every event
  (``gdelt:event:<id>``, ``cameo:<code>``, ``quadclass:<n>``, ``goldstein:<x>``) and its
  ``geo`` every distinct ActionGeo point. The title describes the first root event.
* Event rows without ``SOURCEURL`` (the 57-column backfile) still become items, one per event,
  with the pseudo-URL ``gdelt://event/<id>``. It is an identifier for the annex, never a
  fetchable address (the fetcher refuses the scheme).
* ``published`` is DATEADDED (when GDELT saw the article), falling back to SQLDATE. SQLDATE is
  the date of the event the article talks about and can be years older; it is kept in the
  summary and as the ``event-date:YYYY-MM-DD`` category.
* Malformed rows (wrong column count, bad numbers or dates) go to ``ParsedFeed.rejects``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from watchfloor.errors import ParseError
from watchfloor.models import ItemReject, ParsedFeed, ParsedItem

__all__ = [
    "DEFAULT_MAX_UNZIPPED",
    "cameo_phrase",
    "fips_to_iso",
    "parse_gdelt",
]

#: Largest decompressed size accepted from a zipped export. A daily GDELT 1.0 file is about
#: 100 MB unzipped; a 15-minute GDELT 2.0 file a few MB.
DEFAULT_MAX_UNZIPPED = 256 * 1024 * 1024

_RAW_LIMIT = 2000  # characters of a rejected row kept for the rejects table
_MENTION_COLUMNS = 16


@dataclass(frozen=True, slots=True)
class _EventLayout:
    """Column positions of one GDELT event export width."""

    name: str
    action_type: int
    action_name: int
    action_country: int
    action_lat: int
    action_lng: int
    date_added: int
    source_url: int | None


# Columns 0-34 are the same in 1.0 and 2.0; 2.0 adds an ADM2 code to each geo block.
_LAYOUTS: dict[int, _EventLayout] = {
    57: _EventLayout("gdelt1-events", 49, 50, 51, 53, 54, 56, None),
    58: _EventLayout("gdelt1-events", 49, 50, 51, 53, 54, 56, 57),
    61: _EventLayout("gdelt2-events", 51, 52, 53, 56, 57, 59, 60),
}

_DOC_LANGUAGES = {
    "english": "en", "spanish": "es", "french": "fr", "german": "de", "russian": "ru",
    "chinese": "zh", "arabic": "ar", "portuguese": "pt", "italian": "it", "japanese": "ja",
    "korean": "ko", "turkish": "tr", "persian": "fa", "ukrainian": "uk", "polish": "pl",
    "dutch": "nl", "mongolian": "mn", "hindi": "hi", "urdu": "ur", "indonesian": "id",
    "vietnamese": "vi", "thai": "th", "greek": "el", "hebrew": "he", "romanian": "ro",
    "swedish": "sv", "czech": "cs", "hungarian": "hu", "bulgarian": "bg", "serbian": "sr",
    "albanian": "sq", "kazakh": "kk", "georgian": "ka", "armenian": "hy",
}  # fmt: skip

# ISO 639-3/-2 codes GDELT puts in MentionDocTranslationInfo ("srclc:ara;...").
_SRCLC = {
    "ara": "ar", "spa": "es", "rus": "ru", "por": "pt", "fra": "fr", "deu": "de",
    "tur": "tr", "sqi": "sq", "zho": "zh", "ita": "it", "jpn": "ja", "kor": "ko",
    "fas": "fa", "ukr": "uk", "pol": "pl", "nld": "nl", "mon": "mn", "hin": "hi",
    "urd": "ur", "ind": "id", "vie": "vi", "tha": "th", "ell": "el", "heb": "he",
    "ron": "ro", "swe": "sv", "ces": "cs", "hun": "hu", "bul": "bg", "srp": "sr",
    "kaz": "kk", "kat": "ka", "hye": "hy", "ben": "bn", "tam": "ta", "msa": "ms",
}  # fmt: skip


def _load_table(name: str) -> dict[str, str]:
    text = resources.files("watchfloor").joinpath("data", name).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, value, *_ = line.split("\t")
        table[key.strip()] = value.strip()
    return table


@cache
def _fips_table() -> dict[str, str]:
    return _load_table("fips_iso.tsv")


@cache
def _cameo_table() -> dict[str, str]:
    return _load_table("cameo.tsv")


def fips_to_iso(code: str) -> str | None:
    """Convert a FIPS 10-4 country code (as GDELT uses) to ISO 3166-1 alpha-2.

    Returns ``None`` for an empty code or one with no ISO equivalent (oceans, the Spratly
    Islands, the UK sovereign base areas): there is no country to name, which is not an error.
    """
    return _fips_table().get(code.strip().upper())


def cameo_phrase(code: str) -> str:
    """Describe a CAMEO event code in a few plain words ("armed fighting").

    Falls back from the full code to its three-digit base and then to its root; an unknown
    code is described as ``"event <code>"``.
    """
    table = _cameo_table()
    for key in (code, code[:3], code[:2]):
        if key and key in table:
            return table[key]
    return f"event {code}" if code else "unclassified event"


@dataclass(slots=True)
class _Event:
    event_id: int
    event_date: datetime
    date_added: datetime | None
    actors: list[str]
    event_code: str
    root_code: str
    quad_class: str
    goldstein: float
    tone: float
    mentions: int
    is_root: bool
    place: str
    geo: tuple[str, float, float, str | None] | None
    url: str | None


@dataclass(slots=True)
class _Group:
    events: list[_Event] = field(default_factory=list)


def _gdelt_date(value: str, what: str) -> datetime:
    """Parse YYYYMMDD or YYYYMMDDHHMMSS as UTC."""
    value = value.strip()
    try:
        if len(value) == 8:
            return datetime.strptime(value, "%Y%m%d").replace(tzinfo=UTC)
        if len(value) == 14:
            return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        pass
    raise ValueError(f"bad {what} {value!r} (want YYYYMMDD or YYYYMMDDHHMMSS)")


def _number(value: str, what: str, kind: type[int] | type[float]) -> float:
    try:
        return kind(value) if value.strip() else 0
    except ValueError:
        raise ValueError(f"bad {what} {value!r}") from None


def _event_id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"bad GLOBALEVENTID {value!r}") from None


def _title_case(name: str) -> str:
    return name.strip().title() if name.isupper() else name.strip()


def _event_from_row(cols: list[str], layout: _EventLayout) -> _Event:
    event_id = _event_id(cols[0])
    event_date = _gdelt_date(cols[1], "SQLDATE")
    added_raw = cols[layout.date_added].strip()
    date_added = _gdelt_date(added_raw, "DATEADDED") if added_raw else None
    geo: tuple[str, float, float, str | None] | None = None
    place = cols[layout.action_name].strip()
    lat_raw, lng_raw = cols[layout.action_lat].strip(), cols[layout.action_lng].strip()
    if cols[layout.action_type].strip() not in ("", "0") and lat_raw and lng_raw:
        lat = _number(lat_raw, "ActionGeo_Lat", float)
        lng = _number(lng_raw, "ActionGeo_Long", float)
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValueError(f"ActionGeo coordinates out of range: {lat_raw}, {lng_raw}")
        geo = (place, lat, lng, fips_to_iso(cols[layout.action_country]))
    url = cols[layout.source_url].strip() if layout.source_url is not None else ""
    return _Event(
        event_id=event_id,
        event_date=event_date,
        date_added=date_added,
        actors=[_title_case(cols[i]) for i in (6, 16) if cols[i].strip()],
        event_code=cols[26].strip(),
        root_code=cols[28].strip(),
        quad_class=cols[29].strip(),
        goldstein=_number(cols[30], "GoldsteinScale", float),
        tone=_number(cols[34], "AvgTone", float),
        mentions=int(_number(cols[31], "NumMentions", int)),
        is_root=cols[25].strip() == "1",
        place=place,
        geo=geo,
        url=url or None,
    )


def _describe(event: _Event) -> str:
    phrase = cameo_phrase(event.event_code)
    text = phrase[:1].upper() + phrase[1:]
    if event.actors:
        text += " involving " + " and ".join(dict.fromkeys(event.actors))
    if event.place:
        text += f" in {event.place}"
    return text


def _item_from_events(events: list[_Event], url: str) -> ParsedItem:
    primary = next((e for e in events if e.is_root), events[0])
    title = _describe(primary)
    if len(events) > 1:
        title += f" (+{len(events) - 1} more coded events)"
    categories: list[str] = []
    geo: list[tuple[str, float, float, str | None]] = []
    lines: list[str] = []
    for e in events:
        categories += [
            f"gdelt:event:{e.event_id}",
            f"cameo:{e.event_code}",
            f"quadclass:{e.quad_class}",
            f"goldstein:{e.goldstein:.1f}",
            f"event-date:{e.event_date:%Y-%m-%d}",
        ]
        if e.geo is not None and e.geo not in geo:
            geo.append(e.geo)
        lines.append(
            f"GDELT event {e.event_id} dated {e.event_date:%Y-%m-%d}: {_describe(e)}; "
            f"CAMEO {e.event_code}, Goldstein {e.goldstein:.1f}, tone {e.tone:.2f}, "
            f"{e.mentions} mentions."
        )
    added = [e.date_added or e.event_date for e in events]
    return ParsedItem(
        title=title,
        url=url,
        guid=f"gdelt:{min(e.event_id for e in events)}",
        summary="\n".join(lines),
        published=min(added),
        categories=list(dict.fromkeys(categories)),
        geo=geo,
    )


def _reject(line: str, error: str) -> ItemReject:
    return ItemReject(error=error, raw=line[:_RAW_LIMIT])


def _parse_events(lines: list[str], feed: ParsedFeed) -> None:
    groups: dict[str, list[_Event]] = {}
    for number, line in enumerate(lines, start=1):
        cols = line.split("\t")
        layout = _LAYOUTS.get(len(cols))
        if layout is None or layout.name != feed.format:
            feed.rejects.append(
                _reject(line, f"line {number}: {len(cols)} columns, not a {feed.format} row")
            )
            continue
        try:
            event = _event_from_row(cols, layout)
        except ValueError as exc:
            feed.rejects.append(_reject(line, f"line {number}: {exc}"))
            continue
        key = event.url or f"gdelt://event/{event.event_id}"
        groups.setdefault(key, []).append(event)
    feed.items.extend(_item_from_events(events, url) for url, events in groups.items())


def _mention_language(info: str) -> tuple[str | None, str | None]:
    """Return (ISO 639-1 or None, raw source-language code) from MentionDocTranslationInfo."""
    if not info.strip():
        return "en", None  # GDELT leaves it empty for documents written in English
    for part in info.split(";"):
        if part.startswith("srclc:"):
            code = part[6:].strip()
            return _SRCLC.get(code), code
    return None, None


def _parse_mentions(rows: Iterable[tuple[int, list[str], str]], feed: ParsedFeed) -> None:
    groups: dict[str, list[tuple[int, datetime, list[str]]]] = {}
    for number, cols, raw in rows:
        if len(cols) not in (_MENTION_COLUMNS, _MENTION_COLUMNS - 1):
            feed.rejects.append(
                _reject(raw, f"line {number}: {len(cols)} columns, not a mention row")
            )
            continue
        try:
            event_id = _event_id(cols[0])
            seen = _gdelt_date(cols[2], "MentionTimeDate")
        except ValueError as exc:
            feed.rejects.append(_reject(raw, f"line {number}: {exc}"))
            continue
        if not cols[5].strip():
            feed.rejects.append(_reject(raw, f"line {number}: empty MentionIdentifier"))
            continue
        key = f"{cols[3].strip()}\t{cols[5].strip()}"
        groups.setdefault(key, []).append((event_id, seen, cols))
    for key, rows_for_doc in groups.items():
        mention_type, identifier = key.split("\t", 1)
        first = rows_for_doc[0][2]
        language, srclc = _mention_language(first[14] if len(first) > 14 else "")
        event_ids = sorted({event_id for event_id, _, _ in rows_for_doc})
        categories = [f"gdelt:event:{i}" for i in event_ids]
        if srclc:
            categories.append(f"srclang:{srclc}")
        source = first[4].strip() or "an unnamed source"
        noun = "event" if len(event_ids) == 1 else "events"
        web = mention_type == "1"  # the other types identify citations, DOIs, archives
        feed.items.append(
            ParsedItem(
                title=f"Article from {source} mentioning {len(event_ids)} GDELT {noun}",
                url=identifier if web else None,
                guid=identifier if web else f"gdelt-mention:{mention_type}:{identifier}",
                published=min(seen for _, seen, _ in rows_for_doc),
                language=language,
                categories=categories,
            )
        )


def _parse_doc_json(text: str, feed: ParsedFeed) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"GDELT DOC API answer is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ParseError("GDELT DOC API answer is not a JSON object with an 'articles' list")
    articles = data.get("articles", [])  # the API answers {} when nothing matched
    if not isinstance(articles, list):
        raise ParseError("GDELT DOC API answer has an 'articles' field that is not a list")
    for index, article in enumerate(articles):
        raw = json.dumps(article, ensure_ascii=False)[:_RAW_LIMIT]
        if not isinstance(article, dict) or not isinstance(article.get("url"), str):
            feed.rejects.append(ItemReject(f"article {index}: no 'url' string", raw))
            continue
        published = None
        seen = article.get("seendate")
        if seen:
            try:
                published = datetime.strptime(str(seen), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            except ValueError:
                feed.rejects.append(ItemReject(f"article {index}: bad seendate {seen!r}", raw))
                continue
        categories = []
        for key in ("domain", "sourcecountry"):
            if article.get(key):
                categories.append(f"{key}:{article[key]}")
        lang = str(article.get("language") or "")
        feed.items.append(
            ParsedItem(
                title=str(article.get("title") or article.get("domain") or article["url"]),
                url=article["url"],
                guid=article["url"],
                published=published,
                language=_DOC_LANGUAGES.get(lang.lower()),
                categories=categories,
            )
        )


def _unzip(content: bytes, max_size: int) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = [m for m in archive.infolist() if not m.is_dir()]
        if not members:
            raise ParseError("GDELT zip archive is empty")
        member = next((m for m in members if m.filename.lower().endswith(".csv")), members[0])
        if member.file_size > max_size:
            raise ParseError(
                f"GDELT zip member {member.filename!r} declares {member.file_size} bytes, over "
                f"the {max_size}-byte limit; raise max_size if this export is expected"
            )
        out = bytearray()
        with archive.open(member) as stream:
            # The declared size can lie: count what actually comes out.
            while chunk := stream.read(1 << 20):
                out += chunk
                if len(out) > max_size:
                    raise ParseError(
                        f"GDELT zip member {member.filename!r} inflates past {max_size} bytes"
                    )
        return bytes(out)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, OSError, EOFError) as exc:
        # RuntimeError: encrypted member; OSError/EOFError: truncated or corrupt stream
        raise ParseError(f"GDELT zip archive could not be read: {exc}") from exc


def _sniff(lines: list[str]) -> str:
    first = lines[0]
    if first.lower().startswith("globaleventid,"):
        return "gdelt2-mentions-csv"
    widths = [line.count("\t") + 1 for line in lines[:50]]
    width = max(set(widths), key=widths.count)
    if width in (57, 58):
        return "gdelt1-events"
    if width == 61:
        return "gdelt2-events"
    if width in (_MENTION_COLUMNS, _MENTION_COLUMNS - 1):
        return "gdelt2-mentions"
    raise ParseError(
        f"not a recognised GDELT export: rows have {width} tab-separated columns "
        "(expected 57/58 for 1.0 events, 61 for 2.0 events, 16 for 2.0 mentions)"
    )


def parse_gdelt(
    content: bytes, *, url: str | None = None, max_size: int = DEFAULT_MAX_UNZIPPED
) -> ParsedFeed:
    """Parse a GDELT export or DOC API answer into items, sniffing the format.

    Args:
        content: the fetched bytes (plain, or a zip archive holding one export).
        url: where the bytes came from; kept as the feed link.
        max_size: largest decompressed size accepted from a zip archive.

    Raises:
        ParseError: the bytes are not a GDELT format we read, or the archive is unreadable
            or too large. Bad rows do not raise: they land in ``rejects``.
    """
    if content.startswith(b"PK\x03\x04"):
        content = _unzip(content, max_size)
        if content.startswith(b"PK\x03\x04"):
            raise ParseError("GDELT zip archive holds another zip archive; refusing to nest")
    text = content.decode("utf-8", errors="replace").lstrip("\ufeff")
    feed = ParsedFeed(link=url)
    if "\ufffd" in text:
        feed.bozo, feed.bozo_reason = True, "bytes that are not UTF-8 were replaced"
    if text.lstrip().startswith(("{", "[")):
        feed.format, feed.title = "gdelt-doc", "GDELT DOC 2.0 articles"
        _parse_doc_json(text, feed)
        return feed
    lines = [line.rstrip("\r") for line in text.split("\n")]
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise ParseError(f"GDELT export {url or '(no URL)'} is empty")
    kind = _sniff(lines)
    if kind == "gdelt2-mentions-csv":
        feed.format, feed.title = "gdelt2-mentions", "GDELT 2.0 mentions"
        reader = csv.reader(lines[1:])
        _parse_mentions(((n, cols, ",".join(cols)) for n, cols in enumerate(reader, start=2)), feed)
    elif kind == "gdelt2-mentions":
        feed.format, feed.title = kind, "GDELT 2.0 mentions"
        _parse_mentions(((n, line.split("\t"), line) for n, line in enumerate(lines, 1)), feed)
    else:
        feed.format = kind
        feed.title = "GDELT 1.0 events" if kind == "gdelt1-events" else "GDELT 2.0 events"
        _parse_events(lines, feed)
    return feed
