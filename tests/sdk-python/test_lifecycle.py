"""stripe-python 16.1.0 against identity-mock: a VerificationSession from creation to redaction."""

from __future__ import annotations

from sdk import stripe

from helpers import Mock, control


def test_create_with_options_metadata_and_provided_details(
    client: stripe.StripeClient, mock: Mock, ref: str
) -> None:
    sessions = client.v1.identity.verification_sessions
    s = sessions.create(
        params={
            "type": "document",
            "client_reference_id": ref,
            "metadata": {"order": "42", "note": "two words & more"},
            "options": {
                "document": {
                    "allowed_types": ["passport", "id_card"],
                    "require_id_number": True,
                    "require_live_capture": True,
                    "require_matching_selfie": True,
                }
            },
            "provided_details": {"email": "jenny@example.com", "phone": "+15555550100"},
            "related_customer": "cus_Nv4FbEjZG6sQLB",
            "return_url": "https://example.com/return",
        }
    )
    assert isinstance(s, stripe.identity.VerificationSession)
    assert s.id.startswith("vs_")
    assert s.object == "identity.verification_session"
    assert s.status == "requires_input"
    assert s.type == "document"
    assert s.livemode is False
    assert s.client_reference_id == ref
    assert s.metadata.to_dict() == {"order": "42", "note": "two words & more"}
    assert s.options.document.allowed_types == ["passport", "id_card"]
    assert s.options.document.require_matching_selfie is True
    assert s.related_customer == "cus_Nv4FbEjZG6sQLB"
    # The url opens identity-mock's own hosted page.
    assert s.client_secret and s.url.startswith(f"{mock.url}/start/test_")
    assert s.last_error is None and s.last_verification_report is None and s.redaction is None
    assert s.last_response.code == 200
    assert s.last_response.request_id.startswith("req_")

    got = sessions.retrieve(s.id, params={"expand": ["provided_details"]})
    assert got.provided_details.email == "jenny@example.com"
    assert got.provided_details.phone == "+15555550100"


def test_update_sets_and_unsets_metadata_and_options(client: stripe.StripeClient) -> None:
    sessions = client.v1.identity.verification_sessions
    s = sessions.create(params={"type": "document", "metadata": {"a": "1", "b": "2", "c": "3"}})
    s = sessions.update(s.id, params={"metadata": {"a": "", "d": "4"}, "type": "id_number"})
    assert s.metadata.to_dict() == {"b": "2", "c": "3", "d": "4"}
    assert s.type == "id_number"
    s = sessions.update(s.id, params={"metadata": ""})
    assert s.metadata.to_dict() == {}
    s = sessions.update(
        s.id, params={"options": {"document": {"require_id_number": True}}, "type": "document"}
    )
    assert s.options.document.require_id_number is True
    s = sessions.update(s.id, params={"options": {"document": ""}})
    assert "document" not in (s.options or {})


def test_the_whole_lifecycle_with_controls(client: stripe.StripeClient) -> None:
    sessions = client.v1.identity.verification_sessions
    s = sessions.create(params={"type": "document", "metadata": {"order": "7"}})

    s = control(client, s.id, "submit")
    assert s.status == "processing"
    s = control(client, s.id, "fail", code="document_expired", reason="The document is expired.")
    assert s.status == "requires_input"
    assert s.last_error.code == "document_expired"
    assert s.last_error.reason == "The document is expired."
    # A fresh secret and URL to resubmit with.
    again = sessions.retrieve(s.id)
    assert again.client_secret and again.url

    control(client, s.id, "submit")
    s = control(client, s.id, "verify")
    assert s.status == "verified"
    assert s.last_verification_report.startswith("vr_")

    full = sessions.retrieve(s.id, params={"expand": ["verified_outputs", "last_verification_report"]})
    assert full.verified_outputs is not None
    assert full.verified_outputs.first_name
    report = full.last_verification_report
    assert isinstance(report, stripe.identity.VerificationReport)
    assert report.id == s.last_verification_report
    assert report.verification_session == s.id
    assert report.document.status == "verified"

    s = sessions.redact(s.id)
    assert s.redaction.status == "processing"
    assert s.metadata.to_dict() == {}
    s = control(client, s.id, "complete_redaction")
    assert s.redaction.status == "redacted"
    assert sessions.retrieve(s.id).redaction.status == "redacted"


def test_cancel(client: stripe.StripeClient) -> None:
    sessions = client.v1.identity.verification_sessions
    s = sessions.create(params={"type": "id_number"})
    s = sessions.cancel(s.id)
    assert s.status == "canceled"
    assert s.client_secret is None and s.url is None
    assert sessions.retrieve(s.id).status == "canceled"


def test_redact_a_session_awaiting_input_cancels_it(client: stripe.StripeClient) -> None:
    sessions = client.v1.identity.verification_sessions
    s = sessions.create(params={"type": "document", "metadata": {"k": "v"}})
    s = sessions.redact(s.id)
    assert s.status == "canceled"
    assert s.redaction.status == "processing"
    assert s.metadata.to_dict() == {}


def test_stripe_version_and_account_headers_travel(client: stripe.StripeClient) -> None:
    sessions = client.v1.identity.verification_sessions
    s = sessions.create(params={"type": "document"}, options={"stripe_version": "2026-10-28.endive"})
    assert s.last_response.headers["Stripe-Version"] == "2026-10-28.endive"
