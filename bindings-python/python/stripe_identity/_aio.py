"""Async calls: the event loop never waits on the network.

An operation's ``*_async`` method hands the call to the native module (``completion.rs``): it
runs on a Rust worker thread that never takes the GIL, and its outcome comes back through a pipe
the loop watches (``loop.add_reader``); the loop's thread converts the answer and resolves the
future. Everything else async (further pages of ``async for``, ``raw_request_async``), and every
call on a loop that cannot watch a pipe, runs on a worker thread of the client's own pool
(``loop.run_in_executor``), with the GIL released while it waits.

A cancelled await does not stop a call already running: that call ends on its worker (its answer
is dropped; it is never retried or sent again) and the client goes on working. A call cancelled
before a worker took it up is never sent.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
import weakref
from typing import Any, AsyncIterator, Callable, Dict, Generic, Iterator, Mapping, Optional, Tuple, TypeVar

from . import _native

__all__ = ["Runner", "AnyIterator"]

T = TypeVar("T")

# Workers per client: calls in flight at once before the next waits for a worker. The threads
# are started only as calls need them.
MAX_WORKERS = 64

_runners: "weakref.WeakSet[Runner]" = weakref.WeakSet()

# Whether operations complete natively (`Completer`); False sends them to the thread pool too
# (the bench measures both designs this way).
NATIVE = True


class Completer:
    """One event loop's native completions: the pipe it watches and the futures awaiting."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._read = -1  # until the loop watches it (what __del__ closes)
        self._futures: Dict[int, "asyncio.Future[Any]"] = {}
        self._loop = weakref.ref(loop)
        read, write = os.pipe()
        try:
            os.set_blocking(read, False)
            os.set_blocking(write, False)
            self._native = _native.Completions(write)  # keeps a duplicate of `write`
            loop.add_reader(read, self._wake)
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        self._read = read

    async def call(
        self,
        client: _native.Client,
        operation: str,
        id: Optional[str],
        params: Optional[Mapping[str, Any]],
        options: Tuple[Optional[str], Optional[str], Optional[str]],
    ) -> Any:
        token = self._native.submit(client, operation, id, params, *options)
        future: "asyncio.Future[Any]" = asyncio.get_running_loop().create_future()
        self._futures[token] = future
        try:
            return await future
        except asyncio.CancelledError:
            if self._futures.pop(token, None) is not None:
                # Not completed yet: dropped unsent if no worker has started it.
                self._native.cancel(token)
            raise

    def _wake(self) -> None:
        try:
            os.read(self._read, 4096)
        except BlockingIOError:
            pass
        for token, ok, value in self._native.drain():
            future = self._futures.pop(token, None)
            if future is None:  # its await was cancelled
                self._native.forget(token)
            elif future.done():
                pass
            elif ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def __del__(self) -> None:
        # Also reached at interpreter exit, when the loop (or `os`) may be half gone.
        if self._read < 0:
            return
        try:
            loop = self._loop()
            if loop is not None and not loop.is_closed():
                loop.remove_reader(self._read)
        finally:
            os.close(self._read)


_completers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Optional[Completer]]" = (
    weakref.WeakKeyDictionary()
)


def _completer(loop: asyncio.AbstractEventLoop) -> Optional[Completer]:
    """The loop's completer; None for a loop that cannot watch a pipe (Windows' proactor)."""
    try:
        return _completers[loop]
    except KeyError:
        pass
    try:
        completer: Optional[Completer] = Completer(loop)
    except NotImplementedError:
        completer = None
    _completers[loop] = completer
    return completer


class Runner:
    """A client's pool of worker threads for its async calls, made on the first one."""

    __slots__ = ("_pool", "_lock", "__weakref__")

    def __init__(self) -> None:
        self._pool: Optional[ThreadPoolExecutor] = None
        self._lock = threading.Lock()
        _runners.add(self)

    def _executor(self) -> ThreadPoolExecutor:
        pool = self._pool
        if pool is None:
            with self._lock:
                pool = self._pool
                if pool is None:
                    pool = ThreadPoolExecutor(MAX_WORKERS, thread_name_prefix="stripe_identity")
                    self._pool = pool
        return pool

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` on a worker thread, awaited."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), functools.partial(fn, *args, **kwargs))

    async def call(
        self,
        client: _native.Client,
        operation: str,
        id: Optional[str],
        params: Optional[Mapping[str, Any]],
        idempotency_key: Optional[str] = None,
        stripe_account: Optional[str] = None,
        stripe_version: Optional[str] = None,
    ) -> Any:
        """``client.call(...)``, awaited: completed natively where the loop allows it."""
        options = (idempotency_key, stripe_account, stripe_version)
        completer = _completer(asyncio.get_running_loop()) if NATIVE else None
        if completer is None:
            return await self.run(client.call, operation, id, params, *options)
        return await completer.call(client, operation, id, params, options)

    def _forget(self) -> None:
        self._pool = None


def _after_fork() -> None:
    # A child process has none of its parent's threads: its clients start new pools (the
    # native workers restart by themselves), and its loops new pipes.
    for runner in list(_runners):
        runner._forget()
    _completers.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


class AnyIterator(Iterator[T], AsyncIterator[T], Generic[T]):
    """Goes with both ``for`` and ``async for``, as stripe-python's ``auto_paging_iter()``
    result does (the two cannot be mixed on one iterator)."""

    def __init__(self, iterator: Iterator[T], async_iterator: AsyncIterator[T]) -> None:
        self._iterator = iterator
        self._async_iterator = async_iterator
        self._sync_iterated = False
        self._async_iterated = False

    def __iter__(self) -> "AnyIterator[T]":
        return self

    def __aiter__(self) -> "AnyIterator[T]":
        return self

    def __next__(self) -> T:
        if self._async_iterated:
            raise RuntimeError("AnyIterator error: cannot mix sync and async iteration")
        self._sync_iterated = True
        return next(self._iterator)

    async def __anext__(self) -> T:
        if self._sync_iterated:
            raise RuntimeError("AnyIterator error: cannot mix sync and async iteration")
        self._async_iterated = True
        return await self._async_iterator.__anext__()
