"""The pages in a real browser: Debian's Chromium driven by Playwright's Python package.

The browser is launched from ``/usr/bin/chromium`` through ``executable_path``; no browser
is ever downloaded. Without Chromium or the ``playwright`` package these tests skip with
the reason, except under ``CI=true``, where they fail. Each saves a screenshot in its
``tmp_path``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import TOKEN

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: Runs before the page's scripts: keeps the Leaflet map the report's script creates, so a
#: test can find where a marker is drawn and click there like a user.
KEEP_MAP = """
(() => {
  let kept;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return kept; },
    set(value) {
      kept = value;
      if (value && value.Map && value.Map.addInitHook) {
        value.Map.addInitHook(function () { window.__wfMap = this; });
      }
    },
  });
})();
"""


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"no {CHROMIUM} (make browser installs Debian's chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (the dev extra has it)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    why = _missing()
    if why:
        if IN_CI:
            pytest.fail(f"browser tests must run under CI: {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    pg.screenshot(path=str(tmp_path / "screenshot.png"), full_page=True)
    assert (tmp_path / "screenshot.png").stat().st_size > 1000
    context.close()


def _sign_in(page: Any, site: Any) -> None:
    page.goto(site.url + "/login")
    page.fill("input[name=token]", TOKEN)
    page.click("button[type=submit]")
    page.wait_for_url(site.url + "/")


def test_overview_loads(page, site) -> None:
    page.goto(site.url + "/")
    row = page.locator("tr[data-country=MN]")
    assert "Mongolia" in row.inner_text()
    assert page.locator("svg.world path").count() > 100
    assert page.locator('svg.world a[href="/countries/MN"]').count() == 1
    assert page.errors == []


def test_country_and_its_chart(page, site, web_store) -> None:
    page.goto(site.url + "/")
    page.click("tr[data-country=MN] a[href='/countries/MN']")
    page.wait_for_url("**/countries/MN")
    assert page.locator("h1").inner_text().startswith("Mongolia")
    chart = page.locator("#score-chart svg")
    assert chart.bounding_box()["width"] > 300
    assert chart.locator("circle").count() == 2
    titles = chart.locator("circle title").all_text_contents()
    assert all(re.match(r"\d{4}-\d\d-\d\d: ", t) for t in titles)
    assert page.locator("#latest-report").get_attribute("href") == f"/reports/{web_store.report_id}"


def test_report_opens_with_its_map(page, site, web_store) -> None:
    page.goto(site.url + f"/reports/{web_store.report_id}")
    assert page.locator("#wf-bar").is_visible()
    assert page.locator("h1").count() >= 1
    page.wait_for_selector("#map.leaflet-container")  # the inline map script ran (CSP hash)
    assert page.evaluate("typeof window.L") == "object"
    assert page.locator("#wf-bar a[download]").count() == 6
    assert page.errors == []


def test_click_a_hotspot_marker_and_read_its_popup(page, site, web_store) -> None:
    page.add_init_script(KEEP_MAP)
    page.goto(site.url + f"/reports/{web_store.report_id}")
    page.wait_for_selector("#map.leaflet-container")
    page.locator("#map").scroll_into_view_if_needed()
    data = page.evaluate("JSON.parse(document.getElementById('map-data').textContent)")
    target = max(data["hotspots"], key=lambda h: h["intensity"])
    x, y = page.evaluate(
        """([lat, lng]) => {
            const m = window.__wfMap;
            const p = m.latLngToContainerPoint([lat, lng]);
            const r = m.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        [target["lat"], target["lng"]],
    )
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "intensity" in text and "[" in text
    assert popup.locator("a[href^='#source-']").count() >= 1


def test_follow_a_citation_to_the_annex(page, site, web_store) -> None:
    page.goto(site.url + f"/reports/{web_store.report_id}")
    cite = page.locator("a.cite").first
    anchor = cite.get_attribute("href")
    cite.click()
    assert page.evaluate("location.hash") == anchor
    row = page.locator(f"tr{anchor}")
    assert row.is_visible()
    assert page.evaluate(f"document.querySelector('{anchor}').matches(':target')")
    original = row.locator("a[target=_blank]")
    if original.count():
        assert "noreferrer" in original.get_attribute("rel")


def test_search_with_filters(page, site) -> None:
    page.goto(site.url + "/articles")
    page.fill("input[name=q]", "Улаанбаатар")
    page.fill("input[name=language]", "mn")
    page.select_option("select[name=security]", "yes")
    page.click("#search")
    page.wait_for_url("**/articles?*")
    hits = page.locator("#hits li")
    assert hits.count() >= 1
    for meta in hits.locator(".meta").all_inner_texts():
        assert meta.endswith("· mn")
    assert any("Улаанбаатарт" in t for t in hits.all_inner_texts())  # an inflected form
    assert page.input_value("input[name=q]") == "Улаанбаатар"  # the form keeps the filters
    everything = page.locator("#hit-count").inner_text()
    page.select_option("select[name=security]", "")
    page.fill("input[name=language]", "")
    page.click("#search")
    page.wait_for_load_state()
    assert page.locator("#hits li").count() >= hits.count()
    assert everything


def test_trigger_a_report_and_see_the_progress_finish(page, writable_site) -> None:
    site = writable_site
    _sign_in(page, site)
    page.goto(site.url + "/countries/MN")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.click("#report-now")
    page.wait_for_url(re.compile(r".*/jobs/\d+$"))
    # (wait_for_function would evaluate a string: the page's CSP forbids that.)
    page.locator("#job[data-status=done]").wait_for(timeout=120_000)
    # Followed by its server-sent events, not by the polling fallback.
    assert page.locator("#job").get_attribute("data-follow") == "events"
    assert any(r.endswith("/events") for r in requests)
    assert not any(re.search(r"/api/jobs/\d+$", r) for r in requests)
    assert page.locator("#job-status").inner_text() == "done"
    assert page.locator("#job-count").inner_text() == "1/1"
    page.click("#job-result a")
    page.wait_for_selector("#wf-bar")
    assert page.errors == []


def test_a_write_without_the_token_is_refused(page, site, readonly_site) -> None:
    page.goto(site.url + "/")
    assert page.locator("#sign-in-to-write").is_visible()
    assert page.locator("#collect-now").count() == 0
    status = page.evaluate(
        """async () => (await fetch('/api/jobs/report', {method: 'POST',
            headers: {'content-type': 'application/json'},
            body: JSON.stringify({country: 'MN'})})).status"""
    )
    assert status == 401
    _sign_in(page, site)
    # Signed in, a write by cookie without the form's CSRF token is still refused.
    forged = page.evaluate(
        """async () => (await fetch('/actions/collect', {method: 'POST',
            headers: {'content-type': 'application/x-www-form-urlencoded'},
            body: 'country=MN'})).status"""
    )
    assert forged == 403
    page.goto(readonly_site.url + "/")
    assert "writes are disabled" in page.locator("#writes-disabled").inner_text()


def test_injected_script_and_onerror_never_run(page, site, web_store) -> None:
    page.goto(site.url + "/articles?q=Hostile")
    page.goto(site.url + f"/articles/{web_store.hostile_id}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[onerror]").count() == 0
    assert page.locator("main script").count() == 0
    assert "<script>" in page.locator("#article-title").inner_text()  # shown as text
    page.goto(site.url + "/countries/MN")
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss") is None
    assert page.errors == []
