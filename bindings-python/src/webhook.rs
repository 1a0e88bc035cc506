//! Webhooks in Python: verifying a `Stripe-Signature` header and reading its event
//! (`_verify_and_construct`), signing a payload for tests (`_sign`), and a local client's event
//! callback (`_on_event`). The public classes (`Webhook`, `WebhookSignature`) are plain Python
//! in `_webhook.py`; every check is the core's (`stripe_identity::Webhook`).

use crate::answer::to_stripe_object;
use crate::client::PyClient;
use crate::errors::to_pyerr;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use std::sync::Arc;
use stripe_identity::{Error, ErrorKind, Webhook};

/// A payload or header as stripe-python takes them: `str`, `bytes` or `bytearray`.
fn raw_bytes(value: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<u8>> {
    if let Ok(s) = value.cast::<PyString>() {
        // A str with lone surrogates cannot be UTF-8: it is not what a server received.
        return Ok(s.to_cow().map(|s| s.as_bytes().to_vec()).unwrap_or_else(|_| vec![0xff]));
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = value.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be str, bytes or bytearray, not {}",
        value.get_type().name()?
    )))
}

/// A signature error as `SignatureVerificationError`, carrying `sig_header` and `http_body`.
fn signature_error(py: Python<'_>, err: Error, payload: &[u8]) -> PyErr {
    let kind = err.kind();
    let e = to_pyerr(py, err);
    if kind == ErrorKind::SignatureVerification {
        let _ = e.value(py).setattr("http_body", String::from_utf8_lossy(payload).into_owned());
    } else if kind == ErrorKind::InvalidArgument {
        // A verified body that is not an event: stripe-python raises ValueError (json.loads).
        return PyValueError::new_err(e.value(py).to_string());
    }
    e
}

/// Verifies `sig_header` against `payload` and `secret` (the age check off when `tolerance` is
/// None or 0) and returns the event as an `Event`.
#[pyfunction]
#[pyo3(signature = (payload, sig_header, secret, tolerance))]
pub fn _verify_and_construct<'py>(
    py: Python<'py>,
    payload: &Bound<'py, PyAny>,
    sig_header: Option<&Bound<'py, PyAny>>,
    secret: Option<String>,
    tolerance: Option<i64>,
) -> PyResult<Bound<'py, PyAny>> {
    let payload = raw_bytes(payload, "payload")?;
    let header = match sig_header {
        None => Vec::new(),
        Some(h) => raw_bytes(h, "sig_header")?,
    };
    let tolerance = match tolerance {
        Some(t) if t < 0 => return Err(PyValueError::new_err("tolerance must not be negative")),
        t => t.map(|t| t as u64),
    };
    let secret = secret.unwrap_or_default();
    let answer = py.detach(|| match std::str::from_utf8(&header) {
        Ok(header) => Webhook::construct_event_value(&payload, header, &secret, tolerance),
        Err(_) => Err(Error::SignatureVerification {
            message: "Unable to extract timestamp and signatures from header (not UTF-8)".into(),
            sig_header: String::from_utf8_lossy(&header).into_owned(),
        }),
    });
    match answer {
        Ok(value) => to_stripe_object(py, &value),
        Err(e) => Err(signature_error(py, e, &payload)),
    }
}

/// `t=<timestamp>,v1=<hex>` for `payload` signed with `secret` (now when `timestamp` is None).
#[pyfunction]
#[pyo3(signature = (payload, secret, timestamp=None))]
pub fn _sign(payload: &Bound<'_, PyAny>, secret: String, timestamp: Option<i64>) -> PyResult<String> {
    let payload = raw_bytes(payload, "payload")?;
    Ok(Webhook::sign(&payload, &secret, timestamp))
}

/// Calls `callback(event)` with every new event of a local client. It runs on the thread that
/// made the request, with the GIL taken for the call; an exception it raises goes to
/// `sys.unraisablehook` (the event is already committed and the request answers normally).
#[pyfunction]
pub fn _on_event(py: Python<'_>, client: &PyClient, callback: Py<PyAny>) -> PyResult<()> {
    if !callback.bind(py).is_callable() {
        return Err(PyTypeError::new_err("callback must be callable"));
    }
    let callback = Arc::new(callback);
    client
        .core()
        .on_event(move |event| {
            let json = serde_json::to_value(event).unwrap_or_default();
            Python::attach(|py| {
                let result = to_stripe_object(py, &json).and_then(|e| callback.call1(py, (e,)));
                if let Err(err) = result {
                    err.write_unraisable(py, Some(callback.bind(py)));
                }
            });
        })
        .map_err(|e| to_pyerr(py, e))
}
