"""Every error class, with its fields, from both backends and from canned HTTP answers; and
TypeError for values of the wrong type."""

from __future__ import annotations

import pickle
from typing import Any, Dict, Type

import pytest

import stripe_identity as si


def error_body(type_: str, code: Any = None, message: str = "boom", param: Any = None) -> Dict[str, Any]:
    err: Dict[str, Any] = {"type": type_, "message": message}
    if code:
        err["code"] = code
    if param:
        err["param"] = param
    return {"error": err}


def test_hierarchy() -> None:
    for cls in (
        si.InvalidRequestError,
        si.AuthenticationError,
        si.PermissionError,
        si.RateLimitError,
        si.IdempotencyError,
        si.CardError,
        si.APIConnectionError,
        si.APIError,
        si.SignatureVerificationError,
    ):
        assert issubclass(cls, si.StripeError)
    assert issubclass(si.StripeError, Exception)
    e = si.SignatureVerificationError("bad signature", "t=1,v1=abc")
    assert e.sig_header == "t=1,v1=abc" and str(e) == "bad signature"


def test_unknown_id_is_invalid_request_with_every_field(client: si.Client) -> None:
    with pytest.raises(si.InvalidRequestError) as info:
        client.identity.verification_sessions.retrieve("vs_does_not_exist")
    e = info.value
    assert e.http_status == 404
    assert e.code == "resource_missing"
    assert e.param == "session"
    assert e.error_type == "invalid_request_error"
    assert "vs_does_not_exist" in (e.message or "")
    assert e.request_id and e.request_id.startswith("req_")
    assert str(e) == f"Request {e.request_id}: {e.message}"
    assert e.json_body is not None and e.json_body["error"]["code"] == "resource_missing"
    assert e.doc_url and e.doc_url.endswith("resource-missing")


def test_invalid_parameter_names_it(client: si.Client) -> None:
    with pytest.raises(si.InvalidRequestError) as info:
        client.identity.verification_sessions.create(type="document", client_reference_id="x" * 5001)
    assert info.value.http_status == 400
    assert info.value.param == "client_reference_id"


