"""Failures and retries as a user meets them: refusals, backoff, health, quality notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import update

from tests.fixture_server import FixtureServer, Reply
from tests.migrations import store_at
from watchfloor.cli import cli
from watchfloor.collect.fetch import FetchPolicy
from watchfloor.collect.health import backoff_seconds, policy_key
from watchfloor.collect.run import collect, due_sources
from watchfloor.config import CollectSettings, load_settings
from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.schema import sources

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback desk</title>'
    b"<link>https://example.org/</link>"
    b"<item><title>Herders move early</title><link>https://a.example/herders</link>"
    b"<pubDate>Mon, 27 Apr 2026 08:00:00 +0000</pubDate></item>"
    b"</channel></rss>"
)


def _add(store: Store, url: str, every: int = 1800) -> q.Source:
    with store.begin() as conn:
        source, _ = q.add_source(
            conn, url=url, kind="feed", name="loop", countries=["MN"], every_seconds=every
        )
    return source


def test_backoff_doubles_from_retry_after_up_to_the_cap() -> None:
    settings = CollectSettings(retry_after=60, max_backoff=600)
    waits = [backoff_seconds(n, every=300, settings=settings) for n in range(0, 7)]
    assert waits == [300, 60, 120, 240, 480, 600, 600]
    # a source polled less often than the cap waits at most its own interval
    assert backoff_seconds(30, every=86400, settings=settings) == 86400


def test_policy_key_tells_policies_apart() -> None:
    assert policy_key(FetchPolicy()) != policy_key(FetchPolicy(allow_private=True))
    assert policy_key(FetchPolicy(allow_hosts=("B", "a"))) == policy_key(
        FetchPolicy(allow_hosts=("a", "b"))
    )


def test_a_refused_source_is_not_fetched_and_is_due_at_once_under_a_new_policy(
    store: Store, feed_server: FixtureServer
) -> None:
    path = feed_server.unique_path("feed")
    feed_server.route(path, lambda r: Reply(body=FEED))
    source = _add(store, feed_server.url(path))
    settings = load_settings(env={}, overrides={"db": store.url})

    refused = collect(store, settings)
    assert refused.failed and "--allow-private" in (refused.failed[0].error or "")
    assert feed_server.hits() == 0
    with store.connect() as conn:
        after = q.get_source(conn, source.id)
    assert after.last_fetched_at is None  # a refusal is not a fetch
    assert after.consecutive_failures == 1 and after.refused_policy is not None
    # same policy: waits for its backoff, no new refusal piles up
    assert collect(store, settings).sources == []

    allowed = collect(store, settings, allow_private=True)  # not forced: due by policy
    assert [s.new for s in allowed.sources] == [1]
    with store.connect() as conn:
        healthy = q.get_source(conn, source.id)
    assert healthy.consecutive_failures == 0 and healthy.refused_policy is None
    assert healthy.last_success_at is not None and healthy.next_attempt_at is not None
    expected = healthy.last_success_at + timedelta(seconds=1800)
    assert abs((healthy.next_attempt_at - expected).total_seconds()) < 1


def test_a_failing_source_backs_off_exponentially(store: Store, feed_server: FixtureServer):
    path = feed_server.unique_path("down")
    feed_server.route(path, lambda r: Reply(status=503))
    source = _add(store, feed_server.url(path), every=60)
    settings = load_settings(
        env={},
        overrides={
            "db": store.url,
            "collect": {"allow_private": True, "retries": 0, "retry_after": 100},
        },
    )
    waits = []
    for _ in range(3):
        summary = collect(store, settings)
        assert summary.failed
        with store.connect() as conn:
            s = q.get_source(conn, source.id)
        assert s.next_attempt_at is not None and s.last_fetched_at is not None
        waits.append(round((s.next_attempt_at - s.last_fetched_at).total_seconds()))
        # not due before the backoff ends, due after it
        assert due_sources(store, now=s.next_attempt_at - timedelta(seconds=1)) == []
        assert [d.id for d in due_sources(store, now=s.next_attempt_at)] == [source.id]
        with store.begin() as conn:  # let the backoff pass
            conn.execute(
                update(sources)
                .where(sources.c.id == source.id)
                .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
            )
    assert waits == [100, 200, 400]
    assert s.consecutive_failures == 3
    assert feed_server.hits(path) == 3


def test_cli_collect_refuses_then_allow_private_fetches_and_list_shows_health(
    tmp_path, feed_server: FixtureServer
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    path = feed_server.unique_path("cli")
    feed_server.route(path, lambda r: Reply(body=FEED))
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    added = runner.invoke(cli, ["--db", db, "sources", "add", feed_server.url(path), "-c", "MN"])
    assert added.exit_code == 0, added.output

    refused = runner.invoke(cli, ["--db", db, "collect", "--no-enrich"], env={})
    assert refused.exit_code == 1
    assert "--allow-private" in refused.output
    listed = runner.invoke(cli, ["--db", db, "sources", "list"])
    assert all(h in listed.output for h in ("last ok", "fails", "next")), listed.output
    refused_json = runner.invoke(cli, ["--db", db, "sources", "list", "--json"]).output
    assert '"consecutive_failures": 1' in refused_json
    assert '"last_success_at": null' in refused_json and '"refused_policy": "private=no' in (
        refused_json
    )

    fetched = runner.invoke(cli, ["--db", db, "collect", "--allow-private", "--no-enrich"])
    assert fetched.exit_code == 0, fetched.output
    assert "no source was due" not in fetched.output
    assert feed_server.hits(path) == 1
    healthy = runner.invoke(cli, ["--db", db, "sources", "list", "--json"])
    assert '"consecutive_failures": 0' in healthy.output
    assert '"next_attempt_at": "20' in healthy.output


def _fact(sid: int, name: str, **kw: object):
    from watchfloor.analyze.facts import SourceFact

    values: dict[str, object] = {
        "id": sid,
        "name": name,
        "kind": "feed",
        "url": f"https://{sid}.example/feed",
        "countries": ("MN",),
        "language": "en",
        "reliability": "F",
        "official": False,
        "grade_reason": None,
        "last_fetched_at": None,
        "last_success_at": None,
        "last_error": None,
        "fetched_in_period": 0,
        "failures": (),
    }
    values.update(kw)
    return SourceFact(**values)  # type: ignore[arg-type]


def test_a_source_failing_for_days_is_named_in_the_data_quality_notes() -> None:
    from datetime import date

    from watchfloor.analyze.coverage import assess_coverage
    from watchfloor.analyze.facts import PeriodData, country_info

    day = datetime(2026, 4, 27, 6, tzinfo=UTC)
    fails = tuple((day + timedelta(hours=6 * i), "HTTP 503") for i in range(13))  # 3 days
    down = _fact(
        1,
        "Down for days",
        last_error="HTTP 503",
        failures=fails,
        last_success_at=day - timedelta(hours=1),
    )
    blip = _fact(
        2,
        "One bad hour",
        last_error="timeout",
        failures=fails[:2],
        last_success_at=day - timedelta(hours=1),
    )
    recovered = _fact(
        3, "Back again", last_error=None, failures=fails, last_success_at=day + timedelta(days=4)
    )
    data = PeriodData(
        country=country_info("MN"),
        start=date(2026, 4, 27),
        end=date(2026, 5, 3),
        articles={},
        cluster_first={},
        pages=[],
        rejects=[],
        unenriched=0,
        sources={s.id: s for s in (down, blip, recovered)},
    )
    notes = assess_coverage(data, None).notes
    flagged = [n for n in notes if "failing for" in n]
    assert len(flagged) == 1, notes
    assert "Down for days" in flagged[0] and "3 days" in flagged[0]
    assert "since 2026-04-27" in flagged[0]


def test_health_migration_keeps_every_article_linked_to_its_source(tmp_path) -> None:
    """m006 adds columns to ``sources`` in place (a table copy would null source_id)."""
    from sqlalchemy import select

    from watchfloor.store.schema import articles

    old = store_at(tmp_path / "old.db", "m005")
    assert old.init() >= "m006"
    with old.connect() as conn:
        assert conn.execute(select(articles.c.source_id)).scalar() == 1
        source = q.get_source(conn, 1)
    assert source.next_attempt_at is None and source.refused_policy is None
    assert source.is_due(datetime.now(UTC))  # never fetched: due, as before the migration
    old.dispose()
