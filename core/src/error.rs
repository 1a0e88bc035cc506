//! The one error type of the library.
//!
//! Both backends produce the same error JSON (the simulator writes the body the real API would
//! send), so one parser and one classification serve every front end.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// Everything that can go wrong in a call.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The API (or the simulator) answered with an error status and body.
    Api(Box<ApiError>),
    /// No usable answer arrived: the connection failed, was reset, or timed out.
    Connection {
        /// What happened, without secrets.
        message: String,
    },
    /// A value of the wrong type was refused before any request was sent (a string where the
    /// API takes an integer, parameters that are not an object). Python and Node raise their
    /// `TypeError`.
    InvalidType {
        /// The parameter or setting at fault, as the API names it (`limit`,
        /// `options[document][require_id_number]`, `max_network_retries`).
        param: Option<String>,
        /// Why it was refused.
        message: String,
    },
    /// An argument of the right type but a bad value was refused before any request was sent
    /// (an empty id, a malformed key or URL, negative retries). Python raises `ValueError`,
    /// Node `RangeError`.
    InvalidArgument {
        /// The parameter at fault, as the API names it (`metadata`, `options[document]`).
        param: Option<String>,
        /// Why it was refused.
        message: String,
    },
    /// The caller's interrupt check ([`crate::http::interrupt`]) stopped the call while it
    /// waited (Ctrl-C in Python). A request already sent may still be acted on by the server.
    Interrupted {
        /// What was interrupted, and how to retry safely.
        message: String,
        /// The `Idempotency-Key` the request carried (a POST always carries one): a retry with
        /// the same key cannot act twice.
        idempotency_key: Option<String>,
    },
    /// A webhook's `Stripe-Signature` header did not verify against its payload and secret
    /// (missing or garbled header, no `v1` signature, no matching signature, too old).
    SignatureVerification {
        /// Why, in the official SDKs' words.
        message: String,
        /// The header as it was given (lossy UTF-8).
        sig_header: String,
    },
    /// A successful answer could not be decoded into the model.
    Decode {
        /// What could not be decoded.
        message: String,
        /// HTTP status of the answer.
        status: u16,
        /// `Request-Id` of the answer, when it had one.
        request_id: Option<String>,
    },
}

/// Which class of error this is; each front end maps a kind to its own exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400/404 that is not an idempotency or rate-limit error.
    InvalidRequest,
    /// 401.
    Authentication,
    /// 403.
    Permission,
    /// 429, or 400 with code `rate_limit`.
    RateLimit,
    /// 400/404 with type `idempotency_error`.
    Idempotency,
    /// 402.
    Card,
    /// Any other status (409, 5xx, …) or an answer that is not an error object.
    Api,
    /// The network failed.
    ApiConnection,
    /// Refused locally before sending: a bad value.
    InvalidArgument,
    /// Refused locally before sending: a value of the wrong type.
    InvalidType,
    /// A successful answer that did not decode.
    Decode,
    /// The caller interrupted the call.
    Interrupted,
    /// A webhook signature did not verify.
    SignatureVerification,
}

impl ErrorKind {
    /// Classifies an API error the way the official SDKs do.
    pub fn classify(status: u16, error_type: &str, code: Option<&str>) -> ErrorKind {
        match status {
            429 => ErrorKind::RateLimit,
            400 if code == Some("rate_limit") => ErrorKind::RateLimit,
            400 | 404 if error_type == "idempotency_error" => ErrorKind::Idempotency,
            400 | 404 => ErrorKind::InvalidRequest,
            401 => ErrorKind::Authentication,
            402 => ErrorKind::Card,
            403 => ErrorKind::Permission,
            _ => ErrorKind::Api,
        }
    }

    /// A stable snake_case name, used by the bindings and the scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::Authentication => "authentication",
            ErrorKind::Permission => "permission",
            ErrorKind::RateLimit => "rate_limit",
            ErrorKind::Idempotency => "idempotency",
            ErrorKind::Card => "card",
            ErrorKind::Api => "api",
            ErrorKind::ApiConnection => "api_connection",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::InvalidType => "invalid_type",
            ErrorKind::Decode => "decode",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::SignatureVerification => "signature_verification",
        }
    }
}

