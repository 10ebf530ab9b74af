"""``report``, ``reports``, ``schema`` and ``backends``."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click
from rich.table import Table

from watchfloor.cli.app import (
    App,
    _country,
    _formats,
    _level,
    _print_check,
    cli,
    country_option,
    err,
    json_option,
    out,
    pass_app,
)
from watchfloor.models.jsonable import dumps
from watchfloor.services import reports as report_service

# --- reports -------------------------------------------------------------------------


@cli.command()
@click.option(
    "--country",
    "-c",
    required=True,
    callback=_country,
    help="ISO 3166-1 alpha-2 code, e.g. MN.",
)
@click.option(
    "--from",
    "start",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="First day of the period (in --timezone, inclusive).",
)
@click.option(
    "--to",
    "end",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Last day of the period (in --timezone, inclusive).",
)
@click.option("--backend", default=None, help="Analyst backend [default: extractive].")
@click.option(
    "--out",
    "out_dir",
    default="report",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the files.",
)
@click.option(
    "--format",
    "formats",
    default=None,
    help="Comma-separated: md,html,json,geojson,pdf,stix or all [default: md,html,json,geojson].",
)
@click.option(
    "--check",
    is_flag=True,
    help="Also list uncited statements, items outside the period, hotspots "
    "without coordinates and uncited annex entries; exit 1 if any.",
)
@click.option(
    "--timezone",
    "timezone",
    default=None,
    help="IANA time zone of the period's days [default: the country's main zone].",
)
@click.option(
    "--max-developments",
    type=click.IntRange(min=1),
    default=None,
    help="Key developments kept, most significant first [default: 15, "
    "[analyze.developments] max_developments].",
)
@click.option(
    "--include",
    "include",
    multiple=True,
    type=int,
    help="Article id whose story the analyst pins into the key developments (repeatable).",
)
@click.option(
    "--exclude",
    "exclude",
    multiple=True,
    type=int,
    help="Article id whose story the analyst pins out of the report (repeatable).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Print every article of the period left out of the key developments, with why.",
)
@click.option(
    "--fallback",
    is_flag=True,
    help="If the --backend model endpoint cannot be reached, write the whole report with "
    "the extractive analyst instead, with a warning in the report.",
)
@pass_app
def report(
    app: App,
    country: str,
    start: datetime,
    end: datetime,
    backend: str | None,
    out_dir: str,
    formats: str | None,
    check: bool,
    timezone: str | None,
    max_developments: int | None,
    include: tuple[int, ...],
    exclude: tuple[int, ...],
    explain: bool,
    fallback: bool,
) -> None:
    """Write the country security report for a period, from the enriched store."""
    first, last = start.date(), end.date()
    if last < first:
        raise click.BadParameter(f"--to {last} is before --from {first}", param_hint="--to")
    built = report_service.build_and_store(
        app.settings,
        app.store,
        country=country,
        start=first,
        end=last,
        backend=backend,
        out_dir=Path(out_dir),
        formats=_formats(app.settings, formats),
        run_check=check,
        timezone=timezone,
        include=include,
        exclude=exclude,
        max_developments=max_developments,
        fallback=fallback,
    )
    for path in built.files:
        err.print(f"wrote {path}")
    r = built.report
    err.print(
        f"report {built.id}: {r.country_name}, {first} to {last}: threat "
        f"{_level(r.threat_level, r.threat.score, r.threat.confidence)}, "
        f"{len(r.key_developments)} developments, {len(r.also_reported)} also reported, "
        f"{len(r.annex)} sources ({r.period.timezone})"
    )
    if explain:
        click.echo(report_service.explain(r))
    if built.problems is not None:
        _print_check(built.problems)
        if built.problems:
            sys.exit(1)


@cli.group()
def reports() -> None:
    """Stored reports: list them and render them again."""


@reports.command("list")
@country_option
@json_option
@pass_app
def reports_list(app: App, country: str | None, as_json: bool) -> None:
    """List stored reports, newest first."""
    import dataclasses

    found = report_service.list_reports(app.store, country=country)
    if as_json:
        click.echo(dumps([dataclasses.asdict(r) for r in found]))
        return
    table = Table("id", "country", "period", "generated", "threat", "articles", "backend")
    for r in found:
        table.add_row(
            str(r.id),
            r.country,
            f"{r.period_start} – {r.period_end}",
            r.generated_at.strftime("%Y-%m-%d %H:%M"),
            _level(r.threat_level, r.threat_score),
            str(r.articles),
            r.backend,
        )
    out.print(table)


@reports.command("show")
@click.argument("report_id", type=int)
@click.option("--format", "formats", default=None, help="Formats to write (see report).")
@click.option(
    "--out",
    "out_dir",
    default=None,
    type=click.Path(file_okay=False),
    help="Write files here; without it, print the Markdown.",
)
@click.option(
    "--excluded",
    is_flag=True,
    help="Print the articles left out of the key developments, with why, instead.",
)
@pass_app
def reports_show(
    app: App, report_id: int, formats: str | None, out_dir: str | None, excluded: bool
) -> None:
    """Render a stored report again, exactly as it was built."""
    stored = report_service.get(app.store, report_id)
    if excluded:
        click.echo(report_service.explain(stored))
        return
    if out_dir is None:
        chosen = _formats(app.settings, formats or "md")
        if len(chosen) != 1 or chosen[0] == "pdf":
            raise click.BadParameter("without --out give one text format", param_hint="--format")
        click.echo(report_service.render_text(stored, chosen[0]))
        return
    for path in report_service.write(stored, Path(out_dir), _formats(app.settings, formats)):
        err.print(f"wrote {path}")


@cli.group()
def schema() -> None:
    """Print published JSON Schemas."""


@schema.command("report")
def schema_report() -> None:
    """Print the JSON Schema that report.json validates against."""
    from watchfloor.models.report import report_json_schema

    click.echo(json.dumps(report_json_schema(), indent=2))


@cli.group("backends", invoke_without_command=True)
@pass_app
@click.pass_context
def backends_command(ctx: click.Context, app: App) -> None:
    """List the analyst backends that can write reports, with their settings."""
    if ctx.invoked_subcommand is not None:
        return
    from watchfloor.backends.registry import backends

    for name, backend in sorted(backends().items()):
        configured = backend.configure(app.settings.backends)
        kind = "writes with a model" if backend.writes else "extractive"
        click.echo(f"{name}\t{kind}: {backend.description}")
        for key, value in configured.settings_view().items():
            click.echo(f"    {key} = {value}")


@backends_command.command("check")
@click.argument("name")
@pass_app
def backends_check(app: App, name: str) -> None:
    """Tell whether backend NAME can be used now (for a model: is its endpoint reachable)."""
    from watchfloor.backends.registry import get_backend
    from watchfloor.errors import BackendError

    backend = get_backend(name, app.settings.backends)
    try:
        click.echo(f"{name}: {backend.check()}")
    except BackendError as exc:
        err.print(f"{name}: {exc}")
        sys.exit(1)
