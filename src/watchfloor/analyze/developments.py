"""Developments: the period's stories (clusters) that concern the country, ranked.

A story qualifies when at least one of its articles published in the period is about the
country. Only the country's stories are read whole and grouped (see
:func:`watchfloor.analyze.facts.load_period`); the period's stories that never name it are
only listed, as ``not_about``. Only in-period articles are news; the cluster's articles
outside the period are kept aside (``outside``) for background and data-quality notes.
Significance ranks the stories: category severity, number of outlets and articles,
recency, casualties and attacks on the state or infrastructure.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import pairwise

from watchfloor.analyze.casualties import (
    Casualties,
    count_casualties,
    head_counts,
    mentions_attack_on_state,
)
from watchfloor.analyze.credibility import CredibilityDraft, assess_credibility
from watchfloor.analyze.facts import ArticleFacts, DatedFact, PeriodData, PlaceFact
from watchfloor.backends.base import Backend
from watchfloor.config import DevelopmentSettings
from watchfloor.enrich.security import SecurityAssessment
from watchfloor.models.analysis import Draft, Key, SourceText
from watchfloor.text import (
    centroid,
    cosine,
    has_markup,
    is_instruction,
    split_sentences,
    stem,
    stems,
    tfidf,
)

__all__ = [
    "AlsoItem",
    "DevDraft",
    "Exclusion",
    "Selection",
    "distinctive_names",
    "led_elsewhere",
    "organisations_in",
    "plausible_places",
    "select_developments",
    "severity_of",
]

_DEFAULTS = DevelopmentSettings()
COARSE_FEATURES = frozenset({"country", "continent", "sea", "ocean"})
_CAPITALISED = re.compile(r"^[A-ZА-ЯЁӨҮ]")
_ORGANISATIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("European Union", r"\bEU\b|\bEuropean Union\b|Европын холбоо|Евросоюз|Европейск\w+ союз"),
        ("NATO", r"\bNATO\b|\bНАТО\b|\bOTAN\b"),
        ("United Nations", r"\bUN\b|\bUnited Nations\b|\bНҮБ\b|\bООН\b"),
        ("Shanghai Cooperation Organisation", r"\bSCO\b|Shanghai Cooperation|\bШОС\b|\bШХАБ\b"),
        ("ASEAN", r"\bASEAN\b"),
        ("OSCE", r"\bOSCE\b|\bЕАБХАБ\b|\bОБСЕ\b"),
        ("IMF", r"\bIMF\b|International Monetary Fund|\bОУВС\b|\bМВФ\b"),
        ("World Bank", r"\bWorld Bank\b|Дэлхийн банк|Всемирн\w+ банк"),
        ("Asian Development Bank", r"\bAsian Development Bank\b|\bADB\b|\bАХБ\b"),
        ("African Union", r"\bAfrican Union\b"),
        ("SADC", r"\bSADC\b|Southern African Development Community"),
        ("ICRC", r"\bICRC\b|\bRed Cross\b|Улаан загалмай|Красн\w+ Крест"),
        ("WHO", r"\bWorld Health Organi[sz]ation\b|\bДЭМБ\b|\bВОЗ\b"),
    )
)


@dataclass(slots=True)
class DevDraft:
    """A development before citations are numbered."""

    id: str
    title: str
    start: date
    end: date | None
    category: str
    categories: list[str]
    summary: list[Draft]
    places: list[PlaceFact]
    actors: list[str]
    partners: list[str]
    organisations: list[str]
    significance: float
    severity: float
    articles: list[ArticleFacts]
    outside: list[ArticleFacts]
    casualties: Casualties
    attack: tuple[str, Key] | None
    new: bool
    future: list[tuple[DatedFact, ArticleFacts]] = field(default_factory=list)
    page_keys: list[Key] = field(default_factory=list)
    level: int = 0
    """Security severity 0-3 of the story (its most severe article)."""
    kind: str = "other"
    """What kind of security news it is (armed violence, disaster, cyber, ...)."""
    security_reason: str = ""
    where: str = "in_country"
    """Where the story happens: in_country, own_abroad (the country's forces or citizens
    abroad), or abroad."""
    pinned: str | None = None
    """``analyst_include`` when an analyst pinned the story into the report."""
    own_source_under_bar: bool = False
    """Admitted because the country's own outlets carried it, though no article reached
    the relevance bar."""
    credibility: CredibilityDraft | None = None
    """Source reliability and information credibility (:mod:`.credibility`)."""
    ranked: bool = True
    """False for a candidate ranked below every shown one on its cheap signals alone: its
    significance is an upper bound and its casualties, attack and credibility were never
    assessed (see :func:`_rank`)."""

    @property
    def harm_counts(self) -> bool:
        """True when the story's casualties count for the country (not a foreign event)."""
        return self.where in ("in_country", "own_abroad")

    @property
    def keys(self) -> list[Key]:
        """Citations of every in-period article (oldest first), then of page versions."""
        return [("a", a.id) for a in self.articles] + self.page_keys

    @property
    def outlets(self) -> int:
        return len({a.outlet for a in self.articles}) or len(self.page_keys)

    @property
    def place_names(self) -> list[str]:
        """Place names, most mentioned first; one name per spot.

        The gazetteer can hold a city and the admin unit around it under different
        spellings (Ulaanbaatar, Ulan Bator): names within 25 km count as one place.
        """
        from watchfloor.enrich.gazetteer import haversine_km

        counts = Counter(p.name for p in self.places)
        where = {p.name: (p.lat, p.lng) for p in self.places}
        kept: list[str] = []
        for name, _ in counts.most_common():
            lat, lng = where[name]
            if all(haversine_km(lat, lng, *where[other]) > 25.0 for other in kept):
                kept.append(name)
        return kept


def severity_of(category: str) -> float:
    """The taxonomy's severity weight of a category (0 for unknown ones)."""
    from watchfloor.enrich.resources import shared

    for cat in shared().taxonomy.categories:
        if cat.id == category:
            return cat.severity
    return 0.0


