"""Markdown: section order, citations linking to annex anchors, inert article text."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from tests.report.fixtures_report import mongolia_report
from watchfloor.report.markdown import escape_markdown, render_markdown, safe_url

SECTIONS = [
    "## Executive summary",
    "## Key security developments",
    "## Geopolitical impact and regional dynamics",
    "## Military and defence analysis",
    "## Outlook and forecast",
    "### Short-term trends (1-3 months)",
    "### Critical flashpoints and risk areas",
    "### Indicators to monitor",
    "### Strategic recommendations",
    "## Threat level",
    "## Hotspots",
    "## Background",
    "## Data quality notes",
    "## Annex",
]


def _html(md: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)


def test_sections_follow_the_model_report_order() -> None:
    md = render_markdown(mongolia_report())
    positions = [md.index(f"\n{heading}\n") for heading in SECTIONS]
    assert positions == sorted(positions)
    assert md.startswith("# Mongolia security report")
    for label in ("**Country:**", "**Analysis period:**", "**Generated:**", "**Method:**"):
        assert label in md.split("## Executive summary")[0]


def test_every_citation_links_to_an_annex_anchor() -> None:
    report = mongolia_report()
    html = _html(render_markdown(report))
    targets = set(re.findall(r'href="#source-(\d+)"', html))
    anchors = set(re.findall(r'id="source-(\d+)"', html))
    assert anchors == {str(a.id) for a in report.annex}
    assert targets and targets <= anchors
    assert targets == {str(i) for i in report.cited_ids()}


def test_hostile_article_text_renders_as_plain_text() -> None:
    html = _html(render_markdown(mongolia_report()))
    assert "<script" not in html
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    # Only our own anchors and the annex's http(s) URLs are links.
    assert hrefs
    assert all(h.startswith(("#source-", "#annex", "https://")) for h in hrefs), hrefs
    assert "javascript:" not in "".join(hrefs)


def test_escaping_neutralises_markup_links_and_line_starts() -> None:
    rendered = _html(escape_markdown("# [click](https://evil.example) *x* <img src=x>\n- item"))
    assert "<h1>" not in rendered and "<a " not in rendered and "<em>" not in rendered
    assert "<img" not in rendered and "<li>" not in rendered
    assert "<p>" in _html(escape_markdown("1. not a list"))
    assert "hxxps://evil.example" in escape_markdown("see https://evil.example")


def test_only_web_urls_become_links() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url("/relative/path") is None
    assert safe_url("https://a.example/x y>") == "https://a.example/x%20y%3E"


def test_mongolian_statement_is_kept_and_marked() -> None:
    md = render_markdown(mongolia_report())
    line = next(x for x in md.splitlines() if "Замын-Үүд боомтын ачаа" in x)
    assert "in Mongolian" in line
