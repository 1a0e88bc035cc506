//! Time for the simulator, injectable so tests control it.

use crate::error::Error;
use std::fmt::Debug;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of unix time in seconds.
pub trait Clock: Send + Sync + Debug {
    /// Now, in unix seconds.
    fn now(&self) -> i64;
}

/// The system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    }
}

/// The latest time a [`ManualClock`] may show: 9999-12-31T23:59:59Z. Later times have no
/// four-digit year, and below it every sum the simulator makes with a time (expiries, ages)
/// stays far inside `i64`.
pub const MAX_TIME: i64 = 253_402_300_799;

/// A clock that only moves when told to. Clones share the same time.
///
/// Its time stays within `0..=`[`MAX_TIME`]: a start, a time or a step that would leave that
/// range is refused with [`Error::InvalidArgument`], so no session can get a negative or
/// wrapped-around `created`.
///
/// # Example
///
/// ```
/// use stripe_identity::engine::{Clock, ManualClock, MAX_TIME};
///
/// let clock = ManualClock::new(1_700_000_000)?;
/// assert_eq!(clock.advance(60)?, 1_700_000_060);
/// assert!(clock.advance(i64::MAX).is_err());
/// assert_eq!(clock.now(), 1_700_000_060, "a refused step leaves the time as it was");
/// assert!(ManualClock::new(-1).is_err() && ManualClock::new(MAX_TIME + 1).is_err());
/// # Ok::<(), stripe_identity::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock stopped at `start` (unix seconds, `0..=`[`MAX_TIME`]).
    pub fn new(start: i64) -> Result<ManualClock, Error> {
        Ok(ManualClock(Arc::new(AtomicI64::new(in_range(start, "start")?))))
    }

    /// Sets the time (unix seconds, `0..=`[`MAX_TIME`]).
    pub fn set(&self, now: i64) -> Result<(), Error> {
        self.0.store(in_range(now, "now")?, Ordering::SeqCst);
        Ok(())
    }

    /// Moves the time forward by `seconds` (0 or more) and gives the new time. A step past
    /// [`MAX_TIME`] is refused and leaves the time as it was.
    pub fn advance(&self, seconds: i64) -> Result<i64, Error> {
        if seconds < 0 {
            return Err(Error::invalid_argument(
                Some("seconds"),
                format!("the clock only moves forward: seconds must be 0 or more, got {seconds}"),
            ));
        }
        let step = |now: i64| now.checked_add(seconds).filter(|t| *t <= MAX_TIME);
        match self.0.fetch_update(Ordering::SeqCst, Ordering::SeqCst, step) {
            Ok(before) => Ok(before + seconds),
            Err(now) => Err(Error::invalid_argument(
                Some("seconds"),
                format!(
                    "moving the clock from {now} by {seconds} s would pass {MAX_TIME} \
                     (9999-12-31T23:59:59Z), the latest time it can show"
                ),
            )),
        }
    }
}

fn in_range(time: i64, param: &str) -> Result<i64, Error> {
    if (0..=MAX_TIME).contains(&time) {
        Ok(time)
    } else {
        Err(Error::invalid_argument(
            Some(param),
            format!("the clock's time must be a unix time from 0 to {MAX_TIME} (9999-12-31T23:59:59Z), got {time}"),
        ))
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = ManualClock::new(100).unwrap();
        let shared = c.clone();
        assert_eq!(c.now(), 100);
        assert_eq!(shared.advance(5).unwrap(), 105);
        assert_eq!(c.now(), 105);
        c.set(7).unwrap();
        assert_eq!(shared.now(), 7);
        assert!(SystemClock.now() > 1_700_000_000);
    }

    #[test]
    fn manual_clock_stays_within_its_range() {
        for bad in [-1, i64::MIN, MAX_TIME + 1, i64::MAX] {
            let e = ManualClock::new(bad).unwrap_err();
            assert_eq!(e.param(), Some("start"), "{bad}");
            assert!(e.message().contains(&bad.to_string()), "{e}");
        }
        let c = ManualClock::new(MAX_TIME - 10).unwrap();
        assert_eq!(c.set(-5).unwrap_err().param(), Some("now"));
        assert_eq!(c.now(), MAX_TIME - 10);
        for step in [11, i64::MAX, -1, i64::MIN] {
            let e = c.advance(step).unwrap_err();
            assert_eq!(e.param(), Some("seconds"), "{step}");
            assert_eq!(c.now(), MAX_TIME - 10, "a refused step leaves the time as it was");
        }
        assert_eq!(c.advance(10).unwrap(), MAX_TIME);
        assert_eq!(c.advance(0).unwrap(), MAX_TIME);
    }
}
