"""Hostile values: parameters that contain themselves or nest far too deep (on the main thread
and on threads with the smallest stacks Python allows), text that UTF-8 cannot carry, answers
nested deep, and clock times out of range. Each gets a clear exception, never a crash, on both
backends, and nothing is sent."""

from __future__ import annotations

import threading
from typing import Any, Callable, List, Optional

import pytest

import stripe_identity as si

# The core's limit (stripe_identity::params::MAX_DEPTH): the parameters object is level 1.
MAX_DEPTH = 32
HUGE = 100_000


def nested_dicts(count: int) -> Any:
    value: Any = "x"
    for _ in range(count):
        value = {"a": value}
    return value


def nested_lists(count: int) -> Any:
    value: Any = "x"
    for _ in range(count):
        value = [value]
    return value


def nested_json(count: int) -> bytes:
    """`count` nested objects as JSON text, made without recursion."""
    return b'{"a":' * count + b'"x"' + b"}" * count


def in_thread(stack_size: int, work: Callable[[], None]) -> Optional[BaseException]:
    """Runs `work` on a new thread with a stack of `stack_size` bytes; gives what it raised."""
    raised: List[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as e:  # noqa: BLE001 - handed to the test to judge
            raised.append(e)

    previous = threading.stack_size(stack_size)
    try:
        thread = threading.Thread(target=run)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join(60)
    assert not thread.is_alive()
    return raised[0] if raised else None


def test_a_value_that_contains_itself_is_refused(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    d: Any = {}
    d["a"] = d
    with pytest.raises(ValueError, match="circular reference") as info:
        vs.create(type="document", options=d)
    assert getattr(info.value, "param") == "options[a]"
    items: Any = ["passport"]
    items.append({"again": items})
    with pytest.raises(ValueError, match="circular reference") as info:
        vs.create(type="document", options={"document": {"allowed_types": items}})
    assert getattr(info.value, "param") == "options[document][allowed_types][1][again]"
    # The same object twice, side by side, is no cycle: it reaches the API, which judges it.
    shared = {"k": "v"}
    with pytest.raises(si.InvalidRequestError) as api_info:
        vs.create(type="document", colour=[shared, shared])
    assert api_info.value.param is not None and api_info.value.param.startswith("colour")
    assert vs.list(limit=100).data == [], "nothing was created"


@pytest.mark.parametrize("make", [nested_dicts, nested_lists], ids=["dicts", "lists"])
def test_deep_nesting_is_refused_on_the_main_thread(client: si.Client, make: Callable[[int], Any]) -> None:
    vs = client.identity.verification_sessions
    for depth in (MAX_DEPTH, HUGE):
        with pytest.raises(ValueError, match=f"nested deeper than {MAX_DEPTH} levels") as info:
            vs.create(type="document", options=make(depth))
        assert getattr(info.value, "param") == "options"
    # One level less is converted and sent (as a parameter the API does not know, so the shape
    # is the API's to judge): the API refuses it, not this library.
    with pytest.raises(si.InvalidRequestError):
        vs.create(type="document", colour=make(MAX_DEPTH - 1))
    assert vs.list(limit=100).data == []


@pytest.mark.parametrize("stack_kib", [32, 64])
def test_deep_nesting_is_refused_on_a_thread_with_a_small_stack(client: si.Client, stack_kib: int) -> None:
    vs = client.identity.verification_sessions
    cycle: Any = {}
    cycle["self"] = [cycle]

    def work() -> None:
        for value in (nested_dicts(HUGE), nested_lists(HUGE), cycle):
            try:
                vs.create(type="document", options=value)
            except ValueError:
                continue
            raise AssertionError(f"not refused: {type(value).__name__}")

    assert in_thread(stack_kib * 1024, work) is None
    assert vs.list(limit=100).data == []


def test_text_that_utf8_cannot_carry_names_the_real_reason(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    for params, param in (
        ({"metadata": {"ok\ud800": "v"}}, "metadata"),
        ({"metadata": {"k": "v\udfff"}}, "metadata[k]"),
        ({"options": {"document": {"allowed_types": ["\ud800"]}}}, "options[document][allowed_types][0]"),
        ({"\ud800": "v"}, None),
    ):
        with pytest.raises(ValueError) as info:
            vs.create(type="document", **params)
        message = str(info.value)
        assert "surrogates not allowed" in message, message
        assert "must be str, not str" not in message
        if param is not None:
            assert getattr(info.value, "param") == param
            assert message.startswith(f"{param}: ")
    # A key of another type is still a TypeError naming the type.
    with pytest.raises(TypeError, match="dictionary keys must be str, not int"):
        vs.create(type="document", metadata={1: "v"})


@pytest.mark.parametrize("stack_kib", [32, 64])
def test_answers_nested_deep_are_refused_on_a_small_stack(canned, stack_kib: int) -> None:  # type: ignore[no-untyped-def]
    """The API's answers nest about 6 levels; a server may send more. An answer up to the
    core's limit converts, on the smallest thread stack too; past it, or past serde_json's own
    limit, it is an APIError, not a crash."""
    client = si.Client("sk_test_123", base_url=canned.url, max_network_retries=0)
    session = b'{"object": "identity.verification_session", "id": "vs_1", "deep": %s}'
    got: List[Any] = []

    def retrieve() -> None:
        got.append(client.identity.verification_sessions.retrieve("vs_1"))

    canned.set(200, session % nested_json(MAX_DEPTH - 1))  # the session is level 1
    assert in_thread(stack_kib * 1024, retrieve) is None
    depth, node = 0, got[0]["deep"]
    while isinstance(node, dict):
        depth, node = depth + 1, node["a"]
    assert (depth, node) == (MAX_DEPTH - 1, "x")
    for count in (MAX_DEPTH, 127, HUGE):
        canned.set(200, session % nested_json(count))
        raised = in_thread(stack_kib * 1024, retrieve)
        assert isinstance(raised, si.APIError), repr(raised)
        assert f"nested deeper than {MAX_DEPTH} levels" in str(raised)
    # An error answer nested too deep keeps its class (by status) and its text.
    canned.set(
        400, b'{"error": {"type": "invalid_request_error", "message": "m", "deep": %s}}' % nested_json(HUGE)
    )
    raised = in_thread(stack_kib * 1024, retrieve)
    assert isinstance(raised, si.InvalidRequestError), repr(raised)
    assert raised.json_body is None and raised.http_body is not None and len(raised.http_body) > 2 * HUGE


def test_the_manual_clock_refuses_times_out_of_range() -> None:
    max_time = 253_402_300_799  # 9999-12-31T23:59:59Z
    for start in (-1, max_time + 1):
        with pytest.raises(ValueError, match=str(start)):
            si._native.Client._local_with_clock(start)
    native, clock = si._native.Client._local_with_clock(max_time - 60)
    client = si.Client._from_native(native)
    for step in (61, 2**63 - 1, -1):
        with pytest.raises(ValueError):
            clock.advance(step)
        assert clock.now() == max_time - 60, "a refused step leaves the clock as it was"
    with pytest.raises(OverflowError):
        clock.advance(2**64)
    clock.advance(60)
    s = client.identity.verification_sessions.create(type="document")
    assert s.created == max_time
