//! One HTTP request in, one simulator answer out.
//!
//! The order of the steps is the API's: the body is read (bounded in size and time), a fault may
//! be drawn, the key is checked, and only then does the simulator see the request. GET and DELETE
//! parameters come from the query string, POST parameters from the form body (plus the query
//! string, if any, ahead of it). The hosted verification page (`/start/...`, see
//! [`crate::hosted`]) is answered once its body is read, with no key and no fault.
//!
//! A body over the limit gets `413` once it has been read and thrown away (up to
//! [`DRAIN_LIMIT`] bytes and the body timeout): a client still sending it then reads the answer
//! instead of meeting a reset connection. A body that is not UTF-8, or whose chunked framing is
//! broken, gets `400`. Header values reach the simulator decoded lossily, never dropped, so an
//! `Idempotency-Key` outside printable ASCII is refused by the simulator's rule.

use crate::auth;
use crate::faults::{Fault, Faults};
use crate::slots::Activity;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{
    HeaderMap, HeaderValue, AUTHORIZATION, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, EXPECT,
};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use stripe_identity::backend::{Method, Request, Response};
use stripe_identity::engine::{errors, idempotency, ids, Simulator, HEADERS_READ};
use stripe_identity::error::ErrorObject;
use stripe_identity::wire;
use tokio::time::Instant;

/// The response type of the service.
pub type HttpResponse = hyper::Response<Full<Bytes>>;

/// Most bytes of an oversized body read (and thrown away) before the `413` is sent; past it the
/// connection is closed with the answer, and a client still sending may see a reset instead.
pub const DRAIN_LIMIT: u64 = 16 << 20;

/// Returned instead of an answer when the connection is to be closed without one (an injected
/// drop): hyper then closes the connection.
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
    /// Requests served on one connection; the answer to the last one closes it.
    pub max_requests_per_connection: u32,
    /// Log one line per request to stderr.
    pub verbose: bool,
}

/// Why a body was not read whole.
enum BodyRefusal {
    TooLarge,
    TimedOut,
    Broken,
}

impl App {
    /// Answers one request, or closes the connection. `activity` is its connection's.
    pub async fn handle(
        &self,
        req: hyper::Request<Incoming>,
        activity: &Activity,
    ) -> Result<HttpResponse, Dropped> {
        let requests = activity.request_started();
        let head_only = req.method() == hyper::Method::HEAD;
        let mut response = self.answer(req, activity).await?;
        if requests >= self.max_requests_per_connection {
            response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        }
        if head_only {
            // hyper sends no body after a HEAD; an empty one keeps `Content-Length` true to the
            // bytes that follow, which the connection's answer framing relies on.
            *response.body_mut() = Full::new(Bytes::new());
        }
        Ok(response)
    }

