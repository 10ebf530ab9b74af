"""Executive summary, geopolitical groups, military analysis and the outlook, as drafts.

Every draft quotes a development's cited sentences or, for flashpoints, indicators and
recommendations, fills a short fixed template with a development's title; each cites the
development it rests on. Short-term trends are the dated future events the sources report
(cited by the article holding them) and changes in the volume of each category against the
previous period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from watchfloor.analyze.developments import DevDraft, severity_of
from watchfloor.analyze.facts import country_info
from watchfloor.analyze.quality import NoteDraft
from watchfloor.analyze.threat import ThreatDraft
from watchfloor.backends.select import usable
from watchfloor.config import OutlookSettings
from watchfloor.errors import ReportError
from watchfloor.models.analysis import Draft, Key
from watchfloor.text import LANGUAGE_NAMES

__all__ = [
    "GroupDraft",
    "Groups",
    "OutlookDraft",
    "executive_summary",
    "geopolitical_groups",
    "military_analysis",
    "outlook",
    "risk_of",
    "with_connective",
]

_DEFAULTS = OutlookSettings()
_LOWERABLE = frozenset(
    "The A An This These That Those It Its Officials Police Organisers Residents Inspectors "
    "Investigators Herders Customs Emergency Units Troops Soldiers".split()
)
_INDICATORS = {
    "terrorism_armed_violence": (
        'Further attacks, claims of responsibility or security operations following "{t}".'
    ),
    "military_defence": (
        'Changes in the scale, location or duration of the activity reported in "{t}".'
    ),
    "cyber": 'New victims, technical indicators or official attribution linked to "{t}".',
    "domestic_politics_unrest": 'Turnout, arrests or escalation at follow-up events to "{t}".',
    "disaster_public_health": (
        'Official damage and casualty figures and the spread of the event in "{t}".'
    ),
    "crime": 'Further seizures, arrests or charges connected with "{t}".',
    "border_trade": 'Changes in crossing hours, volumes or closures following "{t}".',
    "energy_infrastructure": 'Supply interruptions or price changes following "{t}".',
    "diplomacy": 'Follow-up visits, agreements or statements after "{t}".',
    "economy": 'Policy or market reactions to "{t}".',
}
_RECOMMENDATIONS = {
    "terrorism_armed_violence": (
        'Review the security of staff and sites near the places named in "{t}".'
    ),
    "military_defence": 'Follow official statements on the activity in "{t}" until it ends.',
    "cyber": 'Check government and partner systems for exposure to the activity reported in "{t}".',
    "domestic_politics_unrest": (
        'Plan movements around the dates and places of gatherings reported in "{t}".'
    ),
    "disaster_public_health": (
        'Track the emergency agency\'s updates on "{t}" before travel to the area.'
    ),
    "crime": 'Note the methods reported in "{t}" when assessing supply-chain risk.',
    "border_trade": (
        'Allow for changed crossing arrangements reported in "{t}" when planning freight.'
    ),
    "energy_infrastructure": 'Keep supply contingencies under review in light of "{t}".',
}


@dataclass(slots=True)
class GroupDraft:
    actor: str
    relation: str
    statements: list[Draft]


@dataclass(slots=True)
class Groups:
    """The geopolitical groups, and the partner codes that could not be grouped.

    ``rejects`` are data-quality notes (kind ``rejected_input``), one per unknown code,
    citing the developments' sources, so a bad code from enrichment is reported, not lost.
    """

    groups: list[GroupDraft]
    rejects: list[NoteDraft]


@dataclass(slots=True)
class OutlookDraft:
    short_term: list[Draft]
    flashpoints: list[Draft]
    indicators: list[Draft]
    recommendations: list[Draft]


def _is_common_word(word: str) -> bool:
    """A capitalised sentence opener that is an ordinary English word ("Several", "After").

    Names stay as they are: only words in spaCy's English stop-word list are lowered.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    return word[:1].isupper() and word[1:].islower() and word.lower() in STOP_WORDS


def with_connective(word: str, draft: Draft) -> Draft:
    """Prefix a plain connective ("Separately,") to an English sentence."""
    if draft.language not in (None, "en"):
        return draft
    first, _, rest = draft.text.partition(" ")
    if first in _LOWERABLE or _is_common_word(first):
        first = first.lower()
    return Draft(
        text=f"{word} {first} {rest}".strip(),
        keys=draft.keys,
        language=draft.language,
        background=draft.background,
    )


_TRENDS = {"up": "rising", "down": "falling", "steady": "steady", "new": "first assessment"}


def _category_labels() -> dict[str, str]:
    """The taxonomy's English label of each category id."""
    from watchfloor.enrich.resources import shared

    return {c.id: c.label for c in shared().taxonomy.categories}


