"""Watched countries: each one's report written on its own schedule, and alerts.

A watch is a country, a five-field cron expression and an IANA time zone in which the
expression is read (``0 6 * * FRI`` in ``Asia/Ulaanbaatar``: Fridays at 06:00 there).
Each scheduled report covers the seven days before its scheduled time, in that zone, and
is stored like any other, so its threat trend compares with the report before it.

When is a report due? The cron times come from APScheduler's ``CronTrigger``. The watch
keeps the scheduled time of the last report it wrote; the next one is the first cron time
after it. Three rules sit on top:

* **Caught up once.** After a time when nothing ran, only the latest missed time is
  written, not one report per missed time.
* **Daylight saving neither skips nor doubles.** A wall-clock time that does not exist
  (spring forward) runs at the instant it maps to; a wall-clock time that happens twice
  (fall back) runs once: a cron time with the same local wall-clock reading as the last
  one is not a new run.
* **Once, even with several schedulers.** The report is built, then the watch is moved
  on with a compare-and-set; a process that lost the race deletes its copy.

Alerts: when the report's threat level differs from the previous level, or a key
development of the highest severity (3) appears that the previous scheduled report did
not have, an alert is logged, stored (``alerts``, once per report and kind) and, when
``[schedule] webhook_url`` is set, POSTed as a small JSON signed with HMAC-SHA256 of
``webhook_secret`` (header ``X-Watchfloor-Signature: sha256=<hex>``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watchfloor.analyze.facts import country_timezone
from watchfloor.config import Settings
from watchfloor.countries import validate_country
from watchfloor.errors import WatchError
from watchfloor.models.report import Report
from watchfloor.services.reports import BuiltReport, ReportClaimedError, build_and_store
from watchfloor.store import watch as w
from watchfloor.store.db import Connection, Store

__all__ = [
    "TOP_SEVERITY",
    "AddedWatch",
    "Alert",
    "ScheduledRun",
    "add_watch",
    "due_fire",
    "fires_after",
    "list_alerts",
    "list_watches",
    "period_for",
    "remove_watch",
    "run_due_reports",
    "sign",
]

log = logging.getLogger(__name__)

TOP_SEVERITY = 3
"""The highest security severity of a development (armed violence, terrorism, ...)."""
SIGNATURE_HEADER = "X-Watchfloor-Signature"


@dataclass(frozen=True, slots=True)
class AddedWatch:
    """A watch after :func:`add_watch`; ``created`` is False when the country was watched."""

    watch: w.Watch
    created: bool
    next_fire: datetime


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert raised by a scheduled report, and whether the webhook took it."""

    id: int
    kind: str
    payload: dict[str, Any]
    delivered: bool
    error: str | None


@dataclass(frozen=True, slots=True)
class ScheduledRun:
    """A scheduled report that was written (``built``), with its alerts."""

    country: str
    fire: datetime
    built: BuiltReport
    alerts: tuple[Alert, ...]


# --- the schedule ----------------------------------------------------------------------


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise WatchError(
            f"unknown time zone {name!r}: use an IANA name, e.g. Asia/Ulaanbaatar"
        ) from exc


def _trigger(cron: str, timezone: str) -> Any:
    from apscheduler.triggers.cron import CronTrigger

    try:
        return CronTrigger.from_crontab(cron, timezone=_zone(timezone))
    except ValueError as exc:
        raise WatchError(
            f"cannot read the schedule {cron!r}: use five cron fields, minute hour day "
            f'month weekday, e.g. "0 6 * * FRI" ({exc})'
        ) from exc