def organisations_in(text: str) -> list[str]:
    """International organisations named in *text*, by their English names."""
    return [name for name, pattern in _ORGANISATIONS if pattern.search(text)]


def plausible_places(article: ArticleFacts, country: str) -> list[PlaceFact]:
    """Places of an article that can stand on a map for a story about *country*.

    Demonyms ("Mongolian") and metonyms ("Moscow said") are not where things happen;
    countries, continents and seas are too coarse to point at; a place abroad counts only
    when the article is about that place's country too (Moscow for a visit, Oahu for a
    competition); a lower-case surface is a common word the gazetteer matched by accident.
    """
    out = []
    for p in article.places:
        if p.demonym or p.metonymy or p.feature in COARSE_FEATURES:
            continue
        if not _CAPITALISED.match(p.text):
            continue
        if p.feature == "region" and p.country != country:
            continue
        if p.country != country and not article.about(p.country):
            continue
        out.append(p)
    return out


def _partners(article: ArticleFacts, country: str, partner_score: float) -> set[str]:
    found = set()
    named = {p.country for p in article.places if p.feature == "country" or p.demonym}
    for code, (score, about) in article.countries.items():
        if code == country or not code:
            continue
        if about or (article.lang == "en" and score >= partner_score and code in named):
            found.add(code)
    return found


def _categories(
    arts: Sequence[ArticleFacts], category_share: float = _DEFAULTS.category_share
) -> tuple[str, list[str], float]:
    """Main category, listed categories (mean confidence at least *category_share*) and the
    story's severity."""
    share: dict[str, float] = defaultdict(float)
    for a in arts:
        for cat, conf in a.categories.items():
            share[cat] += conf / len(arts)
    ranked = sorted(share.items(), key=lambda kv: (-kv[1], kv[0]))
    listed = [c for c, s in ranked if s >= category_share] or [c for c, _ in ranked[:1]]
    proper = [c for c in listed if c != "other"]
    main = proper[0] if proper else (listed[0] if listed else "other")
    severity = max([severity_of(main)] + [0.8 * severity_of(c) for c in listed])
    ordered = [main] + [c for c in (proper + listed) if c != main]
    return main, list(dict.fromkeys(ordered)), severity


_KIND_CATEGORY = {  # enrich.security kinds -> the taxonomy's categories
    "armed_violence": "terrorism_armed_violence",
    "terrorism": "terrorism_armed_violence",
    "disaster": "disaster_public_health",
    "severe_weather_warning": "disaster_public_health",
    "public_health": "disaster_public_health",
    "accident": "disaster_public_health",
    "cyber": "cyber",
    "unrest": "domestic_politics_unrest",
    "strike": "domestic_politics_unrest",
    "political_crisis": "domestic_politics_unrest",
    "crime": "crime",
    "corruption": "crime",
    "defence": "military_defence",
    "border": "border_trade",
    "energy_supply": "energy_infrastructure",
    "diplomacy": "diplomacy",
}
_BROAD_FEATURES = frozenset({"country", "continent", "region", "sea", "ocean"})


def _capital_point(country: str, capital: str) -> tuple[float, float] | None:
    from watchfloor.enrich.resources import shared

    for place, _ in shared().gazetteer.lookup(capital):
        if place.country == country:
            return place.lat, place.lng
    return None


def _merge_across_languages(
    groups: dict[str, list[ArticleFacts]],
    country: str,
    capital: str,
    cache: dict[int, SecurityAssessment] | None = None,
) -> dict[str, list[ArticleFacts]]:
    """Join the period's stories that are one event told in two languages.

    The clusterer compares articles across languages with a weaker signal (no shared
    words) and keeps some apart. With the country's stories of the period in view (those
    that never name it are not read), a story told in one language only joins a story in
    other languages when both have the same main category and name a specific place in
    common: a province, a town, an island, not a country or region, and nothing within
    50 km of the capital, which half of the news mentions.
    Each story joins at most one other, and a story that took one in is not moved again,
    so no chain of weak links can pull unrelated stories together.
    """
    from watchfloor.enrich.gazetteer import haversine_km

    centre = _capital_point(country, capital) if capital else None

    def profile(arts: list[ArticleFacts]) -> tuple[set[str], str, set[str]]:
        inside = [a for a in arts if a.in_period]
        langs = {a.lang for a in inside}
        main = _categories(inside)[0] if inside else "other"
        if main == "other" and inside:
            # A story the categoriser left as "other" can still be security news: its
            # security kind stands for the category (a fire is a disaster).
            security = _story_security(inside, cache)
            if security.is_security:
                main = _KIND_CATEGORY.get(security.kind, "other")
        # Every specific place counts here, abroad too: a Mongolian report of a
        # competition on Oahu may not be "about" the United States, but it is still there.
        keys = {
            p.key
            for a in inside
            for p in a.places
            if p.feature not in _BROAD_FEATURES
            and not (p.demonym or p.metonymy)
            and (centre is None or haversine_km(p.lat, p.lng, *centre) > 50.0)
        }
        return langs, main, keys

    order = sorted(groups, key=lambda g: (-len(groups[g]), g))
    info = {g: profile(groups[g]) for g in order}
    by_main: dict[str, list[str]] = defaultdict(list)  # in `order`, as the search needs
    for g in order:
        by_main[info[g][1]].append(g)
    into: dict[str, str] = {}
    hosts: set[str] = set()
    for small in reversed(order):
        langs_s, main_s, keys_s = info[small]
        if len(langs_s) != 1 or main_s == "other" or small in hosts or not keys_s:
            continue  # (with no specific place, no story shares one with it)
        best, shared = None, 0
        for big in by_main[main_s]:
            if big == small or big in into:
                continue
            langs_b, main_b, keys_b = info[big]
            if not langs_b or main_b != main_s or not langs_s.isdisjoint(langs_b):
                continue
            common = len(keys_s & keys_b)
            if common > shared:
                best, shared = big, common
        if best is not None:
            into[small] = best
            hosts.add(best)
    merged: dict[str, list[ArticleFacts]] = defaultdict(list)
    for g in order:
        merged[into.get(g, g)].extend(groups[g])
    return dict(merged)


