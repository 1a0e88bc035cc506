#!/usr/bin/env bash
# Installs the pinned cbindgen into <repo>/.tools/bin when it is missing or another version, and
# prints its path. The header is only reproducible with one cbindgen version, so it is pinned.
set -euo pipefail
CBINDGEN_VERSION=0.29.4
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$repo/.tools/bin/cbindgen"
if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]; then
    echo "installing cbindgen $CBINDGEN_VERSION into $repo/.tools" >&2
    cargo install cbindgen --locked --version "$CBINDGEN_VERSION" --root "$repo/.tools" >&2
fi
echo "$bin"
