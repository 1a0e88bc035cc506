#!/usr/bin/env bash
# Creates (once) the virtualenv <repo>/.venv-py and installs this package into it with pip
# (maturin builds the Rust code), plus any extra requirements given as arguments.
# VENV and PYTHON override the venv path and the interpreter that creates it.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
VENV="${VENV:-$REPO/.venv-py}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
fi
# --force-reinstall of this package only: the version does not change between edits.
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$HERE"
if [ "$#" -gt 0 ]; then
    "$VENV/bin/python" -m pip install -q "$@"
fi
