"""What every analyst backend is: an id, whether it needs a key, and ``complete()``.

The report is assembled by the analysis stage; a backend only chooses or writes the
sentences of each section from the source texts it is given, and every sentence it returns
names the sources it rests on (:class:`Draft`). The default :meth:`Backend.summarize` is the
extractive selection, so a backend that only implements ``complete()`` still produces a
fully cited report; an LLM backend may override ``summarize`` to rewrite, as long as each
draft keeps its sources.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from watchfloor.backends.select import select_sentences
from watchfloor.errors import ConfigError
from watchfloor.models.analysis import Draft, Key, SourceText

__all__ = ["Backend", "Draft", "Key", "SourceText"]


class Backend(ABC):
    """An analyst backend. Subclasses set ``backend_id`` and implement ``complete()``."""

    backend_id: ClassVar[str]
    #: Version of the analyst's method, stored with every report it writes.
    version: ClassVar[str] = "1"
    #: Name of the environment variable holding the API key, or None when none is needed.
    needs_key: ClassVar[str | None] = None
    description: ClassVar[str] = ""

    def get_key(self) -> str | None:
        """Return the API key from the environment.

        Raises:
            ConfigError: the backend needs a key and the variable is unset.
        """
        if self.needs_key is None:
            return None
        value = os.environ.get(self.needs_key, "").strip()
        if not value:
            raise ConfigError(f"backend {self.backend_id!r} needs an API key: set {self.needs_key}")
        return value

    @abstractmethod
    def complete(self, prompt: str, *, system: str | None = None, max_tokens: int = 400) -> str:
        """Return the backend's continuation of *prompt*."""

    def summarize(self, docs: Sequence[SourceText], *, max_sentences: int = 3) -> list[Draft]:
        """Choose the sentences that tell the story of *docs*, each with its sources."""
        return select_sentences(docs, max_sentences=max_sentences)
