#!/usr/bin/env bash
# Builds and runs the fuzz targets (fuzz/README.md), every one unless targets are named.
#
#   fuzz/run.sh smoke [target...]   the fuzz crate's fmt and clippy, then each target
#                                   FUZZ_SMOKE_SECONDS (default 5) on its seeds, in a scratch
#                                   corpus; what `make test` runs. Skips, with the reason,
#                                   where cargo-fuzz cannot be installed or the toolchain cannot
#                                   build sanitized code; any crash fails.
#   fuzz/run.sh long [target...]    each target FUZZ_SECONDS (default 300), growing fuzz/corpus/<t>
#                                   (kept between runs, not checked in); `make fuzz`.
#
# cargo-fuzz (pinned) is installed into <repo>/.tools/bin; sanitized builds need nightly flags,
# which `RUSTC_BOOTSTRAP=1` allows on the stable toolchain. A crash leaves its input in
# fuzz/artifacts/<target>/ and the command that replays it in the log; the figures of each run
# (executions, speed, crashes) are printed at the end and kept in target/fuzz/summary.txt
# (FUZZ_TARGET_DIR moves target/fuzz elsewhere).
set -euo pipefail

mode="${1:-}"
[ "$mode" = smoke ] || [ "$mode" = long ] || { echo "usage: $0 smoke|long [target...]" >&2; exit 2; }
shift

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
CARGO_FUZZ_VERSION="${CARGO_FUZZ_VERSION:-0.13.2}"
tools="$root/.tools"
cargo_fuzz="$tools/bin/cargo-fuzz"
target_dir="${FUZZ_TARGET_DIR:-$root/target/fuzz}"

skip() { # smoke only: the machine cannot fuzz, which is not a failure of the code
    if [ "$mode" = smoke ]; then
        echo "fuzz smoke SKIPPED: $*" >&2
        exit 0
    fi
    echo "fuzz: $*" >&2
    exit 1
}

if [ ! -x "$cargo_fuzz" ] || ! "$cargo_fuzz" --version | grep -qF "$CARGO_FUZZ_VERSION"; then
    echo "installing cargo-fuzz $CARGO_FUZZ_VERSION into $tools" >&2
    cargo install -q cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION" --root "$tools" >&2 ||
        skip "cargo-fuzz $CARGO_FUZZ_VERSION could not be installed (cargo install failed)"
fi
command -v c++ >/dev/null || skip "no C++ compiler (c++), which libFuzzer needs"
# The toolchain must build AddressSanitizer code; if it cannot, say so rather than fail on
# the project's code.
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
echo 'pub fn f() {}' >"$probe/probe.rs"
RUSTC_BOOTSTRAP=1 rustc --edition 2021 --crate-type lib -Zsanitizer=address -Cpasses=sancov-module \
    --out-dir "$probe" "$probe/probe.rs" 2>"$probe/err" ||
    skip "rustc cannot build sanitized code here: $(head -c 300 "$probe/err")"

# Only cargo-fuzz gets RUSTC_BOOTSTRAP: build scripts that probe for nightly features would
# otherwise build the workspace's crates differently in target/.
fuzz=(env RUSTC_BOOTSTRAP=1 "$cargo_fuzz" fuzz)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <("${fuzz[@]}" list --fuzz-dir fuzz)
fi
for t in "${targets[@]}"; do
    [ -d "fuzz/seeds/$t" ] || { echo "fuzz target $t has no seed corpus (fuzz/seeds/$t)" >&2; exit 1; }
done

# The fuzz crate is outside the workspace, so `make lint` does not see it: the same checks here.
cargo fmt --manifest-path fuzz/Cargo.toml --check
cargo clippy -q --manifest-path fuzz/Cargo.toml --target-dir "$root/target" --all-targets -- -D warnings

# One build for every target (cargo-fuzz's defaults: release, debug assertions, ASan).
"${fuzz[@]}" build --fuzz-dir fuzz --target-dir "$target_dir" >&2 ||
    { echo "the fuzz targets do not build (see above)" >&2; exit 1; }

if [ "$mode" = smoke ]; then
    seconds="${FUZZ_SMOKE_SECONDS:-5}"
else
    seconds="${FUZZ_SECONDS:-300}"
fi
summary="$target_dir/summary.txt"
mkdir -p "$target_dir"
printf '%-14s %8s %12s %10s %8s %8s\n' target seconds executions "execs/s" corpus crashes >"$summary"
failed=()
for t in "${targets[@]}"; do
    if [ "$mode" = smoke ]; then
        corpus="$target_dir/smoke-corpus/$t"
        rm -rf "$corpus"
    else
        corpus="fuzz/corpus/$t"
    fi
    mkdir -p "$corpus" "fuzz/artifacts/$t"
    dict=()
    [ -f "fuzz/dict/$t.dict" ] && dict=("-dict=fuzz/dict/$t.dict")
    log="$target_dir/$t.log"
    echo "== fuzz $t: ${seconds}s on $corpus + fuzz/seeds/$t" >&2
    status=0
    "${fuzz[@]}" run --fuzz-dir fuzz --target-dir "$target_dir" "$t" "$corpus" "fuzz/seeds/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 "${dict[@]}" >"$log" 2>&1 || status=$?
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    units="$(find "$corpus" -type f | wc -l)"
    crashes=0
    if [ "$status" -ne 0 ]; then
        crashes=1
        failed+=("$t")
        grep -E '^(==[0-9]+==ERROR|thread .* panicked|SUMMARY|Reproduce with|.*Test unit written to)' "$log" >&2 ||
            tail -40 "$log" >&2
    fi
    printf '%-14s %8s %12s %10s %8s %8s\n' "$t" "$seconds" "${execs:-?}" "${speed:-?}" "$units" "$crashes" >>"$summary"
done
cat "$summary"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz $mode: crashes in ${failed[*]} (inputs in fuzz/artifacts/<target>/, logs in $target_dir/<target>.log)" >&2
    exit 1
fi
echo "fuzz $mode: ${#targets[@]} targets, no crash"
