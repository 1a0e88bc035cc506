//! The Node binding of stripe-identity: the npm package `stripe-identity`, built by napi-rs.
//!
//! Everything the API means lives in the core crate; this crate only converts JavaScript
//! values to the core's JSON front door ([`stripe_identity::Client::call_json`]) and back, and
//! runs every call on libuv's thread pool as an `AsyncTask`, so each operation is a Promise and
//! the JavaScript thread never waits for the network.
//!
//! The hand-written `index.js` re-exports the classes below, registers the error factory of
//! `errors.js` (see [`errors`]), and makes [`sessions::JsListAutoPaging`] async-iterable.

mod client;
mod convert;
mod errors;
mod events;
#[cfg(target_os = "linux")]
mod on_loop;
mod reports;
mod sessions;
mod task;
// Under `cargo test` napi-derive registers nothing, so nothing calls its functions there.
#[cfg_attr(test, allow(dead_code))]
mod webhook;
mod webhook_endpoints;
// After the modules of the classes it adds methods to: napi-rs gives an impl block the
// JavaScript name of its struct only once the struct has been seen.
mod operations;
