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
library, no JSON) sending the row's own request to the same server over one keep-alive
connection per thread (``floor_request``: a retrieve's GET, a create's POST with its form body
and an idempotency key of its own, a list's GET with ``?limit=10``), and reading the answer's
bytes. It is the cost of that round trip on this machine, which no client can beat, so
floor / stripe-python (the ``ceiling`` column) bounds the ratio any client could reach in that row.
Over HTTPS the floor is a bare TLS socket (Python's ``ssl``), one handshake per thread.

The async table (``--async-only`` for it alone) runs 16 asyncio tasks at once on one event loop,
each calling ``retrieve_async``, ``create_async`` or ``list_async`` in a loop: this library's
``StripeClient`` against stripe-python's with its httpx client (``http_client=stripe.HTTPXClient()``),
one client each. This library is measured twice: as shipped (the call runs on a native worker
that never takes the GIL and the loop is woken through a pipe) and with the other design it
keeps as a fallback (``loop.run_in_executor`` on a pool of Python threads). Its floor is 16 bare asyncio streams (``asyncio.open_connection``), one
keep-alive connection per task, each writing the row's request and reading the answer; and 16
threads on bare sockets, as above; the row shows the higher of the two.

Every row gives, for both clients, CPU per call: this process's CPU time (user + system, every
thread) over the calls of the best run, what a call costs the client's machine, the server's
work excluded (it is another process). The speed ratio is this library's calls/s over
stripe-python's, the CPU ratio stripe-python's CPU per call over this library's (above 1, this
library is ahead on both). Syscalls/call is this library's, every thread of the process:
``strace -f -c`` on a child process (``--probe``) making the row's calls 200 and then 1,200
times after a warm-up, the difference over 1,000, so start-up does not count (``n/a`` without
strace; ``--no-syscalls`` skips it). ``--json FILE`` writes the rows for ``bench/chart.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import timeit
import uuid
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


def floor_request(op: str, host: str, session_id: str) -> Callable[[], bytes]:
    """The bytes of one request of the row `op`, as few as the server needs to answer it as it
    answers the clients: a create carries the clients' form body and an idempotency key of its
    own per request (identity-mock stores each key, as it does the clients')."""
    auth = f"Host: {host}\r\nAuthorization: Bearer {KEY}\r\n"
    path = "/v1/identity/verification_sessions"
    if op == "retrieve":
        request = f"GET {path}/{session_id} HTTP/1.1\r\n{auth}\r\n".encode()
        return lambda: request
    if op == "list(limit=10)":
        request = f"GET {path}?limit=10 HTTP/1.1\r\n{auth}\r\n".encode()
        return lambda: request
    if op == "create":
        body = "type=document&metadata%5Border%5D=42"
        head = (
            f"POST {path} HTTP/1.1\r\n{auth}Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nIdempotency-Key: floor-{uuid.uuid4().hex}-"
        )
        keys = itertools.count()
        return lambda: f"{head}{next(keys)}\r\n\r\n{body}".encode()
    raise ValueError(f"no floor request for {op!r}")


def bare_socket(url: str, op: str, session_id: str, ca: Optional[str] = None) -> CallFn:
    """The floor: the row's request written and its answer read on a bare socket (TLS with
    `ca`), one per thread."""
    host, port = url.split("//", 1)[1].split(":")
    tls = ssl.create_default_context(cafile=ca) if ca else None
    request = floor_request(op, host, session_id)
    local = threading.local()

    def call() -> None:
        sock = getattr(local, "sock", None)
        if sock is None:
            sock = socket.create_connection((host, int(port)))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if tls is not None:
                sock = tls.wrap_socket(sock, server_hostname=host)
            local.sock = sock
        sock.sendall(request())
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
        call.body = body  # type: ignore[attr-defined]

    return call


