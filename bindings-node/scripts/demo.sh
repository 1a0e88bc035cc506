#!/usr/bin/env bash
# `make demo` for Node: examples/quickstart.mjs on the embedded simulator, then on identity-mock
# (started here on a free loopback port, stopped at the end). Builds what is missing.
set -euo pipefail

PKG="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$PKG/.." && pwd)"
cd "$PKG"

node scripts/install.js    # the addon, built with cargo if missing (the package has no npm runtime deps)
cargo build --quiet -p stripe-identity-mock

LOG="$(mktemp)"
"$ROOT/target/debug/identity-mock" --host 127.0.0.1 --port 0 >"$LOG" 2>&1 &
MOCK=$!
trap 'kill "$MOCK" 2>/dev/null || true; wait "$MOCK" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 100); do
    grep -q 'listening on' "$LOG" && break
    sleep 0.1
done
URL="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$LOG" | head -n1)"
[[ -n "$URL" ]] || { echo "identity-mock did not start" >&2; exit 1; }

IDENTITY_MOCK_URL="$URL" node examples/quickstart.mjs
