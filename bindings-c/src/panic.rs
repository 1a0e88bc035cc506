//! The one boundary every `extern "C"` body goes through: a Rust panic must never unwind into C
//! (that is undefined behaviour), so it is caught here and becomes `SI_ERR_INTERNAL` (or, for
//! an accessor, its "nothing" value: NULL, 0, false).

use super::errors::{si_error, si_result};
use super::ffi::write_error;
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs an `extern "C"` body inside the panic boundary.
///
/// - `ffi_boundary!(err_out, { ...; Ok(()) })`: a fallible function. The body returns
///   `Result<(), Box<si_error>>`; the macro gives the `si_result` and, on failure, hands the
///   error to `err_out` (a `*mut *mut si_error` that may be NULL).
/// - `ffi_boundary!({ ... })`: an accessor or a `_free`. A panic gives the type's
///   [`PanicDefault`].
macro_rules! ffi_boundary {
    ($err_out:expr, $body:block) => {
        super::panic::status_boundary($err_out, move || $body)
    };
    ($body:block) => {
        super::panic::value_boundary(move || $body)
    };
}

/// Catches a panic, and returns its message instead.
fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    // AssertUnwindSafe: after a panic nothing the closure touched is used again; the caller
    // only gets a status and a fresh error.
    catch_unwind(AssertUnwindSafe(f)).map_err(panic_message)
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string());
    format!("internal error in stripe-identity (please report it): {what}")
}

/// The body of a fallible function: `SI_OK`, or the error's status with the error written to
/// `err_out`, or `SI_ERR_INTERNAL` after a panic.
pub(crate) fn status_boundary(
    err_out: *mut *mut si_error,
    f: impl FnOnce() -> Result<(), Box<si_error>>,
) -> si_result {
    let error = match catch(f) {
        Ok(Ok(())) => return si_result::SI_OK,
        Ok(Err(error)) => error,
        Err(message) => Box::new(si_error::internal(message)),
    };
    let status = error.status;
    // Writing the error could only panic on an allocation failure, which aborts anyway.
    unsafe { write_error(err_out, error) };
    status
}

/// The body of an accessor or a `_free`: its value, or [`PanicDefault`] after a panic.
pub(crate) fn value_boundary<T: PanicDefault>(f: impl FnOnce() -> T) -> T {
    catch(f).unwrap_or_else(|_| T::panic_default())
}

/// What an infallible function returns when its body panicked.
pub(crate) trait PanicDefault {
    /// The "nothing" value: NULL, 0, false, ().
    fn panic_default() -> Self;
}

impl<T> PanicDefault for *const T {
    fn panic_default() -> Self {
        std::ptr::null()
    }
}

impl<T> PanicDefault for *mut T {
    fn panic_default() -> Self {
        std::ptr::null_mut()
    }
}

impl PanicDefault for si_result {
    fn panic_default() -> Self {
        si_result::SI_ERR_INTERNAL
    }
}

macro_rules! panic_default_zero {
    ($($t:ty),*) => { $(impl PanicDefault for $t { fn panic_default() -> Self { Default::default() } })* };
}
panic_default_zero!(bool, usize, i64, u16, ());
