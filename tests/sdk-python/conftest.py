"""Fixtures: identity-mock started on a free loopback port, and official stripe-python clients.

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
import stripe

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
def client(mock: Mock) -> stripe.StripeClient:
    return mock.client()


@pytest.fixture
def fresh(start: Callable[..., Mock]) -> stripe.StripeClient:
    """A client on a server of its own, for tests that count everything."""
    return start().client()


@pytest.fixture
def ref() -> str:
    """A client_reference_id unique to the test, to find its sessions on the shared server."""
    return f"ref_{uuid.uuid4().hex}"
