"""One client shared by many threads, and the GIL released while a call waits."""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import List

import stripe_identity as si


def test_threads_share_one_client(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    helpers = client.test_helpers.identity.verification_sessions

    def lifecycle(i: int) -> str:
        s = vs.create(type="document", metadata={"worker": str(i)}, idempotency_key=f"key-{i}")
        helpers.submit(s.id)
        helpers.verify(s.id)
        assert vs.retrieve(s.id).status == "verified"
        return s.id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lifecycle, range(40)))
    assert len(set(ids)) == 40
    seen = [s.id for s in vs.list(limit=100, status="verified").auto_paging_iter()]
    assert sorted(seen) == sorted(ids)


def test_threads_share_one_list_iterator() -> None:
    client = si.Client.local()
    vs = client.identity.verification_sessions
    ids = {vs.create(type="document").id for _ in range(30)}
    pages = client._native.list_pages({"limit": 2})
    got: List[str] = []
    lock = threading.Lock()

    def drain() -> None:
        for page in pages:
            with lock:
                got.extend(s["id"] for s in page["data"])

    workers = [threading.Thread(target=drain) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(got) == sorted(ids)


def test_the_gil_is_released_while_a_request_waits() -> None:
    """A server thread (Python, so it needs the GIL) holds the answer back until the main
    thread (Python too) says so. The call can only succeed if neither was blocked out of the
    GIL while the request was in flight; if the GIL were held, the call would time out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    received = threading.Event()
    go = threading.Event()
    body = b'{"object": "identity.verification_session", "id": "vs_1", "status": "verified"}'

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(4096)
            received.set()
            go.wait(30)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )

    server = threading.Thread(target=serve)
    server.start()
    client = si.Client("sk_test_123", base_url=f"http://127.0.0.1:{port}", timeout=20, max_network_retries=0)
    result: List[object] = []
    caller = threading.Thread(
        target=lambda: result.append(client.identity.verification_sessions.retrieve("vs_1"))
    )
    caller.start()
    try:
        assert received.wait(30), "the server never saw the request"
        go.set()
    finally:
        go.set()
        caller.join()
        server.join()
        listener.close()
    assert len(result) == 1
    assert isinstance(result[0], si.VerificationSession)
    assert result[0].status == "verified"
