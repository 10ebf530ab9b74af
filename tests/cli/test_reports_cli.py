"""``demo``, ``report``, ``reports list/show``, ``schema report`` and ``backends``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from tests.cli.conftest import DemoRun, run
from watchfloor.services.demo import demo_period


def test_demo_writes_every_format_and_a_clean_check(demo_run: DemoRun):
    names = {p.name for p in demo_run.folder.iterdir()}
    assert {"report.md", "report.html", "report.json", "hotspots.geojson", "report.pdf"} <= names
    assert "report.stix.json" in names and "watchfloor.db" in names
    assert re.search(
        r"threat \w+ \(\d+/100, \w+ confidence\),\s+\d+ developments,\s+\d+ hotspots",
        demo_run.output,
    )
    assert "check: no uncited statement" in demo_run.output
    assert "0 failed" in demo_run.output  # the malformed feed is a reject, not a failure
    assert re.search(r"\d+ articles stored, \d+ rejects kept", demo_run.output)
    listed = json.loads(run("--db", demo_run.db, "reports", "list", "--json").output)
    assert len(listed) == 1 and listed[0]["country"] == "MN"


def test_report_writes_stores_and_checks_then_reports_show_renders_it_again(
    demo_db: str, tmp_path: Path
):
    period = demo_period()
    out = tmp_path / "report"
    res = run(
        "--db", demo_db, "report", "-c", "mn", "--from", str(period.start),
        "--to", str(period.end), "--out", str(out), "--format", "md,json", "--check",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.md"]
    assert re.search(r"report 2: Mongolia, 2026-04-27 to 2026-05-03: threat \w+", res.output)
    assert "check: no uncited statement" in res.output

    listed = json.loads(run("--db", demo_db, "reports", "list", "-c", "MN", "--json").output)
    assert [r["id"] for r in listed] == [2, 1]  # newest first
    assert run("--db", demo_db, "reports", "list").exit_code == 0

    again = tmp_path / "again"
    res = run("--db", demo_db, "reports", "show", "2", "--out", str(again), "--format", "json")
    assert res.exit_code == 0, res.output
    assert (again / "report.json").read_bytes() == (out / "report.json").read_bytes()
    shown = run("--db", demo_db, "reports", "show", "2")
    assert shown.output.strip() == (out / "report.md").read_text(encoding="utf-8").strip()


def test_report_usage_errors_exit_2_and_a_missing_report_exits_1(demo_db: str, tmp_path: Path):
    base = ["--db", demo_db, "report", "--from", "2026-04-27", "--out", str(tmp_path)]
    res = run(*base, "-c", "Mongolia", "--to", "2026-05-03")
    assert res.exit_code == 2 and "did you mean MN" in res.output
    res = run(*base, "-c", "MN", "--to", "2026-04-20")
    assert res.exit_code == 2 and "before --from" in res.output
    res = run(*base, "-c", "MN", "--to", "2026-05-03", "--format", "docx")
    assert res.exit_code == 2 and "--format" in res.output
    res = run("--db", demo_db, "reports", "show", "1", "--format", "pdf")
    assert res.exit_code == 2 and "one text format" in res.output
    res = run("--db", demo_db, "reports", "show", "99")
    assert res.exit_code == 1 and "99" in res.output
    assert run("--db", demo_db, "reports", "list", "-c", "XX").exit_code == 2


def test_schema_report_validates_the_demo_report(demo_run: DemoRun):
    res = run("schema", "report")
    assert res.exit_code == 0
    schema = json.loads(res.output)
    report = json.loads((demo_run.folder / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)


def test_backends_lists_the_extractive_backend():
    res = run("backends")
    assert res.exit_code == 0
    assert "extractive" in res.output.split()
