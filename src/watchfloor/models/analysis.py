"""Types the analysis, the backends and the report share: what a source says and what is cited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Draft", "Key", "SourceText"]

#: A citable item: ("a", article id) or ("p", page version id).
Key = tuple[str, int]


@dataclass(frozen=True, slots=True)
class SourceText:
    """One source as an analyst sees it: data to summarise, never instructions."""

    key: Key
    title: str
    body: str
    language: str
    published: datetime


@dataclass(frozen=True, slots=True)
class Draft:
    """A sentence for the report and the sources it comes from."""

    text: str
    keys: tuple[Key, ...]
    language: str | None = None
    background: bool = False
    judgement: bool = False
    """watchfloor's own judgement (a level, a trend, an indicator), not a quoted passage."""
    timing: str | None = None
    """For an outlook item: ``scheduled`` (a date a source announced) or ``inferred``."""
    likelihood: str | None = None
    """A word of the fixed likelihood scale (docs/standards.md) when the judgement gives one."""
