#!/usr/bin/env bash
# The C binding's test suite (make -C bindings-c test), from a fresh clone:
#  1. the checked-in header is what the pinned cbindgen generates (and compiles as C and C++);
#     the C sources are clang-formatted;
#  2. the crate's Rust tests (panic boundary, header version macros, the shared scenarios);
#  3. tests/test_api.c, linked to the static library, under valgrind on the local client, and
#     built with AddressSanitizer + UndefinedBehaviorSanitizer (gcc/clang
#     -fsanitize=address,undefined; the C side is instrumented, the Rust library is not, but
#     every allocation it makes goes through the sanitizer's malloc, so LeakSanitizer sees
#     what it leaks and ASan sees C reading what it freed); tests/sanitizer_control.c first
#     proves that build stops on a use after free and on a leaked session;
#  4. both programs against an identity-mock started here on --port 0, over HTTP, then over
#     HTTPS with a throwaway CA (server/examples/test_certs.rs) and through a CONNECT proxy
#     (tests/connect_proxy.py);
#  5. make install into a temp prefix, then a program built with pkg-config against the shared
#     library (SONAME and symlinks checked) and one against the static library;
#  6. the README quickstart, extracted, built with pkg-config and run under valgrind.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
build="$target/bindings-c"
mkdir -p "$build"
CC="${CC:-cc}"
CARGO="${CARGO:-cargo}"
static_libs="-lpthread -ldl -lm"

step() { printf '\n== %s\n' "$*"; }

step "header"
"$here/scripts/header.sh" --check
# The header compiles as C and as C++ on its own.
echo '#include "stripe_identity.h"' | "$CC" -std=c99 -Wall -Wextra -Werror -pedantic -fsyntax-only -I "$here/include" -x c -
# ... and beside the POSIX headers whose siginfo macros (si_status, si_pid, si_code, ...) would
# rewrite any name of ours that matched one.
printf '#define _POSIX_C_SOURCE 200809L\n#include <signal.h>\n#include <sys/wait.h>\n#include "stripe_identity.h"\nsi_result f(void) { return SI_OK; }\n' |
    "$CC" -std=c11 -Wall -Wextra -Werror -fsyntax-only -I "$here/include" -x c -
if command -v c++ >/dev/null; then
    echo '#include "stripe_identity.h"' | c++ -Wall -Wextra -Werror -fsyntax-only -I "$here/include" -x c++ -
fi

step "C formatting"
need() { # installs a Debian package when its command is missing
    command -v "$1" >/dev/null && return
    echo "$1 is missing: installing $2 (apt-get)" >&2
    (apt-get update -qq && apt-get install -y -qq "$2") >&2
}
need clang-format clang-format
clang-format --dry-run --Werror "$here/tests/test_api.c" "$here/tests/sanitizer_control.c" \
    "$here/examples/quickstart.c" "$here/bench/bench_retrieve.c"
echo "clang-format: clean"

step "Rust tests"
"$CARGO" test -q -p stripe-identity-c

step "build"
"$CARGO" build --release -p stripe-identity-c
"$CC" -std=c11 -Wall -Wextra -Werror -g -O1 -I "$here/include" "$here/tests/test_api.c" \
    "$target/release/libstripe_identity.a" $static_libs -o "$build/test_api"

# The sanitized build: any error stops the program with a non-zero status.
sanitize=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
for program in test_api sanitizer_control; do
    "$CC" -std=c11 -Wall -Wextra -Werror -g -O1 "${sanitize[@]}" -I "$here/include" "$here/tests/$program.c" \
        "$target/release/libstripe_identity.a" $static_libs -o "$build/${program}_asan"
done

need valgrind valgrind
valgrind=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1
          --show-leak-kinds=definite,indirect)

step "C tests, local client, under valgrind"
"${valgrind[@]}" "$build/test_api"

