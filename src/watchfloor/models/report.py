"""The report as data: the contract between the analysis, the backends and the renderers.

``report.json`` is :meth:`Report.model_dump_json` of this model and validates against
:func:`report_json_schema`. Field names follow the model report in shared/seeds
(``threat_level``, ``hotspots[].label/detail/lat/lng/intensity``); every statement
carries ``sources``, a list of annex ids, and every id exists in the annex.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ThreatLevel = Literal["Low", "Guarded", "Elevated", "High", "Severe", "Insufficient data"]
THREAT_LEVELS: tuple[ThreatLevel, ...] = ("Low", "Guarded", "Elevated", "High", "Severe")
"""The five bands of a measured score (``INSUFFICIENT`` is not a band)."""
INSUFFICIENT: ThreatLevel = "Insufficient data"

REPORT_SCHEMA_VERSION = "1.2"

#: Admiralty (STANAG 2511) source reliability, A best; F: cannot be judged.
RELIABILITY_GRADES: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")
RELIABILITY_MEANING: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
#: Admiralty information credibility, 1 best; 6: cannot be judged.
CREDIBILITY_MEANING: dict[int, str] = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
#: The one scale of likelihood words a judgement may use (docs/standards.md), with the
#: probability range each stands for. Likelihood is never confidence.
LIKELIHOOD_WORDS: tuple[tuple[str, float, float], ...] = (
    ("almost no chance", 0.01, 0.05),
    ("very unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45),
    ("roughly even chance", 0.45, 0.55),
    ("likely", 0.55, 0.80),
    ("very likely", 0.80, 0.95),
    ("almost certain", 0.95, 0.99),
)
Likelihood = Literal[
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even chance",
    "likely",
    "very likely",
    "almost certain",
]
Confidence = Literal["low", "moderate", "high"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Statement(_Model):
    """One sentence or short passage of the report and the annex ids behind it."""

    text: str = Field(min_length=1)
    sources: list[int] = Field(min_length=1, description="Annex ids of the articles cited.")
    language: str | None = Field(
        default=None,
        description="ISO 639-1 code when the text is quoted in a language other than English.",
    )
    background: bool = Field(
        default=False,
        description="True when the passage comes from a reference page, "
        "not from news in the period.",
    )
    judgement: bool = Field(
        default=False,
        description="True when the statement is watchfloor's own judgement (a level, a "
        "trend, an indicator, a recommendation), not a passage quoted from the sources "
        "cited (since 1.2).",
    )
    timing: Literal["scheduled", "inferred"] | None = Field(
        default=None,
        description="For an outlook item: scheduled (a date announced by a source) or "
        "inferred by watchfloor (since 1.2).",
    )
    likelihood: Likelihood | None = Field(
        default=None,
        description="How likely a judgement holds, in the fixed likelihood words of "
        "docs/standards.md; never a confidence (since 1.2).",
    )


class Period(_Model):
    start: date
    end: date
    timezone: str = Field(
        default="UTC",
        description="IANA time zone of the period's days: an article belongs to the period "
        "when its publication time, in this zone, falls on one of them (since 1.1).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self


class Method(_Model):
    """How the report was made, so it can be reproduced."""

    backend: str
    analyst_version: str
    enricher_version: str
    sources: int = Field(description="Number of distinct outlets cited.")
    articles: int = Field(description="Number of articles in the annex.")
    note: str


class DateRange(_Model):
    start: date
    end: date | None = None


class Development(_Model):
    """One story (cluster) of the period that concerns the country."""

    id: str = Field(description="The story cluster id.")
    title: str
    date: DateRange
    category: str
    categories: list[str] = Field(default_factory=list)
    summary: list[Statement] = Field(min_length=1)
    places: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    significance: float = Field(ge=0, description="Ranking score, higher first.")
    sources: list[int] = Field(min_length=1, description="Annex ids of every article in it.")
    severity_level: int | None = Field(
        default=None,
        ge=0,
        le=3,
        description="Security severity 0-3 (3: armed violence, terrorism, mass-casualty "
        "disaster; 2: intrusions, unrest, crime, disasters; 1: defence, diplomacy, border, "
        "supply) (since 1.1).",
    )
    security_reason: str | None = Field(
        default=None, description="Why the story is security news (since 1.1)."
    )
    where: Literal["in_country", "own_abroad", "abroad"] | None = Field(
        default=None,
        description="Where the story happens: in the country, to its forces or citizens "
        "abroad, or abroad (since 1.1).",
    )
    pinned: Literal["analyst_include"] | None = Field(
        default=None,
        description="Set when an analyst pinned the story into the report (since 1.1).",
    )
    credibility: Credibility | None = Field(
        default=None,
        description="Source reliability and information credibility (since 1.2).",
    )


class Credibility(_Model):
    """How reliable a development's sources are and how well it is corroborated (1.2)."""

    grade: str = Field(
        pattern=r"^[A-F][1-6]$",
        description="Admiralty grade: source reliability letter and information "
        "credibility number, e.g. B2.",
    )
    reliability: Literal["A", "B", "C", "D", "E", "F"] = Field(
        description="The best reliability, in force during the period, among the "
        "sources that carried the development."
    )
    credibility: int = Field(ge=1, le=6, description="1 confirmed ... 6 cannot be judged.")
    independent_outlets: int = Field(
        ge=0, description="Independent accounts: syndicated copies count once."
    )
    single_source: bool
    official: bool = Field(description="A source marked official carried it.")
    outlets: list[str] = Field(default_factory=list)
    conflicts: list[str] = Field(
        default_factory=list, description="Figures the accounts disagree on, named."
    )
    reasons: list[str] = Field(default_factory=list)


