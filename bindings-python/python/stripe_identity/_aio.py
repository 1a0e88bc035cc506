"""Async calls: every ``*_async`` method runs its blocking call on a worker thread of the
client's own pool (``loop.run_in_executor``), so the event loop never waits on the network.

The call releases the GIL while it waits (as every call does), so the loop's thread and the
other workers run meanwhile. A cancelled await does not stop a call already running: that
call ends on its worker (its answer is dropped, it is never retried or sent again) and the
client goes on working; a call cancelled before a worker took it up is never sent.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
import weakref
from typing import Any, AsyncIterator, Callable, Generic, Iterator, Optional, TypeVar

__all__ = ["Runner", "AnyIterator"]

T = TypeVar("T")

# Workers per client: calls in flight at once before the next waits for a worker. The threads
# are started only as calls need them.
MAX_WORKERS = 64

_runners: "weakref.WeakSet[Runner]" = weakref.WeakSet()


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

    def _forget(self) -> None:
        self._pool = None


def _after_fork() -> None:
    # A child process has none of its parent's threads: its clients start new pools.
    for runner in list(_runners):
        runner._forget()


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
