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
//! object, anything else is a 400 or 404 error object with a type and a message; every session
//! shown (alone or in a list) is in a known status, created in the simulator's past, with a
//! `client_secret` and `url` exactly while it awaits input; a replay answers only a POST with a
//! key, and with the first answer to that key, byte for byte.

use identity::backend::{Method, Request, Response};
use identity::engine::Clock;
use identity::engine::{ManualClock, Simulator};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Most requests per input.
const MAX_REQUESTS: usize = 48;

/// Runs one input.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let clock = ManualClock::new(crate::START).expect("a time in range");
    let mut run = Run {
        simulator: Simulator::with_clock(Arc::new(clock.clone())),
        clock,
        created: Vec::new(),
        sent: 0,
        first_answers: HashMap::new(),
    };
    let mut pending: Option<Request> = None;
    for line in text.split('\n') {
        if let Some(seconds) = line.strip_prefix('+') {
            if let Ok(n) = seconds.trim().parse::<i64>() {
                // Refused past the year 9999, which many steps can reach; the time stays.
                let _ = run.clock.advance(n.clamp(0, 366 * 86_400));
            }
        } else if let Some(params) = line.strip_prefix("> ") {
            if let Some(req) = pending.as_mut() {
                req.params.push_str(params);
            }
        } else if line.is_empty() {
            run.send(pending.take());
        } else if let Some((method, path)) = line.split_once(' ').filter(|(m, _)| is_method(m)) {
            run.send(pending.take());
            pending = Method::parse(method).map(|m| Request::new(m, path, ""));
        } else if let Some((name, value)) = line.split_once(": ") {
            if let Some(req) = pending.as_mut() {
                req.headers.push((name.to_string(), value.to_string()));
            }
        }
    }
    run.send(pending.take());
}

/// One input's simulator and what its answers so far imply.
struct Run {
    simulator: Simulator,
    clock: ManualClock,
    /// Ids of the sessions created, in order (`$N`).
    created: Vec<String>,
    sent: usize,
    /// The last 200 answered afresh to a POST with a key, by (`Stripe-Account`, key): what a
    /// replay of that key must answer.
    first_answers: HashMap<(Option<String>, String), Vec<u8>>,
}

impl Run {
    fn send(&mut self, req: Option<Request>) {
        let Some(req) = req else { return };
        self.sent += 1;
        if self.sent > MAX_REQUESTS {
            return;
        }
        let created = &self.created;
        let req = Request {
            path: substitute(&req.path, created),
            params: substitute(&req.params, created),
            headers: req.headers.iter().map(|(k, v)| (k.clone(), substitute(v, created))).collect(),
            ..req
        };
        let response = self.simulator.handle(&req);
        if let Some(id) = check(&req, &response, self.clock.now()) {
            self.created.push(id);
        }
        self.check_replay(&req, &response);
    }

    /// A replayed answer is the first answer to that key, byte for byte.
    fn check_replay(&mut self, req: &Request, response: &Response) {
        let Some(key) = req.header("Idempotency-Key").filter(|k| !k.is_empty() && req.method == Method::Post)
        else {
            return;
        };
        let scope = (req.header("Stripe-Account").map(String::from), key.to_string());
        if response.header("Idempotent-Replayed").is_some() {
            if let (200, Some(first)) = (response.status, self.first_answers.get(&scope)) {
                assert!(
                    first == &response.body,
                    "key {key:?} replayed {:?}, first answered {:?}",
                    String::from_utf8_lossy(&response.body),
                    String::from_utf8_lossy(first)
                );
            }
        } else if response.status == 200 {
            self.first_answers.insert(scope, response.body.clone());
        }
    }
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
fn check(req: &Request, response: &Response, now: i64) -> Option<String> {
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
            match body["object"].as_str() {
                Some("identity.verification_session") => check_session(&body, now, &context),
                Some("list") => {
                    let data = body["data"].as_array();
                    let data = data.unwrap_or_else(|| panic!("{}: a list without data: {body}", context()));
                    assert!(data.len() <= 100, "{}: a page of {}", context(), data.len());
                    assert!(body["has_more"].is_boolean(), "{}: {body}", context());
                    // A list of sessions, or of reports, events or webhook endpoints.
                    for item in data {
                        match item["object"].as_str() {
                            Some("identity.verification_session") => check_session(item, now, &context),
                            Some(_) => assert!(item["id"].is_string(), "{}: {item}", context()),
                            None => panic!("{}: an item without an object: {item}", context()),
                        }
                    }
                }
                Some(_) => {}
                None => panic!("{}: a 200 without an object: {body}", context()),
            }
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

/// A session as the API shows it: test mode, a known status, created in the simulator's past,
/// and a `client_secret` and `url` exactly while it awaits input.
pub fn check_session(session: &Value, now: i64, context: &dyn Fn() -> String) {
    let id = session["id"].as_str().unwrap_or_default();
    assert!(id.starts_with("vs_"), "{}: a session without an id: {session}", context());
    assert_eq!(session["livemode"], Value::Bool(false), "{}: {session}", context());
    let status = session["status"].as_str().unwrap_or_default();
    assert!(
        ["requires_input", "processing", "verified", "canceled"].contains(&status),
        "{}: status {status:?}",
        context()
    );
    let awaiting = status == "requires_input";
    for field in ["client_secret", "url"] {
        assert_eq!(session[field].is_string(), awaiting, "{}: {field} while {status}: {session}", context());
    }
    let created = session["created"].as_i64().unwrap_or(i64::MIN);
    assert!((crate::START..=now).contains(&created), "{}: created {created}, now {now}", context());
}