/// An error answered by the API, with every field of its `error` object.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The `error.type` field (`invalid_request_error`, `api_error`, `idempotency_error`, …).
    pub error_type: String,
    /// The `error.code` field.
    pub code: Option<String>,
    /// The `error.message` field.
    pub message: Option<String>,
    /// The `error.param` field.
    pub param: Option<String>,
    /// The `error.doc_url` field.
    pub doc_url: Option<String>,
    /// `Request-Id` of the answer.
    pub request_id: Option<String>,
    /// Every header of the answer (empty when the error was not read from one), for bindings
    /// whose SDK shows them on errors (stripe-python's `headers`, stripe-node's `error.headers`).
    pub headers: Vec<(String, String)>,
    /// The whole body as it came (`{"error": {...}}`), so nothing the API sent is lost.
    pub body: Value,
}

/// The `error` object as it travels on the wire. Keys the API leaves out stay out.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ErrorObject {
    /// Always present.
    #[serde(rename = "type")]
    pub error_type: String,
    /// Machine-readable code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Human-readable text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Parameter at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// Link to the documentation of `code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    /// Link to the request log (real API only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_log_url: Option<String>,
}

impl ErrorObject {
    /// An `invalid_request_error` with the given code, message and param.
    pub fn invalid_request(code: Option<&str>, message: impl Into<String>, param: Option<&str>) -> Self {
        ErrorObject {
            error_type: "invalid_request_error".into(),
            code: code.map(Into::into),
            message: Some(message.into()),
            param: param.map(Into::into),
            doc_url: code.map(doc_url_for),
            request_log_url: None,
        }
    }

    /// The body `{"error": {...}}`.
    pub fn to_body(&self) -> Value {
        serde_json::json!({ "error": self })
    }
}

/// `https://stripe.com/docs/error-codes/<code with - for _>`, the format the API uses.
pub fn doc_url_for(code: &str) -> String {
    format!("https://stripe.com/docs/error-codes/{}", code.replace('_', "-"))
}

impl ApiError {
    /// Builds the error from a status, the response body and the request id. A body that is
    /// not an error object still gives an `ApiError` (type `api_error`) that says so.
    pub fn from_response(status: u16, body: &[u8], request_id: Option<String>) -> ApiError {
        #[derive(Deserialize)]
        struct Envelope {
            error: ErrorObject,
        }
        // Bounded like every answer a binding converts (`nesting`); text nested deeper is kept
        // as text.
        let parsed = std::str::from_utf8(body).ok().map(crate::nesting::parse);
        let raw: Value = match parsed {
            Some(Ok(v)) => v,
            _ => {
                return ApiError::synthetic(
                    status,
                    format!(
                        "Invalid response body from API: {} (HTTP response code was {status})",
                        preview(body)
                    ),
                    request_id,
                    Value::String(String::from_utf8_lossy(body).into_owned()),
                )
            }
        };
        match Envelope::deserialize(&raw) {
            Ok(env) => ApiError {
                status,
                error_type: env.error.error_type,
                code: env.error.code,
                message: env.error.message,
                param: env.error.param,
                doc_url: env.error.doc_url,
                request_id,
                headers: Vec::new(),
                body: raw,
            },
            Err(_) => ApiError::synthetic(
                status,
                format!(
                    "Invalid response object from API: {} (HTTP response code was {status})",
                    preview(body)
                ),
                request_id,
                raw,
            ),
        }
    }

    fn synthetic(status: u16, message: String, request_id: Option<String>, body: Value) -> ApiError {
        ApiError {
            status,
            error_type: "api_error".into(),
            code: None,
            message: Some(message),
            param: None,
            doc_url: None,
            request_id,
            headers: Vec::new(),
            body,
        }
    }

    /// The SDK class of this error.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::classify(self.status, &self.error_type, self.code.as_deref())
    }
}

fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    format!("{out:?}")
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(e) => e.kind(),
            Error::Connection { .. } => ErrorKind::ApiConnection,
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::InvalidType { .. } => ErrorKind::InvalidType,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Interrupted { .. } => ErrorKind::Interrupted,
            Error::SignatureVerification { .. } => ErrorKind::SignatureVerification,
        }
    }

    /// HTTP status, when an answer arrived.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API's `error.type`, when the API answered.
    pub fn error_type(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.error_type),
            _ => None,
        }
    }

    /// The API's `error.code`.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.code.as_deref(),
            _ => None,
        }
    }

    /// The parameter at fault.
    pub fn param(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.param.as_deref(),
            Error::InvalidArgument { param, .. } | Error::InvalidType { param, .. } => param.as_deref(),
            _ => None,
        }
    }

    /// The API's `error.doc_url`.
    pub fn doc_url(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.doc_url.as_deref(),
            _ => None,
        }
    }

    /// `Request-Id` of the answer that carried the error.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// A readable message.
    pub fn message(&self) -> String {
        match self {
            Error::Api(e) => e.message.clone().unwrap_or_else(|| format!("API error (HTTP {})", e.status)),
            Error::Connection { message } => message.clone(),
            Error::InvalidArgument { message, .. } | Error::InvalidType { message, .. } => message.clone(),
            Error::Decode { message, .. } => message.clone(),
            Error::Interrupted { message, .. } => message.clone(),
            Error::SignatureVerification { message, .. } => message.clone(),
        }
    }

    /// The raw JSON body of an API error.
    pub fn json_body(&self) -> Option<&Value> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }

    /// Shorthand for an [`Error::InvalidType`].
    pub fn invalid_type(param: Option<&str>, message: impl Into<String>) -> Error {
        Error::InvalidType { param: param.map(Into::into), message: message.into() }
    }

    /// Whether this error refused an argument before anything was sent, for its type or its
    /// value.
    pub fn is_refused_argument(&self) -> bool {
        matches!(self, Error::InvalidArgument { .. } | Error::InvalidType { .. })
    }

    /// Shorthand for an [`Error::InvalidArgument`].
    pub fn invalid_argument(param: Option<&str>, message: impl Into<String>) -> Error {
        Error::InvalidArgument { param: param.map(Into::into), message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(id) = self.request_id() {
            write!(f, "Request {id}: ")?;
        }
        write!(f, "{}", self.message())?;
        if let Some(param) = self.param() {
            write!(f, " (param: {param})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_follows_the_sdks() {
        assert_eq!(ErrorKind::classify(429, "invalid_request_error", None), ErrorKind::RateLimit);
        assert_eq!(
            ErrorKind::classify(400, "invalid_request_error", Some("rate_limit")),
            ErrorKind::RateLimit
        );
        assert_eq!(ErrorKind::classify(400, "idempotency_error", None), ErrorKind::Idempotency);
        assert_eq!(
            ErrorKind::classify(404, "invalid_request_error", Some("resource_missing")),
            ErrorKind::InvalidRequest
        );
        assert_eq!(ErrorKind::classify(401, "invalid_request_error", None), ErrorKind::Authentication);
        assert_eq!(ErrorKind::classify(403, "invalid_request_error", None), ErrorKind::Permission);
        assert_eq!(ErrorKind::classify(402, "card_error", None), ErrorKind::Card);
        assert_eq!(ErrorKind::classify(409, "idempotency_error", None), ErrorKind::Api);
        assert_eq!(ErrorKind::classify(503, "api_error", None), ErrorKind::Api);
    }

    #[test]
    fn parses_an_error_body_and_keeps_it_whole() {
        let body = br#"{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such verification_session: 'vs_x'","param":"session","extra":1}}"#;
        let e = ApiError::from_response(404, body, Some("req_1".into()));
        assert_eq!(e.code.as_deref(), Some("resource_missing"));
        assert_eq!(e.param.as_deref(), Some("session"));
        assert_eq!(e.body["error"]["extra"], 1);
        let err = Error::from(e);
        assert_eq!(err.to_string(), "Request req_1: No such verification_session: 'vs_x' (param: session)");
    }

    #[test]
    fn a_body_that_is_not_json_says_so() {
        let e = ApiError::from_response(502, b"<html>bad gateway</html>", None);
        assert_eq!(e.error_type, "api_error");
        assert!(e.message.unwrap().starts_with("Invalid response body from API"));
        let e = ApiError::from_response(500, b"{\"ok\":true}", None);
        assert!(e.message.unwrap().starts_with("Invalid response object from API"));
    }
}
