"""``serve``: the watch floor in a browser (docs/web.md)."""

from __future__ import annotations

import dataclasses
import os

import click

from watchfloor.cli.app import App, cli, err, pass_app


@cli.command()
@click.option("--host", default=None, help="Address to bind ([web] host, 127.0.0.1).")
@click.option(
    "--port", default=None, type=click.IntRange(0, 65535), help="Port ([web] port, 8000)."
)
@click.option(
    "--jobs",
    type=click.Choice(["thread", "celery"]),
    default=None,
    help="Where jobs run: a thread of the server or the Celery workers ([web] jobs, thread).",
)
@pass_app
def serve(app: App, host: str | None, port: int | None, jobs: str | None) -> None:
    """Serve the watch floor's pages and JSON API (needs the web extra).

    Reading is open on 127.0.0.1; every write needs WATCHFLOOR_API_TOKEN (sign in with it
    on /login, or send it as a bearer token). Binding any other address needs the token
    for reads too and refuses to start without it. The flags override the [web] settings
    (docs/settings.md).
    """
    try:
        from watchfloor.web.server import plan
        from watchfloor.web.server import serve as run_server
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the install
        raise click.ClickException(
            f"the web app needs the web extra ({exc.name} is missing): "
            "pip install 'watchfloor[web]'"
        ) from exc
    web = app.settings.web
    changes = {k: v for k, v in {"host": host, "port": port, "jobs": jobs}.items() if v is not None}
    web = dataclasses.replace(web, **changes)  # type: ignore[arg-type]
    settings = dataclasses.replace(app.settings, web=web)
    how = plan(web.host, web.port, os.environ, reads_need_token=web.reads_need_token)
    where = f"http://{web.host}:{web.port}/"
    if how.writes_enabled:
        err.print(f"watch floor at {where}; writes need the token (sign in at {where}login)")
    else:
        err.print(f"watch floor at {where}, read-only: set WATCHFLOOR_API_TOKEN to allow writes")
    if web.jobs == "celery":
        err.print(f"jobs run on the Celery workers ({settings.broker})")
    run_server(settings, app.store, how)
