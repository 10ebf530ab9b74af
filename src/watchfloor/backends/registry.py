"""Find analyst backends: the built-ins plus any installed plugin.

Plugins are packages with an entry point in group ``watchfloor.backends`` whose module
implements :func:`watchfloor.backends.hookspecs.register_llm_backends`. Entry points are
loaded on the first lookup; tests register a module or object with
``plugin_manager().register(...)`` and unregister it afterwards.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

import pluggy

from watchfloor.backends import hookspecs
from watchfloor.backends.base import Backend
from watchfloor.config import BackendsSettings
from watchfloor.errors import UnknownBackendError, WatchfloorError

__all__ = [
    "BUILTINS",
    "ENTRY_POINT_GROUP",
    "backends",
    "get_backend",
    "make_plugin_manager",
    "plugin_manager",
]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "watchfloor.backends"
#: Built-in backend modules. Each must exist and implement ``register_llm_backends``.
BUILTINS: tuple[str, ...] = ("watchfloor.backends.extractive", "watchfloor.backends.openai")
_PM: pluggy.PluginManager | None = None


def _builtin_modules(names: tuple[str, ...] = BUILTINS) -> list[ModuleType]:
    """Import the built-in backend modules.

    Raises:
        WatchfloorError: a listed module is missing or registers nothing: an installation
            or packaging fault, never skipped.
    """
    out = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            raise WatchfloorError(
                f"built-in analyst backend module {name!r} is missing ({exc}): "
                "the installation is incomplete"
            ) from exc
        if not hasattr(module, "register_llm_backends"):
            raise WatchfloorError(
                f"built-in analyst backend module {name!r} has no register_llm_backends hook"
            )
        out.append(module)
    return out


def make_plugin_manager(builtins: tuple[str, ...] = BUILTINS) -> pluggy.PluginManager:
    """Return a new plugin manager holding *builtins* and every installed entry point.

    A plugin whose entry point fails to load is logged and left out; the built-ins stay.

    Raises:
        WatchfloorError: a built-in module is missing (see :func:`_builtin_modules`).
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for module in _builtin_modules(builtins):
        pm.register(module, name=f"builtin:{module.__name__}")
    try:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    except Exception as exc:  # a broken plugin must not take the built-ins down
        log.warning("could not load %s plugins: %s", ENTRY_POINT_GROUP, exc)
    return pm


def plugin_manager() -> pluggy.PluginManager:
    """Return the process's plugin manager, loading entry points the first time."""
    global _PM
    if _PM is None:
        _PM = make_plugin_manager()
    return _PM


def backends(pm: pluggy.PluginManager | None = None) -> dict[str, Backend]:
    """Return every registered backend by id (the first registration of an id wins).

    Args:
        pm: the plugin manager to ask; defaults to :func:`plugin_manager`.
    """
    found: dict[str, Backend] = {}

    def register(backend: Backend) -> None:
        if not isinstance(backend, Backend):
            raise WatchfloorError(
                f"register_llm_backends registered {backend!r}, which is not a Backend"
            )
        found.setdefault(backend.backend_id, backend)

    (pm or plugin_manager()).hook.register_llm_backends(register=register)
    return found


def get_backend(name: str, settings: BackendsSettings | None = None) -> Backend:
    """Return the backend called *name*, configured with *settings* (``[backends]``).

    Raises:
        UnknownBackendError: no backend of that name; the message lists the known ones.
    """
    known = backends()
    if name not in known:
        raise UnknownBackendError(
            f"unknown analyst backend {name!r}; known backends: {', '.join(sorted(known))} "
            "(install a plugin to add one)"
        )
    return known[name].configure(settings or BackendsSettings())
