//! The fuzz targets' harnesses, one module per front door; `fuzz_targets/*.rs` only hand
//! libFuzzer's bytes to them.
//!
//! Inputs are small text formats rather than opaque bytes, so the checked-in seeds
//! (`seeds/<target>/`) read like the requests they stand for, and libFuzzer's dictionary and
//! comparison tracing mutate them into near-misses of real requests. The formats are written in
//! [`script`] and in each module.
//!
//! Each harness checks more than "no crash": every answer must have the API's shape (a JSON
//! object; an error object with a type and a message; only the statuses the simulator uses), so
//! a silent wrong answer fails as loudly as a panic.

pub mod c_api;
pub mod engine;
pub mod form;
pub mod params;
pub mod script;
pub mod server;
pub mod webhook;

/// The clock every simulator starts at, as the scenario files do.
pub const START: i64 = 1_700_000_000;
