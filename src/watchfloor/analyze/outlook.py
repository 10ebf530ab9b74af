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
from watchfloor.backends.select import usable
from watchfloor.config import OutlookSettings
from watchfloor.errors import ReportError
from watchfloor.models.analysis import Draft, Key

__all__ = [
    "GroupDraft",
    "Groups",
    "OutlookDraft",
    "executive_summary",
    "geopolitical_groups",
    "military_analysis",
    "outlook",
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


def executive_summary(devs: Sequence[DevDraft], n: int = 5) -> list[Draft]:
    """The lead sentence of each of the *n* most significant developments."""
    out = []
    for i, dev in enumerate(devs[:n]):
        lead = dev.summary[0]
        out.append(lead if i == 0 else with_connective("Separately,", lead))
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


def _short_term(
    devs: Sequence[DevDraft], end: date, horizon_days: int, limit: int = 10
) -> list[Draft]:
    horizon = end + timedelta(days=horizon_days)
    seen: set[str] = set()
    cited: set[int] = set()
    found: list[tuple[tuple[int, date], Draft]] = []
    for dev in devs:
        for ev, article in dev.future:
            last = ev.end or ev.start
            if not (last > end and ev.start <= horizon):
                continue
            text = " ".join(ev.text.split())
            norm = text.casefold()
            if norm in seen or article.id in cited or not usable(text):
                continue
            seen.add(norm)
            cited.add(article.id)
            lang = article.lang
            # Events that start after the period come first, by date; then those that
            # are under way and continue past it ("until late May").
            found.append(
                (
                    (0 if ev.start > end else 1, ev.start),
                    Draft(
                        text=text,
                        keys=(("a", article.id),),
                        language=None if lang in ("en", "und") else lang,
                    ),
                )
            )
    found.sort(key=lambda x: x[0])
    return [d for _, d in found[:limit]]


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
    from watchfloor.enrich.resources import shared

    labels = {c.id: c.label for c in shared().taxonomy.categories}
    news = [d for d in devs if d.articles]
    severe = sorted(
        (d for d in news if d.severity >= settings.flashpoint_severity),
        key=lambda d: (-d.severity, -d.significance),
    )
    flashpoints = []
    for dev in severe[: settings.max_flashpoints]:
        places = ", ".join(dev.place_names[:3])
        text = f"{places}: {dev.title}" if places else dev.title
        flashpoints.append(Draft(text=text, keys=tuple(dev.keys)))
    indicators = []
    recommendations = []
    for dev in news[: settings.max_indicators]:
        template = _INDICATORS.get(dev.category, 'Further reporting on "{t}".')
        indicators.append(Draft(text=template.format(t=dev.title), keys=tuple(dev.keys)))
    for dev in severe[: settings.max_flashpoints]:
        rec = _RECOMMENDATIONS.get(dev.category)
        if rec and severity_of(dev.category) >= settings.recommendation_severity:
            recommendations.append(Draft(text=rec.format(t=dev.title), keys=tuple(dev.keys)))
    return OutlookDraft(
        short_term=_short_term(news, end, settings.horizon_days)
        + _category_trends(news, previous_categories, labels, settings),
        flashpoints=flashpoints,
        indicators=indicators,
        recommendations=recommendations,
    )
