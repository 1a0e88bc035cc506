"""stripe-python 16.1.0 against identity-mock: the SDK's own error classes for every refusal."""

from __future__ import annotations

import uuid

import pytest
from sdk import stripe

from helpers import Mock, control


def test_missing_id_is_invalid_request_404(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.identity.verification_sessions.retrieve("vs_doesnotexist")
    err = caught.value
    assert err.http_status == 404
    assert err.code == "resource_missing"
    assert "No such verification_session: 'vs_doesnotexist'" in err.user_message
    assert err.request_id.startswith("req_")
    assert err.json_body["error"]["type"] == "invalid_request_error"
    for op in ("update", "cancel", "redact"):
        with pytest.raises(stripe.InvalidRequestError) as caught:
            getattr(client.v1.identity.verification_sessions, op)("vs_doesnotexist")
        assert caught.value.http_status == 404


def test_bad_parameters(client: stripe.StripeClient) -> None:
    sessions = client.v1.identity.verification_sessions
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sessions.create(params={"type": "passport"})
    assert caught.value.http_status == 400 and caught.value.param == "type"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sessions.create(params={"metadata": {"a": "b"}})
    assert caught.value.code == "parameter_missing" and caught.value.param == "type"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sessions.create(params={"type": "document", "colour": "blue"})  # type: ignore[typeddict-unknown-key]
    assert caught.value.code == "parameter_unknown" and caught.value.param == "colour"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sessions.list(params={"limit": 101})
    assert caught.value.code == "parameter_invalid_integer" and caught.value.param == "limit"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        sessions.create(params={"type": "document", "metadata": {"k" * 41: "v"}})
    assert caught.value.param == "metadata"


def test_wrong_states(client: stripe.StripeClient) -> None:
    sessions = client.v1.identity.verification_sessions
    s = sessions.create(params={"type": "document"})
    control(client, s.id, "submit")
    for call in (
        lambda: sessions.cancel(s.id),
        lambda: sessions.update(s.id, params={"metadata": {"a": "b"}}),
        lambda: sessions.redact(s.id),
        lambda: control(client, s.id, "submit"),
        lambda: control(client, s.id, "complete_redaction"),
    ):
        with pytest.raises(stripe.InvalidRequestError) as caught:
            call()
        assert caught.value.http_status == 400
        assert caught.value.code == "verification_session_unexpected_state"
    control(client, s.id, "verify")
    with pytest.raises(stripe.InvalidRequestError):
        sessions.cancel(s.id)
    with pytest.raises(stripe.InvalidRequestError):
        control(client, s.id, "fail", code="document_expired")
    with pytest.raises(stripe.InvalidRequestError) as caught:
        control(client, s.id, "fail", code="not_a_code")
    assert caught.value.param == "code"


def test_bad_keys_are_authentication_errors(mock: Mock) -> None:
    with pytest.raises(stripe.AuthenticationError) as caught:
        mock.client("sk_test_bad-key-abcd").v1.identity.verification_sessions.list()
    assert caught.value.http_status == 401
    assert "Invalid API Key provided: sk_test_****abcd" in caught.value.user_message
    with pytest.raises(stripe.AuthenticationError) as caught:
        mock.client("pk_test_abcdef").v1.identity.verification_sessions.create(params={"type": "document"})
    assert caught.value.json_body["error"]["code"] == "secret_key_required"


def test_unknown_url_through_raw_request(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.raw_request("get", "/v1/identity/verification_sessions_typo")
    assert caught.value.http_status == 404
    assert (
        "Unrecognized request URL (GET: /v1/identity/verification_sessions_typo)" in caught.value.user_message
    )


def test_idempotent_replay_and_key_reuse(client: stripe.StripeClient) -> None:
    sessions = client.v1.identity.verification_sessions
    key = f"order-{uuid.uuid4()}"
    first = sessions.create(
        params={"type": "document", "metadata": {"order": "42"}}, options={"idempotency_key": key}
    )
    again = sessions.create(
        params={"type": "document", "metadata": {"order": "42"}}, options={"idempotency_key": key}
    )
    assert again.id == first.id
    assert again.client_secret == first.client_secret
    assert first.last_response.headers.get("Idempotent-Replayed") is None
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert again.last_response.headers["Idempotency-Key"] == key

    with pytest.raises(stripe.IdempotencyError) as caught:
        sessions.create(params={"type": "id_number"}, options={"idempotency_key": key})
    assert caught.value.http_status == 400
    assert key in caught.value.user_message

    # A refusal by state is stored under its key and replayed too.
    control(client, first.id, "submit")
    cancel_key = f"cancel-{uuid.uuid4()}"
    with pytest.raises(stripe.InvalidRequestError):
        sessions.cancel(first.id, options={"idempotency_key": cancel_key})
    control(client, first.id, "fail", code="document_expired")
    with pytest.raises(stripe.InvalidRequestError):
        sessions.cancel(first.id, options={"idempotency_key": cancel_key})
    assert sessions.cancel(first.id).status == "canceled"
