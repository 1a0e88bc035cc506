//! The embedded simulator: a thread-safe, in-memory, stateful copy of the VerificationSession
//! API. It answers [`Request`]s with [`Response`]s exactly as the API would: the local backend
//! calls it in process and `identity-mock` serves it over HTTP.
//!
//! Controls that play the user live under `/v1/test_helpers/identity/verification_sessions/:id/`
//! (`submit`, `verify`, `fail`, `complete_redaction`). Every transition is recorded as an event.
//!
//! Choices where the API's behaviour is not public are written beside the code that makes them
//! (see [`errors`] for wordings). Objects are not scoped by `Stripe-Account`; idempotency keys
//! are (facts §8). Sessions are test mode (`livemode: false`).
//!
//! An idempotency key is 1 to 255 printable ASCII characters (0x20 to 0x7E); any other key is
//! refused with a 400 before anything is done ([`idempotency`]). Error messages quote request
//! values cut to [`errors::ECHO_MAX_CHARS`] characters ([`errors::echo`]).

pub mod clock;
pub mod errors;
mod expand;
pub mod idempotency;
pub mod ids;
mod lifecycle;
mod ops;
pub mod persist;
pub mod schema;
mod state;

pub use clock::{Clock, ManualClock, SystemClock, MAX_TIME};
pub use ops::{COLLECTION, REDACTED};

use crate::backend::{Method, Request, Response};
use crate::model::{Event, VerificationStatus};
use crate::wire::{self, Limits, Node};
use errors::Failure;
use parking_lot::RwLock;
use persist::Store;
use state::{IdempotentEntry, State};
use std::sync::Arc;

/// Per-request facts the operations need.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// Now, unix seconds.
    pub now: i64,
    /// This request's id.
    pub request_id: &'a str,
    /// Its idempotency key.
    pub idempotency_key: Option<&'a str>,
}

/// Events kept by default (the oldest are dropped beyond this).
pub const DEFAULT_EVENT_CAPACITY: usize = 10_000;

/// Bytes the event log holds by default (summed `StoredEvent::weight`: each event's text and
/// record), whatever the count: 10,000 snapshots of sessions with the largest metadata would
/// otherwise hold about 300 MB.
pub const DEFAULT_EVENT_BYTES: usize = 32 << 20;

/// The simulator.
#[derive(Debug)]
pub struct Simulator {
    state: RwLock<State>,
    clock: Arc<dyn Clock>,
    limits: Limits,
    /// Where every write is committed before it is answered, when attached.
    store: Option<Arc<dyn Store>>,
}

impl Default for Simulator {
    fn default() -> Self {
        Simulator::new()
    }
}

