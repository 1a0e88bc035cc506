//! Webhooks in Node: the native halves of `webhooks.constructEvent` and
//! `webhooks.generateTestHeaderString` (`webhooks.js` holds the stripe-node-shaped front door
//! and checks argument types first). Both are synchronous, as stripe-node's are: verifying is
//! one HMAC over the payload. The checks are the core's (`stripe_identity::Webhook`).

use crate::errors::{to_js_error, Failure};
use napi::bindgen_prelude::{Buffer, Either};
use napi::Env;
use napi_derive::napi;
use stripe_identity::{Error, Webhook};

fn bytes(value: &Either<String, Buffer>) -> &[u8] {
    match value {
        Either::A(s) => s.as_bytes(),
        Either::B(b) => b,
    }
}

/// Verifies `header` against `payload` and `secret` (`tolerance` seconds; 0 or absent from
/// `webhooks.js` means no age check) and returns the event as JSON text; a failure throws the
/// error `errors.js` makes (`StripeSignatureVerificationError`, or a `TypeError` naming
/// `payload` for a verified body that is not an event).
///
/// @internal
#[napi(
    js_name = "__webhookConstructEvent",
    catch_unwind,
    ts_args_type = "payload: string | Uint8Array, header: string | Uint8Array, secret: string, tolerance?: number"
)]
pub fn construct_event(
    env: Env,
    payload: Either<String, Buffer>,
    header: Either<String, Buffer>,
    secret: String,
    tolerance: Option<i64>,
) -> napi::Result<String> {
    let tolerance = tolerance.map(|t| t.max(0) as u64);
    let answer = match std::str::from_utf8(bytes(&header)) {
        Ok(h) => Webhook::construct_event_value(bytes(&payload), h, &secret, tolerance),
        Err(_) => Err(Error::SignatureVerification {
            message: "Unable to extract timestamp and signatures from header (not UTF-8)".into(),
            sig_header: String::from_utf8_lossy(bytes(&header)).into_owned(),
        }),
    };
    answer.map(|v| v.to_string()).map_err(|e| to_js_error(&env, &Failure::Core(e)))
}

/// `t=<timestamp>,v1=<hex>` for `payload` signed with `secret` at `timestamp` (unix seconds).
///
/// @internal
#[napi(
    js_name = "__webhookSign",
    catch_unwind,
    ts_args_type = "payload: string | Uint8Array, secret: string, timestamp: number"
)]
pub fn sign(payload: Either<String, Buffer>, secret: String, timestamp: i64) -> String {
    Webhook::sign(bytes(&payload), &secret, Some(timestamp))
}
