"""schemathesis against the OpenAPI document of a running server (uvicorn on 127.0.0.1,
port 0) over a private copy of the web store: enriched articles, two reports of Mongolia.

Every operation of ``/openapi.json`` is called with generated path, query and body values:
no answer is a server error, and every answer (status, content type, body) is one the
document describes. Writes are called twice: with the token, and without it, when they
must be refused (401), never fail. The examples per operation are few, so this stays a
test of a few seconds per operation, not a fuzzing campaign.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from tests.web.conftest import TOKEN, Served, WebStore, make_app, serve

BEARER = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def schema_site(web_store: WebStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    path: Path = tmp_path_factory.mktemp("schema") / "watchfloor.db"
    shutil.copyfile(web_store.pristine, path)
    served = serve(make_app(web_store, path, token=TOKEN))
    yield served
    runner = served.app.state.runner  # type: ignore[attr-defined]
    runner.cancel.set()  # generated jobs stop at their next unit of work
    served.stop()
    runner.join(60)


@pytest.fixture(scope="module")
def api(schema_site: Served) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_url(schema_site.url + "/openapi.json")


def check_operations(
    api: schemathesis.schemas.BaseSchema,
    method: str | None,
    call: Callable[[Any], None],
) -> tuple[int, list[str]]:
    """Run *call* on generated cases of every operation (of *method* if given); return how
    many operations ran and the failures, one line each."""
    failures: list[str] = []
    ran = 0
    for result in api.get_all_operations():
        operation = result.ok()
        if method and operation.method.upper() != method:
            continue
        ran += 1

        @EXAMPLES
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            call(case)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every failure, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:3000])
    return ran, failures


def with_token(case: Any) -> None:
    excluded = []
    if case.path == "/api/jobs/report":
        # A period that ends before it starts is refused (400); a JSON schema cannot say
        # that one field must follow another, so a schema-valid body may be refused.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(headers=BEARER, timeout=60, excluded_checks=excluded)


def without_token(case: Any) -> None:
    response = case.call(timeout=60)
    assert response.status_code == 401, (case.path, response.status_code, response.text[:300])


# schemathesis' own strategies draw from `random`, which hypothesis deprecates.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")


def test_every_operation_answers_as_documented_with_the_token(api) -> None:
    ran, failures = check_operations(api, None, with_token)
    assert ran >= 15
    assert not failures, "\n\n".join(failures)


def test_every_write_without_the_token_is_refused(api) -> None:
    ran, failures = check_operations(api, "POST", without_token)
    assert ran == 3
    assert not failures, "\n\n".join(failures)


def test_the_document_covers_every_api_route(schema_site: Served) -> None:
    doc = httpx.get(schema_site.url + "/openapi.json", timeout=30).json()
    paths = set(doc["paths"])
    assert {"/api/overview", "/api/articles", "/api/jobs/{job_id}/events"} <= paths
    assert all(p.startswith("/api/") for p in paths)
    writes = [op for p in doc["paths"].values() for m, op in p.items() if m == "post"]
    assert len(writes) == 3 and all(op.get("requestBody") for op in writes)
    assert all(op.get("security") for op in writes)
