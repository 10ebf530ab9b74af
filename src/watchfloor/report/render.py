"""Render a :class:`~watchfloor.models.report.Report` in every output format.

    render(report, "html")  -> bytes of report.html
    write_report(report, out_dir, ["md", "html", "json", "geojson"]) -> written paths

Each format lives in its own module; the heavy ones (PDF through WeasyPrint, STIX through
stix2) are imported only when asked for.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from watchfloor.errors import ReportError
from watchfloor.models.report import Report

__all__ = [
    "DEFAULT_FORMATS",
    "FILENAMES",
    "FORMATS",
    "parse_formats",
    "render",
    "write_report",
]

FILENAMES = {
    "md": "report.md",
    "html": "report.html",
    "json": "report.json",
    "geojson": "hotspots.geojson",
    "pdf": "report.pdf",
    "stix": "report.stix.json",
}
FORMATS: tuple[str, ...] = tuple(FILENAMES)
DEFAULT_FORMATS: tuple[str, ...] = ("md", "html", "json", "geojson")


def _markdown(report: Report) -> bytes:
    from watchfloor.report.markdown import render_markdown

    return render_markdown(report).encode("utf-8")


def _html(report: Report) -> bytes:
    from watchfloor.report.html import render_html

    return render_html(report).encode("utf-8")


def _json(report: Report) -> bytes:
    return (report.model_dump_json(indent=2) + "\n").encode("utf-8")


def _geojson(report: Report) -> bytes:
    from watchfloor.report.geojson import render_geojson

    return render_geojson(report).encode("utf-8")


def _pdf(report: Report) -> bytes:
    from watchfloor.report.pdf import render_pdf

    return render_pdf(report)


def _stix(report: Report) -> bytes:
    from watchfloor.report.stix import render_stix

    return render_stix(report).encode("utf-8")


_RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "md": _markdown,
    "html": _html,
    "json": _json,
    "geojson": _geojson,
    "pdf": _pdf,
    "stix": _stix,
}


def _unknown(fmt: str) -> ReportError:
    return ReportError(f"unknown report format {fmt!r}; known formats: {', '.join(FORMATS)}")


def render(report: Report, fmt: str) -> bytes:
    """Render a report in one format and return the file's bytes.

    Args:
        report: the report to render.
        fmt: one of :data:`FORMATS` (``md``, ``html``, ``json``, ``geojson``, ``pdf``,
            ``stix``); the file name to use is ``FILENAMES[fmt]``.

    Raises:
        ReportError: for an unknown format (the message lists the known ones) or when a
            renderer fails.
    """
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        raise _unknown(fmt)
    return renderer(report)


def parse_formats(spec: str | Iterable[str]) -> list[str]:
    """Turn ``"md,html"`` (or a list) into a de-duplicated list of known formats.

    ``all`` stands for every format. Raises ReportError naming an unknown one.
    """
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        names = list(FORMATS) if item == "all" else [item]
        for name in names:
            if name not in FILENAMES:
                raise _unknown(name)
            if name not in out:
                out.append(name)
    if not out:
        raise ReportError(f"no report format given; known formats: {', '.join(FORMATS)}")
    return out


def write_report(
    report: Report, out_dir: Path, formats: Iterable[str] = DEFAULT_FORMATS
) -> list[Path]:
    """Render the report in each format and write the files into ``out_dir``.

    Every format is rendered before anything is written, and each file is written through
    a temporary name, so a failure leaves no half-written report behind.

    Raises:
        ReportError: for an unknown format, a failing renderer or an unwritable folder.
    """
    names = parse_formats(list(formats))
    rendered = {fmt: render(report, fmt) for fmt in names}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for fmt, data in rendered.items():
            path = out_dir / FILENAMES[fmt]
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(data)
            os.replace(tmp, path)
            paths.append(path)
    except OSError as exc:
        raise ReportError(f"cannot write the report into {out_dir}: {exc}") from exc
    return paths
