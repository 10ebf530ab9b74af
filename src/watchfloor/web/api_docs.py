"""What the OpenAPI document says about the JSON API beyond the handlers' signatures.

The write handlers read their body themselves (JSON for the API, a form for the pages),
so their request bodies are described here; so are the errors every operation may answer
with, the jobs' shape and the event stream. schemathesis checks the running app against
this document (tests/web/test_schema.py).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.countries import countries

__all__ = [
    "BEARER_SECURITY",
    "DATE_PATTERN",
    "EVENT_STREAM",
    "AddSourceBody",
    "CollectBody",
    "ErrorBody",
    "JobBody",
    "ReportBody",
    "country_codes",
    "errors",
    "json_errors",
    "request_body",
]


#: A real calendar date between 1970 and 2099, as YYYY-MM-DD: the 29th and 30th of every
#: month but February, the 31st of the long months, February 29th in leap years only.
DATE_PATTERN = (
    r"^(?:(?:19[7-9][0-9]|20[0-9]{2})-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    r"|(?:19(?:8[048]|[79][26])|20(?:[02468][048]|[13579][26]))-02-29)$"
)


@lru_cache(maxsize=1)
def country_codes() -> list[str]:
    """Every ISO 3166-1 alpha-2 code the watch floor knows, sorted."""
    return sorted(countries())


class ErrorBody(BaseModel):
    """What every refusal and error answers: ``detail`` says what went wrong."""

    detail: Any = Field(description="What went wrong (a list of problems for 422)")


_WHY = {
    400: "A value the API cannot use (said in `detail`)",
    401: "The token is needed and was not sent",
    403: "Writes are disabled, or a signed-in form lacks its CSRF token",
    404: "Nothing stored under that id",
    413: "The request body is over `[web] max_body`",
    503: "The job could not be handed to the Celery workers",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entries for *codes*, each answering an :class:`ErrorBody`."""
    return {code: {"model": ErrorBody, "description": _WHY[code]} for code in codes}


def json_errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Like :func:`errors`, spelled out as JSON for a route whose own answers are not."""
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    return {
        code: {"description": _WHY[code], "content": {"application/json": {"schema": ref}}}
        for code in codes
    }


#: Writes and the audit log need ``Authorization: Bearer <WATCHFLOOR_API_TOKEN>``.
BEARER_SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "WATCHFLOOR_API_TOKEN, as the server was started with",
    }
}


def request_body(model: type[BaseModel]) -> dict[str, Any]:
    """An ``openapi_extra`` describing a JSON request body of *model*."""
    schema = model.model_json_schema()
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        },
        "security": BEARER_SECURITY,
    }


def _extra(**schema: Any) -> Any:
    """JSON Schema keywords for a field (typed loosely: pydantic wants JSON values)."""
    return schema


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class AddSourceBody(_Body):
    """A source to add: an http(s) URL; the other fields are optional."""

    url: str = Field(
        pattern=r"^https?://[a-z0-9]+(\.[a-z0-9]+)*(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~/-]*)?$",
        max_length=2000,
        description="http or https only",
    )
    kind: Literal["feed", "page", "gdelt"] = "feed"
    name: str | None = Field(None, max_length=200)
    countries: list[str] = Field(
        default_factory=list,
        max_length=20,
        json_schema_extra=_extra(items={"type": "string", "enum": country_codes()}),
    )
    language: str | None = Field(None, pattern=r"^[a-z]{2}$")


class CollectBody(_Body):
    """Collect the due sources of one country, or all (no country)."""

    country: str | None = Field(None, json_schema_extra=_extra(enum=[*country_codes(), None]))


class ReportBody(_Body):
    """Write a report of a country; the period is the last seven days by default. The
    period must not end before it starts (400)."""

    country: str = Field(json_schema_extra=_extra(enum=country_codes()))
    start: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY-MM-DD")
    end: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY-MM-DD")


class JobBody(BaseModel):
    """A job: its stage and progress while it runs, its result or error once finished."""

    id: int
    kind: Literal["collect", "report"]
    key: str
    params: dict[str, Any]
    status: Literal["queued", "running", "done", "failed"]
    stage: str
    done: int
    total: int
    message: str
    result: dict[str, Any] | None
    error: str | None
    actor: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    finished: bool
    created: bool | None = Field(None, description="On a start: False when already running")


#: The job event stream: one object per event (``event`` and its JSON ``data``).
EVENT_STREAM: dict[str, Any] = {
    "description": "`event: progress` with the job (as `/api/jobs/{id}`) at each change, "
    "then `event: done` once it finished; `: keep-alive` comments in between",
    "content": {
        "text/event-stream": {
            "schema": {
                "type": "object",
                "properties": {
                    "event": {"type": "string", "enum": ["progress", "done"]},
                    "data": {"type": "string", "contentMediaType": "application/json"},
                },
                "required": ["event", "data"],
            }
        }
    },
}
