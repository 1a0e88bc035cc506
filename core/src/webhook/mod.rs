//! Webhook signatures: the `Stripe-Signature` header that signs every event delivery.
//!
//! The header is `t=<unix seconds>,v1=<hex>`; the `v1` value is HMAC-SHA256 of
//! `"<t>.<payload>"`, keyed with the endpoint secret as it is written (the whole `whsec_...`
//! string, not decoded). identity-mock signs its deliveries with [`sign_header`].

mod signature;

pub use signature::{compute_signature, sign_header, SCHEME};
