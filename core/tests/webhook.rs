//! `Webhook::construct_event` and `Webhook::sign`: the typed front door over the signature
//! check, with the bad inputs the issue lists.

use stripe_identity::model::{Event, RequestedVerificationType, VerificationStatus};
use stripe_identity::params::CreateVerificationSession;
use stripe_identity::{Client, Error, ErrorKind, Webhook};

const SECRET: &str = "whsec_test_secret";

/// A real event of the simulator, as its webhook body.
fn payload() -> String {
    let client = Client::local();
    let create =
        CreateVerificationSession { r#type: Some(RequestedVerificationType::Document), ..Default::default() };
    let s = client.verification_sessions().create(&create).unwrap();
    client.test_helpers().submit(&s.id).unwrap();
    client.test_helpers().verify(&s.id).unwrap();
    let event: Event = client.events().list(&Default::default()).unwrap().data.remove(0);
    serde_json::to_string_pretty(&event).unwrap()
}

fn signature_message(r: Result<Event, Error>) -> String {
    match r {
        Err(e @ Error::SignatureVerification { .. }) => {
            assert_eq!(e.kind(), ErrorKind::SignatureVerification);
            e.message()
        }
        other => panic!("expected a signature error, got {other:?}"),
    }
}

#[test]
fn a_signed_event_verifies_and_is_typed() {
    let body = payload();
    let header = Webhook::sign(&body, SECRET, None);
    let event = Webhook::construct_event(&body, &header, SECRET).unwrap();
    assert_eq!(event.r#type, "identity.verification_session.verified");
    assert_eq!(event.session().unwrap().status, VerificationStatus::Verified);
    let bytes = Webhook::construct_event(body.as_bytes(), &header, SECRET).unwrap();
    assert_eq!(bytes, event);
}

#[test]
fn bad_input_gets_the_signature_error() {
    let body = payload();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let header = Webhook::sign(&body, SECRET, Some(now));
    let unable = "Unable to extract timestamp and signatures from header";
    let mismatch = "No signatures found matching the expected signature for payload";
    assert!(signature_message(Webhook::construct_event(&body, "", SECRET))
        .starts_with("No Stripe-Signature header"));
    assert_eq!(signature_message(Webhook::construct_event(&body, "garbage,,,==", SECRET)), unable);
    assert_eq!(signature_message(Webhook::construct_event(&body, &header, "whsec_wrong")), mismatch);
    let mut changed = body.clone().into_bytes();
    let last = changed.len() - 2;
    changed[last] ^= 1;
    assert_eq!(signature_message(Webhook::construct_event(&changed, &header, SECRET)), mismatch);
    let old = Webhook::sign(&body, SECRET, Some(now - 301));
    assert_eq!(
        signature_message(Webhook::construct_event(&body, &old, SECRET)),
        format!("Timestamp outside the tolerance zone ({})", now - 301)
    );
    Webhook::construct_event_with_tolerance(&body, &old, SECRET, Some(0)).unwrap();
    Webhook::construct_event_with_tolerance(&body, &old, SECRET, None).unwrap();
    Webhook::construct_event_with_tolerance(&body, &old, SECRET, Some(400)).unwrap();
    let future = Webhook::sign(&body, SECRET, Some(now + 3600));
    Webhook::construct_event(&body, &future, SECRET).unwrap();
    let huge_header = format!("{header},{}", "v0=".repeat(400_000));
    Webhook::construct_event(&body, &huge_header, SECRET).unwrap();
    let huge_garbage = "x".repeat(2 << 20);
    assert_eq!(signature_message(Webhook::construct_event(&body, &huge_garbage, SECRET)), unable);
    let huge_body = format!("{body}{}", " ".repeat(2 << 20));
    assert_eq!(signature_message(Webhook::construct_event(&huge_body, &header, SECRET)), mismatch);
    let signed_huge = Webhook::sign(&huge_body, SECRET, None);
    Webhook::construct_event(&huge_body, &signed_huge, SECRET).unwrap();
    let invalid_utf8 = [b"{\"object\":\"event\"".as_slice(), &[0xff, 0xfe], b"}"].concat();
    let signed = Webhook::sign(&invalid_utf8, SECRET, None);
    assert!(signature_message(Webhook::construct_event(&invalid_utf8, &signed, SECRET)).contains("UTF-8"));
}

#[test]
fn a_verified_payload_that_is_not_an_event_says_so() {
    for body in ["not json", "{\"object\":\"v2.core.event\"}", "{\"id\":\"evt_1\"}", "{\"object\":\"event\"}"]
    {
        let header = Webhook::sign(body, SECRET, None);
        let err = Webhook::construct_event(body, &header, SECRET).unwrap_err();
        assert_eq!((err.kind(), err.param()), (ErrorKind::InvalidArgument, Some("payload")), "{body}");
    }
}

#[test]
fn a_header_made_by_stripe_python_verifies() {
    // The C suite's payload, and the header stripe-python 16.1.0 made for it:
    // WebhookSignature.generate_signature_header(payload, "whsec_interop_fixture", timestamp=1700000000).
    let payload = r#"{"id":"evt_1","object":"event","api_version":null,"created":1,"livemode":false,"pending_webhooks":0,"request":{"id":null,"idempotency_key":null},"type":"identity.verification_session.verified","data":{"object":{"id":"vs_1","object":"identity.verification_session","status":"verified"}}}"#;
    let header = "t=1700000000,v1=82a4169aaa434375e282efe36a9fcba9e553347752aac91c68e30acc4d934f92";
    let event =
        Webhook::construct_event_with_tolerance(payload, header, "whsec_interop_fixture", None).unwrap();
    assert_eq!(event.data.object["status"], "verified");
    assert_eq!(Webhook::sign(payload, "whsec_interop_fixture", Some(1_700_000_000)), header);
    assert!(Webhook::construct_event(payload, header, "whsec_interop_fixture").is_err());
}
