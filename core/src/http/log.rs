//! Request logging for debugging: one record per attempt, to a hook and/or stderr.
//!
//! Set `STRIPE_IDENTITY_LOG=debug` (read when the client is built) to print one line per attempt
//! on stderr, or give the builder a hook with
//! [`ClientBuilder::log_hook`](crate::ClientBuilder::log_hook). A record holds no secret: the API
//! key appears only masked (`sk_test_****abcd`), and request bodies are never logged.

use crate::backend::Method;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The environment variable that turns on logging to stderr when set to `debug`.
pub const LOG_ENV: &str = "STRIPE_IDENTITY_LOG";

/// Receives one [`AttemptLog`] per attempt. Must be cheap and must not panic.
pub type LogHook = Arc<dyn Fn(&AttemptLog) + Send + Sync>;

/// What happened in one attempt of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptLog {
    /// The method.
    pub method: Method,
    /// The path, without the query string.
    pub path: String,
    /// The HTTP status, when an answer arrived.
    pub status: Option<u16>,
    /// `Request-Id` of the answer.
    pub request_id: Option<String>,
    /// This attempt's number, from 1.
    pub attempt: u32,
    /// The most attempts this request may take (retries + 1).
    pub max_attempts: u32,
    /// How long the attempt took, answer body included.
    pub duration: Duration,
    /// Why no answer arrived (a connection error), without secrets.
    pub error: Option<String>,
    /// The wait before the next attempt, when there will be one.
    pub retry_in: Option<Duration>,
    /// The `Idempotency-Key` sent (POST only).
    pub idempotency_key: Option<String>,
    /// The API key, masked (`sk_test_****abcd`).
    pub api_key: String,
}

impl fmt::Display for AttemptLog {
    /// `stripe-identity: POST /v1/identity/verification_sessions status=200 request_id=req_1
    /// attempt=1/3 duration_ms=12 key=sk_test_****abcd`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stripe-identity: {} {}", self.method, self.path)?;
        match (self.status, &self.error) {
            (Some(status), _) => write!(f, " status={status}")?,
            (None, Some(error)) => write!(f, " error={error:?}")?,
            (None, None) => write!(f, " status=none")?,
        }
        write!(f, " request_id={}", self.request_id.as_deref().unwrap_or("-"))?;
        write!(
            f,
            " attempt={}/{} duration_ms={}",
            self.attempt,
            self.max_attempts,
            self.duration.as_millis()
        )?;
        if let Some(key) = &self.idempotency_key {
            write!(f, " idempotency_key={key}")?;
        }
        if let Some(wait) = self.retry_in {
            write!(f, " retry_in_ms={}", wait.as_millis())?;
        }
        write!(f, " key={}", self.api_key)
    }
}

/// Whether `STRIPE_IDENTITY_LOG` asks for debug lines on stderr.
pub fn env_wants_stderr() -> bool {
    std::env::var(LOG_ENV).is_ok_and(|v| v.trim().eq_ignore_ascii_case("debug"))
}
