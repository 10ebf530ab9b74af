"""Serving the web app with uvicorn: who may bind where, and the server's timeouts.

Binding a loopback address (the default, 127.0.0.1) leaves reading open; any other
address requires ``WATCHFLOOR_API_TOKEN`` for reads too and refuses to start without it.
Writes always need the token; without one set they are disabled.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from watchfloor.config import Settings
from watchfloor.errors import ConfigError
from watchfloor.store.db import Store

__all__ = ["MIN_TOKEN", "ServePlan", "is_loopback", "plan", "serve"]

log = logging.getLogger(__name__)

#: The shortest token accepted: a guessable token would open every write.
MIN_TOKEN = 16
# uvicorn's limits come from [web] (docs/settings.md): keep_alive (idle keep-alive
# connections are closed after so many seconds), max_connections (served at once, 503
# beyond) and max_head_bytes (the largest request head).


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServePlan:
    """What ``serve`` will do: the address, the token, whether reads need it."""

    host: str
    port: int
    token: str | None
    reads_need_token: bool

    @property
    def writes_enabled(self) -> bool:
        return self.token is not None


def plan(
    host: str, port: int, env: Mapping[str, str], *, reads_need_token: bool = False
) -> ServePlan:
    """Decide how to serve, or refuse.

    Reads need the token off loopback, and on loopback too when *reads_need_token*
    (``[web] reads_need_token``: a reverse proxy on the same machine).

    Raises:
        ConfigError: a token that is too short, or a non-loopback address without one.
    """
    token = env.get("WATCHFLOOR_API_TOKEN") or None
    if token is not None and len(token) < MIN_TOKEN:
        raise ConfigError(
            f"WATCHFLOOR_API_TOKEN is shorter than {MIN_TOKEN} characters: use a long random "
            "one, e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    public = not is_loopback(host)
    if public and token is None:
        raise ConfigError(
            f"binding {host} (not loopback) needs WATCHFLOOR_API_TOKEN: anyone who can reach "
            "it could read the watch floor. Set the token, or bind 127.0.0.1."
        )
    if reads_need_token and token is None:
        raise ConfigError(
            "[web] reads_need_token is set but WATCHFLOOR_API_TOKEN is not: set the token"
        )
    if not 0 <= port <= 65535:
        raise ConfigError(f"port {port} is not between 0 and 65535")
    return ServePlan(host, port, token, reads_need_token=public or reads_need_token)


def serve(settings: Settings, store: Store, how: ServePlan) -> None:
    """Run the web app until interrupted; running jobs are asked to stop on the way out."""
    import uvicorn

    from watchfloor.web.app import WebConfig, create_app

    store.check_ready()
    web = settings.web
    app = create_app(
        settings,
        store,
        WebConfig.from_settings(settings, token=how.token, reads_need_token=how.reads_need_token),
    )
    if web.jobs == "celery":
        app.state.runner.celery()  # a missing scale extra shows now, not at the first job
    config = uvicorn.Config(
        app,
        host=how.host,
        port=how.port,
        timeout_keep_alive=max(1, round(web.keep_alive)),
        limit_concurrency=web.max_connections,
        h11_max_incomplete_event_size=web.max_head_bytes,
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=10,
        log_level="info",
    )
    try:
        uvicorn.Server(config).run()
    finally:
        app.state.runner.cancel.set()
        app.state.runner.join(timeout=10)
