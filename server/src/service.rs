//! One HTTP request in, one simulator answer out.
//!
//! The order of the steps is the API's: the body is read (bounded in size and time), a fault may
//! be drawn, the key is checked, and only then does the simulator see the request. GET and DELETE
//! parameters come from the query string, POST parameters from the form body (plus the query
//! string, if any, ahead of it).

use crate::auth;
use crate::faults::{Fault, Faults};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use stripe_identity::backend::{Method, Request, Response};
use stripe_identity::engine::{errors, ids, Simulator};
use stripe_identity::error::ErrorObject;

/// The response type of the service.
pub type HttpResponse = hyper::Response<Full<Bytes>>;

/// Returned instead of an answer when the connection is to be closed without one (a dropped
/// client, or an injected drop): hyper then closes the connection.
#[derive(Debug)]
pub struct Dropped(pub &'static str);

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connection dropped: {}", self.0)
    }
}

impl std::error::Error for Dropped {}

/// What every request shares: the simulator and the server's limits.
#[derive(Debug)]
pub struct App {
    /// The simulator answering every request.
    pub simulator: Arc<Simulator>,
    /// The fault draw, when faults are on.
    pub faults: Option<Faults>,
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Longest time to read a request body.
    pub body_timeout: Duration,
    /// Log one line per request to stderr.
    pub verbose: bool,
}

impl App {
    /// Answers one request, or closes the connection.
    pub async fn handle(&self, req: hyper::Request<Incoming>) -> Result<HttpResponse, Dropped> {
        let (parts, body) = req.into_parts();
        let method_name = parts.method.as_str().to_string();
        let path = parts.uri.path().to_string();
        let query = parts.uri.query().unwrap_or("").to_string();
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_string(), v.to_string())))
            .collect();
        let idempotency_key = match method_name.as_str() {
            "POST" => parts.headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(String::from),
            _ => None,
        };

        // The body, bounded in size and in time.
        let declared = parts.headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_body_bytes as u64) {
            return Ok(self.log(&method_name, &path, self.too_large()));
        }
        let body =
            match tokio::time::timeout(self.body_timeout, Limited::new(body, self.max_body_bytes).collect())
                .await
            {
                Err(_) => return Ok(self.log(&method_name, &path, self.body_timed_out())),
                Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
                    return Ok(self.log(&method_name, &path, self.too_large()))
                }
                // The client went away or sent a broken chunked body: nobody to answer.
                Ok(Err(_)) => return Err(Dropped("request body could not be read")),
                Ok(Ok(collected)) => collected.to_bytes(),
            };

        let fault = self.faults.as_ref().and_then(Faults::draw);
        match fault {
            Some(Fault::DropBefore) => {
                self.log_line(&method_name, &path, "dropped before acting (injected)");
                return Err(Dropped("injected fault drop_before"));
            }
            Some(kind) => {
                if let Some(answer) = kind.answer() {
                    let mut response =
                        error_response(answer.status, &answer.error, idempotency_key.as_deref());
                    for (name, value) in answer.headers {
                        response.headers.push((name.to_string(), value.to_string()));
                    }
                    return Ok(self.log(&method_name, &path, to_http(response)));
                }
            }
            None => {}
        }

        let response =
            self.act(&method_name, &path, &query, &body, headers, parts.headers.get(AUTHORIZATION));
        if fault == Some(Fault::DropAfter) {
            self.log_line(&method_name, &path, &format!("{} then dropped (injected)", response.status));
            return Err(Dropped("injected fault drop_after"));
        }
        Ok(self.log(&method_name, &path, to_http(response)))
    }

    /// Checks the key and asks the simulator.
    fn act(
        &self,
        method_name: &str,
        path: &str,
        query: &str,
        body: &[u8],
        headers: Vec<(String, String)>,
        authorization: Option<&HeaderValue>,
    ) -> Response {
        let idempotency_key = match method_name {
            "POST" => headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("idempotency-key"))
                .map(|(_, v)| v.clone()),
            _ => None,
        };
        if let Err(refusal) = auth::authenticate(authorization.map(HeaderValue::as_bytes)) {
            return error_response(auth::UNAUTHORIZED, &refusal.to_error(), idempotency_key.as_deref());
        }
        let Some(method) = Method::parse(method_name) else {
            // A method the API serves nowhere: the same 404 as an unknown URL.
            let failure = errors::unrecognized_url(method_name, path);
            return error_response(failure.status, &failure.error, None);
        };
        let body = String::from_utf8_lossy(body);
        let params = match method {
            Method::Post if !query.is_empty() && !body.is_empty() => format!("{query}&{body}"),
            Method::Post if !body.is_empty() => body.into_owned(),
            _ => query.to_string(),
        };
        self.simulator.handle(&Request { method, path: path.to_string(), params, headers })
    }

    fn too_large(&self) -> HttpResponse {
        let error = ErrorObject::invalid_request(
            None,
            format!("Request body too large: the limit is {} bytes.", self.max_body_bytes),
            None,
        );
        let mut response = to_http(error_response(413, &error, None));
        // The rest of the body is not read, so the connection cannot carry another request.
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        response
    }

    fn body_timed_out(&self) -> HttpResponse {
        let error = ErrorObject::invalid_request(
            None,
            format!("The request body was not received within {} ms.", self.body_timeout.as_millis()),
            None,
        );
        let mut response = to_http(error_response(408, &error, None));
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        response
    }

    fn log(&self, method: &str, path: &str, response: HttpResponse) -> HttpResponse {
        if self.verbose {
            self.log_line(method, path, response.status().as_str());
        }
        response
    }

    fn log_line(&self, method: &str, path: &str, outcome: &str) {
        if self.verbose {
            eprintln!("identity-mock: {method} {path} -> {outcome}");
        }
    }
}

/// An error answer made here (not by the simulator), with a fresh `Request-Id`.
pub fn error_response(status: u16, error: &ErrorObject, idempotency_key: Option<&str>) -> Response {
    let mut headers = vec![
        ("Request-Id".to_string(), ids::request_id()),
        ("Content-Type".to_string(), "application/json".to_string()),
    ];
    if let Some(key) = idempotency_key.filter(|k| !k.is_empty()) {
        headers.push(("Idempotency-Key".to_string(), key.to_string()));
    }
    let body = serde_json::to_vec(&error.to_body()).unwrap_or_default();
    Response { status, headers, body }
}

/// A core answer as an HTTP response: its status, its headers (unrepresentable ones skipped),
/// `Content-Type: application/json`, its body.
pub fn to_http(response: Response) -> HttpResponse {
    let mut builder = hyper::Response::builder().status(response.status);
    let mut has_type = false;
    for (name, value) in &response.headers {
        has_type |= name.eq_ignore_ascii_case("content-type");
        if let Ok(value) = HeaderValue::from_str(value) {
            builder = builder.header(name.as_str(), value);
        }
    }
    if !has_type {
        builder = builder.header(CONTENT_TYPE, "application/json");
    }
    builder.body(Full::new(Bytes::from(response.body))).unwrap_or_else(|_| {
        let mut fallback = hyper::Response::new(Full::new(Bytes::new()));
        *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}
