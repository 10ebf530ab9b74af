"""Raw-response retention: ``watchfloor prune`` removes old parsed raw documents only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import select, update

from tests.fixture_server import FixtureServer, Reply
from tests.workers.test_health import FEED
from watchfloor.cli import cli
from watchfloor.store import queries as q
from watchfloor.store.db import Store
from watchfloor.store.schema import articles, raw_documents


def test_prune_removes_old_raw_responses_and_keeps_the_articles(
    tmp_path, feed_server: FixtureServer
) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    feed_server.route("/feed", lambda r: Reply(body=FEED))
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    runner.invoke(cli, ["--db", db, "sources", "add", feed_server.url("/feed"), "-c", "MN"])
    res = runner.invoke(cli, ["--db", db, "collect", "--allow-private", "--no-enrich"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["--db", db, "collect", "--allow-private", "--no-enrich", "--force"])
    store = Store(db)
    with store.begin() as conn:  # the first response is old
        first = conn.execute(select(raw_documents.c.id).order_by(raw_documents.c.id)).first()
        assert first is not None
        conn.execute(
            update(raw_documents)
            .where(raw_documents.c.id == first.id)
            .values(fetched_at=datetime.now(UTC) - timedelta(days=40))
        )
    keep_all = runner.invoke(cli, ["--db", db, "prune"])
    assert "kept for ever" in keep_all.output
    dry = runner.invoke(cli, ["--db", db, "prune", "--days", "30", "--dry-run"])
    assert "would remove 1 raw response" in dry.output, dry.output
    env = {"WATCHFLOOR_SCHEDULE_RAW_RETENTION_DAYS": "30"}
    done = runner.invoke(cli, ["--db", db, "prune"], env=env)
    assert "removed 1 raw response" in done.output, done.output
    with store.connect() as conn:
        assert q.count_rows(conn, "raw_documents") == 1
        assert q.count_rows(conn, "articles") == 1
        assert conn.execute(select(articles.c.title)).scalar() == "Herders move early"
    store.dispose()
