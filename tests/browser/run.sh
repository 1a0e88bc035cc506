#!/usr/bin/env bash
# The hosted verification page in a real browser (`make browser-test`, part of `make test`).
#
# Installs Debian's chromium and chromium-driver with apt-get when they are missing and this
# shell can (root, apt-get present), creates <repo>/.venv-browser with Selenium (pinned) from
# PyPI, builds identity-mock, and runs tests/browser/flow.py: identity-mock and the example app
# (server/examples/hosted_app.py) on free loopback ports, a headless Chromium clicking through
# verify, a failure code and a spent link. The page's screenshot is written to
# target/browser/hosted-page.png (docs/hosted-page.png is a copy of one).
#
# Where Chromium cannot be had, the browser part is skipped with a message saying so, and the
# same flow runs at the HTML level (urllib following the pages' forms).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${VENV_BROWSER:-$ROOT/.venv-browser}"
SELENIUM_VERSION="4.51.0"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
SHOTS="$ROOT/target/browser"
export CHROMIUM CHROMEDRIVER

have_chromium() { [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; }

if ! have_chromium && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "browser test: installing chromium and chromium-driver with apt-get (once)"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1 || true
        apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || true
    fi
fi

BROWSER=none
PYTHON=python3
if have_chromium; then
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    if ! "$VENV/bin/python" -c "import selenium, sys; sys.exit(selenium.__version__ != '$SELENIUM_VERSION')" 2>/dev/null; then
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "selenium==$SELENIUM_VERSION" \
            || echo "browser test: selenium==$SELENIUM_VERSION could not be installed"
    fi
    if "$VENV/bin/python" -c "import selenium" 2>/dev/null; then
        BROWSER=chromium
        PYTHON="$VENV/bin/python"
    fi
fi
if [ "$BROWSER" = none ]; then
    echo "browser test: SKIPPED in a browser (no $CHROMIUM and $CHROMEDRIVER, or no Selenium);" \
        "running the same flow at the HTML level instead"
fi

cd "$ROOT"
cargo build --quiet -p stripe-identity-mock --bin identity-mock
exec "$PYTHON" tests/browser/flow.py --browser "$BROWSER" --mock-bin "$ROOT/target/debug/identity-mock" --shots "$SHOTS"
