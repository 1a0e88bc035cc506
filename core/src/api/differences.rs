//! Where this library deliberately differs from Stripe's OpenAPI spec, each once, with its
//! reason. `core/tests/openapi.rs` fails on any difference not listed here, and on any entry
//! here that no longer differs.

/// One deliberate difference: `at` is the line the OpenAPI test prints for it.
#[derive(Debug)]
pub struct Difference {
    /// What differs, as the test names it.
    pub at: &'static str,
    /// Why.
    pub reason: &'static str,
}

/// Every deliberate difference.
pub static DIFFERENCES: &[Difference] = &[];
