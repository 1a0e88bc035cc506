"""How long after SIGINT a call that waits on the network raises KeyboardInterrupt.

A loopback server accepts and never answers; the client has timeout=20 and no retries; SIGINT
comes 1 s into each call, sent to the process (as Ctrl-C is, so it usually lands on the main
thread, which is waiting in the call) or, with --other-thread, to another thread (the call then
sees it at its next 50 ms slice). Prints the minimum, median and maximum delay.

    .venv-py/bin/python bindings-python/bench/interrupt_latency.py [--runs 20] [--other-thread]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import threading
import time
from typing import List

import stripe_identity as si


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--other-thread", action="store_true")
    args = parser.parse_args()

    listener = socket.create_server(("127.0.0.1", 0))
    held: List[socket.socket] = []

    def serve() -> None:
        while True:
            conn, _ = listener.accept()
            held.append(conn)

    threading.Thread(target=serve, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    client = si.Client("sk_test_123", base_url=url, timeout=20, max_network_retries=0)

    delays: List[float] = []
    for _ in range(args.runs):
        sent: List[float] = []

        def interrupt() -> None:
            sent.append(time.monotonic())
            if args.other_thread:
                signal.pthread_kill(threading.get_ident(), signal.SIGINT)
            else:
                os.kill(os.getpid(), signal.SIGINT)

        threading.Timer(1.0, interrupt).start()
        try:
            client.identity.verification_sessions.create(type="document")
        except KeyboardInterrupt:
            delays.append(time.monotonic() - sent[0])
    delays.sort()
    where = "another thread" if args.other_thread else "the process"
    print(
        f"SIGINT to {where}, {len(delays)} runs: KeyboardInterrupt after "
        f"min {delays[0] * 1e3:.1f} ms, median {delays[len(delays) // 2] * 1e3:.1f} ms, "
        f"max {delays[-1] * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