_ACRONYM = re.compile(r"(?<![\w.])[A-ZА-ЯЁӨҮ]{2,5}(?![\w.])")
_INITIAL_NAME = re.compile(r"(?<![\w.])([A-ZА-ЯЁӨҮ])\.\s?([A-ZА-ЯЁӨҮ][a-zа-яёөү]{2,})")


def distinctive_names(text: str) -> set[str]:
    """Names in *text* that can tie two stories of one case together, lower-cased.

    An acronym of two to five capitals ("БЗС", "ТЦА", "NEMA"), alone or with a case ending
    ("БЗС-ийн"), and not in a run of capitals (a rubric such as "ҮЙЛ ЯВДАЛ:" or a shouted
    headline), nor a country, a domestic institution or an international organisation
    ("АНУ", "УИХ", "НҮБ": in the news of every case); a person written with an initial
    ("Д.Гардид", "J.Smith"), as the initial and the stem of the name ("д.гардид").
    """
    out = {f"{m.group(1)}.{stem(m.group(2))}".lower() for m in _INITIAL_NAME.finditer(text)}
    for m in _ACRONYM.finditer(text):
        before, after = text[: m.start()].split()[-1:], text[m.end() :].split()[:1]
        shouted = any(len(w) > 1 and w.isupper() for w in before + after)
        if (shouted and not text.startswith("-", m.end())) or _public_acronym(m.group(0)):
            continue
        out.add(m.group(0).lower())
    return out


@lru_cache(maxsize=4096)
def _public_acronym(acronym: str) -> bool:
    """A country ("АНУ"), domestic institution ("УИХ") or international body ("НҮБ")."""
    from watchfloor.enrich.relevance import names_a_country

    return names_a_country(acronym) or bool(organisations_in(acronym))


def _name_stem(name: str) -> str:
    """The word stem a name of :func:`distinctive_names` stands for among a story's stems."""
    return stem(name.rpartition(".")[2].lower())


def _phrases(text: str) -> set[str]:
    """Two consecutive word stems of *text* ("үзүүлэ тоглол": a demonstration performance),
    except the formulas of security news ("хэргийг шүүхэд шилжүүлжээ", a case sent to
    court): they tell the kind of news, not the event."""
    words = stems(text)
    return {p for a, b in pairwise(words) if (p := f"{a} {b}") not in _formulas()}


@lru_cache(maxsize=1)
def _formulas() -> frozenset[str]:
    """Phrases of two stems inside a security cue term of the lexicon (data/security.toml)."""
    from watchfloor.enrich.security import get_lexicon

    lex = get_lexicon()
    out: set[str] = set()
    for term, index in lex.term_cue.items():
        if index >= 0 and lex.cues[index].security:
            out.update(f"{a} {b}" for a, b in pairwise(stems(term.rstrip("."))))
    return frozenset(out)


@lru_cache(maxsize=1)
def _family_cue_stems() -> dict[str, frozenset[str]]:
    """Word stems of the security cue terms of each family (the category a kind stands
    for): the words that say what kind of event it was ("дайруулж", run over; "нас барж",
    died), common to every event of the family."""
    from watchfloor.enrich.security import get_lexicon

    lex = get_lexicon()
    out: dict[str, set[str]] = defaultdict(set)
    for term, index in lex.term_cue.items():
        if index >= 0 and lex.cues[index].security:
            kind = lex.cues[index].kind
            out[_KIND_CATEGORY.get(kind, kind)].update(stems(term.rstrip(".")))
    return {family: frozenset(words) for family, words in out.items()}


