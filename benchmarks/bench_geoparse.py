"""Score the geoparser on the EUPEG news corpora beside nine published geoparsers.

Usage: ``.venv/bin/python benchmarks/bench_geoparse.py [--half test|dev|all]``. Prints P,
R, F1, acc@161 and F1@161 per corpus (ours and each peer), then throughput: articles per
second and CPU seconds of :meth:`Geoparser.parse` against bare spaCy NER on the same texts
(best of three alternating rounds). The scorer is
imported from ``../shared/tools/geoscore_lib.py`` (``WATCHFLOOR_SHARED``) at run time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WATCHFLOOR_SHARED", REPO.parent / "shared"))
EUPEG = SHARED / "corpora" / "eupeg-geoparsing"
CORPORA = ["LGL", "GeoVirus", "TR-News", "GeoWebNews", "GeoCorpora"]
PEERS = ["CLAVIN", "CamCoder", "DBpedia", "Edinburgh", "GeoTxt", "SpaCyNER", "StanfordNER",
         "TopoCluster", "Yahoo"]  # fmt: skip
TARGETS = {"LGL": 0.473, "GeoVirus": 0.651, "TR-News": 0.630, "GeoWebNews": 0.597,
           "GeoCorpora": 0.578}  # fmt: skip


def main() -> int:
    """Print the comparison table and the throughput figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--half", choices=["dev", "test", "all"], default="test")
    ap.add_argument("--corpus", action="append")
    args = ap.parse_args()
    lib_path = SHARED / "tools" / "geoscore_lib.py"
    if not lib_path.exists() or not EUPEG.exists():
        print(f"skipped: scorer or corpora not found under {SHARED} (set WATCHFLOOR_SHARED)")
        return 0
    spec = importlib.util.spec_from_file_location("geoscore_lib", lib_path)
    assert spec is not None and spec.loader is not None
    lib = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lib)

    from watchfloor.enrich.entities import load_nlp
    from watchfloor.enrich.geoparse import Geoparser

    geoparser = Geoparser()
    keep = {"dev": lambda i: i % 2 == 0, "test": lambda i: i % 2 == 1, "all": lambda i: True}
    all_texts: list[str] = []
    for corpus in args.corpus or CORPORA:
        lines = [
            x
            for x in (EUPEG / "texts" / f"{corpus}.jsonl").read_text(encoding="utf-8").split("\n")
            if x.strip()
        ]
        gl = (EUPEG / "gold" / f"{corpus}_gold.txt").read_text("utf-8", "replace").split("\n")
        docs = [i for i in range(len(lines)) if keep[args.half](i) and i < len(gl)]
        texts = [json.loads(lines[i])["text"] for i in docs]
        all_texts += texts
        results = geoparser.parse_many(texts)
        ours = [
            [dict(surface=p.text, lat=p.lat, lon=p.lng, start=p.start, end=p.end) for p in r]
            for r in results
        ]
        gold = [lib.parse_line(gl[i]) for i in docs]
        rows = [("ours", lib.score(gold, ours))]
        for peer in PEERS:
            pf = EUPEG / "geoparser_output" / f"{corpus}_{peer}.txt"
            pl = pf.read_text("utf-8", "replace").split("\n")
            pred = [lib.parse_line(pl[i]) if i < len(pl) else [] for i in docs]
            rows.append((peer, lib.score(gold, pred)))
        rows.sort(key=lambda r: -r[1]["F1_161"])
        best_peer = max(s["F1_161"] for n, s in rows if n != "ours")
        ours_f = next(s["F1_161"] for n, s in rows if n == "ours")
        print(f"\n{corpus} ({args.half} half, {len(docs)} docs); ours - best peer: "
              f"{ours_f - best_peer:+.3f}; issue target {TARGETS[corpus]:.3f}")  # fmt: skip
        print(f"{'system':12} {'P':>6} {'R':>6} {'F1':>6} {'acc161':>7} {'F1@161':>7}")
        for name, s in rows:
            print(
                f"{name:12} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} "
                f"{s['acc161']:7.3f} {s['F1_161']:7.3f}"
            )

    sample = all_texts[:400]
    nlp = load_nlp()
    geoparser.parse(sample[0])  # warm the caches before timing
    # Wall time and this process's CPU time, each the best of three alternating rounds, so
    # that other work on a shared machine disturbs the ratio less.
    bare = full = bare_cpu = full_cpu = float("inf")
    for _round in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        for text in sample:
            nlp(text)
        bare = min(bare, time.perf_counter() - started)
        bare_cpu = min(bare_cpu, time.process_time() - cpu)
        started, cpu = time.perf_counter(), time.process_time()
        for text in sample:
            geoparser.parse(text)
        full = min(full, time.perf_counter() - started)
        full_cpu = min(full_cpu, time.process_time() - cpu)
    print(
        f"\nthroughput on {len(sample)} texts: spaCy NER {len(sample) / bare:.1f} articles/s, "
        f"Geoparser.parse {len(sample) / full:.1f} articles/s (ratio {full / bare:.2f}x); "
        f"CPU time: NER {bare_cpu:.2f} s, parse {full_cpu:.2f} s (ratio {full_cpu / bare_cpu:.2f}x)"
    )
    from watchfloor.enrich.gazetteer import Gazetteer, default_dir

    started = time.perf_counter()
    Gazetteer(default_dir())
    print(f"gazetteer index load (built, from disk): {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
