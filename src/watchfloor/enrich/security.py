"""How much an article is a security matter for an analyst, and why, in every language.

The cues live in ``data/security.toml`` (documented in docs/security.md): concepts such as
"arrest", "earthquake" or "weather forecast", each with an English gloss, a kind, a weight,
a severity and terms in Mongolian, English, Russian and Chinese. Cues of a security kind
(armed violence, disaster, crime, corruption, cyber, unrest, strike, defence, border, energy
supply, political crisis, diplomacy...) are positive evidence; cues of the other kinds
(weather, sport, culture, festival, award, market, tourism, business, routine events) are
negative evidence.

The score of an article (0 to 1):

* **positive evidence** ``P``: the strongest security cue's weight, plus half of what the
  other cues and the classifier's categories add (a noisy-or). A cue found only in the body
  counts ``text_factor`` of its weight. The classifier's categories (data/taxonomy.toml) only
  support cues: on their own they stay under ``category_cap``, below the bar, and ``other``
  gives nothing;
* **negative evidence** ``N``: a noisy-or of the non-security cues;
* ``score = P * (1 - N)``, except that strong positive evidence (``P`` at least ``strong``:
  killed, explosion, arrested, bribery, a strike, or an accident with injuries) is damped
  only by ``strong_damping * N``. So a
  "military sports competition" or a "police football cup" is not security, but "two killed
  at the wrestling tournament" is.

An article is a security matter when the score reaches ``bar``. Its severity (1 minor, 2
significant, 3 major) is the highest of its security cues'; a cue that reports deaths makes
it 3 beside armed violence or a disaster, or when the headline counts ``mass_casualties`` or
more dead. Matching is a single compiled regular expression per lexicon: a headline costs
tens of microseconds, and nothing is loaded from the network.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from watchfloor.errors import EnrichError

__all__ = [
    "Cue",
    "SecurityAssessment",
    "SecurityLexicon",
    "assess_security",
    "get_lexicon",
    "load_lexicon",
]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SPACE = re.compile(r"\s+")
_MAX_TERMS_IN_REASON = 2


@dataclass(frozen=True, slots=True)
class SecurityAssessment:
    """The verdict on one article.

    Attributes:
        score: 0..1, how much this is a security matter for an analyst.
        is_security: ``score`` is at or above the configured bar.
        severity: 0 none, 1 minor or routine, 2 significant, 3 major (deaths, armed attack,
            mass-casualty disaster, national crisis). 0 whenever ``is_security`` is false.
        kind: the security kind or non-security kind that decided it ("armed_violence",
            "corruption", "weather", "sport", ..., "other" when no cue matched).
        reason: one short English phrase naming the matched cue.
    """

    score: float
    is_security: bool
    severity: int
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class Cue:
    """One concept of the lexicon (a ``[[cue]]`` table of data/security.toml)."""

    gloss: str
    kind: str
    weight: float
    severity: int = 0
    security: bool = True
    deaths: bool = False
    generic: bool = False
    needs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Hit:
    cue: Cue
    word: str
    weight: float
    in_title: bool = False


@dataclass(frozen=True, slots=True)
class SecurityLexicon:
    """The cues, the scoring constants and the compiled matcher."""

    cues: tuple[Cue, ...]
    kind_labels: Mapping[str, str]
    security_kinds: frozenset[str]
    category_weights: Mapping[str, float]
    pattern: re.Pattern[str]
    term_cue: Mapping[str, int]  # normalised term -> index into cues, -1 for ignored words
    bar: float = 0.5
    strong: float = 0.8
    strong_damping: float = 0.25
    text_factor: float = 0.7
    text_chars: int = 1500
    category_cap: float = 0.45
    mass_casualties: int = 3
    extreme_temperature: float = 40.0
    split: tuple[re.Pattern[str], re.Pattern[str] | None] | None = None
    """``pattern`` as two (:func:`_compile_split`): the words, and the Chinese terms."""

    def label(self, kind: str) -> str:
        return self.kind_labels.get(kind, kind.replace("_", " "))

    def scan(self, text: str) -> list[tuple[Cue, str]]:
        """Return each cue matched in *text* with the word it matched, in text order."""
        low = text.lower()
        shown = text if len(text) == len(low) else low
        found: list[tuple[Cue, str]] = []
        matches = _finditer(*self.split, low) if self.split else self.pattern.finditer(low)
        for m in matches:
            idx = self.term_cue.get(_SPACE.sub(" ", m.group(0)))
            if idx is None or idx < 0:
                continue
            end = m.end()
            if not _CJK.match(m.group(0)):
                while end < len(low) and (low[end].isalnum() or low[end] in "-'’"):
                    # headlines glued to a dateline ("алджээДОХА") end at the capital
                    if shown[end].isupper() and shown[end - 1].islower():
                        break
                    end += 1
            found.append((self.cues[idx], shown[m.start() : end].strip("-'’")))
        return found


def _term_regex(term: str) -> str:
    whole = term.endswith(".") and len(term) > 1
    body = term[:-1] if whole else term
    esc = re.escape(body).replace(r"\ ", r"\s+")
    return esc + r"(?!\w)" if whole else esc


def _compile(terms: Mapping[str, int]) -> re.Pattern[str]:
    """One alternation: words match at a word start, Chinese anywhere; longest first.

    The words are grouped by their first character, each group keeping that order: only
    one group can match at a position, so the match is the one the flat alternation of
    every word finds, but each position tries one group instead of some 1,500 words.
    """
    ordered = sorted(terms, key=lambda t: (-len(t), t))
    groups: dict[str, list[str]] = {}
    for t in ordered:
        if not _CJK.search(t):
            head = re.escape(t[0])
            groups.setdefault(head, []).append(_term_regex(t)[len(head) :])
    words = [head + "(?:" + "|".join(rests) + ")" for head, rests in groups.items()]
    cjk = [re.escape(t) for t in ordered if _CJK.search(t)]
    parts = []
    if words:
        parts.append(r"(?<!\w)(?:" + "|".join(words) + ")")
    if cjk:
        parts.append("(?:" + "|".join(cjk) + ")")
    return re.compile("|".join(parts) if parts else r"(?!x)x")


def _compile_split(terms: Mapping[str, int]) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """:func:`_compile`'s pattern as two: its words, and its Chinese terms (None if none).

    Each alone is some ten times faster than the one alternation: the Chinese terms all
    begin with a literal character, so the regular expression engine skips to the
    positions where one can begin, and the words are tried only after a non-word
    character; the alternation of both tries every position. :func:`_finditer` finds with
    the two what the alternation finds.
    """
    words = {t: i for t, i in terms.items() if not _CJK.search(t)}
    cjk = {t: i for t, i in terms.items() if _CJK.search(t)}
    return _compile(words) if words else re.compile(r"(?!x)x"), _compile(cjk) if cjk else None


def _finditer(
    words: re.Pattern[str], cjk: re.Pattern[str] | None, text: str
) -> Iterator[re.Match[str]]:
    """The matches of ``words|cjk`` in *text* (leftmost first, a word before a Chinese
    term at one position, each search going on from the end of the last match).

    A search from a position finds the first match at or after it whatever position an
    earlier search began at (the lookbehind sees the text before it), so each pattern's
    next match is searched again only once the other's match has passed its start.
    """
    if cjk is None or not _CJK.search(text):
        yield from words.finditer(text)
        return
    pos = 0
    w = words.search(text, pos)
    c = cjk.search(text, pos)
    while w is not None or c is not None:
        if c is None or (w is not None and w.start() <= c.start()):
            assert w is not None
            m = w
        else:
            m = c
        yield m
        pos = m.end()  # the terms are never empty
        if w is not None and w.start() < pos:
            w = words.search(text, pos)
        if c is not None and c.start() < pos:
            c = cjk.search(text, pos)


def _add_term(
    raw_term: str,
    idx: int,
    cues: Sequence[Cue],
    term_cue: dict[str, int],
    patterns: dict[str, int],
) -> None:
    """Register one term of cue *idx* (-1: an ignored word); a term has one owner only."""
    term = _SPACE.sub(" ", raw_term.lower().strip())
    if not term or term == ".":
        raise ValueError(f"empty term {raw_term!r}")
    key = term[:-1] if term.endswith(".") and len(term) > 1 else term
    other = term_cue.get(key)
    if other is not None and other != idx:
        owner = cues[other].gloss if other >= 0 else "[ignore]"
        mine = cues[idx].gloss if idx >= 0 else "[ignore]"
        raise ValueError(f"term {raw_term!r} belongs to cue {owner!r} and {mine!r}")
    term_cue[key] = idx
    patterns[term] = idx


def load_lexicon(path: Path | None = None) -> SecurityLexicon:
    """Read a security lexicon; the packaged ``data/security.toml`` by default.

    Raises:
        EnrichError: the file cannot be read or is invalid (it names the problem).
    """
    where = str(path) if path else "watchfloor/data/security.toml"
    try:
        if path is None:
            raw = resources.files("watchfloor").joinpath("data/security.toml").read_text("utf-8")
        else:
            raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EnrichError(f"cannot read security lexicon {where}: {exc}") from exc
    try:
        kinds = data["kinds"]
        security_kinds = {str(k): str(v) for k, v in kinds["security"].items()}
        other_kinds = {str(k): str(v) for k, v in kinds["not_security"].items()}
        labels = {**security_kinds, **other_kinds}
        cues: list[Cue] = []
        term_cue: dict[str, int] = {}
        patterns: dict[str, int] = {}
        for item in data["cue"]:
            kind = str(item["kind"])
            if kind not in labels:
                raise ValueError(f"cue {item.get('gloss')!r} has unknown kind {kind!r}")
            weight = float(item["weight"])
            severity = int(item.get("severity", 0))
            if not 0.0 <= weight <= 1.0 or not 0 <= severity <= 3:
                raise ValueError(f"cue {item['gloss']!r}: weight 0-1 and severity 0-3")
            needs = tuple(str(n) for n in item.get("needs", ()))
            cue = Cue(
                gloss=str(item["gloss"]),
                kind=kind,
                weight=weight,
                severity=severity,
                security=kind in security_kinds,
                deaths=bool(item.get("deaths", False)),
                generic=bool(item.get("generic", False)),
                needs=needs,
            )
            cues.append(cue)
            for lang in ("mn", "en", "ru", "zh"):
                for raw_term in item.get(lang, ()):
                    _add_term(str(raw_term), len(cues) - 1, cues, term_cue, patterns)
        for raw_term in data.get("ignore", {}).get("terms", ()):
            _add_term(str(raw_term), -1, cues, term_cue, patterns)
        scoring = data.get("scoring", {})
        lexicon = SecurityLexicon(
            cues=tuple(cues),
            kind_labels=labels,
            security_kinds=frozenset(security_kinds),
            category_weights={str(k): float(v) for k, v in data.get("categories", {}).items()},
            pattern=_compile(patterns),
            term_cue=term_cue,
            bar=float(scoring.get("bar", 0.5)),
            strong=float(scoring.get("strong", 0.8)),
            strong_damping=float(scoring.get("strong_damping", 0.25)),
            text_factor=float(scoring.get("text_factor", 0.7)),
            text_chars=int(scoring.get("text_chars", 1500)),
            category_cap=float(scoring.get("category_cap", 0.45)),
            mass_casualties=int(scoring.get("mass_casualties", 3)),
            extreme_temperature=float(scoring.get("extreme_temperature", 40.0)),
            split=_compile_split(patterns),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EnrichError(
            f"security lexicon {where} is invalid ({exc}): it needs [kinds.security], "
            "[kinds.not_security] and [[cue]] tables with gloss, kind and weight"
        ) from exc
    return lexicon


def get_lexicon() -> SecurityLexicon:
    """The packaged lexicon, read and compiled once per process (held by the shared enrich
    resources, like the other loaded tables)."""
    from watchfloor.enrich.resources import shared

    return shared().security_lexicon


# --- casualty counts ----------------------------------------------------------------------

_NUMBER_WORDS = {
    # Mongolian (attributive and plain forms), English, Russian
    "хоёр": 2, "гурван": 3, "гурав": 3, "дөрвөн": 4, "дөрөв": 4, "таван": 5, "тав": 5,
    "зургаан": 6, "зургаа": 6, "долоон": 7, "долоо": 7, "найман": 8, "найм": 8,
    "есөн": 9, "ес": 9, "арван": 10, "арав": 10, "хорин": 20, "гучин": 30, "зуун": 100,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "dozens": 24, "hundreds": 200, "thousands": 2000, "scores": 40,
    "двое": 2, "трое": 3, "двух": 2, "трех": 3, "трёх": 3, "пять": 5, "десять": 10,
    "десятки": 20, "сотни": 200, "тысячи": 2000,
}  # fmt: skip
_PERSON = (
    r"(?:хүн|хүний|иргэн|хүүхэд|цэрэг|байлдагч|зорчигч|уурхайчин|амь|people|persons|civilians"
    r"|soldiers|children|dead|killed|victims|человек|погибш|мирных|военных|детей|人)"
)
_NUM = r"(\d{1,3}(?:[ ,]\d{3})+|\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_COUNT_BEFORE = re.compile(
    _NUM + r")(?!\w)\s*(?:-?аас\s+|-?ээс\s+)?(?:(?:гаруй|орчим|шахам|more|over|более|около)\s+)?"
    r"(?:\w+\s+)?" + _PERSON,
    re.IGNORECASE,
)
_COUNT_AFTER = re.compile(
    r"(?:тоо|toll|число|人数)\D{0,20}?(\d{1,3}(?:[ ,]\d{3})+|\d+)", re.IGNORECASE
)
_MASS = re.compile(
    r"хэдэн\s+(?:зуу|мянга)|олон\s+зуун|hundreds|thousands|сотни|сотен|тысячи|тысяч\s",
    re.IGNORECASE,
)
_ZH_MASS = re.compile(r"(?:数百|上百|数十|数千|上千)人|(\d+)\s*(?:多)?(?:人|名)")


def _to_int(token: str) -> int:
    low = token.lower()
    if low in _NUMBER_WORDS:
        return _NUMBER_WORDS[low]
    digits = re.sub(r"[ ,]", "", token)
    return int(digits) if digits.isdigit() else 0


def casualty_count(text: str) -> int:
    """The largest number of people a headline counts (0 when it counts none).

    Years ("2026 он") are not counts: only numbers next to a person noun ("188 хүн",
    "13 people", "погибли 5 человек", "3人") or after "тоо"/"toll" count.
    """
    best = 0
    for m in _COUNT_BEFORE.finditer(text):
        best = max(best, _to_int(m.group(1)))
    for m in _COUNT_AFTER.finditer(text):
        best = max(best, _to_int(m.group(1)))
    if _MASS.search(text):
        best = max(best, 100)
    if _CJK.search(text):
        for m in _ZH_MASS.finditer(text):
            best = max(best, int(m.group(1)) if m.group(1) else 100)
    return best


# --- the assessment -----------------------------------------------------------------------


def _noisy_or(weights: Sequence[float]) -> float:
    return 1.0 - math.prod(1.0 - w for w in weights)


#: A headline naming a military exercise: its shooting and combat words are the drill's.
_EXERCISE = re.compile(
    r"сургуулилалт|хээрийн сургуул|тактикийн сургуул"
    r"|exercise|drill|war games|учени|маневр|演习|军演",
    re.IGNORECASE,
)
#: A headline that is a recurring notice (a situation report, a schedule of outages).
_BULLETIN = re.compile(
    r"нөхцөл байдлын мэдээ|байршлууд|хуваарь|situation report|daily update|schedule"
    r"|сводка|график отключ|通报",
    re.IGNORECASE,
)
#: A headline that sums up crime over a period or as a share ("63 хувь нь гэмт хэргийн
#: шинжтэй", "сүүлийн хоёр жилд 1,228 иргэн гэмт хэрэг үйлдсэн"): statistics, not a case.
_STATISTICS = re.compile(
    r"\d\s*%|\bхувь|сүүлийн\s+\S+\s+(?:жил|сар)|оны\s+эхнээс|\bpercent|\bper\s+cent"
    r"|since\s+the\s+(?:start|beginning)\s+of\s+the\s+year|in\s+the\s+(?:past|last)\s+\w+\s+"
    r"(?:years|months)|процент|с\s+начала\s+года|за\s+последние",
    re.IGNORECASE,
)
#: A temperature written in a headline: "+41 хэм", "50 хэмээс давж", "39.6 градус", "40°C".
#: A minus sign or "хасах"/"минус" before it makes it cold; "хэмжээ" (size) and "хэмнэ"
#: (save) are other words.
_TEMPERATURE = re.compile(
    r"(?<![\w.,])(?P<sign>[-−–]\s*|(?:хасах|минус|minus)\s+)?\+?\s*(?P<value>\d{1,2}(?:[.,]\d)?)"
    r"\s*(?:хэм(?:ийн|ээс|ээр|тэй|д)?(?!\w)|градус|°|℃|degrees)",
    re.IGNORECASE,
)
_GLOSS_EXTREME = "extreme heat or cold"


def extreme_temperature(text: str, limit: float) -> str | None:
    """The first temperature in *text* whose size is at least *limit* degrees (hot or
    cold), as written; None when there is none. Ordinary summer heat (+32 to +36) and a
    forecast's "23 хэм" stay under a limit of 40."""
    for m in _TEMPERATURE.finditer(text):
        if float(m.group("value").replace(",", ".")) >= limit:
            return m.group(0).strip()
    return None


