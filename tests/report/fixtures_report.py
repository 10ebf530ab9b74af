"""A realistic Mongolia week as a Report, written by hand for the renderer tests.

The story is invented in our own words after the shape of the model report in shared/seeds.
Hostile bits are planted on purpose: a development title with a script tag, a summary with
quotes, an ampersand and tags, an annex title that tries to close a <script> block, and an
annex URL with a javascript: scheme that must never become a link.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from watchfloor.models.report import (
    ActorGroup,
    AnnexEntry,
    BackgroundItem,
    Coverage,
    Credibility,
    DateRange,
    DayCount,
    Development,
    Hotspot,
    Method,
    Outlook,
    Period,
    QualityNote,
    Report,
    SourceCoverage,
    Statement,
    Threat,
    ThreatFactor,
    ThreatTrend,
)

HOSTILE_TITLE = "Border post drill <script>alert(1)</script> near Zamiin-Uud"
HOSTILE_SUMMARY = 'Officials called it "routine" & <b>tags</b> were [not](javascript:x) links'
MONGOLIAN_TEXT = "Замын-Үүд боомтын ачаа тээврийн цагийн хуваарийг тавдугаар сарын 1-нээс сунгана."


def _t(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 4, day, hour, minute, tzinfo=UTC)


def _s(text: str, *sources: int, **kw: object) -> Statement:
    return Statement(text=text, sources=list(sources), **kw)  # type: ignore[arg-type]


ANNEX = [
    AnnexEntry(
        id=1,
        title="EU and Mongolia set date for partnership agreement",
        outlet="Steppe Daily",
        published=_t(24, 8, 15),
        url="https://steppe-daily.example/eu-pca-date",
        language="en",
        article_id=101,
    ),
    AnnexEntry(
        id=2,
        title="Prime minister receives EU ambassador",
        outlet="Ulaanbaatar Wire",
        published=_t(28, 11),
        url="https://ub-wire.example/pm-eu-ambassador",
        language="en",
        article_id=102,
    ),
    AnnexEntry(
        id=3,
        title="Joint army training with China continues in Dornogovi",
        outlet="Gobi Observer",
        published=_t(26, 7, 40),
        url="https://gobi-observer.example/joint-training",
        language="en",
        article_id=103,
    ),
    AnnexEntry(
        id=4,
        title="Chinese defence ministry outlines spring exercise",
        outlet="Asia Defence Notes",
        published=_t(27, 14),
        url="https://asia-defence.example/spring-exercise",
        language="en",
        article_id=104,
    ),
    AnnexEntry(
        id=5,
        title="Замын-Үүд боомтын ажлын цаг сунгагдлаа",
        outlet="Монгол Мэдээ",
        published=_t(29, 6, 30),
        url="https://mongol-medee.example/zamiin-uud-tsag",
        language="mn",
        article_id=105,
    ),
    AnnexEntry(
        id=6,
        title="Ereen and Zamiin-Uud extend cargo hours for summer",
        outlet="Border Trade Monitor",
        published=_t(29, 9, 5),
        url="https://border-trade.example/extended-hours",
        language="en",
        article_id=106,
    ),
    AnnexEntry(
        id=7,
        title="Researchers describe new espionage group targeting Mongolian ministries",
        outlet="Packet Review",
        published=_t(24, 16),
        url="https://packet-review.example/new-apt-mongolia",
        language="en",
        article_id=107,
    ),
    AnnexEntry(
        id=8,
        title="Mongolian squad arrives on Oahu for Pacific competition",
        outlet="Pacific Forces Journal",
        published=_t(27, 22),
        url="https://pacific-forces.example/best-squad-arrival",
        language="en",
        article_id=108,
    ),
    AnnexEntry(
        id=9,
        title="Aviation fuel protocol signed in Moscow",
        outlet="Energy Ledger",
        published=_t(25, 12),
        url="https://energy-ledger.example/fuel-protocol",
        language="en",
        article_id=109,
    ),
    AnnexEntry(
        id=10,
        title="Chief of staff briefed on defence industry during Moscow visit",
        outlet="Northern Dispatch",
        published=_t(25, 18),
        url="https://northern-dispatch.example/chief-of-staff",
        language="en",
        article_id=110,
    ),
    AnnexEntry(
        id=11,
        title=HOSTILE_TITLE,
        outlet="Unverified Blog <i>x</i>",
        published=_t(30, 20),
        url="javascript:alert(2)",
        language="en",
        article_id=111,
    ),
    AnnexEntry(
        id=12,
        title="Prime minister calls for AI in defence leadership",
        outlet="Ulaanbaatar Wire",
        published=_t(28, 15),
        url="https://ub-wire.example/pm-defence-ai",
        language="en",
        article_id=112,
    ),
    AnnexEntry(
        id=13,
        title="Trying to close the tag: </script><script>alert(3)</script> <!-- x",
        outlet="Odd Feed",
        published=_t(26, 3),
        url="https://odd-feed.example/path?a=1&b=</script>",
        language=None,
        article_id=113,
    ),
    AnnexEntry(
        id=14,
        title="NATO relations with Mongolia (reference page)",
        outlet="NATO",
        published=datetime(2026, 3, 2, tzinfo=UTC),
        url="https://nato.example/topics/mongolia",
        language="en",
        article_id=114,
    ),
    AnnexEntry(
        id=15,
        title="Steppe Partner-2024 exercise announced",
        outlet="Gobi Observer",
        published=datetime(2024, 5, 3, 10, tzinfo=UTC),
        url="https://gobi-observer.example/steppe-partner-2024",
        language="en",
        article_id=115,
    ),
]

DEVELOPMENTS = [
    Development(
        id="c-cyber-01",
        title="New espionage group reported targeting government networks",
        date=DateRange(start=date(2026, 4, 24)),
        category="cyber",
        categories=["cyber", "espionage"],
        summary=[
            _s(
                "Security researchers described a previously unreported group that uses "
                "cloud services to steal data from Mongolian ministries.",
                7,
            ),
        ],
        places=["Ulaanbaatar"],
        actors=["China"],
        significance=0.91,
        sources=[7],
        credibility=Credibility(
            grade="F6",
            reliability="F",
            credibility=6,
            independent_outlets=1,
            single_source=True,
            official=False,
            outlets=["Cyber <Wire>"],
            reasons=["single source: Cyber <Wire> (F)"],
        ),
    ),
    Development(
        id="c-mil-02",
        title="Joint army training with China continues in Dornogovi",
        date=DateRange(start=date(2026, 4, 26), end=date(2026, 4, 30)),
        category="military",
        categories=["military", "exercise"],
        summary=[
            _s(
                "Chinese and Mongolian troops continued a counter-terrorism training "
                "in Dornogovi Province.",
                3,
                4,
            ),
            _s("The exercise is due to run until late May.", 3),
        ],
        places=["Dornogovi", "Sainshand"],
        actors=["China"],
        significance=0.84,
        sources=[3, 4, 15],
        credibility=Credibility(
            grade="B1",
            reliability="B",
            credibility=1,
            independent_outlets=2,
            single_source=False,
            official=True,
            outlets=["Montsame", "Ministry of Defence"],
            conflicts=["conflicting figures: 2 injured (Montsame) vs 4 injured (Ministry)"],
            reasons=["2 independent accounts", "official confirmation: Ministry of Defence"],
        ),
    ),
    Development(
        id="c-border-03",
        title="Zamiin-Uud–Ereen crossing extends cargo hours",
        date=DateRange(start=date(2026, 4, 29)),
        category="border",
        categories=["border", "trade"],
        summary=[
            _s(
                "Border authorities of both countries agreed to keep the cargo section "
                "open from 08:00 to 21:00 every day until the end of September.",
                6,
            ),
            _s(MONGOLIAN_TEXT, 5, language="mn"),
        ],
        places=["Zamiin-Uud", "Ereen"],
        actors=["China"],
        significance=0.72,
        sources=[5, 6],
    ),
    Development(
        id="c-ru-04",
        title="Aviation fuel protocol and chief of staff visit to Moscow",
        date=DateRange(start=date(2026, 4, 25)),
        category="diplomacy",
        categories=["diplomacy", "energy", "military"],
        summary=[
            _s("A protocol signed in Moscow secures aviation fuel on preferential terms.", 9),
            _s("The chief of the general staff was briefed on Russian defence industry.", 10),
        ],
        places=["Moscow"],
        actors=["Russia"],
        significance=0.66,
        sources=[9, 10],
    ),
    Development(
        id="c-eu-05",
        title="EU partnership agreement date set; prime minister meets ambassador",
        date=DateRange(start=date(2026, 4, 24), end=date(2026, 4, 28)),
        category="diplomacy",
        categories=["diplomacy"],
        summary=[
            _s("The partnership and cooperation agreement with the EU has a start date.", 1),
            _s("The prime minister called ties with the EU a foreign policy priority.", 2),
        ],
        places=["Ulaanbaatar"],
        actors=["European Union"],
        significance=0.58,
        sources=[1, 2],
    ),
    Development(
        id="c-us-06",
        title="Mongolian squad competes on Oahu",
        date=DateRange(start=date(2026, 4, 27), end=date(2026, 4, 30)),
        category="military",
        categories=["military", "training"],
        summary=[_s("A Mongolian squad arrived on Oahu for a Pacific army competition.", 8)],
        places=["Oahu"],
        actors=["United States"],
        significance=0.41,
        sources=[8],
    ),
    Development(
        id="c-odd-07",
        title=HOSTILE_TITLE,
        date=DateRange(start=date(2026, 4, 30)),
        category="border",
        categories=["border"],
        summary=[_s(HOSTILE_SUMMARY, 11, 13)],
        places=["Zamiin-Uud"],
        actors=[],
        significance=0.2,
        sources=[11, 13],
    ),
]


def mongolia_report() -> Report:
    """Return the fixture report: Mongolia, 24-30 April 2026."""
    return Report(
        title=f"Mongolia security report, 24–30 April 2026 — {HOSTILE_TITLE}",
        country="MN",
        country_name="Mongolia",
        period=Period(start=date(2026, 4, 24), end=date(2026, 4, 30)),
        generated_at=datetime(2026, 5, 1, 6, 0, tzinfo=UTC),
        method=Method(
            backend="extractive",
            analyst_version="0.1.0",
            enricher_version="0.1.0",
            sources=13,
            articles=len(ANNEX),
            note="Written by the built-in extractive analyst from the cited sources only.",
        ),
        executive_summary=[
            _s("A new espionage group was reported targeting government networks.", 7),
            _s(HOSTILE_SUMMARY, 11),
            _s("Joint training with China continued in Dornogovi.", 3),
        ],
        key_developments=DEVELOPMENTS,
        geopolitical_impact=[
            ActorGroup(
                actor="China",
                relation="neighbour",
                statements=[
                    _s("Military training and border trade with China both grew.", 3, 6),
                ],
            ),
            ActorGroup(
                actor="Russia",
                relation="neighbour",
                statements=[_s("Fuel supply and military ties with Russia were renewed.", 9, 10)],
            ),
            ActorGroup(
                actor="European Union",
                relation="third partner",
                statements=[_s("The EU agreement moved towards entry into force.", 1, 2)],
            ),
        ],
        military_analysis=[
            _s("Training abroad and at home continued with both neighbours.", 3, 8),
            _s("The prime minister asked defence leaders to adopt new technology.", 12),
        ],
        outlook=Outlook(
            short_term=[
                _s("The Dornogovi training is due to end in late May.", 3, timing="scheduled")
            ],
            flashpoints=[
                _s(
                    "Government networks remain the most exposed target.",
                    7,
                    judgement=True,
                    timing="inferred",
                    likelihood="likely",
                )
            ],
            indicators=[
                _s(
                    "Watch cargo volumes at Zamiin-Uud after 1 May.",
                    5,
                    6,
                    judgement=True,
                    timing="inferred",
                )
            ],
            recommendations=[
                _s(
                    "Review cloud service access in ministries.",
                    7,
                    judgement=True,
                    timing="inferred",
                )
            ],
        ),
        threat_level="Elevated",
        threat=Threat(
            score=48.5,
            level="Elevated",
            factors=[
                ThreatFactor(
                    name="category severity",
                    value=0.6,
                    weight=40,
                    contribution=24.0,
                    detail="cyber espionage against government",
                    sources=[7],
                ),
                ThreatFactor(
                    name="volume",
                    value=0.5,
                    weight=25,
                    contribution=12.5,
                    detail="15 articles, about the usual level",
                ),
                ThreatFactor(
                    name="critical infrastructure",
                    value=0.4,
                    weight=30,
                    contribution=12.0,
                    detail="ministry networks <targeted>",
                    sources=[7],
                ),
            ],
            trend=ThreatTrend(previous_level="Guarded", previous_score=35.0, direction="up"),
            confidence="low",
            confidence_reasons=["1 of 5 of the country's sources worked; failed: <Frontier>"],
        ),
        hotspots=[
            Hotspot(
                label="Ulaanbaatar",
                detail="Ministries targeted by the espionage group; EU meetings.",
                lat=47.9077,
                lng=106.8832,
                intensity=3,
                sources=[2, 7],
                country="MN",
                feature="PPLC",
            ),
            Hotspot(
                label="Dornogovi",
                detail="Joint army training with China.",
                lat=44.1,
                lng=110.2,
                intensity=2,
                sources=[3, 4],
                country="MN",
                feature="ADM1",
            ),
            Hotspot(
                label="Zamiin-Uud",
                detail="Cargo hours extended; <script>alert(1)</script> drill report.",
                lat=43.7167,
                lng=111.9,
                intensity=2,
                sources=[5, 6, 11],
                country="MN",
                feature="PPL",
            ),
            Hotspot(
                label="Oahu",
                detail="Pacific army squad competition.",
                lat=21.4389,
                lng=-158.0001,
                intensity=1,
                sources=[8],
                country="US",
                feature="ISL",
            ),
            Hotspot(
                label="Moscow",
                detail="Fuel protocol and chief of staff visit.",
                lat=55.7522,
                lng=37.6156,
                intensity=2,
                sources=[9, 10],
                country="RU",
                feature="PPLC",
            ),
        ],
        background=[
            BackgroundItem(
                page="NATO relations with Mongolia",
                url="https://nato.example/topics/mongolia",
                version=2,
                version_date=date(2026, 3, 2),
                statement=_s(
                    "Mongolia has been a NATO partner since 2012 and contributes to "
                    "international missions.",
                    14,
                    background=True,
                ),
            )
        ],
        data_quality=[
            QualityNote(
                kind="stale_name",
                text="The exercise name 'Steppe Partner-2024' names a past year.",
                sources=[15],
            ),
            QualityNote(
                kind="outside_period",
                text="One article from May 2024 is used as background only.",
                sources=[15],
            ),
        ],
        annex=ANNEX,
        coverage=Coverage(
            articles=15,
            sources=[
                SourceCoverage(
                    name="Frontier <Bulletin>",
                    status="failed",
                    articles=0,
                    reliability="C",
                    detail="1 failed fetch(es): HTTP 500",
                ),
                SourceCoverage(
                    name="Montsame", status="worked", articles=9, reliability="B", official=True
                ),
            ],
            worked=1,
            failed=1,
            stale=0,
            per_day=[
                DayCount(day=date(2026, 4, 24 + i), articles=n)
                for i, n in enumerate([1, 3, 2, 0, 4, 3, 2])
            ],
            usual_per_day=3.5,
            history_periods=4,
            languages={"en": 12, "mn": 3},
            unresolved_places=0.2,
            unresolved_dates=0.0,
            excluded={"not_security": 4},
        ),
    )