    async fn answer(
        &self,
        req: hyper::Request<Incoming>,
        activity: &Activity,
    ) -> Result<HttpResponse, Dropped> {
        let (parts, mut body) = req.into_parts();
        let method_name = parts.method.as_str().to_string();
        let path = parts.uri.path().to_string();
        let query = parts.uri.query().unwrap_or("").to_string();
        // Only the headers the simulator reads (a client sends a dozen). Lossily: a value that is
        // not visible ASCII is passed on for the simulator to judge, never silently left out.
        let headers: Vec<(String, String)> = HEADERS_READ
            .iter()
            .flat_map(|name| parts.headers.get_all(*name).iter().map(move |v| (name, v)))
            .map(|(name, v)| (name.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        // The key as echoed on answers made here; one that breaks the rule is not echoed.
        let idempotency_key = match method_name.as_str() {
            "POST" => headers
                .iter()
                .find(|(k, _)| k == "idempotency-key")
                .map(|(_, v)| v.clone())
                .filter(|k| idempotency::check_key(k).is_ok()),
            _ => None,
        };

        let body = match self.read_body(&parts.headers, &mut body).await {
            Ok(body) => body,
            Err(BodyRefusal::TooLarge) => return Ok(self.log(&method_name, &path, self.too_large())),
            Err(BodyRefusal::TimedOut) => return Ok(self.log(&method_name, &path, self.body_timed_out())),
            Err(BodyRefusal::Broken) => return Ok(self.log(&method_name, &path, broken_body())),
        };
        activity.acting();
        if crate::hosted::serves(&path) {
            let page = crate::hosted::respond(&self.simulator, &parts.method, &path, &body);
            return Ok(self.log(&method_name, &path, page));
        }

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

        let response = self.act(
            &method_name,
            &path,
            &query,
            &body,
            headers,
            idempotency_key.as_deref(),
            parts.headers.get(AUTHORIZATION),
        );
        if fault == Some(Fault::DropAfter) {
            self.log_line(&method_name, &path, &format!("{} then dropped (injected)", response.status));
            return Err(Dropped("injected fault drop_after"));
        }
        Ok(self.log(&method_name, &path, to_http(response)))
    }

    /// Reads the body whole, within the size limit and the body timeout.
    async fn read_body(&self, headers: &HeaderMap, body: &mut Incoming) -> Result<Bytes, BodyRefusal> {
        let deadline = Instant::now() + self.body_timeout;
        let limit = self.max_body_bytes as u64;
        let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit) {
            let asked_first =
                headers.get(EXPECT).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
            // A client that asked before sending sends nothing once refused; one that sends
            // more than the drain limit is not waited for.
            if !asked_first && declared.is_some_and(|n| n <= DRAIN_LIMIT) {
                let _ = tokio::time::timeout_at(deadline, drain(body, DRAIN_LIMIT)).await;
            }
            return Err(BodyRefusal::TooLarge);
        }
        let read = async {
            let mut bytes = Vec::with_capacity(declared.unwrap_or(0) as usize);
            while let Some(frame) = body.frame().await {
                let frame = frame.map_err(|_| BodyRefusal::Broken)?;
                let Ok(data) = frame.into_data() else { continue };
                if (bytes.len() + data.len()) as u64 > limit {
                    let seen = (bytes.len() + data.len()) as u64;
                    let _ = tokio::time::timeout_at(deadline, drain(body, DRAIN_LIMIT.saturating_sub(seen)))
                        .await;
                    return Err(BodyRefusal::TooLarge);
                }
                bytes.extend_from_slice(&data);
            }
            Ok(Bytes::from(bytes))
        };
        tokio::time::timeout_at(deadline, read).await.unwrap_or(Err(BodyRefusal::TimedOut))
    }

    /// Checks the key and asks the simulator.
    #[allow(clippy::too_many_arguments)]
    fn act(
        &self,
        method_name: &str,
        path: &str,
        query: &str,
        body: &[u8],
        headers: Vec<(String, String)>,
        idempotency_key: Option<&str>,
        authorization: Option<&HeaderValue>,
    ) -> Response {
        if let Err(refusal) = auth::authenticate(authorization.map(HeaderValue::as_bytes)) {
            return error_response(auth::UNAUTHORIZED, &refusal.to_error(), idempotency_key);
        }
        let Some(method) = Method::parse(method_name) else {
            // A method the API serves nowhere: the same 404 as an unknown URL.
            let failure = errors::unrecognized_url(method_name, path);
            return error_response(failure.status, &failure.error, None);
        };
        // Raw bytes that are not UTF-8 are refused like `%FF` is, never replaced.
        let body = match wire::form_text(body) {
            Ok(body) => body,
            Err(error) => return error_response(400, &error, idempotency_key),
        };
        let params = match method {
            Method::Post if !query.is_empty() && !body.is_empty() => format!("{query}&{body}"),
            Method::Post if !body.is_empty() => body.to_string(),
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
        // The body may not have been read whole, so the connection cannot carry another request.
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        response
    }

    fn body_timed_out(&self) -> HttpResponse {
        // (Its body was not read whole, so the connection cannot carry another request.)
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

/// Reads and throws away up to `budget` more bytes of a body.
async fn drain(body: &mut Incoming, mut budget: u64) {
    while let Some(Ok(frame)) = body.frame().await {
        if let Some(data) = frame.data_ref() {
            let Some(left) = budget.checked_sub(data.len() as u64) else { return };
            budget = left;
        }
    }
}

/// `400` for a body whose chunked framing is broken (or that ended early, when the client is
/// gone and nobody reads this).
fn broken_body() -> HttpResponse {
    let error = ErrorObject::invalid_request(
        None,
        "The request body could not be read: its chunked encoding is broken, or it ended before \
         its Content-Length.",
        None,
    );
    let mut response = to_http(error_response(400, &error, None));
    response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    response
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
