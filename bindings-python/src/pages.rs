//! The lazy pages of a list, as a Python iterator over the core's [`ListPages`].
//! Pagination (cursors, direction, when to stop) is the core's; this only steps it, decoding
//! each page straight into Python objects and telling the core what the page says.

use crate::answer::{answer_to_object, text_to_object, to_stripe_object};
use crate::errors::to_pyerr;
use crate::signals;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use std::sync::Mutex;
use stripe_identity::client::{ListPages, NextPage, PageCursor};

/// An iterator of list pages (`ListObject`s), one request per page, made by
/// `Client.list_pages`.
#[pyclass(name = "ListPages", module = "stripe_identity._native", frozen)]
pub struct PyListPages {
    pages: Mutex<ListPages>,
    /// The JSON text of the page the walk starts from, if it starts from one in hand.
    in_hand: Mutex<Option<String>>,
    /// Whether the pages come over the network (so Ctrl-C must be heard while one is fetched).
    network: bool,
}

impl PyListPages {
    pub fn new(pages: ListPages, in_hand: Option<String>, network: bool) -> Self {
        PyListPages { pages: Mutex::new(pages), in_hand: Mutex::new(in_hand), network }
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
        // GIL that the thread fetching a page needs to come back. It is held while the page is
        // decoded (with the GIL taken again), so the cursor is past this page before another
        // thread asks for the next.
        let next = signals::detach(py, self.network, || {
            let mut pages = self.pages.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let next = pages.next_answer();
            let in_hand = &self.in_hand;
            Ok(next.map(|next| Python::attach(|py| page(py, &mut pages, in_hand, next).map(Bound::unbind))))
        })?;
        match next {
            Ok(None) => Ok(None),
            Ok(Some(page)) => page.map(|p| Some(p.into_bound(py))),
            Err(e) => Err(to_pyerr(py, e)),
        }
    }
}

/// The page `next` gives as a `ListObject`, in walk order; the walk is stepped past it.
fn page<'py>(
    py: Python<'py>,
    pages: &mut ListPages,
    in_hand: &Mutex<Option<String>>,
    next: Result<NextPage, stripe_identity::Error>,
) -> PyResult<Bound<'py, PyAny>> {
    let page = match next {
        Err(e) => return Err(to_pyerr(py, e)),
        Ok(NextPage::InHand(page)) => {
            // The core already stepped past it and put it in walk order; the text keeps the
            // page's own key order.
            match in_hand.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take() {
                Some(text) => text_to_object(py, &text)?,
                None => return to_stripe_object(py, &page),
            }
        }
        Ok(NextPage::Answer(response)) => {
            let page = answer_to_object(py, &response);
            let cursor = page.as_ref().ok().map(|page| cursor(py, page)).transpose();
            pages.step(cursor.as_ref().ok().and_then(Option::clone));
            let (page, _) = (page?, cursor?);
            page
        }
    };
    if pages.backward() {
        // Backwards, each page oldest first, as the SDKs give them.
        if let Some(data) = page.cast::<PyDict>()?.get_item(intern!(py, "data"))? {
            if let Ok(data) = data.cast::<PyList>() {
                data.reverse()?;
            }
        }
    }
    Ok(page)
}

/// What the walk needs from a page: `has_more` and the ids at both ends of `data`.
fn cursor(py: Python<'_>, page: &Bound<'_, PyAny>) -> PyResult<PageCursor> {
    let page = page.cast::<PyDict>()?;
    let has_more = match page.get_item(intern!(py, "has_more"))? {
        Some(v) => v.cast::<PyBool>().is_ok_and(|b| b.is_true()),
        None => false,
    };
    let data = page.get_item(intern!(py, "data"))?;
    let data = data.as_ref().and_then(|d| d.cast::<PyList>().ok());
    let id = |index: isize| -> PyResult<Option<String>> {
        let Some(data) = data else { return Ok(None) };
        let len = data.len() as isize;
        if len == 0 {
            return Ok(None);
        }
        let item = data.get_item(index.rem_euclid(len) as usize)?;
        let Ok(item) = item.cast::<PyDict>() else { return Ok(None) };
        match item.get_item(intern!(py, "id"))? {
            Some(id) => Ok(id.cast::<PyString>().ok().map(|s| s.to_string_lossy().into_owned())),
            None => Ok(None),
        }
    };
    Ok(PageCursor { has_more, first_id: id(0)?, last_id: id(-1)? })
}