def fires_after(cron: str, timezone: str, after: datetime) -> Iterator[datetime]:
    """The cron times strictly after *after*, in UTC, each wall-clock time once.

    A local time that happens twice when clocks fall back gives one run, not two; a local
    time that never happens when clocks spring forward runs at the instant it maps to.
    """
    trigger = _trigger(cron, timezone)
    tz = _zone(timezone)
    last_wall = after.astimezone(tz).replace(tzinfo=None)
    cursor = after
    while True:
        found = trigger.get_next_fire_time(None, cursor + timedelta(seconds=1))
        if found is None:
            return
        fire = found.astimezone(UTC)
        cursor = fire
        wall = fire.astimezone(tz).replace(tzinfo=None)
        if wall == last_wall:
            continue  # the same wall-clock time again, after clocks fell back
        last_wall = wall
        yield fire


def due_fire(watch: w.Watch, now: datetime) -> datetime | None:
    """The latest scheduled time at or before *now* not yet written, or None.

    Missed times are caught up once: only the latest of them is returned.
    """
    reference = watch.last_fire_at or watch.created_at
    first = next(fires_after(watch.cron, watch.timezone, reference), None)
    if first is None or first > now:
        return None
    # Search forward from a recent start so that a long outage does not walk every
    # missed minute: the latest time due lies after one of these starts.
    for back in (timedelta(days=1), timedelta(days=32), timedelta(days=367), None):
        start = reference if back is None else max(reference, now - back)
        latest = None
        for fire in fires_after(watch.cron, watch.timezone, start):
            if fire > now:
                break
            latest = fire
        if latest is not None:
            return latest
    return first


def period_for(fire: datetime, timezone: str) -> tuple[date, date]:
    """The seven days before a scheduled time, in the watch's zone (inclusive dates)."""
    day = fire.astimezone(_zone(timezone)).date()
    return day - timedelta(days=7), day - timedelta(days=1)


# --- the watch list --------------------------------------------------------------------


def add_watch(
    settings: Settings, store: Store, country: str, *, cron: str, timezone: str | None = None
) -> AddedWatch:
    """Watch a country: write its report on the cron schedule, read in *timezone* (the
    country's main zone when None). Watching it again changes the schedule.

    Raises:
        WatchError: a schedule or time zone that cannot be read.
    """
    code = validate_country(country)
    zone = timezone or country_timezone(code)
    now = datetime.now(UTC)
    first = next(fires_after(cron, zone, now), None)
    if first is None:
        raise WatchError(f"the schedule {cron!r} never runs")
    store.check_ready()
    with store.begin() as conn:
        watch, created = w.add_watch(conn, country=code, cron=cron.strip(), timezone=zone)
    return AddedWatch(watch, created, first)


def list_watches(store: Store) -> list[tuple[w.Watch, datetime | None]]:
    """Every watched country, with its next scheduled report."""
    store.check_ready()
    with store.connect() as conn:
        found = w.list_watches(conn)
    out = []
    for watch in found:
        reference = watch.last_fire_at or watch.created_at
        out.append((watch, next(fires_after(watch.cron, watch.timezone, reference), None)))
    return out


def remove_watch(store: Store, country: str) -> w.Watch:
    """Stop watching a country (its stored reports stay)."""
    code = validate_country(country)
    store.check_ready()
    with store.begin() as conn:
        return w.remove_watch(conn, code)


def list_alerts(store: Store, *, country: str | None = None) -> list[w.StoredAlert]:
    """Alerts raised by scheduled reports, oldest first."""
    store.check_ready()
    with store.connect() as conn:
        return w.list_alerts(conn, country=validate_country(country) if country else None)


# --- running what is due ----------------------------------------------------------------


def run_due_reports(
    settings: Settings, store: Store, *, now: datetime | None = None
) -> list[ScheduledRun]:
    """Write every watched country's report that is due at *now* (default: now).

    Idempotent: a time already written is not written again, even when two processes
    run this at once. Reports go to the store, and as files to ``[schedule] report_dir``
    when it is set.
    """
    now = now or datetime.now(UTC)
    store.check_ready()
    with store.connect() as conn:
        watched = w.list_watches(conn)
    runs = []
    for watch in watched:
        fire = due_fire(watch, now)
        if fire is None:
            continue
        run = _run_one(settings, store, watch, fire)
        if run is not None:
            runs.append(run)
    return runs


