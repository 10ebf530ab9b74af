"""Two Celery enrich workers on one store (SQLite, and PostgreSQL), over Redis: they enrich
side by side, each article once, and leave what one process leaves, story clusters
included; an enrich worker killed with SIGKILL mid-batch gets its task redelivered and its
batch taken up once the lease runs out, nothing stored twice or missing."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from tests.enrich.claims_fixture import fill_demo, snapshot
from tests.workers.test_celery import _send, _stop, _wait_for, _worker
from watchfloor.enrich.pipeline import ENRICHER_VERSION, Enricher, enrich
from watchfloor.store import enrichment as es
from watchfloor.store.db import Store

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # models load in each worker

BATCH = 4  # small batches, so that the two workers' batches interleave
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "WATCHFLOOR_SCHEDULE_ENRICH_THREADS": "1",
    "WATCHFLOOR_SCHEDULE_ENRICH_BATCH": str(BATCH),
}
_WRITTEN = re.compile(r"enrich run (\S+): (\d+) article\(s\) written")


@pytest.fixture(scope="module")
def single_process(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, object]]:
    """The demo feeds enriched by one process, in batches of the workers' size."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('one') / 'one.db'}")
    store.init()
    total = fill_demo(store)
    done = enrich(store, batch_size=BATCH, enricher=Enricher())
    assert done.articles == total and done.failed == 0
    try:
        return total, snapshot(store)
    finally:
        store.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "postgresql":
        store: Store = request.getfixturevalue("pg_store")
        return store
    store = Store(f"sqlite:///{tmp_path / 'shared.db'}")
    store.init()
    return store


def _left(store: Store) -> tuple[int, int]:
    """Articles still pending, claims still held."""
    with store.connect() as conn:
        pending = es.count_pending(conn, version=ENRICHER_VERSION)
        claims = int(conn.exec_driver_sql("SELECT count(*) FROM enrich_claims").scalar() or 0)
    return pending, claims


def _written(log: Path) -> int:
    return sum(int(m.group(2)) for m in _WRITTEN.finditer(log.read_text(errors="replace")))


def test_two_workers_enrich_one_store_side_by_side_as_one_process_does(
    tmp_path, redis_url, shared_store, single_process
) -> None:
    total, expected = single_process
    assert fill_demo(shared_store) == total
    env = {"WATCHFLOOR_BROKER": redis_url, **ONE_THREAD}
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    procs = [
        _worker(shared_store.url, env, log, "--queues", "enrich", "--name", f"w{i}@%h")
        for i, log in enumerate(logs, 1)
    ]
    try:
        for log in logs:
            _wait_for(lambda log=log: " ready." in log.read_text(), 180, "no worker ready", log)
        _send(redis_url, "watchfloor.enrich_new")
        _send(redis_url, "watchfloor.enrich_new")
        _wait_for(
            lambda: _left(shared_store) == (0, 0),
            900,
            "the two workers did not enrich every article",
            logs[0],
        )
    finally:
        for proc in procs:
            _stop(proc)
    written = [_written(log) for log in logs]
    assert sum(written) == total, written  # each article written once, by one worker
    assert all(n > 0 for n in written), written  # both took part
    assert snapshot(shared_store) == expected


def test_an_enrich_worker_killed_mid_batch_has_its_batch_taken_up(
    tmp_path, redis_url, single_process
) -> None:
    total, expected = single_process
    store = Store(f"sqlite:///{tmp_path / 'kill.db'}")
    store.init()
    assert fill_demo(store) == total
    env = {
        "WATCHFLOOR_BROKER": redis_url,
        "WATCHFLOOR_SCHEDULE_REDELIVERY_AFTER": "5",
        **ONE_THREAD,
    }
    log = tmp_path / "worker.log"
    first = _worker(store.url, {**env, "WATCHFLOOR_SCHEDULE_ENRICH_LEASE": "3"}, log)
    try:
        _send(redis_url, "watchfloor.enrich_new")
        # the first claim is taken before the models load: the kill lands mid-batch
        _wait_for(lambda: _left(store)[1] > 0, 180, "no batch claimed", log)
        first.send_signal(signal.SIGKILL)
        first.wait()
        pending, claims = _left(store)
        assert pending == total and claims == BATCH  # claimed, never written
        second = _worker(store.url, env, log)
        try:
            _wait_for(
                lambda: _left(store) == (0, 0),
                900,
                "the killed worker's task was not redelivered and finished",
                log,
            )
        finally:
            _stop(second)
    finally:
        _stop(first)
    assert snapshot(store) == expected  # nothing twice, nothing missing, same stories
    store.dispose()