class ActorGroup(_Model):
    """Developments grouped by a partner or actor (a neighbour, a third partner, a body)."""

    actor: str
    relation: str = Field(description="neighbour, third partner, organisation, other")
    statements: list[Statement] = Field(min_length=1)


class Outlook(_Model):
    short_term: list[Statement] = Field(default_factory=list)
    flashpoints: list[Statement] = Field(default_factory=list)
    indicators: list[Statement] = Field(default_factory=list)
    recommendations: list[Statement] = Field(default_factory=list)


class ThreatFactor(_Model):
    name: str
    value: float
    weight: float
    contribution: float
    detail: str
    sources: list[int] = Field(default_factory=list)


class ThreatTrend(_Model):
    previous_level: ThreatLevel | None = None
    previous_score: float | None = None
    direction: Literal["up", "down", "steady", "new"]


class Threat(_Model):
    score: float | None = Field(
        ge=0,
        le=100,
        description="0-100; null when the level is 'Insufficient data' (since 1.2).",
    )
    level: ThreatLevel
    factors: list[ThreatFactor]
    trend: ThreatTrend
    confidence: Confidence | None = Field(
        default=None,
        description="Confidence in the assessment, from the coverage: low, moderate or "
        "high; null with insufficient data (since 1.2).",
    )
    confidence_reasons: list[str] = Field(default_factory=list, description="(since 1.2)")

    @model_validator(mode="after")
    def _scored(self) -> Threat:
        if (self.score is None) != (self.level == INSUFFICIENT):
            raise ValueError("the score is null exactly when the data are insufficient")
        return self


class SourceCoverage(_Model):
    """How one of the country's sources fared in the period (since 1.2)."""

    name: str
    status: Literal["worked", "failed", "stale"]
    articles: int = Field(ge=0, description="Its articles published in the period.")
    reliability: Literal["A", "B", "C", "D", "E", "F"]
    official: bool = False
    detail: str = ""


class DayCount(_Model):
    day: date
    articles: int = Field(ge=0)


class Coverage(_Model):
    """What the report could see: sources, volume, languages, gaps (since 1.2)."""

    articles: int = Field(ge=0, description="Articles about the country in the period.")
    sources: list[SourceCoverage] = Field(default_factory=list)
    worked: int = Field(ge=0)
    failed: int = Field(ge=0)
    stale: int = Field(ge=0)
    per_day: list[DayCount] = Field(default_factory=list)
    usual_per_day: float | None = Field(
        default=None, description="Mean articles a day in the earlier periods in the store."
    )
    history_periods: int = Field(default=0, ge=0)
    languages: dict[str, int] = Field(default_factory=dict)
    unresolved_places: float = Field(
        ge=0, le=1, description="Share of the articles with no place resolved."
    )
    unresolved_dates: float = Field(
        ge=0, le=1, description="Share of the articles whose publication date was estimated."
    )
    excluded: dict[str, int] = Field(
        default_factory=dict, description="In-period articles left out, by reason."
    )
    notes: list[str] = Field(default_factory=list)


class Hotspot(_Model):
    label: str
    detail: str
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    intensity: int = Field(ge=1, le=3)
    sources: list[int] = Field(min_length=1)
    country: str | None = None
    feature: str | None = None
    precision: Literal["point", "admin1", "country", "region"] | None = Field(
        default=None,
        description="How exact the point is: a town or site (point), a province drawn at "
        "its centre (admin1), a region, island or range at its centre (region), or a whole "
        "country (country) (since 1.2).",
    )


class BackgroundItem(_Model):
    """A passage of a tracked reference page bearing on a development."""

    page: str
    url: str
    version: int
    version_date: date
    statement: Statement
    changed_in_period: bool = False


