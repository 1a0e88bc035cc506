#!/usr/bin/env bash
# The official stripe-python SDK (pinned) against identity-mock.
#
# Creates <repo>/.venv-sdk, installs stripe==16.1.0 and pytest into it, builds identity-mock and
# runs tests/sdk-python. The tests' fixtures start identity-mock on a free loopback port and stop
# it afterwards. Extra arguments go to pytest.
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

cd "$ROOT/tests/sdk-python"
exec "$VENV/bin/python" -m pytest -p no:cacheprovider -q -ra "$@"
