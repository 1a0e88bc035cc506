"""A pre-fork server's pattern: the client makes a call in the parent, then workers fork and
use it. A child must never use a connection it inherited, or it reads another process's
answers (the core gives each process its own connection pool)."""

from __future__ import annotations

import os
import threading
import time
import warnings
from typing import List, Tuple

import pytest

import stripe_identity as si
from conftest import Mock

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

CHILDREN = 4
CALLS = 200


def creates(client: si.Client, who: str) -> Tuple[int, int]:
    """CALLS creates, each tagged; returns (answers carrying another tag, failures)."""
    crossed = failures = 0
    for i in range(CALLS):
        tag = f"{who}-{i}"
        try:
            session = client.identity.verification_sessions.create(type="document", metadata={"tag": tag})
        except Exception:  # noqa: BLE001 - counted, and the test fails on any
            failures += 1
            continue
        if session.metadata["tag"] != tag:
            crossed += 1
    return crossed, failures


def test_forked_workers_never_receive_each_others_answers(mock: Mock) -> None:
    client = mock.client(max_network_retries=0)
    # A first call leaves a kept-alive connection in the parent's pool.
    client.identity.verification_sessions.create(type="document")

    children: List[Tuple[int, int]] = []
    for n in range(CHILDREN):
        read_end, write_end = os.pipe()
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork in a process with threads; the pytest process may
            # have some, and the child here touches none of their state.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            os.close(read_end)
            result = "1 1"
            try:
                crossed, failures = creates(client, f"child{n}")
                result = f"{crossed} {failures}"
            finally:
                os.write(write_end, result.encode())
                os._exit(0)
        os.close(write_end)
        children.append((pid, read_end))

    # The parent goes on using its own pool at the same time.
    parent_crossed, parent_failures = creates(client, "parent")

    totals = [parent_crossed, parent_failures]
    for pid, read_end in children:
        with os.fdopen(read_end) as pipe:
            crossed, failures = (int(x) for x in pipe.read().split())
        os.waitpid(pid, 0)
        totals[0] += crossed
        totals[1] += failures
    assert totals == [0, 0], f"crossed answers, failures: {totals}"

    every = list(client.identity.verification_sessions.list(limit=100).auto_paging_iter())
    assert len(every) == 1 + (CHILDREN + 1) * CALLS
    tags = [s.metadata["tag"] for s in every if "tag" in s.metadata]
    assert len(set(tags)) == (CHILDREN + 1) * CALLS


FORKS = 30


def test_a_fork_while_other_threads_call_leaves_the_child_working(mock: Mock) -> None:
    """Threads keep calling (their allocations in flight, the GIL released) while the main
    thread forks: every child must make a call of its own and exit, not hang on a lock some
    other thread held at the fork (the module's allocator has no fork handlers)."""
    client = mock.client(max_network_retries=0)
    stop = threading.Event()
    errors: List[BaseException] = []

    def keep_calling() -> None:
        try:
            while not stop.is_set():
                client.identity.verification_sessions.create(type="document", metadata={"who": "thread"})
                client.identity.verification_sessions.list(limit=10)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=keep_calling) for _ in range(3)]
    for t in threads:
        t.start()
    statuses = []
    try:
        for n in range(FORKS):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    session = client.identity.verification_sessions.create(
                        type="document", metadata={"who": f"child{n}"}
                    )
                    code = 0 if session.metadata["who"] == f"child{n}" else 2
                finally:
                    os._exit(code)
            # A child stuck on a lock never exits: wait for it at most 20 s, then kill it.
            deadline = time.monotonic() + 20
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    statuses.append(os.waitstatus_to_exitcode(status))
                    break
                if time.monotonic() > deadline:
                    os.kill(pid, 9)
                    os.waitpid(pid, 0)
                    statuses.append("hung")
                    break
                time.sleep(0.005)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert statuses == [0] * FORKS
