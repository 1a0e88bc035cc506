//! `engine_handle`: the simulator's `handle` (`core/src/engine`) on any method, path, headers
//! and parameters, in sequences, so that sessions exist in every state for later requests.
//!
//! Input: requests written as on the wire, one block each:
//!
//! ```text
//! POST /v1/identity/verification_sessions
//! Idempotency-Key: k1
//! > type=document&metadata[order]=42
//!
//! POST /v1/test_helpers/identity/verification_sessions/$0/submit
//! +3600
//! GET /v1/identity/verification_sessions
//! > limit=3&expand[]=data.verified_outputs
//! ```
//!
//! A `METHOD PATH` line starts a request (`GET`, `POST`, `DELETE`; another method skips it),
//! `Name: value` lines are its headers, `> text` lines its form-encoded parameters (appended as
//! they are), `+N` moves the clock. `$N` anywhere is the id of the N-th session created so far.
//!
//! Checked beyond "no panic": every answer is a JSON object with `Request-Id`; a 200 is an API
//! object, anything else is a 400 or 404 error object with a type and a message; a replay
//! answers only a POST with a key.

use identity::backend::{Method, Request, Response};
use identity::engine::{ManualClock, Simulator};
use serde_json::Value;
use std::sync::Arc;

/// Most requests per input.
const MAX_REQUESTS: usize = 48;

/// Runs one input.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let clock = ManualClock::new(crate::START);
    let simulator = Simulator::with_clock(Arc::new(clock.clone()));
    let mut created: Vec<String> = Vec::new();
    let mut pending: Option<Request> = None;
    let mut sent = 0;
    let mut send = |req: Option<Request>, created: &mut Vec<String>| {
        let Some(req) = req else { return };
        sent += 1;
        if sent > MAX_REQUESTS {
            return;
        }
        let req = Request {
            path: substitute(&req.path, created),
            params: substitute(&req.params, created),
            headers: req.headers.iter().map(|(k, v)| (k.clone(), substitute(v, created))).collect(),
            ..req
        };
        let response = simulator.handle(&req);
        if let Some(id) = check(&req, &response) {
            created.push(id);
        }
    };
    for line in text.split('\n') {
        if let Some(seconds) = line.strip_prefix('+') {
            if let Ok(n) = seconds.trim().parse::<i64>() {
                clock.advance(n.clamp(0, 366 * 86_400));
            }
        } else if let Some(params) = line.strip_prefix("> ") {
            if let Some(req) = pending.as_mut() {
                req.params.push_str(params);
            }
        } else if line.is_empty() {
            send(pending.take(), &mut created);
        } else if let Some((method, path)) = line.split_once(' ').filter(|(m, _)| is_method(m)) {
            send(pending.take(), &mut created);
            pending = Method::parse(method).map(|m| Request::new(m, path, ""));
        } else if let Some((name, value)) = line.split_once(": ") {
            if let Some(req) = pending.as_mut() {
                req.headers.push((name.to_string(), value.to_string()));
            }
        }
    }
    send(pending.take(), &mut created);
}

/// An upper-case word: a method, served or not.
fn is_method(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_uppercase())
}

fn substitute(text: &str, created: &[String]) -> String {
    // Ids are ASCII, so replacing `$N` in valid UTF-8 keeps it valid.
    String::from_utf8(crate::script::substitute(text.as_bytes(), created)).expect("UTF-8 in, UTF-8 out")
}

/// The answer has the API's shape; gives the new session's id after a create.
fn check(req: &Request, response: &Response) -> Option<String> {
    let context = || format!("{} {} {:?} -> {}", req.method, req.path, req.params, response.status);
    let body: Value = serde_json::from_slice(&response.body)
        .unwrap_or_else(|e| panic!("{}: the body is not JSON ({e})", context()));
    assert!(body.is_object(), "{}: the body is not an object: {body}", context());
    let request_id = response.request_id().unwrap_or_default();
    assert!(request_id.starts_with("req_"), "{}: Request-Id {request_id:?}", context());
    if response.header("Idempotent-Replayed").is_some() {
        assert!(
            req.method == Method::Post && req.header("Idempotency-Key").is_some_and(|k| !k.is_empty()),
            "{}: replayed without a key",
            context()
        );
    }
    match response.status {
        200 => {
            let object = body["object"].as_str();
            assert!(object.is_some(), "{}: a 200 without an object: {body}", context());
            let is_create = req.method == Method::Post
                && req.path.trim_end_matches('/') == identity::engine::COLLECTION
                && response.header("Idempotent-Replayed").is_none();
            if is_create {
                let id = body["id"].as_str().unwrap_or_default();
                assert!(id.starts_with("vs_"), "{}: created {body}", context());
                return Some(id.to_string());
            }
            None
        }
        400 | 404 => {
            let error = &body["error"];
            assert!(error["type"].is_string(), "{}: an error without a type: {body}", context());
            let message = error["message"].as_str().unwrap_or_default();
            assert!(!message.is_empty(), "{}: an error without a message: {body}", context());
            None
        }
        other => panic!("{}: status {other}: {body}", context()),
    }
}
