#!/usr/bin/env bash
# The official stripe-node SDK (pinned to 23.1.0 by tests/sdk-node/package-lock.json) against
# identity-mock.
#
# Installs the SDK with `npm ci`, builds identity-mock and runs `node --test`. The tests start
# identity-mock on free loopback ports and stop it afterwards. Extra arguments go to node --test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT/tests/sdk-node"

if ! node -e "process.exit(require('stripe/package.json').version === '23.1.0' ? 0 : 1)" 2>/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error
fi

cargo build --quiet -p stripe-identity-mock
export IDENTITY_MOCK="$ROOT/target/debug/identity-mock"
# This library's webhook signing and verification as a command (webhooks.test.js).
cargo build --quiet -p stripe-identity --example webhook_interop
export WEBHOOK_INTEROP="$ROOT/target/debug/examples/webhook_interop"

# One file at a time: each starts its own servers, and the machine is small.
exec node --test --test-concurrency=1 "$@" test/*.test.js