/// One route of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route<'a> {
    Create,
    List,
    Retrieve(&'a str),
    Update(&'a str),
    Cancel(&'a str),
    Redact(&'a str),
    Control(&'a str, Control),
    RetrieveReport(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    Submit,
    Verify,
    Fail,
    CompleteRedaction,
}

const SESSIONS: &str = "/v1/identity/verification_sessions";
const HELPERS: &str = "/v1/test_helpers/identity/verification_sessions/";
const REPORTS: &str = "/v1/identity/verification_reports/";

fn route(method: Method, path: &str) -> Option<Route<'_>> {
    let path = path.strip_suffix('/').unwrap_or(path);
    if path == SESSIONS {
        return match method {
            Method::Post => Some(Route::Create),
            Method::Get => Some(Route::List),
            Method::Delete => None,
        };
    }
    if let Some(rest) = path.strip_prefix(HELPERS) {
        let (id, action) = rest.split_once('/')?;
        let control = match action {
            "submit" => Control::Submit,
            "verify" => Control::Verify,
            "fail" => Control::Fail,
            "complete_redaction" => Control::CompleteRedaction,
            _ => return None,
        };
        return (method == Method::Post && !id.is_empty()).then_some(Route::Control(id, control));
    }
    if let Some(id) = path.strip_prefix(REPORTS) {
        return (method == Method::Get && !id.is_empty() && !id.contains('/'))
            .then_some(Route::RetrieveReport(id));
    }
    let rest = path.strip_prefix(SESSIONS)?.strip_prefix('/')?;
    let (id, action) = rest.split_once('/').unwrap_or((rest, ""));
    if id.is_empty() {
        return None;
    }
    match (method, action) {
        (Method::Get, "") => Some(Route::Retrieve(id)),
        (Method::Post, "") => Some(Route::Update(id)),
        (Method::Post, "cancel") => Some(Route::Cancel(id)),
        (Method::Post, "redact") => Some(Route::Redact(id)),
        _ => None,
    }
}

/// A path segment as the client meant it: percent-escapes decoded (`%2F` is a `/` inside the
/// id, never a separator).
fn unescape(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

impl Simulator {
    /// A simulator on the system clock.
    pub fn new() -> Simulator {
        Simulator::with_clock(Arc::new(SystemClock))
    }

    /// A simulator on the given clock.
    pub fn with_clock(clock: Arc<dyn Clock>) -> Simulator {
        let state = State { event_capacity: DEFAULT_EVENT_CAPACITY, ..Default::default() };
        Simulator { state: RwLock::new(state), clock, limits: Limits::default(), store: None }
    }

    /// Keeps at most `capacity` events (0 turns the event log off).
    pub fn with_event_capacity(self, capacity: usize) -> Simulator {
        self.state.write().event_capacity = capacity;
        self
    }

    /// Keeps at most `bytes` bytes of events (see [`DEFAULT_EVENT_BYTES`]).
    pub fn with_event_byte_budget(self, bytes: usize) -> Simulator {
        self.state.write().event_byte_budget = bytes;
        self
    }

    /// Bounds on decoded parameters.
    pub fn with_limits(mut self, limits: Limits) -> Simulator {
        self.limits = limits;
        self
    }

    /// The clock in use.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Answers one request.
    pub fn handle(&self, req: &Request) -> Response {
        let request_id = ids::request_id();
        let mut headers = vec![
            ("Request-Id".to_string(), request_id.clone()),
            ("Content-Type".to_string(), "application/json".to_string()),
            (
                "Stripe-Version".to_string(),
                req.header("Stripe-Version").unwrap_or(crate::API_VERSION).to_string(),
            ),
        ];
        let key = match req.method {
            Method::Post => req.header("Idempotency-Key").filter(|k| !k.is_empty()),
            _ => None,
        };
        // A key that breaks the rule is refused below, and not echoed: it may not be a valid
        // header value.
        if let Some(k) = key.filter(|k| idempotency::check_key(k).is_ok()) {
            headers.push(("Idempotency-Key".into(), k.to_string()));
        }
        let (status, body) = match self.dispatch(req, &request_id, key) {
            Dispatch::Fresh(Ok(body)) => (200, body),
            Dispatch::Fresh(Err(f)) => (f.status, ops::json(&f.error.to_body())),
            Dispatch::Replayed(original) => {
                headers.push(("Idempotent-Replayed".into(), "true".into()));
                if let Some(orig) = original.request_id() {
                    headers.push(("Original-Request".into(), orig.to_string()));
                }
                (original.status, original.body)
            }
        };
        Response { status, headers, body }
    }

    fn dispatch(&self, req: &Request, request_id: &str, key: Option<&str>) -> Dispatch {
        let Some(route) = route(req.method, &req.path) else {
            return Dispatch::Fresh(Err(errors::unrecognized_url(req.method.as_str(), &req.path)));
        };
        let params = match wire::decode(&req.params, &self.limits) {
            Ok(p) => p,
            Err(e) => return Dispatch::Fresh(Err(e.into())),
        };
        match route {
            Route::List => Dispatch::Fresh(ops::list(&self.state.read(), &params)),
            Route::Retrieve(id) => Dispatch::Fresh(ops::retrieve(&self.state.read(), &unescape(id), &params)),
            Route::RetrieveReport(id) => Dispatch::Fresh(self.retrieve_report(&unescape(id), &params)),
            _ => {
                let mut state = self.state.write();
                self.begin(&mut state);
                let dispatch = self.write_locked(&mut state, req, request_id, key, route, params);
                self.finish(&mut state, dispatch)
            }
        }
    }

    /// Acts on a write under the lock: idempotent replay, or the operation (and its record).
    fn write_locked(
        &self,
        state: &mut State,
        req: &Request,
        request_id: &str,
        key: Option<&str>,
        route: Route<'_>,
        params: Node,
    ) -> Dispatch {
        // Time is read under the lock, so `created` never decreases along creation order.
        let now = self.clock.now();
        let ctx = Ctx { now, request_id, idempotency_key: key };
        if let Some(key) = key {
            if let Err(refused) = idempotency::check_key(key) {
                return Dispatch::Fresh(Err(refused));
            }
            state.prune_idempotency(now);
            let scope = (req.header("Stripe-Account").map(String::from), key.to_string());
            if let Some(entry) = state.idempotency.get(&scope) {
                return if entry.method == req.method
                    && entry.path == req.path
                    && entry.params.equivalent(&params)
                {
                    Dispatch::Replayed(entry.response.clone())
                } else {
                    Dispatch::Fresh(Err(errors::idempotency_mismatch(key)))
                };
            }
            let result = write(state, &ctx, route, &params);
            let stored = match &result {
                Ok(body) => Some((200, body.clone())),
                Err(f) if f.executed => Some((f.status, ops::json(&f.error.to_body()))),
                Err(_) => None,
            };
            if let Some((status, body)) = stored {
                let response =
                    Response { status, headers: vec![("Request-Id".into(), request_id.to_string())], body };
                state.remember(
                    scope,
                    IdempotentEntry {
                        method: req.method,
                        path: req.path.clone(),
                        params,
                        response,
                        created: now,
                    },
                );
            }
            Dispatch::Fresh(result)
        } else {
            Dispatch::Fresh(write(state, &ctx, route, &params))
        }
    }

    fn retrieve_report(&self, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
        schema::check(p, schema::EXPAND_ONLY)?;
        let state = self.state.read();
        let report = state.reports.get(id).ok_or_else(|| errors::no_such_report(id))?;
        // A report retrieved on its own shows its sensitive keys only when expanded by name.
        let ex = expand_report(p)?;
        Ok(ops::json(&expand::report_view(report, ex)))
    }

    /// Every event still kept, oldest first.
    pub fn events(&self) -> Vec<Event> {
        self.state.read().events.iter().map(|e| e.to_event()).collect()
    }

    /// Bytes the event log holds now (bounded by [`Simulator::with_event_byte_budget`]).
    pub fn event_log_bytes(&self) -> usize {
        self.state.read().event_bytes
    }

    /// Number of stored sessions.
    pub fn session_count(&self) -> usize {
        self.state.read().sessions.len()
    }

    /// Number of stored sessions in a status.
    pub fn count_status(&self, status: &VerificationStatus) -> usize {
        self.state.read().count_status(status)
    }
}

/// Reads `expand` of a report retrieved by itself (`document.dob`, …) as the same bits a
/// session's `last_verification_report.document.dob` sets.
fn expand_report(p: &Node) -> Result<expand::Expand, Failure> {
    let Some(list) = p.get("expand").and_then(Node::as_list) else { return Ok(Default::default()) };
    let mut prefixed = Vec::with_capacity(list.len());
    for n in list {
        let raw = n.as_str().unwrap_or_default();
        // Only the report's own sensitive keys can be expanded here.
        if !raw.starts_with("document.") && !raw.starts_with("id_number.") {
            return Err(errors::cannot_expand(raw));
        }
        prefixed.push(Node::Str(format!("last_verification_report.{raw}")));
    }
    expand::Expand::parse(&Node::Map(vec![("expand".into(), Node::List(prefixed))]), "").map_err(|mut f| {
        if let Some(m) = f.error.message.as_mut() {
            *m = m.replace("last_verification_report.", "");
        }
        f
    })
}

enum Dispatch {
    Fresh(Result<Vec<u8>, Failure>),
    Replayed(Response),
}

fn write(state: &mut State, ctx: &Ctx<'_>, route: Route<'_>, p: &Node) -> Result<Vec<u8>, Failure> {
    match route {
        Route::Create => ops::create(state, ctx, p),
        Route::Update(id) => ops::update(state, ctx, &unescape(id), p),
        Route::Cancel(id) => ops::cancel(state, ctx, &unescape(id), p),
        Route::Redact(id) => ops::redact(state, ctx, &unescape(id), p),
        Route::Control(id, c) => {
            let id = unescape(id);
            match c {
                Control::Submit => lifecycle::submit(state, ctx, &id, p),
                Control::Verify => lifecycle::verify(state, ctx, &id, p),
                Control::Fail => lifecycle::fail(state, ctx, &id, p),
                Control::CompleteRedaction => lifecycle::complete_redaction(state, ctx, &id, p),
            }
        }
        Route::List | Route::Retrieve(_) | Route::RetrieveReport(_) => {
            unreachable!("reads are answered under the read lock")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(route(Method::Post, SESSIONS), Some(Route::Create));
        assert_eq!(route(Method::Get, SESSIONS), Some(Route::List));
        assert_eq!(
            route(Method::Get, "/v1/identity/verification_sessions/vs_1"),
            Some(Route::Retrieve("vs_1"))
        );
        assert_eq!(
            route(Method::Post, "/v1/identity/verification_sessions/vs_1"),
            Some(Route::Update("vs_1"))
        );
        assert_eq!(
            route(Method::Post, "/v1/identity/verification_sessions/vs_1/cancel"),
            Some(Route::Cancel("vs_1"))
        );
        assert_eq!(route(Method::Get, "/v1/identity/verification_sessions/vs_1/cancel"), None);
        assert_eq!(route(Method::Post, "/v1/identity/verification_sessions/vs_1/x"), None);
        assert_eq!(route(Method::Delete, "/v1/identity/verification_sessions/vs_1"), None);
        assert_eq!(
            route(Method::Post, "/v1/test_helpers/identity/verification_sessions/vs_1/fail"),
            Some(Route::Control("vs_1", Control::Fail))
        );
        assert_eq!(
            route(Method::Get, "/v1/identity/verification_reports/vr_1"),
            Some(Route::RetrieveReport("vr_1"))
        );
        assert_eq!(route(Method::Get, "/v1/customers"), None);
        assert_eq!(unescape("vs_a%2Fb"), "vs_a/b");
    }
}
