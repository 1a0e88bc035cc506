"""Fixtures: clients on both backends, identity-mock on a free loopback port, and a canned
HTTP server for answers identity-mock never gives (403, 402, a body that is not JSON, ...).

identity-mock is ``$IDENTITY_MOCK`` if set, else ``<repo>/target/debug/identity-mock``
(``scripts/test.sh`` builds it). Every server started here is stopped when its fixture ends.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import stripe_identity as si

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("IDENTITY_MOCK", REPO / "target" / "debug" / "identity-mock"))
LISTENING = re.compile(r"listening on (https?://127\.0\.0\.1:\d+)")
# The throwaway CA and certificates of the HTTPS tests (server/examples/test_certs.rs).
TEST_CERTS = Path(os.environ.get("TEST_CERTS", REPO / "target" / "debug" / "examples" / "test-certs"))
KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"


class Mock:
    """A running identity-mock."""

    def __init__(self, *args: str) -> None:
        if not BINARY.exists():
            pytest.fail(f"{BINARY} not found: run `cargo build -p stripe-identity-mock` first")
        self.process = subprocess.Popen(
            [str(BINARY), "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        match = LISTENING.search(line)
        if not match:
            self.stop()
            pytest.fail(f"identity-mock did not start: {line!r}")
        self.url = match.group(1)

    def client(self, key: str = KEY, **options: Any) -> si.Client:
        return si.Client(key, base_url=self.url, **options)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a fresh CA (ca.pem), a certificate for localhost and 127.0.0.1
    (server.pem, server-key.pem) and one for another name only (other.pem, other-key.pem)."""
    if not TEST_CERTS.exists():
        pytest.fail(f"{TEST_CERTS} not found: run `cargo build -p stripe-identity-mock --example test-certs`")
    folder = tmp_path_factory.mktemp("certs")
    subprocess.run([str(TEST_CERTS), str(folder)], check=True)
    return folder


@pytest.fixture
def https_mock(certs: Path) -> Iterator[Mock]:
    """A fresh identity-mock serving HTTPS with the test CA's certificate."""
    server = Mock("--tls-cert", str(certs / "server.pem"), "--tls-key", str(certs / "server-key.pem"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mock() -> Iterator[Mock]:
    """A fresh identity-mock (fresh state) for one test."""
    server = Mock()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["local", "mock"])
def client(request: pytest.FixtureRequest) -> Iterator[si.Client]:
    """The same tests on both backends: the embedded simulator and identity-mock over HTTP,
    each fresh for the test."""
    if request.param == "local":
        yield si.Client.local()
        return
    server = Mock()
    try:
        yield server.client()
    finally:
        server.stop()


class Canned:
    """A loopback HTTP server that gives every request the answer set in `answer`, and
    records what it received."""

    def __init__(self) -> None:
        self.answer: Tuple[int, Dict[str, str], bytes] = (200, {}, b"{}")
        self.requests: List[Dict[str, Any]] = []
        # When set, each request is recorded and then held until `hold` is set (async tests).
        self.hold: Optional[threading.Event] = None
        canned = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                canned.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                if canned.hold is not None:
                    canned.hold.wait()
                status, headers, payload = canned.answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _serve

            def log_message(self, *args: Any) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def set(self, status: int, body: Any, headers: Optional[Dict[str, str]] = None) -> None:
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.answer = (status, headers or {}, payload)

    def stop(self) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canned() -> Iterator[Canned]:
    server = Canned()
    try:
        yield server
    finally:
        server.stop()
