//! `stripe_identity._native`: the Rust side of the Python package `stripe_identity`.
//!
//! Only the export list lives here. The binding converts Python values to the core's JSON
//! parameters ([`convert`]), calls the core with the GIL released and Ctrl-C heard
//! ([`client`], [`pages`], [`signals`]) and
//! turns answers into `StripeObject`s straight from their text ([`answer`]) and errors into the classes of `stripe_identity._error`
//! ([`errors`]). Every rule of the API is the core's.

mod answer;
mod client;
mod completion;
mod convert;
mod errors;
mod pages;
mod signals;
mod webhook;

use pyo3::prelude::*;

/// The native module. The public API is the Python package around it.
#[pymodule]
mod _native {
    #[pymodule_export]
    use crate::answer::RawResponse;
    #[pymodule_export]
    use crate::client::_construct;
    #[pymodule_export]
    use crate::client::PyClient;
    #[pymodule_export]
    use crate::client::PyManualClock;
    #[pymodule_export]
    use crate::completion::PyCompletions;
    #[pymodule_export]
    use crate::pages::PyListPages;
    #[pymodule_export]
    use crate::webhook::{_on_event, _sign, _verify_and_construct};

    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", stripe_identity::VERSION)?;
        m.add("API_VERSION", stripe_identity::API_VERSION)?;
        Ok(())
    }
}

/// The module's Rust allocations (a call makes about sixty, most inside ureq) go to mimalloc:
/// with glibc's malloc and free a retrieve against fixed-server cost the process 54,566
/// instructions, with mimalloc 49,355 (BENCHMARKS.md, "Cost per call: what changed").
/// mimalloc has no fork handlers; its allocations and frees take no lock (only its set-up, its
/// messages and the segments of exited threads do), and a forked child goes on with its own
/// thread's heap (`tests/test_fork.py` forks while threads call). pydantic-core ships it the
/// same way.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
