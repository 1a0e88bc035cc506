//! Webhook signatures: the `Stripe-Signature` header that signs every event delivery, checked
//! and made as the official SDKs do (facts §9), and the event it carries.
//!
//! The header is `t=<unix seconds>,v1=<hex>`; the `v1` value is HMAC-SHA256 of
//! `"<t>.<payload>"`, keyed with the endpoint secret as it is written (the whole `whsec_...`
//! string, not decoded). identity-mock signs its deliveries with [`sign_header`]; a handler
//! checks them with [`Webhook::construct_event`].

mod signature;
mod verify;

pub use signature::{compute_signature, sign_header, SCHEME};
pub use verify::{verify_header_at, DEFAULT_TOLERANCE};

use crate::error::Error;
use crate::model::Event;
use serde_json::Value;
use std::time::{SystemTime, UNIX_EPOCH};

/// Now, unix seconds (0 before 1970, which no signature can be older than).
fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Verifying and signing webhook payloads, as stripe-python's `Webhook` and stripe-node's
/// `webhooks` do.
///
/// # Example
///
/// ```
/// use stripe_identity::Webhook;
///
/// let payload = r#"{"id":"evt_1","object":"event","api_version":null,"created":1,
///   "data":{"object":{"id":"vs_1","object":"identity.verification_session"}},
///   "livemode":false,"pending_webhooks":0,"request":{"id":null,"idempotency_key":null},
///   "type":"identity.verification_session.verified"}"#;
/// let header = Webhook::sign(payload, "whsec_test", None);
/// let event = Webhook::construct_event(payload, &header, "whsec_test")?;
/// assert_eq!(event.r#type, "identity.verification_session.verified");
/// assert!(Webhook::construct_event(payload, &header, "whsec_other").is_err());
/// # Ok::<(), stripe_identity::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Webhook;

impl Webhook {
    /// Verifies `header` (the request's `Stripe-Signature`) against the raw request body and
    /// the endpoint's secret with the default tolerance of 300 s, then reads the event.
    /// A header that does not verify gives [`Error::SignatureVerification`]; a verified
    /// payload that is not an event gives [`Error::InvalidArgument`] naming `payload`.
    pub fn construct_event(payload: impl AsRef<[u8]>, header: &str, secret: &str) -> Result<Event, Error> {
        Webhook::construct_event_with_tolerance(payload, header, secret, Some(DEFAULT_TOLERANCE))
    }

    /// [`construct_event`](Self::construct_event) with another tolerance in seconds; `None` or
    /// `Some(0)` turns the age check off.
    pub fn construct_event_with_tolerance(
        payload: impl AsRef<[u8]>,
        header: &str,
        secret: &str,
        tolerance: Option<u64>,
    ) -> Result<Event, Error> {
        let value = Webhook::construct_event_value(payload.as_ref(), header, secret, tolerance)?;
        serde_json::from_value(value).map_err(|e| {
            Error::invalid_argument(Some("payload"), format!("The payload is not an event: {e}"))
        })
    }

    /// [`construct_event_with_tolerance`](Self::construct_event_with_tolerance) answering the
    /// event as JSON, every field kept (the bindings build their own objects from it).
    pub fn construct_event_value(
        payload: &[u8],
        header: &str,
        secret: &str,
        tolerance: Option<u64>,
    ) -> Result<Value, Error> {
        Webhook::verify_header(payload, header, secret, tolerance)?;
        let text = std::str::from_utf8(payload).map_err(|_| Error::SignatureVerification {
            message: "The payload is not valid UTF-8 (webhook payloads are JSON text)".into(),
            sig_header: header.to_string(),
        })?;
        let not_event = |why: String| Error::invalid_argument(Some("payload"), why);
        // Bounded like every JSON answer a binding converts (`nesting`).
        let value =
            crate::nesting::parse(text).map_err(|e| not_event(format!("The payload is not JSON: {e}")))?;
        match value.get("object").and_then(Value::as_str) {
            Some("event") => Ok(value),
            // Thin events (v2) are read by another helper in the SDKs; these refuse them too.
            Some(other) => {
                Err(not_event(format!("The payload is a {other}, not an event (object \"event\")")))
            }
            None => Err(not_event("The payload is not an event (no \"object\": \"event\")".into())),
        }
    }

    /// Checks `header` against `payload` and `secret` now; see [`verify_header_at`].
    pub fn verify_header(
        payload: &[u8],
        header: &str,
        secret: &str,
        tolerance: Option<u64>,
    ) -> Result<(), Error> {
        verify_header_at(payload, header, secret, tolerance, now())
    }

    /// The `Stripe-Signature` header for `payload` signed with `secret` at `timestamp` (now
    /// when `None`): `t=<timestamp>,v1=<signature>`, as the SDKs' test helpers make it.
    pub fn sign(payload: impl AsRef<[u8]>, secret: &str, timestamp: Option<i64>) -> String {
        sign_header(payload.as_ref(), secret, timestamp.unwrap_or_else(now))
    }
}
