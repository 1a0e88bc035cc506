#!/usr/bin/env bash
# Installs Stripe's official mock server, stripe-mock, into <repo>/.tools/bin, where
# core/tests/stripe_mock.rs looks for it (or point STRIPE_MOCK_BIN at another copy).
#
# stripe-mock validates every request against Stripe's OpenAPI spec and answers with fixtures,
# so running our HTTP backend against it proves that our encoding is what the API accepts and
# that its answers decode into our model without losing a field.
#
# Its module, left in Go's module cache by `go install`, also carries Stripe's OpenAPI spec
# (embedded/openapi/spec3.json), which core/tests/openapi.rs reads at the same version.
#
# Usage: tests/peers/stripe-mock.sh    install the version the Makefile pins (or
#        STRIPE_MOCK_VERSION) unless it is already there; print the binary path.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin_dir="$repo/.tools/bin"
bin="$bin_dir/stripe-mock"
# The Makefile's pinned version unless STRIPE_MOCK_VERSION says otherwise.
version="${STRIPE_MOCK_VERSION:-$(sed -n 's/^STRIPE_MOCK_VERSION ?= *//p' "$repo/Makefile")}"
if [[ -z "$version" || "$version" == latest ]]; then
    echo "stripe-mock.sh: STRIPE_MOCK_VERSION must be a pinned version (the Makefile pins it)" >&2
    exit 1
fi
stamp="$bin_dir/stripe-mock.version"

if ! command -v go >/dev/null 2>&1; then
    echo "stripe-mock.sh: 'go' is not installed; cannot install stripe-mock" >&2
    exit 1
fi

spec="$(go env GOMODCACHE)/github.com/stripe/stripe-mock@$version/embedded/openapi/spec3.json"
if [[ -x "$bin" && -f "$spec" && "$(cat "$stamp" 2>/dev/null)" == "$version" ]]; then
    echo "$bin"
    exit 0
fi

mkdir -p "$bin_dir"
echo "stripe-mock.sh: installing github.com/stripe/stripe-mock@$version into $bin_dir" >&2
GOBIN="$bin_dir" go install "github.com/stripe/stripe-mock@$version" >&2
echo "$version" >"$stamp"
echo "$bin"
