"""The extractive analyst: the default backend, with no model and no network.

It quotes the sources and writes nothing of its own but connective words; the method
(sentence scoring, redundancy, citation, order) is :mod:`watchfloor.backends.select`.
"""

from __future__ import annotations

from typing import ClassVar

from watchfloor.backends.base import Backend
from watchfloor.backends.hookspecs import hookimpl
from watchfloor.backends.select import select_sentences, usable

__all__ = ["ExtractiveBackend", "register_llm_backends", "select_sentences", "usable"]


class ExtractiveBackend(Backend):
    """Quote the sources: no model, no network, every sentence cited."""

    backend_id: ClassVar[str] = "extractive"
    version: ClassVar[str] = "extractive-1"
    description: ClassVar[str] = "quotes representative source sentences (default, offline)"


@hookimpl
def register_llm_backends(register: object) -> None:
    """Register the extractive analyst."""
    register(ExtractiveBackend())  # type: ignore[operator]
