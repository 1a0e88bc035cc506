#!/usr/bin/env bash
# The Python binding's whole test run (`make test` runs it): builds identity-mock, installs
# the package into <repo>/.venv-py with pip, checks the formatting of every Python file (ruff),
# then runs the quickstart, mypy (strict, on the package and a typed usage file),
# mypy.stubtest (the native stub against the built module) and pytest (every operation, error
# class, thread test and shared scenario, on Client.local() and on identity-mock, over HTTP
# and HTTPS with a throwaway CA, directly and through a CONNECT proxy).
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="${VENV:-$REPO/.venv-py}"
PY="$VENV/bin/python"

cargo build -q -p stripe-identity-mock --bin identity-mock --example test-certs
"$HERE/scripts/venv.sh" "pytest>=8" "mypy>=1.10" "typing_extensions>=4.6" "ruff==0.17.6"

echo "== ruff format --check (every Python file in the repository, ruff.toml)"
"$VENV/bin/ruff" format --check --quiet "$REPO"

cd "$HERE"
echo "== quickstart"
"$PY" examples/quickstart.py > /dev/null
echo "== mypy"
"$PY" -m mypy
echo "== stubtest"
"$PY" -m mypy.stubtest stripe_identity._native --allowlist "$HERE/.mypy-stubtest-allowlist"
echo "== pytest"
IDENTITY_MOCK="${IDENTITY_MOCK:-$REPO/target/debug/identity-mock}" "$PY" -m pytest -q -p no:cacheprovider tests
