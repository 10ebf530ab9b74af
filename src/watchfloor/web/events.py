"""A job's progress as server-sent events (``GET /api/jobs/{id}/events``).

The job's row is the one channel: it is read every ``interval`` seconds, whether the job
runs in a thread of the server or on a Celery worker, and each change is sent as
``event: progress`` with the job as JSON; once it finished, ``event: done`` and the
stream ends. A comment every :data:`KEEP_ALIVE` seconds without a change keeps idle
proxies from closing it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from time import monotonic
from typing import Any

from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from starlette.requests import Request

from watchfloor.services import dashboard
from watchfloor.services.progress import CancelToken
from watchfloor.store.db import Store
from watchfloor.store.web import Job

__all__ = ["KEEP_ALIVE", "EventStream", "job_event_stream"]

#: Seconds without a change after which a comment is sent.
KEEP_ALIVE = 15.0


class EventStream(StreamingResponse):
    """A ``text/event-stream`` response (server-sent events)."""

    media_type = "text/event-stream"


async def job_event_stream(
    request: Request,
    store: Store,
    job: Job,
    *,
    as_json: Callable[[Job], dict[str, Any]],
    interval: float,
    max_seconds: float,
    stop: CancelToken,
) -> AsyncIterator[str]:
    """The stream of *job* until it finished, the client left, *max_seconds* passed or
    *stop* is set (the server is shutting down)."""
    started = last_sent = monotonic()
    seen: tuple[Any, ...] | None = None
    yield "retry: 2000\n\n"
    current: Job | None = job
    while current is not None:
        state = (current.status, current.stage, current.done, current.total, current.message)
        now = monotonic()
        if state != seen:
            seen, last_sent = state, now
            event = "done" if current.finished else "progress"
            body = json.dumps(as_json(current), separators=(",", ":"))
            yield f"event: {event}\ndata: {body}\n\n"
        elif now - last_sent >= KEEP_ALIVE:
            last_sent = now
            yield ": keep-alive\n\n"
        if current.finished or now - started > max_seconds:
            return
        await asyncio.sleep(interval)
        if await request.is_disconnected() or stop.is_set():
            return
        current = await run_in_threadpool(dashboard.get_job, store, job.id)
