"""What every analyst backend is: the contract between the analysis and a backend.

The analysis (``watchfloor.analyze``) decides everything that is a fact of the report: the
developments included, the threat level and its factors, hotspot coordinates, event dates
and the annex. A backend only writes words about them, and only in one of two ways:

* **Extractive** (every backend): :meth:`Backend.summarize` picks the sentences that tell a
  story, each citing its sources. The default is :mod:`watchfloor.backends.select`.
* **Writing** (``writes = True``): the backend answers :meth:`Backend.chat` requests, one
  system and one user message with an optional JSON Schema for the answer. The analysis
  builds the prompts from evidence packs, caches and verifies every answer
  (:mod:`watchfloor.backends.verify`), and keeps the extractive text wherever an answer fails.
  A writing backend implements only the transport; prompts, verification, caching, the
  token budget and the method note are the same for every writing backend.

A backend gets its settings through :meth:`Backend.configure` and tells whether it can be
used through :meth:`Backend.check`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from watchfloor.backends.select import select_sentences
from watchfloor.config import BackendsSettings
from watchfloor.errors import BackendError, ConfigError
from watchfloor.models.analysis import Draft, Key, SourceText

__all__ = ["Backend", "ChatReply", "ChatRequest", "Draft", "Key", "SourceText"]


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One request to a writing backend.

    ``schema`` is the JSON Schema the answer must follow (the backend passes it to a server
    that supports structured output; the analysis validates the answer either way).
    """

    system: str
    user: str
    schema: dict[str, Any] | None = None
    schema_name: str = "answer"
    max_tokens: int = 400
    temperature: float = 0.0
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class ChatReply:
    """A writing backend's answer and what it cost."""

    text: str
    tokens_in: int
    tokens_out: int
    model: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Backend:
    """An analyst backend. Subclasses set ``backend_id``; writers set ``writes`` and
    implement :meth:`chat`."""

    backend_id: ClassVar[str]
    #: Version of the analyst's method, stored with every report it writes.
    version: ClassVar[str] = "1"
    #: Name of the environment variable holding the API key, or None when none is needed.
    needs_key: ClassVar[str | None] = None
    description: ClassVar[str] = ""
    #: True when the backend writes prose through :meth:`chat`.
    writes: ClassVar[bool] = False

    def configure(self, settings: BackendsSettings) -> Backend:
        """Return the backend set up with *settings* (itself when it takes none)."""
        return self

    def settings_view(self) -> dict[str, str]:
        """The backend's settings as shown by ``watchfloor backends`` (never a key)."""
        return {}

    def check(self) -> str:
        """Say whether the backend can be used now.

        Raises:
            BackendUnavailableError: its endpoint cannot be reached (the message names it).
            BackendError: it is configured so that it refuses to run.
        """
        return "ready (no model, no network)"

    def fixed(self) -> dict[str, str]:
        """What the method note records of a writer: model, temperature, seed, endpoint."""
        return {}

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

    def summarize(self, docs: Sequence[SourceText], *, max_sentences: int = 3) -> list[Draft]:
        """Choose the sentences that tell the story of *docs*, each with its sources."""
        return select_sentences(docs, max_sentences=max_sentences)

    def chat(self, request: ChatRequest) -> ChatReply:
        """Answer one request (writing backends only).

        Raises:
            BackendUnavailableError: the endpoint cannot be reached.
            BackendError: the endpoint answered with an error.
        """
        raise BackendError(f"backend {self.backend_id!r} does not write prose")
