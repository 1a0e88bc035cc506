#!/usr/bin/env bash
# `make dist`: writes into dist/ the artifacts a release publishes, each installable without Rust.
#   python: stripe_identity-<v>-cp39-abi3-manylinux_2_17_x86_64.whl (maturin + zig, glibc 2.17,
#           checked with auditwheel) and the sdist stripe_identity-<v>.tar.gz (maturin sdist)
#   node:   stripe-identity-linux-x64-gnu-<v>.tgz (the addon, os/cpu/libc set) and
#           stripe-identity-<v>.tgz (the main package: JavaScript, types, the platform package as
#           an optional dependency, and rust/, the sources its install script builds from when
#           no prebuilt package fits)
#   c:      stripe-identity-<v>-x86_64-linux-gnu.tar.gz (stripped shared library with its SONAME
#           and symlinks, static library, header, pkg-config file, CMake package config) and
#           stripe-identity-<v>-x86_64-linux-gnu-debug.tar.gz (the shared library's debug info)
# One `cargo build --release` serves the C library (as in make -C bindings-c test) and napi's
# build of the addon reuses the same target/release, stripped here; the wheel is built by
# maturin in target/dist-wheel/, since zig links it against glibc 2.17.
# Arguments pick some of python, node, c (all by default).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DIST="$ROOT/dist"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
STAGE="$TARGET/dist-stage"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
# The oldest glibc the wheel can honestly claim: Rust's std needs 2.17 (manylinux2014).
MANYLINUX="manylinux_2_17"
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(python node c)

step() { printf '\n== dist: %s\n' "$*"; }
# strip and objcopy (binutils) for the C library and the addon.
command -v objcopy >/dev/null || (apt-get update -qq && apt-get install -y -qq binutils) >&2
mkdir -p "$DIST" "$STAGE"

python_dist() {
    local bin
    bin="$("$ROOT/packaging/tools.sh")"
    step "python wheel (maturin --zig, $MANYLINUX)"
    rm -f "$DIST"/stripe_identity-*.whl "$DIST"/stripe_identity-*.tar.gz
    # maturin finds zig through the ziglang module of the Python that runs it. Its own target
    # folder: zig's compiler variables would otherwise rebuild the build scripts and
    # proc-macros that the native builds share in target/release, and so everything after them.
    PATH="$bin:$PATH" CARGO_TARGET_DIR="$TARGET/dist-wheel" maturin build --quiet --release --strip --zig --compatibility "$MANYLINUX" \
        --target x86_64-unknown-linux-gnu -m bindings-python/Cargo.toml -o "$DIST"
    local wheel
    wheel="$(ls "$DIST"/stripe_identity-"$VERSION"-*.whl)"
    case "$wheel" in *"-cp39-abi3-"*"${MANYLINUX}_x86_64"*) ;; *) echo "unexpected wheel tag: $wheel" >&2; exit 1 ;; esac
    # auditwheel must find the wheel consistent with the tag it carries.
    "$bin/auditwheel" show "$wheel" | tee "$STAGE/auditwheel.txt"
    tr -s ' \n' '  ' <"$STAGE/auditwheel.txt" | grep -q "consistent with the following platform tag: \"${MANYLINUX}_x86_64\"" ||
        { echo "auditwheel does not find $wheel consistent with ${MANYLINUX}_x86_64" >&2; exit 1; }
    step "python sdist (maturin sdist)"
    PATH="$bin:$PATH" maturin sdist -m bindings-python/Cargo.toml -o "$DIST"
}

