//! # stripe-identity
//!
//! Stripe Identity VerificationSessions from Rust: a typed model, one client with two backends
//! (the embedded simulator and the real API), and the simulator itself.
//!
//! ```
//! use stripe_identity::{Client, params::CreateVerificationSession, model::RequestedVerificationType};
//!
//! let client = Client::local();
//! let vs = client.verification_sessions();
//! let s = vs.create(&CreateVerificationSession {
//!     r#type: Some(RequestedVerificationType::Document),
//!     ..Default::default()
//! })?;
//! assert_eq!(s.status.as_str(), "requires_input");
//! # Ok::<(), stripe_identity::Error>(())
//! ```

pub mod api;
pub mod backend;
pub mod client;
pub mod engine;
pub mod error;
pub mod http;
pub mod model;
pub mod nesting;
pub mod params;
pub mod webhook;
pub mod wire;

pub use client::{Client, ClientBuilder, RequestOptions};
pub use error::{ApiError, Error, ErrorKind};
pub use webhook::Webhook;

/// The API version this library speaks, sent as `Stripe-Version`.
pub const API_VERSION: &str = "2026-10-28.endive";

/// The README's quickstart, run as a doctest so it cannot drift.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
