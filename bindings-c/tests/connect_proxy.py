"""An HTTP CONNECT proxy on loopback for the C suite's HTTPS test (stdlib only).

    python3 connect_proxy.py PORT   # prints "proxy listening on http://127.0.0.1:N" first

Every ``CONNECT host:port`` is tunnelled to 127.0.0.1:PORT, whatever the host: the proxy is
what resolves names, so a client can reach a name that only the proxy knows. Each CONNECT is
printed as a line ``CONNECT host:port`` (the test counts them). Stops on SIGTERM.
"""

from __future__ import annotations

import socket
import sys
import threading


def pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def tunnel(client: socket.socket, port: int) -> None:
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(4096)
        if not chunk:
            client.close()
            return
        head += chunk
    head, rest = head.split(b"\r\n\r\n", 1)
    method, target = head.split(b" ")[:2]
    if method != b"CONNECT":
        client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
        client.close()
        return
    print(f"CONNECT {target.decode()}", flush=True)
    upstream = socket.create_connection(("127.0.0.1", port))
    client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    upstream.sendall(rest)
    threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
    pump(client, upstream)


def main() -> None:
    port = int(sys.argv[1])
    listener = socket.create_server(("127.0.0.1", 0))
    print(f"proxy listening on http://127.0.0.1:{listener.getsockname()[1]}", flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=tunnel, args=(client, port), daemon=True).start()


if __name__ == "__main__":
    main()
