"""Instructions per call of this library's Python calls, counted by callgrind: stable on a busy
machine, where timings are not. Each operation runs N1 and then N2 times, each run a process under
``valgrind --tool=callgrind``, and the difference is divided by N2 - N1, so start-up cancels out.
Every thread is counted (the async calls' worker threads too).

    python bindings-python/bench/decode_cost.py                       # Client.local()
    python bindings-python/bench/decode_cost.py --base-url URL        # e.g. fixed-server
    python bindings-python/bench/decode_cost.py --base-url URL --async-calls

``stripe_identity`` is imported as Python finds it (``PYTHONPATH`` chooses a build). On
``Client.local()`` the simulator holds 121 sessions; fixed-server (server/examples/fixed_server.rs)
answers every list with the same ten sessions, so there ``list100`` is ``list10`` again.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
from typing import Any, Callable, Dict, List

OPS = ["retrieve", "create", "list10", "list100"]


def calls(base_url: str) -> Dict[str, Callable[[], Any]]:
    import stripe_identity as si

    client = si.Client.local() if base_url == "local" else si.Client("sk_test_123", base_url=base_url)
    vs = client.identity.verification_sessions
    session = vs.create(type="document", metadata={"order": "42"})
    if base_url == "local":
        for _ in range(120):
            vs.create(type="document", metadata={"order": "42"})
    return {
        "retrieve": lambda: vs.retrieve(session.id),
        "create": lambda: vs.create(type="document", metadata={"order": "42"}),
        "list10": lambda: vs.list(limit=10),
        "list100": lambda: vs.list(limit=100),
        "async retrieve": lambda: vs.retrieve_async(session.id),
        "async create": lambda: vs.create_async(type="document", metadata={"order": "42"}),
        "async list10": lambda: vs.list_async(limit=10),
    }


def child(base_url: str, op: str, n: int) -> None:
    fn = calls(base_url)[op]
    if not op.startswith("async "):
        for _ in range(n):
            fn()
        return
    left = [n]

    async def worker() -> None:
        while left[0] > 0:
            left[0] -= 1
            await fn()

    async def main() -> None:  # 16 calls in flight, as bench.py's async table
        await asyncio.gather(*(worker() for _ in range(16)))

    asyncio.run(main())


def instructions(base_url: str, op: str, n: int) -> int:
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__]
    out = subprocess.run(
        command + ["--child", base_url, op, str(n)], capture_output=True, text=True, check=True
    ).stderr
    match = re.search(r"Collected : (\d+)", out)
    if not match:
        raise RuntimeError(f"no count from callgrind:\n{out}")
    return int(match.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="local", help="a server's URL, or local (the default)")
    parser.add_argument("--async-calls", action="store_true", help="the *_async calls instead")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return 0
    ops: List[str] = ["async retrieve", "async create", "async list10"] if args.async_calls else OPS
    print(f"| operation ({args.base_url}) | instructions per call |")
    print("| --- | ---: |")
    for op in ops:
        n1, n2 = (20, 120) if op == "list100" else (100, 600)
        per_call = (instructions(args.base_url, op, n2) - instructions(args.base_url, op, n1)) / (n2 - n1)
        print(f"| {op} | {per_call:,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
