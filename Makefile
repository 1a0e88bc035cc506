# stripe-identity: one Rust core, an embedded simulator, bindings for Python, Node and C.
# `make demo` and `make test` do all set-up on a fresh machine.

CARGO ?= cargo
# Stripe's own mock server, built from the Go module proxy into .tools/. Pinned: its module also
# carries the OpenAPI spec that core/tests/openapi.rs holds the API's description against.
STRIPE_MOCK_VERSION ?= v0.203.0
STRIPE_MOCK_BIN ?= $(CURDIR)/.tools/bin/stripe-mock

.PHONY: demo test browser-test example-app tools peers peer-python peer-node peer-curl mock lint fmt bench reliability codegen build clean \
	bench-chart bench-goals bench-pinned python-demo python-test python-bench node-demo node-test node-bench fuzz fuzz-smoke \
	dist dist-test

## The main job on the embedded simulator: a whole lifecycle, printed.
demo:
	$(CARGO) run -q -p stripe-identity --example demo
	$(CARGO) run -q -p stripe-identity-mock --example webhooks-demo
	$(MAKE) python-demo
	$(MAKE) node-demo
	$(MAKE) -C bindings-c demo

## Every suite: formatting, lints, unit, doc, scenario, property, concurrency and HTTP tests,
## including this client against Stripe's official mock server, and a short run of every fuzz
## target on its seeds. The bindings' suites run before the peers, which then also check the
## built Python and Node bindings against the official SDKs' webhook signatures.
test: lint tools
	STRIPE_MOCK_BIN=$(STRIPE_MOCK_BIN) STRIPE_MOCK_VERSION=$(STRIPE_MOCK_VERSION) \
		$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc
	$(MAKE) python-test
	$(MAKE) node-test
	$(MAKE) peers
	$(MAKE) browser-test
	$(MAKE) -C bindings-c test
	$(MAKE) fuzz-smoke
	$(MAKE) dist-test

## The hosted verification page in headless Chromium (apt-get installs it when missing; the same
## flow at the HTML level where it cannot), through the example app below.
browser-test:
	bash tests/browser/run.sh

## identity-mock and a small example web app that sends the browser through the hosted page;
## prints the URL to open (Ctrl-C stops both).
example-app:
	bash server/examples/hosted_app.sh

## Test tools that are not Rust crates.
tools:
	STRIPE_MOCK_VERSION=$(STRIPE_MOCK_VERSION) bash tests/peers/stripe-mock.sh >/dev/null
	bash tests/peers/os-packages.sh strace

## identity-mock against the official SDKs (stripe==16.1.0 from PyPI, stripe@23.1.0 from npm)
## and the documentation's curl calls; each script installs what it needs.
peers: peer-python peer-node peer-curl

peer-python:
	bash tests/peers/python-sdk.sh

peer-node:
	bash tests/peers/node-sdk.sh

peer-curl:
	bash tests/peers/curl.sh

## The simulator over HTTP on http://127.0.0.1:12111 (Ctrl-C stops it).
mock:
	$(CARGO) run -q -p stripe-identity-mock --bin identity-mock

## Writes every binding's generated surface from core's API description (core/src/api), then
## the C header from the generated C functions (pinned cbindgen).
codegen:
	$(CARGO) run -q -p xtask -- codegen
	$(MAKE) -C bindings-c header

lint:
	$(CARGO) run -q -p xtask -- codegen --check
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

## Every benchmark, side by side with the official SDKs (BENCHMARKS.md): the core on Client::local(),
## identity-mock's instructions per request, Python, Node, C; then the chart, BENCHMARKS.svg (a
## benchmark, not a test).
bench:
	$(CARGO) run --release -q -p stripe-identity --example bench
	bash server/bench/request_cost.sh
	mkdir -p target/bench
	bash bindings-python/bench/run.sh --json $(CURDIR)/target/bench/python.json
	BENCH_JSON=$(CURDIR)/target/bench/node.json bash bindings-node/scripts/bench.sh
	$(MAKE) -C bindings-c bench
	$(MAKE) bench-chart
	$(MAKE) bench-goals

## BENCHMARKS.svg from the rows the last `make bench` wrote (target/bench/*.json); matplotlib is
## installed into .venv-py.
bench-chart:
	bash bench/chart.sh $(CURDIR)/BENCHMARKS.svg target/bench/python.json target/bench/node.json

## How the last `make bench` stands against the goals of cost per call, from the same rows.
bench-goals:
	python3 bench/goals.py target/bench/python.json target/bench/node.json

## The Python and Node benchmarks again with the servers kept on vCPU 1 and the clients on
## vCPU 0, as a client and a server on machines of their own (every round trip crosses vCPUs;
## unpinned, the kernel sometimes puts both on one), then their standing against the goals.
bench-pinned:
	mkdir -p target/bench
	BENCH_PIN_SERVER=1 BENCH_PIN_CLIENT=0 bash bindings-python/bench/run.sh --json $(CURDIR)/target/bench/pinned-python.json
	BENCH_PIN_SERVER=1 BENCH_PIN_CLIENT=0 BENCH_JSON=$(CURDIR)/target/bench/pinned-node.json bash bindings-node/scripts/bench.sh
	python3 bench/goals.py target/bench/pinned-python.json target/bench/pinned-node.json

## identity-mock under load while idle and slow connections hold slots (req/s, p50/p99), and its
## memory over 100,000 creates and 200,000 retrieves (figures, not a test; bounded by counts).
reliability:
	$(CARGO) build --release -q -p stripe-identity-mock --bin identity-mock --example load
	./target/release/examples/load

## Python (bindings-python/): pip install into .venv-py, quickstart; pytest, mypy, stubtest;
## the benchmark against stripe-python 16.1.0.
python-demo:
	bash bindings-python/scripts/demo.sh

python-test:
	bash bindings-python/scripts/test.sh

python-bench:
	bash bindings-python/bench/run.sh

## Node (bindings-node/): npm ci, napi build, quickstart; tsc, npm install from source,
## node --test; the benchmark against stripe-node 23.1.0.
node-demo:
	bash bindings-node/scripts/demo.sh

node-test:
	bash bindings-node/scripts/test.sh

node-bench:
	bash bindings-node/scripts/bench.sh

## Coverage-guided fuzzing (fuzz/README.md): cargo-fuzz, libFuzzer + AddressSanitizer, installed
## into .tools/. `make fuzz` runs every target (or FUZZ_TARGETS) for FUZZ_SECONDS each;
## `make fuzz-smoke` runs each a few seconds on its seeds, as `make test` does.
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_TARGETS ?=

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run.sh long $(FUZZ_TARGETS)

fuzz-smoke:
	FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) bash fuzz/run.sh smoke $(FUZZ_TARGETS)

## The release artifacts, into dist/ (packaging/dist.sh): the Python wheel (abi3, manylinux_2_17,
## by maturin with zig) and sdist, the npm packages (stripe-identity-linux-x64-gnu with the addon,
## stripe-identity naming it), the C tarball (stripped library, header, pkg-config, CMake config).
dist:
	bash packaging/dist.sh

## make dist, then each artifact installed where a user would, with no cargo or rustc on PATH,
## and its quickstart run; and the sdist installed with pip (built with cargo).
dist-test: dist
	bash packaging/check.sh

build:
	$(CARGO) build --workspace --release

clean:
	$(CARGO) clean
