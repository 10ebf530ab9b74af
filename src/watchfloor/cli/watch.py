"""``watchfloor watch`` (watched countries and their alerts) and ``watchfloor run``."""

from __future__ import annotations

import click
from rich.table import Table

from watchfloor.cli.app import App, _country, _every, cli, err, json_option, out, pass_app
from watchfloor.errors import WatchError
from watchfloor.models.jsonable import dumps


@cli.group()
def watch() -> None:
    """Watched countries: each one's report written on its own schedule, with alerts."""


@watch.command("add")
@click.argument("country", callback=_country)
@click.option(
    "--report",
    "cron",
    required=True,
    metavar="CRON",
    help='Five cron fields in the watch time zone, e.g. "0 6 * * FRI".',
)
@click.option(
    "--timezone",
    metavar="ZONE",
    help="IANA time zone of the schedule and of the report's days (default: the country's).",
)
@pass_app
def watch_add(app: App, country: str, cron: str, timezone: str | None) -> None:
    """Watch a country: write its seven-day report on a cron schedule (again: change it)."""
    from watchfloor.services.watch import add_watch

    try:
        added = add_watch(app.settings, app.store, country, cron=cron, timezone=timezone)
    except WatchError as exc:
        raise click.BadParameter(str(exc)) from exc
    w = added.watch
    err.print(
        f"{'watching' if added.created else 'rescheduled'} {w.country}: report "
        f'"{w.cron}" in {w.timezone}; next {added.next_fire:%Y-%m-%d %H:%M} UTC'
    )


@watch.command("list")
@json_option
@pass_app
def watch_list(app: App, as_json: bool) -> None:
    """List watched countries with their schedule, last and next report."""
    from watchfloor.services.watch import list_watches

    found = list_watches(app.store)
    if as_json:
        rows = [
            {**w.as_dict(), "next_fire": None if nxt is None else nxt.isoformat()}
            for w, nxt in found
        ]
        click.echo(dumps(rows))
        return
    if not found:
        err.print("no country is watched: 'watchfloor watch add MN --report \"0 6 * * FRI\"'")
        return
    table = Table("country", "report", "time zone", "last report", "next (UTC)")
    for w, nxt in found:
        last = "-" if w.last_fire_at is None else f"{w.last_fire_at:%Y-%m-%d %H:%M}"
        if w.last_report_id is not None:
            last += f" (#{w.last_report_id})"
        table.add_row(
            w.country, w.cron, w.timezone, last, "-" if nxt is None else f"{nxt:%Y-%m-%d %H:%M}"
        )
    out.print(table)


@watch.command("remove")
@click.argument("country", callback=_country)
@pass_app
def watch_remove(app: App, country: str) -> None:
    """Stop watching a country; its stored reports stay."""
    from watchfloor.services.watch import remove_watch

    gone = remove_watch(app.store, country)
    err.print(f"no longer watching {gone.country}")


@watch.command("alerts")
@json_option
@click.option("--country", "-c", callback=_country, help="Only this country.")
@pass_app
def watch_alerts(app: App, as_json: bool, country: str | None) -> None:
    """List the alerts scheduled reports raised, and whether the webhook took them."""
    from watchfloor.services.watch import list_alerts

    found = list_alerts(app.store, country=country)
    if as_json:
        click.echo(
            dumps(
                [
                    {
                        "id": a.id,
                        "country": a.country,
                        "report_id": a.report_id,
                        "kind": a.kind,
                        "payload": a.payload,
                        "created_at": a.created_at.isoformat(),
                        "delivered_at": a.delivered_at.isoformat() if a.delivered_at else None,
                        "delivery_error": a.delivery_error,
                    }
                    for a in found
                ]
            )
        )
        return
    table = Table("id", "country", "report", "kind", "raised", "webhook")
    for a in found:
        hook = "delivered" if a.delivered_at else (a.delivery_error or "-")
        table.add_row(
            str(a.id), a.country, str(a.report_id), a.kind, f"{a.created_at:%Y-%m-%d %H:%M}", hook
        )
    out.print(table)


@cli.command("run")
@click.option(
    "--collect-every",
    callback=_every,
    metavar="DURATION",
    help="How often due sources are collected and enriched (default [schedule] collect_every).",
)
@click.option(
    "--check-every",
    callback=_every,
    metavar="DURATION",
    help="How often due reports are looked for (default [schedule] check_every).",
)
@click.option(
    "--allow-private",
    is_flag=True,
    default=None,
    help="Allow hosts on loopback, private and link-local addresses.",
)
@pass_app
def run(
    app: App, collect_every: str | None, check_every: str | None, allow_private: bool | None
) -> None:
    """Keep collection, enrichment and scheduled reports going in one process until stopped.

    Needs neither Redis nor Celery. SIGTERM or Ctrl-C stops it cleanly: a cycle in flight
    stops after the source or batch in hand, which is stored; the rest is redone next time.
    """
    import logging
    import signal
    import threading
    from datetime import UTC, datetime

    from apscheduler.schedulers.background import BackgroundScheduler

    from watchfloor.config import parse_duration
    from watchfloor.services.floor import collect_cycle, report_cycle
    from watchfloor.services.progress import Cancelled

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("apscheduler", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    settings, store = app.settings, app.store
    store.check_ready()
    every = parse_duration(collect_every) if collect_every else settings.schedule.collect_every
    check = parse_duration(check_every) if check_every else settings.schedule.check_every
    stop = threading.Event()

    def collect_job() -> None:
        try:
            collect_cycle(settings, store, allow_private=allow_private, cancel=stop)
        except Cancelled:
            err.print("collect cycle stopped; what was finished is stored")
        except Exception as exc:  # a failed cycle must not stop the floor
            logging.getLogger("watchfloor.run").exception("collect cycle failed: %s", exc)

    def report_job() -> None:
        if stop.is_set():
            return
        try:
            report_cycle(settings, store)
        except Exception as exc:
            logging.getLogger("watchfloor.run").exception("report cycle failed: %s", exc)

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler = BackgroundScheduler(timezone="UTC")
    now = datetime.now(UTC)
    common: dict[str, object] = {"max_instances": 1, "coalesce": True, "next_run_time": now}
    scheduler.add_job(collect_job, "interval", seconds=every, id="collect", **common)
    scheduler.add_job(report_job, "interval", seconds=check, id="reports", **common)
    scheduler.start()
    err.print(
        f"watch floor running on {store.safe_url}: collect every {every}s, "
        f"reports checked every {check}s; Ctrl-C or SIGTERM stops it"
    )
    while not stop.wait(0.5):
        pass
    err.print("stopping: letting the cycle in hand finish")
    scheduler.shutdown(wait=True)
    store.dispose()
    err.print("stopped")
