"""The root ``watchfloor`` group and what every command shares.

Every use case lives in :mod:`watchfloor.services`. Only this module turns WatchfloorError
into a message and exit status 1; a bad flag value (an unknown country code, a bad
``--every``) is a usage error, exit 2. Set WATCHFLOOR_DEBUG=1 for tracebacks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.console import Console

from watchfloor import __version__
from watchfloor.config import Settings, load_settings
from watchfloor.errors import ConfigError, WatchfloorError
from watchfloor.services.progress import Progress, ProgressCallback
from watchfloor.store.db import Store

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


class App:
    """What every command needs: settings and a store, built once per invocation."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.db)


class WatchfloorGroup(click.Group):
    """Maps our errors to clean messages, unless debugging."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WatchfloorError as exc:
            if os.environ.get("WATCHFLOOR_DEBUG") == "1":
                raise
            raise click.ClickException(str(exc)) from exc


# --- option values: a bad one is a usage error (exit 2) in every command -------------


def _country(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Validate --country: one code, or several (repeated or comma-separated)."""
    if value is None or value == ():
        return value
    try:
        from watchfloor.services.sources import country_codes

        codes = country_codes([value] if isinstance(value, str) else value)
    except WatchfloorError as exc:
        raise click.BadParameter(str(exc), ctx, param) from exc
    return codes[0] if isinstance(value, str) else codes


def _every(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from watchfloor.config import parse_duration

    if value is not None:
        try:
            parse_duration(value)
        except ConfigError as exc:
            raise click.BadParameter(str(exc), ctx, param) from exc
    return value


def _formats(settings: Settings, value: str | None) -> list[str]:
    from watchfloor.services.reports import choose_formats

    try:
        return choose_formats(settings, value)
    except WatchfloorError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from exc


@contextmanager
def _progress_bar(label: str, *, enabled: bool) -> Iterator[ProgressCallback]:
    """A rich progress bar on stderr, fed by a service's progress callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("{task.fields[stage]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
        disable=not (enabled and err.is_terminal),
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def update(step: Progress) -> None:
        if step.stage not in tasks:
            tasks[step.stage] = bar.add_task("", total=step.total, stage=step.stage or label)
        bar.update(tasks[step.stage], completed=step.done, description=step.message[:40])

    with bar:
        yield update


def _level(level: str, score: float | None, confidence: str | None = None) -> str:
    """A threat level for one line of output: "Guarded (31/100, low confidence)", or
    "insufficient data" with no score."""
    if score is None:
        return "insufficient data (no level, no score)"
    said = f"{score:.0f}/100" + (f", {confidence} confidence" if confidence else "")
    return f"{level} ({said})"


def _print_check(problems: tuple[str, ...]) -> None:
    if problems:
        err.print(f"[red]check: {len(problems)} problem(s)[/]")
        for problem in problems:
            err.print(f"  - {problem}")
    else:
        err.print(
            "[green]check: no uncited statement, no item outside the period, every "
            "hotspot placed, every annex entry cited[/]"
        )


@click.group(cls=WatchfloorGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="watchfloor")
@click.option(
    "--db",
    metavar="URL",
    help="Database: a SQLite path or URL, or postgresql://user@host/db "
    "[env WATCHFLOOR_DB; default sqlite:///./watchfloor.db].",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Settings file [env WATCHFLOOR_CONFIG; default ./watchfloor.toml if present].",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_file: str | None) -> None:
    """Collect open sources about countries and write grounded security reports.

    Start with 'watchfloor init', add sources, 'watchfloor collect', then
    'watchfloor report'. Every command takes -h.
    """
    try:
        settings = load_settings(config_file, overrides={"db": db})
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    ctx.obj = App(settings)


pass_app = click.make_pass_decorator(App)
country_option = click.option(
    "--country", "-c", callback=_country, help="Only this country (ISO 3166-1 alpha-2, e.g. MN)."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead.")


@cli.command()
@pass_app
def init(app: App) -> None:
    """Create the database or upgrade it to the newest schema (safe to repeat)."""
    before = app.store.revision()
    after = app.store.init()
    if before == after:
        err.print(f"database {app.store.safe_url} is up to date (schema {after})")
    else:
        err.print(f"database {app.store.safe_url} ready (schema {before or 'none'} → {after})")
