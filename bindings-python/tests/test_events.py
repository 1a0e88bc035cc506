"""Events on both backends: retrieve, list with filters and auto-paging, a typed ``Event`` whose
``data.object`` is a ``VerificationSession``; and ``Client.on_event`` on a local client."""

from __future__ import annotations

import sys
from typing import Any, List

import pytest

import stripe_identity as si

VERIFIED = "identity.verification_session.verified"


def lifecycle(client: si.Client) -> str:
    s = client.identity.verification_sessions.create(type="document")
    helpers = client.test_helpers.identity.verification_sessions
    helpers.submit(s.id)
    helpers.fail(s.id, "document_expired")
    helpers.submit(s.id)
    helpers.verify(s.id)
    return s.id


def test_list_retrieve_and_typed_data_object(client: si.Client) -> None:
    sid = lifecycle(client)
    page = client.events.list(type=VERIFIED, limit=100)
    assert page.url == "/v1/events"
    mine = [e for e in page if e.data.object.id == sid]
    assert len(mine) == 1
    event = mine[0]
    assert isinstance(event, si.Event)
    assert isinstance(event.data.object, si.VerificationSession)
    assert event.data.object.status == "verified"
    assert "previous_attributes" not in event.data
    assert event.request.id.startswith("req_")
    again = client.events.retrieve(event.id)
    assert again == event
    with pytest.raises(si.InvalidRequestError) as e:
        client.events.retrieve("evt_missing")
    assert (e.value.http_status, e.value.param, e.value.code) == (404, "id", "resource_missing")
    with pytest.raises(si.InvalidRequestError) as e:
        client.events.list(type=VERIFIED, types=[VERIFIED])
    assert e.value.param == "types"


def test_auto_paging_and_types(client: si.Client) -> None:
    sid = lifecycle(client)
    ours = [
        e.type
        for e in client.events.list(limit=2, type="identity.verification_session.*").auto_paging_iter()
        if e.data.object.id == sid
    ]
    suffixes = [t.rsplit(".", 1)[1] for t in ours]
    assert suffixes == ["verified", "processing", "requires_input", "processing", "created"]
    both = client.events.list(limit=100, types=[VERIFIED, "identity.verification_session.created"])
    assert {e.type for e in both if e.data.object.id == sid} == {
        VERIFIED,
        "identity.verification_session.created",
    }


def test_on_event_hears_each_new_event() -> None:
    client = si.Client.local()
    heard: List[Any] = []
    client.on_event(heard.append)
    lifecycle(client)
    assert [e.type.rsplit(".", 1)[1] for e in heard] == [
        "created",
        "processing",
        "requires_input",
        "processing",
        "verified",
    ]
    assert all(isinstance(e, si.Event) and isinstance(e.data.object, si.VerificationSession) for e in heard)


def test_a_failing_callback_goes_to_unraisablehook_and_the_request_succeeds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = si.Client.local()
    caught: List[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", caught.append)

    def boom(event: si.Event) -> None:
        raise RuntimeError("handler failed")

    client.on_event(boom)
    s = client.identity.verification_sessions.create(type="document")
    assert s.status == "requires_input"
    assert len(caught) == 1 and isinstance(caught[0].exc_value, RuntimeError)
    assert client.events.list().data[0].type == "identity.verification_session.created"


def test_on_event_needs_a_local_client_and_a_callable(mock: Any) -> None:
    with pytest.raises(ValueError):
        mock.client().on_event(print)
    with pytest.raises(TypeError):
        si.Client.local().on_event(42)  # type: ignore[arg-type]
