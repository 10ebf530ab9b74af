"""``serve``: the watch floor in a browser (docs/web.md)."""

from __future__ import annotations

import os

import click

from watchfloor.cli.app import App, cli, err, pass_app


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@pass_app
def serve(app: App, host: str, port: int) -> None:
    """Serve the watch floor's pages and JSON API (needs the web extra).

    Reading is open on 127.0.0.1; every write needs WATCHFLOOR_API_TOKEN (sign in with it
    on /login, or send it as a bearer token). Binding any other address needs the token
    for reads too and refuses to start without it.
    """
    try:
        from watchfloor.web.server import plan
        from watchfloor.web.server import serve as run_server
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the install
        raise click.ClickException(
            f"the web app needs the web extra ({exc.name} is missing): "
            "pip install 'watchfloor[web]'"
        ) from exc
    how = plan(host, port, os.environ)
    where = f"http://{host}:{port}/"
    if how.writes_enabled:
        err.print(f"watch floor at {where}; writes need the token (sign in at {where}login)")
    else:
        err.print(f"watch floor at {where}, read-only: set WATCHFLOOR_API_TOKEN to allow writes")
    run_server(app.settings, app.store, how)