def _driver(devs: Sequence[DevDraft], threat: ThreatDraft) -> tuple[str, list[Key]]:
    """The factor that adds most to the score, said in words, and the sources behind it."""
    factor = max(threat.factors, key=lambda f: (f.contribution, f.name == "severity"))
    news = [d for d in devs if d.articles]
    if factor.contribution <= 0 or not news:
        return "no security development of weight was reported", []
    if factor.name == "casualties":
        harmful = [
            d for d in news if d.harm_counts and (d.casualties.killed or d.casualties.injured)
        ]
        killed = sum(d.casualties.killed for d in harmful)
        injured = sum(d.casualties.injured for d in harmful)
        top = max(harmful, key=lambda d: d.casualties.killed + d.casualties.injured / 2)
        text = f"casualties: {killed} killed and {injured} injured, most in '{top.title}'"
        return text, list(top.keys[:3])
    if factor.name == "attacks":
        attacks = [d for d in news if d.attack is not None]
        titles = "; ".join(f"'{d.title}'" for d in attacks[:2])
        return f"attacks on government or critical infrastructure: {titles}", [
            d.attack[1] for d in attacks[:3] if d.attack
        ]
    if factor.name == "volume":
        return "a rise in reporting on the country", list(factor.keys[:3])
    top = max(news, key=lambda d: (d.severity, d.significance))
    labels = _category_labels()
    if top.category != "other":
        label = labels.get(top.category, top.category.replace("_", " ")).lower()
    else:
        label = top.kind.replace("_", " ")
    if not any(a.lang == "en" for a in top.articles):
        first = top.articles[0]
        language = LANGUAGE_NAMES.get(first.lang, first.lang)
        where = f" in {top.place_names[0]}" if top.place_names else ""
        title = top.title.strip(" \"'«»“”„")
        return (
            f'{label}{where}, reported by {first.outlet} in {language} ("{title}")',
            list(top.keys[:3]),
        )
    return f"{label} in '{top.title}'", list(top.keys[:3])


def _bluf(devs: Sequence[DevDraft], threat: ThreatDraft, country: str) -> Draft | None:
    driver, keys = _driver(devs, threat)
    if not keys:
        keys = [k for d in devs for k in d.keys][:1]
    if not keys:
        return None
    trend = _TRENDS[threat.direction]
    if threat.previous_level and threat.direction in ("up", "down"):
        trend += f" from {threat.previous_level}"
    who = f"{country}'s threat level" if country else "The threat level"
    if threat.score is None:
        why = "; ".join(r.removeprefix("insufficient data: ") for r in threat.confidence_reasons)
        return Draft(
            text=f"{who} cannot be assessed: insufficient data in the period ({why}).",
            keys=tuple(dict.fromkeys(keys)),
            judgement=True,
        )
    confidence = f", {threat.confidence} confidence" if threat.confidence else ""
    return Draft(
        text=f"{who} is {threat.level} ({threat.score:.0f}/100, {trend}{confidence}); "
        f"main driver: {driver}.",
        keys=tuple(dict.fromkeys(keys)),
        judgement=True,
    )


def _first_sentence(text: str) -> str:
    from watchfloor.text import split_sentences

    sentences = split_sentences(text)
    return sentences[0] if sentences else text


def _in_english(dev: DevDraft, labels: dict[str, str]) -> Draft:
    """One English sentence on a development told only in another language: what is known
    (kind, place, figures, outlet and language) and the original title in quotes."""
    first = dev.articles[0]
    language = LANGUAGE_NAMES.get(first.lang, first.lang)
    what = labels.get(dev.category, dev.category.replace("_", " ")).lower()
    kind = dev.kind.replace("_", " ")
    if kind and kind != "other" and kind not in what:
        what = f"{what} ({kind})"
    where = f" in {', '.join(dev.place_names[:2])}" if dev.place_names else ""
    figures = []
    if dev.casualties.killed:
        figures.append(f"{dev.casualties.killed} killed")
    if dev.casualties.injured:
        figures.append(f"{dev.casualties.injured} injured")
    outlets = sorted({a.outlet for a in dev.articles})
    by = outlets[0] if len(outlets) == 1 else f"{outlets[0]} and {len(outlets) - 1} other outlets"
    figure_text = f", with {' and '.join(figures)}" if figures else ""
    title = " ".join(first.title.split())
    return Draft(
        text=f"{by} reported, in {language}, on {what}{where}{figure_text} "
        f'(original title: "{title}"; no translation available).',
        keys=tuple(dev.keys[:3]),
    )


