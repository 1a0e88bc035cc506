"""``StripeClient``: stripe-python 16.1.0's call shapes (``params=``, ``options=``), ``last_response``,
``raw_request`` and ``deserialize``; on Client.local() and identity-mock. stripe-python's own
suite also runs against it (tests/sdk-python, the drop-in run)."""

from __future__ import annotations

import asyncio
import pickle
from typing import Iterator

import pytest

import stripe_identity as si
from conftest import KEY, Mock

HELPERS = "/v1/test_helpers/identity/verification_sessions"


@pytest.fixture(params=["local", "mock"])
def drop_in(request: pytest.FixtureRequest) -> Iterator[si.StripeClient]:
    if request.param == "local":
        yield si.StripeClient.local()
        return
    server = Mock()
    try:
        yield si.StripeClient(KEY, base_addresses={"api": server.url}, max_network_retries=0)
    finally:
        server.stop()


def test_params_and_options_as_stripe_python_takes_them(drop_in: si.StripeClient) -> None:
    vs = drop_in.v1.identity.verification_sessions
    s = vs.create(
        params={"type": "document", "metadata": {"order": "42"}},
        options={"idempotency_key": "order-42", "stripe_version": si.API_VERSION},
    )
    again = vs.create(
        params={"type": "document", "metadata": {"order": "42"}}, options={"idempotency_key": "order-42"}
    )
    assert again.id == s.id
    assert s.last_response is not None and again.last_response is not None
    assert s.last_response.code == 200
    assert s.last_response.request_id is not None and s.last_response.request_id.startswith("req_")
    assert s.last_response.idempotency_key == "order-42"
    assert again.last_response.headers["idempotent-replayed"] == "true"
    assert s.last_response.headers["Stripe-Version"] == si.API_VERSION
    assert vs.retrieve(s.id, params={"expand": ["verified_outputs"]}).id == s.id
    assert vs.update(s.id, {"metadata": {"order": "43"}}).metadata["order"] == "43"
    page = vs.list({"limit": 1})
    assert [x.id for x in page.data] == [s.id] and page.last_response is not None
    assert [x.id for x in page.auto_paging_iter()] == [s.id]
    assert vs.cancel(s.id).status == "canceled"
    # A nested object is not an answer.
    assert s.metadata.last_response is None


def test_reports_events_and_webhook_endpoints_under_v1(drop_in: si.StripeClient) -> None:
    s = drop_in.v1.identity.verification_sessions.create({"type": "document"})
    drop_in.test_helpers.identity.verification_sessions.submit(s.id)
    s = drop_in.test_helpers.identity.verification_sessions.verify(s.id)
    report = drop_in.v1.identity.verification_reports.retrieve(s.last_verification_report)
    assert report.verification_session == s.id
    assert isinstance(report, si.identity.VerificationReport)
    events = drop_in.v1.events.list({"type": "identity.verification_session.verified"})
    assert [e.data.object.id for e in events.data] == [s.id]
    endpoint = drop_in.v1.webhook_endpoints.create(
        {"url": "https://example.com/hook", "enabled_events": ["*"]}
    )
    assert drop_in.v1.webhook_endpoints.delete(endpoint.id).deleted is True


def test_raw_request_and_deserialize(drop_in: si.StripeClient) -> None:
    s = drop_in.v1.identity.verification_sessions.create({"type": "document"})
    response = drop_in.raw_request("post", f"{HELPERS}/{s.id}/submit")
    assert response.code == 200 and response.request_id is not None
    assert response.data["status"] == "processing"
    obj = drop_in.deserialize(response, api_mode="V1")
    assert isinstance(obj, si.VerificationSession) and obj.status == "processing"
    assert obj.last_response is response
    failed = drop_in.deserialize(
        drop_in.raw_request("post", f"{HELPERS}/{s.id}/fail", code="document_expired")
    )
    assert failed.last_error.code == "document_expired"
    listed = drop_in.raw_request("get", "/v1/identity/verification_sessions", limit=1)
    assert listed.data["data"][0]["id"] == s.id
    with pytest.raises(si.InvalidRequestError) as caught:
        drop_in.raw_request("get", "/v1/identity/verification_sessions_typo")
    assert caught.value.http_status == 404


def test_errors_carry_stripe_pythons_attributes(drop_in: si.StripeClient) -> None:
    with pytest.raises(si.InvalidRequestError) as caught:
        drop_in.v1.identity.verification_sessions.retrieve("vs_missing")
    e = caught.value
    assert e.http_status == 404 and e.code == "resource_missing" and e.param is not None
    assert e.request_id is not None and e.headers["request-id"] == e.request_id
    assert e.json_body is not None and e.json_body["error"]["code"] == "resource_missing"
    assert e.http_body is not None and "resource_missing" in e.http_body
    assert e.error is not None and e.error.code == "resource_missing" and e.error.message == e.user_message
    assert str(e).startswith(f"Request {e.request_id}: ")
    copy = pickle.loads(pickle.dumps(e))
    assert (copy.request_id, copy.headers["Request-Id"]) == (e.request_id, e.request_id)


def test_options_this_library_does_not_carry_are_refused() -> None:
    vs = si.StripeClient.local().v1.identity.verification_sessions
    with pytest.raises(TypeError, match="api_key"):
        vs.create({"type": "document"}, {"api_key": "sk_test_other"})  # type: ignore[typeddict-unknown-key]
    with pytest.raises(TypeError, match="unknown request option"):
        vs.create({"type": "document"}, {"idempotency": "x"})  # type: ignore[typeddict-unknown-key]
    with pytest.raises(TypeError, match="idempotency_key must be a str"):
        vs.create({"type": "document"}, {"idempotency_key": 42})  # type: ignore[typeddict-item]
    assert vs.create({"type": "document"}, {"api_key": None}).status == "requires_input"  # type: ignore[typeddict-unknown-key]

    async def main() -> None:
        with pytest.raises(TypeError, match="max_network_retries"):
            await vs.list_async(None, {"max_network_retries": 3})  # type: ignore[typeddict-unknown-key]

    asyncio.run(main())


def test_the_constructor_takes_stripe_pythons_arguments() -> None:
    client = si.StripeClient(
        KEY,
        stripe_account="acct_123",
        stripe_version=si.API_VERSION,
        base_addresses={"api": "http://127.0.0.1:9", "connect": "https://connect.stripe.com"},
        client_id="ca_123",
        max_network_retries=0,
        timeout=5.0,
    )
    assert not client.is_local
    with pytest.raises(si.APIConnectionError):
        client.v1.identity.verification_sessions.list()
    for bad in ({"proxy": "http://proxy:8080"}, {"verify_ssl_certs": False}, {"http_client": object()}):
        with pytest.raises(TypeError):
            si.StripeClient(KEY, **bad)  # type: ignore[arg-type]
    with pytest.raises(si.AuthenticationError):
        si.StripeClient(None)  # type: ignore[arg-type]
    # The key is checked as Client checks it.
    with pytest.raises(ValueError):
        si.StripeClient("not a key")
