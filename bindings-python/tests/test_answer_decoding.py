"""Answers are built straight from the bytes the server sent: the objects must be exactly what
Python's ``json`` module reads from the same body (values, types, key order), with the classes
chosen by ``object`` wherever it comes among the keys; bodies that are not JSON, not UTF-8 or
nested too deep raise the same errors as ever. Every path that turns an answer into objects is
checked: calls, ``_construct``, list pages, auto-pagination and the native async completion."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

import stripe_identity as si
from stripe_identity import _aio
from stripe_identity._models import Address
from stripe_identity._object import ListObject, StripeObject

VS = si.VerificationSession

# `object` after fields holding objects; unicode keys; the edges of i64/u64 and beyond (a float,
# as serde_json reads it); floats, nulls, booleans; lists of objects; an `object` naming no class.
SESSION = """{
  "id": "vs_1",
  "options": {"document": {"allowed_types": ["passport", "id_card"], "require_matching_selfie": true}},
  "last_error": {"code": "document_expired", "reason": null},
  "object": "identity.verification_session",
  "metadata": {"ünïcode ключ": "значение 🎉", "order": "42", "": "empty key", "esc\\"aped\\n": "\\u00e9"},
  "created": 9223372036854775807, "neg": -9223372036854775808,
  "u64": 18446744073709551615, "beyond": 18446744073709551616,
  "f": 1.5, "tiny": -2.5e-7, "whole": 3.0, "z": null, "t": true, "no": false,
  "list_of_objects": [{"id": "vr_1", "object": "identity.verification_report"}, {"a": [1, {"b": null}]}],
  "nested_lists": [[1, [2, []]], {}, []],
  "verified_outputs": {"dob": {"day": 1, "month": 2, "year": 1990},
                       "address": {"city": "Zürich", "object": "not_a_class"}}
}"""


def same(got: Any, want: Any, path: str = "") -> None:
    """`got` is `want` (from `json.loads`) with dicts as StripeObjects: same keys in the same
    order, same values of exactly the same types."""
    if isinstance(want, dict):
        assert isinstance(got, StripeObject), f"{path}: {type(got)}"
        assert list(got.keys()) == list(want.keys()), path
        for k in want:
            same(got[k], want[k], f"{path}.{k}")
    elif isinstance(want, list):
        assert type(got) is list, f"{path}: {type(got)}"
        assert len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want)):
            same(g, w, f"{path}[{i}]")
    else:
        assert type(got) is type(want) and got == want, f"{path}: {got!r} != {want!r}"


def session_as_json_reads_it() -> Any:
    want = json.loads(SESSION)
    # Past u64 serde_json reads a number as a float, as this library always has.
    want["beyond"] = float(want["beyond"])
    return want


def check_session(s: Any) -> None:
    same(s, session_as_json_reads_it())
    assert type(s) is VS
    assert type(s.options) is VS.Options
    assert type(s.options.document) is VS.Options.Document
    assert type(s.last_error) is VS.LastError
    assert type(s.verified_outputs) is VS.VerifiedOutputs
    assert type(s.verified_outputs.dob) is VS.VerifiedOutputs.Dob
    assert type(s.verified_outputs.address) is Address  # its `object` names no class
    assert type(s.list_of_objects[0]) is si.VerificationReport
    assert type(s.list_of_objects[1]) is StripeObject
    assert type(s.nested_lists[1]) is StripeObject
    assert type(s.metadata) is StripeObject


def page(*sessions: str, has_more: bool = False) -> bytes:
    # `object` last: the page's class is still ListObject.
    more = "true" if has_more else "false"
    text = f'{{"data": [{",".join(sessions)}], "has_more": {more}, "url": "/v1/identity/verification_sessions", "object": "list"}}'
    return text.encode()


@pytest.fixture
def http(canned) -> si.Client:  # type: ignore[no-untyped-def]
    return si.Client("sk_test_123", base_url=canned.url, max_network_retries=0)


def test_a_call_gives_what_json_reads(canned, http: si.Client) -> None:  # type: ignore[no-untyped-def]
    canned.set(200, SESSION.encode())
    check_session(http.identity.verification_sessions.retrieve("vs_1"))
    check_session(si._native._construct(SESSION))


def test_duplicate_keys_keep_the_first_place_and_the_last_value(canned, http: si.Client) -> None:  # type: ignore[no-untyped-def]
    body = '{"object": "list", "a": 1, "object": "identity.verification_session", "last_error": {}, "a": 2}'
    canned.set(200, body.encode())
    s = http.identity.verification_sessions.retrieve("vs_1")
    same(s, json.loads(body))
    # The class is the last `object`'s, and the hints of its fields are that class's.
    assert type(s) is VS and type(s.last_error) is VS.LastError


def test_list_pages_and_auto_pagination_give_what_json_reads(canned, http: si.Client) -> None:  # type: ignore[no-untyped-def]
    body = page(SESSION, SESSION)
    canned.set(200, body)
    listed = http.identity.verification_sessions.list()
    want = json.loads(body)
    want["data"] = [session_as_json_reads_it()] * 2
    same(listed, want)
    assert type(listed) is ListObject
    for s in listed.data:
        check_session(s)
    walked = list(listed.auto_paging_iter())
    assert len(walked) == 2
    for s in walked:
        check_session(s)


def test_pages_walk_by_the_ids_they_decoded(canned, http: si.Client) -> None:  # type: ignore[no-untyped-def]
    first = SESSION.replace('"vs_1"', '"vs_3"')
    canned.set(200, page(first, SESSION, has_more=True))
    pages = http._native.list_pages({"limit": 2})
    next(pages)
    canned.set(200, page(SESSION.replace('"vs_1"', '"vs_0"')))
    last = next(pages)
    assert last.data[0].id == "vs_0"
    assert canned.requests[-1]["path"].endswith("starting_after=vs_1")
    assert next(pages, None) is None


@pytest.mark.parametrize("native", [True, False])
def test_async_calls_give_what_json_reads(canned, http: si.Client, native: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(_aio, "NATIVE", native)
    canned.set(200, SESSION.encode())
    check_session(asyncio.run(http.identity.verification_sessions.retrieve_async("vs_1")))


@pytest.mark.parametrize(
    "body, message",
    [
        (b'{"id": "vs_\xff"}', "the answer is not UTF-8: invalid utf-8 sequence of 1 bytes from index 11"),
        (b'{"id": ', "the answer could not be decoded: EOF while parsing a value at line 1 column 7"),
        (b'{"id": "vs_1"} x', "the answer could not be decoded: trailing characters at line 1 column 16"),
        (
            b'{"id": "\\ud800"}',
            "the answer could not be decoded: unexpected end of hex escape at line 1 column 15",
        ),
        (
            b'{"object": "identity.verification_session", "deep": ' + b"[" * 40 + b"]" * 40 + b"}",
            "the answer could not be decoded: the JSON is nested deeper than 32 levels at line 1 column 84",
        ),
        (
            b'{"a": {"a": ' * 20 + b"1" + b"}}" * 20,
            "the answer could not be decoded: the JSON is nested deeper than 32 levels at line 1 column 193",
        ),
    ],
)
def test_bodies_that_cannot_be_decoded_raise_as_before(
    canned, http: si.Client, body: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    canned.set(200, body, {"Request-Id": "req_bad"})
    for call in (
        lambda: http.identity.verification_sessions.retrieve("vs_1"),
        lambda: http.identity.verification_sessions.list(),
        lambda: list(http._native.list_pages({})),
        lambda: asyncio.run(http.identity.verification_sessions.retrieve_async("vs_1")),
    ):
        with pytest.raises(si.APIError) as info:
            call()
        assert type(info.value) is si.APIError
        assert info.value.http_status == 200 and info.value.request_id == "req_bad"
        assert str(info.value) == f"Request req_bad: {message}"
