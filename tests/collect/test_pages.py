"""Reference page versions: extraction, fingerprints and paragraph diffs."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import FIXTURES, need_seeds
from watchfloor.collect.pages import diff_pages, extract_page, page_from_text
from watchfloor.errors import ParseError

PAGES = FIXTURES / "pages"


def _versions():
    v1 = extract_page((PAGES / "reference_v1.html").read_bytes(), url="https://ex.org/steppe")
    v2 = extract_page((PAGES / "reference_v2.html").read_bytes(), url="https://ex.org/steppe")
    return v1, v2


def test_page_text_drops_boilerplate_and_keeps_paragraphs() -> None:
    v1, _ = _versions()
    assert v1.title.startswith("Defence cooperation with the Steppe Republic")
    assert "SCRIPT_MUST_NOT_LEAK" not in v1.text and "font-family" not in v1.text
    assert "Cookie settings" not in v1.text and "Topics" not in v1.text
    assert any(p.startswith("A partnership programme agreed in 2019") for p in v1.paragraphs)
    assert len(v1.paragraphs) >= 5
    assert v1.language == "en"
    assert v1.date == date(2025, 2, 3)
    assert len(v1.text_hash) == 64


def test_markup_only_change_keeps_the_hash() -> None:
    v1, _ = _versions()
    html = (PAGES / "reference_v1.html").read_text(encoding="utf-8")
    restyled = html.replace("font-family: sans-serif", "font-family: serif").replace(
        "<p>Officers", "<p class='lead'>\n   Officers"
    )
    again = extract_page(restyled.encode("utf-8"))
    assert again.text_hash == v1.text_hash


def test_html_versions_diff_into_changed_added_removed() -> None:
    v1, v2 = _versions()
    diff = diff_pages(v1, v2)
    assert diff.summary() == "2 paragraphs changed, 1 added, 1 removed"
    changed = [c for c in diff.changes if c.kind == "changed"]
    assert changed[0].old == "Last updated: 3 Feb. 2025 09:40"
    assert changed[0].new == "Last updated: 14 Apr. 2026 16:05"
    programme = changed[1]
    assert ("agreed", "renewed") in [(w.old, w.new) for w in programme.words]
    assert "{+renewed+}" in programme.inline() and "[-agreed-]" in programme.inline()
    (removed,) = [c for c in diff.changes if c.kind == "removed"]
    assert "annual multinational peacekeeping exercise" in (removed.old or "")
    (added,) = [c for c in diff.changes if c.kind == "added"]
    assert "countering disinformation" in (added.new or "")


def test_render_marks_changes_and_elides_far_context() -> None:
    v1, v2 = _versions()
    text = diff_pages(v1, v2, context=0).render()
    lines = text.splitlines()
    assert lines[2] == "2 paragraphs changed, 1 added, 1 removed"
    assert any(line.startswith("+ In March 2026") for line in lines)
    assert any(line.startswith("- The Steppe Republic hosts") for line in lines)
    assert any(line.startswith("~ Last updated:") for line in lines)
    assert "..." in lines
    assert not any(line.startswith("  The Example Alliance and") for line in lines)
    with_context = diff_pages(v1, v2, context=1).render()
    assert "  The Example Alliance and the Steppe Republic have worked" in with_context


def test_identical_versions_have_no_changes() -> None:
    v1, _ = _versions()
    diff = diff_pages(v1, v1)
    assert diff.unchanged and diff.changes == [] and diff.summary() == "no changes"


def test_seed_nato_page_versions_diff() -> None:
    seeds = need_seeds()
    old_text = next(seeds.glob("003_*.txt")).read_text(encoding="utf-8")
    new_text = next(seeds.glob("001_*.txt")).read_text(encoding="utf-8")
    old = extract_page(old_text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    new = page_from_text(new_text)
    assert old.title == new.title == "Relations with Mongolia"
    assert (old.date, new.date) == (date(2017, 3, 21), date(2022, 5, 24))
    diff = diff_pages(old, new)
    assert not diff.unchanged
    first = diff.changes[0]
    assert first.kind == "changed" and first.old is not None and "21 Mar. 2017" in first.old
    assert diff.count("changed") >= 2 and diff.count("added") > diff.count("removed")
    # every paragraph of both versions is accounted for exactly once
    assert sum(1 for p in diff.paragraphs if p.old is not None) == len(old.paragraphs)
    assert sum(1 for p in diff.paragraphs if p.new is not None) == len(new.paragraphs)
    # the same seed diffs the same way whether given as text or PageText
    assert diff_pages(old_text, new_text).summary() == diff.summary()


def test_empty_page_raises_parse_error() -> None:
    with pytest.raises(ParseError):
        extract_page(b"   \n ", content_type="text/plain")
    with pytest.raises(ParseError):
        extract_page(b"<html><body><script>only()</script></body></html>")


def test_html_with_bom_and_xml_declaration_is_still_html() -> None:
    html = (PAGES / "reference_v2.html").read_text(encoding="utf-8")
    html = html.replace(
        "<!DOCTYPE html>", '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>'
    )
    page = extract_page(b"\xef\xbb\xbf" + html.encode("utf-8"))
    assert "SCRIPT_MUST_NOT_LEAK" not in page.text
    assert page.title.startswith("Defence cooperation")
