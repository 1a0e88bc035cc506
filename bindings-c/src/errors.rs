//! `si_result` and `si_error`: the one place where core's errors change shape for C.

use super::cstr::{cstring, opt_ptr};
use identity::{Error, ErrorKind};
use std::ffi::{c_char, CString};

/// What a fallible function did. `SI_OK` is 0; every other value names a class of error, as
/// the official SDKs' error classes do. Numbers are fixed and never reused.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum si_result {
    /// Success: the out-parameter was written.
    SI_OK = 0,
    /// Refused before anything was sent: a NULL where a value is required, a string that is not
    /// UTF-8, text that is not JSON, an empty id, a bad key or base URL. `si_error_param` names
    /// the argument or parameter at fault.
    SI_ERR_INVALID_ARGUMENT = 1,
    /// The API refused the request (HTTP 400 or 404): a bad parameter, an unknown id, a session
    /// in the wrong state.
    SI_ERR_INVALID_REQUEST = 2,
    /// HTTP 401: the API key was refused.
    SI_ERR_AUTHENTICATION = 3,
    /// HTTP 403: the key may not do this.
    SI_ERR_PERMISSION = 4,
    /// HTTP 429 (or 400 with code `rate_limit`): too many requests.
    SI_ERR_RATE_LIMIT = 5,
    /// An idempotency key was reused with other parameters.
    SI_ERR_IDEMPOTENCY = 6,
    /// HTTP 402.
    SI_ERR_CARD = 7,
    /// Any other error answer (409, 5xx, a body that is not an error object).
    SI_ERR_API = 8,
    /// No answer: the connection failed or timed out (after the retries).
    SI_ERR_API_CONNECTION = 9,
    /// A successful answer that could not be decoded.
    SI_ERR_DECODE = 10,
    /// A webhook's `Stripe-Signature` header did not verify against its payload and secret
    /// (missing or garbled, no `v1` signature, none matching, too old, not UTF-8).
    SI_ERR_SIGNATURE_VERIFICATION = 11,
    /// Refused before anything was sent: a parameter of the wrong JSON type (`"limit": "ten"`),
    /// or a required one missing. `si_error_param` names it. (Added after the others: a caller
    /// that tests only `SI_ERR_INVALID_ARGUMENT` should test this too.)
    SI_ERR_INVALID_TYPE = 12,
    /// A bug in the library (a caught Rust panic). Please report it.
    SI_ERR_INTERNAL = 99,
}

/// The class of a core error. The only mapping from core's kinds to C.
fn status_of(kind: ErrorKind) -> si_result {
    match kind {
        ErrorKind::InvalidRequest => si_result::SI_ERR_INVALID_REQUEST,
        ErrorKind::Authentication => si_result::SI_ERR_AUTHENTICATION,
        ErrorKind::Permission => si_result::SI_ERR_PERMISSION,
        ErrorKind::RateLimit => si_result::SI_ERR_RATE_LIMIT,
        ErrorKind::Idempotency => si_result::SI_ERR_IDEMPOTENCY,
        ErrorKind::Card => si_result::SI_ERR_CARD,
        ErrorKind::Api => si_result::SI_ERR_API,
        ErrorKind::ApiConnection => si_result::SI_ERR_API_CONNECTION,
        ErrorKind::InvalidArgument => si_result::SI_ERR_INVALID_ARGUMENT,
        ErrorKind::InvalidType => si_result::SI_ERR_INVALID_TYPE,
        ErrorKind::Decode => si_result::SI_ERR_DECODE,
        ErrorKind::SignatureVerification => si_result::SI_ERR_SIGNATURE_VERIFICATION,
        // ErrorKind is non_exhaustive: a kind this binding does not know yet is still an error
        // answer of some sort, which is what SI_ERR_API stands for.
        _ => si_result::SI_ERR_API,
    }
}

/// An error: its status, message and, when the API answered, the fields of its `error` object.
/// Opaque; read it with the `si_error_*` accessors and free it with `si_error_free`.
#[derive(Debug)]
pub struct si_error {
    pub(crate) status: si_result,
    message: CString,
    error_type: Option<CString>,
    code: Option<CString>,
    param: Option<CString>,
    doc_url: Option<CString>,
    request_id: Option<CString>,
    json_body: Option<CString>,
    http_status: u16,
}

impl si_error {
    fn local(status: si_result, param: Option<&str>, message: String) -> si_error {
        si_error {
            status,
            message: cstring(&message),
            error_type: None,
            code: None,
            param: param.map(cstring),
            doc_url: None,
            request_id: None,
            json_body: None,
            http_status: 0,
        }
    }

