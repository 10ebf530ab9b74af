"""The extractive analyst: the default backend, with no model and no network.

It writes nothing of its own but plain connective words. For a story it:

1. splits every English source into sentences and drops the unusable ones (too short or
   long, markup, or text addressed to an automated system such as "ignore previous
   instructions");
2. scores each sentence by *centrality* (TF-IDF cosine to the centroid of the story's
   sentences and headlines), *salience* (numbers and names it carries) and *position*
   (leads carry the news);
3. picks the best sentences greedily, skipping any too similar to one already picked
   (the same fact told by another outlet);
4. cites each picked sentence with every source that holds it or a near-identical one;
5. orders them by the time of their source and their place in it.

A story told only in other languages is summarised by its headline and lead in the original
language, marked with the language code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from watchfloor.backends.base import Backend
from watchfloor.backends.hookspecs import hookimpl
from watchfloor.backends.select import select_sentences, usable
from watchfloor.models.analysis import SourceText

__all__ = ["ExtractiveBackend", "register_llm_backends", "select_sentences", "usable"]


class ExtractiveBackend(Backend):
    """Quote the sources: no model, no network, every sentence cited."""

    backend_id: ClassVar[str] = "extractive"
    version: ClassVar[str] = "extractive-1"
    description: ClassVar[str] = "quotes representative source sentences (default, offline)"

    def complete(self, prompt: str, *, system: str | None = None, max_tokens: int = 400) -> str:
        """Return the most central sentences of *prompt* (the extractive answer to it)."""
        doc = SourceText(("a", 0), "", prompt, "en", datetime.now(UTC))
        picked = select_sentences([doc], max_sentences=max(1, max_tokens // 40))
        return " ".join(d.text for d in picked)


@hookimpl
def register_llm_backends(register: object) -> None:
    """Register the extractive analyst."""
    register(ExtractiveBackend())  # type: ignore[operator]
