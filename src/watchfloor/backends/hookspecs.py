"""The one plugin hook: a package adds analyst backends by implementing it.

    from watchfloor.backends.hookspecs import hookimpl

    @hookimpl
    def register_llm_backends(register):
        register(MyBackend())

and declaring ``[project.entry-points."watchfloor.backends"] my = "my_package.plugin"``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from watchfloor.backends.base import Backend

__all__ = ["PROJECT", "hookimpl", "hookspec", "register_llm_backends"]

PROJECT = "watchfloor"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_llm_backends(register: Callable[[Backend], None]) -> None:
    """Register analyst backends by calling ``register(backend)`` for each."""
