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

__all__ = ["WATCHFLOOR_NAMESPACE", "build_bundle", "render_stix"]

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


def build_bundle(report: Report) -> Any:
    """Build the STIX 2.1 bundle (a ``stix2.v21.Bundle``) for a report.

    Raises:
        ReportError: when the stix2 package is missing or rejects an object.
    """
    try:
        import stix2
    except ImportError as exc:  # pragma: no cover - the report extra installs it
        raise ReportError(
            "STIX output needs the stix2 package: `pip install watchfloor[report]`"
        ) from exc
    digest = hashlib.sha256(report.model_dump_json().encode("utf-8")).hexdigest()
    root = uuid.uuid5(WATCHFLOOR_NAMESPACE, f"report:{digest}")

    def sid(kind: str, key: str) -> str:
        return f"{kind}--{uuid.uuid5(root, f'{kind}:{key}')}"

    when = _utc(report.generated_at)
    stamp = {"created": when, "modified": when, "created_by_ref": IDENTITY_ID}
    report_id = sid("report", "report")
    try:
        identity = stix2.v21.Identity(
            id=IDENTITY_ID,
            # A fixed creation time keeps this shared identity identical across bundles.
            created=datetime(2026, 1, 1, tzinfo=UTC),
            modified=datetime(2026, 1, 1, tzinfo=UTC),
            name="watchfloor",
            identity_class="system",
            description="watchfloor, an open-source-intelligence watch floor",
        )
        locations = []
        by_label: dict[str, str] = {}
        for n, h in enumerate(report.hotspots, start=1):
            loc_id = sid("location", f"{n}:{h.label}:{h.lat:.5f}:{h.lng:.5f}")
            by_label.setdefault(h.label.casefold(), loc_id)
            extra = {"country": h.country} if h.country else {}
            locations.append(
                stix2.v21.Location(
                    id=loc_id,
                    name=h.label,
                    description=f"{h.detail} (intensity {h.intensity} of 3; sources "
                    + ", ".join(f"[{i}]" for i in h.sources)
                    + ")",
                    latitude=h.lat,
                    longitude=h.lng,
                    **extra,
                    **stamp,
                )
            )
        annex = {a.id: a for a in report.annex}

        def refs(ids: list[int]) -> list[Any]:
            out = []
            for i in sorted(set(ids)):
                entry = annex[i]
                ref: dict[str, Any] = {
                    "source_name": entry.outlet or "unknown outlet",
                    "external_id": f"source-{i}",
                    "description": f"[{i}] {entry.title}",
                }
                url = safe_url(entry.url)
                if url:
                    ref["url"] = url
                out.append(stix2.v21.ExternalReference(**ref))
            return out

        notes = []
        for d in report.key_developments:
            places = [by_label[p.casefold()] for p in d.places if p.casefold() in by_label]
            date = d.date.start.isoformat()
            if d.date.end and d.date.end != d.date.start:
                date += f" to {d.date.end.isoformat()}"
            notes.append(
                stix2.v21.Note(
                    id=sid("note", d.id),
                    abstract=d.title,
                    content=f"{date}, {d.category}. {_cited(d.summary)}",
                    object_refs=[report_id, *dict.fromkeys(places)],
                    labels=sorted({d.category, *d.categories}),
                    external_references=refs(d.sources),
                    **stamp,
                )
            )
        summary = _cited(report.executive_summary)
        threat = report.threat
        description = (
            f"{report.country_name} ({report.country}), {report.period.start.isoformat()} to "
            f"{report.period.end.isoformat()}. Threat level {report.threat_level}, score "
            f"{threat.score:.1f}/100, trend {threat.trend.direction}. {summary}"
        ).strip()
        object_refs = [identity.id, *(x.id for x in locations), *(x.id for x in notes)]
        stix_report = stix2.v21.Report(
            id=report_id,
            name=report.title,
            description=description,
            published=when,
            report_types=["threat-report"],
            object_refs=object_refs,
            labels=[f"country:{report.country}", f"threat-level:{report.threat_level}"],
            external_references=refs([a.id for a in report.annex]),
            **stamp,
        )
        return stix2.v21.Bundle(
            identity,
            stix_report,
            *locations,
            *notes,
            id=sid("bundle", "bundle"),
            allow_custom=False,
        )
    except (stix2.exceptions.STIXError, ValueError) as exc:
        raise ReportError(f"cannot express the report as STIX 2.1: {exc}") from exc


def render_stix(report: Report) -> str:
    """Render ``report.stix.json``: the report as a STIX 2.1 bundle."""
    return str(build_bundle(report).serialize(pretty=True, ensure_ascii=False)) + "\n"
