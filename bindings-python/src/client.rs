//! `Client`: a core [`Client`] behind a Python class, with one generic `call` for every
//! operation and control. The typed, documented methods users call
//! (`client.identity.verification_sessions.create(...)`) are thin Python in `_client.py`.
//!
//! Every call converts its arguments while holding the GIL, then releases it for the whole
//! request (network or simulator), so one client can serve many Python threads at once; on the
//! main thread, Ctrl-C still interrupts a call that waits (`signals.rs`).

use crate::answer::{answer_to_object, keep_response, text_to_object};
use crate::convert::params_to_json;
use crate::errors::to_pyerr;
use crate::pages::PyListPages;
use crate::signals;
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;
use stripe_identity::backend::Method;
use stripe_identity::client::Operation;
use stripe_identity::engine::{Clock, ManualClock, Simulator};
use stripe_identity::{Client, RequestOptions};

/// `(status, headers, body text)` of a raw request.
type RawAnswer = (u16, Vec<(String, String)>, String);

/// A Stripe Identity client: the embedded simulator (`Client.local()`) or the API over HTTP.
#[pyclass(name = "Client", module = "stripe_identity._native", frozen)]
pub struct PyClient {
    inner: Client,
}

fn options(
    idempotency_key: Option<String>,
    stripe_account: Option<String>,
    stripe_version: Option<String>,
) -> RequestOptions {
    RequestOptions { idempotency_key, stripe_account, stripe_version }
}

impl PyClient {
    /// The core client (for the other modules of the binding).
    pub(crate) fn core(&self) -> &Client {
        &self.inner
    }
}

