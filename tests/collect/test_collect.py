"""collect end to end: real SQLite, real loopback HTTP, the real CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.fixture_server import FixtureServer, Reply, conditional, gzip_bomb, redirect
from watchfloor.cli import cli
from watchfloor.collect.run import collect
from watchfloor.config import load_settings
from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.schema import articles, sightings


def rss(items: list[tuple[str, str, str]], *, title: str = "Feed") -> bytes:
    """A small RSS 2.0 document from (title, link, pubDate) triples."""
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{date}</pubDate><description>About {t}.</description></item>"
        for t, link, date in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.org/</link>{body}</channel></rss>"
    ).encode()


DATE = "Mon, 27 Apr 2026 08:00:00 +0000"
FEED_A = rss(
    [
        ("Border hours extended", "https://a.example/border?utm_source=rss", DATE),
        ("Cyber group targets ministries", "https://a.example/apt", DATE),
    ],
    title="Outlet A",
)
FEED_B = rss(
    [
        ("Border hours extended", "https://a.example/border", DATE),
        ("Drought relief announced", "https://b.example/drought", DATE),
    ],
    title="Outlet B",
)
BROKEN = b"<rss><channel><title>Broken</title><item><title>Half an item"


def _serve(server: FixtureServer, name: str, handler) -> str:
    """Register a handler under a fresh path on the server and return the path."""
    path = server.unique_path(name)
    server.route(path, handler)
    return path


def _settings(db: str, server: FixtureServer, **collect: object):
    overrides = {"db": db, "collect": {"allow_hosts": [server.authority], "retries": 0, **collect}}
    return load_settings(env={}, overrides=overrides)


def _add(store: Store, url: str, **kw: object) -> q.Source:
    with store.begin() as conn:
        source, _ = q.add_source(
            conn,
            url=url,
            kind=str(kw.get("kind", "feed")),
            name=str(kw.get("name", url)),
            countries=["MN"],
            every_seconds=1800,
        )
    return source


def test_two_feeds_with_a_shared_story_give_one_article_two_sightings(store, http_server):
    a = _serve(http_server, "a", lambda r: Reply(body=FEED_A))
    b = _serve(http_server, "b", lambda r: Reply(body=FEED_B))
    _add(store, http_server.url(a))
    _add(store, http_server.url(b))
    summary = collect(store, _settings(store.url, http_server))
    assert summary.failed == []
    assert summary.totals().new == 3
    with store.connect() as conn:
        rows = conn.execute(select(articles.c.title, articles.c.canonical_url)).all()
        border = [r for r in rows if r.title == "Border hours extended"]
        assert len(rows) == 3 and len(border) == 1
        assert border[0].canonical_url == "https://a.example/border"
        assert q.count_rows(conn, "sightings") == 4


def test_second_run_uses_conditional_get_and_stores_nothing_new(store, http_server):
    path = _serve(
        http_server,
        "cond",
        conditional(FEED_A, etag='"v1"', last_modified="Mon, 27 Apr 2026 09:00:00 GMT"),
    )
    _add(store, http_server.url(path))
    settings = _settings(store.url, http_server)
    first = collect(store, settings)
    second = collect(store, settings, force=True)
    assert first.totals().new == 2
    assert second.sources[0].not_modified
    sent = http_server.requests_to(path)[-1].headers
    assert sent.get("if-none-match") == '"v1"'
    with store.connect() as conn:
        assert q.count_rows(conn, "articles") == 2
        assert q.count_rows(conn, "raw_documents") == 1


def test_not_due_sources_are_skipped_unless_forced(store, http_server):
    path = _serve(http_server, "due", lambda r: Reply(body=FEED_A))
    _add(store, http_server.url(path))
    settings = _settings(store.url, http_server)
    collect(store, settings)
    again = collect(store, settings)
    assert again.sources == []
    assert http_server.hits(path) == 1


def test_broken_feed_is_recorded_and_the_run_goes_on(store, http_server):
    good = _serve(http_server, "good", lambda r: Reply(body=FEED_A))
    bad = _serve(http_server, "bad", lambda r: Reply(body=BROKEN))
    gone = _serve(http_server, "gone", lambda r: Reply(status=404))
    _add(store, http_server.url(good))
    _add(store, http_server.url(bad))
    _add(store, http_server.url(gone))
    summary = collect(store, _settings(store.url, http_server))
    by_url = {s.url: s for s in summary.sources}
    assert by_url[http_server.url(good)].new == 2
    assert by_url[http_server.url(gone)].failed
    assert "404" in (by_url[http_server.url(gone)].error or "")
    with store.connect() as conn:
        stages = {r.stage for r in q.list_rejects(conn)}
        # the broken feed's bytes are kept for replay even though parsing failed
        raws = q.raw_documents_for(conn)
    assert "fetch" in stages and "parse" in stages
    assert any(r.body == BROKEN for r in raws)


def test_private_address_is_refused_by_default_and_nothing_reaches_it(store, target_server):
    path = _serve(target_server, "feed", lambda r: Reply(body=FEED_A))
    _add(store, target_server.url(path))
    settings = load_settings(env={}, overrides={"db": store.url})
    summary = collect(store, settings)
    assert summary.failed and "loopback" in (summary.failed[0].error or "")
    assert target_server.hits() == 0
    allowed = collect(store, settings, force=True, allow_private=True)
    assert allowed.totals().new == 2


def test_redirect_to_a_private_address_is_refused(store, http_server, target_server):
    target = _serve(target_server, "secret", lambda r: Reply(body=FEED_A))
    hop = _serve(http_server, "hop", redirect(target_server.url(target)))
    _add(store, http_server.url(hop))
    summary = collect(store, _settings(store.url, http_server))
    assert summary.failed
    assert target_server.hits() == 0


def test_gzip_bomb_stops_at_the_size_limit(store, http_server):
    path = _serve(http_server, "bomb", gzip_bomb(size=64 << 20))
    _add(store, http_server.url(path))
    summary = collect(store, _settings(store.url, http_server, max_bytes=1 << 20))
    assert summary.failed and "after decompression" in (summary.failed[0].error or "")


def test_local_file_source_is_collected(store, tmp_path, http_server):
    feed = tmp_path / "archive.xml"
    feed.write_bytes(FEED_B)
    _add(store, str(feed))
    summary = collect(store, _settings(store.url, http_server))
    assert summary.totals().new == 2


def test_reparse_replays_raw_documents_without_duplicates(store, http_server):
    path = _serve(http_server, "re", lambda r: Reply(body=FEED_A))
    _add(store, http_server.url(path))
    collect(store, _settings(store.url, http_server))
    from watchfloor.collect.run import reparse

    summary = reparse(store)
    assert summary.totals().new == 0
    with store.connect() as conn:
        assert q.count_rows(conn, "articles") == 2
        assert q.count_rows(conn, "sightings") == 2


# --- the command line ------------------------------------------------------------------


def test_cli_collect_exits_1_when_a_source_fails_but_keeps_the_rest(tmp_path, http_server):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    good = _serve(http_server, "cg", lambda r: Reply(body=FEED_A))
    bad = _serve(http_server, "cb", lambda r: Reply(status=500))
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    for path in (good, bad):
        res = runner.invoke(
            cli, ["--db", db, "sources", "add", http_server.url(path), "--country", "MN"]
        )
        assert res.exit_code == 0, res.output
    env = {
        "WATCHFLOOR_COLLECT_ALLOW_HOSTS": http_server.authority,
        "WATCHFLOOR_COLLECT_RETRIES": "0",
    }
    res = runner.invoke(cli, ["--db", db, "collect", "--no-enrich", "--json"], env=env)
    assert res.exit_code == 1, res.output
    assert '"new": 2' in res.output
    listed = runner.invoke(cli, ["--db", db, "rejects", "list", "--json"])
    assert "500" in listed.output


def test_cli_refuses_bad_country_codes_and_schemes(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    runner.invoke(cli, ["--db", db, "init"])
    res = runner.invoke(cli, ["--db", db, "sources", "add", "https://x.example/f", "-c", "XX"])
    assert res.exit_code == 2 and "not an ISO 3166-1" in res.output
    res = runner.invoke(
        cli, ["--db", db, "sources", "add", "https://x.example/f", "-c", "Mongolia"]
    )
    assert "did you mean MN" in res.output
    res = runner.invoke(cli, ["--db", db, "sources", "add", "ftp://x.example/f"])
    assert res.exit_code == 1 and "only http, https and local paths" in res.output


# --- killed at any point ------------------------------------------------------------------


def _run_collect(db: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "watchfloor.cli", "--db", db, "collect", "--no-enrich", "--force"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_collect_killed_with_sigkill_then_rerun_loses_nothing_and_duplicates_nothing(tmp_path):
    feeds = {
        f"/f{i}": rss(
            [(f"Story {i}-{j}", f"https://n{i}.example/{j}", DATE) for j in range(15)]
            + [("Shared story", "https://shared.example/one", DATE)],
            title=f"Outlet {i}",
        )
        for i in range(12)
    }
    with FixtureServer() as server:
        for path, body in feeds.items():
            # Slow answers spread the run out so the kills land at different stages.
            server.route(path, lambda r, body=body: Reply(body=body, delay=0.15))
        db = f"sqlite:///{tmp_path / 'kill.db'}"
        env = {"WATCHFLOOR_COLLECT_ALLOW_HOSTS": server.authority}
        runner = CliRunner()
        runner.invoke(cli, ["--db", db, "init"])
        for path in feeds:
            runner.invoke(cli, ["--db", db, "sources", "add", server.url(path), "-c", "MN"])
        for delay in (0.4, 0.55, 0.7, 0.85, 1.0, 1.2):
            proc = _run_collect(db, env)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        final = _run_collect(db, env)
        assert final.wait(timeout=120) == 0
    store = Store(db)
    with store.connect() as conn:
        urls = [r[0] for r in conn.execute(select(articles.c.canonical_url))]
        assert len(urls) == len(set(urls)) == 12 * 15 + 1
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert not q.raw_documents_for(conn, unparsed_only=True)
        shared = conn.execute(
            select(sightings.c.source_id)
            .join(articles, articles.c.id == sightings.c.article_id)
            .where(articles.c.canonical_url == "https://shared.example/one")
        ).all()
        assert {r[0] for r in shared} == set(range(1, 13))
    store.dispose()


def test_fulltext_fetches_each_new_articles_page_under_the_same_rules(store, http_server):
    article = (
        "<html><head><title>Border</title><script>alert('x')</script></head><body>"
        "<nav>Home | News</nav><article><h1>Border hours extended</h1>"
        + "".join(
            f"<p>Paragraph {i}: the crossing at Zamiin-Uud will stay open longer for cargo "
            "trucks, officials said, as freight volumes rise before summer.</p>"
            for i in range(6)
        )
        + "</article><footer>Contact</footer></body></html>"
    ).encode()
    page = _serve(
        http_server, "page", lambda r: Reply(body=article, headers={"content-type": "text/html"})
    )
    missing = _serve(http_server, "missing", lambda r: Reply(status=404))
    feed = rss(
        [
            ("Border hours extended", http_server.url(page), DATE),
            ("Gone story", http_server.url(missing), DATE),
        ]
    )
    path = _serve(http_server, "ft", lambda r: Reply(body=feed))
    _add(store, http_server.url(path))
    summary = collect(store, _settings(store.url, http_server), fulltext=True)
    assert summary.fulltext_fetched == 1 and summary.fulltext_failed == 1
    with store.connect() as conn:
        content = conn.execute(
            select(articles.c.content).where(articles.c.title == "Border hours extended")
        ).scalar_one()
        stages = [r.stage for r in q.list_rejects(conn)]
    assert "Paragraph 5" in content and "alert" not in content and "Contact" not in content
    assert "fulltext" in stages