def parse_cost(body: bytes) -> float:
    """Microseconds per ``json.loads`` of an answer's body: the cheapest way Python has to turn
    the answer into objects (C, plain dicts and lists), which any client returning objects pays
    at least once per call on top of the round trip. Best of 5 rounds."""
    number = max(20, 200_000 // max(len(body), 1))
    return min(timeit.repeat(lambda: json.loads(body), number=number, repeat=5)) / number * 1e6


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


def bare_stream(url: str, op: str, session_id: str) -> AsyncFn:
    """The async floor: the row's request written and its answer read on a bare asyncio
    stream, one keep-alive connection per task (the first call of a task opens it)."""
    host, port = url.split("//", 1)[1].split(":")
    request = floor_request(op, host, session_id)
    idle: List[Tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def call() -> None:
        if idle:
            reader, writer = idle.pop()
        else:
            reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request())
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
    servers: List[Tuple[str, str, str]], seconds: float, repeat: int, syscalls: bool
) -> List[Dict[str, Any]]:
    """The async table: 16 calls in flight on one event loop."""
    print(
        f"\n{TASKS} asyncio tasks at once on one event loop (this library's *_async against "
        f"stripe-python's with http_client=stripe.HTTPXClient()):\n"
    )
    print(
        HEADER.replace("| threads |", "| in flight |").replace(
            "| syscalls/call |", "| thread pool design calls/s | µs CPU/call | syscalls/call |"
        )
    )
    print(RULE.replace("| ---: |", "| ---: | ---: | ---: |", 1))
    rows = []
    for server, url, sid in servers:
        a, b = ours_async(url, sid), theirs_async(url, sid)
        for op in a:
            stream, sockets = bare_stream(url, op, sid), bare_socket(url, op, sid)
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
            r_floor = max(best["stream"], best["threads"])
            calls = syscalls_per_call(url, sid, op, TASKS, True) if syscalls else None
            parse_us = parse_cost(sockets.body)  # type: ignore[attr-defined]
            row = result_row(
                "async", server, op, TASKS, best["ours"], best["theirs"], r_floor, calls, parse_us
            )
            row["thread_pool"] = {
                "calls_per_s": round(best["pool"][0]),
                "cpu_us_per_call": round(best["pool"][1], 1),
            }
            row["floor_streams"] = round(best["stream"][0])
            row["floor_threads"] = round(best["threads"][0])
            rows.append(row)
            print_row(row, f"{best['pool'][0]:,.0f} | {best['pool'][1]:,.0f} | ")
    return rows


# The columns of every table: calls per second and CPU per call of both clients, their ratios
# (speed: ours / theirs; CPU: theirs / ours, so above 1 is better for both), the floor, this
# library's share of it, and its system calls per call.
HEADER = (
    "| server | operation | threads | stripe-identity calls/s | µs CPU/call | stripe-python calls/s "
    "| µs CPU/call | speed ratio | CPU ratio | floor calls/s | floor µs CPU/call | json.loads µs | share of floor "
    "| syscalls/call |"
)
RULE = "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"


def result_row(
    table: str,
    server: str,
    op: str,
    concurrency: int,
    ours_best: Tuple[float, float],
    theirs_best: Tuple[float, float],
    floor: Tuple[float, float],
    syscalls: Optional[float],
    parse_us: float,
) -> Dict[str, Any]:
    """One row in the shape `bench/chart.py` reads (shared with the Node benchmark)."""
    return {
        "lang": "python",
        "table": table,
        "server": server,
        "operation": op,
        "concurrency": concurrency,
        "ours": {"calls_per_s": round(ours_best[0]), "cpu_us_per_call": round(ours_best[1], 1)},
        "official": {"calls_per_s": round(theirs_best[0]), "cpu_us_per_call": round(theirs_best[1], 1)},
        "floor_calls_per_s": round(floor[0]),
        # What the bare socket's round trip itself costs this process: the part of a call's CPU
        # that is waiting and waking up, which no client avoids.
        "floor_cpu_us_per_call": round(floor[1], 1),
        # What turning the row's answer into Python objects costs at the least (`parse_cost`).
        "floor_parse_us": round(parse_us, 1),
        "syscalls_per_call": None if syscalls is None else round(syscalls, 2),
    }


def print_row(row: Dict[str, Any], extra: str = "") -> None:
    ours, theirs = row["ours"], row["official"]
    speed = ours["calls_per_s"] / max(theirs["calls_per_s"], 1)
    cpu = theirs["cpu_us_per_call"] / max(ours["cpu_us_per_call"], 0.1)
    share = ours["calls_per_s"] / max(row["floor_calls_per_s"], 1)
    calls = row["syscalls_per_call"]
    print(
        f"| {row['server']} | {row['operation']} | {row['concurrency']} | {ours['calls_per_s']:,} "
        f"| {ours['cpu_us_per_call']:,.0f} | {theirs['calls_per_s']:,} | {theirs['cpu_us_per_call']:,.0f} "
        f"| {speed:.1f}x | {cpu:.1f}x | {row['floor_calls_per_s']:,} | {row['floor_cpu_us_per_call']:,.0f} "
        f"| {row['floor_parse_us']:,.1f} | {share:.0%} "
        f"| {extra}{'n/a' if calls is None else f'{calls:.1f}'} |",
        flush=True,
    )


# Calls made by the two strace runs of a probe: the slope between them is the cost of a call,
# whatever the interpreter's start-up and the warm-up cost.
PROBE_CALLS = (200, 1200)


def syscalls_per_call(
    url: str, sid: str, op: str, concurrency: int, is_async: bool, ca: Optional[str] = None
) -> Optional[float]:
    """This library's system calls per call in this row (every thread of the process), counted
    by `strace -f -c` on a child process (see `probe`)."""
    if shutil.which("strace") is None:
        return None
    totals = []
    for n in PROBE_CALLS:
        with tempfile.NamedTemporaryFile("r", suffix=".strace") as out:
            cmd = ["strace", "-f", "-c", "-o", out.name, sys.executable, __file__, "--probe", url, sid, op]
            cmd += [str(concurrency), str(n), "async" if is_async else "threads", ca or ""]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            total = [line for line in out.read().splitlines() if line.endswith(" total")]
            totals.append(int(total[-1].split()[3]))
    return (totals[1] - totals[0]) / (PROBE_CALLS[1] - PROBE_CALLS[0])


