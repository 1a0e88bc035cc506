//! `webhook_signature`: the `Stripe-Signature` check (`core/src/webhook`) and the event it
//! guards (`Webhook::construct_event_value`).
//!
//! Input: the header's bytes, a NUL, then the payload's bytes (no NUL: all header). Checked
//! beyond "no crash":
//! - a header that verifies holds the `v1` signature this library computes for its `t`;
//! - the header this library signs for the payload at that `t` verifies, and stops verifying
//!   when one byte of the payload changes or the secret differs;
//! - a failure is always a `SignatureVerification` error (or, once verified, an invalid
//!   `payload`), never another kind; an accepted event has `object: "event"`.

use identity::webhook::{compute_signature, sign_header, verify_header_at};
use identity::{Error, ErrorKind, Webhook};

const SECRET: &str = "whsec_fuzz";

/// The `t` of a header as the SDKs read it (the first `t=` item), if any.
fn timestamp(header: &str) -> Option<i64> {
    header
        .split(',')
        .filter_map(|i| i.split_once('='))
        .find(|(k, _)| *k == "t")
        .and_then(|(_, v)| v.parse().ok())
}

pub fn run(data: &[u8]) {
    let (header, payload) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(header) = std::str::from_utf8(header) else { return };
    let now = super::START;
    match verify_header_at(payload, header, SECRET, Some(300), now) {
        Ok(()) => {
            let t = timestamp(header).expect("a header that verifies has a timestamp");
            let sig = compute_signature(payload, SECRET, t);
            assert!(header.split(',').any(|i| i == format!("v1={sig}")), "verified without our signature");
            assert!(t >= now - 300, "verified although too old");
        }
        Err(e) => assert_eq!(e.kind(), ErrorKind::SignatureVerification, "{e:?}"),
    }
    let t = timestamp(header).unwrap_or(now);
    let ours = sign_header(payload, SECRET, t);
    verify_header_at(payload, &ours, SECRET, None, now).expect("our own header verifies");
    assert!(verify_header_at(payload, &ours, "whsec_other", None, now).is_err());
    if let Some((first, rest)) = payload.split_first() {
        let changed = [&[first ^ 1][..], rest].concat();
        assert!(verify_header_at(&changed, &ours, SECRET, None, now).is_err(), "a changed byte verified");
    }
    match Webhook::construct_event_value(payload, &ours, SECRET, None) {
        Ok(event) => assert_eq!(event["object"], "event"),
        Err(Error::InvalidArgument { param, .. }) => assert_eq!(param.as_deref(), Some("payload")),
        Err(e) => assert_eq!(e.kind(), ErrorKind::SignatureVerification, "{e:?}"),
    }
}
