#!/usr/bin/env bash
# `make example-app`: identity-mock and the example app (hosted_app.py) side by side, until
# Ctrl-C. Open the printed URL in a browser, start a verification, pick an outcome on
# identity-mock's hosted page, and come back to the app to see the session and its webhooks.
# MOCK_PORT (default 12111) and APP_PORT (default 4242) choose the ports.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MOCK_PORT="${MOCK_PORT:-12111}"
APP_PORT="${APP_PORT:-4242}"

cd "$ROOT"
cargo build --quiet -p stripe-identity-mock --bin identity-mock
pids=()
stop() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap stop EXIT INT TERM

target/debug/identity-mock --port "$MOCK_PORT" &
pids+=($!)
# Wait (a bounded count of tries) until identity-mock answers before the app registers its
# webhook endpoint with it.
for _ in $(seq 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $MOCK_PORT), 0.2)" 2>/dev/null; then
        break
    fi
    sleep 0.05
done
python3 server/examples/hosted_app.py --mock "http://127.0.0.1:$MOCK_PORT" --port "$APP_PORT" &
pids+=($!)
sleep 0.5
echo
echo "Open http://127.0.0.1:$APP_PORT/ in your browser (Ctrl-C stops both)."
wait
