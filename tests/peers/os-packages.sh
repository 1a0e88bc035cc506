#!/usr/bin/env bash
# Installs Debian packages a test needs when they are missing and this machine can (root and
# apt-get). Where it cannot, it says so; the tests that need them then skip with a clear message.
# Usage: os-packages.sh <command>[=<package>] ...   e.g. os-packages.sh strace chromium
set -uo pipefail
missing=()
for spec in "$@"; do
    cmd="${spec%%=*}"
    pkg="${spec#*=}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 &&
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; }; then
        exit 0
    fi
fi
echo "note: could not install ${missing[*]}; the tests that need them will say they were skipped" >&2
exit 0