step "the sanitizers catch a deliberate use after free and leak"
for bug in use-after-free leak; do
    if "$build/sanitizer_control_asan" "$bug" >"$build/sanitizer_control.$bug.log" 2>&1; then
        cat "$build/sanitizer_control.$bug.log" >&2
        echo "the sanitized build did not stop on a $bug" >&2
        exit 1
    fi
    grep -E 'ERROR: (AddressSanitizer: heap-use-after-free|LeakSanitizer: detected memory leaks)' \
        "$build/sanitizer_control.$bug.log"
done

step "C tests, local client, under AddressSanitizer + UndefinedBehaviorSanitizer"
"$build/test_api_asan"

step "C tests against identity-mock, under valgrind"
"$CARGO" build -q -p stripe-identity-mock --bin identity-mock --example test-certs
servers=()
trap 'for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done' EXIT INT TERM
# start LOG PATTERN COMMAND...: runs COMMAND in the background, waits for PATTERN in its first
# lines (the address it listens on) and leaves it in $url.
start() {
    local log="$1" pattern="$2"
    shift 2
    "$@" >"$log" 2>&1 &
    servers+=($!)
    url=""
    for _ in $(seq 1 100); do
        url="$(grep -oE "$pattern" "$log" | head -1 || true)"
        [ -n "$url" ] && return
        kill -0 "${servers[-1]}" 2>/dev/null || { cat "$log" >&2; echo "$log: did not start" >&2; exit 1; }
        sleep 0.1
    done
    cat "$log" >&2
    echo "$log: no address printed" >&2
    exit 1
}
start "$build/identity-mock.log" 'http://127\.0\.0\.1:[0-9]+' "$target/debug/identity-mock" --port 0
echo "identity-mock on $url"
SI_TEST_BASE_URL="$url" "${valgrind[@]}" "$build/test_api"

step "C tests against identity-mock, under AddressSanitizer + UndefinedBehaviorSanitizer"
SI_TEST_BASE_URL="$url" "$build/test_api_asan"

step "C tests over HTTPS (a throwaway CA; a CONNECT proxy), under AddressSanitizer + UndefinedBehaviorSanitizer"
# Not under valgrind: memcheck reports the TLS records sent, ring's tag check and what follows
# as depending on uninitialised bytes, whose origin (--track-origins=yes) is the stack buffer
# ring's SHA-256 assembly writes the handshake hash into (rustls `hash::Context::fork_finish`):
# memcheck does not see that write, so the whole key schedule looks uninitialised. With
# --error-exitcode the forked workers then exit 1. ASan/UBSan are clean, and the HTTP passes
# above keep valgrind on the C API itself.
certs="$build/certs"
rm -rf "$certs"
"$target/debug/examples/test-certs" "$certs"
start "$build/identity-mock-https.log" 'https://127\.0\.0\.1:[0-9]+' "$target/debug/identity-mock" --port 0 \
    --tls-cert "$certs/server.pem" --tls-key "$certs/server-key.pem"
https_url="$url"
# The proxy test's server: a certificate for other.invalid, a name only the proxy resolves.
start "$build/identity-mock-other.log" 'https://127\.0\.0\.1:[0-9]+' "$target/debug/identity-mock" --port 0 \
    --tls-cert "$certs/other.pem" --tls-key "$certs/other-key.pem"
other_port="${url##*:}"
start "$build/proxy.log" 'http://127\.0\.0\.1:[0-9]+' python3 -u "$here/tests/connect_proxy.py" "$other_port"
proxy_url="$url"
echo "identity-mock on $https_url; proxy $proxy_url to port $other_port"
export SI_TEST_CA_BUNDLE="$certs/ca.pem" SI_TEST_PROXY="$proxy_url" SI_TEST_PROXIED_URL="https://other.invalid:$other_port" \
    SI_TEST_WRONG_NAME_URL="https://127.0.0.1:$other_port"
