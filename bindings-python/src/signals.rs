//! Signals during a call: Ctrl-C interrupts a call that waits on the network.
//!
//! A call runs with the GIL released, so Python's signal handlers cannot run until it returns.
//! On the main thread (the only one where Python runs signal handlers), [`detach`] installs
//! the core's interrupt check for the call (`stripe_identity::http::interrupt`): whenever the
//! call has waited 50 ms without progress, the check takes the GIL for a moment and runs
//! `PyErr_CheckSignals`. When a handler raises (`KeyboardInterrupt` for Ctrl-C), the core gives
//! the call up and the handler's exception is raised here, as if the call had been Python code.
//!
//! A call that gets its answer within 50 ms never runs the check, so it costs nothing.

use pyo3::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use stripe_identity::http::interrupt::with_check;
use stripe_identity::Error;

thread_local! {
    /// Whether this thread is Python's main thread, asked once per thread.
    static MAIN: Cell<Option<bool>> = const { Cell::new(None) };
}

fn on_main_thread(py: Python<'_>) -> PyResult<bool> {
    if let Some(main) = MAIN.with(Cell::get) {
        return Ok(main);
    }
    let threading = py.import("threading")?;
    let main = threading.call_method0("main_thread")?.getattr("ident")?;
    let main = main.eq(threading.call_method0("get_ident")?)?;
    MAIN.with(|m| m.set(Some(main)));
    Ok(main)
}

/// Runs `call` with the GIL released. On the main thread, when the call goes over the network
/// (`network`; the embedded simulator never waits), a signal handler that raises while the
/// call waits interrupts it, and its exception is the `Err` returned here; otherwise the call's
/// own result is returned.
pub fn detach<T: Send>(
    py: Python<'_>,
    network: bool,
    call: impl FnOnce() -> Result<T, Error> + Send,
) -> PyResult<Result<T, Error>> {
    if !network || !on_main_thread(py)? {
        return Ok(py.detach(call));
    }
    let (result, raised) = py.detach(|| {
        let raised: Rc<RefCell<Option<PyErr>>> = Rc::default();
        let slot = raised.clone();
        let check = Rc::new(move || match Python::attach(|py| py.check_signals()) {
            Ok(()) => false,
            Err(e) => {
                *slot.borrow_mut() = Some(e);
                true
            }
        });
        let result = with_check(check, call);
        let raised = raised.borrow_mut().take();
        (result, raised)
    });
    match raised {
        // The handler's exception wins over whatever the call ended with: it is what the
        // user asked for (Ctrl-C), and the call was given up because of it.
        Some(e) => Err(e),
        None => Ok(result),
    }
}
