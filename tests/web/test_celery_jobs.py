"""Jobs on the Celery workers (``[web] jobs = "celery"``): the web app queues the job's row
and sends its id to a real worker subprocess over Redis (127.0.0.1:6379); the worker runs
the same service function and writes the same row, which the page follows by events.
Without Redis these tests skip, except under ``CI=true``."""

from __future__ import annotations

import shutil

import httpx
import pytest

from tests.web.conftest import TOKEN, make_app, serve
from tests.web.test_api import _events
from tests.workers.conftest import redis_url  # noqa: F401 - the fixture
from tests.workers.test_celery import _stop, _worker

pytestmark = pytest.mark.slow

BEARER = {"Authorization": f"Bearer {TOKEN}"}
PERIOD = {"country": "MN", "start": "2026-04-27", "end": "2026-05-03"}


def test_a_report_job_runs_on_a_worker_and_streams_its_progress(
    web_store,
    tmp_path,
    redis_url,  # noqa: F811 - the fixture imported above
) -> None:
    path = tmp_path / "watchfloor.db"
    shutil.copyfile(web_store.pristine, path)
    db = f"sqlite:///{path}"
    log = tmp_path / "worker.log"
    site = serve(make_app(web_store, path, broker=redis_url, token=TOKEN, jobs="celery"))
    worker = None
    try:
        first = httpx.post(site.url + "/api/jobs/report", json=PERIOD, headers=BEARER, timeout=30)
        assert first.status_code == 202 and first.json()["created"], first.text
        job_id = first.json()["id"]
        # Queued and no worker yet: a second click gets the same job back.
        again = httpx.post(site.url + "/api/jobs/report", json=PERIOD, headers=BEARER, timeout=30)
        assert (again.json()["id"], again.json()["created"]) == (job_id, False)
        assert httpx.get(f"{site.url}/api/jobs/{job_id}", timeout=30).json()["status"] == "queued"

        worker = _worker(db, {"WATCHFLOOR_BROKER": redis_url}, log, "--queues", "report")
        url = f"{site.url}/api/jobs/{job_id}/events"
        with httpx.stream("GET", url, timeout=httpx.Timeout(30, read=300)) as stream:
            events = _events(stream)
        last = events[-1][1]
        assert events[-1][0] == "done" and last["status"] == "done", (last, log.read_text())
        assert (last["stage"], last["done"], last["total"]) == ("report", 1, 1)
        report = httpx.get(f"{site.url}/api/reports/{last['result']['report_id']}", timeout=30)
        assert report.json()["country"] == "MN"
        # The server ran no job of its own: the worker did.
        assert site.app.state.runner._threads == {}  # type: ignore[attr-defined]
        assert "watchfloor.web_job" in log.read_text()
    finally:
        if worker is not None:
            _stop(worker)
        site.stop()


def test_a_job_the_broker_cannot_take_fails_and_frees_its_key(web_store, tmp_path) -> None:
    path = tmp_path / "watchfloor.db"
    shutil.copyfile(web_store.pristine, path)
    nowhere = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    site = serve(make_app(web_store, path, broker=nowhere, token=TOKEN, jobs="celery"))
    try:
        res = httpx.post(site.url + "/api/jobs/report", json=PERIOD, headers=BEARER, timeout=120)
        assert res.status_code == 503 and "could not be sent" in res.json()["detail"]
        job = httpx.get(site.url + "/api/jobs", timeout=30).json()[0]
        assert job["status"] == "failed" and "could not be sent" in job["error"]
    finally:
        site.stop()
