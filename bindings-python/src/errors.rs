//! The one place where a core [`Error`] becomes a Python exception.
//!
//! The classes are plain Python (`stripe_identity/_error.py`, shaped like stripe-python's
//! `stripe/_error.py`); this module only picks the class by [`ErrorKind`] and fills in the
//! fields the core read from the answer. An argument refused before sending is Python's own
//! `TypeError` for a wrong type ([`ErrorKind::InvalidType`]) and `ValueError` for a bad value
//! ([`ErrorKind::InvalidArgument`]), with the API's name of the parameter in its message and in
//! a `param` attribute.

use crate::convert::to_plain;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use serde_json::Value;
use stripe_identity::{Error, ErrorKind};

/// `stripe_identity._error`, imported once.
static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The Python class that stands for each kind of error.
fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidRequest => "InvalidRequestError",
        ErrorKind::Authentication => "AuthenticationError",
        ErrorKind::Permission => "PermissionError",
        ErrorKind::RateLimit => "RateLimitError",
        ErrorKind::Idempotency => "IdempotencyError",
        ErrorKind::Card => "CardError",
        ErrorKind::ApiConnection => "APIConnectionError",
        // stripe-python raises APIError for an answer it cannot read, too.
        ErrorKind::Api | ErrorKind::Decode => "APIError",
        ErrorKind::SignatureVerification => "SignatureVerificationError",
        // Kinds a later core may add still reach the user as a StripeError.
        _ => "StripeError",
    }
}

/// Converts a core error into the matching Python exception.
pub fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    // The `Err` side is only reachable if `stripe_identity._error` cannot be imported or a
    // class refuses its arguments: that failure is raised, not a half-built error.
    build(py, &err).unwrap_or_else(|failure| failure)
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let refused = match err.kind() {
        ErrorKind::InvalidType => Some(PyTypeError::new_err(err.message())),
        ErrorKind::InvalidArgument => Some(PyValueError::new_err(err.message())),
        _ => None,
    };
    if let Some(e) = refused {
        e.value(py).setattr("param", err.param())?;
        return Ok(e);
    }
    let module = ERRORS.get_or_try_init(py, || py.import("stripe_identity._error").map(Bound::unbind))?;
    let class = module.bind(py).getattr(class_name(err.kind()))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("message", err.message())?;
    kwargs.set_item("http_status", err.http_status())?;
    kwargs.set_item("code", err.code())?;
    kwargs.set_item("param", err.param())?;
    kwargs.set_item("error_type", err.error_type())?;
    kwargs.set_item("request_id", err.request_id())?;
    kwargs.set_item("doc_url", err.doc_url())?;
    if let Error::Api(api) = err {
        // stripe-python's `headers`: a dict of the answer's headers.
        let headers = PyDict::new(py);
        for (name, value) in &api.headers {
            headers.set_item(name, value)?;
        }
        kwargs.set_item("headers", headers)?;
    }
    if let Error::SignatureVerification { sig_header, .. } = err {
        kwargs.set_item("sig_header", sig_header)?;
    }
    match err.json_body() {
        // A body that was not JSON reaches the core as the raw text.
        Some(Value::String(raw)) => kwargs.set_item("http_body", raw)?,
        Some(body) => {
            kwargs.set_item("json_body", to_plain(py, body)?)?;
            kwargs.set_item("http_body", body.to_string())?;
        }
        None => {}
    }
    Ok(PyErr::from_value(class.call((), Some(&kwargs))?))
}
