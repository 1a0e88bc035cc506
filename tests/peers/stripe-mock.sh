#!/usr/bin/env bash
# Installs Stripe's official mock server, stripe-mock, into <repo>/.tools/bin, where
# core/tests/stripe_mock.rs looks for it (or point STRIPE_MOCK_BIN at another copy).
#
# stripe-mock validates every request against Stripe's OpenAPI spec and answers with fixtures,
# so running our HTTP backend against it proves that our encoding is what the API accepts and
# that its answers decode into our model without losing a field.
#
# Usage: tests/peers/stripe-mock.sh          install unless already there; print the binary path
#        STRIPE_MOCK_VERSION=v0.197.0 tests/peers/stripe-mock.sh   pin a version (default: latest)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin_dir="$repo/.tools/bin"
bin="$bin_dir/stripe-mock"
version="${STRIPE_MOCK_VERSION:-latest}"

if [[ -x "$bin" ]]; then
    echo "$bin"
    exit 0
fi

if ! command -v go >/dev/null 2>&1; then
    echo "stripe-mock.sh: 'go' is not installed; cannot install stripe-mock" >&2
    exit 1
fi

mkdir -p "$bin_dir"
echo "stripe-mock.sh: installing github.com/stripe/stripe-mock@$version into $bin_dir" >&2
GOBIN="$bin_dir" go install "github.com/stripe/stripe-mock@$version" >&2
echo "$bin"
