"""The ``watchfloor`` command: wires settings, the store and the stages together.

Only this module turns WatchfloorError into a message and exit status 1; bad flags
exit 2 (click's usage errors). Set WATCHFLOOR_DEBUG=1 for tracebacks.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.table import Table

from watchfloor import __version__
from watchfloor.config import Settings, load_settings, parse_duration
from watchfloor.countries import countries, validate_country
from watchfloor.errors import ConfigError, SourceError, WatchfloorError
from watchfloor.store.db import Store

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
F = TypeVar("F", bound=Callable[..., Any])

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


class App:
    """What every command needs: settings and a store, built once per invocation."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.db)

    def ready_store(self) -> Store:
        self.store.check_ready()
        return self.store


class WatchfloorGroup(click.Group):
    """Maps our errors to clean messages, unless debugging."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WatchfloorError as exc:
            if os.environ.get("WATCHFLOOR_DEBUG") == "1":
                raise
            raise click.ClickException(str(exc)) from exc


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


# --- sources -------------------------------------------------------------------------


def _countries(values: tuple[str, ...]) -> list[str]:
    codes: list[str] = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                try:
                    code = validate_country(part)
                except SourceError as exc:
                    raise click.BadParameter(str(exc), param_hint="--country") from exc
                if code not in codes:
                    codes.append(code)
    return codes


def normalize_location(url_or_path: str) -> str:
    """An http(s) URL as given, a local path made absolute; anything else is refused."""
    parts = urlsplit(url_or_path)
    if parts.scheme in {"http", "https"}:
        if not parts.hostname:
            raise SourceError(f"{url_or_path!r} has no host name")
        return url_or_path
    if parts.scheme == "file":
        return str(Path(parts.path).resolve())
    if parts.scheme and len(parts.scheme) > 1:
        raise SourceError(
            f"{url_or_path!r}: only http, https and local paths are accepted, not {parts.scheme}:"
        )
    path = Path(url_or_path).expanduser()
    if not path.exists():
        raise SourceError(f"{url_or_path!r} is neither an http(s) URL nor an existing file")
    return str(path.resolve())


@cli.group()
def sources() -> None:
    """Add, list, remove, import and export sources."""


@sources.command("add")
@click.argument("url_or_path")
@click.option(
    "--country",
    "-c",
    "country",
    multiple=True,
    help="ISO 3166-1 alpha-2 code this source covers; repeat or comma-separate. "
    "Leave out for a world feed.",
)
@click.option(
    "--kind",
    type=click.Choice(["feed", "page", "gdelt"]),
    default="feed",
    show_default=True,
    help="A news feed, a reference page whose versions are kept, or GDELT data.",
)
@click.option("--name", help="Display name (default: the host or file name).")
@click.option("--every", default=None, help="How often it is due, e.g. 30m, 2h, 1d.")
@click.option("--language", help="Language of the source if known (ISO 639-1).")
@pass_app
def sources_add(
    app: App,
    url_or_path: str,
    country: tuple[str, ...],
    kind: str,
    name: str | None,
    every: str | None,
    language: str | None,
) -> None:
    """Add a feed, page or GDELT source by URL or local path (same URL: update it)."""
    from watchfloor.store import queries as q

    location = normalize_location(url_or_path)
    codes = _countries(country)
    try:
        every_seconds = parse_duration(every) if every else app.settings.collect.default_every
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    display = name or urlsplit(location).hostname or Path(location).name
    with app.ready_store().begin() as conn:
        source, created = q.add_source(
            conn,
            url=location,
            kind=kind,
            name=display,
            countries=codes,
            every_seconds=every_seconds,
            language=language,
        )
    verb = "added" if created else "updated"
    err.print(f"{verb} source {source.id}: {source.name} ({source.kind}) {source.url}")


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--country", "-c", help="Only sources covering this country.")
@pass_app
def sources_list(app: App, as_json: bool, country: str | None) -> None:
    """List sources with their last fetch result."""
    from watchfloor.store import queries as q

    with app.ready_store().connect() as conn:
        found = q.list_sources(conn, country=validate_country(country) if country else None)
    if as_json:
        click.echo(q.dumps([s.as_dict() for s in found]))
        return
    table = Table("id", "name", "kind", "countries", "every", "last fetch", "status")
    for s in found:
        status = "never" if s.last_fetched_at is None else (s.last_error or str(s.last_status))
        table.add_row(
            str(s.id),
            s.name,
            s.kind,
            ",".join(s.countries) or "world",
            _human_seconds(s.every_seconds),
            s.last_fetched_at.strftime("%Y-%m-%d %H:%M") if s.last_fetched_at else "-",
            status[:60],
        )
    out.print(table)


def _human_seconds(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@sources.command("remove")
@click.argument("source_id", type=int)
@pass_app
def sources_remove(app: App, source_id: int) -> None:
    """Remove a source; its articles stay in the store."""
    from watchfloor.store import queries as q

    with app.ready_store().begin() as conn:
        source = q.remove_source(conn, source_id)
    err.print(f"removed source {source.id}: {source.name}")


@sources.command("import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--country", "-c", multiple=True, help="Country code(s) for every imported feed.")
@click.option("--every", default=None, help="How often they are due, e.g. 30m.")
@pass_app
def sources_import_opml(app: App, file: str, country: tuple[str, ...], every: str | None) -> None:
    """Import feeds from an OPML file (the usual export of feed readers)."""
    from watchfloor.collect.opml import parse_opml
    from watchfloor.store import queries as q

    outlines = parse_opml(Path(file).read_bytes())
    codes = _countries(country)
    every_seconds = parse_duration(every) if every else app.settings.collect.default_every
    added = updated = skipped = 0
    with app.ready_store().begin() as conn:
        for entry in outlines:
            try:
                location = normalize_location(entry.xml_url)
            except SourceError as exc:
                err.print(f"[yellow]skipped[/] {entry.xml_url}: {exc}")
                skipped += 1
                continue
            # Our own export writes country codes as categories; honour them on re-import.
            found = codes or [c.upper() for c in entry.categories if c.upper() in countries()]
            _, created = q.add_source(
                conn,
                url=location,
                kind="feed",
                name=entry.title or urlsplit(location).hostname or location,
                countries=found,
                every_seconds=every_seconds,
                language=entry.language,
            )
            added += created
            updated += not created
    err.print(f"imported {added} new, {updated} updated, {skipped} skipped from {file}")


@sources.command("export-opml")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file.")
@pass_app
def sources_export_opml(app: App, output: str | None) -> None:
    """Export feed sources as OPML 2.0."""
    from watchfloor.collect.opml import OpmlOutline, render_opml
    from watchfloor.store import queries as q

    with app.ready_store().connect() as conn:
        found = [s for s in q.list_sources(conn) if s.kind == "feed"]
    entries = [
        OpmlOutline(xml_url=s.url, title=s.name, categories=list(s.countries), language=s.language)
        for s in found
    ]
    document = render_opml(entries, title="watchfloor sources")
    if output:
        Path(output).write_text(document, encoding="utf-8")
        err.print(f"wrote {len(entries)} feeds to {output}")
    else:
        click.echo(document)


@sources.command("load-defaults")
@click.option("--country", "-c", default="MN", show_default=True, help="Curated list to load.")
@pass_app
def sources_load_defaults(app: App, country: str) -> None:
    """Add the curated default source list for a country (needs the network to collect)."""
    from watchfloor.services.demo import default_sources
    from watchfloor.store import queries as q

    entries = default_sources(validate_country(country))
    with app.ready_store().begin() as conn:
        for entry in entries:
            q.add_source(
                conn,
                url=entry.url,
                kind=entry.kind,
                name=entry.name,
                countries=list(entry.countries),
                every_seconds=parse_duration(entry.every),
                language=entry.language,
            )
    err.print(f"loaded {len(entries)} default sources for {country.upper()}")


# --- collect -------------------------------------------------------------------------


@cli.command()
@click.option("--country", "-c", help="Only sources covering this country.")
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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from watchfloor.collect.run import collect as run_collect

    store = app.ready_store()
    code = validate_country(country) if country else None
    show = err.is_terminal and not as_json
    progress = Progress(
        TextColumn("collect"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
        disable=not show,
        transient=True,
    )
    task_ids: list[Any] = []

    def on_start(total: int) -> None:
        task_ids.append(progress.add_task("", total=total))

    def on_done(outcome: Any) -> None:
        progress.update(task_ids[0], advance=1, description=outcome.name[:40])

    with progress:
        summary = run_collect(
            store,
            app.settings,
            country=code,
            source_id=source_id,
            force=force,
            allow_private=allow_private,
            fulltext=fulltext,
            on_start=on_start,
            on_done=on_done,
        )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "totals": summary.totals(),
                    "resumed": summary.resumed,
                    "sources": [
                        {
                            "id": s.source_id,
                            "name": s.name,
                            "new": s.new,
                            "updated": s.updated,
                            "unchanged": s.unchanged,
                            "rejected": s.rejected,
                            "not_modified": s.not_modified,
                            "error": s.error,
                        }
                        for s in summary.sources
                    ],
                },
                indent=2,
            )
        )
    else:
        _print_collect_summary(summary)
    if app.settings.collect.enrich and not no_enrich and summary.new_article_ids:
        _maybe_enrich(app)
    if summary.failed:
        sys.exit(1)


def _print_collect_summary(summary: Any) -> None:
    if summary.resumed:
        err.print(f"finished {summary.resumed} document(s) left by an interrupted run")
    if not summary.sources:
        err.print("no source was due (use --force to fetch anyway)")
        return
    table = Table("id", "source", "new", "updated", "unchanged", "rejected", "result")
    for s in summary.sources:
        if s.error:
            result = f"[red]failed[/]: {s.error}"
        elif s.not_modified:
            result = "not modified"
        else:
            result = "[green]ok[/]"
        table.add_row(
            str(s.source_id),
            s.name,
            str(s.new),
            str(s.updated),
            str(s.unchanged),
            str(s.rejected),
            result,
        )
    t = summary.totals()
    table.add_section()
    table.add_row(
        "",
        f"{t['sources']} sources",
        str(t["new"]),
        str(t["updated"]),
        str(t["unchanged"]),
        str(t["rejected"]),
        f"{t['failed']} failed",
    )
    err.print(table)
    if summary.fulltext_fetched or summary.fulltext_failed:
        err.print(
            f"full text: {summary.fulltext_fetched} fetched, {summary.fulltext_failed} failed"
        )


def _maybe_enrich(app: App) -> None:
    """Enrich what collect brought in (collect --no-enrich skips this)."""
    _run_enrich(app, redo=False, as_json=False)


def _run_enrich(app: App, *, redo: bool, as_json: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from watchfloor.enrich.pipeline import Enricher
    from watchfloor.enrich.pipeline import enrich as run_enrich
    from watchfloor.enrich.resources import for_settings

    store = app.ready_store()
    progress = Progress(
        TextColumn("enrich"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        disable=not err.is_terminal or as_json,
        transient=True,
    )
    task: list[Any] = []
    with progress:
        summary = run_enrich(
            store,
            redo=redo,
            enricher=Enricher(for_settings(app.settings.enrich)),
            on_start=lambda n: task.append(progress.add_task("", total=n)),
            on_batch=lambda n: progress.update(task[0], advance=n),
        )
    totals = {
        "articles": summary.articles,
        "failed": summary.failed,
        "entities": summary.entities,
        "places": summary.places,
        "categories": summary.categories,
        "dated_events": summary.dated_events,
        "clusters_touched": summary.clusters_touched,
        "languages": summary.languages,
    }
    if as_json:
        click.echo(json.dumps(totals, indent=2))
        return
    table = Table("stage", "count")
    for key, value in totals.items():
        if key != "languages":
            table.add_row(key.replace("_", " "), str(value))
    languages = ", ".join(f"{k} {v}" for k, v in sorted(summary.languages.items()))
    table.add_row("languages", languages or "-")
    err.print(table)
    if summary.failed:
        err.print(
            f"[yellow]{summary.failed} article(s) failed[/]: see 'watchfloor rejects "
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
    _run_enrich(app, redo=redo, as_json=as_json)


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
    """Build the compact gazetteer index from the packaged data (no network)."""
    import time

    from watchfloor.enrich.gazetteer import build_gazetteer, default_dir, load_gazetteer

    started = time.perf_counter()
    if if_missing:
        load_gazetteer()  # builds only when missing or outdated
        err.print(f"gazetteer ready in {default_dir()} ({time.perf_counter() - started:.1f} s)")
        return
    path = build_gazetteer()
    err.print(f"gazetteer built in {path} ({time.perf_counter() - started:.1f} s)")


@cli.command()
@click.option("--source", "source_id", type=int, help="Only this source's documents.")
@pass_app
def reparse(app: App, source_id: int | None) -> None:
    """Parse every stored raw document again (after a parser fix); nothing is fetched."""
    from watchfloor.collect.run import reparse as run_reparse

    summary = run_reparse(app.ready_store(), source_id=source_id)
    _print_collect_summary(summary)


# --- pages ---------------------------------------------------------------------------


@cli.group()
def pages() -> None:
    """Reference pages: their versions and what changed."""


@pages.command("list")
@click.argument("source_id", type=int)
@pass_app
def pages_list(app: App, source_id: int) -> None:
    """List the stored versions of a page source."""
    from watchfloor.store import queries as q

    with app.ready_store().connect() as conn:
        source = q.get_source(conn, source_id)
        versions = q.page_versions_of(conn, source_id)
    table = Table("version", "fetched", "page date", "characters", "title")
    for v in versions:
        table.add_row(
            str(v.version),
            v.fetched_at.strftime("%Y-%m-%d %H:%M"),
            v.page_date.strftime("%Y-%m-%d") if v.page_date else "-",
            str(len(v.text)),
            v.title,
        )
    err.print(f"{source.name} ({source.url})")
    out.print(table)


@pages.command("diff")
@click.argument("source_id", type=int)
@click.option("--from", "from_version", type=int, help="Older version (default: previous).")
@click.option("--to", "to_version", type=int, help="Newer version (default: latest).")
@pass_app
def pages_diff(app: App, source_id: int, from_version: int | None, to_version: int | None) -> None:
    """Show what changed between two versions of a reference page."""
    from watchfloor.collect.pages import diff_pages
    from watchfloor.store import queries as q

    with app.ready_store().connect() as conn:
        source = q.get_source(conn, source_id)
        versions = {v.version: v for v in q.page_versions_of(conn, source_id)}
    if source.kind != "page":
        raise SourceError(f"source {source_id} is a {source.kind}, not a page")
    if len(versions) < 2:
        raise SourceError(
            f"source {source_id} has {len(versions)} version(s); a diff needs two "
            "(collect again after the page changes)"
        )
    newest = max(versions)
    new_v = to_version or newest
    old_v = from_version or max(v for v in versions if v < new_v)
    if old_v not in versions or new_v not in versions:
        raise SourceError(f"versions available: {', '.join(map(str, sorted(versions)))}")
    old, new = versions[old_v], versions[new_v]
    diff = diff_pages(old.text, new.text)
    err.print(
        f"{source.name}: version {old_v} ({old.fetched_at:%Y-%m-%d}) → "
        f"version {new_v} ({new.fetched_at:%Y-%m-%d}): {diff.summary()}"
    )
    click.echo(diff.render())


@pages.command("import")
@click.argument("source_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--captured-at",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d"]),
    help="When the capture was taken, e.g. 2026-04-20T06:00:00+00:00 (a date means 00:00 UTC).",
)
@pass_app
def pages_import(app: App, source_id: int, file: str, captured_at: Any) -> None:
    """Add an archived capture of a page (e.g. a saved copy) as the version of that time."""
    from datetime import UTC

    from watchfloor.collect.run import import_snapshot

    when = captured_at if captured_at.tzinfo else captured_at.replace(tzinfo=UTC)
    outcome = import_snapshot(app.ready_store(), source_id, file, captured_at=when)
    if outcome.error:
        raise SourceError(f"{file}: {outcome.error}")
    state = "new version" if (outcome.new or outcome.updated) else "unchanged, no new version"
    err.print(f"{file} captured {when:%Y-%m-%d %H:%M} UTC: {state}")


# --- reports -------------------------------------------------------------------------


def _formats(value: str | None, app: App) -> list[str]:
    from watchfloor.report.render import parse_formats

    try:
        return parse_formats(value if value else list(app.settings.report.formats))
    except WatchfloorError as exc:
        raise click.BadParameter(str(exc), param_hint="--format") from exc


def _print_check(problems: list[str]) -> None:
    if problems:
        err.print(f"[red]check: {len(problems)} problem(s)[/]")
        for problem in problems:
            err.print(f"  - {problem}")
    else:
        err.print(
            "[green]check: no uncited statement, no item outside the period, every "
            "hotspot placed, every annex entry cited[/]"
        )


@cli.command()
@click.option("--country", "-c", required=True, help="ISO 3166-1 alpha-2 code, e.g. MN.")
@click.option(
    "--from",
    "start",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="First day of the period (UTC, inclusive).",
)
@click.option(
    "--to",
    "end",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Last day of the period (UTC, inclusive).",
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
@pass_app
def report(
    app: App,
    country: str,
    start: Any,
    end: Any,
    backend: str | None,
    out_dir: str,
    formats: str | None,
    check: bool,
) -> None:
    """Write the country security report for a period, from the enriched store."""
    from watchfloor.analyze.quality import check_report
    from watchfloor.report.build import build_report, render_files, store_report

    code = validate_country(country)
    first, last = start.date(), end.date()
    if last < first:
        raise click.BadParameter(f"--to {last} is before --from {first}", param_hint="--to")
    chosen = _formats(formats, app)
    store = app.ready_store()
    built = build_report(
        store,
        country=code,
        start=first,
        end=last,
        backend=backend or app.settings.report.backend,
        analyze=app.settings.analyze,
    )
    with store.begin() as conn:
        report_id = store_report(conn, built)
    for path in render_files(built, Path(out_dir), chosen):
        err.print(f"wrote {path}")
    err.print(
        f"report {report_id}: {built.country_name}, {first} to {last}: threat "
        f"{built.threat_level} ({built.threat.score:.0f}/100), "
        f"{len(built.key_developments)} developments, {len(built.annex)} sources"
    )
    if check:
        problems = check_report(built, start=first, end=last)
        _print_check(problems)
        if problems:
            sys.exit(1)


@cli.group()
def reports() -> None:
    """Stored reports: list them and render them again."""


@reports.command("list")
@click.option("--country", "-c", help="Only this country's reports.")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def reports_list(app: App, country: str | None, as_json: bool) -> None:
    """List stored reports, newest first."""
    import dataclasses

    from watchfloor.report.build import list_reports
    from watchfloor.store import queries as q

    with app.ready_store().connect() as conn:
        found = list_reports(conn, country=validate_country(country) if country else None)
    if as_json:
        click.echo(q.dumps([dataclasses.asdict(r) for r in found]))
        return
    table = Table("id", "country", "period", "generated", "threat", "articles", "backend")
    for r in found:
        table.add_row(
            str(r.id),
            r.country,
            f"{r.period_start} – {r.period_end}",
            r.generated_at.strftime("%Y-%m-%d %H:%M"),
            f"{r.threat_level} ({r.threat_score:.0f})",
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
@pass_app
def reports_show(app: App, report_id: int, formats: str | None, out_dir: str | None) -> None:
    """Render a stored report again, exactly as it was built."""
    from watchfloor.report.build import get_report, render_files
    from watchfloor.report.render import render

    with app.ready_store().connect() as conn:
        stored = get_report(conn, report_id)
    if out_dir is None:
        chosen = _formats(formats or "md", app)
        if len(chosen) != 1 or chosen[0] == "pdf":
            raise click.BadParameter("without --out give one text format", param_hint="--format")
        click.echo(render(stored, chosen[0]).decode("utf-8"))
        return
    for path in render_files(stored, Path(out_dir), _formats(formats, app)):
        err.print(f"wrote {path}")


@cli.group()
def schema() -> None:
    """Print published JSON Schemas."""


@schema.command("report")
def schema_report() -> None:
    """Print the JSON Schema that report.json validates against."""
    from watchfloor.models.report import report_json_schema

    click.echo(json.dumps(report_json_schema(), indent=2))


@cli.command("backends")
def backends_command() -> None:
    """List the analyst backends that can write reports."""
    from watchfloor.backends.registry import backends

    for name, backend in sorted(backends().items()):
        key = " (needs an API key)" if backend.needs_key else ""
        click.echo(f"{name}{key}")


# --- demo ----------------------------------------------------------------------------


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
    from watchfloor.collect.run import collect as run_collect
    from watchfloor.collect.run import import_snapshot
    from watchfloor.services.demo import demo_period, demo_sources
    from watchfloor.store import queries as q

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    db_file = folder / "watchfloor.db"
    for leftover in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
        leftover.unlink(missing_ok=True)
    app.settings = load_settings(app.settings.config_file, overrides={"db": f"sqlite:///{db_file}"})
    app.store = Store(app.settings.db)
    store = app.store
    store.init()
    period = demo_period()
    err.print(
        f"[bold]watchfloor demo[/]: {period.country}, {period.start} to {period.end}, "
        f"database {db_file}"
    )
    with store.begin() as conn:
        added = []
        for source in demo_sources():
            row, _ = q.add_source(
                conn,
                url=str(source.path),
                kind=source.kind,
                name=source.name,
                countries=list(source.countries),
                every_seconds=app.settings.collect.default_every,
                language=source.language,
            )
            added.append((row, source))
    for row, source in added:
        for version in source.versions[:-1]:
            import_snapshot(store, row.id, str(version.path), captured_at=version.captured_at)
        if source.versions:
            newest = source.versions[-1]
            import_snapshot(store, row.id, str(newest.path), captured_at=newest.captured_at)
    summary = run_collect(store, app.settings, force=True)
    _print_collect_summary(summary)
    _run_enrich(app, redo=False, as_json=False)
    with store.connect() as conn:
        n_articles = q.count_rows(conn, "articles")
        n_rejects = len(q.list_rejects(conn))
    err.print(
        f"{n_articles} articles stored, {n_rejects} rejects kept (watchfloor --db "
        f"sqlite:///{db_file} rejects list)"
    )
    _demo_report(app, folder, period)
    err.print(f"[bold]done[/]: output in {folder.resolve()}")


def _demo_report(app: App, folder: Path, period: Any) -> None:
    """Write and check the demo week's report in every format."""
    from watchfloor.analyze.quality import check_report
    from watchfloor.report.build import build_report, render_files, store_report

    store = app.ready_store()
    built = build_report(
        store,
        country=period.country,
        start=period.start,
        end=period.end,
        backend=app.settings.report.backend,
        analyze=app.settings.analyze,
    )
    with store.begin() as conn:
        store_report(conn, built)
    for path in render_files(built, folder, ["md", "html", "json", "geojson", "pdf", "stix"]):
        err.print(f"wrote {path}")
    err.print(
        f"threat {built.threat_level} ({built.threat.score:.0f}/100), "
        f"{len(built.key_developments)} developments, {len(built.hotspots)} hotspots, "
        f"{len(built.annex)} sources"
    )
    _print_check(check_report(built, start=period.start, end=period.end))