_CASE_KINDS = frozenset({"crime", "corruption"})
_CONTEST_KINDS = frozenset({"sport", "festival", "award", "culture"})


def _contest_headline(hits: Sequence[_Hit], strong: float) -> bool:
    """The headline names a contest or an event (sport, festival, award, culture) and its
    security cues are only weak ones (soldiers, police), none as strong as *strong*."""
    contest = any(h.in_title and h.cue.kind in _CONTEST_KINDS for h in hits)
    serious = any(h.in_title and h.cue.security and h.weight >= strong for h in hits)
    return contest and not serious


def _forces_harmed(hits: Sequence[_Hit]) -> bool:
    """The headline tells of harm (an accident, injuries, deaths) and names the armed
    forces: soldiers hurt at a show or a contest are news about the soldiers, so the
    event's words (a demonstration "performance", a "competition") do not outweigh it."""
    harm = any(h.in_title and h.cue.kind == "accident" for h in hits)
    forces = any(h.in_title and h.cue.kind == "defence" for h in hits)
    return harm and forces


#: How much a negative cue found only in the body counts when the headline carries a
#: positive cue and no negative one.
_BODY_NEGATIVE_UNDER_POSITIVE_TITLE = 0.4


def _collect(lex: SecurityLexicon, title: str, text: str) -> tuple[list[_Hit], bool]:
    """Best hit per cue (title before body); and whether a deaths cue is in the title."""
    best: dict[int, _Hit] = {}
    order: list[int] = []
    deaths_in_title = False
    for source, factor in ((title, 1.0), (text[: lex.text_chars], lex.text_factor)):
        if not source:
            continue
        for cue, word in lex.scan(source):
            key = id(cue)
            weight = cue.weight * factor
            if cue.deaths and factor == 1.0:
                deaths_in_title = True
            if key not in best:
                order.append(key)
                best[key] = _Hit(cue, word, weight, factor == 1.0)
            elif weight > best[key].weight:
                best[key] = _Hit(cue, word, weight, factor == 1.0)
    return [best[k] for k in order], deaths_in_title


