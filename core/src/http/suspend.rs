//! Running a call on a thread that must never block: Node's JavaScript thread.
//!
//! [`start`] runs a function (a whole [`Client`](crate::Client) call, retries included) on a
//! stack of its own. Wherever the HTTP backend would block (waiting for a socket to become
//! readable or writable, sleeping before a retry, looking up a host name), it instead
//! suspends the call and hands the caller a [`Wait`]: the caller's event loop watches the
//! socket (or arms a timer, or runs the lookup elsewhere) and [`Suspended::resume`]s the call
//! when the wait is over. No thread is woken twice per call to run it: the thread that waits
//! for the answer is the thread that wanted it.
//!
//! Outside [`start`] nothing changes: the backend blocks as it always has (Python, C, Rust).
//!
//! Rules the code inside keeps, so that several calls may be suspended at once on one thread:
//! no suspension while a lock is held (a second call on the same thread would wait for it for
//! ever), and every wait says when it gives up, so a deadline is a timer on the caller's side.

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult, Yielder};
use std::cell::{Cell, RefCell};
use std::os::fd::RawFd;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Why a suspended call waits, and what the caller must do before it resumes it.
pub enum Wait {
    /// Until `fd` can be read (bytes, or the peer closed), or `until` has passed.
    ///
    /// `socket` names the connection behind `fd` for the life of its descriptor, never given
    /// to another: a waiter may remember what it set up for `fd` (an epoll registration, say)
    /// as long as `socket` is the same, as a closed descriptor's number can come back for
    /// another connection, with another `socket`.
    Readable { fd: RawFd, socket: u64, until: Option<Instant> },
    /// Until `fd` can be written (a connection being made), or `until` has passed.
    Writable { fd: RawFd, until: Option<Instant> },
    /// For this long (the pause before a retry).
    Sleep(Duration),
    /// Until this has run on a thread that may block (a host name lookup).
    Offload(Box<dyn FnOnce() + Send>),
}

impl std::fmt::Debug for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Wait::Readable { fd, socket, until } => write!(f, "Readable({fd}, socket {socket}, {until:?})"),
            Wait::Writable { fd, until } => write!(f, "Writable({fd}, {until:?})"),
            Wait::Sleep(d) => write!(f, "Sleep({d:?})"),
            Wait::Offload(_) => f.write_str("Offload"),
        }
    }
}

/// What a call did when it was started or resumed.
pub enum Step<T> {
    /// It finished with this.
    Done(T),
    /// It waits: do what the [`Wait`] says, then [`Suspended::resume`] it.
    Waiting(Suspended<T>, Wait),
}

/// A call that waits. Dropping it abandons the call: its stack unwinds, its connection closes.
pub struct Suspended<T> {
    coroutine: Coroutine<(), Wait, T, DefaultStack>,
}

/// The stack a call runs on. ureq, rustls and serde need far less; only the pages touched are
/// ever backed by memory.
const STACK_SIZE: usize = 1024 * 1024;
/// Stacks kept per thread for the next calls (mapping one costs three system calls).
const SPARE_STACKS: usize = 32;

