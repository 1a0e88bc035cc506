#!/usr/bin/env bash
# identity-mock's own cost per request: instructions (callgrind, stable on a noisy machine) that
# the server spends on a retrieve, a create and a list(limit=10) sent over one keep-alive
# connection as an SDK sends them (server/bench/requests.py). Each kind is counted at N1 and N2
# requests, each in a fresh server; the slope (count(N2) - count(N1)) / (N2 - N1) leaves start-up
# and shutdown out. Figures, not a test; `make bench` runs it. Needs valgrind (else says so).
#
# Usage: bash server/bench/request_cost.sh    (N1, N2 from the environment: 200 and 1200;
# IDENTITY_MOCK: another identity-mock binary to count, such as an older build)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N1="${N1:-200}"
N2="${N2:-1200}"
if ! command -v valgrind >/dev/null; then
    echo "identity-mock instructions per request: n/a (valgrind is not installed)"
    exit 0
fi
BIN="${IDENTITY_MOCK:-}"
if [ -z "$BIN" ]; then
    cargo build --quiet --release -p stripe-identity-mock --bin identity-mock
    BIN="$ROOT/target/release/identity-mock"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Instructions of a fresh server answering one session's create and then COUNT requests of OP.
count() {
    local op="$1" n="$2" port out pid id
    port="$(free_port)"
    out="$WORK/callgrind.$op.$n"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$BIN" --host 127.0.0.1 --port "$port" \
        >"$WORK/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 200); do
        if id="$(curl -sf -u sk_test_requestcost: -d type=document \
            "http://127.0.0.1:$port/v1/identity/verification_sessions")"; then break; fi
        sleep 0.1
    done
    id="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$id")"
    python3 "$ROOT/server/bench/requests.py" "$port" "$op" "$n" "$id"
    kill -INT "$pid"
    wait "$pid" || true
    awk '/^summary:/ {print $2}' "$out"
}

echo "identity-mock instructions per request (callgrind, one keep-alive connection, slope of $N1 and $N2 requests):"
for op in retrieve create list; do
    a="$(count "$op" "$N1")"
    b="$(count "$op" "$N2")"
    printf '  %-22s %8d\n' "$([ "$op" = list ] && echo 'list(limit=10)' || echo "$op")" $(((b - a) / (N2 - N1)))
done