def _quote(hit: _Hit) -> str:
    return f'"{hit.word}" ({hit.cue.gloss})'


def assess_security(
    title: str,
    text: str = "",
    *,
    language: str = "und",
    categories: Sequence[str] = (),
    lexicon: SecurityLexicon | None = None,
    bar: float | None = None,
) -> SecurityAssessment:
    """Score how much an article is a security matter, with its severity, kind and reason.

    Args:
        title: the headline (cues there count fully).
        text: the body or summary; its first ``text_chars`` characters are read and a cue
            found only there counts ``text_factor`` of its weight.
        language: the article's language code. Every language's cues are tried whatever it
            says (headlines quote terms across languages); it is accepted for callers that
            have it and for future language-specific rules.
        categories: the article's category ids from :mod:`watchfloor.enrich.categorize`;
            supporting evidence only, ``other`` gives none.
        lexicon: the cues; the packaged ``data/security.toml`` by default.
        bar: the score at which an article is security; the lexicon's ``[scoring] bar``
            (0.5) by default.
    """
    del language  # all languages' cues are tried; see the docstring
    lex = lexicon or get_lexicon()
    threshold = lex.bar if bar is None else bar
    hits, deaths_in_title = _collect(lex, title or "", text or "")

    cancelled: set[str] = set()
    heat = extreme_temperature(title or "", lex.extreme_temperature)
    extreme = next((c for c in lex.cues if c.gloss == _GLOSS_EXTREME), None)
    if heat and extreme is not None and not any(h.cue is extreme for h in hits):
        # "+41 хэм", "50 хэмээс давж халжээ": the figure is the warning, whatever the
        # weather words around it say
        hits.append(_Hit(extreme, heat, extreme.weight, True))
    if heat and extreme is not None:
        cancelled.add("weather")
    kept: list[_Hit] = []
    for h in hits:
        if h.cue.needs:
            if not any(o.cue.kind in h.cue.needs for o in hits if o is not h):
                continue
            cancelled.update(h.cue.needs)
        kept.append(h)
    positives = sorted((h for h in kept if h.cue.security), key=lambda h: h.weight, reverse=True)
    if _forces_harmed(kept):
        # "an accident at a demonstration performance, the conscripts' health": the
        # contest words describe where it happened, not what the news is.
        cancelled.update(_CONTEST_KINDS)
    elif _contest_headline(kept, lex.strong):
        # A contest, festival or ceremony with soldiers or police in the headline: the body's
        # "shooting", "casualty care" or "drone" are its events, not violence.
        positives = [h for h in positives if h.in_title]
    negatives = sorted(
        (h for h in kept if not h.cue.security and h.cue.kind not in cancelled),
        key=lambda h: h.weight,
        reverse=True,
    )
    cat_weights = [lex.category_weights.get(c, 0.0) for c in dict.fromkeys(categories)]
    cat_weights = [w for w in cat_weights if w > 0.0]
    supporting_cats = [c for c in dict.fromkeys(categories) if lex.category_weights.get(c, 0.0)]

    # A headline that names a security matter is not undone by a topical word further down
    # the body ("talks on military cooperation ... opened an exhibition"): body-only
    # negatives weigh less when the title has a positive cue and no negative one.
    title_led = any(h.in_title for h in positives) and not any(h.in_title for h in negatives)
    body_factor = _BODY_NEGATIVE_UNDER_POSITIVE_TITLE if title_led else 1.0
    negative = _noisy_or([h.weight * body_factor for h in negatives]) if negatives else 0.0
    if positives:
        top = positives[0].weight
        rest = _noisy_or([h.weight for h in positives[1:]] + cat_weights)
        positive = top + (1.0 - top) * 0.5 * rest
        damping = lex.strong_damping if positive >= lex.strong else 1.0
        score = positive * (1.0 - damping * negative)
    else:
        positive = min(_noisy_or(cat_weights), lex.category_cap) if cat_weights else 0.0
        score = positive * (1.0 - negative)
    score = round(min(max(score, 0.0), 1.0), 3)
    is_security = score >= threshold

    if is_security:
        specific = [h for h in positives if not h.cue.generic]
        decider = specific[0] if specific else positives[0]
        severity = max(h.cue.severity for h in positives)
        count = casualty_count(title) if deaths_in_title else 0
        deaths = [h for h in positives if h.cue.deaths]
        violent = any(h.cue.kind in ("armed_violence", "terrorism", "disaster") for h in positives)
        if deaths and (violent or count >= lex.mass_casualties):
            severity = 3
        kind = decider.cue.kind
        if not deaths and kind in ("armed_violence", "terrorism") and _EXERCISE.search(title or ""):
            # "joint combat live-fire field exercise": the shooting is the drill's
            kind, severity = "defence", min(severity, 1)
            reason = f"{lex.label(kind)}: exercise with {_quote(decider)}"
        else:
            reason = f"{lex.label(decider.cue.kind)}: {_quote(decider)}"
        if not deaths and severity > 1 and _BULLETIN.search(title or ""):
            # a daily situation report or an outage schedule: routine, whatever it lists
            severity = 1
            reason = f"routine bulletin, {reason}"
        elif (
            not deaths and severity > 1 and kind in _CASE_KINDS and _STATISTICS.search(title or "")
        ):
            # crime counted over a period or as a share: routine statistics, not a case
            severity = 1
            reason = f"statistics, {reason}"
        extra = [h for h in positives if h is not decider][: _MAX_TERMS_IN_REASON - 1]
        if deaths and deaths[0] is not decider:
            extra = [deaths[0]]
        if extra:
            reason += "; " + ", ".join(_quote(h) for h in extra)
        if count:
            reason += f"; {count} people counted"
        if negatives:
            reason += f"; outweighs {lex.label(negatives[0].cue.kind)} {_quote(negatives[0])}"
        return SecurityAssessment(score, True, severity, kind, reason)

    if negatives and (not positives or negative > 0.0):
        neg = negatives[0]
        reason = f"not security: {lex.label(neg.cue.kind)} {_quote(neg)}"
        if positives:
            reason += f" outweighs weak {lex.label(positives[0].cue.kind)} {_quote(positives[0])}"
        return SecurityAssessment(score, False, 0, neg.cue.kind, reason)
    if positives:
        pos = positives[0]
        reason = f"not security: weak cue only, {lex.label(pos.cue.kind)} {_quote(pos)}"
        return SecurityAssessment(score, False, 0, pos.cue.kind, reason)
    if supporting_cats:
        reason = "not security: no security cue, only the category " + ", ".join(
            f'"{c}"' for c in supporting_cats
        )
        return SecurityAssessment(score, False, 0, "other", reason)
    return SecurityAssessment(score, False, 0, "other", "not security: no security cue")
