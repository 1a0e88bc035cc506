//! The Node binding of stripe-identity: the npm package `stripe-identity`, built by napi-rs.
//!
//! Everything the API means lives in the core crate; this crate only converts JavaScript
//! values to the core's JSON front door ([`stripe_identity::Client::call_json`]) and back. Each
//! operation is a Promise: a call over HTTP runs on the JavaScript thread and waits for its
//! socket on Node's event loop (`on_loop.rs`); any other runs on libuv's thread pool as an
//! `AsyncTask` (`task.rs`). The JavaScript thread never blocks on the network.
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

/// The addon's Rust allocations (a call makes about sixty, most inside ureq) go to mimalloc: the
/// addon and libc run 13-18% fewer instructions per call than with glibc's malloc and free
/// (BENCHMARKS.md, "Cost per call: what changed").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
