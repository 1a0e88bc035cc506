//! Verifying a `Stripe-Signature` header, as stripe-python's `WebhookSignature.verify_header`
//! and stripe-node's `webhooks.signature.verifyHeader` do (facts §9), with their messages.

use super::signature::SCHEME;
use crate::error::Error;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Seconds a signature stays acceptable by default, as in both official SDKs.
pub const DEFAULT_TOLERANCE: u64 = 300;

/// Checks `header` against `payload` and `secret` at time `now` (unix seconds).
///
/// The header is `,`-separated `key=value` items: one `t` (the timestamp) and any number of
/// `v1` signatures; `v0` and unknown schemes are ignored. It verifies when any `v1` equals the
/// lowercase hex HMAC-SHA256 of `"{t}.{payload}"` keyed with the whole secret string (compared
/// in constant time by `hmac`), and, when `tolerance` is neither `None` nor 0, `t` is at most
/// `tolerance` seconds old. Timestamps in the future pass, as in the SDKs.
///
/// The work is linear in the header's and payload's length, whatever they hold.
pub fn verify_header_at(
    payload: &[u8],
    header: &str,
    secret: &str,
    tolerance: Option<u64>,
    now: i64,
) -> Result<(), Error> {
    let fail = |message: String| Error::SignatureVerification { message, sig_header: header.to_string() };
    // stripe-python 16.1.0's first two checks, with its words.
    if header.is_empty() {
        return Err(fail(
            "No Stripe-Signature header value was provided. Read it from the incoming request's headers and pass it in."
                .into(),
        ));
    }
    if secret.trim().is_empty() {
        return Err(fail("No webhook secret value was provided. It should start with `whsec_`".into()));
    }
    let items = header.split(',').map(|item| item.split_once('=').unwrap_or((item, "")));
    let timestamp = items.clone().find(|(k, _)| *k == "t").and_then(|(_, v)| v.parse::<i64>().ok());
    let Some(timestamp) = timestamp else {
        return Err(fail("Unable to extract timestamp and signatures from header".into()));
    };
    let mut signatures = items.filter(|(k, _)| *k == SCHEME).map(|(_, v)| v).peekable();
    if signatures.peek().is_none() {
        return Err(fail(format!("No signatures found with expected scheme {SCHEME}")));
    }
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    // The SDKs compare lowercase hex text; only such text can match here too.
    let matches = signatures.any(|sig| {
        let lower_hex = sig.len() == 64 && sig.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        lower_hex && hex::decode(sig).is_ok_and(|bytes| mac.clone().verify_slice(&bytes).is_ok())
    });
    if !matches {
        return Err(fail("No signatures found matching the expected signature for payload".into()));
    }
    if let Some(tolerance) = tolerance.filter(|t| *t > 0) {
        let tolerance = i64::try_from(tolerance).unwrap_or(i64::MAX);
        if timestamp < now.saturating_sub(tolerance) {
            return Err(fail(format!("Timestamp outside the tolerance zone ({timestamp})")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::sign_header;

    const SECRET: &str = "whsec_test";

    fn message(r: Result<(), Error>) -> String {
        match r {
            Err(Error::SignatureVerification { message, .. }) => message,
            other => panic!("expected a signature error, got {other:?}"),
        }
    }

    #[test]
    fn accepts_its_own_signature_and_any_matching_v1() {
        let h = sign_header(b"{}", SECRET, 1000);
        verify_header_at(b"{}", &h, SECRET, Some(300), 1000).unwrap();
        let sig = h.split_once("v1=").unwrap().1;
        let rolled = format!("t=1000,v1={},v0=abc,v2=zz,v1={sig}", "0".repeat(64));
        verify_header_at(b"{}", &rolled, SECRET, Some(300), 1000).unwrap();
    }

    #[test]
    fn refuses_with_the_sdks_messages() {
        let h = sign_header(b"{}", SECRET, 1000);
        let sig = h.split_once("v1=").unwrap().1.to_string();
        let at = |header: &str, payload: &[u8], secret: &str| {
            message(verify_header_at(payload, header, secret, Some(300), 1000))
        };
        let garbled = "Unable to extract timestamp and signatures from header";
        assert!(at("", b"{}", SECRET).starts_with("No Stripe-Signature header value was provided"));
        assert!(at(&h, b"{}", " ").starts_with("No webhook secret value was provided"));
        assert_eq!(at(",", b"{}", SECRET), garbled);
        assert_eq!(at("v1=abc", b"{}", SECRET), garbled);
        assert_eq!(at("t=x,v1=abc", b"{}", SECRET), garbled);
        assert_eq!(at("t=1000", b"{}", SECRET), "No signatures found with expected scheme v1");
        assert_eq!(
            at(&format!("t=1000,v0={sig}"), b"{}", SECRET),
            "No signatures found with expected scheme v1"
        );
        let mismatch = "No signatures found matching the expected signature for payload";
        assert_eq!(at(&h, b"{}", "whsec_other"), mismatch);
        assert_eq!(at(&h, b"{ }", SECRET), mismatch);
        assert_eq!(at(&h.to_uppercase().replace("T=", "t=").replace("V1=", "v1="), b"{}", SECRET), mismatch);
        assert_eq!(at(&format!("t=1001,v1={sig}"), b"{}", SECRET), mismatch);
    }

    #[test]
    fn tolerance_refuses_old_accepts_future_and_zero_disables() {
        let h = sign_header(b"{}", SECRET, 1000);
        verify_header_at(b"{}", &h, SECRET, Some(300), 1300).unwrap();
        assert_eq!(
            message(verify_header_at(b"{}", &h, SECRET, Some(300), 1301)),
            "Timestamp outside the tolerance zone (1000)"
        );
        verify_header_at(b"{}", &h, SECRET, Some(300), 0).unwrap();
        verify_header_at(b"{}", &h, SECRET, Some(0), i64::MAX).unwrap();
        verify_header_at(b"{}", &h, SECRET, None, i64::MAX).unwrap();
        verify_header_at(b"{}", &h, SECRET, Some(u64::MAX), i64::MAX).unwrap();
    }

    #[test]
    fn megabyte_headers_and_payloads_are_refused_cleanly() {
        let big = format!("t=1000,{}", "v1=ab,".repeat(200_000));
        assert!(big.len() > 1 << 20);
        assert!(message(verify_header_at(b"{}", &big, SECRET, Some(300), 1000))
            .starts_with("No signatures found matching"));
        let payload = vec![b'x'; 2 << 20];
        let h = sign_header(&payload, SECRET, 1000);
        verify_header_at(&payload, &h, SECRET, Some(300), 1000).unwrap();
        assert!(verify_header_at(&payload[1..], &h, SECRET, Some(300), 1000).is_err());
    }
}
