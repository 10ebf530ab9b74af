"""``watchfloor worker`` and ``watchfloor scheduler``: the stages on Celery (docs/deploy.md)."""

from __future__ import annotations

import click

from watchfloor.cli.app import App, cli, err, pass_app

_QUEUES = ("collect", "enrich", "report")


def _queues(ctx: click.Context, param: click.Parameter, value: str) -> str:
    names = [q.strip() for q in value.split(",") if q.strip()]
    unknown = sorted(set(names) - set(_QUEUES))
    if not names or unknown:
        raise click.BadParameter(
            f"unknown queue(s) {', '.join(unknown) or '(none)'}: use {','.join(_QUEUES)}",
            ctx,
            param,
        )
    return ",".join(names)


def _celery(app: App):  # type: ignore[no-untyped-def]
    try:
        from watchfloor.workers.app import configure
    except ImportError as exc:  # pragma: no cover - the scale extra is missing
        raise click.ClickException(
            f"the workers need Celery and Redis: pip install 'watchfloor[scale]' ({exc})"
        ) from exc
    app.store.check_ready()
    return configure(app.settings)


@cli.command()
@click.option(
    "--queues",
    "-Q",
    default=",".join(_QUEUES),
    show_default=True,
    callback=_queues,
    help="Queues this worker takes, comma-separated.",
)
@click.option(
    "--concurrency",
    "-c",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Tasks run at once (processes).",
)
@click.option(
    "--pool",
    type=click.Choice(["prefork", "solo", "threads"]),
    default="prefork",
    show_default=True,
    help="How tasks run: child processes, in the worker process itself, or threads.",
)
@click.option("--name", "node", default="watchfloor@%h", show_default=True, help="Node name.")
@pass_app
def worker(app: App, queues: str, concurrency: int, pool: str, node: str) -> None:
    """Start a Celery worker that collects, enriches and writes reports from the broker.

    The broker is [broker] in the settings (WATCHFLOOR_BROKER, default
    redis://127.0.0.1:6379/0); the database is the one every worker shares.
    """
    celery = _celery(app)
    err.print(f"worker {node} on {app.settings.broker} ({queues}), database {app.store.safe_url}")
    celery.worker_main(
        [
            "worker",
            "--queues",
            queues,
            "--concurrency",
            str(concurrency),
            "--pool",
            pool,
            "--hostname",
            node,
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@cli.command()
@click.option(
    "--schedule-file",
    type=click.Path(dir_okay=False),
    help="Where beat keeps its last run times (default: <data dir>/celerybeat-schedule).",
)
@pass_app
def scheduler(app: App, schedule_file: str | None) -> None:
    """Run Celery beat: due sources dispatched every [schedule] collect_every, enrichment
    of what is new, and due reports of the watch list every check_every."""
    from watchfloor.config import data_dir
    from watchfloor.workers.app import beat_schedule

    celery = _celery(app)
    celery.conf.beat_schedule = beat_schedule(app.settings)
    path = schedule_file or str(data_dir() / "celerybeat-schedule")
    from pathlib import Path

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    err.print(f"scheduler on {app.settings.broker}, database {app.store.safe_url}")
    celery.Beat(schedule=path, loglevel="INFO").run()


@cli.command()
@click.option(
    "--days",
    type=click.IntRange(0),
    help="Keep this many days of raw responses (default [schedule] raw_retention_days).",
)
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@pass_app
def prune(app: App, days: int | None, dry_run: bool) -> None:
    """Remove raw responses older than the retention; articles and reports stay."""
    from watchfloor.services.floor import prune_raw

    done = prune_raw(app.settings, app.store, days=days, dry_run=dry_run)
    if done is None:
        err.print("raw responses are kept for ever (raw_retention_days = 0): nothing to do")
        return
    verb = "would remove" if done.dry_run else "removed"
    err.print(
        f"{verb} {done.documents} raw response(s), {done.bytes / 1e6:.1f} MB stored, "
        f"fetched before {done.before:%Y-%m-%d %H:%M} UTC"
    )
