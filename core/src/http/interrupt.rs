//! Interrupting a call while it waits.
//!
//! A language front end may need to stop a call that is waiting on the network: Python must
//! raise `KeyboardInterrupt` when Ctrl-C is pressed, which it can only do once the call returns
//! to it. [`with_check`] installs, for one call on the current thread, a check that answers
//! "stop now?". The HTTP backend consults it whenever it has waited a slice of
//! [`SLICE`] (50 ms) without progress (connecting, sending, waiting for an answer, sleeping
//! before a retry) and, when it says stop, gives up the call with [`Error::Interrupted`].
//!
//! The check only runs when a wait has lasted a whole slice, never on a call that gets its
//! answer sooner, so it costs a fast call nothing. Once it has said stop, it is not asked again
//! during that call: every later wait ends at once.
//!
//! [`Error::Interrupted`]: crate::Error::Interrupted

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// How long the backend waits before it consults the check again: short enough that a stop is
/// seen within a tenth of a second, long enough that a waiting call wakes rarely.
pub const SLICE: Duration = Duration::from_millis(50);

/// A check consulted while a call waits: `true` stops the call.
pub type Check = Rc<dyn Fn() -> bool>;

thread_local! {
    static CHECK: RefCell<Option<Check>> = const { RefCell::new(None) };
    static STOPPED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with `check` as this thread's interrupt check, then restores whatever check was in
/// place before (so calls may nest, and a panic in `f` leaves nothing behind).
///
/// The check runs on this thread, from inside the call, while the call holds no lock of this
/// library; it may take as long as it needs and may itself make calls.
///
/// # Example
///
/// ```
/// use std::rc::Rc;
/// use stripe_identity::http::interrupt::with_check;
///
/// let stop_now = Rc::new(|| true);
/// let answer = with_check(stop_now, || {
///     // A call to a client here would end with `Error::Interrupted` as soon as it had
///     // waited 50 ms.
///     42
/// });
/// assert_eq!(answer, 42);
/// ```
pub fn with_check<R>(check: Check, f: impl FnOnce() -> R) -> R {
    struct Restore {
        check: Option<Check>,
        stopped: bool,
    }
    impl Drop for Restore {
        fn drop(&mut self) {
            CHECK.with(|c| *c.borrow_mut() = self.check.take());
            STOPPED.with(|s| s.set(self.stopped));
        }
    }
    let _restore = Restore {
        check: CHECK.with(|c| c.borrow_mut().replace(check)),
        stopped: STOPPED.with(|s| s.replace(false)),
    };
    f()
}

/// Whether a check is installed on this thread.
pub(crate) fn installed() -> bool {
    CHECK.with(|c| c.borrow().is_some())
}

/// Whether the current call has been told to stop (without asking the check again).
pub(crate) fn stopped() -> bool {
    STOPPED.with(Cell::get)
}

/// Asks the check, unless it already said stop during this call. `false` without a check.
pub(crate) fn should_stop() -> bool {
    if stopped() {
        return true;
    }
    // Cloned out, so no borrow is held while the check runs (it may make calls of its own).
    let Some(check) = CHECK.with(|c| c.borrow().clone()) else { return false };
    let stop = check();
    if stop {
        STOPPED.with(|s| s.set(true));
    }
    stop
}

/// Sleeps for `duration`, in slices, ending early when the check says stop. The default
/// sleeper before a retry; the caller looks at [`stopped`] afterwards.
pub(crate) fn sleep(duration: Duration) {
    #[cfg(all(unix, feature = "suspend"))]
    if super::suspend::active() {
        // A suspended call's caller keeps the time (see `suspend.rs`).
        super::suspend::wait(super::suspend::Wait::Sleep(duration));
        return;
    }
    if !installed() {
        std::thread::sleep(duration);
        return;
    }
    let until = Instant::now() + duration;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || should_stop() {
            return;
        }
        std::thread::sleep(left.min(SLICE));
    }
}

/// The I/O error a wait ends with when the check says stop.
pub(crate) fn io_error() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::Interrupted, "the call was interrupted")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn the_check_is_scoped_to_the_call_and_asked_until_it_says_stop() {
        assert!(!installed());
        assert!(!should_stop());
        let asked = Rc::new(Cell::new(0));
        let counter = asked.clone();
        let check: Check = Rc::new(move || {
            counter.set(counter.get() + 1);
            counter.get() >= 2
        });
        with_check(check, || {
            assert!(installed());
            assert!(!should_stop());
            assert!(should_stop());
            // Once stopped, the check is not asked again.
            assert!(should_stop());
            assert!(stopped());
        });
        assert_eq!(asked.get(), 2);
        assert!(!installed());
        assert!(!stopped(), "the next call starts afresh");
    }

    #[test]
    fn nested_checks_restore_the_outer_one_even_after_a_panic() {
        with_check(Rc::new(|| false), || {
            let inner = std::panic::catch_unwind(|| with_check(Rc::new(|| true), || panic!("inside")));
            assert!(inner.is_err());
            assert!(installed());
            assert!(!should_stop(), "the outer check is back");
        });
        assert!(!installed());
    }

    #[test]
    fn a_sleep_ends_when_the_check_says_stop() {
        let started = Instant::now();
        let asked = Rc::new(Cell::new(0));
        let counter = asked.clone();
        with_check(
            Rc::new(move || {
                counter.set(counter.get() + 1);
                counter.get() == 3
            }),
            || {
                sleep(Duration::from_secs(30));
                assert!(stopped());
            },
        );
        assert_eq!(asked.get(), 3, "asked once per slice until it said stop");
        // A hang guard, not a benchmark: the sleep asked for thirty seconds.
        assert!(started.elapsed() < Duration::from_secs(10));
        let started = Instant::now();
        with_check(Rc::new(|| false), || sleep(Duration::from_millis(120)));
        assert!(started.elapsed() >= Duration::from_millis(120), "without a stop the sleep is whole");
    }
}