thread_local! {
    /// The running call's way back to its caller; null outside a call (and while it waits).
    static CURRENT: Cell<*const Yielder<(), Wait>> = const { Cell::new(std::ptr::null()) };
    static SPARE: RefCell<Vec<DefaultStack>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` until it finishes or first waits. Where no stack can be mapped (out of memory), `f`
/// runs here to its end, blocking where it would have waited.
pub fn start<T: 'static>(f: impl FnOnce() -> T + 'static) -> Step<T> {
    let stack = match SPARE.with(|s| s.borrow_mut().pop()) {
        Some(stack) => stack,
        None => match DefaultStack::new(STACK_SIZE) {
            Ok(stack) => stack,
            Err(_) => return Step::Done(f()),
        },
    };
    let coroutine = Coroutine::with_stack(stack, move |yielder: &Yielder<(), Wait>, ()| {
        // Cleared however `f` ends, a panic included (which `resume` carries to the caller).
        struct Leave;
        impl Drop for Leave {
            fn drop(&mut self) {
                CURRENT.with(|c| c.set(std::ptr::null()));
            }
        }
        CURRENT.with(|c| c.set(yielder));
        let _leave = Leave;
        f()
    });
    Suspended { coroutine }.resume()
}

impl<T> Suspended<T> {
    /// Goes on with the call once its [`Wait`] is over (or its deadline passed: the call
    /// looks for itself which).
    pub fn resume(mut self) -> Step<T> {
        match self.coroutine.resume(()) {
            CoroutineResult::Yield(wait) => Step::Waiting(self, wait),
            CoroutineResult::Return(value) => {
                let stack = self.coroutine.into_stack();
                SPARE.with(|s| {
                    let mut spare = s.borrow_mut();
                    if spare.len() < SPARE_STACKS {
                        spare.push(stack);
                    }
                });
                Step::Done(value)
            }
        }
    }
}

/// Whether this code runs inside [`start`]: then it must [`wait`] instead of blocking.
pub(crate) fn active() -> bool {
    CURRENT.with(|c| !c.get().is_null())
}

/// Suspends the running call until `why` is over. Outside a call it returns at once; callers
/// check [`active`] first.
pub(crate) fn wait(why: Wait) {
    let yielder = CURRENT.with(|c| c.replace(std::ptr::null()));
    if yielder.is_null() {
        return;
    }
    // SAFETY: the yielder lives on the running coroutine's stack for as long as its body
    // runs, and this code runs inside that body (the pointer is cleared when it ends).
    unsafe { (*yielder).suspend(why) };
    CURRENT.with(|c| c.set(yielder));
}

/// Runs `f` where it may block: on another thread when inside a call (the caller runs it), here
/// otherwise.
pub(crate) fn offload<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    if !active() {
        return f();
    }
    let slot = Arc::new(Mutex::new(None));
    let filled = Arc::clone(&slot);
    wait(Wait::Offload(Box::new(move || {
        let value = f();
        *filled.lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
    })));
    let value = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
    value.expect("the caller resumed the call before its offloaded work ended")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives a call the way an event loop would, recording its waits.
    fn drive<T>(mut step: Step<T>, seen: &mut Vec<String>) -> T {
        loop {
            match step {
                Step::Done(value) => return value,
                Step::Waiting(call, wait) => {
                    seen.push(format!("{wait:?}"));
                    if let Wait::Offload(work) = wait {
                        std::thread::spawn(work).join().unwrap();
                    }
                    step = call.resume();
                }
            }
        }
    }

    #[test]
    fn a_call_waits_where_it_would_block_and_ends_with_its_value() {
        let mut seen = Vec::new();
        let step = start(|| {
            assert!(active());
            wait(Wait::Sleep(Duration::from_millis(5)));
            let looked_up = offload(|| std::thread::current().id());
            assert_ne!(looked_up, std::thread::current().id(), "offloaded work ran elsewhere");
            wait(Wait::Readable { fd: 7, socket: 1, until: None });
            41 + 1
        });
        assert!(!active(), "outside the call nothing is suspended");
        assert_eq!(drive(step, &mut seen), 42);
        assert_eq!(seen, ["Sleep(5ms)", "Offload", "Readable(7, socket 1, None)"]);
        assert!(!active());
        // Outside a call, offload runs in place and wait returns at once.
        assert_eq!(offload(|| 3), 3);
        wait(Wait::Sleep(Duration::from_secs(3600)));
    }

    #[test]
    fn calls_interleave_on_one_thread_and_stacks_are_reused() {
        let mut a = start(|| {
            wait(Wait::Sleep(Duration::from_millis(1)));
            "a"
        });
        let b = start(|| "b");
        assert!(matches!(b, Step::Done("b")));
        let spare_before = SPARE.with(|s| s.borrow().len());
        assert!(spare_before >= 1, "a finished call gives its stack back");
        let c = start(|| 1);
        assert!(matches!(c, Step::Done(1)));
        assert_eq!(SPARE.with(|s| s.borrow().len()), spare_before, "the next call took it again");
        if let Step::Waiting(call, _) = a {
            a = call.resume();
        }
        assert!(matches!(a, Step::Done("a")));
    }

    #[test]
    fn a_panic_reaches_the_caller_and_leaves_nothing_behind() {
        let caught = std::panic::catch_unwind(|| match start(|| -> u8 { panic!("boom") }) {
            Step::Done(_) | Step::Waiting(..) => {}
        });
        assert!(caught.is_err());
        assert!(!active());
        // An abandoned call unwinds its stack (its destructors run).
        let dropped = Arc::new(Mutex::new(false));
        let flag = Arc::clone(&dropped);
        struct SetOnDrop(Arc<Mutex<bool>>);
        impl Drop for SetOnDrop {
            fn drop(&mut self) {
                *self.0.lock().unwrap() = true;
            }
        }
        let step = start(move || {
            let _guard = SetOnDrop(flag);
            wait(Wait::Sleep(Duration::from_secs(1)));
        });
        assert!(matches!(step, Step::Waiting(..)));
        drop(step);
        assert!(*dropped.lock().unwrap());
        assert!(!active());
    }
}