node_dist() {
    local pkg="$ROOT/bindings-node" out="$STAGE/node"
    step "node addon (napi build --release)"
    if [[ ! -f "$pkg/node_modules/.package-lock.json" || "$pkg/package-lock.json" -nt "$pkg/node_modules/.package-lock.json" ]]; then
        (cd "$pkg" && STRIPE_IDENTITY_SKIP_BUILD=1 npm ci --no-audit --no-fund --loglevel=error)
    fi
    (cd "$pkg" && npm run --silent build)
    rm -rf "$out" && mkdir -p "$out"
    rm -f "$DIST"/stripe-identity-*.tgz

    step "node platform package (napi create-npm-dirs)"
    # napi writes npm/<platform>/package.json (name, os, cpu, libc, main, files) and a README for
    # each of package.json's napi.targets; they are checked in, as napi-rs projects do, and must
    # be what napi writes. The addon goes beside them, stripped.
    (cd "$pkg" && npx --no-install napi create-npm-dirs >/dev/null)
    git diff --exit-code -- "$pkg/npm" ||
        { echo "bindings-node/npm differs from what napi create-npm-dirs writes: commit it" >&2; exit 1; }
    local platform="$out/npm/linux-x64-gnu"
    mkdir -p "$platform"
    cp "$pkg/npm/linux-x64-gnu/package.json" "$pkg/npm/linux-x64-gnu/README.md" "$platform/"
    strip --strip-unneeded -o "$platform/stripe-identity.linux-x64-gnu.node" "$pkg/stripe-identity.linux-x64-gnu.node"
    (cd "$platform" && npm pack --silent --pack-destination "$DIST" >/dev/null)

    step "node main package"
    local main="$out/main"
    mkdir -p "$main"
    # What package.json's `files` lists (never a .node: the addon is the platform package's).
    (cd "$pkg" && node -e "for (const f of require('./package.json').files) console.log(f)") | while read -r f; do
        (cd "$pkg" && compgen -G "$f" >/dev/null) || { echo "files lists $f, which is missing" >&2; exit 1; }
        (cd "$pkg" && cp --parents $f "$main/")
    done
    cp "$pkg/package.json" "$pkg/README.md" "$main/"
    # The platform package as an exact optional dependency (what napi pre-publish adds), and
    # rust/ in the files list.
    node -e "
      const fs = require('fs'); const p = JSON.parse(fs.readFileSync('$main/package.json'));
      p.optionalDependencies = { 'stripe-identity-linux-x64-gnu': p.version };
      p.files.push('rust/');
      delete p.devDependencies;
      fs.writeFileSync('$main/package.json', JSON.stringify(p, null, 2) + '\n');"
    # rust/: a two-member cargo workspace (core and the addon), so the install script can build
    # from the tarball alone. core's dev-dependencies (test crates outside it) are dropped.
    local rust="$main/rust"
    mkdir -p "$rust/core" "$rust/bindings-node"
    sed 's/^members = .*/members = ["core", "bindings-node"]/' Cargo.toml >"$rust/Cargo.toml"
    cp Cargo.lock "$rust/"
    sed '/^\[dev-dependencies\]/,/^\[/{/^\[dev-dependencies\]/d;/^\[/!d}' core/Cargo.toml >"$rust/core/Cargo.toml"
    cp -r core/src "$rust/core/"
    cp -r bindings-node/Cargo.toml bindings-node/build.rs bindings-node/src "$rust/bindings-node/"
    (cd "$main" && npm pack --silent --pack-destination "$DIST" >/dev/null)
}

c_dist() {
    local name="stripe-identity-$VERSION-x86_64-linux-gnu"
    local out="$STAGE/c" prefix
    prefix="$out/$name"
    step "C library (cargo build --release -p stripe-identity-c)"
    rm -rf "$out" && mkdir -p "$out"
    rm -f "$DIST/$name.tar.gz" "$DIST/$name-debug.tar.gz"
    make -s -C bindings-c install PREFIX="$prefix" >/dev/null
    local lib="$prefix/lib" so="libstripe_identity.so.$VERSION"
    # Debug info goes to its own file (and its own tarball); the library keeps a link to it.
    objcopy --only-keep-debug "$lib/$so" "$out/$so.debug"
    strip --strip-unneeded "$lib/$so"
    (cd "$out" && objcopy --add-gnu-debuglink="$so.debug" "$lib/$so")
    strip --strip-debug "$lib/libstripe_identity.a"
    # pkg-config paths relative to the .pc file, so the tree works wherever it is unpacked.
    sed -i -e 's|^prefix=.*|prefix=${pcfiledir}/../..|' -e 's|^libdir=.*|libdir=${prefix}/lib|' \
        -e 's|^includedir=.*|includedir=${prefix}/include|' "$lib/pkgconfig/stripe-identity.pc"
    local tar=(tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -czf)
    "${tar[@]}" "$DIST/$name.tar.gz" -C "$out" "$name"
    "${tar[@]}" "$DIST/$name-debug.tar.gz" -C "$out" "$so.debug"
}

for part in "${PARTS[@]}"; do
    case "$part" in
    python) python_dist ;;
    node) node_dist ;;
    c) c_dist ;;
    *) echo "unknown part: $part (python, node, c)" >&2; exit 1 ;;
    esac
done

step "artifacts"
(cd "$DIST" && ls -l --block-size=K -- *)
