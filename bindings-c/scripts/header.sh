#!/usr/bin/env bash
# Generates include/stripe_identity.h with the pinned cbindgen.
#   scripts/header.sh          regenerate the checked-in header
#   scripts/header.sh --check  regenerate to a temp file and fail (with the diff) when the
#                              checked-in header differs from what cbindgen generates now
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cbindgen="$("$here/scripts/install-cbindgen.sh")"
header="$here/include/stripe_identity.h"
generate() {
    # Single-source mode (src/lib.rs and the modules it declares): no `cargo metadata` of the
    # whole workspace, so the header does not depend on the state of the other crates.
    (cd "$here" && "$cbindgen" --quiet --config cbindgen.toml --output "$1" src/lib.rs)
}
if [ "${1:-}" = "--check" ]; then
    tmp="$(mktemp)"
    trap 'rm -f "$tmp"' EXIT
    generate "$tmp"
    if ! diff -u "$header" "$tmp"; then
        echo "include/stripe_identity.h is stale: run 'make -C bindings-c header' and commit it" >&2
        exit 1
    fi
    echo "header: include/stripe_identity.h is what cbindgen generates"
else
    generate "$header"
    echo "wrote $header"
fi
