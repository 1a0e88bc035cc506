"""Fixtures: identity-mock started on a free loopback port, and official stripe-python clients
(or, for the drop-in run, this library's ``StripeClient`` in their place: ``sdk.py``).

The binary is `$IDENTITY_MOCK` if set, else `<repo>/target/debug/identity-mock`
(`tests/peers/python-sdk.sh` builds it). Every server started here is stopped with SIGTERM
(SIGKILL if it does not stop) when its fixture ends.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from pathlib import Path
from typing import Callable, Iterator, List

import pytest
from sdk import DROP_IN, LOCAL, stripe

from helpers import Mock

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("IDENTITY_MOCK", REPO / "target" / "debug" / "identity-mock"))
LISTENING = re.compile(r"^identity-mock listening on (https?://127\.0\.0\.1:(\d+))$")
# The throwaway CA and certificates of the HTTPS tests (server/examples/test_certs.rs).
TEST_CERTS = Path(os.environ.get("TEST_CERTS", REPO / "target" / "debug" / "examples" / "test-certs"))


def start_mock(log: Path, *args: str) -> Mock:
    if not BINARY.exists():
        pytest.fail(f"{BINARY} not found: run `cargo build -p stripe-identity-mock` first")
    with open(log, "wb") as err:
        process = subprocess.Popen(
            [str(BINARY), "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
    line = process.stdout.readline().strip() if process.stdout else ""
    match = LISTENING.match(line)
    if not match:
        process.kill()
        process.wait()
        pytest.fail(f"identity-mock did not start: {line!r}\n{log.read_text()}")
    return Mock(process=process, url=match.group(1), port=int(match.group(2)), log=log)


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a fresh CA (ca.pem) and a certificate for localhost and 127.0.0.1
    (server.pem, server-key.pem)."""
    if not TEST_CERTS.exists():
        pytest.fail(f"{TEST_CERTS} not found: run `cargo build -p stripe-identity-mock --example test-certs`")
    folder = tmp_path_factory.mktemp("certs")
    subprocess.run([str(TEST_CERTS), str(folder)], check=True)
    return folder


@pytest.fixture(scope="session")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mock]:
    """One identity-mock for the whole run."""
    server = start_mock(tmp_path_factory.mktemp("mock") / "identity-mock.log")
    yield server
    code = server.stop()
    assert code == 0, f"identity-mock exited with {code} on SIGTERM"


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Mock]]:
    """Starts identity-mocks with extra arguments; all are stopped after the test."""
    started: List[Mock] = []

    def _start(*args: str) -> Mock:
        server = start_mock(tmp_path / f"identity-mock-{len(started)}.log", *args)
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()


@pytest.fixture
def client(request: pytest.FixtureRequest) -> stripe.StripeClient:
    if LOCAL:
        return stripe.StripeClient.local()
    mock: Mock = request.getfixturevalue("mock")
    return mock.client()


@pytest.fixture
def fresh(request: pytest.FixtureRequest) -> stripe.StripeClient:
    """A client on a server of its own, for tests that count everything."""
    if LOCAL:
        return stripe.StripeClient.local()
    start: Callable[..., Mock] = request.getfixturevalue("start")
    return start().client()


# The drop-in run (`sdk.py`): the tests that cannot run against stripe_identity.StripeClient,
# and why. Listed in README.md too.
DROP_IN_SKIPS = {
    "test_https.py::test_a_whole_lifecycle_over_https": (
        "sets stripe-python's process-wide `stripe.ca_bundle_path`; this library takes "
        "`ca_bundle_path=` per client (its own HTTPS tests: bindings-python/tests/test_https.py)"
    ),
    "test_https.py::test_without_the_ca_stripe_python_refuses_the_certificate": (
        "matches stripe-python's own message for an untrusted certificate ('SSL certificate'); "
        "this library raises the same class, APIConnectionError, naming UnknownIssuer"
    ),
    "test_webhook_signatures.py::test_this_library_accepts_what_stripe_python_signs": (
        "calls stripe-python's private `WebhookSignature._compute_signature`"
    ),
    "test_webhook_signatures.py::test_the_bindings_accept_what_stripe_python_signs": (
        "checks this library against stripe-python's signer; with the import swapped it would "
        "check this library against itself"
    ),
}
# The drop-in run on StripeClient.local(): tests that need identity-mock as a process.
LOCAL_FIXTURES = {
    "mock": "starts identity-mock with a bad key or extra flags: a local client has no key and no server",
    "start": "starts identity-mock with extra flags (faults, TLS, webhook deliveries over HTTP)",
    "certs": "serves HTTPS from identity-mock",
}


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    if not DROP_IN:
        return
    for item in items:
        reason = DROP_IN_SKIPS.get(item.nodeid.split("/")[-1])
        if reason is None and LOCAL:
            # `client` and `fresh` ask for `mock` and `start` only over HTTP, so these are the
            # tests that ask for them by name.
            names = [f for f in LOCAL_FIXTURES if f in getattr(item, "fixturenames", ())]
            if names:
                reason = "local: " + LOCAL_FIXTURES[names[0]]
        if reason is not None:
            item.add_marker(pytest.mark.skip(reason=f"drop-in: {reason}"))


@pytest.fixture
def ref() -> str:
    """A client_reference_id unique to the test, to find its sessions on the shared server."""
    return f"ref_{uuid.uuid4().hex}"
