#!/usr/bin/env bash
# The official stripe-node SDK (pinned to 23.1.0 by tests/sdk-node/package-lock.json) against
# identity-mock.
#
# Installs the SDK with `npm ci`, builds identity-mock and runs `node --test`; then runs the same
# tests against this package's drop-in (`StripeIdentity`), over identity-mock and locally. The tests start
# identity-mock on free loopback ports and stop it afterwards. Extra arguments go to node --test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT/tests/sdk-node"

if ! node -e "process.exit(require('stripe/package.json').version === '23.1.0' ? 0 : 1)" 2>/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error
fi

cargo build --quiet -p stripe-identity-mock --bin identity-mock --example test-certs
export IDENTITY_MOCK="$ROOT/target/debug/identity-mock"
# This library's webhook signing and verification as a command (webhook_signatures.test.js).
cargo build --quiet -p stripe-identity --example webhook_interop
export WEBHOOK_INTEROP="$ROOT/target/debug/examples/webhook_interop"

# One file at a time: each starts its own servers, and the machine is small.
node --test --test-concurrency=1 "$@" test/*.test.js

# The same suite a second time with this package's drop-in in place of `require('stripe')`
# (test/mock.js, SDK_NODE_TARGET), over identity-mock and on the embedded simulator. It needs the
# addon that bindings-node/scripts/test.sh builds (`make test` runs that first). The skipped
# tests, and why, are listed in tests/sdk-node/README.md.
if ls "$ROOT"/bindings-node/stripe-identity.*.node >/dev/null 2>&1; then
    for target in ours-mock ours-local; do
        echo "== tests/sdk-node with stripe-identity in place of stripe ($target)"
        SDK_NODE_TARGET=$target node --test --test-concurrency=1 "$@" test/*.test.js
    done
else
    echo "tests/sdk-node: the Node addon is not built (bash bindings-node/scripts/test.sh builds it);" \
        "the drop-in runs are skipped" >&2
fi

# Over HTTPS, trusting a throwaway CA the way Node is told to: NODE_EXTRA_CA_CERTS, which Node
# reads once at start-up (hence a run of its own).
SDK_TEST_CERTS="$(mktemp -d)"
trap 'rm -rf "$SDK_TEST_CERTS"' EXIT
"$ROOT/target/debug/examples/test-certs" "$SDK_TEST_CERTS"
export SDK_TEST_CERTS
NODE_EXTRA_CA_CERTS="$SDK_TEST_CERTS/ca.pem" node --test --test-concurrency=1 "$@" test/https.tls.js
