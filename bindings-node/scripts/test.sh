#!/usr/bin/env bash
# The Node binding's whole suite, from a fresh clone (run by `make test`):
#   1. npm dependencies exactly as package-lock.json pins them (npm ci), and the formatting
#      of every JavaScript/TypeScript file (prettier);
#   2. the native build with the pinned @napi-rs/cli, which regenerates native.d.ts (a
#      committed copy that differs from the sources is drift, and fails); native.js, the
#      loader, is written by hand (it names only the platform packages the project publishes);
#   3. tsc --noEmit on test/typed.ts against the shipped declarations;
#   4. `npm install <this folder>` into an empty app folder, the addon rebuilt from source by the
#      install script, then require() and import;
#   5. node --test: test/*.test.mjs (identity-mock is built here; the tests start and stop it),
#      then the HTTP files again with every call on libuv's pool (STRIPE_IDENTITY_NODE_IO=pool).
# Extra arguments go to node --test.
set -euo pipefail

PKG="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$PKG/.." && pwd)"
cd "$PKG"

echo "== bindings-node: npm dependencies"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    # The addon is built in the next step; the install script need not build it here too.
    STRIPE_IDENTITY_SKIP_BUILD=1 npm ci --no-audit --no-fund --loglevel=error
fi

echo "== bindings-node: prettier --check (every JavaScript/TypeScript file, .prettierrc.json)"
(cd "$ROOT" && "$PKG/node_modules/.bin/prettier" --check --log-level warn \
    "bindings-node/**/*.{js,mjs,ts,json}" "tests/sdk-node/**/*.{js,mjs,json}")

echo "== bindings-node: native build (napi build --release)"
npm run --silent build
if git ls-files --error-unmatch native.d.ts >/dev/null 2>&1; then
    git diff --exit-code -- native.d.ts ||
        { echo "native.d.ts differs from what the Rust sources generate: commit the regenerated file" >&2; exit 1; }
fi

echo "== bindings-node: tsc --noEmit"
npx --no-install tsc --noEmit -p tsconfig.json

echo "== bindings-node: npm install into an empty folder, addon built from source"
APP="$(mktemp -d)"
ADDON="$(ls stripe-identity.*.node)"
cp "$ADDON" "$APP/addon.backup"
cleanup() {
    [[ -f "$PKG/$ADDON" ]] || cp "$APP/addon.backup" "$PKG/$ADDON"
    rm -rf "$APP"
}
trap cleanup EXIT
rm "$ADDON"
(
    cd "$APP"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --loglevel=error "$PKG"
    node -e "const { Client } = require('stripe-identity');
      Client.local().identity.verificationSessions.create({ type: 'document' })
        .then((s) => { if (s.status !== 'requires_input') process.exit(1); console.log('require: ok'); });"
    # The drop-in: the module is the constructor, as require('stripe') is.
    node -e "const Stripe = require('stripe-identity');
      Stripe.local().identity.verificationSessions.create({ type: 'document' })
        .then((s) => { if (s.lastResponse.statusCode !== 200) process.exit(1); console.log('require drop-in: ok'); });"
    node --input-type=module -e "import { Client, StripeError } from 'stripe-identity';
      const s = await Client.local().identity.verificationSessions.create({ type: 'document' });
      if (s.status !== 'requires_input' || typeof StripeError !== 'function') process.exit(1);
      console.log('import: ok');"
    node --input-type=module -e "import Stripe from 'stripe-identity';
      const page = await Stripe.local().identity.verificationSessions.list().autoPagingToArray({ limit: 10 });
      if (!Array.isArray(page)) process.exit(1);
      console.log('import drop-in: ok');"
)
[[ -f "$ADDON" ]] || { echo "the install script did not build $ADDON" >&2; exit 1; }

echo "== bindings-node: node --test"
cargo build --quiet -p stripe-identity-mock --bin identity-mock --example test-certs
export IDENTITY_MOCK="$ROOT/target/debug/identity-mock"
# One file at a time: the machine is small and some files start servers.
node --test --test-concurrency=1 "$@" test/*.test.mjs
# Calls over HTTP run on the event loop above; the files that make them over HTTP and HTTPS
# run again with every call on libuv's pool, the other path (src/on_loop.rs).
echo "== bindings-node: node --test, every call on libuv's pool (STRIPE_IDENTITY_NODE_IO=pool)"
STRIPE_IDENTITY_NODE_IO=pool node --test --test-concurrency=1 "$@" \
    test/errors.test.mjs test/https.test.mjs test/operations.test.mjs test/dropin.test.mjs
