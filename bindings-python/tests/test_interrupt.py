"""Ctrl-C during a call: SIGINT interrupts a call that waits for an answer, for a connection or
before a retry, with the GIL released while it waits; the client goes on working, and a retry
with the interrupted call's idempotency key cannot act twice.

Every wait is ended by an event (a server saw the request, a handler ran), not by a sleep; the
only clock in these tests is a hang guard."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from types import FrameType
from typing import Iterator, List, Optional

import pytest

import stripe_identity as si

KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"

HANG_GUARD = 5.0  # seconds; every call here would otherwise wait 20 s or more


def read_request(conn: socket.socket) -> bytes:
    """One request (head and Content-Length body); b"" when the peer closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return b""
        body += chunk
    return data


def sigint_when(ready: threading.Event) -> threading.Thread:
    """Sends SIGINT to this process once `ready` is set (as Ctrl-C does)."""

    def send() -> None:
        if ready.wait(30):
            os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


class Silent:
    """A loopback server that reads requests and never answers them. Python code, so it runs
    only while the call under test has released the GIL."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.received = threading.Event()
        self.conns: List[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.conns.append(conn)
            if read_request(conn):
                self.received.set()

    def stop(self) -> None:
        self.listener.close()
        for conn in self.conns:
            conn.close()


@pytest.fixture
def silent() -> Iterator[Silent]:
    server = Silent()
    try:
        yield server
    finally:
        server.stop()


class HoldingProxy:
    """A loopback proxy in front of a server: on its first connection it passes the request on
    and keeps the answer back (the request is acted on, the caller never hears); later
    connections pass both ways."""

    def __init__(self, upstream: str) -> None:
        host, port = upstream.removeprefix("http://").split(":")
        self.upstream = (host, int(port))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.held = threading.Event()
        self.connections = 0
        self.socks: List[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            up = socket.create_connection(self.upstream)
            self.socks += [conn, up]
            first = self.connections == 0
            self.connections += 1
            threading.Thread(target=self._pipe, args=(conn, up, None), daemon=True).start()
            threading.Thread(
                target=self._pipe, args=(up, conn, self.held if first else None), daemon=True
            ).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket, hold: Optional[threading.Event]) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if hold is not None:
                    hold.set()  # the answer arrived from upstream; it goes no further
                    continue
                dst.sendall(data)
        except OSError:
            pass

    def stop(self) -> None:
        self.listener.close()
        for s in self.socks:
            s.close()


def test_ctrl_c_interrupts_a_call_waiting_for_an_answer(silent: Silent) -> None:
    client = si.Client(KEY, base_url=silent.url, timeout=20, max_network_retries=2)
    sigint_when(silent.received)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        client.identity.verification_sessions.create(type="document")
    assert time.monotonic() - started < HANG_GUARD
    # The silent server (Python) read the request while the call waited: the GIL was free.
    assert silent.received.is_set()
    # Interrupted, not retried, although two retries were allowed.
    assert len(silent.conns) == 1


def test_an_interrupted_request_that_was_acted_on_is_safe_to_retry_with_its_key(mock) -> None:  # type: ignore[no-untyped-def]
    proxy = HoldingProxy(mock.url)
    try:
        client = si.Client(KEY, base_url=proxy.url, timeout=20, max_network_retries=0)
        vs = client.identity.verification_sessions
        sigint_when(proxy.held)
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            vs.create(type="document", metadata={"order": "42"}, idempotency_key="order-42")
        assert time.monotonic() - started < HANG_GUARD
        # identity-mock made the session; the caller never heard. The same client goes on, on a
        # new connection, and the retry with the same key gets that session instead of a second.
        s = vs.create(type="document", metadata={"order": "42"}, idempotency_key="order-42")
        assert s.metadata.order == "42"
        assert [x.id for x in vs.list(limit=100).data] == [s.id]
        assert vs.retrieve(s.id).id == s.id
        assert proxy.connections == 2, "the interrupted connection was dropped, the next one kept"
    finally:
        proxy.stop()


def test_ctrl_c_interrupts_the_wait_before_a_retry(canned) -> None:  # type: ignore[no-untyped-def]
    canned.set(503, {"error": {"type": "api_error", "message": "try later"}}, {"Retry-After": "30"})
    client = si.Client(KEY, base_url=canned.url, timeout=20, max_network_retries=2)
    first = threading.Event()

    def watch() -> None:
        while not canned.requests:
            time.sleep(0.01)
        first.set()

    threading.Thread(target=watch, daemon=True).start()
    sigint_when(first)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        client.identity.verification_sessions.create(type="document")
    assert time.monotonic() - started < HANG_GUARD, "the 503 asked for a 30 s wait"
    assert len(canned.requests) == 1, "interrupted before the retry"


@pytest.mark.skipif(sys.platform != "linux", reason="relies on Linux dropping SYNs to a full accept queue")
def test_ctrl_c_interrupts_a_connection_that_is_not_answered() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    addr = listener.getsockname()
    queued = []
    while True:  # fill the accept queue; the next SYN is dropped, so a connect hangs
        s = socket.socket()
        s.settimeout(0.3)
        try:
            s.connect(addr)
        except OSError:
            s.close()
            break
        queued.append(s)
        assert len(queued) < 64
    try:
        client = si.Client(
            KEY, base_url=f"http://127.0.0.1:{addr[1]}", connect_timeout=20, max_network_retries=0
        )
        connecting = threading.Event()

        def watch() -> None:  # until a connection to the listener is in SYN_SENT
            remote = f"0100007F:{addr[1]:04X}"
            for _ in range(3000):
                with open("/proc/net/tcp") as table:
                    rows = [line.split() for line in table.readlines()[1:]]
                if any(row[2] == remote and row[3] == "02" for row in rows):
                    connecting.set()
                    return
                time.sleep(0.01)

        threading.Thread(target=watch, daemon=True).start()
        sigint_when(connecting)
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            client.identity.verification_sessions.create(type="document")
        assert time.monotonic() - started < HANG_GUARD
    finally:
        for s in queued:
            s.close()
        listener.close()


def test_a_handler_that_does_not_raise_runs_during_the_call_and_the_call_goes_on() -> None:
    """SIGUSR1 with a handler that only records: the handler runs while the call waits (the
    server answers only once it has run), and the call then completes normally."""
    handled = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    body = b'{"object": "identity.verification_session", "id": "vs_1", "status": "verified"}'

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            read_request(conn)
            os.kill(os.getpid(), signal.SIGUSR1)
            status = b"200 OK" if handled.wait(10) else b"500 Internal Server Error"
            conn.sendall(
                b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
            )

    def on_usr1(signum: int, frame: Optional[FrameType]) -> None:
        handled.set()

    previous = signal.signal(signal.SIGUSR1, on_usr1)
    try:
        threading.Thread(target=serve, daemon=True).start()
        client = si.Client(
            KEY, base_url=f"http://127.0.0.1:{listener.getsockname()[1]}", max_network_retries=0
        )
        s = client.identity.verification_sessions.retrieve("vs_1")
        assert s.status == "verified" and handled.is_set()
    finally:
        signal.signal(signal.SIGUSR1, previous)
        listener.close()
