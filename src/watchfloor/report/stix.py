"""STIX 2.1: ``report.stix.json``, a bundle that OpenCTI and MISP can import.

The bundle holds an ``identity`` for watchfloor (``created_by_ref`` of everything), one
``location`` per hotspot, one ``note`` per key development (abstract = title, content = the
summary with its ``[n]`` citations, refs to the report and the development's locations) and
the ``report`` itself, whose external references are the annex. Ids are UUIDv5 derived
from the report's content, and timestamps are the report's generation time, so the same
report always gives the same bundle, byte for byte.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from watchfloor.errors import ReportError
from watchfloor.models.report import Report, Statement
from watchfloor.report.markdown import safe_url

__all__ = [
    "CONFIDENCE_TO_STIX",
    "CREDIBILITY_TO_STIX",
    "WATCHFLOOR_NAMESPACE",
    "build_bundle",
    "render_stix",
]

#: Admiralty information credibility (1-6) to the STIX 2.1 ``confidence`` property, by the
#: "Admiralty Credibility" scale of STIX 2.1 Appendix A: each grade's range midpoint;
#: 6 (truth cannot be judged) leaves ``confidence`` out.
CREDIBILITY_TO_STIX: dict[int, int | None] = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10, 6: None}
#: The threat assessment's confidence to ``confidence`` on the report, by the
#: "Low/Med/High" scale of STIX 2.1 Appendix A (Low 15, Med 50, High 85).
CONFIDENCE_TO_STIX = {"low": 15, "moderate": 50, "high": 85}

# Fixed forever: changing it would change every id watchfloor has ever published.
WATCHFLOOR_NAMESPACE = uuid.UUID("6f1d3a52-3f1e-5c55-9d0e-7a0c9b8e2f41")
IDENTITY_ID = f"identity--{uuid.uuid5(WATCHFLOOR_NAMESPACE, 'identity:watchfloor')}"


def _utc(moment: datetime) -> datetime:
    # A naive time in a report is UTC by the report contract (dates are UTC).
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _cited(statements: list[Statement]) -> str:
    parts = []
    for s in statements:
        cites = "".join(f"[{i}]" for i in sorted(set(s.sources)))
        lang = f"({s.language}) " if s.language and s.language != "en" else ""
        parts.append(f"{lang}{s.text} {cites}")
    return " ".join(parts)


def _import_stix2() -> Any:
    try:
        import stix2
    except ImportError as exc:  # pragma: no cover - the report extra installs it
        raise ReportError(
            "STIX output needs the stix2 package: `pip install watchfloor[report]`"
        ) from exc
    return stix2


def _identity(stix2: Any) -> Any:
    """watchfloor itself, the ``created_by_ref`` of every object."""
    return stix2.v21.Identity(
        id=IDENTITY_ID,
        # A fixed creation time keeps this shared identity identical across bundles.
        created=datetime(2026, 1, 1, tzinfo=UTC),
        modified=datetime(2026, 1, 1, tzinfo=UTC),
        name="watchfloor",
        identity_class="system",
        description="watchfloor, an open-source-intelligence watch floor",
    )


class _BundleParts:
    """Builds the objects of one report's bundle, with ids derived from its content."""

    def __init__(self, stix2: Any, report: Report) -> None:
        self.stix2 = stix2
        self.report = report
        digest = hashlib.sha256(report.model_dump_json().encode("utf-8")).hexdigest()
        self.root = uuid.uuid5(WATCHFLOOR_NAMESPACE, f"report:{digest}")
        when = _utc(report.generated_at)
        self.when = when
        self.stamp: dict[str, Any] = {
            "created": when,
            "modified": when,
            "created_by_ref": IDENTITY_ID,
        }
        self.report_id = self.sid("report", "report")
        self.annex = {a.id: a for a in report.annex}

    def sid(self, kind: str, key: str) -> str:
        """A stable id: the same report and key always give the same one."""
        return f"{kind}--{uuid.uuid5(self.root, f'{kind}:{key}')}"

    def locations(self) -> tuple[list[Any], dict[str, str]]:
        """One location per hotspot, and the id of the first hotspot of each label."""
        locations = []
        by_label: dict[str, str] = {}
        everywhere = [*self.report.hotspots, *self.report.hotspots_abroad]
        for n, h in enumerate(everywhere, start=1):
            loc_id = self.sid("location", f"{n}:{h.label}:{h.lat:.5f}:{h.lng:.5f}")
            by_label.setdefault(h.label.casefold(), loc_id)
            extra = {"country": h.country} if h.country else {}
            locations.append(
                self.stix2.v21.Location(
                    id=loc_id,
                    name=h.label,
                    description=f"{h.detail} (intensity {h.intensity} of 3; sources "
                    + ", ".join(f"[{i}]" for i in h.sources)
                    + ")",
                    latitude=h.lat,
                    longitude=h.lng,
                    **extra,
                    **self.stamp,
                )
            )
        return locations, by_label

    def references(self, ids: list[int]) -> list[Any]:
        """External references to annex entries *ids*; a URL only when it is http(s)."""
        out = []
        for i in sorted(set(ids)):
            entry = self.annex[i]
            ref: dict[str, Any] = {
                "source_name": entry.outlet or "unknown outlet",
                "external_id": f"source-{i}",
                "description": f"[{i}] {entry.title}",
            }
            url = safe_url(entry.url)
            if url:
                ref["url"] = url
            out.append(self.stix2.v21.ExternalReference(**ref))
        return out

    def notes(self, location_by_label: dict[str, str]) -> list[Any]:
        """One note per key development, referring to the report and its places."""
        notes = []
        for d in self.report.key_developments:
            places = [
                location_by_label[p.casefold()]
                for p in d.places
                if p.casefold() in location_by_label
            ]
            date = d.date.start.isoformat()
            if d.date.end and d.date.end != d.date.start:
                date += f" to {d.date.end.isoformat()}"
            graded: dict[str, Any] = {}
            grade = ""
            if d.credibility is not None:
                c = d.credibility
                confidence = CREDIBILITY_TO_STIX[c.credibility]
                if confidence is not None:
                    graded["confidence"] = confidence
                # STIX 2.1 has no property for source reliability: documented custom ones.
                graded["x_watchfloor_source_reliability"] = c.reliability
                graded["x_watchfloor_grade"] = c.grade
                graded["x_watchfloor_independent_outlets"] = c.independent_outlets
                grade = f" Grade {c.grade}" + (", single source" if c.single_source else "")
                grade += "".join(f"; {x}" for x in c.conflicts) + "."
            notes.append(
                self.stix2.v21.Note(
                    id=self.sid("note", d.id),
                    abstract=d.title,
                    content=f"{date}, {d.category}.{grade} {_cited(d.summary)}",
                    object_refs=[self.report_id, *dict.fromkeys(places)],
                    labels=sorted({d.category, *d.categories}),
                    external_references=self.references(d.sources),
                    allow_custom=bool(graded),
                    **graded,
                    **self.stamp,
                )
            )
        return notes

    def report_object(self, object_refs: list[str]) -> Any:
        """The STIX report: period, threat level and summary, the annex as references."""
        r = self.report
        if r.threat.score is None:
            level = "Threat level: insufficient data (no level, no score; watchfloor judgement)."
        else:
            confidence = f", {r.threat.confidence} confidence" if r.threat.confidence else ""
            level = (
                f"Threat level {r.threat_level}, score {r.threat.score:.1f}/100, trend "
                f"{r.threat.trend.direction}{confidence} (watchfloor judgement)."
            )
        description = (
            f"{r.country_name} ({r.country}), {r.period.start.isoformat()} to "
            f"{r.period.end.isoformat()}. {level} {_cited(r.executive_summary)}"
        ).strip()
        extra: dict[str, Any] = {}
        if r.threat.confidence:
            extra["confidence"] = CONFIDENCE_TO_STIX[r.threat.confidence]
        return self.stix2.v21.Report(
            id=self.report_id,
            name=r.title,
            description=description,
            published=self.when,
            report_types=["threat-report"],
            object_refs=object_refs,
            labels=[f"country:{r.country}", f"threat-level:{r.threat_level}"],
            external_references=self.references([a.id for a in r.annex]),
            **extra,
            **self.stamp,
        )


def build_bundle(report: Report) -> Any:
    """Build the STIX 2.1 bundle (a ``stix2.v21.Bundle``) for a report.

    Raises:
        ReportError: when the stix2 package is missing or rejects an object.
    """
    stix2 = _import_stix2()
    parts = _BundleParts(stix2, report)
    try:
        identity = _identity(stix2)
        locations, by_label = parts.locations()
        notes = parts.notes(by_label)
        object_refs = [identity.id, *(x.id for x in locations), *(x.id for x in notes)]
        return stix2.v21.Bundle(
            identity,
            parts.report_object(object_refs),
            *locations,
            *notes,
            id=parts.sid("bundle", "bundle"),
            # Only the notes' documented x_watchfloor_* properties are custom.
            allow_custom=True,
        )
    except (stix2.exceptions.STIXError, ValueError) as exc:
        raise ReportError(f"cannot express the report as STIX 2.1: {exc}") from exc


def render_stix(report: Report) -> str:
    """Render ``report.stix.json``: the report as a STIX 2.1 bundle."""
    return str(build_bundle(report).serialize(pretty=True, ensure_ascii=False)) + "\n"
