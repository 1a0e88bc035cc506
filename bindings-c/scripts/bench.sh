#!/usr/bin/env bash
# make -C bindings-c bench: the C API's overhead on the local client. The same N retrieves (same
# stored sessions, same ids in the same order), timed in C through libstripe_identity.a and in
# Rust through Client::local() (typed, and call_json, the path the C API wraps). A benchmark,
# not a test: it asserts nothing.
#   BENCH_N=50000 BENCH_STORED=1000 scripts/bench.sh   (best of 5 rounds of N)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
build="$target/bindings-c"
mkdir -p "$build"
n="${BENCH_N:-50000}"
stored="${BENCH_STORED:-1000}"
cargo build -q --release -p stripe-identity-c --lib --example bench_retrieve
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -Werror -I "$here/include" "$here/bench/bench_retrieve.c" \
    "$target/release/libstripe_identity.a" -lpthread -ldl -lm -o "$build/bench_retrieve"
echo "retrieve on the local client: best of 5 rounds of $n retrieves over $stored stored sessions, one thread"
"$target/release/examples/bench_retrieve" "$n" "$stored"
"$build/bench_retrieve" "$n" "$stored"

# Instructions per retrieve, counted by callgrind: immune to the noise of a shared machine. The
# slope between two run lengths cancels the set-up (client, stored sessions).
if command -v valgrind >/dev/null; then
    echo
    echo "instructions per retrieve (callgrind; slope between 1000 and 3000 retrieves x 5 rounds):"
    ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | sed -n 's/.*Collected : //p'; }
    per_op() {
        local label="$1"; shift
        local a b
        a="$(ir "$1" 1000 "$stored" "${@:2}")"
        b="$(ir "$1" 3000 "$stored" "${@:2}")"
        printf '%-36s %8d instructions/op\n' "$label" $(( (b - a) / (2000 * 5) ))
    }
    per_op "Rust retrieve (typed)" "$target/release/examples/bench_retrieve" typed
    per_op "Rust call_json(Retrieve)" "$target/release/examples/bench_retrieve" json
    per_op "C retrieve (+ free)" "$build/bench_retrieve" 0
    per_op "C retrieve + si_session_to_json" "$build/bench_retrieve" 1
fi
