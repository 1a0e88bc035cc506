"""Calls per second of stripe-identity and of stripe-python 16.1.0, side by side.

Both clients talk to the same loopback servers in one run:

- ``fixed``: ``fixed-server`` (server/examples/fixed_server.rs), which answers every request with the same
  session JSON (a page of ten for a list) and so costs both clients the same;
- ``identity-mock``: the simulator over HTTP (real state: creates store sessions);
- ``identity-mock https``: the same over TLS (``--https``), each client trusting the
  throwaway CA of ``--ca`` its own way (``ca_bundle_path=``; ``stripe.ca_bundle_path``).

For each server, operation (``retrieve``, ``create``, ``list(limit=10)``) and thread count
(1 and 4, one shared client), each client runs for ``--seconds`` and the calls that completed
are counted. The table gives calls per second and the ratio. Run by ``bench/run.sh``
(``make bench``), which builds and starts the servers.

Each row also measures, in the same alternation, the loopback floor: a bare socket (no HTTP
library, no JSON) sending a retrieve's GET to the same server over one keep-alive connection per
thread. It is the cost of a round trip on this machine, which no client can beat, so
floor / stripe-python (the ``ceiling`` column) bounds the ratio any client could reach in that row.
Over HTTPS the floor is a bare TLS socket (Python's ``ssl``), one handshake per thread.

The async table (``--async-only`` for it alone) runs 16 asyncio tasks at once on one event loop,
each calling ``retrieve_async``, ``create_async`` or ``list_async`` in a loop: this library's
``StripeClient`` against stripe-python's with its httpx client (``http_client=stripe.HTTPXClient()``),
one client each. This library is measured twice: as shipped (the call runs on a native worker
that never takes the GIL and the loop is woken through a pipe) and with the other design it
keeps as a fallback (``loop.run_in_executor`` on a pool of Python threads). Its floor is 16 bare asyncio streams (``asyncio.open_connection``), one
keep-alive connection per task, each writing a retrieve's GET and reading the answer; and 16
threads on bare sockets, as above; the row shows the higher of the two.

CPU per call is this process's CPU time (user + system, every thread) over the calls of the
best run: what a call costs the client's machine, the server's work excluded (it is another
process).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import ssl
import sys
import threading
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

import stripe
import stripe_identity as si
from stripe_identity import _aio

KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
CallFn = Callable[[], Any]
AsyncFn = Callable[[], Awaitable[Any]]
# Calls in flight at once in the async table.
TASKS = 16


def ours(url: str, session_id: str, ca: Optional[str] = None) -> Dict[str, CallFn]:
    client = si.Client(KEY, base_url=url, max_network_retries=0, ca_bundle_path=ca)
    vs = client.identity.verification_sessions
    return {
        "retrieve": lambda: vs.retrieve(session_id),
        "create": lambda: vs.create(type="document", metadata={"order": "42"}),
        "list(limit=10)": lambda: vs.list(limit=10),
    }


def theirs(url: str, session_id: str) -> Dict[str, CallFn]:
    client = stripe.StripeClient(KEY, base_addresses={"api": url}, max_network_retries=0)
    vs = (
        client.v1.identity.verification_sessions
        if hasattr(client, "v1")
        else client.identity.verification_sessions
    )
    return {
        "retrieve": lambda: vs.retrieve(session_id),
        "create": lambda: vs.create({"type": "document", "metadata": {"order": "42"}}),
        "list(limit=10)": lambda: vs.list({"limit": 10}),
    }


def bare_socket(url: str, session_id: str, ca: Optional[str] = None) -> CallFn:
    """The floor: one GET written and its answer read on a bare socket (TLS with `ca`), one per
    thread."""
    host, port = url.split("//", 1)[1].split(":")
    tls = ssl.create_default_context(cafile=ca) if ca else None
    request = (
        f"GET /v1/identity/verification_sessions/{session_id} HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {KEY}\r\n\r\n"
    ).encode()
    local = threading.local()

    def call() -> None:
        sock = getattr(local, "sock", None)
        if sock is None:
            sock = socket.create_connection((host, int(port)))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if tls is not None:
                sock = tls.wrap_socket(sock, server_hostname=host)
            local.sock = sock
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                # The server closed the connection (identity-mock serves 1,000 requests on
                # one): a new one, as a keep-alive client would open.
                sock.close()
                local.sock = None
                return call()
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            int(v)
            for k, _, v in (h.partition(b":") for h in head.split(b"\r\n"))
            if k.lower() == b"content-length"
        )
        while len(body) < length:
            body += sock.recv(65536)

    return call


def ours_async(url: str, session_id: str) -> Dict[str, AsyncFn]:
    client = si.StripeClient(KEY, base_addresses={"api": url}, max_network_retries=0)
    vs = client.v1.identity.verification_sessions
    return {
        "retrieve": lambda: vs.retrieve_async(session_id),
        "create": lambda: vs.create_async({"type": "document", "metadata": {"order": "42"}}),
        "list(limit=10)": lambda: vs.list_async({"limit": 10}),
    }


def theirs_async(url: str, session_id: str) -> Dict[str, AsyncFn]:
    client = stripe.StripeClient(
        KEY, base_addresses={"api": url}, max_network_retries=0, http_client=stripe.HTTPXClient()
    )
    vs = client.v1.identity.verification_sessions
    return {
        "retrieve": lambda: vs.retrieve_async(session_id),
        "create": lambda: vs.create_async({"type": "document", "metadata": {"order": "42"}}),
        "list(limit=10)": lambda: vs.list_async({"limit": 10}),
    }


def bare_stream(url: str, session_id: str) -> AsyncFn:
    """The async floor: one GET written and its answer read on a bare asyncio stream, one
    keep-alive connection per task (the first call of a task opens it)."""
    host, port = url.split("//", 1)[1].split(":")
    request = (
        f"GET /v1/identity/verification_sessions/{session_id} HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {KEY}\r\n\r\n"
    ).encode()
    idle: List[Tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def call() -> None:
        if idle:
            reader, writer = idle.pop()
        else:
            reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(v)
            for k, _, v in (h.partition(b":") for h in head.split(b"\r\n"))
            if k.lower() == b"content-length"
        )
        await reader.readexactly(length)
        if b"connection: close" in head.lower():
            writer.close()
        else:
            idle.append((reader, writer))

    return call


async def arate(fn: AsyncFn, tasks: int, seconds: float) -> Tuple[float, float]:
    """Calls per second of `tasks` asyncio tasks each awaiting `fn` in a loop on this event
    loop, and the CPU microseconds per call."""
    await asyncio.gather(*(fn() for _ in range(tasks)))  # warm: connections, pools, threads
    counts = [0] * tasks
    end = time.perf_counter() + seconds

    async def work(i: int) -> None:
        n = 0
        while True:
            await fn()
            n += 1
            if time.perf_counter() >= end:
                break
        counts[i] = n

    t0 = time.perf_counter()
    cpu0 = time.process_time()
    await asyncio.gather(*(work(i) for i in range(tasks)))
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    return sum(counts) / elapsed, cpu * 1e6 / max(sum(counts), 1)


async def async_rows(
    servers: List[Tuple[str, str, str]], seconds: float, repeat: int
) -> List[Dict[str, Any]]:
    """The async table: 16 calls in flight on one event loop."""
    print(
        f"\n{TASKS} asyncio tasks at once on one event loop (this library's *_async against "
        f"stripe-python's with http_client=stripe.HTTPXClient()), CPU per call of this process:\n"
    )
    print(
        "| server | operation | stripe-identity calls/s | µs CPU/call | (thread pool design) calls/s "
        "| µs CPU/call | stripe-python (httpx) calls/s | µs CPU/call | ratio | floor calls/s | ceiling "
        "| share of floor |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = []
    for server, url, sid in servers:
        a, b = ours_async(url, sid), theirs_async(url, sid)
        stream, sockets = bare_stream(url, sid), bare_socket(url, sid)
        for op in a:
            best = {
                "ours": (0.0, 0.0),
                "pool": (0.0, 0.0),
                "theirs": (0.0, 0.0),
                "stream": (0.0, 0.0),
                "threads": (0.0, 0.0),
            }
            for _ in range(repeat):
                best["ours"] = max(best["ours"], await arate(a[op], TASKS, seconds))
                _aio.NATIVE = False
                try:
                    best["pool"] = max(best["pool"], await arate(a[op], TASKS, seconds))
                finally:
                    _aio.NATIVE = True
                best["theirs"] = max(best["theirs"], await arate(b[op], TASKS, seconds))
                best["stream"] = max(best["stream"], await arate(stream, TASKS, seconds))
                best["threads"] = max(best["threads"], rate(sockets, TASKS, seconds, 1))
            (r_ours, cpu_ours), (r_theirs, cpu_theirs) = best["ours"], best["theirs"]
            r_floor = max(best["stream"][0], best["threads"][0])
            ratio, ceiling, share = r_ours / r_theirs, r_floor / r_theirs, r_ours / r_floor
            rows.append(
                {
                    "server": server,
                    "operation": op,
                    "in_flight": TASKS,
                    "async": True,
                    "stripe_identity": round(r_ours),
                    "stripe_identity_cpu_us": round(cpu_ours),
                    "stripe_identity_thread_pool": round(best["pool"][0]),
                    "stripe_identity_thread_pool_cpu_us": round(best["pool"][1]),
                    "stripe_python_httpx": round(r_theirs),
                    "stripe_python_httpx_cpu_us": round(cpu_theirs),
                    "ratio": round(ratio, 1),
                    "floor": round(r_floor),
                    "floor_streams": round(best["stream"][0]),
                    "floor_threads": round(best["threads"][0]),
                    "ceiling": round(ceiling, 1),
                    "share_of_floor": round(share, 2),
                }
            )
            print(
                f"| {server} | {op} | {r_ours:,.0f} | {cpu_ours:,.0f} | {best['pool'][0]:,.0f} "
                f"| {best['pool'][1]:,.0f} | {r_theirs:,.0f} | {cpu_theirs:,.0f} "
                f"| {ratio:.1f}x | {r_floor:,.0f} | {ceiling:.1f}x | {share:.0%} |",
                flush=True,
            )
    return rows


def rate(fn: CallFn, threads: int, seconds: float, repeat: int) -> Tuple[float, float]:
    """Calls per second of `fn` run by `threads` threads, and the CPU microseconds per call:
    the best of `repeat` runs of `seconds` each (the machine is shared, so the best run is the
    least disturbed one)."""
    for _ in range(20):
        fn()
    return max(run(fn, threads, seconds) for _ in range(repeat))


def run(fn: CallFn, threads: int, seconds: float) -> Tuple[float, float]:
    counts = [0] * threads
    start = threading.Barrier(threads + 1)
    deadline = [0.0]

    def work(i: int) -> None:
        start.wait()
        n = 0
        end = deadline[0]
        while True:
            fn()
            n += 1
            # Checking the clock every call costs little next to a request.
            if time.perf_counter() >= end:
                break
        counts[i] = n

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    deadline[0] = t0 + seconds
    start.wait()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    return sum(counts) / elapsed, cpu * 1e6 / max(sum(counts), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixed", required=True, help="URL of fixed-server")
    parser.add_argument("--mock", required=True, help="URL of identity-mock")
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best counts)")
    parser.add_argument("--https", help="URL of identity-mock over TLS (rows with CPU per call)")
    parser.add_argument("--ca", help="PEM file of the CA that signed --https's certificate")
    parser.add_argument("--only-https", action="store_true", help="only the HTTPS rows")
    parser.add_argument("--async-only", action="store_true", help="only the async table")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()

    # A real session for identity-mock's retrieve; the fixed server answers any id.
    mock_id = si.Client(KEY, base_url=args.mock).identity.verification_sessions.create(type="document").id
    servers: List[Tuple[str, str, str]] = [
        ("fixed", args.fixed, "vs_1NuN4jGhDmbCGbKJVWxMCR4x"),
        ("identity-mock", args.mock, mock_id),
    ]
    all_servers = list(servers)
    if args.only_https or args.async_only:
        servers = []
    print(
        f"stripe-identity {si.__version__} vs stripe-python {stripe.VERSION}, "
        f"Python {platform.python_version()}, best of {args.repeat} runs of {args.seconds:g} s "
        f"per measurement, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}\n"
    )
    header = (
        "| server | operation | threads | stripe-identity calls/s | stripe-python calls/s | ratio "
        "| floor calls/s | ceiling |"
    )
    if servers:
        print(header)
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = []
    for server, url, sid in servers:
        a, b, floor = ours(url, sid), theirs(url, sid), bare_socket(url, sid)
        for op in a:
            for threads in (1, 4):
                # Alternated run by run, so a disturbance hits every measure alike.
                r_ours = r_theirs = r_floor = (0.0, 0.0)
                for _ in range(args.repeat):
                    r_ours = max(r_ours, rate(a[op], threads, args.seconds, 1))
                    r_theirs = max(r_theirs, rate(b[op], threads, args.seconds, 1))
                    r_floor = max(r_floor, rate(floor, threads, args.seconds, 1))
                r_ours, r_theirs, r_floor = r_ours[0], r_theirs[0], r_floor[0]
                ratio, ceiling = r_ours / r_theirs, r_floor / r_theirs
                rows.append(
                    {
                        "server": server,
                        "operation": op,
                        "threads": threads,
                        "stripe_identity": round(r_ours),
                        "stripe_python": round(r_theirs),
                        "ratio": round(ratio, 1),
                        "floor": round(r_floor),
                        "ceiling": round(ceiling, 1),
                    }
                )
                print(
                    f"| {server} | {op} | {threads} | {r_ours:,.0f} | {r_theirs:,.0f} | {ratio:.1f}x "
                    f"| {r_floor:,.0f} | {ceiling:.1f}x |",
                    flush=True,
                )
    if args.https and not args.async_only:
        rows += https_rows(args)
    if not args.only_https:
        rows += asyncio.run(async_rows(all_servers, args.seconds, args.repeat))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)
    return 0


def https_rows(args: argparse.Namespace) -> List[Dict[str, Any]]:
    """The HTTPS table: calls per second and CPU microseconds per call of each client, and the
    bare TLS socket's floor."""
    stripe.ca_bundle_path = args.ca
    sid = si.Client(KEY, base_url=args.https, ca_bundle_path=args.ca).identity.verification_sessions
    session_id = sid.create(type="document").id
    print("\nOver HTTPS (identity-mock with --tls-cert), CPU per call of this process:\n")
    print(
        "| operation | threads | stripe-identity calls/s | µs CPU/call | stripe-python calls/s "
        "| µs CPU/call | ratio | floor calls/s | ceiling |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    a = ours(args.https, session_id, args.ca)
    b = theirs(args.https, session_id)
    floor = bare_socket(args.https, session_id, args.ca)
    rows = []
    for op in a:
        for threads in (1, 4):
            best = {"ours": (0.0, 0.0), "theirs": (0.0, 0.0), "floor": (0.0, 0.0)}
            for _ in range(args.repeat):
                for name, fn in (("ours", a[op]), ("theirs", b[op]), ("floor", floor)):
                    best[name] = max(best[name], rate(fn, threads, args.seconds, 1))
            (r_ours, cpu_ours), (r_theirs, cpu_theirs) = best["ours"], best["theirs"]
            r_floor = best["floor"][0]
            ratio, ceiling = r_ours / r_theirs, r_floor / r_theirs
            rows.append(
                {
                    "server": "identity-mock https",
                    "operation": op,
                    "threads": threads,
                    "stripe_identity": round(r_ours),
                    "stripe_identity_cpu_us": round(cpu_ours),
                    "stripe_python": round(r_theirs),
                    "stripe_python_cpu_us": round(cpu_theirs),
                    "ratio": round(ratio, 1),
                    "floor": round(r_floor),
                    "ceiling": round(ceiling, 1),
                }
            )
            print(
                f"| {op} | {threads} | {r_ours:,.0f} | {cpu_ours:,.0f} | {r_theirs:,.0f} | {cpu_theirs:,.0f} "
                f"| {ratio:.1f}x | {r_floor:,.0f} | {ceiling:.1f}x |",
                flush=True,
            )
    return rows


if __name__ == "__main__":
    sys.exit(main())
