"""The watch floor in a browser: pages and a JSON API over the services (docs/web.md).

Needs the ``web`` extra (FastAPI, uvicorn, Jinja2). ``watchfloor serve`` runs it.
"""

from __future__ import annotations

from watchfloor.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
