//! Fault injection: `--fault-rate F --fault-seed N --faults KINDS`.
//!
//! For a share `F` of requests the server picks one of the enabled kinds, uniformly:
//!
//! | kind | what happens |
//! | --- | --- |
//! | `drop_before` | the connection is closed before the request is acted on |
//! | `drop_after` | the request is acted on, then the connection is closed without an answer |
//! | `500` | `500 api_error`, before acting |
//! | `503` | `503 api_error`, before acting |
//! | `429` | `429 lock_timeout` with `Stripe-Should-Retry: true`, before acting |
//!
//! `drop_after` is what idempotency keys are for: the SDKs retry a POST with the same key and
//! get the stored answer, so nothing is created twice.

use parking_lot::Mutex;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::fmt;
use std::str::FromStr;
use stripe_identity::error::ErrorObject;

/// One kind of fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// Close the connection before acting.
    DropBefore,
    /// Act, then close the connection without answering.
    DropAfter,
    /// Answer 500 before acting.
    Status500,
    /// Answer 503 before acting.
    Status503,
    /// Answer 429 `lock_timeout` with `Stripe-Should-Retry: true`, before acting.
    LockTimeout429,
}

impl Fault {
    /// Every kind, in the order of the table above.
    pub const ALL: [Fault; 5] =
        [Fault::DropBefore, Fault::DropAfter, Fault::Status500, Fault::Status503, Fault::LockTimeout429];

    /// The name used by `--faults`.
    pub fn name(self) -> &'static str {
        match self {
            Fault::DropBefore => "drop_before",
            Fault::DropAfter => "drop_after",
            Fault::Status500 => "500",
            Fault::Status503 => "503",
            Fault::LockTimeout429 => "429",
        }
    }

    /// The answer of a fault that answers; `None` for the kinds that close the connection.
    pub fn answer(self) -> Option<FaultAnswer> {
        let api_error = |message: &str| ErrorObject {
            error_type: "api_error".into(),
            message: Some(message.into()),
            ..Default::default()
        };
        match self {
            Fault::DropBefore | Fault::DropAfter => None,
            Fault::Status500 => Some(FaultAnswer {
                status: 500,
                headers: &[],
                error: api_error(
                    "An unknown error occurred (identity-mock injected fault). Nothing was done; the \
                     request may be retried.",
                ),
            }),
            Fault::Status503 => Some(FaultAnswer {
                status: 503,
                headers: &[],
                error: api_error(
                    "The service is temporarily unavailable (identity-mock injected fault). Nothing was \
                     done; the request may be retried.",
                ),
            }),
            Fault::LockTimeout429 => Some(FaultAnswer {
                status: 429,
                headers: &[("Stripe-Should-Retry", "true")],
                error: ErrorObject::invalid_request(
                    Some("lock_timeout"),
                    "This object cannot be accessed right now because another API request or Stripe \
                     process is currently accessing it. If you see this error intermittently, retry the \
                     request. If you see this error frequently and are making multiple concurrent requests \
                     to a single object, make your requests serially or at a lower rate. (identity-mock \
                     injected fault)",
                    None,
                ),
            }),
        }
    }
}

/// What a fault that answers sends back.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultAnswer {
    /// HTTP status.
    pub status: u16,
    /// Headers besides `Request-Id` and `Content-Type`.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body's `error`.
    pub error: ErrorObject,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Fault, String> {
        Fault::ALL.into_iter().find(|f| f.name() == s.trim()).ok_or_else(|| {
            let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
            format!("unknown fault {s:?}; expected one of {}", names.join(", "))
        })
    }
}

/// Parses `drop_before,500,429`. An empty list is refused.
pub fn parse_list(s: &str) -> Result<Vec<Fault>, String> {
    let mut kinds = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let fault: Fault = part.parse()?;
        if !kinds.contains(&fault) {
            kinds.push(fault);
        }
    }
    if kinds.is_empty() {
        return Err("the list of faults is empty".into());
    }
    Ok(kinds)
}

/// How often and which faults to inject.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Share of requests that get a fault, 0..=1.
    pub rate: f64,
    /// Seed of the draw; the same seed gives the same sequence of draws.
    pub seed: u64,
    /// The kinds to pick from (uniformly).
    pub kinds: Vec<Fault>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig { rate: 0.0, seed: 0, kinds: Fault::ALL.to_vec() }
    }
}

/// The draw: one per request, from a seeded generator.
#[derive(Debug)]
pub struct Faults {
    rate: f64,
    kinds: Vec<Fault>,
    rng: Mutex<SmallRng>,
}

impl Faults {
    /// A draw for that configuration; `None` when it never faults.
    pub fn new(config: &FaultConfig) -> Result<Option<Faults>, String> {
        if !(0.0..=1.0).contains(&config.rate) || config.rate.is_nan() {
            return Err(format!("fault rate must be between 0 and 1, got {}", config.rate));
        }
        if config.kinds.is_empty() {
            return Err("the list of faults is empty".into());
        }
        if config.rate == 0.0 {
            return Ok(None);
        }
        Ok(Some(Faults {
            rate: config.rate,
            kinds: config.kinds.clone(),
            rng: Mutex::new(SmallRng::seed_from_u64(config.seed)),
        }))
    }

    /// Draws for one request.
    pub fn draw(&self) -> Option<Fault> {
        let mut rng = self.rng.lock();
        if rng.random::<f64>() >= self.rate {
            return None;
        }
        Some(self.kinds[rng.random_range(0..self.kinds.len())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists() {
        assert_eq!(
            parse_list("drop_before, 500,429,500"),
            Ok(vec![Fault::DropBefore, Fault::Status500, Fault::LockTimeout429])
        );
        assert!(parse_list("").is_err());
        assert!(parse_list("404").is_err());
        let all: Vec<String> = Fault::ALL.iter().map(|f| f.to_string()).collect();
        assert_eq!(parse_list(&all.join(",")), Ok(Fault::ALL.to_vec()));
    }

    #[test]
    fn draws_the_share_asked_for_and_is_repeatable() {
        let config = FaultConfig { rate: 0.3, seed: 7, kinds: Fault::ALL.to_vec() };
        let faults = Faults::new(&config).unwrap().unwrap();
        let draws: Vec<Option<Fault>> = (0..10_000).map(|_| faults.draw()).collect();
        let hit = draws.iter().filter(|d| d.is_some()).count();
        assert!((2_700..3_300).contains(&hit), "{hit}");
        for kind in Fault::ALL {
            assert!(draws.contains(&Some(kind)), "{kind} never drawn");
        }
        let again = Faults::new(&config).unwrap().unwrap();
        let replay: Vec<Option<Fault>> = (0..10_000).map(|_| again.draw()).collect();
        assert_eq!(draws, replay);
    }

    #[test]
    fn refuses_bad_rates() {
        for rate in [-0.1, 1.5, f64::NAN] {
            assert!(Faults::new(&FaultConfig { rate, ..Default::default() }).is_err());
        }
        assert!(Faults::new(&FaultConfig::default()).unwrap().is_none());
        let always = Faults::new(&FaultConfig { rate: 1.0, ..Default::default() }).unwrap().unwrap();
        assert!((0..100).all(|_| always.draw().is_some()));
    }
}
