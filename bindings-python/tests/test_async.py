"""The ``*_async`` methods: many at once, cancellation, errors; on Client.local() and identity-mock
(the ``client`` fixture), and on a canned server that holds a request in flight on purpose."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import uuid
from typing import Any, List

import pytest

import stripe_identity as si
from conftest import Canned, Mock
from stripe_identity import _aio

SESSION = {"id": "vs_canned", "object": "identity.verification_session", "status": "requires_input"}


def ref() -> str:
    return f"ref_{uuid.uuid4().hex}"


@pytest.fixture(params=["native", "thread pool"], autouse=True)
def design(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test in both designs: native completion (as shipped) and the thread pool (the
    fallback for loops that cannot watch a pipe)."""
    monkeypatch.setattr(_aio, "NATIVE", request.param == "native")
    return str(request.param)


def test_many_calls_at_once_give_the_right_answers(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    tag = ref()

    async def main() -> None:
        made = await asyncio.gather(
            *(
                vs.create_async(type="document", client_reference_id=tag, metadata={"n": str(i)})
                for i in range(64)
            )
        )
        assert sorted(int(s.metadata["n"]) for s in made) == list(range(64))
        assert len({s.id for s in made}) == 64
        got = await asyncio.gather(*(vs.retrieve_async(s.id) for s in made))
        assert [g.id for g in got] == [s.id for s in made]
        assert [g.metadata["n"] for g in got] == [s.metadata["n"] for s in made]
        pages = await asyncio.gather(*(vs.list_async(client_reference_id=tag, limit=100) for _ in range(16)))
        assert all(len(p.data) == 64 for p in pages)
        assert all(r.last_response is not None and r.last_response.code == 200 for r in got)

    asyncio.run(main())


def test_async_auto_paging_walks_every_page(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    tag = ref()
    made = [vs.create(type="document", client_reference_id=tag).id for _ in range(25)]

    async def main() -> List[str]:
        page = await vs.list_async(client_reference_id=tag, limit=7)
        return [s.id async for s in page.auto_paging_iter()]

    assert asyncio.run(main()) == list(reversed(made))
    # The same object also goes with a plain `for`, as stripe-python's does; mixing is refused.
    it = vs.list(client_reference_id=tag, limit=7).auto_paging_iter()
    assert next(it).id == made[-1]

    async def mixed() -> None:
        with pytest.raises(RuntimeError, match="cannot mix"):
            await it.__anext__()

    asyncio.run(mixed())


def test_awaited_calls_raise_the_typed_errors(client: si.Client) -> None:
    vs = client.identity.verification_sessions

    async def main() -> None:
        with pytest.raises(si.InvalidRequestError) as caught:
            await vs.retrieve_async("vs_doesnotexist")
        assert caught.value.http_status == 404 and caught.value.code == "resource_missing"
        assert caught.value.request_id and caught.value.request_id.startswith("req_")
        assert caught.value.headers["Request-Id"] == caught.value.request_id
        assert caught.value.error is not None and caught.value.error.type == "invalid_request_error"
        with pytest.raises(si.InvalidRequestError) as caught:
            await vs.create_async(type="passport")  # type: ignore[typeddict-item]
        assert caught.value.param == "type"
        with pytest.raises(TypeError):
            await vs.create_async(type="document", metadata=42)  # type: ignore[typeddict-item]
        s = await vs.create_async(type="document")
        await client.test_helpers.identity.verification_sessions.submit_async(s.id)
        with pytest.raises(si.InvalidRequestError) as caught:
            await vs.cancel_async(s.id)
        assert caught.value.code == "verification_session_unexpected_state"
        # The client is still fine after every error.
        assert (await vs.retrieve_async(s.id)).status == "processing"

    asyncio.run(main())


def test_the_event_loop_runs_while_a_request_waits(canned: Canned) -> None:
    canned.set(200, SESSION, {"Request-Id": "req_held"})
    canned.hold = threading.Event()
    client = si.Client("sk_test_123", base_url=canned.url, max_network_retries=2)

    async def main() -> None:
        task = asyncio.ensure_future(client.identity.verification_sessions.retrieve_async("vs_canned"))
        ticks = 0
        # The loop keeps turning while the server holds the answer: the call waits on a worker.
        while not canned.requests:
            ticks += 1
            await asyncio.sleep(0.001)
            assert ticks < 10_000, "the request never reached the server"
        for _ in range(100):
            await asyncio.sleep(0)
            ticks += 1
        assert not task.done()
        assert canned.hold is not None
        canned.hold.set()
        s = await task
        assert s.id == "vs_canned" and s.last_response is not None
        assert s.last_response.request_id == "req_held"

    asyncio.run(main())


def test_a_cancelled_call_in_flight_is_sent_once_and_the_client_goes_on(canned: Canned) -> None:
    canned.set(200, SESSION, {"Request-Id": "req_held"})
    canned.hold = threading.Event()
    # Retries allowed: a cancelled call must still not be sent again.
    client = si.Client("sk_test_123", base_url=canned.url, max_network_retries=2)
    vs = client.identity.verification_sessions

    async def main() -> None:
        task = asyncio.ensure_future(vs.create_async(type="document"))
        for _ in range(10_000):
            if canned.requests:
                break
            await asyncio.sleep(0.001)
        assert len(canned.requests) == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert canned.hold is not None
        canned.hold.set()
        # The client answers the next call (the cancelled one ends on its worker unseen).
        s = await vs.retrieve_async("vs_canned")
        assert s.id == "vs_canned"

    asyncio.run(main())
    posts = [r for r in canned.requests if r["method"] == "POST"]
    assert len(posts) == 1
    assert len(canned.requests) == 2


def test_a_cancelled_call_acts_once_on_the_simulator() -> None:
    client = si.Client.local()
    vs = client.identity.verification_sessions
    tag = ref()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        holder: List["asyncio.Future[Any]"] = []
        created = threading.Event()

        def on_event(event: si.Event) -> None:
            # Runs on the worker, inside the call, once the session exists: the await is cancelled
            # while the call has acted and not yet returned.
            if event.type == "identity.verification_session.created" and not created.is_set():
                created.set()
                loop.call_soon_threadsafe(holder[0].cancel)

        client.on_event(on_event)
        task = asyncio.ensure_future(vs.create_async(type="document", client_reference_id=tag))
        holder.append(task)
        with pytest.raises(asyncio.CancelledError):
            await task
        assert created.is_set()
        page = await vs.list_async(client_reference_id=tag)
        assert len(page.data) == 1
        again = await vs.create_async(type="document", client_reference_id=tag)
        assert again.status == "requires_input"

    asyncio.run(main())
    assert len(vs.list(client_reference_id=tag).data) == 2


def test_cancelled_calls_on_identity_mock_never_act_twice(mock: Mock) -> None:
    client = mock.client()
    vs = client.identity.verification_sessions
    tags = [ref() for _ in range(32)]

    async def main() -> None:
        tasks = [asyncio.ensure_future(vs.create_async(type="document", client_reference_id=t)) for t in tags]
        await asyncio.sleep(0)
        for t in tasks[::2]:
            t.cancel()
        done = await asyncio.gather(*tasks, return_exceptions=True)
        kept = [d for d in done if isinstance(d, si.VerificationSession)]
        assert len(kept) >= 16
        # Every call that went on answered right, and the client still works.
        assert (await vs.retrieve_async(kept[0].id)).id == kept[0].id

    asyncio.run(main())
    # Each create acted at most once: a cancelled one once, or never if it was cancelled before a
    # worker took it up; the others exactly once.
    counts = [len(vs.list(client_reference_id=t).data) for t in tags]
    assert all(c <= 1 for c in counts)
    assert all(c == 1 for c in counts[1::2])


def test_every_method_has_an_async_twin() -> None:
    client = si.Client.local()
    drop_in = si.StripeClient.local()
    services: List[Any] = [
        client.identity.verification_sessions,
        client.identity.verification_reports,
        client.events,
        client.webhook_endpoints,
        client.test_helpers.identity.verification_sessions,
        drop_in.v1.identity.verification_sessions,
        drop_in.v1.identity.verification_reports,
        drop_in.v1.events,
        drop_in.v1.webhook_endpoints,
    ]
    for service in services:
        names = [n for n in dir(service) if not n.startswith("_") and callable(getattr(service, n))]
        sync = [n for n in names if not n.endswith("_async")]
        assert sync, service
        for n in sync:
            assert asyncio.iscoroutinefunction(getattr(service, f"{n}_async")), (service, n)


def test_each_event_loop_gives_back_its_pipe() -> None:
    vs = si.StripeClient.local().v1.identity.verification_sessions

    async def one() -> str:
        return (await vs.create_async({"type": "document"})).id

    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    asyncio.run(one())
    gc.collect()
    before = open_fds()
    ids = {asyncio.run(one()) for _ in range(200)}
    gc.collect()
    assert len(ids) == 200
    assert open_fds() == before


def test_a_loop_that_cannot_watch_a_pipe_gets_the_thread_pool(design: str) -> None:
    class NoReaders(asyncio.SelectorEventLoop):
        def add_reader(self, fd: Any, callback: Any, *args: Any) -> None:
            raise NotImplementedError  # as Windows' proactor loop

    vs = si.Client.local().identity.verification_sessions
    loop = NoReaders()
    try:
        s = loop.run_until_complete(vs.create_async(type="document"))
        assert loop.run_until_complete(vs.retrieve_async(s.id)).id == s.id
    finally:
        loop.close()
