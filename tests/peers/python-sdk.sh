#!/usr/bin/env bash
# The official stripe-python SDK (pinned) against identity-mock, then the same suite with this
# library's StripeClient in stripe-python's place (the drop-in run, tests/sdk-python/sdk.py).
#
# Creates <repo>/.venv-sdk, installs stripe==16.1.0 and pytest into it, builds identity-mock and
# runs tests/sdk-python. The tests' fixtures start identity-mock on a free loopback port and stop
# it afterwards. Then, in <repo>/.venv-py (this package, installed by bindings-python/scripts/venv.sh),
# runs the suite again with SDK_UNDER_TEST=stripe_identity: over identity-mock, and on
# StripeClient.local(). Extra arguments go to pytest (every run). SDK_RUNS=official or
# SDK_RUNS=drop-in runs only those.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${VENV_SDK:-$ROOT/.venv-sdk}"
STRIPE_PYTHON_VERSION="16.1.0"

cd "$ROOT"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import stripe, pytest, sys; sys.exit(stripe.VERSION != '$STRIPE_PYTHON_VERSION')" 2>/dev/null; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "stripe==$STRIPE_PYTHON_VERSION" pytest
fi

cargo build --quiet -p stripe-identity-mock --bin identity-mock --example test-certs
export IDENTITY_MOCK="$ROOT/target/debug/identity-mock"
# This library's webhook signing and verification as a command (test_webhook_signatures.py).
cargo build --quiet -p stripe-identity --example webhook_interop
export WEBHOOK_INTEROP="$ROOT/target/debug/examples/webhook_interop"

RUNS="${SDK_RUNS:-official drop-in}"
cd "$ROOT/tests/sdk-python"
if [[ " $RUNS " == *" official "* ]]; then
    echo "== tests/sdk-python: stripe-python $STRIPE_PYTHON_VERSION against identity-mock"
    "$VENV/bin/python" -m pytest -p no:cacheprovider -q -ra "$@"
fi
if [[ " $RUNS " == *" drop-in "* ]]; then
    PY_VENV="$ROOT/.venv-py"
    VENV="$PY_VENV" "$ROOT/bindings-python/scripts/venv.sh" "stripe==$STRIPE_PYTHON_VERSION" "pytest>=8"
    for backend in mock local; do
        echo "== tests/sdk-python: stripe_identity.StripeClient in stripe-python's place ($backend)"
        SDK_UNDER_TEST=stripe_identity SDK_BACKEND="$backend" \
            "$PY_VENV/bin/python" -m pytest -p no:cacheprovider -q -ra "$@"
    done
fi
