//! `Client`: a core [`Client`] behind a Python class, with one generic `call` for every
//! operation and control. The typed, documented methods users call
//! (`client.identity.verification_sessions.create(...)`) are thin Python in `_client.py`.
//!
//! Every call converts its arguments while holding the GIL, then releases it for the whole
//! request (network or simulator), so one client can serve many Python threads at once; on the
//! main thread, Ctrl-C still interrupts a call that waits (`signals.rs`).

use crate::convert::{params_to_json, to_stripe_object};
use crate::errors::to_pyerr;
use crate::pages::PyListPages;
use crate::signals;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Arc;
use std::time::Duration;
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
        connect_timeout=None, stripe_version=None, stripe_account=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: String,
        base_url: Option<String>,
        max_network_retries: Option<i64>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        stripe_version: Option<String>,
        stripe_account: Option<String>,
    ) -> PyResult<Self> {
        let version = py.version_info();
        let mut b = Client::builder(api_key)
            .front_end("python", format!("{}.{}.{}", version.major, version.minor, version.patch));
        if let Some(url) = base_url {
            b = b.base_url(url);
        }
        if let Some(n) = max_network_retries {
            let n = u32::try_from(n).map_err(|_| {
                PyValueError::new_err(format!("max_network_retries must be 0 or more, not {n}"))
            })?;
            b = b.max_network_retries(n);
        }
        if let Some(t) = timeout {
            b = b.timeout(seconds(t, "timeout")?);
        }
        if let Some(t) = connect_timeout {
            b = b.connect_timeout(seconds(t, "connect_timeout")?);
        }
        if let Some(v) = stripe_version {
            b = b.stripe_version(v);
        }
        if let Some(a) = stripe_account {
            b = b.stripe_account(a);
        }
        let inner = b.build().map_err(|e| to_pyerr(py, e))?;
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
        let answer =
            signals::detach(py, !client.is_local(), || client.call_json(op, id.as_deref(), params, &opts))?;
        match answer {
            Ok(value) => to_stripe_object(py, &value),
            Err(e) => Err(to_pyerr(py, e)),
        }
    }

    /// The pages of a list (`operation`: `list`, `list_reports`), fetched lazily (one request
    /// per page), for auto-pagination; with `after` (a page already fetched with `params`), the
    /// pages that follow it.
    #[pyo3(signature = (params, after=None, idempotency_key=None, stripe_account=None, stripe_version=None, operation="list"))]
    #[allow(clippy::too_many_arguments)]
    fn list_pages(
        &self,
        py: Python<'_>,
        params: Option<&Bound<'_, PyDict>>,
        after: Option<&Bound<'_, PyDict>>,
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
        if let Some(page) = after {
            pages.resume_after(&params_to_json(Some(page))?);
        }
        Ok(PyListPages::new(pages, !self.inner.is_local()))
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

    fn __repr__(&self) -> String {
        if self.inner.is_local() {
            "<stripe_identity.Client local>".to_string()
        } else {
            "<stripe_identity.Client http>".to_string()
        }
    }
}

fn seconds(value: f64, name: &str) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        PyValueError::new_err(format!("{name} must be a finite number of seconds, 0 or more, not {value}"))
    })
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