# --- rejects, articles ---------------------------------------------------------------


@cli.group()
def rejects() -> None:
    """What any stage refused, and why."""


@rejects.command("list")
@click.option("--stage", help="Only this stage (fetch, parse, item, page, fulltext, enrich).")
@click.option("--source", "source_id", type=int, help="Only this source.")
@click.option("--all", "include_resolved", is_flag=True, help="Include resolved rejects.")
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def rejects_list(
    app: App,
    stage: str | None,
    source_id: int | None,
    include_resolved: bool,
    limit: int,
    as_json: bool,
) -> None:
    """List rejected feeds, items and pages, newest first."""
    from watchfloor.store import queries as q

    with app.ready_store().connect() as conn:
        found = q.list_rejects(
            conn,
            stage=stage,
            source_id=source_id,
            include_resolved=include_resolved,
            limit=limit,
        )
    if as_json:
        click.echo(q.dumps(found))
        return
    table = Table("id", "when", "stage", "source", "error", "raw")
    for r in found:
        table.add_row(
            str(r["id"]),
            r["created_at"].strftime("%Y-%m-%d %H:%M"),
            r["stage"],
            r["source_name"] or "-",
            r["error"][:90],
            str(r["raw_id"] or "-"),
        )
    out.print(table)
    if not found:
        err.print("no rejects")


