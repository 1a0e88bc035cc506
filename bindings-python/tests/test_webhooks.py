"""``Webhook.construct_event`` and ``WebhookSignature``: a signed event verifies and is typed;
every bad input raises ``SignatureVerificationError`` with ``sig_header`` and ``http_body``."""

from __future__ import annotations

import json
import time

import pytest

import stripe_identity as si

SECRET = "whsec_python_test"


def payload() -> str:
    client = si.Client.local()
    s = client.identity.verification_sessions.create(type="document")
    client.test_helpers.identity.verification_sessions.submit(s.id)
    return json.dumps(client.events.list().data[0].to_dict(), indent=2)


def test_a_signed_event_verifies_and_is_typed() -> None:
    body = payload()
    header = si.WebhookSignature.generate_signature_header(body, SECRET)
    assert header.startswith(f"t={int(time.time())}"[:8]) and ",v1=" in header
    for given in (body, body.encode(), bytearray(body.encode())):
        event = si.Webhook.construct_event(given, header, SECRET)
        assert isinstance(event, si.Event)
        assert event.type == "identity.verification_session.processing"
        assert isinstance(event.data.object, si.VerificationSession)
        assert event.data.object.status == "processing"
    assert si.WebhookSignature.verify_header(body, header, SECRET, 300) is True
    fixed = si.WebhookSignature.generate_signature_header(body, SECRET, timestamp=1700000000)
    assert fixed.startswith("t=1700000000,v1=")


def refused(
    body: object, header: object, secret: str = SECRET, **kw: object
) -> si.SignatureVerificationError:
    with pytest.raises(si.SignatureVerificationError) as e:
        si.Webhook.construct_event(body, header, secret, **kw)  # type: ignore[arg-type]
    assert isinstance(e.value, si.StripeError)
    return e.value


def test_bad_input_raises_signature_verification_error() -> None:
    body = payload()
    now = int(time.time())
    header = si.WebhookSignature.generate_signature_header(body, SECRET, timestamp=now)
    err = refused(body, "garbage")
    assert err.message == "Unable to extract timestamp and signatures from header"
    assert (err.sig_header, err.http_body) == ("garbage", body)
    assert refused(body, None).message.startswith("No Stripe-Signature header value was provided")
    assert refused(body, "").sig_header == ""
    assert refused(body, f"t={now}").message == "No signatures found with expected scheme v1"
    mismatch = "No signatures found matching the expected signature for payload"
    assert refused(body, header, "whsec_wrong").message == mismatch
    changed = body[:-2] + ("x" if body[-2] != "x" else "y") + body[-1]
    assert refused(changed, header).message == mismatch
    old = si.WebhookSignature.generate_signature_header(body, SECRET, timestamp=now - 301)
    assert refused(body, old).message == f"Timestamp outside the tolerance zone ({now - 301})"
    assert si.Webhook.construct_event(body, old, SECRET, tolerance=0).id
    assert si.Webhook.construct_event(body, old, SECRET, tolerance=None).id
    future = si.WebhookSignature.generate_signature_header(body, SECRET, timestamp=now + 3600)
    assert si.Webhook.construct_event(body, future, SECRET).id
    assert refused(body, f"t={now}," + "v1=ab," * 200_000).message == mismatch
    assert si.Webhook.construct_event(body, header + "," + "v0=" * 400_000, SECRET).id
    assert refused(body + " " * (2 << 20), header).message == mismatch
    assert "UTF-8" in refused(body, b"t=1,\xff\xfe").message
    bad = body.encode() + b"\xff"
    assert "UTF-8" in refused(bad, si.WebhookSignature.generate_signature_header(bad, SECRET)).message


def test_a_verified_body_that_is_not_an_event_is_a_value_error() -> None:
    for body in ("not json", '{"object": "v2.core.event"}'):
        header = si.WebhookSignature.generate_signature_header(body, SECRET)
        with pytest.raises(ValueError):
            si.Webhook.construct_event(body, header, SECRET)
    with pytest.raises(TypeError):
        si.Webhook.construct_event(42, "t=1,v1=x", SECRET)  # type: ignore[arg-type]


# The C suite's payload, and the header stripe-python 16.1.0 made for it:
# WebhookSignature.generate_signature_header(PEER_PAYLOAD, PEER_SECRET, timestamp=1700000000).
PEER_PAYLOAD = (
    '{"id":"evt_1","object":"event","api_version":null,"created":1,"livemode":false,'
    '"pending_webhooks":0,"request":{"id":null,"idempotency_key":null},'
    '"type":"identity.verification_session.verified","data":{"object":{"id":"vs_1",'
    '"object":"identity.verification_session","status":"verified"}}}'
)
PEER_SECRET = "whsec_interop_fixture"
PEER_HEADER = "t=1700000000,v1=82a4169aaa434375e282efe36a9fcba9e553347752aac91c68e30acc4d934f92"


def test_a_header_made_by_stripe_python_verifies() -> None:
    event = si.Webhook.construct_event(PEER_PAYLOAD, PEER_HEADER, PEER_SECRET, tolerance=None)
    assert event.data.object.status == "verified"
    assert si.WebhookSignature.generate_signature_header(PEER_PAYLOAD, PEER_SECRET, 1700000000) == PEER_HEADER
    refused(PEER_PAYLOAD, PEER_HEADER, PEER_SECRET)  # too old with the default tolerance
