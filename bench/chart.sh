#!/usr/bin/env bash
# Draws BENCHMARKS.svg (bench/chart.py) with matplotlib, installed once into the repository's
# Python venv. Arguments: the output file, then the JSON rows files (missing ones are skipped,
# so the chart can be drawn from one language's run).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-$REPO/.venv-py}"
PYTHON="${PYTHON:-python3}"
out="$1"; shift
files=()
for f in "$@"; do
    if [ -f "$f" ]; then files+=("$f"); else echo "chart: no $f, skipped" >&2; fi
done
[ "${#files[@]}" -gt 0 ] || { echo "chart: no rows; run make bench first" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -c "import matplotlib" 2>/dev/null || "$VENV/bin/python" -m pip install -q "matplotlib==3.9.4"
"$VENV/bin/python" "$REPO/bench/chart.py" "$out" "${files[@]}"
