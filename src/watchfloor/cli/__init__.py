"""The ``watchfloor`` command: parses arguments, calls a service, formats the result.

Every use case lives in :mod:`watchfloor.services`; the commands here only turn flags into
arguments and results into tables, JSON or files. A :class:`~watchfloor.errors.WatchfloorError`
becomes a message and exit status 1; a bad flag value (an unknown country code, a bad
``--every``) is a usage error, exit 2, in every command. Set WATCHFLOOR_DEBUG=1 for
tracebacks.
"""

from __future__ import annotations

from watchfloor.cli import pages, reports, sources, stages, watch, web, workers  # noqa: F401
from watchfloor.cli.app import App, cli

__all__ = ["App", "cli", "main"]


def main() -> None:
    """Entry point of the ``watchfloor`` script."""
    cli(prog_name="watchfloor")
