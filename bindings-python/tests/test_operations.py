"""Every operation and control, with every kind of parameter, on both backends."""

from __future__ import annotations


import pytest

import stripe_identity as si


def test_create_takes_every_kind_of_parameter(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    s = vs.create(
        type="document",
        options={"document": {"allowed_types": ["passport", "id_card"], "require_matching_selfie": True}},
        metadata={"order": "42"},
        client_reference_id="user_42",
        provided_details={"email": "jenny@example.com"},
        return_url="https://example.com/back",
        expand=["provided_details"],
    )
    assert isinstance(s, si.VerificationSession)
    assert s.id.startswith("vs_")
    assert s.object == "identity.verification_session"
    assert s.status == "requires_input"
    assert s.type == "document"
    assert s.options.document.allowed_types == ["passport", "id_card"]
    assert s.options.document.require_matching_selfie is True
    assert s.metadata == {"order": "42"}
    assert s.client_reference_id == "user_42"
    assert s.provided_details.email == "jenny@example.com"
    assert s.last_error is None
    assert s.client_secret and s.url


def test_retrieve_with_expand(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    helpers = client.test_helpers.identity.verification_sessions
    s = vs.create(type="document")
    helpers.submit(s.id)
    helpers.verify(s.id)
    plain = vs.retrieve(s.id)
    assert plain.id == s.id
    assert "verified_outputs" not in plain
    full = vs.retrieve(s.id, expand=["verified_outputs", "last_verification_report"])
    assert full.verified_outputs.first_name
    assert isinstance(full.verified_outputs, si.VerificationSession.VerifiedOutputs)
    report = full.last_verification_report
    assert isinstance(report, si.VerificationReport)
    assert report.id.startswith("vr_")
    assert report.verification_session == s.id


def test_update_merges_and_unsets_metadata(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    s = vs.create(type="document", metadata={"a": "1", "b": "2"})
    s = vs.update(s.id, metadata={"a": "", "c": "3"})
    assert s.metadata == {"b": "2", "c": "3"}
    s = vs.update(s.id, metadata="")
    assert s.metadata == {}
    s = vs.update(s.id, type="id_number", options={"document": ""})
    assert s.type == "id_number"


def test_list_filters_and_cursors(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    ids = [vs.create(type="document", client_reference_id=f"ref_{i}").id for i in range(5)]
    page = vs.list(limit=2)
    assert isinstance(page, si.ListObject)
    assert page.object == "list"
    assert page.url == "/v1/identity/verification_sessions"
    assert page.has_more is True
    assert [s.id for s in page.data] == [ids[4], ids[3]]
    assert [s.id for s in page] == [ids[4], ids[3]]
    assert len(page) == 2
    after = vs.list(limit=2, starting_after=ids[3])
    assert [s.id for s in after] == [ids[2], ids[1]]
    before = vs.list(limit=10, ending_before=ids[1])
    assert [s.id for s in before] == [ids[4], ids[3], ids[2]]
    assert [s.id for s in vs.list(client_reference_id="ref_0")] == [ids[0]]
    assert len(vs.list(created={"gte": 0}, limit=100)) == 5
    assert len(vs.list(created={"lt": 0})) == 0
    client.identity.verification_sessions.cancel(ids[2])
    assert [s.id for s in vs.list(status="canceled")] == [ids[2]]


def test_auto_paging_iter_walks_every_page_lazily(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    ids = [vs.create(type="document").id for _ in range(7)]
    it = vs.list(limit=3).auto_paging_iter()
    # An iterator for `for` and `async for` alike, as stripe-python's AnyIterator.
    assert isinstance(it, si.AnyIterator) and iter(it) is it
    assert [s.id for s in it] == ids[::-1]
    # Backwards from the oldest: each page oldest first, as stripe-python does.
    back = [s.id for s in vs.list(limit=2, ending_before=ids[0]).auto_paging_iter()]
    assert back == ids[1:]
    assert [s.id for s in vs.list(limit=2, status="verified").auto_paging_iter()] == []


def test_auto_paging_iter_starts_with_the_page_in_hand(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    ids = [vs.create(type="document").id for _ in range(5)]
    page = vs.list(limit=2)
    # Made after the page was fetched: newer than all of it, so a walk that fetched the first
    # page again would start with it.
    late = vs.create(type="document").id
    assert [s.id for s in page.auto_paging_iter()] == ids[::-1]
    back = vs.list(limit=2, ending_before=ids[2])
    assert [s.id for s in back.auto_paging_iter()] == [ids[3], ids[4], late]


def test_auto_paging_iter_keeps_request_options(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    for _ in range(3):
        vs.create(type="document")
    page = vs.list(limit=1, stripe_version=si.API_VERSION)
    assert sum(1 for _ in page.auto_paging_iter()) == 3


def test_cancel_and_redact(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    helpers = client.test_helpers.identity.verification_sessions
    s = vs.create(type="id_number")
    assert vs.cancel(s.id).status == "canceled"
    s = vs.create(type="document", metadata={"k": "v"})
    r = vs.redact(s.id)
    assert r.redaction.status == "processing"
    assert isinstance(r.redaction, si.VerificationSession.Redaction)
    done = helpers.complete_redaction(s.id)
    assert done.redaction.status == "redacted"
    assert vs.retrieve(s.id).metadata == {}


def test_controls_move_the_session(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    helpers = client.test_helpers.identity.verification_sessions
    s = vs.create(type="document")
    assert helpers.submit(s.id).status == "processing"
    failed = helpers.fail(s.id, code="document_expired", reason="Expired in 2019.")
    assert failed.status == "requires_input"
    assert failed.last_error.code == "document_expired"
    assert failed.last_error.reason == "Expired in 2019."
    helpers.submit(s.id)
    standard = helpers.fail(s.id, "selfie_face_mismatch")
    assert standard.last_error.reason  # a standard reason for the code
    helpers.submit(s.id)
    verified = helpers.verify(s.id)
    assert verified.status == "verified"
    assert verified.last_error is None
    assert verified.last_verification_report.startswith("vr_")


def test_idempotency_key_replays_and_stripe_account_scopes_it(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    a = vs.create(type="document", idempotency_key="order-42")
    b = vs.create(type="document", idempotency_key="order-42")
    assert a.id == b.id
    c = vs.create(type="document", idempotency_key="order-42", stripe_account="acct_1Other")
    assert c.id != a.id
    with pytest.raises(si.IdempotencyError) as e:
        vs.create(type="id_number", idempotency_key="order-42")
    assert e.value.error_type == "idempotency_error"


def test_stripe_version_is_sent(canned) -> None:  # type: ignore[no-untyped-def]
    canned.set(200, {"object": "identity.verification_session", "id": "vs_1"})
    client = si.Client(
        "sk_test_123", base_url=canned.url, stripe_version="2024-06-20", stripe_account="acct_A"
    )
    vs = client.identity.verification_sessions
    vs.retrieve("vs_1")
    vs.retrieve("vs_1", stripe_version="2025-01-01", stripe_account="acct_B")
    vs.create(type="document", idempotency_key="k-1")
    first, second, third = canned.requests
    assert first["headers"]["stripe-version"] == "2024-06-20"
    assert first["headers"]["stripe-account"] == "acct_A"
    assert second["headers"]["stripe-version"] == "2025-01-01"
    assert second["headers"]["stripe-account"] == "acct_B"
    assert third["headers"]["idempotency-key"] == "k-1"
    assert third["body"] == "type=document"
    assert first["headers"]["authorization"] == "Bearer sk_test_123"
    assert "python" in first["headers"]["user-agent"].lower()


def test_parameters_are_encoded_by_the_core(canned) -> None:  # type: ignore[no-untyped-def]
    canned.set(
        200, {"object": "list", "data": [], "has_more": False, "url": "/v1/identity/verification_sessions"}
    )
    client = si.Client("sk_test_123", base_url=canned.url)
    client.identity.verification_sessions.list(
        limit=3, created={"gte": 1700000000}, expand=["data.verified_outputs"]
    )
    path = canned.requests[0]["path"]
    assert path.startswith("/v1/identity/verification_sessions?")
    query = path.split("?", 1)[1]
    assert "limit=3" in query
    assert "created%5Bgte%5D=1700000000" in query or "created[gte]=1700000000" in query
    assert "expand%5B0%5D=data.verified_outputs" in query or "expand[0]=data.verified_outputs" in query


def test_ids_cannot_escape_their_path(canned) -> None:  # type: ignore[no-untyped-def]
    canned.set(200, {"object": "identity.verification_session", "id": "x"})
    client = si.Client("sk_test_123", base_url=canned.url)
    client.identity.verification_sessions.retrieve("../../v1/customers")
    assert canned.requests[0]["path"] == "/v1/identity/verification_sessions/..%2F..%2Fv1%2Fcustomers"


def test_clients_are_independent() -> None:
    a, b = si.Client.local(), si.Client.local()
    a.identity.verification_sessions.create(type="document")
    assert len(b.identity.verification_sessions.list()) == 0
    assert a.is_local and "local" in repr(a)
    assert not si.Client("sk_test_1", base_url="http://127.0.0.1:9").is_local
