"""The JSON API and the pages over HTTP (httpx against uvicorn on 127.0.0.1), on the demo
store: what they show, who may write, the headers and limits."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import socket
import time

import httpx
import pytest

from tests.web.conftest import HOSTILE_TITLE, TOKEN, make_app, serve
from watchfloor.errors import ConfigError
from watchfloor.services import dashboard
from watchfloor.web.server import plan

BEARER = {"Authorization": f"Bearer {TOKEN}"}


def _get(site, path: str, **kw) -> httpx.Response:
    return httpx.get(site.url + path, timeout=30, **kw)


def _audit(site) -> list[dict]:
    return _get(site, "/api/audit", headers=BEARER).json()


# --- what the pages and the API show -------------------------------------------------


def test_overview_lists_the_country_with_its_latest_level_and_sources(site, web_store) -> None:
    rows = _get(site, "/api/overview").json()
    mn = next(r for r in rows if r["country"] == "MN")
    report = _get(site, f"/api/reports/{web_store.report_id}").json()
    assert mn["last_report_id"] == web_store.report_id
    assert mn["level"] == report["threat_level"]
    assert mn["trend"] == report["threat"]["trend"]["direction"]
    assert mn["sources"]["total"] >= 2
    page = _get(site, "/")
    assert page.status_code == 200
    assert f'href="/reports/{web_store.report_id}"' in page.text
    # The world map is drawn, with Mongolia linked and coloured by its level.
    assert '<svg class="world"' in page.text and 'href="/countries/MN"' in page.text


def test_country_shows_every_report_over_time_and_what_is_new(site, web_store) -> None:
    body = _get(site, "/api/countries/MN").json()
    assert [r["id"] for r in body["reports"]] == [web_store.previous_id, web_store.report_id]
    assert body["latest_report_id"] == web_store.report_id
    # The two articles added after the demo week's report are not yet in a report.
    assert any(s["article_id"] == web_store.hostile_id for s in body["uncovered"])
    page = _get(site, "/countries/MN").text
    assert page.count('class="point') == 2  # one mark per stored report on the chart
    assert _get(site, "/countries/XX").status_code == 400


def test_report_page_is_the_renderers_html_with_its_scripts_allowed_by_hash(
    site, web_store
) -> None:
    res = _get(site, f"/reports/{web_store.report_id}")
    assert res.status_code == 200
    policy = res.headers["content-security-policy"]
    script_src = next(p for p in policy.split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    inline = [
        m.group(2)
        for m in re.finditer(r"<script([^>]*)>(.*?)</script>", res.text, re.S)
        if "application/json" not in m.group(1) and "src=" not in m.group(1)
    ]
    assert inline, "the report page has its map script"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src
    assert 'id="wf-bar"' in res.text and 'href="#source-1"' in res.text
    assert "tile.openstreetmap.org" not in res.text  # no tile server, ever


@pytest.mark.parametrize("fmt", ["md", "html", "json", "geojson", "stix"])
def test_every_format_downloads(site, web_store, fmt) -> None:
    res = _get(site, f"/reports/{web_store.report_id}/download/{fmt}")
    assert res.status_code == 200
    assert "attachment" in res.headers["content-disposition"]
    assert len(res.content) > 200
    assert _get(site, f"/reports/{web_store.report_id}/download/exe").status_code == 404


def test_diff_against_the_previous_report(site, web_store) -> None:
    d = _get(site, f"/api/reports/{web_store.report_id}/diff").json()
    now = _get(site, f"/api/reports/{web_store.report_id}").json()
    before = _get(site, f"/api/reports/{web_store.previous_id}").json()
    assert d["previous_id"] == web_store.previous_id
    assert d["level"] == now["threat_level"] and d["previous_level"] == before["threat_level"]
    assert d["level_changed"] == (now["threat_level"] != before["threat_level"])
    old_titles = {x["title"] for x in before["key_developments"]}
    expected = [x["title"] for x in now["key_developments"] if x["title"] not in old_titles]
    assert d["new_developments"] == expected
    old_spots = {h["label"].casefold() for h in before["hotspots"]}
    assert d["hotspots_appeared"] == [
        h["label"] for h in now["hotspots"] if h["label"].casefold() not in old_spots
    ]
    first = _get(site, f"/api/reports/{web_store.previous_id}/diff").json()
    assert first["previous_id"] is None


def test_search_finds_inflected_forms_in_mongolian_and_russian(site) -> None:
    locative = "Улаанбаатарт шатахууны үнийн өсөлтийг эсэргүүцсэн жагсаал боллоо"
    for word in ("Улаанбаатар", "Улаанбаатарын"):  # nominative, genitive
        titles = [h["title"] for h in _get(site, "/api/articles", params={"q": word}).json()]
        assert locative in titles, word
    for word in ("Москва", "москвой"):
        hits = _get(site, "/api/articles", params={"q": word}).json()
        assert any("в Москве" in h["title"] for h in hits), word


def test_search_filters_narrow_the_hits(site) -> None:
    every = _get(site, "/api/articles", params={"limit": 200}).json()
    mongolian = _get(site, "/api/articles", params={"language": "mn", "limit": 200}).json()
    assert mongolian and all(h["language"] == "mn" for h in mongolian)
    assert len(mongolian) < len(every)
    secure = _get(site, "/api/articles", params={"security": "yes", "limit": 200}).json()
    other = _get(site, "/api/articles", params={"security": "no", "limit": 200}).json()
    assert secure and other
    assert {h["id"] for h in secure}.isdisjoint({h["id"] for h in other})
    assert len(secure) + len(other) == len(every)
    cyber = _get(site, "/api/articles", params={"category": "cyber"}).json()
    assert {h["id"] for h in cyber} <= {h["id"] for h in secure}
    source = every[0]["source_id"]
    one = _get(site, "/api/articles", params={"source": source, "limit": 200}).json()
    assert one and all(h["source_id"] == source for h in one)
    early = _get(site, "/api/articles", params={"until": "2000-01-01"}).json()
    assert early == []
    blank = dict.fromkeys(("q", "country", "category", "language", "source", "since"), "")
    assert _get(site, "/api/articles", params=blank).status_code == 200  # a blank form
    assert _get(site, "/articles", params=blank).status_code == 200
    # The page and the API take the same parameters, checked the same way (one dependency).
    for where in ("/api/articles", "/articles"):
        assert _get(site, where, params={"source": "one"}).status_code == 422
        assert _get(site, where, params={"since": "soon"}).status_code == 422
        assert _get(site, where, params={"since": "2026-02-30"}).status_code == 422
        assert _get(site, where, params={"since": "2026-01-31"}).status_code == 200
        assert _get(site, where, params={"until": "2028-02-29"}).status_code == 200
        assert _get(site, where, params={"category": "gossip"}).status_code == 400
    # The page pages as the API does.
    paged = _get(site, "/articles", params={"q": "Ulaanbaatar", "limit": 1}).text
    assert paged.count('<li><a href="/articles/') == 1


def test_article_view_says_why_it_counts(site) -> None:
    hit = _get(site, "/api/articles", params={"q": "Улаанбаатар"}).json()[0]
    a = _get(site, f"/api/articles/{hit['id']}").json()
    assert a["countries"] and a["countries"][0][0] == "MN"
    assert a["categories"]
    page = _get(site, f"/articles/{hit['id']}").text
    assert "Why it counts" in page and "Mongolia" in page
    assert _get(site, "/api/articles/999999").status_code == 404


def test_article_text_is_escaped_and_script_links_are_dropped(site, web_store) -> None:
    page = _get(site, f"/articles/{web_store.hostile_id}").text
    assert "<script>window.__xss" not in page and "<img src=" not in page
    assert "&lt;script&gt;" in page
    assert "javascript:" not in page
    listing = _get(site, "/articles", params={"q": "Hostile"}).text
    assert HOSTILE_TITLE not in listing and "&lt;img" in listing


def test_sources_show_status_and_rejects(site) -> None:
    rows = _get(site, "/api/sources").json()
    assert rows and all(
        r["status"] in {"working", "never fetched", "failing", "last fetch failed", "disabled"}
        for r in rows
    )
    assert any(r["status"] == "never fetched" for r in rows)  # the hostile feed
    assert "Hostile &lt;b&gt;outlet&lt;/b&gt;" in _get(site, "/sources").text


def test_openapi_describes_the_api(site) -> None:
    doc = _get(site, "/openapi.json").json()
    for path in ("/api/overview", "/api/articles", "/api/jobs/report", "/api/reports/{report_id}"):
        assert path in doc["paths"], path
    assert not any(p.startswith("/actions") or p == "/login" for p in doc["paths"])


# --- headers and limits --------------------------------------------------------------


def test_every_response_carries_the_security_headers(site) -> None:
    for path in ("/", "/api/overview", "/static/app.js", "/nowhere", "/login"):
        h = _get(site, path).headers
        assert "frame-ancestors 'none'" in h["content-security-policy"], path
        assert "default-src 'none'" in h["content-security-policy"], path
        assert h["referrer-policy"] == "no-referrer"
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"


def test_open_reads_answer_only_to_loopback_host_names(site) -> None:
    """Against DNS rebinding: a page on evil.example resolving to 127.0.0.1 is refused."""
    assert _get(site, "/api/overview", headers={"Host": "evil.example"}).status_code == 421
    assert _get(site, "/api/overview", headers={"Host": "evil.example:80"}).status_code == 421
    for host in ("localhost", "127.0.0.1:8000", "[::1]:8000", "localhost:1"):
        assert _get(site, "/api/overview", headers={"Host": host}).status_code == 200, host


def test_a_body_over_the_limit_is_refused(site) -> None:
    res = httpx.post(
        site.url + "/api/sources",
        content=b"{" + b" " * 100_000 + b"}",
        headers={**BEARER, "content-type": "application/json"},
        timeout=30,
    )
    assert res.status_code == 413


def test_a_slow_body_is_cut_off(web_store) -> None:
    served = serve(make_app(web_store, token=TOKEN, body_timeout=0.5))
    try:
        host, port = served.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(
                b"POST /api/jobs/report HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\n"
                + f"Authorization: Bearer {TOKEN}\r\n".encode()
                + b"Content-Length: 50\r\n\r\n{"
            )
            started = time.monotonic()
            answer = sock.recv(4096).decode()
        assert answer.startswith("HTTP/1.1 408"), answer
        assert time.monotonic() - started < 5
    finally:
        served.stop()


# --- who may write -------------------------------------------------------------------


def test_a_write_without_the_token_is_refused_and_audited(site) -> None:
    res = httpx.post(site.url + "/api/jobs/report", json={"country": "MN"}, timeout=30)
    assert res.status_code == 401
    wrong = httpx.post(
        site.url + "/api/jobs/report",
        json={"country": "MN"},
        headers={"Authorization": "Bearer " + "x" * 31},
        timeout=30,
    )
    assert wrong.status_code == 401
    refused = [e for e in _audit(site) if e["outcome"] == "refused" and e["action"] == "report"]
    assert len(refused) >= 2 and refused[0]["remote"] == "127.0.0.1"
    assert _get(site, "/api/audit").status_code == 401


def test_writes_are_disabled_without_a_token_and_pages_say_so(readonly_site) -> None:
    res = httpx.post(
        readonly_site.url + "/api/sources",
        json={"url": "https://new.example/feed.xml"},
        headers=BEARER,
        timeout=30,
    )
    assert res.status_code == 403 and "WATCHFLOOR_API_TOKEN" in res.json()["detail"]
    assert 'id="writes-disabled"' in _get(readonly_site, "/").text


def test_adding_a_source_with_the_token_is_audited(site) -> None:
    res = httpx.post(
        site.url + "/api/sources",
        json={"url": "https://added.example/feed.xml", "countries": ["MN"], "name": "Added"},
        headers=BEARER,
        timeout=30,
    )
    assert res.status_code == 201, res.text
    assert res.json()["source"]["countries"] == ["MN"]
    entry = next(e for e in _audit(site) if e["action"] == "add_source")
    assert (entry["actor"], entry["outcome"], entry["target"]) == (
        "bearer",
        "ok",
        "https://added.example/feed.xml",
    )
    local = httpx.post(
        site.url + "/api/sources", json={"url": "/etc/passwd"}, headers=BEARER, timeout=30
    )
    assert local.status_code == 400


def _sign_in(site) -> httpx.Client:
    client = httpx.Client(base_url=site.url, timeout=30)
    form = client.get("/login")
    nonce = re.search(r'name="login_nonce" value="([^"]+)"', form.text).group(1)
    res = client.post("/login", data={"token": TOKEN, "login_nonce": nonce})
    if res.status_code != 303:
        client.close()
    assert res.status_code == 303
    cookie = res.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    return client


def test_sign_in_gives_a_session_whose_forms_need_the_csrf_token(site) -> None:
    with httpx.Client(base_url=site.url, timeout=30) as bad:
        form = bad.get("/login")
        nonce = re.search(r'name="login_nonce" value="([^"]+)"', form.text).group(1)
        refused = bad.post("/login", data={"token": "wrong" * 8, "login_nonce": nonce})
        assert refused.status_code == 401
        assert "wf_session" not in refused.headers.get("set-cookie", "")
    client = _sign_in(site)
    try:
        page = client.get("/sources").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        data = {"url": "https://csrf.example/feed.xml", "countries": "MN"}
        assert client.post("/actions/source", data=data).status_code == 403
        assert client.post("/actions/source", data={**data, "csrf": "forged"}).status_code == 403
        ok = client.post("/actions/source", data={**data, "csrf": csrf})
        assert ok.status_code == 303 and ok.headers["location"].startswith("/sources/")
    finally:
        client.close()


def test_a_job_already_running_is_not_started_twice(site, web_store) -> None:
    store = web_store.store()
    try:
        held, created = dashboard.start_job(
            store, kind="report", key="report:MZ", params={}, actor="test"
        )
        assert created
        res = httpx.post(
            site.url + "/api/jobs/report", json={"country": "MZ"}, headers=BEARER, timeout=30
        )
        assert res.status_code == 202
        assert (res.json()["id"], res.json()["created"]) == (held.id, False)
    finally:
        dashboard.finish_job(store, held.id, error="released by the test")
        store.dispose()


def test_a_report_job_runs_to_the_end_with_progress(writable_site) -> None:
    site = writable_site
    res = httpx.post(
        site.url + "/api/jobs/report",
        json={"country": "MN", "start": "2026-04-27", "end": "2026-05-03"},
        headers=BEARER,
        timeout=30,
    )
    assert res.status_code == 202 and res.json()["created"]
    job_id = res.json()["id"]
    deadline = time.monotonic() + 120
    while True:
        job = _get(site, f"/api/jobs/{job_id}").json()
        if job["finished"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert job["status"] == "done", job
    assert (job["stage"], job["done"], job["total"]) == ("report", 1, 1)
    new_id = job["result"]["report_id"]
    assert _get(site, f"/api/reports/{new_id}").json()["country"] == "MN"


def test_a_collect_job_records_what_each_source_did(writable_site) -> None:
    site = writable_site
    res = httpx.post(
        site.url + "/api/jobs/collect", json={"country": "MN"}, headers=BEARER, timeout=30
    )
    assert res.status_code == 202 and res.json()["key"] == "collect:MN"
    job_id = res.json()["id"]
    deadline = time.monotonic() + 120
    while not (job := _get(site, f"/api/jobs/{job_id}").json())["finished"]:
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    assert job["status"] == "done", job
    # Only the feed added by the fixture is due; its host (hostile.example) does not exist.
    assert job["result"]["sources"] >= 1 and job["result"]["failed"] >= 1
    hostile = next(s for s in _get(site, "/api/sources").json() if "hostile" in s["url"])
    assert hostile["last_error"]


# --- where it may bind ---------------------------------------------------------------


def test_binding_beyond_loopback_needs_the_token_for_reads_too(web_store) -> None:
    with pytest.raises(ConfigError, match="needs WATCHFLOOR_API_TOKEN"):
        plan("0.0.0.0", 8000, {})
    with pytest.raises(ConfigError, match="shorter"):
        plan("127.0.0.1", 8000, {"WATCHFLOOR_API_TOKEN": "short"})
    local = plan("127.0.0.1", 8000, {})
    assert not local.reads_need_token and not local.writes_enabled
    public = plan("0.0.0.0", 8000, {"WATCHFLOOR_API_TOKEN": TOKEN})
    assert public.reads_need_token and public.writes_enabled
    assert plan("::1", 8000, {}).reads_need_token is False

    served = serve(make_app(web_store, token=TOKEN, reads_need_token=True))
    try:
        assert _get(served, "/api/overview").status_code == 401
        assert _get(served, "/api/overview", headers=BEARER).status_code == 200
        page = _get(served, "/", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login"
    finally:
        served.stop()


# --- job progress as server-sent events ----------------------------------------------


def _events(response: httpx.Response) -> list[tuple[str, dict]]:
    """The (event, data) pairs of a text/event-stream response, read to its end."""
    out: list[tuple[str, dict]] = []
    event, data = "message", []
    for line in response.iter_lines():
        if line == "":
            if data:
                out.append((event, json.loads("\n".join(data))))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    return out


def test_a_jobs_progress_streams_as_server_sent_events_until_it_finishes(writable_site) -> None:
    site = writable_site
    res = httpx.post(
        site.url + "/api/jobs/report",
        json={"country": "MN", "start": "2026-04-27", "end": "2026-05-03"},
        headers=BEARER,
        timeout=30,
    )
    job_id = res.json()["id"]
    with httpx.stream("GET", f"{site.url}/api/jobs/{job_id}/events", timeout=120) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert "default-src 'none'" in stream.headers["content-security-policy"]
        events = _events(stream)
    names = [e for e, _ in events]
    assert names[-1] == "done" and set(names[:-1]) <= {"progress"}
    last = events[-1][1]
    assert last["status"] == "done" and last["finished"] and last["result"]["report_id"]
    # Each event differs from the one before: a change is sent once.
    states = [(d["status"], d["stage"], d["done"], d["total"], d["message"]) for _, d in events]
    assert all(a != b for a, b in itertools.pairwise(states))
    # A finished job's stream is its one last event; an unknown job is a 404.
    with httpx.stream("GET", f"{site.url}/api/jobs/{job_id}/events", timeout=30) as again:
        assert [e for e, _ in _events(again)] == ["done"]
    assert _get(site, "/api/jobs/999999/events").status_code == 404


# --- the [web] settings ---------------------------------------------------------------


def test_the_web_settings_reach_the_server_and_serve_flags_override_them(
    web_store, tmp_path
) -> None:
    from click.testing import CliRunner

    from watchfloor.cli import cli
    from watchfloor.config import load_settings
    from watchfloor.store.db import Store
    from watchfloor.web import WebConfig, create_app

    with pytest.raises(ConfigError, match="jobs = 'queue'"):
        load_settings(None, env={"WATCHFLOOR_WEB_JOBS": "queue"})
    db = f"sqlite:///{web_store.path}"
    settings = load_settings(None, env={"WATCHFLOOR_WEB_MAX_BODY": "1024"}, overrides={"db": db})
    config = WebConfig.from_settings(settings, token=TOKEN, reads_need_token=False)
    served = serve(create_app(settings, Store(db), config))
    try:
        big = httpx.post(
            served.url + "/api/sources", content=b"x" * 2000, headers=BEARER, timeout=30
        )
        assert big.status_code == 413
    finally:
        served.stop()
    # On loopback, [web] reads_need_token asks for the token anyway (and so needs one).
    assert plan("127.0.0.1", 8000, {"WATCHFLOOR_API_TOKEN": TOKEN}, reads_need_token=True)
    with pytest.raises(ConfigError, match="reads_need_token"):
        plan("127.0.0.1", 8000, {}, reads_need_token=True)
    # The host comes from [web] (here the environment), and --host overrides it; either
    # way a public address without the token is refused before anything starts.
    runner = CliRunner()
    env = {"WATCHFLOOR_API_TOKEN": ""}
    by_setting = runner.invoke(
        cli, ["--db", db, "serve"], env={**env, "WATCHFLOOR_WEB_HOST": "0.0.0.0"}
    )
    assert by_setting.exit_code == 1 and "binding 0.0.0.0" in by_setting.output
    by_flag = runner.invoke(cli, ["--db", db, "serve", "--host", "192.0.2.1"], env=env)
    assert by_flag.exit_code == 1 and "binding 192.0.2.1" in by_flag.output
    assert runner.invoke(cli, ["--db", db, "serve", "--jobs", "queue"]).exit_code == 2


def test_ids_and_dates_out_of_range_are_refused_not_server_errors(site) -> None:
    """What schemathesis found: ids past SQL's 64-bit integers made every id route fail with
    500 (OverflowError in the driver), and a report period near year 1 overflowed."""
    huge = str(2**95)
    for path in (
        f"/reports/{huge}",
        f"/reports/{huge}/diff",
        f"/reports/{huge}/download/md",
        f"/articles/{huge}",
        f"/sources/{huge}",
        f"/sources/1?old={huge}",
        f"/jobs/{huge}",
        f"/api/reports/{huge}",
        f"/api/articles/{huge}",
        f"/api/jobs/{huge}",
        f"/api/jobs/{huge}/events",
        f"/api/sources/{huge}/pages",
    ):
        assert _get(site, path).status_code == 422, path
    res = httpx.post(
        site.url + "/api/jobs/report",
        json={"country": "MN", "end": "0001-01-01"},
        headers=BEARER,
        timeout=30,
    )
    assert res.status_code == 400 and "outside" in res.json()["detail"]