def probe(url: str, sid: str, op: str, concurrency: int, calls: int, mode: str, ca: str) -> None:
    """Makes a warm-up and then `calls` calls of one row with this library (`concurrency`
    threads, or asyncio tasks when `mode` is `async`), for `syscalls_per_call` to count."""
    per_worker = max(calls // concurrency, 1)
    if mode == "async":
        fn = ours_async(url, sid)[op]

        async def main() -> None:
            await asyncio.gather(*(fn() for _ in range(concurrency)))

            async def work() -> None:
                for _ in range(per_worker):
                    await fn()

            await asyncio.gather(*(work() for _ in range(concurrency)))

        asyncio.run(main())
        return
    call = ours(url, sid, ca or None)[op]
    for _ in range(20):
        call()

    def work() -> None:
        for _ in range(per_worker):
            call()

    pool = [threading.Thread(target=work) for _ in range(concurrency)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


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
    if len(sys.argv) > 1 and sys.argv[1] == "--probe":
        url, sid, op, concurrency, calls, mode, ca = sys.argv[2:9]
        probe(url, sid, op, int(concurrency), int(calls), mode, ca)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixed", required=True, help="URL of fixed-server")
    parser.add_argument("--mock", required=True, help="URL of identity-mock")
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best counts)")
    parser.add_argument("--https", help="URL of identity-mock over TLS")
    parser.add_argument("--ca", help="PEM file of the CA that signed --https's certificate")
    parser.add_argument("--only-https", action="store_true", help="only the HTTPS rows")
    parser.add_argument("--async-only", action="store_true", help="only the async table")
    parser.add_argument("--no-syscalls", action="store_true", help="skip the strace counts")
    parser.add_argument("--json", help="also write the rows to this file (bench/chart.py reads it)")
    args = parser.parse_args()
    syscalls = not args.no_syscalls

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
    if syscalls and shutil.which("strace") is None:
        print("syscalls/call: n/a, strace is not installed (make tools installs it)\n")
    if servers:
        print(HEADER)
        print(RULE)
    rows = []
    for server, url, sid in servers:
        a, b = ours(url, sid), theirs(url, sid)
        for op in a:
            floor = bare_socket(url, op, sid)
            for threads in (1, 4):
                # Alternated run by run, so a disturbance hits every measure alike.
                r_ours = r_theirs = r_floor = (0.0, 0.0)
                for _ in range(args.repeat):
                    r_ours = max(r_ours, rate(a[op], threads, args.seconds, 1))
                    r_theirs = max(r_theirs, rate(b[op], threads, args.seconds, 1))
                    r_floor = max(r_floor, rate(floor, threads, args.seconds, 1))
                calls = syscalls_per_call(url, sid, op, threads, False) if syscalls else None
                parse_us = parse_cost(floor.body)  # type: ignore[attr-defined]
                row = result_row("http", server, op, threads, r_ours, r_theirs, r_floor, calls, parse_us)
                rows.append(row)
                print_row(row)
    if args.https and not args.async_only:
        rows += https_rows(args, syscalls)
    if not args.only_https:
        rows += asyncio.run(async_rows(all_servers, args.seconds, args.repeat, syscalls))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)
    return 0


def https_rows(args: argparse.Namespace, syscalls: bool) -> List[Dict[str, Any]]:
    """The HTTPS table: both clients and the bare TLS socket's floor on identity-mock over TLS."""
    stripe.ca_bundle_path = args.ca
    sid = si.Client(KEY, base_url=args.https, ca_bundle_path=args.ca).identity.verification_sessions
    session_id = sid.create(type="document").id
    print("\nOver HTTPS (identity-mock with --tls-cert):\n")
    print(HEADER)
    print(RULE)
    a = ours(args.https, session_id, args.ca)
    b = theirs(args.https, session_id)
    rows = []
    for op in a:
        floor = bare_socket(args.https, op, session_id, args.ca)
        for threads in (1, 4):
            best = {"ours": (0.0, 0.0), "theirs": (0.0, 0.0), "floor": (0.0, 0.0)}
            for _ in range(args.repeat):
                for name, fn in (("ours", a[op]), ("theirs", b[op]), ("floor", floor)):
                    best[name] = max(best[name], rate(fn, threads, args.seconds, 1))
            calls = (
                syscalls_per_call(args.https, session_id, op, threads, False, args.ca) if syscalls else None
            )
            row = result_row(
                "https",
                "identity-mock TLS",
                op,
                threads,
                best["ours"],
                best["theirs"],
                best["floor"],
                calls,
                parse_cost(floor.body),  # type: ignore[attr-defined]
            )
            rows.append(row)
            print_row(row)
    return rows


if __name__ == "__main__":
    sys.exit(main())
