"""``pages``, ``rejects`` and ``articles``: looking at what came in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import click
from rich.table import Table

from watchfloor.cli.app import (
    App,
    cli,
    err,
    json_option,
    out,
    pass_app,
)
from watchfloor.models.jsonable import dumps
from watchfloor.services import browse
from watchfloor.services import pages as page_service
from watchfloor.store.queries import Article, ArticleHit

# --- pages ---------------------------------------------------------------------------


@cli.group()
def pages() -> None:
    """Reference pages: their versions and what changed."""


@pages.command("list")
@click.argument("source_id", type=int)
@pass_app
def pages_list(app: App, source_id: int) -> None:
    """List the stored versions of a page source."""
    page = page_service.versions(app.store, source_id)
    table = Table("version", "fetched", "page date", "characters", "title")
    for v in page.versions:
        table.add_row(
            str(v.version),
            v.fetched_at.strftime("%Y-%m-%d %H:%M"),
            v.page_date.strftime("%Y-%m-%d") if v.page_date else "-",
            str(len(v.text)),
            v.title,
        )
    err.print(f"{page.source.name} ({page.source.url})")
    out.print(table)


@pages.command("diff")
@click.argument("source_id", type=int)
@click.option("--from", "from_version", type=int, help="Older version (default: previous).")
@click.option("--to", "to_version", type=int, help="Newer version (default: latest).")
@pass_app
def pages_diff(app: App, source_id: int, from_version: int | None, to_version: int | None) -> None:
    """Show what changed between two versions of a reference page."""
    change = page_service.diff(
        app.store, source_id, from_version=from_version, to_version=to_version
    )
    old, new = change.old, change.new
    err.print(
        f"{change.source.name}: version {old.version} ({old.fetched_at:%Y-%m-%d}) → "
        f"version {new.version} ({new.fetched_at:%Y-%m-%d}): {change.diff.summary()}"
    )
    click.echo(change.diff.render())


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
def pages_import(app: App, source_id: int, file: str, captured_at: datetime) -> None:
    """Add an archived capture of a page (e.g. a saved copy) as the version of that time."""
    done = page_service.import_capture(app.store, source_id, file, captured_at=captured_at)
    state = "new version" if done.new_version else "unchanged, no new version"
    err.print(f"{file} captured {done.captured_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC: {state}")


# --- rejects, articles ---------------------------------------------------------------


@cli.group()
def rejects() -> None:
    """What any stage refused, and why."""


@rejects.command("list")
@click.option("--stage", help="Only this stage (fetch, parse, item, page, fulltext, enrich).")
@click.option("--source", "source_id", type=int, help="Only this source.")
@click.option("--all", "include_resolved", is_flag=True, help="Include resolved rejects.")
@click.option("--limit", default=100, show_default=True, help="At most this many.")
@json_option
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
    found = browse.list_rejects(
        app.store,
        stage=stage,
        source_id=source_id,
        include_resolved=include_resolved,
        limit=limit,
    )
    if as_json:
        click.echo(dumps(found))
        return
    table = Table("id", "when", "stage", "source", "error", "raw")
    for r in found:
        table.add_row(
            str(r.id),
            r.created_at.strftime("%Y-%m-%d %H:%M"),
            r.stage,
            r.source_name or "-",
            r.error[:90],
            str(r.raw_id or "-"),
        )
    out.print(table)
    if not found:
        err.print("no rejects")


@cli.group()
def articles() -> None:
    """Look at stored articles."""


@articles.command("list")
@click.option("--limit", default=20, show_default=True, help="At most this many.")
@click.option("--source", "source_id", type=int, help="Only this source.")
@json_option
@pass_app
def articles_list(app: App, limit: int, source_id: int | None, as_json: bool) -> None:
    """List the newest articles."""
    _print_articles(browse.list_articles(app.store, limit=limit, source_id=source_id), as_json)


@articles.command("search")
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="At most this many.")
@json_option
@pass_app
def articles_search(app: App, query: str, limit: int, as_json: bool) -> None:
    """Full-text search over titles, summaries and text."""
    _print_articles(browse.search_articles(app.store, query, limit=limit), as_json)


def _print_articles(found: Sequence[Article | ArticleHit], as_json: bool) -> None:
    if as_json:
        click.echo(dumps(found))
        return
    table = Table("id", "published", "title", "url")
    for a in found:
        table.add_row(
            str(a.id),
            a.published_at.strftime("%Y-%m-%d %H:%M"),
            a.title[:70],
            (a.url or "")[:60],
        )
    out.print(table)