class AlsoReported(_Model):
    """A story relevant to the country that is not a key development (since 1.1)."""

    title: str
    outlet: str
    published: datetime
    category: str
    reason: Literal["not_security", "below_cap"]
    outlets: int = Field(ge=1)
    sources: list[int] = Field(min_length=1)


class ExcludedArticle(_Model):
    """An in-period article left out of the key developments, and why (since 1.1)."""

    article_id: int
    title: str
    outlet: str
    published: datetime
    reason: Literal["not_about", "not_security", "below_cap", "analyst_exclude"]
    detail: str
    story: str


class QualityNote(_Model):
    kind: Literal[
        "outside_period",
        "stale_name",
        "unresolved_place",
        "rejected_input",
        "other",
        "selection",
        "analyst_choice",
    ]
    text: str
    sources: list[int] = Field(default_factory=list)


class AnnexEntry(_Model):
    id: int = Field(ge=1)
    title: str
    outlet: str
    published: datetime
    url: str | None
    language: str | None
    article_id: int | None = Field(default=None, description="The article's id in the store.")


class Report(_Model):
    """A country security report for one period."""

    schema_version: str = REPORT_SCHEMA_VERSION
    title: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    country_name: str
    period: Period
    generated_at: datetime
    method: Method
    executive_summary: list[Statement]
    key_developments: list[Development]
    geopolitical_impact: list[ActorGroup]
    military_analysis: list[Statement]
    outlook: Outlook
    threat_level: ThreatLevel
    threat: Threat
    hotspots: list[Hotspot]
    hotspots_abroad: list[Hotspot] = Field(
        default_factory=list,
        description="Places abroad where the country's forces or citizens are involved, "
        "listed apart from the map of the country (since 1.2).",
    )
    background: list[BackgroundItem] = Field(default_factory=list)
    data_quality: list[QualityNote] = Field(default_factory=list)
    annex: list[AnnexEntry]
    also_reported: list[AlsoReported] = Field(
        default_factory=list,
        description="Other stories relevant to the country, one line each (since 1.1).",
    )
    also_reported_more: dict[str, int] = Field(
        default_factory=dict,
        description="Stories relevant to the country beyond the also-reported list, "
        "counted by category (since 1.1).",
    )
    excluded: list[ExcludedArticle] = Field(
        default_factory=list,
        description="Every in-period article not in a key development, with its reason "
        "(since 1.1).",
    )
    coverage: Coverage | None = Field(
        default=None, description="Sources, volume and gaps of the period (since 1.2)."
    )

    @field_validator("annex")
    @classmethod
    def _unique_ids(cls, annex: list[AnnexEntry]) -> list[AnnexEntry]:
        ids = [a.id for a in annex]
        if len(ids) != len(set(ids)):
            raise ValueError("annex ids must be unique")
        return annex

    @model_validator(mode="after")
    def _consistent(self) -> Report:
        if self.threat_level != self.threat.level:
            raise ValueError("threat_level must equal threat.level")
        known = {a.id for a in self.annex}
        missing = sorted(set(self.cited_ids()) - known)
        if missing:
            raise ValueError(f"cited ids not in the annex: {missing}")
        return self

    def statements(self) -> list[tuple[str, Statement]]:
        """Every statement with the section it belongs to."""
        out: list[tuple[str, Statement]] = [
            ("executive_summary", s) for s in self.executive_summary
        ]
        for d in self.key_developments:
            out.extend(("key_developments", s) for s in d.summary)
        for g in self.geopolitical_impact:
            out.extend(("geopolitical_impact", s) for s in g.statements)
        out.extend(("military_analysis", s) for s in self.military_analysis)
        for name in ("short_term", "flashpoints", "indicators", "recommendations"):
            out.extend((f"outlook.{name}", s) for s in getattr(self.outlook, name))
        out.extend(("background", b.statement) for b in self.background)
        return out

    def cited_ids(self) -> list[int]:
        """Every annex id cited anywhere, with repeats."""
        ids = [i for _, s in self.statements() for i in s.sources]
        for d in self.key_developments:
            ids.extend(d.sources)
        for h in (*self.hotspots, *self.hotspots_abroad):
            ids.extend(h.sources)
        for f in self.threat.factors:
            ids.extend(f.sources)
        for n in self.data_quality:
            ids.extend(n.sources)
        for x in self.also_reported:
            ids.extend(x.sources)
        return ids


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema ``report.json`` validates against (``watchfloor schema report``)."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://watchfloor.example/schema/report-{REPORT_SCHEMA_VERSION}.json"
    return schema
