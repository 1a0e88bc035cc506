//! The one request/response shape every backend speaks.
//!
//! The client turns an operation into a [`Request`]; a [`Backend`] turns it into a
//! [`Response`]. The local backend hands it to the simulator in process, the HTTP backend sends
//! it over the network, and `identity-mock` serves the simulator's side of it over HTTP. One code
//! path, whatever the backend.

use crate::error::Error;
use std::fmt;

/// HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Reads; parameters travel in the query string.
    Get,
    /// Writes; parameters travel in a form-encoded body.
    Post,
    /// Deletes (not used by VerificationSessions, routed to a 404 like the API).
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a method name; `None` for anything the API does not serve.
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an idempotency key can be sent as it is: every character printable ASCII (`0x20` to
/// `0x7E`).
///
/// The rule for every backend and every client: such a key is honoured everywhere; any other
/// key is refused with a clear error before anything is sent (the client's
/// [`Error::InvalidArgument`], param `idempotency_key`), because an HTTP header cannot carry it
/// faithfully: some clients send raw UTF-8 and some servers drop what they cannot read, and a
/// dropped key turns a safe retry into a duplicate. A server that receives one anyway answers
/// 400. Length (255 at most) is the API's to judge, as it is for any key.
pub fn idempotency_key_is_sendable(key: &str) -> bool {
    key.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// One API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The path, starting with `/v1/`, ids already escaped.
    pub path: String,
    /// Form-encoded parameters: the query string of a GET, the body of a POST.
    pub params: String,
    /// Headers (`Idempotency-Key`, `Stripe-Account`, `Stripe-Version`, …), names as sent.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A request with no headers.
    pub fn new(method: Method, path: impl Into<String>, params: impl Into<String>) -> Request {
        Request { method, path: path.into(), params: params.into(), headers: Vec::new() }
    }

    /// The first header of that name, compared without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// One API response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers (`Request-Id`, `Idempotent-Replayed`, `Stripe-Should-Retry`, …).
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of that name, compared without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The `Request-Id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.header("Request-Id")
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Something that answers requests: the simulator in process, or the API over HTTP.
pub trait Backend: Send + Sync + fmt::Debug {
    /// Sends one request and returns the answer, whatever its status. `Err` only when no
    /// answer could be had (a connection error).
    fn send(&self, request: &Request) -> Result<Response, Error>;

    /// Whether this backend is the embedded simulator (no network, no key).
    fn is_local(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_without_regard_to_case() {
        let mut r = Request::new(Method::Post, "/v1/x", "a=1");
        r.headers.push(("Idempotency-Key".into(), "k1".into()));
        assert_eq!(r.header("idempotency-key"), Some("k1"));
        assert_eq!(r.header("Stripe-Account"), None);
        let resp =
            Response { status: 200, headers: vec![("request-id".into(), "req_1".into())], body: vec![] };
        assert_eq!(resp.request_id(), Some("req_1"));
        assert_eq!(Method::parse("PATCH"), None);
        assert_eq!(Method::parse("GET").map(Method::as_str), Some("GET"));
    }
}
