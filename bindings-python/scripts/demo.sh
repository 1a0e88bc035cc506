#!/usr/bin/env bash
# `make demo` for Python: installs the package into <repo>/.venv-py (pip, maturin) and runs
# the quickstart, a whole VerificationSession lifecycle on the embedded simulator.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="${VENV:-$REPO/.venv-py}"

"$HERE/scripts/venv.sh"
"$VENV/bin/python" "$HERE/examples/quickstart.py"
