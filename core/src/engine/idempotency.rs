//! The rule for idempotency keys, the same for every backend and every client
//! ([`crate::backend::idempotency_key_is_sendable`] is the character test both use).
//!
//! A key is 1 to 255 printable ASCII characters: bytes 0x20 (space) to 0x7E (`~`). The
//! simulator answers any other key with a 400 `invalid_request_error`, `param`
//! `Idempotency-Key`, and acts on nothing; the answer is not stored, so the same call may be
//! retried with a good key. An empty `Idempotency-Key` header counts as no key.
//!
//! `identity-mock` hands header values to the simulator decoded lossily, so a key sent as raw
//! UTF-8 (or any byte above 0x7E) reaches this check and is refused rather than dropped.

use super::errors::{self, Failure};

/// Most characters in an idempotency key.
pub const MAX_KEY_CHARS: usize = 255;

/// Checks a non-empty key against the rule.
///
/// # Errors
///
/// [`errors::idempotency_key_too_long`] past [`MAX_KEY_CHARS`] characters, else
/// [`errors::idempotency_key_invalid`] when a character is not printable ASCII.
///
/// # Example
///
/// ```
/// use stripe_identity::engine::idempotency::check_key;
///
/// assert!(check_key("order-42 retry #1").is_ok());
/// assert!(check_key(&"k".repeat(255)).is_ok());
/// assert!(check_key(&"k".repeat(256)).is_err());
/// let refused = check_key("commande-été").unwrap_err();
/// assert_eq!(refused.status, 400);
/// assert_eq!(refused.error.param.as_deref(), Some("Idempotency-Key"));
/// ```
pub fn check_key(key: &str) -> Result<(), Failure> {
    if key.chars().count() > MAX_KEY_CHARS {
        return Err(errors::idempotency_key_too_long());
    }
    // The client refuses such a key before sending, by the same test.
    if !crate::backend::idempotency_key_is_sendable(key) {
        return Err(errors::idempotency_key_invalid());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_only() {
        for good in [" ", "~", "a b", "stripe-identity-retry-2f1c", &"x".repeat(MAX_KEY_CHARS)] {
            assert!(check_key(good).is_ok(), "{good:?}");
        }
        for bad in ["tab\there", "nl\n", "del\u{7f}", "é", "\u{fffd}", "日本", "nul\0"] {
            let f = check_key(bad).unwrap_err();
            assert_eq!(f.error.param.as_deref(), Some("Idempotency-Key"), "{bad:?}");
            assert!(!f.executed);
            assert!(f.error.message.as_deref().unwrap().contains("printable ASCII"), "{bad:?}");
        }
        let long = check_key(&"x".repeat(MAX_KEY_CHARS + 1)).unwrap_err();
        assert!(long.error.message.as_deref().unwrap().contains("at most 255"));
    }
}