def test_state_errors(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    s = vs.create(type="document")
    client.test_helpers.identity.verification_sessions.submit(s.id)
    with pytest.raises(si.InvalidRequestError) as info:
        vs.cancel(s.id)
    assert info.value.code == "verification_session_unexpected_state"


def test_idempotency_error(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    vs.create(type="document", idempotency_key="same")
    with pytest.raises(si.IdempotencyError) as info:
        vs.create(type="id_number", idempotency_key="same")
    assert info.value.error_type == "idempotency_error"
    assert info.value.http_status == 400


def test_authentication_error_from_identity_mock(mock) -> None:  # type: ignore[no-untyped-def]
    client = mock.client(key="not_a_key")
    with pytest.raises(si.AuthenticationError) as info:
        client.identity.verification_sessions.list()
    assert info.value.http_status == 401


@pytest.mark.parametrize(
    "status, body, cls, error_type",
    [
        (
            400,
            error_body("invalid_request_error", "parameter_invalid_empty", param="type"),
            si.InvalidRequestError,
            "invalid_request_error",
        ),
        (401, error_body("invalid_request_error"), si.AuthenticationError, "invalid_request_error"),
        (402, error_body("card_error", "card_declined"), si.CardError, "card_error"),
        (
            403,
            error_body("invalid_request_error", "secret_key_required"),
            si.PermissionError,
            "invalid_request_error",
        ),
        (429, error_body("invalid_request_error", "rate_limit"), si.RateLimitError, "invalid_request_error"),
        (400, error_body("invalid_request_error", "rate_limit"), si.RateLimitError, "invalid_request_error"),
        (400, error_body("idempotency_error"), si.IdempotencyError, "idempotency_error"),
        (409, error_body("api_error", "lock_timeout"), si.APIError, "api_error"),
        (500, error_body("api_error"), si.APIError, "api_error"),
    ],
)
def test_each_status_raises_its_class(
    canned, status: int, body: Dict[str, Any], cls: Type[si.StripeError], error_type: str
) -> None:  # type: ignore[no-untyped-def]
    canned.set(status, body, {"Request-Id": "req_canned", "Stripe-Should-Retry": "false"})
    client = si.Client("sk_test_123", base_url=canned.url, max_network_retries=0)
    with pytest.raises(cls) as info:
        client.identity.verification_sessions.create(type="document")
    e = info.value
    assert type(e) is cls
    assert e.http_status == status
    assert e.error_type == error_type
    assert e.code == body["error"].get("code")
    assert e.param == body["error"].get("param")
    assert e.request_id == "req_canned"
    assert e.json_body == body
    assert e.message == "boom"


def test_a_body_that_is_not_json_is_an_api_error(canned) -> None:  # type: ignore[no-untyped-def]
    canned.set(502, b"<html>bad gateway</html>")
    client = si.Client("sk_test_123", base_url=canned.url, max_network_retries=0)
    with pytest.raises(si.APIError) as info:
        client.identity.verification_sessions.list()
    assert info.value.http_status == 502
    assert info.value.http_body == "<html>bad gateway</html>"
    assert info.value.json_body is None


def test_connection_error() -> None:
    # Port 9 (discard) on loopback: nothing listens there in the test run.
    client = si.Client("sk_test_123", base_url="http://127.0.0.1:9", max_network_retries=0, timeout=5)
    with pytest.raises(si.APIConnectionError) as info:
        client.identity.verification_sessions.list()
    assert info.value.http_status is None
    assert info.value.message


def test_faults_of_identity_mock_are_retried_or_raised() -> None:
    from conftest import Mock

    server = Mock("--fault-rate", "1", "--faults", "503")
    try:
        with pytest.raises(si.APIError) as info:
            server.client(max_network_retries=0).identity.verification_sessions.list()
        assert info.value.http_status == 503
    finally:
        server.stop()


def test_errors_pickle_with_their_fields(client: si.Client) -> None:
    with pytest.raises(si.InvalidRequestError) as info:
        client.identity.verification_sessions.retrieve("vs_missing")
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is si.InvalidRequestError
    assert (again.code, again.http_status, again.request_id) == (
        info.value.code,
        info.value.http_status,
        info.value.request_id,
    )
    assert "InvalidRequestError(" in repr(again)


@pytest.mark.parametrize(
    "params, param",
    [
        ({"type": "document", "metadata": 42}, "metadata"),
        ({"type": 5}, "type"),
        (
            {"type": "document", "options": {"document": {"require_id_number": "yes"}}},
            "options[document][require_id_number]",
        ),
        ({"type": "document", "metadata": {"a": object()}}, "metadata[a]"),
        (
            {"type": "document", "options": {"document": {"allowed_types": ["passport", {1, 2}]}}},
            "options[document][allowed_types][1]",
        ),
        ({"type": "document", "metadata": {1: "a"}}, "metadata"),
        ({"type": "document", "client_reference_id": 2**70}, "client_reference_id"),
    ],
)
def test_wrong_python_types_raise_type_error_naming_the_parameter(
    client: si.Client, params: Dict[str, Any], param: str
) -> None:
    with pytest.raises(TypeError) as info:
        client.identity.verification_sessions.create(**params)
    assert info.value.param == param  # type: ignore[attr-defined]
    assert str(info.value).startswith(f"{param}:")


def test_type_errors_of_other_operations(client: si.Client) -> None:
    vs = client.identity.verification_sessions
    with pytest.raises(TypeError) as info:
        vs.list(limit="ten")
    assert info.value.param == "limit"  # type: ignore[attr-defined]
    with pytest.raises(ValueError) as info:  # the right type, a value that cannot be used
        vs.retrieve("")
    assert info.value.param == "session"  # type: ignore[attr-defined]
    with pytest.raises(TypeError) as info:
        vs.list(limit="ten").auto_paging_iter()
    with pytest.raises(TypeError):
        client.test_helpers.identity.verification_sessions.fail("vs_1", code=3)
    with pytest.raises(TypeError):
        vs.retrieve(42)  # type: ignore[arg-type]
    # A float with no JSON form is a number, but not one that can be sent.
    with pytest.raises(ValueError) as info:
        vs.create(type="document", client_reference_id=float("nan"))  # type: ignore[arg-type]
    assert info.value.param == "client_reference_id"  # type: ignore[attr-defined]


def test_unknown_parameters_go_to_the_api(client: si.Client) -> None:
    with pytest.raises(si.InvalidRequestError) as info:
        client.identity.verification_sessions.create(type="document", colour="blue")  # type: ignore[call-arg]
    assert info.value.param == "colour"


def test_client_settings_are_checked() -> None:
    with pytest.raises(TypeError):
        si.Client(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError) as info:
        si.Client("")
    assert getattr(info.value, "param") == "api_key"
    with pytest.raises(ValueError):
        si.Client("sk_test_123", base_url="ftp://example.com")
    with pytest.raises(ValueError) as info:
        si.Client("sk_test_123", max_network_retries=-1)
    assert getattr(info.value, "param") == "max_network_retries"
    with pytest.raises(ValueError):
        si.Client("sk_test_123", timeout=float("inf"))
    with pytest.raises(ValueError):
        si.Client("sk_test_123", connect_timeout=0)
    # The wrong type is a TypeError, decided by the core as for every language.
    for setting, value in [
        ("timeout", "fast"),
        ("max_network_retries", 1.5),
        ("max_network_retries", True),
        ("base_url", 8080),
        ("stripe_account", ["acct_1"]),
    ]:
        with pytest.raises(TypeError) as info:
            si.Client("sk_test_123", **{setting: value})
        assert getattr(info.value, "param") == setting
    # None keeps the default.
    assert not si.Client("sk_test_123", timeout=None, max_network_retries=None).is_local


def test_keys_and_urls_that_cannot_travel_are_refused_before_sending(client: si.Client) -> None:
    with pytest.raises(ValueError) as info:
        si.Client("sk_test_caf\u00e9")
    assert getattr(info.value, "param") == "api_key"
    with pytest.raises(ValueError) as info:
        si.Client("sk_test_123", base_url="http://user:hunter2@127.0.0.1:1")
    assert "hunter2" not in str(info.value)
    with pytest.raises(ValueError) as info:
        si.Client("sk_test_123", base_url="ftp://" + "a" * 600_000)
    assert len(str(info.value)) < 400
    for key in ["cl\u00e9", "a\nb", "\U0001f600"]:
        with pytest.raises(ValueError) as info:
            client.identity.verification_sessions.create(type="document", idempotency_key=key)
        assert getattr(info.value, "param") == "idempotency_key"
    assert client.identity.verification_sessions.list().data == []
