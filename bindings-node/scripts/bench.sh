#!/usr/bin/env bash
# `make bench` for Node: this package against stripe-node 23.1.0 (a pinned devDependency) on
# the same loopback servers (bench/bench.mjs). Release builds of the addon, identity-mock and
# the fixed-response server. A benchmark, not a test: it prints a table (and writes its rows as
# JSON to $BENCH_JSON when set). strace, for the system calls per call, is installed when missing.
# BENCH_PIN_SERVER and BENCH_PIN_CLIENT (CPU lists for taskset, e.g. 1 and 0) keep the servers
# and the clients on vCPUs of their own (`make bench-pinned`).
set -euo pipefail

# A relative BENCH_JSON is relative to where the script was started.
if [[ -n "${BENCH_JSON:-}" && "$BENCH_JSON" != /* ]]; then
    export BENCH_JSON="$PWD/$BENCH_JSON"
fi

PKG="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$PKG/.." && pwd)"
cd "$PKG"

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    STRIPE_IDENTITY_SKIP_BUILD=1 npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
bash "$ROOT/tests/peers/os-packages.sh" strace
cargo build --quiet --release -p stripe-identity-mock
cargo build --quiet --release -p stripe-identity-mock --example fixed-server
cargo build --quiet -p stripe-identity-mock --example test-certs

IDENTITY_MOCK="$ROOT/target/release/identity-mock" \
    FIXED_SERVER="$ROOT/target/release/examples/fixed-server" \
    node bench/bench.mjs