    /// `SI_ERR_INVALID_ARGUMENT` for the C argument `param` (`"id"`, `"params_json"`, …).
    pub(crate) fn invalid_argument(param: &str, message: impl Into<String>) -> Box<si_error> {
        Box::new(si_error::local(si_result::SI_ERR_INVALID_ARGUMENT, Some(param), message.into()))
    }

    /// `SI_ERR_INTERNAL`: a caught panic.
    pub(crate) fn internal(message: String) -> si_error {
        si_error::local(si_result::SI_ERR_INTERNAL, None, message)
    }
}

impl From<Error> for Box<si_error> {
    fn from(e: Error) -> Self {
        Box::new(si_error {
            status: status_of(e.kind()),
            message: cstring(&e.message()),
            error_type: e.error_type().map(cstring),
            code: e.code().map(cstring),
            param: e.param().map(cstring),
            doc_url: e.doc_url().map(cstring),
            request_id: e.request_id().map(cstring),
            json_body: e.json_body().map(|body| cstring(&body.to_string())),
            http_status: e.http_status().unwrap_or(0),
        })
    }
}

/// The class of the error, the same `si_result` the failed call returned.
///
/// `err` is borrowed. `SI_ERR_INVALID_ARGUMENT` when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_error_status(err: *const si_error) -> si_result {
    ffi_boundary!({ err.as_ref().map_or(si_result::SI_ERR_INVALID_ARGUMENT, |e| e.status) })
}

/// A readable message. Never NULL for a non-NULL `err`.
///
/// Borrowed: valid until `si_error_free(err)`; do not free it. NULL when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_error_message(err: *const si_error) -> *const c_char {
    ffi_boundary!({ err.as_ref().map_or(std::ptr::null(), |e| e.message.as_ptr()) })
}

/// The API's `error.type` (`"invalid_request_error"`, `"idempotency_error"`, …); NULL when the
/// error did not come from the API (`SI_ERR_INVALID_ARGUMENT`, `SI_ERR_API_CONNECTION`, …).
///
/// Borrowed: valid until `si_error_free(err)`. NULL when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_error_type(err: *const si_error) -> *const c_char {
    ffi_boundary!({ err.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.error_type)) })
}

/// The API's `error.code` (`"resource_missing"`, …); NULL when there is none.
///
/// Borrowed: valid until `si_error_free(err)`. NULL when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_error_code(err: *const si_error) -> *const c_char {
    ffi_boundary!({ err.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.code)) })
}

/// The parameter at fault: the API's `error.param` (`"metadata"`, `"options[document]"`), or for
/// `SI_ERR_INVALID_ARGUMENT` the API parameter or the C argument (`"id"`, `"params_json"`,
/// `"session_out"`); NULL when there is none.
///
/// Borrowed: valid until `si_error_free(err)`. NULL when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_error_param(err: *const si_error) -> *const c_char {
    ffi_boundary!({ err.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.param)) })
}

/// The API's `error.doc_url`; NULL when there is none.
///
/// Borrowed: valid until `si_error_free(err)`. NULL when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_error_doc_url(err: *const si_error) -> *const c_char {
    ffi_boundary!({ err.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.doc_url)) })
}

/// The `Request-Id` of the answer that carried the error; NULL when there is none (errors
/// raised before sending, connection errors; the local client answers with request ids too).
///
/// Borrowed: valid until `si_error_free(err)`. NULL when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_error_request_id(err: *const si_error) -> *const c_char {
    ffi_boundary!({ err.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.request_id)) })
}

/// The whole error body the API sent (`{"error": {...}}`) as JSON text; NULL when the error
/// did not come from the API.
///
/// Borrowed: valid until `si_error_free(err)`. NULL when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_error_json_body(err: *const si_error) -> *const c_char {
    ffi_boundary!({ err.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.json_body)) })
}

/// The HTTP status of the answer that carried the error (400, 404, 429, …); 0 when no answer
/// came (`SI_ERR_INVALID_ARGUMENT`, `SI_ERR_API_CONNECTION`, `SI_ERR_INTERNAL`) or `err` is NULL.
///
/// `err` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_error_http_status(err: *const si_error) -> u16 {
    ffi_boundary!({ err.as_ref().map_or(0, |e| e.http_status) })
}

/// Frees an error and every string read from it. NULL is a no-op.
///
/// Takes ownership of `err`, which must come from a `si_error **` out-parameter and must not be
/// used afterwards.
#[no_mangle]
pub unsafe extern "C" fn si_error_free(err: *mut si_error) {
    ffi_boundary!({
        if !err.is_null() {
            drop(Box::from_raw(err));
        }
    })
}
