#!/usr/bin/env bash
# `make dist-test`: installs each artifact of dist/ (written by `make dist`) where a user would,
# with a PATH that has no cargo and no rustc, and runs that language's quickstart:
#   python: a fresh venv, pip install --no-index dist/*.whl, examples/quickstart.py;
#   node:   an empty app folder, npm install <platform>.tgz <main>.tgz --ignore-scripts, then
#           require, import and examples/quickstart.mjs;
#   c:      the tarball unpacked under a temporary prefix, examples/quickstart.c built with
#           pkg-config and with CMake (find_package), and run.
# Then the builds from source, with cargo this time: pip install dist/*.tar.gz in a fresh venv (an
# isolated build from the sdist alone), and npm install of the main package alone (as where no
# prebuilt package fits: its install script builds the addon from the rust/ it carries); each
# runs the quickstart.
# Arguments pick some of python, node, c, sdist, node-source (all by default).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/dist"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(python node c sdist node-source)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n== dist-test: %s\n' "$*"; }
one() { # the one file of dist/ that matches a pattern
    local found=("$DIST"/$1)
    [ ${#found[@]} -eq 1 ] && [ -e "${found[0]}" ] || { echo "dist/ has no single $1 (run make dist)" >&2; exit 1; }
    echo "${found[0]}"
}

need() { # installs a Debian package when its command is missing (as bindings-c's tests do)
    command -v "$1" >/dev/null && return
    echo "$1 is missing: installing $2 (apt-get)" >&2
    (apt-get update -qq && apt-get install -y -qq "$2") >&2
}
need cmake cmake
need pkg-config pkg-config
need readelf binutils

# PATH without any folder that holds cargo or rustc (so without ~/.cargo/bin).
NOCARGO_PATH=""
IFS=: read -ra dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
    [ -n "$dir" ] && [ -d "$dir" ] || continue
    if [ -e "$dir/cargo" ] || [ -e "$dir/rustc" ] || [ "$dir" = "$HOME/.cargo/bin" ]; then continue; fi
    NOCARGO_PATH="${NOCARGO_PATH:+$NOCARGO_PATH:}$dir"
done
# Runs a command with that PATH (and no CARGO or RUSTC variable), after checking it has none.
nocargo() {
    env -u CARGO -u RUSTC PATH="$NOCARGO_PATH" bash -c '
        if command -v cargo >/dev/null || command -v rustc >/dev/null; then
            echo "cargo or rustc is still on PATH" >&2; exit 1
        fi
        "$@"' nocargo "$@"
}

check_python() {
    local wheel venv="$WORK/venv-wheel"
    wheel="$(one "stripe_identity-$VERSION-cp39-abi3-*manylinux_2_17_x86_64*.whl")"
    step "python: pip install $(basename "$wheel") into a fresh venv, no cargo"
    nocargo python3 -m venv "$venv"
    nocargo "$venv/bin/python" -m pip install -q --no-index --disable-pip-version-check "$wheel"
    # From an empty folder, so nothing is imported from the source tree.
    (cd "$WORK" && nocargo "$venv/bin/python" -c 'import stripe_identity, sys; assert stripe_identity.__file__.startswith(sys.prefix), stripe_identity.__file__')
    (cd "$WORK" && nocargo "$venv/bin/python" "$ROOT/bindings-python/examples/quickstart.py" >"$WORK/py.out")
    grep -q verified "$WORK/py.out"
    echo "python wheel: quickstart ran"
}

check_sdist() {
    local sdist venv="$WORK/venv-sdist"
    sdist="$(one "stripe_identity-$VERSION.tar.gz")"
    step "python: pip install $(basename "$sdist") into a fresh venv (built from the sdist, with cargo)"
    python3 -m venv "$venv"
    # pip builds in an isolated environment (maturin from PyPI); the shared target folder lets
    # cargo reuse the dependencies it already compiled.
    CARGO_TARGET_DIR="$TARGET" "$venv/bin/python" -m pip install -q --disable-pip-version-check "$sdist"
    (cd "$WORK" && "$venv/bin/python" "$ROOT/bindings-python/examples/quickstart.py" >"$WORK/sdist.out")
    grep -q verified "$WORK/sdist.out"
    echo "python sdist: built and the quickstart ran"
}

check_node() {
    local platform main app="$WORK/app"
    platform="$(one "stripe-identity-linux-x64-gnu-$VERSION.tgz")"
    main="$(one "stripe-identity-$VERSION.tgz")"
    step "node: npm install $(basename "$platform") $(basename "$main") --ignore-scripts, no cargo"
    # The platform package says where it fits; the main package carries no addon of its own.
    tar -xzOf "$platform" package/package.json | node -e '
        const p = JSON.parse(require("fs").readFileSync(0));
        const want = { os: ["linux"], cpu: ["x64"], libc: ["glibc"] };
        for (const [k, v] of Object.entries(want))
          if (JSON.stringify(p[k]) !== JSON.stringify(v)) throw new Error(`${k} is ${JSON.stringify(p[k])}`);'
    tar -xzOf "$main" package/package.json | node -e '
        const p = JSON.parse(require("fs").readFileSync(0));
        if (p.optionalDependencies?.["stripe-identity-linux-x64-gnu"] !== p.version) throw new Error("optionalDependencies");'
    if tar -tzf "$main" | grep '\.node$'; then echo "the main package carries an addon" >&2; exit 1; fi
    mkdir -p "$app"
    (
        cd "$app"
        nocargo npm init -y >/dev/null
        nocargo npm install --no-audit --no-fund --loglevel=error --ignore-scripts "$platform" "$main"
        test -f node_modules/stripe-identity-linux-x64-gnu/stripe-identity.linux-x64-gnu.node
        nocargo node -e "const { Client } = require('stripe-identity');
          Client.local().identity.verificationSessions.create({ type: 'document' })
            .then((s) => { if (s.status !== 'requires_input') process.exit(1); console.log('require: ok'); });"
        nocargo node --input-type=module -e "import { Client, StripeError } from 'stripe-identity';
          const s = await Client.local().identity.verificationSessions.create({ type: 'document' });
          if (s.status !== 'requires_input' || typeof StripeError !== 'function') process.exit(1);
          console.log('import: ok');"
        cp "$ROOT/bindings-node/examples/quickstart.mjs" .
        nocargo node quickstart.mjs >"$WORK/node.out"
        grep -q verified "$WORK/node.out"
    )
    echo "node: quickstart ran"
}

check_node_source() {
    local main app="$WORK/app-source"
    main="$(one "stripe-identity-$VERSION.tgz")"
    step "node: npm install $(basename "$main") alone, addon built from its rust/ (with cargo)"
    mkdir -p "$app"
    (
        cd "$app"
        npm init -y >/dev/null
        # --omit=optional: as on a platform with no prebuilt package (and never a registry's).
        # The shared target folder lets cargo reuse the dependencies it already compiled.
        CARGO_TARGET_DIR="$TARGET" npm install --no-audit --no-fund --loglevel=error --omit=optional "$main"
        test ! -e node_modules/stripe-identity-linux-x64-gnu
        test -f node_modules/stripe-identity/stripe-identity.linux-x64-gnu.node
        cp "$ROOT/bindings-node/examples/quickstart.mjs" .
        node quickstart.mjs >"$WORK/node-source.out"
        grep -q verified "$WORK/node-source.out"
    )
    echo "node: built from the packed sources, quickstart ran"
}

check_c() {
    local tarball name="stripe-identity-$VERSION-x86_64-linux-gnu" prefix="$WORK/prefix"
    tarball="$(one "$name.tar.gz")"
    step "c: $(basename "$tarball") unpacked under a temporary prefix, no cargo"
    mkdir -p "$prefix"
    tar -xzf "$tarball" -C "$prefix" --strip-components=1
    local lib="$prefix/lib" soname
    test -L "$lib/libstripe_identity.so" && test -L "$lib/libstripe_identity.so.0.1" && test -f "$lib/libstripe_identity.a"
    soname="$(readelf -d "$lib/libstripe_identity.so.$VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
    [ "$soname" = "libstripe_identity.so.0.1" ] || { echo "SONAME is '$soname'" >&2; exit 1; }
    # Stripped, with a link to the debug file that the -debug tarball holds.
    if readelf -S "$lib/libstripe_identity.so.$VERSION" | grep -E '\.debug_info|\.symtab'; then
        echo "the shared library is not stripped" >&2; exit 1
    fi
    readelf --string-dump=.gnu_debuglink "$lib/libstripe_identity.so.$VERSION" | grep "libstripe_identity.so.$VERSION.debug" >/dev/null
    tar -xzf "$(one "$name-debug.tar.gz")" -C "$WORK"
    readelf -S "$WORK/libstripe_identity.so.$VERSION.debug" | grep '\.debug_info' >/dev/null
    local quickstart="$ROOT/bindings-c/examples/quickstart.c" build="$WORK/c"
    mkdir -p "$build"
    # shellcheck disable=SC2016 # expanded by the inner shell
    nocargo bash -c 'cc -std=c11 -Wall -Wextra -Werror "$1" $(PKG_CONFIG_PATH="$2/pkgconfig" pkg-config --cflags --libs stripe-identity) -o "$3"' \
        sh "$quickstart" "$lib" "$build/quickstart-pkgconfig"
    LD_LIBRARY_PATH="$lib" nocargo "$build/quickstart-pkgconfig" >"$build/pkgconfig.out"
    grep -q verified "$build/pkgconfig.out"
    echo "c: built with pkg-config, ran"
    mkdir -p "$build/cmake-app"
    cp "$quickstart" "$build/cmake-app/app.c"
    cat >"$build/cmake-app/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(app C)
find_package(stripe_identity 0.1 REQUIRED)
add_executable(app app.c)
target_link_libraries(app stripe_identity::stripe_identity)
add_executable(app_static app.c)
target_link_libraries(app_static stripe_identity::stripe_identity_static)
CMAKE
    nocargo cmake -S "$build/cmake-app" -B "$build/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
    nocargo cmake --build "$build/cmake-build" >/dev/null
    readelf -d "$build/cmake-build/app" | grep 'NEEDED.*\[libstripe_identity\.so\.0\.1\]' >/dev/null
    nocargo "$build/cmake-build/app" >"$build/cmake.out"
    nocargo "$build/cmake-build/app_static" >"$build/cmake-static.out"
    grep -q verified "$build/cmake.out" && grep -q verified "$build/cmake-static.out"
    echo "c: built with CMake (shared and static), ran"
}

for part in "${PARTS[@]}"; do
    case "$part" in
    python) check_python ;;
    node) check_node ;;
    c) check_c ;;
    sdist) check_sdist ;;
    node-source) check_node_source ;;
    *) echo "unknown part: $part (python, node, c, sdist, node-source)" >&2; exit 1 ;;
    esac
done
echo
echo "dist-test: every artifact installed and ran"
