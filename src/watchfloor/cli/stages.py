"""``collect``, ``enrich``, ``geoparse``, ``gazetteer``, ``reparse`` and ``demo``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.table import Table

from watchfloor.cli.app import (
    App,
    _level,
    _print_check,
    _progress_bar,
    cli,
    country_option,
    err,
    pass_app,
)
from watchfloor.services.collect import CollectResult
from watchfloor.services.enrich import EnrichResult

# --- collect, enrich -----------------------------------------------------------------


@cli.command()
@country_option
@click.option("--source", "source_id", type=int, help="Only this source (even if not due).")
@click.option("--force", is_flag=True, help="Fetch sources even if they are not due yet.")
@click.option(
    "--allow-private",
    is_flag=True,
    default=None,
    help="Allow hosts on loopback, private and link-local addresses.",
)
@click.option("--fulltext", is_flag=True, help="Also fetch each new article's page text.")
@click.option("--no-enrich", is_flag=True, help="Do not enrich new articles afterwards.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_app
def collect(
    app: App,
    country: str | None,
    source_id: int | None,
    force: bool,
    allow_private: bool | None,
    fulltext: bool,
    no_enrich: bool,
    as_json: bool,
) -> None:
    """Fetch every due source and store new articles; exit 1 if any source failed."""
    from watchfloor.services.collect import collect as run_collect

    with _progress_bar("collect", enabled=not as_json) as progress:
        result = run_collect(
            app.settings,
            app.store,
            country=country,
            source_id=source_id,
            force=force,
            allow_private=allow_private,
            fulltext=fulltext,
            progress=progress,
        )
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        _print_collect(result)
    if app.settings.collect.enrich and not no_enrich and result.new_article_ids:
        _enrich(app, redo=False, as_json=False)
    if result.failed:
        sys.exit(1)


def _print_collect(result: CollectResult) -> None:
    summary = result.summary
    if summary.resumed:
        err.print(f"finished {summary.resumed} document(s) left by an interrupted run")
    if not summary.sources:
        err.print("no source was due (use --force to fetch anyway)")
        return
    table = Table("id", "source", "new", "updated", "unchanged", "rejected", "result")
    for s in summary.sources:
        if s.error:
            state = f"[red]failed[/]: {s.error}"
        else:
            state = "not modified" if s.not_modified else "[green]ok[/]"
        counts = (s.new, s.updated, s.unchanged, s.rejected)
        table.add_row(str(s.source_id), s.name, *map(str, counts), state)
    t = summary.totals()
    table.add_section()
    counts = (t.new, t.updated, t.unchanged, t.rejected)
    table.add_row("", f"{t.sources} sources", *map(str, counts), f"{t.failed} failed")
    err.print(table)
    if summary.fulltext_fetched or summary.fulltext_failed:
        err.print(
            f"full text: {summary.fulltext_fetched} fetched, {summary.fulltext_failed} failed"
        )


def _enrich(app: App, *, redo: bool, as_json: bool) -> None:
    from watchfloor.services.enrich import enrich as run_enrich

    with _progress_bar("enrich", enabled=not as_json) as progress:
        result = run_enrich(app.settings, app.store, redo=redo, progress=progress)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        _print_enrich(result)


def _print_enrich(result: EnrichResult) -> None:
    table = Table("stage", "count")
    for stage, count in result.counts():
        table.add_row(stage, str(count))
    languages = ", ".join(f"{k} {v}" for k, v in sorted(result.languages.items()))
    table.add_row("languages", languages or "-")
    err.print(table)
    if result.failed:
        err.print(
            f"[yellow]{result.failed} article(s) failed[/]: see 'watchfloor rejects "
            "list --stage enrich'"
        )


@cli.command()
@click.option("--redo", is_flag=True, help="Recompute every article (after a model change).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_app
def enrich(app: App, redo: bool, as_json: bool) -> None:
    """Add language, entities, places, categories, clusters and dated events to articles.

    Only new and changed articles are processed unless --redo is given.
    """
    _enrich(app, redo=redo, as_json=as_json)


@cli.command()
@click.argument("input_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the JSONL results.",
)
def geoparse(input_file: str, out_file: str) -> None:
    """Find and resolve place names in a JSONL file of {"index", "text"} lines.

    Writes {"index", "places": [{"text", "start", "end", "lat", "lng", "name",
    "country", "feature"}]} per line; offsets in characters, end exclusive. It is the
    same code path as 'watchfloor enrich'.
    """
    from watchfloor.enrich.geoparse import geoparse_jsonl

    count = geoparse_jsonl(input_file, out_file)
    err.print(f"geoparsed {count} texts into {out_file}")


@cli.group()
def gazetteer() -> None:
    """The place-name index built from GeoNames and the curated supplement."""


@gazetteer.command("build")
@click.option("--if-missing", is_flag=True, help="Do nothing when a current index exists.")
def gazetteer_build(if_missing: bool) -> None:
    """Build the compact gazetteer index from the packaged data (no network).

    The index goes into the user data directory (WATCHFLOOR_DATA overrides it), never into
    the installed package.
    """
    import time

    from watchfloor.enrich.gazetteer import build_gazetteer, default_dir, load_gazetteer

    started = time.perf_counter()
    if if_missing:
        load_gazetteer()  # builds only when missing or outdated
        err.print(f"gazetteer ready in {default_dir()} ({time.perf_counter() - started:.1f} s)")
        return
    path = build_gazetteer()
    err.print(f"gazetteer built in {path} ({time.perf_counter() - started:.1f} s)")


@gazetteer.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the rows and errors as JSON.")
@pass_app
def gazetteer_check(app: App, file: str | None, as_json: bool) -> None:
    """Check a user gazetteer file: what each row does, and each row rejected.

    Without FILE, checks the file the [enrich.geoparse] user_gazetteer setting names
    (by default <data>/gazetteer/user.tsv). Rows are read as enrichment reads them, on
    top of the packaged index. Exits 1 when a row is rejected (the others still apply).
    """
    from watchfloor.enrich.gazetteer import open_gazetteer, user_gazetteer_path

    setting = app.settings.enrich.geoparse.user_gazetteer
    path = Path(file) if file else user_gazetteer_path(setting)
    if path is None:
        err.print(
            "no user gazetteer file: give FILE, or create <data>/gazetteer/user.tsv "
            "(see docs/geoparsing.md, 'Your own places')"
        )
        return
    user = open_gazetteer(user_file=path).user
    assert user is not None
    lines: list[tuple[int, str, str]] = [
        (row.line, "ok", row.describe(target)) for row, target in user.applied
    ]
    lines += [(e.line, "rejected", e.message) for e in user.rejects]
    lines.sort(key=lambda x: x[0])
    if as_json:
        rows = [{"line": n, "status": st, "what": what} for n, st, what in lines]
        click.echo(json.dumps({"file": str(path), "rows": rows}, indent=2, ensure_ascii=False))
    else:
        for n, status, what in lines:
            click.echo(f"{path}:{n}: {status}: {what}")
        err.print(f"{len(user.applied)} row(s) apply, {len(user.rejects)} rejected")
    if user.rejects:
        sys.exit(1)


@cli.command()
@click.option("--source", "source_id", type=int, help="Only this source's documents.")
@pass_app
def reparse(app: App, source_id: int | None) -> None:
    """Parse every stored raw document again (after a parser fix); nothing is fetched."""
    from watchfloor.services.collect import reparse as run_reparse

    _print_collect(run_reparse(app.store, source_id=source_id))


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="demo-out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the database and report.",
)
@pass_app
def demo(app: App, out_dir: str) -> None:
    """Run every stage on the bundled sample week, offline, into a fresh folder.

    The sample sources are fictional outlets' feeds about one week in Mongolia, written
    for watchfloor (see docs/demo.md). Uses OUT/watchfloor.db, not your --db.
    """
    from watchfloor.services.demo import demo_period, run_demo

    folder = Path(out_dir)
    period = demo_period()
    db_file = folder / "watchfloor.db"
    err.print(
        f"[bold]watchfloor demo[/]: {period.country}, {period.start} to {period.end}, "
        f"database {db_file}"
    )
    with _progress_bar("demo", enabled=True) as progress:
        done = run_demo(app.settings, folder, progress=progress)
    prepared, built = done.prepared, done.report
    _print_collect(prepared.collected)
    _print_enrich(prepared.enriched)
    err.print(
        f"{prepared.articles} articles stored, {prepared.rejects} rejects kept (watchfloor "
        f"--db sqlite:///{db_file} rejects list)"
    )
    for path in built.files:
        err.print(f"wrote {path}")
    r = built.report
    err.print(
        f"threat {_level(r.threat_level, r.threat.score, r.threat.confidence)}, "
        f"{len(r.key_developments)} developments, {len(r.hotspots)} hotspots, "
        f"{len(r.annex)} sources"
    )
    _print_check(built.problems or ())
    err.print(f"[bold]done[/]: output in {folder.resolve()}")
