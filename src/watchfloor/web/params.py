"""Request parameters the pages and the API share: ids, country codes, dates, and the
search's filters as one FastAPI dependency (:func:`search_query`), so that ``/articles``
and ``/api/articles`` take, check and document the same parameters."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import HTTPException, Path, Query

from watchfloor.store.web import SearchFilters
from watchfloor.web.api_docs import DATE_PATTERN, country_codes

__all__ = [
    "CATEGORIES",
    "CountryPath",
    "CountryQuery",
    "IdPath",
    "IdQuery",
    "SearchQuery",
    "date_param",
    "search_query",
]

CATEGORIES = (
    "diplomacy",
    "military_defence",
    "cyber",
    "terrorism_armed_violence",
    "crime",
    "border_trade",
    "economy",
    "energy_infrastructure",
    "domestic_politics_unrest",
    "disaster_public_health",
    "other",
)

#: Stored ids (reports, articles, sources, jobs): positive, within SQL's 64-bit integers.
IdPath = Annotated[int, Path(ge=1, le=2**53)]
IdQuery = Annotated[int | None, Query(ge=1, le=2**53)]
CountryPath = Annotated[
    str, Path(description="ISO 3166-1 alpha-2", json_schema_extra={"enum": country_codes()})
]
CountryQuery = Annotated[
    str | None,
    Query(description="ISO 3166-1 alpha-2", json_schema_extra={"enum": country_codes()}),
]
# An empty value is no filter: the search form sends its empty fields.
_DateQuery = Annotated[
    str | None, Query(pattern=f"^$|{DATE_PATTERN}", description="YYYY-MM-DD, inclusive")
]


def date_param(value: str | None, name: str) -> date | None:
    """*value* as a date, None when empty; a 400 naming *name* when it is not one."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


@dataclass(frozen=True)
class SearchQuery:
    """The search as asked, each value as sent ("" when not)."""

    q: str = ""
    country: str = ""
    category: str = ""
    language: str = ""
    source: str = ""
    since: str = ""
    until: str = ""
    security: str = ""
    limit: int = 50
    offset: int = 0

    def raw(self) -> dict[str, str]:
        """The values as the search form shows them again."""
        return {k: str(v) for k, v in asdict(self).items() if k not in ("limit", "offset")}

    def filters(self) -> SearchFilters:
        """The store's filters; a 400 for a value the search cannot use."""
        if self.source and not self.source.isdigit():
            raise HTTPException(400, f"source must be a source id, not {self.source!r}")
        first = date_param(self.since, "since")
        last = date_param(self.until, "until")
        if self.category and self.category not in CATEGORIES:
            raise HTTPException(400, f"category must be one of {', '.join(CATEGORIES)}")
        if self.security not in ("", "yes", "no"):
            raise HTTPException(400, "security must be yes or no")
        return SearchFilters(
            query=self.q[:200],
            country=self.country or None,
            category=self.category or None,
            language=self.language[:16] or None,
            source_id=int(self.source) if self.source else None,
            since=datetime.combine(first, time(), UTC) if first else None,
            until=datetime.combine(last + timedelta(days=1), time(), UTC) if last else None,
            security=None if not self.security else self.security == "yes",
            limit=max(1, min(self.limit, 200)),
            offset=max(0, min(self.offset, 100_000)),
        )


def search_query(
    q: Annotated[str | None, Query(max_length=200, description="words, all must match")] = None,
    country: CountryQuery = None,
    category: Annotated[str | None, Query(json_schema_extra={"enum": list(CATEGORIES)})] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    source: Annotated[str | None, Query(pattern=r"^[0-9]{0,15}$", description="id")] = None,
    since: _DateQuery = None,
    until: _DateQuery = None,
    security: Annotated[str | None, Query(json_schema_extra={"enum": ["yes", "no"]})] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> SearchQuery:
    """The search's parameters (a FastAPI dependency of the page and the API)."""
    return SearchQuery(
        q=q or "",
        country=country or "",
        category=category or "",
        language=language or "",
        source=source or "",
        since=since or "",
        until=until or "",
        security=security or "",
        limit=limit,
        offset=offset,
    )