SI_TEST_BASE_URL="$https_url" "$build/test_api_asan"
SI_TEST_BASE_URL="$https_url" "$build/test_api"
unset SI_TEST_CA_BUNDLE SI_TEST_PROXY SI_TEST_PROXIED_URL SI_TEST_WRONG_NAME_URL
# One tunnel per run (the NO_PROXY call must not have reached the proxy).
connects="$(grep -c "^CONNECT other.invalid:$other_port$" "$build/proxy.log" || true)"
[ "$connects" = 2 ] || { cat "$build/proxy.log" >&2; echo "the proxy saw $connects CONNECTs, expected 2" >&2; exit 1; }
echo "proxy: $connects CONNECTs, one per run"
for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
trap - EXIT INT TERM

step "install and pkg-config"
need pkg-config pkg-config
need readelf binutils
prefix="$build/prefix"
rm -rf "$prefix"
make -s -C "$here" install PREFIX="$prefix" >/dev/null
lib="$prefix/lib"
# The SONAME policy (build.rs): libstripe_identity.so.0.<minor> before 1.0, .so.<major> after.
major="$(sed -n 's/^#define SI_VERSION_MAJOR //p' "$here/include/stripe_identity.h")"
minor="$(sed -n 's/^#define SI_VERSION_MINOR //p' "$here/include/stripe_identity.h")"
if [ "$major" = 0 ]; then expected="libstripe_identity.so.0.$minor"; else expected="libstripe_identity.so.$major"; fi
test -L "$lib/libstripe_identity.so" && test -L "$lib/$expected" && test -f "$lib/libstripe_identity.a"
test -f "$lib/cmake/stripe_identity/stripe_identityConfig.cmake"
soname="$(readelf -d "$lib/libstripe_identity.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
[ "$soname" = "$expected" ] || { echo "SONAME is '$soname', not $expected" >&2; exit 1; }
export PKG_CONFIG_PATH="$lib/pkgconfig"
# shellcheck disable=SC2046 # pkg-config prints several flags
"$CC" -std=c11 -Wall -Wextra -Werror "$here/examples/quickstart.c" $(pkg-config --cflags --libs stripe-identity) \
    -o "$build/quickstart-shared"
# (grep without -q: an early exit would break readelf's pipe, which pipefail reports)
readelf -d "$build/quickstart-shared" | grep "NEEDED.*\\[$expected\\]" >/dev/null
LD_LIBRARY_PATH="$lib" "$build/quickstart-shared" >/dev/null
# shellcheck disable=SC2046
"$CC" -std=c11 -Wall -Wextra -Werror "$here/examples/quickstart.c" $(pkg-config --cflags stripe-identity) \
    "$lib/libstripe_identity.a" $(pkg-config --static --libs-only-other --libs-only-l stripe-identity | sed 's/-lstripe_identity//') \
    -o "$build/quickstart-static"
if readelf -d "$build/quickstart-static" | grep 'libstripe_identity' >/dev/null; then
    echo "the static program needs the shared library" >&2
    exit 1
fi
"$build/quickstart-static" >/dev/null
echo "install: shared (SONAME $soname) and static programs built with pkg-config run"

step "README quickstart"
sed -n '/<!-- START quickstart/,/<!-- END quickstart/p' "$here/README.md" | sed '1,2d;$d' | sed '$d' > "$build/readme_quickstart.c"
grep -q 'si_client_new_local' "$build/readme_quickstart.c"
# shellcheck disable=SC2046
"$CC" -std=c11 -Wall -Wextra -Werror "$build/readme_quickstart.c" $(pkg-config --cflags --libs stripe-identity) \
    -o "$build/readme_quickstart"
LD_LIBRARY_PATH="$lib" "${valgrind[@]}" "$build/readme_quickstart" | tee "$build/readme_quickstart.out"
grep -q '^vs_.* requires_input$' "$build/readme_quickstart.out"
echo
echo "bindings-c: all tests passed"