#[pymethods]
impl PyClient {
    /// A client of the Stripe API (or of any server that speaks it, such as identity-mock).
    #[new]
    #[pyo3(signature = (
        api_key, *, base_url=None, max_network_retries=None, timeout=None,
        connect_timeout=None, stripe_version=None, stripe_account=None, ca_bundle_path=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: String,
        base_url: Option<Bound<'_, PyAny>>,
        max_network_retries: Option<Bound<'_, PyAny>>,
        timeout: Option<Bound<'_, PyAny>>,
        connect_timeout: Option<Bound<'_, PyAny>>,
        stripe_version: Option<Bound<'_, PyAny>>,
        stripe_account: Option<Bound<'_, PyAny>>,
        ca_bundle_path: Option<std::path::PathBuf>,
    ) -> PyResult<Self> {
        // The values go to the core as they are: it checks and defaults them for every
        // language (`client::settings`), a wrong type raising TypeError, a bad value ValueError.
        let settings = PyDict::new(py);
        let given = [
            ("base_url", base_url),
            ("max_network_retries", max_network_retries),
            ("timeout", timeout),
            ("connect_timeout", connect_timeout),
            ("stripe_version", stripe_version),
            ("stripe_account", stripe_account),
        ];
        for (name, value) in given {
            if let Some(value) = value {
                settings.set_item(name, value)?;
            }
        }
        // A str or any os.PathLike, as pyo3 reads a path.
        if let Some(path) = ca_bundle_path {
            settings.set_item("ca_bundle_path", path.to_string_lossy().into_owned())?;
        }
        let settings = params_to_json(Some(&settings))?;
        let version = py.version_info();
        let inner = Client::builder(api_key)
            .front_end("python", format!("{}.{}.{}", version.major, version.minor, version.patch))
            .settings(&settings)
            .and_then(|b| b.build())
            .map_err(|e| to_pyerr(py, e))?;
        Ok(PyClient { inner })
    }

    /// A client on a fresh embedded simulator: no network, no key.
    #[staticmethod]
    fn local() -> Self {
        PyClient { inner: Client::local() }
    }

    /// A client on a fresh simulator whose clock stands still at `start` (unix seconds) and
    /// moves only with the returned clock. For tests (the shared scenario files).
    #[staticmethod]
    fn _local_with_clock(start: i64) -> PyResult<(Self, PyManualClock)> {
        let clock = ManualClock::new(start).map_err(clock_error)?;
        let simulator = Arc::new(Simulator::with_clock(Arc::new(clock.clone())));
        Ok((PyClient { inner: Client::local_with(simulator) }, PyManualClock { inner: clock }))
    }

    /// Whether this client runs on the embedded simulator.
    #[getter]
    fn is_local(&self) -> bool {
        self.inner.is_local()
    }

    /// Runs an operation (`create`, `retrieve`, ..., `submit`, `fail`, ...) with the API's
    /// parameters and returns the answer as a `StripeObject`.
    #[pyo3(signature = (operation, id, params, idempotency_key=None, stripe_account=None, stripe_version=None))]
    #[allow(clippy::too_many_arguments)]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        id: Option<String>,
        params: Option<&Bound<'py, PyDict>>,
        idempotency_key: Option<String>,
        stripe_account: Option<String>,
        stripe_version: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let op = Operation::parse(operation)
            .ok_or_else(|| PyValueError::new_err(format!("unknown operation {operation:?}")))?;
        let params = params_to_json(params)?;
        let opts = options(idempotency_key, stripe_account, stripe_version);
        let client = &self.inner;
        let answer = signals::detach(py, !client.is_local(), || {
            client.call_json_response(op, id.as_deref(), params, &opts)
        })?;
        match answer {
            Ok(response) => {
                let object = answer_to_object(py, &response)?;
                // Kept raw: `last_response` (`_object.py`) builds its object only when read.
                keep_response(&object, response)?;
                Ok(object)
            }
            Err(e) => Err(to_pyerr(py, e)),
        }
    }

    /// The pages of a list (`operation`: `list`, `list_reports`), fetched lazily (one request
    /// per page), for auto-pagination; with `first` (a page already fetched with `params`),
    /// that page in walk order and then the pages that follow it.
    #[pyo3(signature = (params, first=None, idempotency_key=None, stripe_account=None, stripe_version=None, operation="list"))]
    #[allow(clippy::too_many_arguments)]
    fn list_pages(
        &self,
        py: Python<'_>,
        params: Option<&Bound<'_, PyDict>>,
        first: Option<&Bound<'_, PyDict>>,
        idempotency_key: Option<String>,
        stripe_account: Option<String>,
        stripe_version: Option<String>,
        operation: &str,
    ) -> PyResult<PyListPages> {
        let op = Operation::parse(operation)
            .ok_or_else(|| PyValueError::new_err(format!("unknown operation {operation:?}")))?;
        let params = params_to_json(params)?;
        let opts = options(idempotency_key, stripe_account, stripe_version);
        let mut pages = self.inner.list_pages_json_of(op, params, opts).map_err(|e| to_pyerr(py, e))?;
        let mut in_hand = None;
        if let Some(page) = first {
            pages.start_from(params_to_json(Some(page))?);
            // Its objects are made again from its JSON text, keys in the order the page has
            // them, as every answer's are (the core's JSON value would sort them).
            let text = py.import(intern!(py, "json"))?.call_method1(intern!(py, "dumps"), (page,))?;
            in_hand = Some(text.extract::<String>()?);
        }
        Ok(PyListPages::new(pages, in_hand, !self.inner.is_local()))
    }

    /// Sends one request as it goes on the wire (`body` already form-encoded) and returns
    /// `(status, headers, body text)` of a successful answer. For tests.
    #[pyo3(signature = (method, path, body, idempotency_key=None, stripe_account=None, stripe_version=None))]
    #[allow(clippy::too_many_arguments)]
    fn _send_raw(
        &self,
        py: Python<'_>,
        method: String,
        path: String,
        body: String,
        idempotency_key: Option<String>,
        stripe_account: Option<String>,
        stripe_version: Option<String>,
    ) -> PyResult<RawAnswer> {
        let method = Method::parse(&method)
            .ok_or_else(|| PyValueError::new_err(format!("unknown method {method:?}")))?;
        let opts = options(idempotency_key, stripe_account, stripe_version);
        let client = &self.inner;
        let response = signals::detach(py, !client.is_local(), || client.send(method, &path, body, &opts))?
            .map_err(|e| to_pyerr(py, e))?;
        let text = String::from_utf8_lossy(&response.body).into_owned();
        Ok((response.status, response.headers, text))
    }

    /// stripe-python's `raw_request`: one request to any path of the API, `params` form-encoded
    /// by the core (the query of a GET, the body of a POST). `(status, headers, body text)` of a
    /// successful answer; an error answer raises as every call does.
    #[pyo3(signature = (method, path, params=None, idempotency_key=None, stripe_account=None, stripe_version=None))]
    #[allow(clippy::too_many_arguments)]
    fn raw_request(
        &self,
        py: Python<'_>,
        method: &str,
        path: String,
        params: Option<&Bound<'_, PyDict>>,
        idempotency_key: Option<String>,
        stripe_account: Option<String>,
        stripe_version: Option<String>,
    ) -> PyResult<RawAnswer> {
        let body = stripe_identity::wire::encode(&params_to_json(params)?);
        self._send_raw(
            py,
            method.to_ascii_uppercase(),
            path,
            body,
            idempotency_key,
            stripe_account,
            stripe_version,
        )
    }

    fn __repr__(&self) -> String {
        if self.inner.is_local() {
            "<stripe_identity.Client local>".to_string()
        } else {
            "<stripe_identity.Client http>".to_string()
        }
    }
}

/// A time or step the clock refuses (out of `0..=MAX_TIME`): a `ValueError`, as Python raises
/// for a value of the right type that is out of range.
fn clock_error(e: stripe_identity::Error) -> PyErr {
    PyValueError::new_err(e.message())
}

/// The clock of a client made by `Client._local_with_clock`. For tests.
#[pyclass(name = "ManualClock", module = "stripe_identity._native", frozen)]
pub struct PyManualClock {
    inner: ManualClock,
}

#[pymethods]
impl PyManualClock {
    /// Moves the clock forward by `seconds` (0 or more); a step past the year 9999 raises
    /// `ValueError` and leaves the clock as it was.
    fn advance(&self, seconds: i64) -> PyResult<()> {
        self.inner.advance(seconds).map(drop).map_err(clock_error)
    }

    /// The clock's time, unix seconds.
    fn now(&self) -> i64 {
        self.inner.now()
    }
}

/// A `StripeObject` from the JSON text of an answer (stripe-python's `client.deserialize`).
/// Text that is not JSON, or nests deeper than the core allows, raises `ValueError`.
#[pyfunction]
pub fn _construct<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    text_to_object(py, text)
}
