"""Watched countries and their alerts: the ``watches`` and ``alerts`` tables (m006)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from watchfloor.store.schema import alerts, reports, watches

__all__ = [
    "StoredAlert",
    "Watch",
    "add_watch",
    "claim_fire",
    "development_ids",
    "get_watch",
    "list_alerts",
    "list_watches",
    "mark_alert",
    "record_alert",
    "remove_watch",
]


@dataclass(frozen=True, slots=True)
class Watch:
    """A watched country: its report schedule (cron, in its time zone) and last run."""

    id: int
    country: str
    cron: str
    timezone: str
    created_at: datetime
    last_fire_at: datetime | None
    """The scheduled time of the last report written (not when it was written)."""
    last_report_id: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "country": self.country,
            "cron": self.cron,
            "timezone": self.timezone,
            "created_at": self.created_at.isoformat(),
            "last_fire_at": None if self.last_fire_at is None else self.last_fire_at.isoformat(),
            "last_report_id": self.last_report_id,
        }


def _watch(row: Row[Any]) -> Watch:
    m = row._mapping
    return Watch(
        id=m["id"],
        country=m["country"],
        cron=m["cron"],
        timezone=m["timezone"],
        created_at=m["created_at"],
        last_fire_at=m["last_fire_at"],
        last_report_id=m["last_report_id"],
    )


def add_watch(conn: Connection, *, country: str, cron: str, timezone: str) -> tuple[Watch, bool]:
    """Watch a country, or change its schedule; return it and whether it was new.

    A changed schedule starts afresh from now: nothing missed under the old one is caught up.
    """
    now = datetime.now(UTC)
    existing = conn.execute(select(watches).where(watches.c.country == country)).first()
    if existing is not None:
        changed = (existing.cron, existing.timezone) != (cron, timezone)
        values: dict[str, Any] = {"cron": cron, "timezone": timezone}
        if changed:
            values["created_at"] = now
            values["last_fire_at"] = None
        conn.execute(update(watches).where(watches.c.id == existing.id).values(**values))
        return get_watch(conn, country), False
    conn.execute(
        insert(watches).values(country=country, cron=cron, timezone=timezone, created_at=now)
    )
    return get_watch(conn, country), True


def get_watch(conn: Connection, country: str) -> Watch:
    row = conn.execute(select(watches).where(watches.c.country == country)).first()
    if row is None:
        from watchfloor.errors import WatchError

        raise WatchError(f"{country} is not watched: see 'watchfloor watch list'")
    return _watch(row)


def list_watches(conn: Connection) -> list[Watch]:
    return [_watch(r) for r in conn.execute(select(watches).order_by(watches.c.country))]


def remove_watch(conn: Connection, country: str) -> Watch:
    """Stop watching a country; its reports stay."""
    watch = get_watch(conn, country)
    conn.execute(delete(watches).where(watches.c.id == watch.id))
    return watch


def claim_fire(
    conn: Connection, watch_id: int, *, previous: datetime | None, fire: datetime, report_id: int
) -> bool:
    """Mark the scheduled time *fire* as done with *report_id*, unless another process
    already moved the watch on from *previous* (compare-and-set); True when it was ours."""
    condition = (
        watches.c.last_fire_at.is_(None) if previous is None else watches.c.last_fire_at == previous
    )
    done = conn.execute(
        update(watches)
        .where(watches.c.id == watch_id, condition)
        .values(last_fire_at=fire, last_report_id=report_id)
    )
    return done.rowcount == 1


def development_ids(conn: Connection, report_id: int) -> set[str]:
    """The story ids of a stored report's key developments."""
    row = conn.execute(select(reports.c.report).where(reports.c.id == report_id)).first()
    if row is None:
        return set()
    return {str(d["id"]) for d in (row.report or {}).get("key_developments", [])}


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """One alert: what changed, the JSON that was (or would be) posted, delivery."""

    id: int
    country: str
    report_id: int
    kind: str
    payload: dict[str, Any]
    created_at: datetime
    delivered_at: datetime | None
    delivery_error: str | None


def record_alert(
    conn: Connection, *, country: str, report_id: int, kind: str, payload: dict[str, Any]
) -> int | None:
    """Keep an alert; None when this report already raised this kind (a redone run)."""
    try:
        with conn.begin_nested():
            result = conn.execute(
                insert(alerts).values(
                    country=country,
                    report_id=report_id,
                    kind=kind,
                    payload=payload,
                    created_at=datetime.now(UTC),
                )
            )
    except IntegrityError:
        return None
    pk = result.inserted_primary_key
    return None if pk is None else int(pk[0])


def mark_alert(conn: Connection, alert_id: int, *, error: str | None) -> None:
    """Record the webhook delivery of an alert (or why it failed)."""
    values: dict[str, Any] = {"delivery_error": error}
    if error is None:
        values["delivered_at"] = datetime.now(UTC)
    conn.execute(update(alerts).where(alerts.c.id == alert_id).values(**values))


def list_alerts(conn: Connection, *, country: str | None = None) -> list[StoredAlert]:
    query = select(alerts).order_by(alerts.c.id)
    if country:
        query = query.where(alerts.c.country == country)
    return [
        StoredAlert(
            id=r.id,
            country=r.country,
            report_id=r.report_id,
            kind=r.kind,
            payload=dict(r.payload),
            created_at=r.created_at,
            delivered_at=r.delivered_at,
            delivery_error=r.delivery_error,
        )
        for r in conn.execute(query)
    ]
