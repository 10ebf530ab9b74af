"""How long services report progress and learn that they should stop.

A service takes ``progress`` (called with a :class:`Progress` after each unit of work:
a source fetched, a batch of articles enriched) and ``cancel`` (anything with
``is_set()``, such as a ``threading.Event``). Between units it checks ``cancel``; when
it is set, the service raises :class:`Cancelled`. Work finished before that point is
already committed to the store; nothing after it was started.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from watchfloor.errors import WatchfloorError

__all__ = ["CancelToken", "Cancelled", "Progress", "ProgressCallback", "Reporter"]


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of a long service: ``done`` of ``total`` units in ``stage``."""

    stage: str
    done: int
    total: int
    message: str = ""


ProgressCallback = Callable[[Progress], None]


class CancelToken(Protocol):
    """What ``cancel`` must offer: ``threading.Event`` and ``asyncio.Event`` both do."""

    def is_set(self) -> bool: ...


class Cancelled(WatchfloorError):
    """A service stopped between units of work because it was asked to.

    ``done`` units of ``total`` in ``stage`` were finished and stored.
    """

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__(f"{stage} cancelled after {done} of {total}")
        self.stage = stage
        self.done = done
        self.total = total


class Reporter:
    """Counts units of one stage, reports each and stops when cancelled."""

    def __init__(
        self,
        stage: str,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> None:
        self.stage = stage
        self.progress = progress
        self.cancel = cancel
        self.done = 0
        self.total = 0

    def check(self) -> None:
        """Raise :class:`Cancelled` if the caller asked to stop."""
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled(self.stage, self.done, self.total)

    def start(self, total: int) -> None:
        self.total = total
        self.check()
        if self.progress is not None:
            self.progress(Progress(self.stage, 0, total))

    def advance(self, units: int = 1, message: str = "") -> None:
        """Record finished units, report them, then stop here if cancelled."""
        self.done += units
        if self.progress is not None:
            self.progress(Progress(self.stage, self.done, self.total, message))
        self.check()