def executive_summary(
    devs: Sequence[DevDraft],
    n: int = 5,
    *,
    threat: ThreatDraft | None = None,
    country: str = "",
) -> list[Draft]:
    """The bottom line up front, in English.

    First the threat level, its trend and its main driver (when *threat* is given); then
    one sentence on each of the *n* most significant developments: the lead sentence of
    an English story, or for a story told only in another language (no translation
    backend) what is known of it in English with its original title.
    """
    labels = _category_labels()
    out: list[Draft] = []
    if threat is not None:
        bluf = _bluf(devs, threat, country)
        if bluf is not None:
            out.append(bluf)
    for dev in [d for d in devs if d.articles][:n]:
        lead = dev.summary[0]
        if lead.language not in (None, "en"):
            out.append(_in_english(dev, labels))
            continue
        out.append(
            Draft(
                text=_first_sentence(lead.text),
                keys=lead.keys,
                language=lead.language,
                background=lead.background,
            )
        )
    return out


def geopolitical_groups(devs: Sequence[DevDraft], country: str, per_group: int = 4) -> Groups:
    """Developments grouped by the partners and organisations they involve.

    A partner code that names no known country leaves its development out of that group
    and becomes a reject in the result: it must not sink the report, nor vanish.
    """
    info = country_info(country)
    members: dict[tuple[str, str], list[DevDraft]] = {}
    unknown: dict[str, tuple[list[str], list[Key]]] = {}
    for dev in devs:
        for code in dev.partners:
            try:
                partner = country_info(code)
            except ReportError:
                titles, keys = unknown.setdefault(code, ([], []))
                titles.append(dev.title)
                keys.extend(k for k in dev.keys if k not in keys)
                continue
            relation = "neighbour" if code in info.neighbours else "third partner"
            members.setdefault((partner.name, relation), []).append(dev)
        for org in dev.organisations:
            members.setdefault((org, "organisation"), []).append(dev)
    order = {"neighbour": 0, "third partner": 1, "organisation": 2}
    groups = []
    for (actor, relation), group in sorted(
        members.items(), key=lambda kv: (order[kv[0][1]], -len(kv[1]), kv[0][0])
    ):
        ranked = sorted(group, key=lambda d: -d.significance)[:per_group]
        statements = [d.summary[0] for d in ranked]
        groups.append(GroupDraft(actor=actor, relation=relation, statements=statements))
    rejects = [
        NoteDraft(
            "rejected_input",
            f"Partner code {code!r} (in {', '.join(repr(t) for t in titles)}) names no known "
            "country; it was left out of the geopolitical impact.",
            keys,
        )
        for code, (titles, keys) in sorted(unknown.items())
    ]
    return Groups(groups=groups, rejects=rejects)


def military_analysis(devs: Sequence[DevDraft], limit: int = 8) -> list[Draft]:
    """Sentences of the military and defence developments, most significant first."""
    out: list[Draft] = []
    for dev in devs:
        if "military_defence" not in dev.categories:
            continue
        for i, draft in enumerate(dev.summary[:2]):
            if out and i == 0:
                draft = with_connective("Separately,", draft)
            out.append(draft)
        if len(out) >= limit:
            break
    return out[:limit]


def _same_event(
    a: tuple[date, date | None, set[str]], b: tuple[date, date | None, set[str]]
) -> bool:
    """Two dated future events are one when their dates agree and their words overlap."""
    if a[0] != b[0] or (a[1] or a[0]) != (b[1] or b[0]):
        return False
    if not a[2] or not b[2]:
        return True
    return len(a[2] & b[2]) / min(len(a[2]), len(b[2])) >= 0.25


def _short_term(
    devs: Sequence[DevDraft], end: date, horizon_days: int, limit: int = 10
) -> list[Draft]:
    """Dated events after the period's end, each told once however many outlets told it.

    An event of the same story on the same dates is one item, and so is an event of
    another story on the same dates sharing a quarter of its words; the item keeps the
    first telling's words (an English one first) and cites every article that told it.
    """
    from watchfloor.text import stems

    horizon = end + timedelta(days=horizon_days)
    items: list[tuple[str, tuple[date, date | None, set[str]], Draft, list[Key]]] = []
    candidates = [
        (dev, ev, article)
        for dev in devs
        for ev, article in dev.future
        if end < ev.start <= horizon
    ]
    # English tellings first, so the item reads in English when one exists.
    candidates.sort(key=lambda c: (c[2].lang != "en", c[1].start, c[2].published, c[2].id))
    for dev, ev, article in candidates:
        text = " ".join(ev.text.split())
        if not usable(text):
            continue
        sig = (ev.start, ev.end, set(stems(text)))
        twin = next(
            (
                item
                for item in items
                if (item[0] == dev.id and item[1][0] == sig[0])
                or ("a", article.id) in item[3]  # one item per article, as before
                or _same_event(item[1], sig)
            ),
            None,
        )
        if twin is not None:
            if ("a", article.id) not in twin[3]:
                twin[3].append(("a", article.id))
            continue
        lang = article.lang
        draft = Draft(text=text, keys=(), language=None if lang in ("en", "und") else lang)
        items.append((dev.id, sig, draft, [("a", article.id)]))
    items.sort(key=lambda item: (item[1][0], item[2].text))
    # A date a source announced: scheduled, and quoted, not judged.
    return [
        Draft(text=d.text, keys=tuple(keys), language=d.language, timing="scheduled")
        for _, _, d, keys in items[:limit]
    ]


