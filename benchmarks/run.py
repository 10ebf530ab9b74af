"""Run every benchmark in this folder, one after another, and print their output.

Each benchmark measures its own baseline in the same run and prints ratios, because
these machines are noisy. Copy the figures into docs/benchmarks.md with the command.
Run: make bench   (or .venv/bin/python benchmarks/run.py [NAME ...])
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    wanted = set(sys.argv[1:])
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        if wanted and script.stem not in wanted and script.stem[6:] not in wanted:
            continue
        print(f"\n=== {script.name} ===", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"--- {script.name}: exit {code}, {time.perf_counter() - start:.1f} s", flush=True)
        failures += code != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
