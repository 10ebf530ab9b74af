"""Find analyst backends: the built-ins plus any installed plugin.

Plugins are packages with an entry point in group ``watchfloor.backends`` whose module
implements :func:`watchfloor.backends.hookspecs.register_llm_backends`. Entry points are
loaded on the first lookup; tests register a module or object with
``plugin_manager().register(...)`` and unregister it afterwards.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from types import ModuleType

import pluggy

from watchfloor.backends import hookspecs
from watchfloor.backends.base import Backend
from watchfloor.errors import UnknownBackendError, WatchfloorError

__all__ = ["ENTRY_POINT_GROUP", "backends", "get_backend", "plugin_manager"]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "watchfloor.backends"
#: Built-in modules; the LLM ones are registered when present in this installation.
_BUILTINS = (
    "watchfloor.backends.extractive",
    "watchfloor.backends.openai_compat",
    "watchfloor.backends.llamacpp",
)
_PM: pluggy.PluginManager | None = None


def _builtin_modules() -> list[ModuleType]:
    out = []
    for name in _BUILTINS:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        if hasattr(module, "register_llm_backends"):
            out.append(module)
    return out


def plugin_manager() -> pluggy.PluginManager:
    """Return the process's plugin manager, loading entry points the first time."""
    global _PM
    if _PM is None:
        pm = pluggy.PluginManager(hookspecs.PROJECT)
        pm.add_hookspecs(hookspecs)
        for module in _builtin_modules():
            pm.register(module, name=f"builtin:{module.__name__}")
        try:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except Exception as exc:  # a broken plugin must not take the built-ins down
            log.warning("could not load %s plugins: %s", ENTRY_POINT_GROUP, exc)
        _PM = pm
    return _PM


def backends() -> dict[str, Backend]:
    """Return every registered backend by id (the first registration of an id wins)."""
    found: dict[str, Backend] = {}

    def register(backend: Backend) -> None:
        if not isinstance(backend, Backend):
            raise WatchfloorError(
                f"register_llm_backends registered {backend!r}, which is not a Backend"
            )
        found.setdefault(backend.backend_id, backend)

    plugin_manager().hook.register_llm_backends(register=register)
    return found


def get_backend(name: str) -> Backend:
    """Return the backend called *name*.

    Raises:
        UnknownBackendError: no backend of that name; the message lists the known ones.
    """
    known = backends()
    if name not in known:
        raise UnknownBackendError(
            f"unknown analyst backend {name!r}; known backends: {', '.join(sorted(known))} "
            "(install a plugin to add one)"
        )
    return known[name]
