"""PDF: ``report.pdf`` through WeasyPrint, with the hotspot map as an inline SVG image.

WeasyPrint gets the same template as the HTML report in print mode: no scripts, A4 pages
with page numbers, and the map drawn by :mod:`watchfloor.report.staticmap`. WeasyPrint is
imported lazily because it is part of the ``report`` extra.
"""

from __future__ import annotations

import logging
from pathlib import Path

from watchfloor.errors import ReportError
from watchfloor.models.report import Report
from watchfloor.report.html import render_print_html

__all__ = ["render_pdf"]


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, object]:
    """Refuse every resource WeasyPrint tries to load: the document is self-contained."""
    raise ValueError(f"report PDF loads no external resources (refused {url})")


def render_pdf(report: Report, *, assets_dir: Path | None = None) -> bytes:
    """Render ``report.pdf`` from a report.

    Raises:
        ReportError: when WeasyPrint is not installed or fails on the document.
    """
    try:
        import weasyprint
    except ImportError as exc:  # pragma: no cover - the report extra installs it
        raise ReportError(
            "PDF output needs WeasyPrint: install the extra with `pip install watchfloor[report]`"
        ) from exc
    source = render_print_html(report, assets_dir=assets_dir)
    # WeasyPrint logs every CSS property it does not support at WARNING; those are about
    # our stylesheet's screen rules, not about the report, so keep them out of the user's
    # log unless they asked for debug output.
    wp_log = logging.getLogger("weasyprint")
    level = wp_log.level
    if not wp_log.isEnabledFor(logging.DEBUG):
        wp_log.setLevel(logging.ERROR)
    try:
        document = weasyprint.HTML(string=source, url_fetcher=_refuse_fetch)
        data = document.write_pdf()
    except Exception as exc:
        raise ReportError(f"WeasyPrint could not render the report PDF: {exc}") from exc
    finally:
        wp_log.setLevel(level)
    if not isinstance(data, bytes):
        raise ReportError("WeasyPrint returned no PDF data")
    return data
