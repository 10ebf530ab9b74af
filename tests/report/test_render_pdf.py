"""PDF through WeasyPrint: a real document with pages, the title and the map."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.report.fixtures_report import mongolia_report
from watchfloor.report.html import render_print_html
from watchfloor.report.render import render


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render(mongolia_report(), "pdf")


def _text(pdf: bytes, tmp_path: Path) -> str | None:
    """Extract the text with pypdf or pdftotext, whichever is there; None if neither."""
    try:
        from pypdf import PdfReader
    except ImportError:
        pass
    else:
        import io

        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    if shutil.which("pdftotext"):
        path = tmp_path / "report.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            timeout=60,
        )
        return out.stdout.decode("utf-8")
    return None


def _objects(pdf: bytes) -> bytes:
    """Return the PDF's bytes with every Flate stream inflated (pages sit in object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_pdf_has_pages(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    pages = re.findall(rb"/Type\s*/Page\b", _objects(pdf))
    assert len(pages) >= 2


def test_pdf_contains_the_title_and_sections(pdf: bytes, tmp_path: Path) -> None:
    text = _text(pdf, tmp_path)
    if text is None:
        pytest.skip("neither pypdf nor pdftotext is installed to read the PDF's text")
    flat = " ".join(text.split())
    assert "Mongolia security report" in flat
    assert "<script>alert(1)</script>" in flat  # shown as text, never interpreted
    for heading in ("Executive summary", "Threat level", "Hotspots", "Annex"):
        assert heading in flat
    assert "Ulaanbaatar" in flat and "Oahu" in flat


def test_print_html_has_no_scripts_and_an_svg_map() -> None:
    html = render_print_html(mongolia_report())
    assert "<script" not in html
    # the map, and the coverage section's per-day chart (docs/standards.md)
    assert html.count("<svg") - html.count('<svg class="daychart"') == 1 and "<circle" in html
    assert "@page" in html
