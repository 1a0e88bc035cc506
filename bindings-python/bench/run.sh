#!/usr/bin/env bash
# `make bench` for Python: stripe-identity against stripe-python 16.1.0, side by side, on the
# same loopback servers (fixed-server and identity-mock, both release builds, both started
# here and stopped at the end). Arguments go to bench.py (--seconds, --repeat, --json FILE,
# --only-https, --async-only, --no-syscalls). Syscalls per call need strace, installed here.
# BENCH_PIN_SERVER and BENCH_PIN_CLIENT (CPU lists for taskset, e.g. 1 and 0) keep the servers
# and the clients on vCPUs of their own (`make bench-pinned`).
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="${VENV:-$REPO/.venv-py}"

cargo build -q --release -p stripe-identity-mock
cargo build -q --release -p stripe-identity-mock --example fixed-server
cargo build -q -p stripe-identity-mock --example test-certs
# httpx: stripe-python's async HTTP client (stripe.HTTPXClient), for the async table.
"$HERE/scripts/venv.sh" "stripe==16.1.0" "httpx"
bash "$REPO/tests/peers/os-packages.sh" strace >/dev/null || echo "strace could not be installed: syscalls per call will read n/a" >&2

PIDS=()
LOG="$(mktemp -d)"
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$LOG"
}
trap cleanup EXIT

URL=""
start() { # name, command...: starts a server, sets URL from its `listening on URL` line
    local name="$1"; shift
    "$@" > "$LOG/$name.out" 2> "$LOG/$name.err" &
    PIDS+=("$!")
    for _ in $(seq 200); do
        URL="$(grep -oE "https?://127\.0\.0\.1:[0-9]*" "$LOG/$name.out" 2>/dev/null | head -1 || true)"
        if [ -n "$URL" ]; then
            # Every thread of the server, those it has started already included.
            if [ -n "${BENCH_PIN_SERVER:-}" ]; then taskset -acp "$BENCH_PIN_SERVER" "${PIDS[-1]}" >/dev/null; fi
            return
        fi
        sleep 0.05
    done
    echo "$name did not start" >&2; cat "$LOG/$name.err" >&2; exit 1
}
start fixed "$REPO/target/release/examples/fixed-server" --port 0; FIXED="$URL"
start mock "$REPO/target/release/identity-mock" --port 0; MOCK="$URL"
# identity-mock over TLS, with a throwaway CA made here (server/examples/test_certs.rs); no
# connection closed mid-measure (the default closes one after 1,000 requests, which would
# cost every client a handshake more).
"$REPO/target/debug/examples/test-certs" "$LOG/certs"
start https "$REPO/target/release/identity-mock" --port 0 --max-requests-per-connection 4000000000 \
    --tls-cert "$LOG/certs/server.pem" --tls-key "$LOG/certs/server-key.pem"; HTTPS="$URL"

PIN=()
if [ -n "${BENCH_PIN_CLIENT:-}" ]; then
    PIN=(taskset -c "$BENCH_PIN_CLIENT")
    echo "pinned: servers on CPUs ${BENCH_PIN_SERVER:-any}, this client on ${BENCH_PIN_CLIENT}"
fi
"${PIN[@]}" "$VENV/bin/python" "$HERE/bench/bench.py" --fixed "$FIXED" --mock "$MOCK" --https "$HTTPS" --ca "$LOG/certs/ca.pem" "$@"
