"""``watchfloor sources``: add, list, remove, import and export sources."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.table import Column, Table

from watchfloor.cli.app import (
    App,
    _country,
    _every,
    cli,
    country_option,
    err,
    json_option,
    out,
    pass_app,
)
from watchfloor.models.jsonable import dumps
from watchfloor.services import sources as source_service

# --- sources -------------------------------------------------------------------------


@cli.group()
def sources() -> None:
    """Add, list, remove, import and export sources."""


def _countries_option(text: str) -> Callable[[Any], Any]:
    return click.option("--country", "-c", "country", multiple=True, callback=_country, help=text)


def _every_option(text: str) -> Callable[[Any], Any]:
    return click.option("--every", default=None, callback=_every, help=text)


@sources.command("add")
@click.argument("url_or_path")
@_countries_option(
    "ISO 3166-1 alpha-2 code this source covers; repeat or comma-separate. "
    "Leave out for a world feed."
)
@click.option(
    "--kind",
    type=click.Choice(source_service.SOURCE_KINDS),
    default="feed",
    show_default=True,
    help="A news feed, a reference page whose versions are kept, or GDELT data.",
)
@click.option("--name", help="Display name (default: the host or file name).")
@_every_option("How often it is due, e.g. 30m, 2h, 1d.")
@click.option("--language", help="Language of the source if known (ISO 639-1).")
@pass_app
def sources_add(
    app: App,
    url_or_path: str,
    country: list[str],
    kind: str,
    name: str | None,
    every: str | None,
    language: str | None,
) -> None:
    """Add a feed, page or GDELT source by URL or local path (same URL: update it)."""
    added = source_service.add_source(
        app.settings,
        app.store,
        url_or_path,
        kind=kind,
        name=name,
        countries=country,
        every=every,
        language=language,
    )
    s = added.source
    err.print(
        f"{'added' if added.created else 'updated'} source {s.id}: {s.name} ({s.kind}) {s.url}"
    )


@sources.command("list")
@json_option
@country_option
@pass_app
def sources_list(app: App, as_json: bool, country: str | None) -> None:
    """List sources with their health: last success, failures in a row, next attempt."""
    found = source_service.list_sources(app.store, country=country)
    if as_json:
        click.echo(dumps([s.as_dict() for s in found]))
        return
    table = Table(
        "id",
        "name",
        Column("grade", no_wrap=True),
        "countries",
        "every",
        "last ok",
        "fails",
        "next try",
        Column("status", ratio=1),
    )
    for s in found:
        if s.last_error:
            status = s.last_error
        else:
            status = "never fetched" if s.last_fetched_at is None else str(s.last_status)
        table.add_row(
            str(s.id),
            f"{s.name} ({s.kind})" if s.kind != "feed" else s.name,
            s.reliability + (" official" if s.official else ""),
            ",".join(s.countries) or "world",
            _human_seconds(s.every_seconds),
            _when(s.last_success_at, "never"),
            str(s.consecutive_failures),
            _when(s.next_attempt_at, "now"),
            status[:60],
        )
    out.print(table)


def _when(value: datetime | None, missing: str) -> str:
    return value.strftime("%m-%d %H:%M") if value else missing


def _human_seconds(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@sources.command("rate")
@click.argument("source_id", type=int)
@click.argument("grade", type=click.Choice(["A", "B", "C", "D", "E", "F"], case_sensitive=False))
@click.option("--why", required=True, help="The reason, kept with the date in the history.")
@click.option(
    "--official/--no-official",
    default=None,
    help="Mark the source official (a ministry, an emergency agency) or not; "
    "unchanged when left out.",
)
@pass_app
def sources_rate(app: App, source_id: int, grade: str, why: str, official: bool | None) -> None:
    """Grade a source's reliability, A (completely reliable) to E, F (cannot be judged)."""
    rated = source_service.rate_source(app.store, source_id, grade, why=why, official=official)
    s = rated.source
    flag = ", official" if s.official else ""
    if rated.change is None:
        err.print(f"source {s.id}: {s.name} is already graded {s.reliability}{flag}")
    else:
        err.print(f"source {s.id}: {s.name} graded {s.reliability}{flag} ({rated.change.reason})")


@sources.command("grades")
@click.argument("source_id", type=int)
@json_option
@pass_app
def sources_grades(app: App, source_id: int, as_json: bool) -> None:
    """Show every change of a source's grade and official flag, with reason and date."""
    changes = source_service.grade_history(app.store, source_id)
    if as_json:
        click.echo(dumps([c.as_dict() for c in changes]))
        return
    table = Table("date", "grade", "official", "reason")
    for c in changes:
        table.add_row(
            c.changed_at.strftime("%Y-%m-%d %H:%M"),
            c.reliability,
            "yes" if c.official else "no",
            c.reason,
        )
    if not changes:
        err.print(f"source {source_id} has never been graded: its reliability is F")
    out.print(table)


@sources.command("remove")
@click.argument("source_id", type=int)
@pass_app
def sources_remove(app: App, source_id: int) -> None:
    """Remove a source; its articles stay in the store."""
    source = source_service.remove_source(app.store, source_id)
    err.print(f"removed source {source.id}: {source.name}")


@sources.command("import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@_countries_option("Country code(s) for every imported feed.")
@_every_option("How often they are due, e.g. 30m.")
@pass_app
def sources_import_opml(app: App, file: str, country: list[str], every: str | None) -> None:
    """Import feeds from an OPML file (the usual export of feed readers)."""
    done = source_service.import_opml(
        app.settings, app.store, Path(file).read_bytes(), countries=country, every=every
    )
    for url, why in done.skipped:
        err.print(f"[yellow]skipped[/] {url}: {why}")
    err.print(
        f"imported {done.added} new, {done.updated} updated, {len(done.skipped)} skipped "
        f"from {file}"
    )


@sources.command("export-opml")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file.")
@pass_app
def sources_export_opml(app: App, output: str | None) -> None:
    """Export feed sources as OPML 2.0."""
    exported = source_service.export_opml(app.store)
    if output:
        Path(output).write_text(exported.document, encoding="utf-8")
        err.print(f"wrote {exported.feeds} feeds to {output}")
    else:
        click.echo(exported.document)


@sources.command("load-defaults")
@click.option(
    "--country", "-c", default="MN", show_default=True, callback=_country, help="List to load."
)
@pass_app
def sources_load_defaults(app: App, country: str) -> None:
    """Add the curated default source list for a country (needs the network to collect)."""
    loaded = source_service.load_defaults(app.settings, app.store, country)
    err.print(f"loaded {len(loaded.sources)} default sources for {loaded.country}")
