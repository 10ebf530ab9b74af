"""Plain data passed between stages.

These are the contracts between modules: the collector's fetcher returns a
:class:`FetchResult`, the feed parser turns bytes into a :class:`ParsedFeed` of
:class:`ParsedItem`, and the store keeps them. Datetimes are always timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class FetchResult:
    """What one fetch brought back, before anything parsed it.

    ``status`` 304 means "not modified": ``content`` is empty and nothing changed.
    ``url`` is the final URL after redirects; ``requested_url`` the one asked for.
    """

    requested_url: str
    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    fetched_at: datetime
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass(slots=True)
class ParsedItem:
    """One feed entry, normalised.

    ``published`` is UTC; when the feed gave no usable date it is ``None`` and the
    store uses the first-seen time with ``date_estimated`` set.
    """

    title: str
    url: str | None = None
    guid: str | None = None
    summary: str = ""
    content: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    # GDELT and geo-tagged feeds carry coordinates: (name, lat, lng, country_code)
    geo: list[tuple[str, float, float, str | None]] = field(default_factory=list)

    @property
    def date_estimated(self) -> bool:
        return self.published is None


@dataclass(slots=True)
class ItemReject:
    """An item the parser could not accept, and why."""

    error: str
    raw: str


@dataclass(slots=True)
class ParsedFeed:
    """A parsed feed: metadata, good items, rejected items and the malformed flag.

    ``bozo`` is True when the document was not well-formed but a partial parse was
    still possible; ``bozo_reason`` says what was wrong.
    """

    title: str = ""
    link: str | None = None
    language: str | None = None
    format: str = ""  # "rss20", "rss10", "atom10", "json1", ...
    items: list[ParsedItem] = field(default_factory=list)
    rejects: list[ItemReject] = field(default_factory=list)
    bozo: bool = False
    bozo_reason: str | None = None
