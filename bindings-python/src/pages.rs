//! The lazy pages of a list, as a Python iterator over the core's [`ListPages`].
//! Pagination (cursors, direction, when to stop) is the core's; this only steps it.

use crate::convert::to_stripe_object;
use crate::errors::to_pyerr;
use crate::signals;
use pyo3::prelude::*;
use std::sync::Mutex;
use stripe_identity::client::ListPages;

/// An iterator of list pages (`ListObject`s), one request per page, made by
/// `Client.list_pages`.
#[pyclass(name = "ListPages", module = "stripe_identity._native", frozen)]
pub struct PyListPages {
    pages: Mutex<ListPages>,
    /// Whether the pages come over the network (so Ctrl-C must be heard while one is fetched).
    network: bool,
}

impl PyListPages {
    pub fn new(pages: ListPages, network: bool) -> Self {
        PyListPages { pages: Mutex::new(pages), network }
    }
}

#[pymethods]
impl PyListPages {
    /// Whether the pages go backwards (`ending_before`), each one oldest first.
    #[getter]
    fn backward(&self) -> bool {
        self.pages.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).backward()
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        // The lock is taken with the GIL released: a thread waiting for it must not hold the
        // GIL that the thread fetching a page needs to come back.
        let next = signals::detach(py, self.network, || {
            let mut pages = self.pages.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            pages.next().transpose()
        })?;
        match next {
            Ok(None) => Ok(None),
            Ok(Some(page)) => to_stripe_object(py, &page).map(Some),
            Err(e) => Err(to_pyerr(py, e)),
        }
    }
}
