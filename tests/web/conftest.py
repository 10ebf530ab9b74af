"""The web app served by uvicorn on 127.0.0.1 (port 0) over a real SQLite store.

The store is a copy of the enriched demo week (``tests/weeks.py``) with two stored reports
of Mongolia (the week before the demo week, then the demo week) and one article whose
title carries an injected ``<script>`` and an ``onerror`` attribute.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watchfloor.config import load_settings
from watchfloor.models import ParsedItem
from watchfloor.services import reports as report_service
from watchfloor.services import sources as source_service
from watchfloor.services.enrich import enrich
from watchfloor.store import queries as q
from watchfloor.store.db import Store

TOKEN = "web-test-token-0123456789abcdef"
HOSTILE_TITLE = (
    'Hostile headline: protest in Ulaanbaatar, Mongolia <script>window.__xss = "script";</script>'
    '<img src="x" onerror="window.__xss = \'onerror\'">'
)


@dataclass(frozen=True)
class WebStore:
    """The prepared store: its path, the two report ids and the hostile article's id."""

    path: Path
    pristine: Path
    """A copy no server opens, for tests that write (:func:`writable_site`)."""
    country: str
    previous_id: int
    report_id: int
    hostile_id: int

    def store(self) -> Store:
        return Store(f"sqlite:///{self.path}")


@dataclass
class Served:
    """A running server: its base URL and the app (its job runner)."""

    url: str
    app: object
    server: object
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(10)


@pytest.fixture(scope="session")
def web_store(demo_week, enricher, tmp_path_factory: pytest.TempPathFactory) -> WebStore:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("web")
    path = folder / "watchfloor.db"
    shutil.copyfile(demo_week.path, path)
    settings = load_settings(None, env={}, overrides={"db": f"sqlite:///{path}"})
    store = Store(settings.db)
    store.init()
    week = timedelta(days=7)
    previous = report_service.build_and_store(
        settings,
        store,
        country=demo_week.country,
        start=demo_week.start - week,
        end=demo_week.end - week,
    )
    current = report_service.build_and_store(
        settings, store, country=demo_week.country, start=demo_week.start, end=demo_week.end
    )
    added = source_service.add_source(
        settings,
        store,
        "https://hostile.example/feed.xml",
        name="Hostile <b>outlet</b>",
        countries=["MN"],
    )
    after = datetime.combine(demo_week.end + timedelta(days=1), datetime.min.time(), UTC)
    with store.begin() as conn:
        outcome = q.upsert_article(
            conn,
            ParsedItem(
                title=HOSTILE_TITLE,
                url="javascript:alert(1)",
                summary="Summary <img src=x onerror=\"window.__xss='summary'\"> here.",
                published=after,
                language="en",
            ),
            canonical_url=None,
            content_hash="hostile",
            source_id=added.source.id,
            raw_id=None,
            seen_at=datetime.now(UTC),
        )
        q.upsert_article(
            conn,
            ParsedItem(
                title="Протестующие собрались в Москве у здания министерства",
                url="https://hostile.example/ru/1",
                summary="Полиция Москвы сообщила о задержаниях.",
                published=after,
                language="ru",
            ),
            canonical_url="https://hostile.example/ru/1",
            content_hash="russian",
            source_id=added.source.id,
            raw_id=None,
            seen_at=datetime.now(UTC),
        )
    enrich(settings, store, enricher=enricher)
    store.dispose()
    pristine = folder / "pristine.db"
    shutil.copyfile(path, pristine)
    return WebStore(path, pristine, demo_week.country, previous.id, current.id, outcome.article_id)


def serve(app: object) -> Served:
    """Run *app* with uvicorn on 127.0.0.1, port 0, in a thread; return when it listens."""
    import uvicorn

    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="off",
        timeout_keep_alive=5,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return Served(f"http://127.0.0.1:{port}", app, server, thread)


def make_app(
    web_store: WebStore, path: Path | None = None, broker: str | None = None, **config: object
) -> object:
    from watchfloor.web import WebConfig, create_app

    db = f"sqlite:///{path or web_store.path}"
    settings = load_settings(None, env={}, overrides={"db": db, "broker": broker})
    return create_app(settings, Store(db), WebConfig(**config))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def site(web_store: WebStore) -> Iterator[Served]:
    """The app with a token: reads open, writes with the token."""
    served = serve(make_app(web_store, token=TOKEN))
    yield served
    served.stop()


@pytest.fixture(scope="session")
def readonly_site(web_store: WebStore) -> Iterator[Served]:
    """The app started without a token: writes disabled."""
    served = serve(make_app(web_store, token=None))
    yield served
    served.stop()


@pytest.fixture
def writable_site(web_store: WebStore, tmp_path: Path) -> Iterator[Served]:
    """The app with a token on a private copy of the store, for tests that add reports."""
    path = tmp_path / "watchfloor.db"
    shutil.copyfile(web_store.pristine, path)
    served = serve(make_app(web_store, path, token=TOKEN))
    yield served
    served.stop()
    served.app.state.runner.join(30)  # type: ignore[attr-defined]
