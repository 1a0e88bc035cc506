#!/usr/bin/env bash
# The documentation's curl calls against identity-mock (tests/curl/cases.sh), checked field by
# field with python3 (tests/curl/check.py). Prints `N passed, N failed` and exits non-zero on
# any failure.
#
# Needs curl and python3; installs curl with apt-get when it is missing and this runs as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

if ! command -v curl >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "curl is missing: installing it with apt-get"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
    else
        echo "curl is missing and cannot be installed here" >&2
        exit 1
    fi
fi
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to check the answers" >&2; exit 1; }

cargo build --quiet -p stripe-identity-mock
BIN="$ROOT/target/debug/identity-mock"

WORK="$(mktemp -d)"
"$BIN" --host 127.0.0.1 --port 0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
stop_server() {
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
}
trap 'stop_server; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

PORT=""
for _ in $(seq 1 100); do
    PORT="$(sed -n 's|^identity-mock listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$WORK/server.out")"
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$PORT" ]; then
    echo "identity-mock did not start:" >&2
    cat "$WORK/server.err" >&2
    exit 1
fi

export BASE="http://127.0.0.1:$PORT"
export KEY="sk_test_4eC39HqLyjWDarjtT1zdp7dc"
export WORK
PASSED=0
FAILED=0

# req NAME CURL-ARGS...: one curl call; its status, headers and body are kept under NAME.
req() {
    local name="$1"
    shift
    if ! curl --silent --show-error --max-time 30 \
        -o "$WORK/$name.body" -D "$WORK/$name.head" -w '%{http_code}' "$@" >"$WORK/$name.status"; then
        echo "  curl failed for $name: curl $*"
    fi
}

# check NAME EXPR...: each EXPR is one assertion about NAME's answer.
check() {
    local name="$1"
    shift
    local failures=0
    python3 "$ROOT/tests/curl/check.py" "$WORK" "$name" "$@" || failures=$?
    PASSED=$((PASSED + $# - failures))
    FAILED=$((FAILED + failures))
}

# save VAR NAME EXPR: exports VAR, a value read from NAME's answer.
save() {
    local var="$1" name="$2" expr="$3" value
    value="$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
        "$WORK/$name.body" "$expr")" || value=""
    export "$var=$value"
}

echo "identity-mock on $BASE"
# shellcheck source=../curl/cases.sh
source "$ROOT/tests/curl/cases.sh"

stop_server
if [ -s "$WORK/server.err" ] && grep -qv "SIGTERM received, stopping" "$WORK/server.err"; then
    echo "identity-mock said:"
    cat "$WORK/server.err"
fi
echo
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