def _run_one(
    settings: Settings, store: Store, watch: w.Watch, fire: datetime
) -> ScheduledRun | None:
    start, end = period_for(fire, watch.timezone)
    out_dir = Path(settings.schedule.report_dir) if settings.schedule.report_dir else None

    def claim(conn: Connection, report_id: int) -> bool:
        # In the transaction that stores the report: a process killed before it commits
        # leaves neither the report nor the done mark, and the next run redoes both.
        return w.claim_fire(
            conn, watch.id, previous=watch.last_fire_at, fire=fire, report_id=report_id
        )

    try:
        built = build_and_store(
            settings,
            store,
            country=watch.country,
            start=start,
            end=end,
            timezone=watch.timezone,
            out_dir=out_dir,
            formats=list(settings.report.formats) if out_dir is not None else (),
            claim=claim,
        )
    except ReportClaimedError:
        log.info("report of %s for %s was written by another process", watch.country, fire)
        return None
    with store.connect() as conn:
        before = (
            set() if watch.last_report_id is None else w.development_ids(conn, watch.last_report_id)
        )
    log.info(
        "scheduled report %d of %s, %s to %s: %s",
        built.id,
        watch.country,
        start,
        end,
        built.report.threat.level,
    )
    alerts = tuple(_raise_alerts(settings, store, built, before))
    return ScheduledRun(watch.country, fire, built, alerts)


def _alert_payloads(
    report: Report, report_id: int, before: set[str]
) -> list[tuple[str, dict[str, Any]]]:
    base = {
        "country": report.country,
        "report_id": report_id,
        "period": {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()},
        "threat_level": report.threat.level,
        "threat_score": report.threat.score,
    }
    found: list[tuple[str, dict[str, Any]]] = []
    previous = report.threat.trend.previous_level
    if previous is not None and previous != report.threat.level:
        found.append(("threat-level", {**base, "kind": "threat-level", "previous_level": previous}))
    new_top = [
        d
        for d in report.key_developments
        if d.severity_level == TOP_SEVERITY and d.id not in before
    ]
    if new_top:
        found.append(
            (
                "top-development",
                {
                    **base,
                    "kind": "top-development",
                    "developments": [
                        {"id": d.id, "title": d.title, "severity": d.severity_level}
                        for d in new_top
                    ],
                },
            )
        )
    return found


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the HMAC-SHA256 of *body*, in hex."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _raise_alerts(
    settings: Settings, store: Store, built: BuiltReport, before: set[str]
) -> Iterator[Alert]:
    for kind, payload in _alert_payloads(built.report, built.id, before):
        with store.begin() as conn:
            alert_id = w.record_alert(
                conn, country=built.report.country, report_id=built.id, kind=kind, payload=payload
            )
        if alert_id is None:
            continue  # raised already by an earlier attempt at this report
        log.warning("alert %s for %s: %s", kind, built.report.country, json.dumps(payload))
        error = _post(settings, payload) if settings.schedule.webhook_url else None
        if settings.schedule.webhook_url:
            with store.begin() as conn:
                w.mark_alert(conn, alert_id, error=error)
        yield Alert(
            alert_id, kind, payload, settings.schedule.webhook_url != "" and error is None, error
        )


def _post(settings: Settings, payload: dict[str, Any]) -> str | None:
    """POST one alert to the webhook; the error as text, or None when it was taken."""
    import httpx

    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if settings.schedule.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(body, settings.schedule.webhook_secret)
    try:
        response = httpx.post(
            settings.schedule.webhook_url,
            content=body,
            headers=headers,
            timeout=settings.schedule.webhook_timeout,
        )
    except httpx.HTTPError as exc:
        log.error("alert webhook failed: %s", exc)
        return str(exc) or type(exc).__name__
    if response.status_code >= 300:
        log.error("alert webhook answered %d", response.status_code)
        return f"webhook answered HTTP {response.status_code}"
    return None
