"""Names the stages share: source kinds, reject stages and upsert outcomes.

Each is a ``StrEnum`` whose values are the strings the database stores, so a value read
back from a row compares equal to its member and no migration is involved.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["RawPurpose", "RejectStage", "SourceKind", "UpsertStatus"]


class SourceKind(StrEnum):
    """What a registered source is, which decides how its documents are parsed."""

    FEED = "feed"
    PAGE = "page"
    GDELT = "gdelt"


class RawPurpose(StrEnum):
    """Why a raw document was fetched: a source's own document, or an article's page."""

    FEED = "feed"
    PAGE = "page"
    GDELT = "gdelt"
    ARTICLE = "article"

    @classmethod
    def of_source(cls, kind: str) -> RawPurpose:
        """The purpose of a fetch of a source of *kind* (unknown kinds are feeds)."""
        try:
            return cls(SourceKind(kind).value)
        except ValueError:
            return cls.FEED


class RejectStage(StrEnum):
    """The stage that refused something and recorded it in ``rejects``."""

    FETCH = "fetch"
    PARSE = "parse"
    ITEM = "item"
    PAGE = "page"
    FULLTEXT = "fulltext"
    ENRICH = "enrich"
    TASK = "task"  # a worker task that kept failing (watchfloor.workers)


class UpsertStatus(StrEnum):
    """What storing one parsed item did."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
