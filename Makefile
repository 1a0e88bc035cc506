# stripe-identity: one Rust core, an embedded simulator, bindings for Python, Node and C.
# `make demo` and `make test` do all set-up on a fresh machine.

CARGO ?= cargo

.PHONY: demo test lint fmt bench build clean

## The main job on the embedded simulator: a whole lifecycle, printed.
demo:
	$(CARGO) run -q -p stripe-identity --example demo

## Every suite: formatting, lints, unit, doc, scenario, property and concurrency tests.
test: lint
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

## Operations per second and memory per session through Client::local() (a benchmark, not a test).
bench:
	$(CARGO) run --release -q -p stripe-identity --example bench

build:
	$(CARGO) build --workspace --release

clean:
	$(CARGO) clean