def _merge_split_stories(
    groups: dict[str, list[ArticleFacts]],
    cache: dict[int, SecurityAssessment],
    settings: DevelopmentSettings = _DEFAULTS,
) -> dict[str, list[ArticleFacts]]:
    """Join security stories of the period that the clusterer split: one event told in
    words it compared as different ("two soldiers run over at a tactics contest" and "one
    of the two servicemen hit by a car has a ruptured liver").

    Two stories join when both are security news of the same family (the category their
    kinds stand for: a flood warning and a river over its banks are both disasters) and
    their in-period titles and leads share

    * at least ``merge_shared_words`` word stems that are rare among the country's stories
      of the period (in at most 1/80 of them, or 4), two of them, or two phrases of two
      consecutive stems, in at most three stories: distinctive names and terms, not
      "said", "Ulaanbaatar" or "heavy rain" ("үзүүлэх тоглолт", the demonstration
      performance at which soldiers were run over, joins its injuries briefing though
      each word of it is in seven stories); or
    * a distinctive name (:func:`distinctive_names`: an acronym or an initial and a
      surname, in at most three stories) and one more rare stem: a case and its court
      hearing ("БЗС-ийн ... холбогдох хэргийг шүүхэд шилжүүлжээ", "БЗС-гийн ... холбогдох
      хэргийн шүүх хурлыг товложээ") share the fund's acronym and little else.

    * or they tell one incident in other words: the same count of the same people ("хоёр
      цэргийг", "цэргийн хоёр албан хаагч": two soldiers; :func:`head_counts`, not people in
      general nor the family's own event words), one more word rare in the period (the
      verb "дайруулсан", run over), within ``incident_days`` of each other, and no
      specific place that sets them apart (two road accidents with two dead each, one in
      Khovd and one in Darkhan, stay two).

    Stories located in different countries (a fire in Khovd, an earthquake in Lima) never
    join. A story split in two thus keeps the rank of the whole: its outlets and articles
    count together.
    """
    inside = {g: [a for a in arts if a.in_period] for g, arts in groups.items()}
    family: dict[str, str] = {}
    for g, arts in inside.items():
        found = _story_security(arts, cache) if arts else None
        if found is not None and found.is_security:
            family[g] = _KIND_CATEGORY.get(found.kind, found.kind)
    if len(family) < 2:
        return groups
    texts = {g: [f"{a.title} {a.body[:200]}" for a in arts] for g, arts in inside.items() if arts}
    words = {g: {w for t in ts for w in stems(t)} for g, ts in texts.items()}
    phrases = {g: {p for t in ts for p in _phrases(t)} for g, ts in texts.items()}
    names = {g: {n for t in ts for n in distinctive_names(t)} for g, ts in texts.items()}
    df: Counter[str] = Counter(w for ws in words.values() for w in ws)
    df_phrase: Counter[str] = Counter(p for ps in phrases.values() for p in ps)
    df_name: Counter[str] = Counter(n for ns in names.values() for n in ns)
    rare = max(4, len(words) // 80)
    keys = sorted(family, key=lambda g: (-len(groups[g]), g))
    parent = {g: g for g in keys}

    def root(g: str) -> str:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    distinct = {g: {w for w in words[g] if df[w] <= rare} for g in keys}
    event_words = _family_cue_stems()
    counted = {
        g: {
            (n, w)
            for t in texts[g]
            for n, w in head_counts(t)
            if w in words[g] and w not in event_words.get(family[g], frozenset())
        }
        for g in keys
    }
    spots = {
        g: {
            p.key
            for a in inside[g]
            for p in a.places
            if p.feature not in _BROAD_FEATURES and not (p.demonym or p.metonymy)
        }
        for g in keys
    }
    window = settings.incident_days * 86400.0
    located = {
        g: {
            p.country
            for a in inside[g]
            for p in a.places
            if p.country and not (p.demonym or p.metonymy) and p.feature not in _BROAD_FEATURES
        }
        for g in keys
    }
    by_family: dict[str, list[str]] = defaultdict(list)  # in `keys` order
    for g in keys:
        by_family[family[g]].append(g)
    # Words and phrases in at most three stories; the pairs to compare are those that share
    # a rare word (each joining needs one), found through each word's few stories, and
    # compared in the order of every pair (the first story of a joining stays its root).
    very_words = {g: {w for w in distinct[g] if df[w] <= 3} for g in keys}
    very_phrases = {g: {p for p in phrases[g] if df_phrase[p] <= 3} for g in keys}
    for same in by_family.values():  # only stories of one family join
        holders: dict[str | tuple[int, str], list[int]] = defaultdict(list)
        for i, g in enumerate(same):
            for w in distinct[g]:
                holders[w].append(i)
        for i, g in enumerate(same):
            for c in counted[g]:
                holders[c].append(i)
        pairs = sorted(
            {(i, j) for held in holders.values() for k, i in enumerate(held) for j in held[k + 1 :]}
        )
        for i, j in pairs:
            g, h = same[i], same[j]
            if located[g] and located[h] and not located[g] & located[h]:
                continue  # a fire in Khovd and an earthquake in Lima are two events
            common = distinct[g] & distinct[h]
            # ... and two of them (words or phrases) in at most three stories: the words
            # of this one event ("Биокомбинат", "цөмөрч"), not of its kind of news
            # ("аадар бороо").
            very_rare = len(very_words[g] & very_words[h]) + len(very_phrases[g] & very_phrases[h])
            # ... or a name only this case carries, and one more rare word.
            named = {n for n in names[g] & names[h] if df_name[n] <= 3}
            others = common - {_name_stem(n) for n in named}
            same_count = counted[g] & counted[h]
            incident = (
                bool(same_count)
                and bool(common - {w for _, w in same_count})
                and not (spots[g] and spots[h] and not spots[g] & spots[h])
                and _seconds_apart(inside[g], inside[h]) <= window
            )
            if (
                (len(common) >= settings.merge_shared_words and very_rare >= 2)
                or (named and others)
                or incident
            ):
                a, b = root(g), root(h)
                if a != b:
                    parent[b] = a
    if all(root(g) == g for g in keys):
        return groups
    merged: dict[str, list[ArticleFacts]] = defaultdict(list)
    for g, arts in groups.items():
        merged[root(g) if g in parent else g].extend(arts)
    return dict(merged)


def _seconds_apart(one: Sequence[ArticleFacts], other: Sequence[ArticleFacts]) -> float:
    """Seconds between the closest articles of two stories."""
    return min(abs((a.published - b.published).total_seconds()) for a in one for b in other)


def _title(arts: Sequence[ArticleFacts]) -> str:
    pool = [a for a in arts if not has_markup(a.title) and not is_instruction(a.title)]
    pool = pool or list(arts)
    english = [a for a in pool if a.lang == "en"] or pool
    if len(english) == 1:
        return " ".join(english[0].title.split())
    vectors = tfidf([stems(f"{a.title} {a.title} {a.body[:300]}") for a in english])
    center = centroid(vectors)
    best = max(
        range(len(english)),
        key=lambda i: (cosine(vectors[i], center), -english[i].published.timestamp()),
    )
    return " ".join(english[best].title.split())


def _hostile_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in *text* that address an automated system."""
    spans = []
    for sentence in split_sentences(text):
        if is_instruction(sentence):
            at = text.find(sentence)
            if at >= 0:
                spans.append((at, at + len(sentence)))
    return spans


def _actors(arts: Iterable[ArticleFacts], places: set[str]) -> list[str]:
    counts: Counter[str] = Counter()
    for a in arts:
        hostile = _hostile_spans(a.text)
        for e in a.entities:
            text = " ".join(e.text.split()).strip(" .,'\"")
            if text[:4].lower() == "the ":
                text = text[4:]
            if e.label not in ("ORG", "PERSON") or len(text) < 2 or text in places:
                continue
            if has_markup(text) or any(lo <= e.start < hi for lo, hi in hostile):
                continue
            counts[text] += 1
    return [name for name, _ in counts.most_common(6)]


def _dates(arts: Sequence[ArticleFacts], data: PeriodData) -> tuple[date, date | None]:
    start, end = data.start, data.end
    days = [data.local_date(a.published) for a in arts]
    for a in arts:
        days.extend(ev.start for ev in a.events if not ev.is_future and start <= ev.start <= end)
    lo, hi = min(days), max(days)
    return lo, (hi if hi != lo else None)


def _source_text(a: ArticleFacts) -> SourceText:
    return SourceText(
        key=("a", a.id), title=a.title, body=a.body, language=a.lang, published=a.published
    )


@dataclass(slots=True)
class AlsoItem:
    """A story relevant to the country that is not a key development: one line."""

    id: str
    title: str
    article: ArticleFacts
    category: str
    reason: str
    outlets: int
    significance: float
    #: every article of the story, cited on its line (the first is ``article``)
    keys: tuple[Key, ...] = ()


@dataclass(slots=True)
class Exclusion:
    """An in-period article that is not part of a key development, and why."""

    article: ArticleFacts
    reason: str
    """``not_about``, ``not_security``, ``below_cap``, ``analyst_exclude``."""
    detail: str
    story: str


@dataclass(slots=True)
class Selection:
    """The key developments, the rest relevant to the country, and everything left out."""

    developments: list[DevDraft]
    also: list[AlsoItem]
    excluded: list[Exclusion]
    under_bar: list[ArticleFacts]
    """In-period articles from the country's own outlets that no relevance score placed
    about the country (nor about another), with whether their story was kept."""
    analyst_excluded: list[str]
    """Titles of the stories the analyst pinned out."""
    unknown_pins: list[int] = field(default_factory=list)


_HERE_CUES = re.compile(
    r"\b(citizens?|nationals?|soldiers?|troops|peacekeepers?|servicemen|forces|embassy|"
    r"diplomats?|workers|students|tourists)\b|иргэн|иргэд|цэрэг|энхийг сахиул|элчин сайд",
    re.IGNORECASE,
)
#: Words saying a story happens abroad, when no place does ("хилийн чанадад байгаа
#: солонгос иргэд": Korean citizens abroad).
_ABROAD_WORDS = re.compile(
    r"хилийн чанад|гадаадад|гадаад улсад|\babroad\b|\boverseas\b|за рубежом|за границ",
    re.IGNORECASE,
)
#: Another nationality's people: a Mongolian nationality word before "citizen" (lower
#: case, as Mongolian writes it), or an English demonym before citizens or nationals.
_FOREIGN_PEOPLE = re.compile(
    r"(?<!\w)(хятад|орос|япон|солонгос|америк|герман|франц|англи|турк|казах)\s+иргэ",
    re.IGNORECASE,
)


def _where(inside: Sequence[ArticleFacts], country: str) -> str:
    """Where a story happens for *country*: in_country, own_abroad or abroad."""
    home = abroad = 0
    own_people = False
    for a in inside:
        for p in a.places:
            if p.feature in ("continent", "sea", "ocean") or p.metonymy:
                continue
            if p.demonym:
                own_people = own_people or p.country == country
                continue
            if p.country == country:
                home += 1
            elif p.country:
                abroad += 1
    if home and home >= abroad:
        return "in_country"
    if abroad:
        cue = any(_HERE_CUES.search(a.text) for a in inside)
        named = any(country_named(a, country) for a in inside)
        return "own_abroad" if cue and (own_people or named) else "abroad"
    # No place, but the story says it happens abroad: to the country's own citizens or
    # forces (own_abroad), or to another nationality's (abroad).
    if any(_ABROAD_WORDS.search(a.text) for a in inside):
        if any(_FOREIGN_PEOPLE.search(a.text) for a in inside):
            return "abroad"
        if any(_HERE_CUES.search(a.text) for a in inside):
            return "own_abroad"
    # No place at all: the story sits with the country it is most about.
    best: dict[str, float] = defaultdict(float)
    for a in inside:
        for code, (score, flag) in a.countries.items():
            best[code] += score + (1.0 if flag else 0.0)
    if not best or max(best.items(), key=lambda kv: (kv[1], kv[0] == country))[0] == country:
        return "in_country"
    return "abroad"


def country_named(article: ArticleFacts, country: str) -> bool:
    """True when the article names *country* (a country mention or demonym)."""
    return any(
        p.country == country and (p.feature == "country" or p.demonym) for p in article.places
    )


def _about_other(a: ArticleFacts, country: str, threshold: float) -> str | None:
    """Another country the article is about, when it is not about *country*."""
    others = [
        (score, code)
        for code, (score, flag) in a.countries.items()
        if code and code != country and (flag or score >= threshold)
    ]
    return max(others)[1] if others else None


def _has_signal(a: ArticleFacts) -> bool:
    """Whether the article itself says where or whom it is about: it names a country, a
    region or a domestic institution, has a place, or some country besides its source's."""
    from watchfloor.enrich.relevance import names_a_country

    if any(code and code not in a.source_countries for code in a.countries):
        return True
    if any(p.country for p in a.places):
        return True
    return names_a_country(a.title, a.body)


def led_elsewhere(
    members: Sequence[ArticleFacts], country: str, threshold: float = _DEFAULTS.about_score
) -> dict[int, str]:
    """Articles tied to *country* only by their source's prior, in a story told elsewhere.

    An article with no country signal of its own (no country, region, domestic term or
    place: "40 people drowned while cooling off") is read with its story: when the story's
    other articles that do have a signal are none of them about *country*, the article is
    about what they are about, not about the source's country. A story with no signal at
    all keeps the prior. Returns article id -> the reason, for the articles so read.
    """
    signal = {a.id: _has_signal(a) for a in members}
    told = [a for a in members if signal[a.id]]
    if not told or any(a.about(country, threshold) for a in told):
        return {}
    others = sorted({c for a in told if (c := _about_other(a, country, threshold)) is not None})
    where = ", ".join(others) if others else "no single country (a region abroad)"
    why = f"no country signal of its own; the other articles of its story are about {where}"
    return {
        a.id: why
        for a in members
        if not signal[a.id] and country in a.source_countries and a.about(country, threshold)
    }


def _story_security(
    inside: Sequence[ArticleFacts], cache: dict[int, SecurityAssessment] | None = None
) -> SecurityAssessment:
    """The security verdict on a story (see :func:`_story_verdict`)."""
    return _story_verdict(inside, cache)[0]


def _story_verdict(
    inside: Sequence[ArticleFacts], cache: dict[int, SecurityAssessment] | None = None
) -> tuple[SecurityAssessment, list[ArticleFacts]]:
    """The security verdict on a story, and the articles a development of it is made of.

    A story is security news when half of its articles or more are. When fewer are, the
    story still counts when its security articles are a third of it, or when they carry
    weight of their own: two or more significant ones (severity 2: a strike beside the
    pay talks it interrupts, a court case beside the business news it grew from), or one
    major one (severity 3: deaths in an attack or a disaster). Then the development is
    made of those security articles only; the rest of the story is not security news and
    goes to "also reported". Otherwise the whole story is the development (or is not
    security).
    """
    from watchfloor.enrich.security import assess_security

    def one(a: ArticleFacts) -> SecurityAssessment:
        if cache is not None and a.id in cache:
            return cache[a.id]
        found = assess_security(
            a.title, a.body, language=a.lang, categories=[c for c in a.categories if c != "other"]
        )
        if cache is not None:
            cache[a.id] = found
        return found

    found = [one(a) for a in inside]
    security = [f for f in found if f.is_security]
    if security and len(security) * 2 >= len(found):
        return max(security, key=lambda f: (f.severity, f.score)), list(inside)
    if security:  # a minority of the story's articles
        best = max(security, key=lambda f: (f.severity, f.score))
        significant = sum(f.severity >= 2 for f in security)
        counts = len(security) * 3 >= len(found) or significant >= 2 or best.severity >= 3
        verdict = SecurityAssessment(best.score / 2, counts, best.severity, best.kind, best.reason)
        if not counts:
            return verdict, list(inside)
        return verdict, [a for a, f in zip(inside, found, strict=True) if f.is_security]
    return (
        max(found, key=lambda f: f.score)
        if found
        else SecurityAssessment(0.0, False, 0, "other", "no article")
    ), list(inside)


def select_developments(
    data: PeriodData,
    backend: Backend,
    *,
    settings: DevelopmentSettings = _DEFAULTS,
    include: Sequence[int] = (),
    exclude: Sequence[int] = (),
    max_developments: int | None = None,
) -> Selection:
    """Choose the key developments among the period's stories; account for every other one.

    A story is a candidate when it is security news (:func:`watchfloor.enrich.security.
    assess_security` over its articles) and about the country: at least one of its
    in-period articles is about the country, so a foreign story counts only when it names
    the country's part. A story from the country's own outlets that no relevance score
    placed about any country is kept too (the relevance bar can miss a place the gazetteer
    does not know). Candidates rank by significance; the first *max_developments* are
    developments, the rest and the country's non-security stories are "also reported".
    *include* and *exclude* are article ids an analyst pins in or out: the whole story of
    each goes in (whatever its relevance, security or rank) or out.
    """
    country = data.country.iso
    limit = max_developments or settings.max_developments
    groups: dict[str, list[ArticleFacts]] = defaultdict(list)
    for a in data.articles.values():
        groups[a.cluster_id or f"article-{a.id}"].append(a)
    assessed: dict[int, SecurityAssessment] = {}  # per article, for every step below
    groups = _merge_across_languages(groups, country, data.country.capital, assessed)
    groups = _merge_split_stories(groups, assessed, settings)
    story_of = {a.id: g for g, members in groups.items() for a in members}
    pinned_in = {story_of[i] for i in include if _in(data, i)}
    pinned_out = {story_of[i] for i in exclude if _in(data, i)} - pinned_in
    unknown = [i for i in (*include, *exclude) if not _in(data, i)]

    candidates: list[DevDraft] = []
    also: list[AlsoItem] = []
    excluded: list[Exclusion] = []
    under_bar: list[ArticleFacts] = []
    analyst_out: list[str] = []
    for cid, members in groups.items():
        members.sort(key=lambda a: (a.published, a.id))
        inside = [a for a in members if a.in_period]
        if not inside:
            continue
        outside = [a for a in members if not a.in_period]
        if cid in pinned_out:
            title = _title(inside)
            analyst_out.append(title)
            excluded.extend(
                Exclusion(a, "analyst_exclude", "pinned out by the analyst", cid) for a in inside
            )
            continue
        # An article whose only tie to the country is its source's prior reads with its
        # story: if the story's other articles tell of another country, so does it.
        elsewhere = led_elsewhere(members, country, settings.about_score)
        about = any(
            a.about(country, settings.about_score) and a.id not in elsewhere for a in inside
        )
        own = [
            a
            for a in inside
            if country in a.source_countries
            and not a.about(country, settings.about_score)
            and _about_other(a, country, settings.about_score) is None
            # a score at the dropped prior means the content led elsewhere (a region abroad)
            and a.countries.get(country, (0.0, False))[0] > settings.led_elsewhere_score
        ]
        under_bar.extend(own)
        security, told = _story_verdict(inside, assessed)
        if security.is_security and len(told) < len(inside):
            # A story mostly about something else whose security articles count: the
            # development is made of those when they are about the country; the rest of
            # the story is not security news and is also reported.
            told_about = any(
                a.about(country, settings.about_score) and a.id not in elsewhere for a in told
            )
            told_own = [a for a in own if a in told]
            if cid not in pinned_in and (told_about or told_own):
                rest = [a for a in inside if a not in told]
                also.append(
                    AlsoItem(
                        f"{cid}-rest",
                        _title(rest),
                        rest[0],
                        _categories(rest, settings.category_share)[0],
                        "not_security",
                        len({a.outlet for a in rest}),
                        0.0,
                        tuple(("a", a.id) for a in rest),
                    )
                )
                excluded.extend(
                    Exclusion(
                        a,
                        "not_security",
                        "not security: the rest of a story whose security articles are "
                        "a development",
                        cid,
                    )
                    for a in rest
                )
                inside, about, own = told, told_about, told_own
            elif cid not in pinned_in and len(told) * 3 < len(inside):
                # its security articles are about elsewhere: too few to carry the story
                security = replace(security, is_security=False)
        if cid in pinned_in:
            dev = _development(
                cid, inside, outside, data, backend, settings, security, False, ranked=False
            )
            dev.pinned = "analyst_include"
            candidates.append(dev)
            continue
        if not about and not own:
            other = next(
                (c for a in inside if (c := _about_other(a, country, settings.about_score))),
                None,
            )
            why = f"about {other}, not {country}" if other else f"not about {country}"
            excluded.extend(
                Exclusion(a, "not_about", elsewhere.get(a.id, why), cid) for a in inside
            )
            continue
        if not security.is_security:
            main = _categories(inside, settings.category_share)[0]
            also.append(
                AlsoItem(
                    cid,
                    _title(inside),
                    inside[0],
                    main,
                    "not_security",
                    len({a.outlet for a in inside}),
                    0.0,
                    tuple(("a", a.id) for a in inside),
                )
            )
            why = security.reason
            if not why.startswith("not security"):
                why = f"not security (too few of the story's articles): {why}"
            excluded.extend(Exclusion(a, "not_security", why, cid) for a in inside)
            continue
        dev = _development(
            cid, inside, outside, data, backend, settings, security, False, ranked=False
        )
        dev.own_source_under_bar = not about
        candidates.append(dev)
    excluded.extend(_never_about(data.others, country, settings.about_score))
    # The costly signals only for the stories that can be shown: the developments and
    # the "also reported" lines (the rest is counted by category).
    _rank(candidates, data, settings, limit + settings.max_also_reported)
    candidates.sort(key=lambda d: (d.pinned is None, -d.significance, d.start, d.id))
    kept: list[DevDraft] = []
    for dev in candidates:
        if dev.pinned or len([d for d in kept if not d.pinned]) < limit:
            kept.append(dev)
            continue
        also.append(
            AlsoItem(
                dev.id,
                dev.title,
                dev.articles[0],
                dev.category,
                "below_cap",
                dev.outlets,
                dev.significance,
                tuple(dev.keys),
            )
        )
        excluded.extend(
            Exclusion(
                a,
                "below_cap",
                f"security ({dev.kind}) but ranked below the first {limit}",
                dev.id,
            )
            for a in dev.articles
        )
    for dev in kept:  # the summary and the names only for the stories that are shown
        _add_detail(dev, backend, settings)
    kept.sort(key=lambda d: (-d.significance, d.start, d.id))
    also.sort(key=lambda x: (x.reason != "below_cap", -x.significance, x.article.published))
    excluded.sort(key=lambda e: (e.reason, e.article.published, e.article.id))
    return Selection(kept, also, excluded, under_bar, analyst_out, unknown)


def _never_about(others: Sequence[ArticleFacts], country: str, threshold: float) -> list[Exclusion]:
    """The exclusions of the period's stories that never name *country* (read light).

    No article of theirs is about the country, from its sources or pinned, so each is
    ``not_about``, with the country the story's first article about another one is about,
    as :func:`select_developments` says of a foreign story it read whole.
    """
    groups: dict[str, list[ArticleFacts]] = defaultdict(list)
    for a in others:
        groups[a.cluster_id or f"article-{a.id}"].append(a)
    out: list[Exclusion] = []
    for cid, members in groups.items():
        members.sort(key=lambda a: (a.published, a.id))
        other = next((c for a in members if (c := _about_other(a, country, threshold))), None)
        why = f"about {other}, not {country}" if other else f"not about {country}"
        out.extend(Exclusion(a, "not_about", why, cid) for a in members)
    return out


def _in(data: PeriodData, article_id: int) -> bool:
    art = data.articles.get(article_id)
    return art is not None and art.in_period


_LEVEL_CAP = {0: 0.15, 1: 0.45, 2: 0.8, 3: 1.0}


def _development(
    cid: str,
    inside: list[ArticleFacts],
    outside: list[ArticleFacts],
    data: PeriodData,
    backend: Backend,
    settings: DevelopmentSettings,
    security: SecurityAssessment | None = None,
    detail: bool = True,
    ranked: bool = True,
) -> DevDraft:
    """One story's development from its in-period articles (oldest first).

    Without *detail* the summary, actors and organisations are left empty, for
    :func:`_add_detail` to fill in if the story is kept: they do not weigh in its rank.
    Without *ranked* the costly signals (casualties, attacks on the state, credibility)
    are left out and the significance is their upper bound, for :func:`_rank` to make
    exact if the story can reach the shown ranks (see ``DevDraft.ranked``).
    """
    country = data.country.iso
    security = security or _story_security(inside)
    main, cats, severity = _categories(inside, settings.category_share)
    if main == "other" and security.is_security and security.kind in _KIND_CATEGORY:
        main = _KIND_CATEGORY[security.kind]
        cats = [main, *(c for c in cats if c != main)]
        severity = max(severity, severity_of(main))
    where = _where(inside, country)
    # The threat reads the severity: the security level bounds it (a military sports
    # competition is no armed clash), and a story abroad weighs no more than diplomacy.
    severity = min(severity, _LEVEL_CAP[security.severity])
    if where == "abroad":
        severity = min(severity, settings.abroad_severity)
    places = [p for a in inside for p in plausible_places(a, country)]
    partners: set[str] = set()
    for a in inside:
        partners |= _partners(a, country, settings.partner_score)
    title = _title(inside)
    start, end = _dates(inside, data)
    first = data.cluster_first.get(cid, inside[0].published)
    new = data.local_date(first) >= data.start
    future = [
        (ev, a)
        for a in inside
        for ev in a.events
        if ev.is_future and not is_instruction(ev.text) and not has_markup(ev.text)
    ]
    dev = DevDraft(
        id=cid,
        title=title,
        start=start,
        end=end,
        category=main,
        categories=cats,
        summary=[],
        places=places,
        actors=[],
        partners=sorted(partners),
        organisations=[],
        significance=0.0,
        severity=severity,
        articles=inside,
        outside=outside,
        casualties=Casualties(killed=0, injured=0),
        attack=None,
        new=new,
        future=future,
        level=security.severity,
        kind=security.kind,
        security_reason=security.reason,
        where=where,
        ranked=False,
    )
    if ranked:
        _rank_exactly(dev, data, settings)
    else:
        dev.significance = _significance_bound(dev, data, settings)
    if detail:
        _add_detail(dev, backend, settings)
    return dev


def _rank_level(dev: DevDraft) -> int:
    # A story abroad ranks as diplomacy does, however grave it is there.
    return dev.level if dev.where != "abroad" else min(1, dev.level)


def _rank_exactly(dev: DevDraft, data: PeriodData, settings: DevelopmentSettings) -> None:
    """The costly signals of a development and its exact significance."""
    inside = dev.articles
    counts = [count_casualties(a.text) for a in inside]
    dev.casualties = Casualties(
        killed=max(c.killed for c in counts), injured=max(c.injured for c in counts)
    )
    dev.attack = _attack(inside) if dev.where != "abroad" else None
    harm = dev.casualties if dev.where != "abroad" else Casualties(killed=0, injured=0)
    dev.credibility = assess_credibility(inside, data)
    dev.significance = round(
        _significance(
            inside,
            data,
            dev.severity,
            harm,
            dev.attack is not None,
            settings,
            _rank_level(dev),
            dev.new,
            dev.credibility.source_grade,
            dev.credibility.corroboration,
        ),
        3,
    )
    dev.ranked = True


def _significance_bound(dev: DevDraft, data: PeriodData, settings: DevelopmentSettings) -> float:
    """An upper bound of the development's significance without its costly signals: the
    most harm and an attack (none abroad), the best grade among its sources, and the
    corroboration its articles and official sources could give at most."""
    from watchfloor.analyze.credibility import GRADE_VALUE

    inside = dev.articles
    home = dev.where != "abroad"
    ids = {sid for a in inside for sid in (a.source_id, *a.seen_by) if sid is not None}
    graded = [data.sources[i] for i in ids if i in data.sources]
    grade = max((GRADE_VALUE.get(s.reliability, 0.0) for s in graded), default=0.0)
    official = any(s.official for s in graded)
    corroboration = min(1.0, 0.5 * min(2, len(inside) - 1) + (0.5 if official else 0.0))
    bound = _significance(
        inside,
        data,
        dev.severity,
        Casualties(killed=10**9 if home else 0, injured=0),
        home,
        settings,
        _rank_level(dev),
        dev.new,
        max(grade, 0.0),
        max(corroboration, 0.0),
    )
    return round(bound + 1e-6, 3)  # never under the exact (rounded) significance


def _rank(
    candidates: list[DevDraft], data: PeriodData, settings: DevelopmentSettings, need: int
) -> None:
    """Make the significance exact for every candidate that can reach the first *need*
    ranks (key developments and the shown "also reported" lines), best bound first.

    Stops when *need* exact candidates rank above every bound left: the others stay
    unranked, below them whatever their costly signals are, and only their category is
    reported (``also_reported_more``). Pinned candidates are always exact.
    """
    for dev in candidates:
        if dev.pinned and not dev.ranked:
            _rank_exactly(dev, data, settings)
    pending = sorted(
        (d for d in candidates if not d.ranked), key=lambda d: (-d.significance, d.start, d.id)
    )
    exact = sorted((d.significance for d in candidates if d.ranked and not d.pinned), reverse=True)
    for dev in pending:
        if len(exact) >= need and dev.significance < exact[need - 1]:
            break
        _rank_exactly(dev, data, settings)
        exact.append(dev.significance)
        exact.sort(reverse=True)


def _add_detail(dev: DevDraft, backend: Backend, settings: DevelopmentSettings) -> None:
    """Fill in the development's summary, actors and organisations."""
    inside, places = dev.articles, dev.places
    dev.summary = _summary(inside, dev.title, backend, settings.max_sentences)
    dev.actors = _actors(inside, {p.text for p in places} | {p.name for p in places})
    dev.organisations = list(dict.fromkeys(o for a in inside for o in organisations_in(a.text)))


def _attack(inside: Sequence[ArticleFacts]) -> tuple[str, Key] | None:
    """The first sentence reporting an attack on the state or infrastructure, and its cite."""
    for a in inside:
        sentence = mentions_attack_on_state(a.text)
        if sentence and not is_instruction(sentence):
            return (sentence, ("a", a.id))
    return None


def _summary(
    inside: Sequence[ArticleFacts], title: str, backend: Backend, max_sentences: int
) -> list[Draft]:
    """The backend's summary sentences, or the story's title when it picks none."""
    summary = backend.summarize([_source_text(a) for a in inside], max_sentences=max_sentences)
    if summary:
        return summary
    src = next((a for a in inside if " ".join(a.title.split()) == title), inside[0])
    lang = src.lang
    return [
        Draft(
            text=title,
            keys=(("a", src.id),),
            language=None if lang in ("en", "und") else lang,
        )
    ]


def _significance(
    inside: Sequence[ArticleFacts],
    data: PeriodData,
    severity: float,
    casualties: Casualties,
    attack: bool,
    settings: DevelopmentSettings,
    level: int = 0,
    new: bool = False,
    source_grade: float = 0.0,
    corroboration: float = 0.0,
) -> float:
    """Rank of a story: severity, outlets, articles, recency, harm, attacks, relevance,
    security level, novelty, its best source's reliability and its independent
    corroboration (*source_grade* and *corroboration*, 0-1, from :mod:`.credibility`)."""
    country = data.country.iso
    span = max(1.0, (data.end - data.start).days + 1.0)
    recency = ((data.local_date(inside[-1].published) - data.start).days + 1) / span
    about_mean = sum(a.countries.get(country, (0.0, False))[0] for a in inside) / len(inside)
    harm = casualties.killed + 0.5 * casualties.injured
    st = settings
    return (
        st.w_severity * severity
        + st.w_outlets * math.log1p(len({a.outlet for a in inside}))
        + st.w_articles * math.log1p(len(inside))
        + st.w_recency * recency
        + min(st.max_harm, math.log1p(harm) / 2)
        + (st.w_attack if attack else 0.0)
        + st.w_about * about_mean
        + st.w_level * level / 3
        + (st.w_novelty if new else 0.0)
        + st.w_source_grade * source_grade
        + st.w_corroboration * corroboration
    )
