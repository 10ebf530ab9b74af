"""STIX 2.1: a valid, deterministic bundle of the report, its locations and notes."""

from __future__ import annotations

import json

import pytest
import stix2

from tests.report.fixtures_report import mongolia_report
from watchfloor.report.render import render
from watchfloor.report.stix import IDENTITY_ID


@pytest.fixture(scope="module")
def bundle_text() -> str:
    return render(mongolia_report(), "stix").decode("utf-8")


def _standard_only(text: str) -> str:
    """The bundle without watchfloor's documented custom properties (x_watchfloor_*)."""
    data = json.loads(text)
    for obj in data["objects"]:
        for key in [k for k in obj if k.startswith("x_watchfloor_")]:
            del obj[key]
    return json.dumps(data)


def test_bundle_parses_as_strict_stix(bundle_text: str) -> None:
    # Strict apart from the documented custom properties, which are the only ones.
    bundle = stix2.parse(_standard_only(bundle_text), allow_custom=False)
    kinds = [o.type for o in bundle.objects]
    report = mongolia_report()
    assert kinds.count("report") == 1 and kinds.count("identity") == 1
    assert kinds.count("location") == len(report.hotspots)
    assert kinds.count("note") == len(report.key_developments)


def test_report_object_refs_and_fields(bundle_text: str) -> None:
    data = json.loads(bundle_text)
    objects = {o["id"]: o for o in data["objects"]}
    (rep,) = [o for o in data["objects"] if o["type"] == "report"]
    assert rep["report_types"] == ["threat-report"]
    assert rep["name"].startswith("Mongolia security report")
    assert rep["published"].startswith("2026-05-01T06:00:00")
    assert set(rep["object_refs"]) <= set(objects)
    assert all(
        o.get("created_by_ref") == IDENTITY_ID
        for o in objects.values()
        if o is not None and o["type"] != "identity"
    )
    urls = [r.get("url") for r in rep["external_references"]]
    assert "https://steppe-daily.example/eu-pca-date" in urls
    assert not any(u and u.startswith("javascript:") for u in urls)
    assert len(rep["external_references"]) == len(mongolia_report().annex)


def test_locations_and_notes_carry_the_report_content(bundle_text: str) -> None:
    data = json.loads(bundle_text)
    by_type: dict[str, list[dict]] = {}
    for o in data["objects"]:
        by_type.setdefault(o["type"], []).append(o)
    oahu = next(o for o in by_type["location"] if o["name"] == "Oahu")
    assert (oahu["latitude"], oahu["longitude"], oahu["country"]) == (21.4389, -158.0001, "US")
    (rep,) = by_type["report"]
    note = next(n for n in by_type["note"] if n["abstract"].startswith("Zamiin-Uud"))
    assert rep["id"] in note["object_refs"]
    zamiin = next(o for o in by_type["location"] if o["name"] == "Zamiin-Uud")
    assert zamiin["id"] in note["object_refs"]
    assert "[6]" in note["content"] and "Замын-Үүд" in note["content"]


def test_same_report_gives_the_same_bundle(bundle_text: str) -> None:
    assert render(mongolia_report(), "stix").decode("utf-8") == bundle_text
    changed = mongolia_report()
    changed.hotspots[0].detail = "Different detail."
    other = json.loads(render(changed, "stix"))
    ids = {o["id"] for o in json.loads(bundle_text)["objects"]}
    other_ids = {o["id"] for o in other["objects"]}
    assert ids & other_ids == {IDENTITY_ID}  # only the shared watchfloor identity


def test_credibility_is_the_standard_confidence_and_reliability_a_custom_property(
    bundle_text: str,
) -> None:
    notes = {o["abstract"]: o for o in json.loads(bundle_text)["objects"] if o["type"] == "note"}
    confirmed = notes["Joint army training with China continues in Dornogovi"]
    assert confirmed["confidence"] == 90  # credibility 1, STIX 2.1 Admiralty scale
    assert confirmed["x_watchfloor_source_reliability"] == "B"
    assert confirmed["x_watchfloor_grade"] == "B1"
    assert "conflicting figures" in confirmed["content"]
    unjudged = notes["New espionage group reported targeting government networks"]
    assert "confidence" not in unjudged  # 6: truth cannot be judged
    assert unjudged["x_watchfloor_grade"] == "F6" and "single source" in unjudged["content"]
    report = next(o for o in json.loads(bundle_text)["objects"] if o["type"] == "report")
    assert report["confidence"] == 15  # low confidence, STIX Low/Med/High scale