def risk_of(dev: DevDraft) -> float:
    """How much a development threatens the country: its severity, raised by harm in the
    country, attacks on the state, the number of outlets and a follow-up still to come."""
    import math

    harm = dev.casualties.killed + dev.casualties.injured / 2 if dev.harm_counts else 0.0
    return (
        dev.severity
        + dev.level / 6
        + min(0.6, math.log1p(harm) / 4)
        + (0.3 if dev.attack else 0.0)
        + 0.1 * math.log1p(max(0, dev.outlets - 1))
        + (0.1 if dev.future else 0.0)
    )


def _category_trends(
    devs: Sequence[DevDraft],
    previous: dict[str, int] | None,
    labels: dict[str, str],
    settings: OutlookSettings,
) -> list[Draft]:
    if previous is None:
        return []
    now: Counter[str] = Counter()
    keys: dict[str, list[tuple[str, int]]] = {}
    for dev in devs:
        for a in dev.articles:
            for cat in a.categories:
                now[cat] += 1
                keys.setdefault(cat, []).append(("a", a.id))
    out = []
    for cat, count in now.most_common():
        before = previous.get(cat, 0)
        if (
            cat == "other"
            or count < settings.trend_min_articles
            or count < settings.trend_ratio * max(before, 1)
        ):
            continue
        label = labels.get(cat, cat)
        out.append(
            Draft(
                text=f"Reporting on {label.lower()} rose to {count} articles from {before} "
                "in the previous period of the same length.",
                keys=tuple(dict.fromkeys(keys[cat]))[:10],
                judgement=True,
                timing="inferred",
            )
        )
    return out[:3]


def outlook(
    devs: Sequence[DevDraft],
    *,
    end: date,
    previous_categories: dict[str, int] | None = None,
    settings: OutlookSettings = _DEFAULTS,
) -> OutlookDraft:
    """Short-term trends, flashpoints, indicators and recommendations (*settings*: the
    ``[analyze.outlook]`` horizon and cut-offs)."""
    labels = _category_labels()
    news = [d for d in devs if d.articles]
    # Flashpoints by risk, not by category: a deadly flood outranks a routine exercise, and
    # a story abroad (its severity already bounded) rarely qualifies.
    severe = sorted(
        (
            d
            for d in news
            if risk_of(d) >= settings.flashpoint_severity
            and d.where != "abroad"
            and (d.level >= 2 or d.attack or (d.harm_counts and d.casualties.killed))
        ),
        key=lambda d: (-risk_of(d), -d.significance),
    )
    flashpoints = []
    for dev in severe[: settings.max_flashpoints]:
        places = ", ".join(dev.place_names[:3])
        text = f"{places}: {dev.title}" if places else dev.title
        flashpoints.append(
            Draft(text=text, keys=tuple(dev.keys), judgement=True, timing="inferred")
        )
    indicators = []
    recommendations = []
    for dev in news[: settings.max_indicators]:
        template = _INDICATORS.get(dev.category, 'Further reporting on "{t}".')
        indicators.append(
            Draft(
                text=template.format(t=dev.title),
                keys=tuple(dev.keys),
                judgement=True,
                timing="inferred",
            )
        )
    # Recommendations follow from the flashpoints named above, one per risk.
    for dev in severe[: settings.max_flashpoints]:
        rec = _RECOMMENDATIONS.get(dev.category)
        if rec and severity_of(dev.category) >= settings.recommendation_severity:
            recommendations.append(
                Draft(
                    text=rec.format(t=dev.title),
                    keys=tuple(dev.keys),
                    judgement=True,
                    timing="inferred",
                )
            )
    return OutlookDraft(
        short_term=_short_term(news, end, settings.horizon_days)
        + _category_trends(news, previous_categories, labels, settings),
        flashpoints=flashpoints,
        indicators=indicators,
        recommendations=recommendations,
    )
