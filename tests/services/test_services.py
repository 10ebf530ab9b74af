"""The service layer on real stores: one way to add a source, progress, cancellation."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.fixture_server import FixtureServer, Reply
from watchfloor.config import load_settings
from watchfloor.errors import ConfigError, SourceError
from watchfloor.services import collect as collect_service
from watchfloor.services import enrich as enrich_service
from watchfloor.services import pages as page_service
from watchfloor.services import sources as source_service
from watchfloor.services.progress import Cancelled, Progress
from watchfloor.store import queries as q
from watchfloor.store.db import Store

DATE = "Mon, 27 Apr 2026 08:00:00 +0000"


def rss(title: str, stories: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{s}</title><link>https://{title.lower()}.example/{n}</link>"
        f"<pubDate>{DATE}</pubDate><description>{s} in Ulaanbaatar, Mongolia, on Monday."
        "</description></item>"
        for n, s in enumerate(stories)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://{title.lower()}.example/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def settings(store: Store, tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_settings(
        None, env={}, overrides={"db": store.url, "collect": {"allow_private": True, "retries": 0}}
    )


def test_add_source_normalises_validates_and_updates_the_same_url(settings, store, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss("Local", ["One"]))
    first = source_service.add_source(settings, store, str(feed), countries=["mn,cn"])
    assert first.created and first.source.url == str(feed.resolve())
    assert first.source.countries == ("MN", "CN") and first.source.name == "feed.xml"
    assert first.source.every_seconds == settings.collect.default_every
    again = source_service.add_source(settings, store, f"file://{feed}", name="Renamed", every="2h")
    assert not again.created and again.source.id == first.source.id
    assert again.source.name == "Renamed" and again.source.every_seconds == 7200
    with pytest.raises(SourceError, match="ISO 3166-1"):
        source_service.add_source(settings, store, str(feed), countries=["Mongolia"])
    with pytest.raises(ConfigError):
        source_service.add_source(settings, store, str(feed), every="soon")
    with pytest.raises(SourceError, match="only http, https"):
        source_service.add_source(settings, store, "ftp://x.example/feed")
    with pytest.raises(SourceError, match="neither an http"):
        source_service.add_source(settings, store, str(tmp_path / "missing.xml"))
    assert [s.id for s in source_service.list_sources(store)] == [first.source.id]


def test_opml_round_trip_goes_through_add_source(settings, store, tmp_path):
    source_service.add_source(settings, store, "https://a.example/rss", countries=["MN"])
    source_service.add_source(settings, store, "https://b.example/rss", kind="page")
    exported = source_service.export_opml(store)
    assert exported.feeds == 1  # pages are not feeds
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    other.init()
    bad = exported.document.replace("</body>", '<outline type="rss" xmlUrl="gopher://x"/></body>')
    done = source_service.import_opml(settings, other, bad.encode())
    assert (done.added, done.updated) == (1, 0)
    assert [url for url, _ in done.skipped] == ["gopher://x"]
    (imported,) = source_service.list_sources(other)
    assert imported.url == "https://a.example/rss" and imported.countries == ("MN",)
    other.dispose()


def test_collect_reports_progress_per_source_and_stops_when_cancelled(settings, store):
    with FixtureServer() as server:
        server.route("/fast.xml", lambda r: Reply(body=rss("Fast", ["Fast story"])))
        server.route(
            "/slow.xml", lambda r: Reply(body=rss("Slow", ["Slow story", "Later"]), delay=1.5)
        )
        fast = source_service.add_source(settings, store, server.url("/fast.xml")).source
        slow = source_service.add_source(settings, store, server.url("/slow.xml")).source
        cancel = threading.Event()
        seen: list[Progress] = []

        def progress(step: Progress) -> None:
            seen.append(step)
            if step.done == 1:
                cancel.set()  # stop after the first source that finishes

        with pytest.raises(Cancelled) as stopped:
            collect_service.collect(settings, store, force=True, progress=progress, cancel=cancel)
        assert (stopped.value.stage, stopped.value.done, stopped.value.total) == ("collect", 1, 2)
        assert [(p.done, p.total) for p in seen] == [(0, 2), (1, 2)]
        assert seen[1].message == fast.name
        with store.connect() as conn:
            titles = {a.title for a in q.list_articles(conn, limit=10)}
            assert titles == {"Fast story"}  # what was done is stored ...
            assert q.get_source(conn, slow.id).last_fetched_at is None  # ... the rest is not
        # The next run, not cancelled, brings the rest.
        result = collect_service.collect(settings, store, source_id=slow.id)
    assert not result.failed and result.to_json()["totals"]["new"] == 2
    assert result.to_json()["sources"][0]["id"] == slow.id


def test_a_cancel_set_before_the_run_does_nothing(settings, store, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss("Local", ["One"]))
    source_service.add_source(settings, store, str(feed))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        collect_service.collect(settings, store, force=True, cancel=cancel)
    with store.connect() as conn:
        assert q.count_rows(conn, "articles") == 0


@pytest.fixture(scope="module")
def enricher():  # type: ignore[no-untyped-def]
    from watchfloor.enrich.pipeline import Enricher

    return Enricher()


def test_enrich_stops_after_the_batch_in_hand_and_keeps_the_rest_pending(
    settings, store, tmp_path, enricher
):
    from watchfloor.enrich.pipeline import pending_articles

    feed = tmp_path / "feed.xml"
    stories = ["Border post reopens", "Drought relief", "Mining licence", "Rail link", "Snow"]
    feed.write_bytes(rss("Local", stories))
    source_service.add_source(settings, store, str(feed), countries=["MN"])
    collect_service.collect(settings, store, force=True)
    cancel = threading.Event()
    seen: list[Progress] = []

    def progress(step: Progress) -> None:
        seen.append(step)
        if step.done:
            cancel.set()

    with pytest.raises(Cancelled) as stopped:
        enrich_service.enrich(
            settings, store, batch_size=2, enricher=enricher, progress=progress, cancel=cancel
        )
    assert (stopped.value.done, stopped.value.total) == (2, 5)
    assert [(p.stage, p.done, p.total) for p in seen] == [("enrich", 0, 5), ("enrich", 2, 5)]
    with store.connect() as conn:
        assert len(pending_articles(conn, redo=False)) == 3
    rest = enrich_service.enrich(settings, store, batch_size=2, enricher=enricher)
    assert rest.articles == 3 and rest.failed == 0
    assert rest.to_json()["languages"] == {"en": 3}
    with store.connect() as conn:
        assert pending_articles(conn, redo=False) == []


def test_choose_versions_defaults_to_the_last_two_and_refuses_unknown_ones():
    assert page_service.choose_versions([1, 2, 3], from_version=None, to_version=None) == (2, 3)
    assert page_service.choose_versions([1, 2, 3], from_version=1, to_version=None) == (1, 3)
    assert page_service.choose_versions([1, 2, 3], from_version=None, to_version=2) == (1, 2)
    with pytest.raises(SourceError, match="versions available: 1, 2, 3"):
        page_service.choose_versions([1, 2, 3], from_version=5, to_version=None)
    with pytest.raises(SourceError, match="a diff needs two"):
        page_service.choose_versions([1], from_version=None, to_version=None)
