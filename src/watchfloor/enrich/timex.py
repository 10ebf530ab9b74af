"""Find temporal expressions in an article and resolve them to dated events.

A focused, rule-based extractor: each pattern below recognises one shape of expression in
English, Mongolian or Russian, and resolves it against the article's publication date.
dateparser's search helpers were the alternative; they cost milliseconds per sentence and
turn words such as "may", "second" or "march" into dates, so they are not used.

Resolution rules (also in docs/enrichment.md, "Dated events"):

* A date without a year takes the year that puts it nearest the publication date, so a
  "January 5" written in December is next January; when the sentence's tense clearly says
  otherwise by more than 30 days ("will be held on June 1" written in September) the next or
  previous year is taken instead.
* A weekday ("on Sunday") is the nearest such day in the direction of the sentence's tense:
  "began on Sunday" looks back, "will start on Sunday" looks forward; with no tense marker
  the nearer of the two wins, ties going to the past (news reports mostly what happened).
* Parts of months: early = 1st-10th, mid = 11th-20th, late = 21st-end of month.
* "until X" runs from the publication date to the end of X; "starting X" has no end.
* ``end`` is set whenever the expression covers more than one day (a week, a month, a
  part of a month, a year or an explicit range); single days have ``end=None``.
* ``is_future``: the event starts after the publication date, or, for "until X", it is
  still running after the publication date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from watchfloor.text import CAPITALS, sentence_spans

__all__ = ["DatedEvent", "Precision", "extract_dated_events", "stale_year_names"]

Precision = Literal["day", "week", "part-of-month", "month", "year"]
Tense = Literal["future", "past"] | None

# --------------------------------------------------------------------------- lexicons

EN_MONTHS: dict[str, int] = {}
for _num, _name in enumerate(calendar.month_name):
    if _name:
        EN_MONTHS[_name.lower()] = _num
        EN_MONTHS[_name[:3].lower()] = _num
EN_MONTHS["sept"] = 9

EN_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

RU_MONTHS_GEN = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}  # fmt: skip
RU_MONTHS_PREP = {
    "январе": 1, "феврале": 2, "марте": 3, "апреле": 4, "мае": 5, "июне": 6, "июле": 7,
    "августе": 8, "сентябре": 9, "октябре": 10, "ноябре": 11, "декабре": 12,
}  # fmt: skip

# Mongolian months are ordinals: "тавдугаар сар" (fifth month) = May, also "5 дугаар сар",
# "5-р сар", "5 сар".
MN_MONTH_WORDS = {
    "нэгдүгээр": 1, "хоёрдугаар": 2, "гуравдугаар": 3, "дөрөвдүгээр": 4, "тавдугаар": 5,
    "зургаадугаар": 6, "долдугаар": 7, "наймдугаар": 8, "есдүгээр": 9, "аравдугаар": 10,
    "арван нэгдүгээр": 11, "арван хоёрдугаар": 12,
}  # fmt: skip

_EN_MONTH_ALT = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_DASH = r"\s*(?:-|–|—|to|through|until|till|and)\s*"
_UNTIL = r"(?P<until>until|till|through|up to|by)\s+(?:the\s+)?"
_FROM = r"(?P<from>starting(?:\s+on|\s+from)?|beginning(?:\s+on)?|from|since|as of|effective)\s+"
_QUAL = rf"(?:{_UNTIL}|{_FROM})?"
_PART_WORDS = (
    r"(?P<part>early|mid|late|the\s+(?:end|beginning|start|middle)\s+of"
    r"|(?:end|beginning|start|middle)\s+of)"
)

_MN_MONTH = (
    r"(?:(?P<{p}mw>"
    + "|".join(sorted(MN_MONTH_WORDS, key=len, reverse=True)).replace(" ", r"\s+")
    + r")|(?P<{p}mn>1[0-2]|0?[1-9])\s*(?:-?\s*(?:р|дугаар|дүгээр|дахь))?)\s*сар"
)
_MN_SUFFIX = (
    r"(?:-?\s*(?:ний\s+өдөр|ны\s+өдөр|ндаа|нээс|наас|ноос|ны|ний|нд|аас|ээс|оос|өөс|ны|ний))?"
)

# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class DatedEvent:
    """A dated mention found in an article.

    ``text`` is the sentence holding the expression and ``span`` its (start, end) offsets in
    the article, end exclusive; ``expression`` is the temporal phrase itself and
    ``expression_span`` its offsets.
    """

    text: str
    span: tuple[int, int]
    start: date
    end: date | None
    precision: Precision
    is_future: bool
    expression: str
    expression_span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Resolved:
    start: date
    end: date | None
    precision: Precision


@dataclass(frozen=True, slots=True)
class _Context:
    published: date
    tense: Tense


_Handler = Callable[[re.Match[str], _Context], _Resolved | None]

# --------------------------------------------------------------------------- helpers


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _en_month(token: str) -> int:
    return EN_MONTHS[token.lower().rstrip(".")]


def _day(token: str) -> int:
    return int(re.sub(r"\D", "", token))


def _infer_year(month: int, day: int, ctx: _Context) -> int:
    """Pick the year that puts month/day nearest the publication date, tense permitting."""
    pub = ctx.published
    candidates = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        when = _safe_date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if when is not None:
            candidates.append(when)
    nearest = min(candidates, key=lambda d: (abs((d - pub).days), d > pub))
    if ctx.tense == "future" and (pub - nearest).days > 30:
        later = [d for d in candidates if d >= pub]
        if later:
            nearest = later[0]
    elif ctx.tense == "past" and (nearest - pub).days > 30:
        earlier = [d for d in candidates if d <= pub]
        if earlier:
            nearest = earlier[-1]
    return nearest.year


def _year_or_infer(year: str | None, month: int, day: int, ctx: _Context) -> int:
    return int(year) if year else _infer_year(month, day, ctx)


def _part_range(part: str, year: int, month: int) -> tuple[date, date]:
    word = part.lower()
    last = calendar.monthrange(year, month)[1]
    if "early" in word or "beginning" in word or "start" in word:
        return date(year, month, 1), date(year, month, 10)
    if "mid" in word or "middle" in word:
        return date(year, month, 11), date(year, month, 20)
    return date(year, month, 21), date(year, month, last)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _range(start: date | None, end: date | None, precision: Precision) -> _Resolved | None:
    if start is None or end is None:
        return None
    if end < start:
        return None
    return _Resolved(start, end, precision)


# --------------------------------------------------------------------------- handlers (en)


def _h_en_range_cross_month(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    m1, m2 = _en_month(m["m1"]), _en_month(m["m2"])
    d1, d2 = _day(m["d1"]), _day(m["d2"])
    y2 = _year_or_infer(m["y2"] or m["y1"], m2, d2, ctx)
    y1 = int(m["y1"]) if m["y1"] else (y2 if (m1, d1) <= (m2, d2) else y2 - 1)
    return _range(_safe_date(y1, m1, d1), _safe_date(y2, m2, d2), "day")


def _h_en_range_same_month(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month = _en_month(m["m1"])
    d1, d2 = _day(m["d1"]), _day(m["d2"])
    year = _year_or_infer(m["y1"], month, d1, ctx)
    return _range(_safe_date(year, month, d1), _safe_date(year, month, d2), "day")


def _h_en_range_dmy(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    m2 = _en_month(m["m2"])
    m1 = _en_month(m["m1"]) if m["m1"] else m2
    d1, d2 = _day(m["d1"]), _day(m["d2"])
    y2 = _year_or_infer(m["y2"], m2, d2, ctx)
    y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    return _range(_safe_date(y1, m1, d1), _safe_date(y2, m2, d2), "day")


def _single(year: int, month: int, day: int) -> _Resolved | None:
    when = _safe_date(year, month, day)
    return None if when is None else _Resolved(when, None, "day")


def _h_en_mdy(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month, day = _en_month(m["m1"]), _day(m["d1"])
    return _single(_year_or_infer(m["y1"], month, day, ctx), month, day)


def _h_iso(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    return _single(int(m["y1"]), int(m["mo"]), int(m["d1"]))


def _h_dotted(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    # 26.05.2026 is day-first everywhere this project reads (ru, mn, most of Europe).
    return _single(int(m["y1"]), int(m["mo"]), int(m["d1"]))


def _h_en_part(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month = _en_month(m["m1"])
    year = _year_or_infer(m["y1"], month, 15, ctx)
    start, end = _part_range(m["part"], year, month)
    return _Resolved(start, end, "part-of-month")


def _h_en_month(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month = _en_month(m["m1"])
    if m["rel"]:
        rel = m["rel"].lower()
        year = ctx.published.year + {"next": 1, "last": -1, "this": 0}[rel]
        if rel == "next" and month > ctx.published.month:
            year -= 1  # "next June" in March means this coming June
        if rel == "last" and month < ctx.published.month:
            year += 1
    else:
        year = _year_or_infer(m["y1"], month, 15, ctx)
    return _Resolved(date(year, month, 1), _month_end(year, month), "month")


def _h_en_year(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    year = int(m["y1"])
    return _Resolved(date(year, 1, 1), date(year, 12, 31), "year")


def _relative_day(offset: int) -> _Handler:
    def handler(m: re.Match[str], ctx: _Context) -> _Resolved | None:
        return _Resolved(ctx.published + timedelta(days=offset), None, "day")

    return handler


def _h_rel_unit(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    rel = m["rel"].lower()
    step = {"next": 1, "coming": 1, "following": 1, "last": -1, "past": -1, "previous": -1}
    return _unit(ctx.published, step.get(rel, 0), m["unit"].lower())


def _unit(pub: date, step: int, unit: str) -> _Resolved:
    if unit.startswith("week"):
        start = _week_start(pub) + timedelta(weeks=step)
        return _Resolved(start, start + timedelta(days=6), "week")
    if unit.startswith("month"):
        year, month = _add_months(pub, step)
        return _Resolved(date(year, month, 1), _month_end(year, month), "month")
    year = pub.year + step
    return _Resolved(date(year, 1, 1), date(year, 12, 31), "year")


def _h_in_n(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    words = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else words[raw]
    sign = -1 if m["ago"] else 1
    unit = m["unit"].lower()
    if unit.startswith("day"):
        return _Resolved(ctx.published + timedelta(days=sign * n), None, "day")
    if unit.startswith("week"):
        start = _week_start(ctx.published + timedelta(weeks=sign * n))
        return _Resolved(start, start + timedelta(days=6), "week")
    year, month = _add_months(ctx.published, sign * n)
    return _Resolved(date(year, month, 1), _month_end(year, month), "month")


def _h_weekday(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    target = EN_WEEKDAYS[m["wd"].lower()]
    pub = ctx.published
    ahead = (target - pub.weekday()) % 7
    behind = (pub.weekday() - target) % 7
    rel = (m["rel"] or "").lower()
    if rel in {"next", "coming"}:
        offset = ahead or 7
    elif rel in {"last", "past"}:
        offset = -(behind or 7)
    elif rel == "this" or ahead == 0:
        offset = ahead
    elif ctx.tense == "future":
        offset = ahead
    elif ctx.tense == "past":
        offset = -behind
    else:
        offset = ahead if ahead < behind else -behind
    return _Resolved(pub + timedelta(days=offset), None, "day")


# --------------------------------------------------------------------------- handlers (ru, mn)


def _h_ru_range(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    m2 = RU_MONTHS_GEN[m["m2"].lower()]
    m1 = RU_MONTHS_GEN[m["m1"].lower()] if m["m1"] else m2
    d1, d2 = int(m["d1"]), int(m["d2"])
    y2 = _year_or_infer(m["y2"], m2, d2, ctx)
    y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    return _range(_safe_date(y1, m1, d1), _safe_date(y2, m2, d2), "day")


def _h_ru_date(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month, day = RU_MONTHS_GEN[m["m1"].lower()], int(m["d1"])
    return _single(_year_or_infer(m["y1"], month, day, ctx), month, day)


def _h_ru_month(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    if m["mp"]:
        month = RU_MONTHS_PREP[m["mp"].lower()]
        year = _year_or_infer(m["y1"], month, 15, ctx)
        return _Resolved(date(year, month, 1), _month_end(year, month), "month")
    month = RU_MONTHS_GEN[m["mg"].lower()]
    year = _year_or_infer(m["y1"], month, 15, ctx)
    start, end = _part_range(
        {"начала": "early", "середины": "mid"}.get(m["ru_part"], "late"), year, month
    )
    return _Resolved(start, end, "part-of-month")


def _mn_month(m: re.Match[str], prefix: str) -> int:
    word = m[f"{prefix}mw"]
    if word:
        return MN_MONTH_WORDS[" ".join(word.lower().split())]
    return int(m[f"{prefix}mn"])


def _h_mn_range(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    m1 = _mn_month(m, "a")
    m2 = _mn_month(m, "b") if (m["bmw"] or m["bmn"]) else m1
    d1, d2 = int(m["d1"]), int(m["d2"])
    y1 = _year_or_infer(m["y1"], m1, d1, ctx)
    y2 = y1 if (m1, d1) <= (m2, d2) else y1 + 1
    return _range(_safe_date(y1, m1, d1), _safe_date(y2, m2, d2), "day")


def _h_mn_date(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month, day = _mn_month(m, "a"), int(m["d1"])
    return _single(_year_or_infer(m["y1"], month, day, ctx), month, day)


def _h_mn_month(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month = _mn_month(m, "a")
    year = _year_or_infer(m["y1"], month, 15, ctx)
    return _Resolved(date(year, month, 1), _month_end(year, month), "month")


def _h_mn_rel(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    rel = m["mnrel"].lower()
    step = 1 if rel in {"ирэх", "дараа", "дараагийн"} else -1 if rel in {"өнгөрсөн"} else 0
    unit = m["mnunit"].lower()
    key = "week" if unit.startswith("долоо") else "month" if unit.startswith("сар") else "year"
    return _unit(ctx.published, step, key)


# --------------------------------------------------------------------------- patterns

_Y_OPT = rf"(?:,?\s*(?P<y1>{_YEAR}))?"


def _p(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# Order matters: longer, more specific shapes first; a later match may not overlap an
# earlier one.
PATTERNS: list[tuple[re.Pattern[str], _Handler]] = [
    # from May 26 to June 10 (, 2026)
    (
        _p(
            rf"(?:(?:from|between)\s+)?(?P<m1>{_EN_MONTH_ALT})\s+(?P<d1>{_DAY})(?:,?\s*(?P<y1>{_YEAR}))?"
            rf"{_DASH}(?P<m2>{_EN_MONTH_ALT})\s+(?P<d2>{_DAY})(?:,?\s*(?P<y2>{_YEAR}))?\b"
        ),
        _h_en_range_cross_month,
    ),
    # April 15-18, 2026 / May 1 to 6
    (
        _p(
            rf"(?:(?:from|between)\s+)?(?P<m1>{_EN_MONTH_ALT})\s+(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})\b"
            rf"{_Y_OPT}"
        ),
        _h_en_range_same_month,
    ),
    # 15-18 April 2026 / 30 May to 2 June
    (
        _p(
            rf"(?:(?:from|between)\s+)?\b(?P<d1>{_DAY})(?:\s+(?P<m1>{_EN_MONTH_ALT}))?{_DASH}"
            rf"(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_EN_MONTH_ALT})(?:,?\s*(?P<y2>{_YEAR}))?\b"
        ),
        _h_en_range_dmy,
    ),
    # ISO 2026-05-26 and day-first 26.05.2026
    (_p(rf"{_QUAL}\b(?P<y1>{_YEAR})-(?P<mo>[01]\d)-(?P<d1>[0-3]\d)\b", re.I), _h_iso),
    (_p(rf"{_QUAL}\b(?P<d1>[0-3]?\d)\.(?P<mo>[01]?\d)\.(?P<y1>{_YEAR})\b", re.I), _h_dotted),
    # (until/starting) May 1(st)(, 2026)
    (
        _p(
            rf"(?i:{_QUAL})(?:on\s+)?(?:\w+day,?\s+)?(?P<m1>{_EN_MONTH_ALT})\s+(?P<d1>{_DAY})\b"
            rf"(?!\s*(?:{_YEAR}\b|%|per|people|troops|soldiers))(?:,?\s*(?P<y1>{_YEAR}))?"
        ),
        _h_en_mdy,
    ),
    # (until) 27 April 2026 / the 5th of May
    (
        _p(
            rf"(?i:{_QUAL})(?:on\s+)?(?:the\s+)?\b(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_EN_MONTH_ALT})\b"
            rf"(?:,?\s*(?P<y1>{_YEAR}))?"
        ),
        _h_en_mdy,
    ),
    # until late May / in early June 2026 / by the end of May
    (
        _p(
            rf"(?i:{_QUAL}|in\s+|during\s+)?(?i:{_PART_WORDS})[\s-]+(?P<m1>{_EN_MONTH_ALT})\b"
            rf"(?:,?\s*(?P<y1>{_YEAR}))?"
        ),
        _h_en_part,
    ),
    # in June (2026) / next June / until June. "May" alone is a verb: it needs a preposition
    # or a year.
    (
        _p(
            rf"(?:(?i:{_QUAL}|in\s+|during\s+|of\s+|for\s+)(?:(?P<rel>next|last|this)\s+)?"
            rf"(?P<m1>{_EN_MONTH_ALT})\b(?:,?\s*(?P<y1>{_YEAR}))?)"
            rf"|(?:(?P<m1b>(?!May){_EN_MONTH_ALT})\s+(?P<y1b>{_YEAR}))"
        ),
        lambda m, ctx: _h_en_month_alt(m, ctx),
    ),
    # in 2027 / until 2030
    (
        _p(rf"(?i:{_UNTIL}|{_FROM}|in\s+|during\s+)(?P<y1>{_YEAR})\b(?!\s*(?:-|–)\s*\d)"),
        _h_en_year,
    ),
    # relative days
    (_p(r"\b(?:the\s+day\s+after\s+tomorrow)\b", re.I), _relative_day(2)),
    (_p(r"\b(?:the\s+day\s+before\s+yesterday)\b", re.I), _relative_day(-2)),
    (_p(r"\b(?:tomorrow)\b", re.I), _relative_day(1)),
    (_p(r"\b(?:yesterday)\b", re.I), _relative_day(-1)),
    (_p(r"\b(?:today|tonight|this\s+morning|this\s+evening)\b", re.I), _relative_day(0)),
    (
        _p(
            r"\b(?P<rel>next|coming|following|last|past|previous|this)\s+(?P<unit>week|month|year)\b",
            re.I,
        ),
        _h_rel_unit,
    ),
    (
        _p(
            r"\b(?:(?:in|within)\s+)?(?P<n>\d{1,2}|a|an|one|two|three|four|five|six)\s+"
            r"(?P<unit>days?|weeks?|months?)(?:\s+(?P<ago>ago))?\b",
            re.I,
        ),
        lambda m, ctx: (
            _h_in_n(m, ctx) if (m["ago"] or m[0].lower().startswith(("in", "within"))) else None
        ),
    ),
    (
        _p(
            r"(?:\b(?i:on|by|until|from|since|starting)\s+)?(?:(?P<rel>(?i:next|coming|last|past|this))\s+)?"
            r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
        _h_weekday,
    ),
    # Russian
    (
        _p(
            r"(?:с\s+)?(?P<d1>[0-3]?\d)(?:\s+(?P<m1>"
            + "|".join(RU_MONTHS_GEN)
            + r"))?\s*(?:-|–|—|по|до)\s*(?P<d2>[0-3]?\d)\s+(?P<m2>"
            + "|".join(RU_MONTHS_GEN)
            + rf")(?:\s+(?P<y2>{_YEAR})\s*(?:года|г\.)?)?",
            re.I,
        ),
        _h_ru_range,
    ),
    (
        _p(
            r"(?:(?:до|с|к)\s+)?\b(?P<d1>[0-3]?\d)\s+(?P<m1>"
            + "|".join(RU_MONTHS_GEN)
            + rf")(?:\s+(?P<y1>{_YEAR})\s*(?:года|г\.)?)?",
            re.I,
        ),
        _h_ru_date,
    ),
    (
        _p(
            r"(?:в\s+(?P<mp>"
            + "|".join(RU_MONTHS_PREP)
            + r")|(?:до\s+)?(?P<ru_part>конца|начала|середины)\s+(?P<mg>"
            + "|".join(RU_MONTHS_GEN)
            + rf"))(?:\s+(?P<y1>{_YEAR})\s*(?:года|г\.)?)?",
            re.I,
        ),
        _h_ru_month,
    ),
    (_p(r"\bпослезавтра\b", re.I), _relative_day(2)),
    (_p(r"\bзавтра\b", re.I), _relative_day(1)),
    (_p(r"\bвчера\b", re.I), _relative_day(-1)),
    (_p(r"\bсегодня\b", re.I), _relative_day(0)),
    (
        _p(r"на\s+(?P<rel>следующей|прошлой|этой)\s+(?P<unit>неделе)", re.I),
        lambda m, ctx: _unit(
            ctx.published, {"следующей": 1, "прошлой": -1}.get(m["rel"].lower(), 0), "week"
        ),
    ),
    (
        _p(r"в\s+(?P<rel>следующем|прошлом|этом)\s+(?P<unit>месяце|году)", re.I),
        lambda m, ctx: _unit(
            ctx.published,
            {"следующем": 1, "прошлом": -1}.get(m["rel"].lower(), 0),
            "month" if m["unit"].lower().startswith("мес") else "year",
        ),
    ),
    # Mongolian: 2026 оны 5 дугаар сарын 26-28-нд / 5-р сарын 26-наас 6-р сарын 10-ны хооронд
    (
        _p(
            rf"(?:(?P<y1>{_YEAR})\s*(?:оны|онд)\s*)?{_MN_MONTH.format(p='a')}ын\s*(?P<d1>[0-3]?\d)"
            rf"\s*(?:-\s*|-?(?:наас|нээс|ноос|аас|ээс|оос|өөс)\s+)"
            rf"(?:(?:{_MN_MONTH.format(p='b')})ын\s*)?(?P<d2>[0-3]?\d)(?![\d.]){_MN_SUFFIX}",
            re.I,
        ),
        _h_mn_range,
    ),
    (
        _p(
            rf"(?:(?P<y1>{_YEAR})\s*(?:оны|онд)\s*)?{_MN_MONTH.format(p='a')}ын\s*(?P<d1>[0-3]?\d)"
            rf"(?![\d.]){_MN_SUFFIX}",
            re.I,
        ),
        _h_mn_date,
    ),
    (
        _p(
            rf"(?:(?P<y1>{_YEAR})\s*(?:оны|онд)\s*)?{_MN_MONTH.format(p='a')}(?:д|ын\s+сүүлээр)\b",
            re.I,
        ),
        _h_mn_month,
    ),
    (_p(r"\bнөгөөдөр\b", re.I), _relative_day(2)),
    (_p(r"\bмаргааш\b", re.I), _relative_day(1)),
    (_p(r"\bөчигдөр\b", re.I), _relative_day(-1)),
    (_p(r"\bөнөөдөр\b", re.I), _relative_day(0)),
    (
        _p(
            r"\b(?P<mnrel>ирэх|дараа|дараагийн|өнгөрсөн|энэ)\s+"
            r"(?P<mnunit>долоо\s+хоног|сар|жил)\w*",
            re.I,
        ),
        _h_mn_rel,
    ),
]


# Which sentences each pattern can match at all, by index into PATTERNS: testing a cheap
# feature of the sentence first spares most patterns most sentences.
_GATES: tuple[str, ...] = (
    ("en_month",) * 3 + ("digit",) * 2 + ("en_month",) * 4 + ("digit",)
    + ("latin",) * 8 + ("cyr_digit",) * 2 + ("cyr",) * 7 + ("cyr_mn_month",) * 3 + ("cyr",) * 5
)  # fmt: skip
if len(_GATES) != len(PATTERNS):  # pragma: no cover - a programming error caught at import
    raise RuntimeError("timex: _GATES must have one entry per pattern")

_EN_MONTH_RE = re.compile(rf"\b{_EN_MONTH_ALT}")
_MN_MONTH_RE = re.compile(r"сар", re.I)


def _features(sentence: str) -> set[str]:
    has_digit = any(ch.isdigit() for ch in sentence)
    has_cyr = any("\u0400" <= ch <= "\u04ff" for ch in sentence)
    has_latin = any("a" <= ch.lower() <= "z" for ch in sentence)
    feats = {"any"}
    if has_digit:
        feats.add("digit")
    if has_latin:
        feats.add("latin")
        if _EN_MONTH_RE.search(sentence):
            feats.add("en_month")
    if has_cyr:
        feats.add("cyr")
        if has_digit:
            feats.add("cyr_digit")
        if _MN_MONTH_RE.search(sentence):
            feats.add("cyr_mn_month")
    return feats


def _h_en_month_alt(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    if not m["m1b"] and not m["y1"] and m[0][:3] == m["m1"][:3]:
        return None  # a bare month name with no preposition, relative word or year
    if m["m1b"]:
        month = _en_month(m["m1b"])
        year = int(m["y1b"])
        return _Resolved(date(year, month, 1), _month_end(year, month), "month")
    return _h_en_month(m, ctx)


# --------------------------------------------------------------------------- tense

_EN_FUTURE = re.compile(
    r"\b(?:will|won't|shall|'ll|is\s+to|are\s+to|going\s+to|set\s+to|scheduled|slated|planned"
    r"|plans?\s+to|expected|expects?|due|upcoming|would|next|forecast)\b",
    re.I,
)
_EN_PAST = re.compile(
    r"\b(?:was|were|had|did|began|begun|held|ago|last|took|met|came|went|left|saw|killed|\w{3,}ed)\b",
    re.I,
)
_RU_FUTURE = re.compile(
    r"\b(?:будет|будут|состоится|состоятся|пройд[её]т|планируется|намерен\w*)\b", re.I
)
_RU_PAST = re.compile(r"\b\w{2,}(?:ал|ала|али|ило|ел|ела|ели|ыл|ыла|ились|ался|алась)\b", re.I)
_MN_FUTURE = re.compile(r"\b\w{2,}(?:на|нэ|но|нө)\b|\bирэх\b", re.I)
_MN_PAST = re.compile(r"\b\w{2,}(?:сан|сэн|сон|сөн|лаа|лээ|лоо|лөө|жээ|чээ|в)\b", re.I)


def _tense(sentence: str, language: str) -> Tense:
    """Guess the tense of a sentence from auxiliaries and verb endings."""
    if language == "mn" or re.search(r"[өүӨҮ]", sentence):
        future, past = _MN_FUTURE, _MN_PAST
    elif language == "ru" or re.search(r"[а-яё]{3}", sentence, re.I):
        future, past = _RU_FUTURE, _RU_PAST
    else:
        future, past = _EN_FUTURE, _EN_PAST
    if future.search(sentence):
        return "future"
    if past.search(sentence):
        return "past"
    return None


# A sentence with none of these cannot hold an expression: skipping it keeps the cost of
# the ~35 patterns to the few sentences that matter (most sentences of a news story).
_TRIGGER = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun"
    r"|tomorrow|yesterday|today|tonight|this\s+(?:morning|evening)|week|month|year|ago"
    r"|завтра|вчера|сегодня|послезавтра|недел|месяц|году|январ|феврал|март|апрел|ма[йяе]"
    r"|июн|июл|август|сентябр|октябр|ноябр|декабр|конца|начала|середины"
    r"|маргааш|өчигдөр|өнөөдөр|нөгөөдөр|ирэх|дараа|өнгөрсөн|энэ|\w+дугаар|\w+дүгээр)",
    re.I,
)

# --------------------------------------------------------------------------- public API


def extract_dated_events(
    text: str, published: datetime | date, *, language: str = "en"
) -> list[DatedEvent]:
    """Find the temporal expressions in *text* and resolve them against *published*.

    Args:
        text: the article text (title and body); offsets in the result index into it.
        published: the publication date or datetime (a datetime is read in its own zone).
        language: the article's language code; it selects the tense cues ("en", "mn", "ru").

    Returns:
        The dated events in text order, one per temporal expression.
    """
    pub = published.date() if isinstance(published, datetime) else published
    events: list[DatedEvent] = []
    for s_start, s_end in sentence_spans(text):
        sentence = text[s_start:s_end]
        if not _TRIGGER.search(sentence):
            continue
        ctx = _Context(pub, _tense(sentence, language))
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, int, _Resolved, bool]] = []
        feats = _features(sentence)
        for (pattern, handler), gate in zip(PATTERNS, _GATES, strict=True):
            if gate not in feats:
                continue
            for m in pattern.finditer(sentence):
                a, b = m.span()
                if any(a < tb and ta < b for ta, tb in taken):
                    continue
                try:
                    resolved = handler(m, ctx)
                except (KeyError, ValueError):
                    resolved = None
                if resolved is None:
                    continue
                taken.append((a, b))
                until = bool(m.groupdict().get("until"))
                found.append((a, b, resolved, until))
        for a, b, resolved, until in sorted(found, key=lambda f: f[0]):
            start, end = resolved.start, resolved.end
            if until:
                end = end or start
                start = min(pub, end)
            is_future = start > pub or (until and end is not None and end > pub)
            lead = len(sentence[a:b]) - len(sentence[a:b].lstrip())
            trail = len(sentence[a:b]) - len(sentence[a:b].rstrip(" ,"))
            events.append(
                DatedEvent(
                    text=sentence.strip(),
                    span=(s_start + len(sentence) - len(sentence.lstrip()), s_end),
                    start=start,
                    end=end,
                    precision=resolved.precision,
                    is_future=is_future,
                    expression=sentence[a + lead : b - trail],
                    expression_span=(s_start + a + lead, s_start + b - trail),
                )
            )
    return events


_NAME_WITH_YEAR = re.compile(
    rf"(?P<name>(?:[{CAPITALS}][\w'’.&]*[ -]){{0,3}}[{CAPITALS}][\w'’.&]*)"
    r"(?P<sep>-|\s|\s?–\s?)(?P<year>(?:19|20)\d{2})\b"
)
_NOT_NAMES = frozenset(
    {m.capitalize() for m in EN_MONTHS}
    | {d.capitalize() for d in EN_WEEKDAYS}
    | {"In", "On", "Since", "By", "From", "Until", "The", "Of", "For", "During", "Before", "After",
       "Fiscal", "Year", "End", "Early", "Late", "Mid", "Spring", "Summer", "Autumn", "Fall",
       "Winter", "Q1", "Q2", "Q3", "Q4", "H1", "H2", "And", "To", "At", "As", "Through",
       # Mongolian and Russian sentence openers and function words ("Мөн 1970 онд" is
       # "also in 1970", not an event name).
       "Мөн", "Энэ", "Тэр", "Харин", "Гэвч", "Түүнчлэн", "Тухайлбал", "Өмнө", "Одоо",
       "В", "С", "До", "После", "Также", "Ещё", "Еще", "Это", "Но", "И", "А"}
)  # fmt: skip


def stale_year_names(text: str, published: datetime | date) -> list[str]:
    """List event names that carry a year earlier than the publication year.

    "Steppe Partner-2024" in a 2026 article is usually a copy-paste from an old release or a
    wrong year; the report lists these in its data-quality notes. Dates ("May 2024") and
    phrases such as "in 2024" are not names and are skipped.

    Args:
        text: the article text.
        published: the publication date or datetime.
    """
    pub_year = published.year
    names: list[str] = []
    for m in _NAME_WITH_YEAR.finditer(text):
        if int(m["year"]) >= pub_year:
            continue
        words = m["name"].replace("-", " ").split()
        # Drop leading function words ("In Khaan Quest 2024" -> "Khaan Quest 2024").
        while words and words[0].rstrip(".,") in _NOT_NAMES:
            words.pop(0)
        if (
            not words
            or words[-1].rstrip(".") in _NOT_NAMES
            or words[-1].rstrip(".").lower() in EN_MONTHS
        ):
            continue
        keep = m["name"][m["name"].index(words[0]) :]
        name = (
            f"{keep}{m['sep'].strip() or ' '}{m['year']}"
            if m["sep"].strip()
            else f"{keep} {m['year']}"
        )
        if name not in names:
            names.append(name)
    return names
