#!/usr/bin/env bash
# The Python binding's whole test run (`make test` runs it): builds identity-mock, installs
# the package into <repo>/.venv-py with pip, then runs pytest (every operation, error class,
# thread test and shared scenario, on Client.local() and on identity-mock), the quickstart,
# mypy (strict, on the package and a typed usage file) and mypy.stubtest (the native stub
# against the built module).
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="${VENV:-$REPO/.venv-py}"
PY="$VENV/bin/python"

cargo build -q -p stripe-identity-mock
"$HERE/scripts/venv.sh" "pytest>=8" "mypy>=1.10" "typing_extensions>=4.6"

cd "$HERE"
echo "== quickstart"
"$PY" examples/quickstart.py > /dev/null
echo "== mypy"
"$PY" -m mypy
echo "== stubtest"
"$PY" -m mypy.stubtest stripe_identity._native --allowlist "$HERE/.mypy-stubtest-allowlist"
echo "== pytest"
IDENTITY_MOCK="${IDENTITY_MOCK:-$REPO/target/debug/identity-mock}" "$PY" -m pytest -q -p no:cacheprovider tests
