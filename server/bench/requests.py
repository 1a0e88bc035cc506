"""Makes COUNT requests of one kind to identity-mock over one keep-alive connection, as an SDK
sends them (the same headers, an Idempotency-Key on every POST), reading each answer whole.

Usage: python3 requests.py PORT OPERATION COUNT SESSION_ID   (a new connection when the server
closes one, as it does every --max-requests-per-connection)
OPERATION: retrieve, create or list (limit=10). No dependencies beyond the standard library,
so that request_cost.sh counts the server's instructions, not a client's.
"""

import socket
import sys
import uuid

KEY = "sk_test_requestcost"
SESSIONS = "/v1/identity/verification_sessions"


def request(op: str, session_id: str) -> bytes:
    headers = [
        "Host: 127.0.0.1",
        f"Authorization: Bearer {KEY}",
        "Stripe-Version: 2026-10-28.endive",
        "User-Agent: request-cost/1",
        "Accept: */*",
    ]
    if op == "retrieve":
        line, body = f"GET {SESSIONS}/{session_id}", ""
    elif op == "list":
        line, body = f"GET {SESSIONS}?limit=10", ""
    elif op == "create":
        line, body = f"POST {SESSIONS}", "type=document&metadata[order]=42"
        headers += [
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
            f"Idempotency-Key: {uuid.uuid4()}",
        ]
    else:
        raise SystemExit(f"unknown operation {op}")
    return (f"{line} HTTP/1.1\r\n" + "\r\n".join(headers) + "\r\n\r\n" + body).encode()


def answer(sock: socket.socket, pending: bytearray) -> tuple[int, bool]:
    """Reads one answer (head and Content-Length body): its status, and whether the server
    closes the connection after it (it does every `--max-requests-per-connection`)."""
    while b"\r\n\r\n" not in pending:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("identity-mock closed the connection")
        pending += chunk
    end = pending.index(b"\r\n\r\n") + 4
    head = pending[:end].decode("latin-1").split("\r\n")
    length = next(int(h.split(":", 1)[1]) for h in head if h.lower().startswith("content-length:"))
    while len(pending) < end + length:
        pending += sock.recv(65536)
    del pending[: end + length]
    closes = any(h.lower() == "connection: close" for h in head)
    return int(head[0].split(" ")[1]), closes


def main() -> None:
    port, op, count, session_id = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    sock = connect(int(port))
    pending = bytearray()
    for _ in range(count):
        sock.sendall(request(op, session_id))
        status, closes = answer(sock, pending)
        if status != 200:
            raise SystemExit(f"{op}: status {status}")
        if closes:
            sock.close()
            sock = connect(int(port))


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


if __name__ == "__main__":
    main()