@cli.group()
def articles() -> None:
    """Look at stored articles."""


@articles.command("list")
@click.option("--limit", default=20, show_default=True)
@click.option("--source", "source_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def articles_list(app: App, limit: int, source_id: int | None, as_json: bool) -> None:
    """List the newest articles."""
    from watchfloor.store import queries as q

    with app.ready_store().connect() as conn:
        found = q.list_articles(conn, limit=limit, source_id=source_id)
    _print_articles(found, as_json)


@articles.command("search")
@click.argument("query")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def articles_search(app: App, query: str, limit: int, as_json: bool) -> None:
    """Full-text search over titles, summaries and text."""
    from watchfloor.store import queries as q

    with app.ready_store().connect() as conn:
        found = q.search_articles(conn, query, limit=limit)
    _print_articles(found, as_json)


def _print_articles(found: list[dict[str, Any]], as_json: bool) -> None:
    from watchfloor.store import queries as q

    if as_json:
        click.echo(q.dumps(found))
        return
    table = Table("id", "published", "title", "url")
    for a in found:
        table.add_row(
            str(a["id"]),
            a["published_at"].strftime("%Y-%m-%d %H:%M"),
            a["title"][:70],
            (a["url"] or "")[:60],
        )
    out.print(table)


def main() -> None:
    """Entry point of the ``watchfloor`` script."""
    cli(prog_name="watchfloor")


if __name__ == "__main__":
    main()
