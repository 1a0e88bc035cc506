#!/usr/bin/env bash
# Installs (once) the packaging tools into <repo>/.tools/dist-venv, pinned, from PyPI: maturin
# (wheel and sdist), ziglang (the linker maturin uses to target an old glibc) and auditwheel
# (checks the wheel's manylinux tag). Prints the venv's bin folder.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.tools/dist-venv"
PINS=(maturin==1.16.0 ziglang==0.17.1 auditwheel==6.8.2)
STAMP="$VENV/.pins"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "${PINS[*]}" ]; then
    python3 -m venv "$VENV" >&2
    "$VENV/bin/python" -m pip install -q --upgrade pip >&2
    "$VENV/bin/python" -m pip install -q "${PINS[@]}" >&2
    echo "${PINS[*]}" >"$STAMP"
fi
echo "$VENV/bin"
