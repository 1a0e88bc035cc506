//! The embedded simulator: a thread-safe, in-memory, stateful copy of the VerificationSession
//! API. It answers [`Request`]s with [`Response`]s exactly as the API would: the local backend
//! calls it in process and `identity-mock` serves it over HTTP.
//!
//! Controls that play the user live under `/v1/test_helpers/identity/verification_sessions/:id/`
//! (`submit`, `verify`, `fail`, `complete_redaction`). Every transition is recorded as an event.
//! [`hosted`] holds the rules of the hosted page that a session's `url` opens (identity-mock
//! serves it): which token opens which session, when it is spent or expires, and its choices,
//! which run those same controls.
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
mod events;
mod expand;
pub mod hosted;
pub mod idempotency;
pub mod ids;
mod lifecycle;
mod ops;
mod paging;
pub mod persist;
mod redaction;
mod reports;
pub mod schema;
mod sessions;
mod state;
pub(crate) mod webhook_endpoints;

pub use clock::{Clock, ManualClock, SystemClock, MAX_TIME};
pub use ops::{COLLECTION, REDACTED};
pub use webhook_endpoints::{WebhookTarget, MAX_WEBHOOK_ENDPOINTS, WEBHOOK_ENDPOINTS};

use crate::api::{self, Operation};
use crate::backend::{Method, Request, Response};
use crate::model::{Event, VerificationStatus};
use crate::wire::{self, Limits, Node};
use errors::Failure;
use parking_lot::RwLock;
use persist::Store;
use state::{IdempotentEntry, State, StoredEvent};
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

/// Called with each new event once the write that made it has been committed, outside the
/// simulator's lock (a listener may call the simulator again). See [`Simulator::subscribe`].
pub type EventListener = Arc<dyn Fn(&Event) + Send + Sync>;

/// Called, as an [`EventListener`] is, with each new event and the webhook endpoints owed its
/// delivery (never with none). See [`Simulator::deliver_webhooks`].
pub type DeliveryListener = Arc<dyn Fn(&Event, &[WebhookTarget]) + Send + Sync>;

/// The simulator.
pub struct Simulator {
    state: RwLock<State>,
    clock: Arc<dyn Clock>,
    limits: Limits,
    /// Where every write is committed before it is answered, when attached.
    store: Option<Arc<dyn Store>>,
    /// Who hears of new events ([`Simulator::subscribe`]).
    listeners: RwLock<Vec<EventListener>>,
    /// Who delivers webhooks ([`Simulator::deliver_webhooks`]).
    deliverers: RwLock<Vec<DeliveryListener>>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("state", &self.state)
            .field("clock", &self.clock)
            .field("limits", &self.limits)
            .field("store", &self.store.is_some())
            .field("listeners", &self.listeners.read().len())
            .finish()
    }
}

impl Default for Simulator {
    fn default() -> Self {
        Simulator::new()
    }
}

/// The request headers the simulator reads, in lower case: a server in front of it (identity-mock)
/// need hand it no others.
pub const HEADERS_READ: [&str; 3] = ["idempotency-key", "stripe-account", "stripe-version"];

/// A request header the simulator reads; each is in [`HEADERS_READ`] (checked in debug builds,
/// so that a header read here is never one a server leaves out).
fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    debug_assert!(HEADERS_READ.iter().any(|h| h.eq_ignore_ascii_case(name)), "{name} is not in HEADERS_READ");
    req.header(name)
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
        Simulator {
            state: RwLock::new(state),
            clock,
            limits: Limits::default(),
            store: None,
            listeners: RwLock::new(Vec::new()),
            deliverers: RwLock::new(Vec::new()),
        }
    }

    /// Calls `listener` with every event recorded from now on, whether or not the event log
    /// keeps it. Listeners run on the thread that made the request, after its write is
    /// committed and outside the simulator's lock, in the order the events were recorded; an
    /// answer returns only once its listeners have run, so a slow listener slows that request
    /// only. identity-mock queues webhook deliveries from here; `Client.local()` hands events
    /// to callbacks.
    pub fn subscribe(&self, listener: EventListener) {
        self.listeners.write().push(listener);
        self.state.write().outbox_enabled = true;
    }

    /// Calls `deliver` with every event recorded from now on that an enabled webhook endpoint
    /// matches, and those endpoints; from then on each such event counts them in
    /// `pending_webhooks` until [`webhook_delivery_done`](Self::webhook_delivery_done) reports
    /// them. `deliver` runs as a [`subscribe`](Self::subscribe) listener does (on the request's
    /// thread, after commit), so it must only hand the work on, never wait. identity-mock's
    /// delivery worker registers here.
    pub fn deliver_webhooks(&self, deliver: DeliveryListener) {
        self.deliverers.write().push(deliver);
        // Only events owed a delivery go to the outbox (`State::record_and_announce`): with no
        // endpoint registered, a write pays nothing for the worker being there.
        self.state.write().webhooks.delivering = true;
    }

    /// A webhook delivery of event `event_id` ended: when it `succeeded`, the event's
    /// `pending_webhooks` drops by one (and `delivery_success` turns true at 0). A delivery given
    /// up leaves both as they are: the API counts in `pending_webhooks` the deliveries not yet
    /// successful. Whether the event is still in the log. Not written to a store.
    pub fn webhook_delivery_done(&self, event_id: &str, succeeded: bool) -> bool {
        let mut state = self.state.write();
        if succeeded {
            state.webhook_delivered(event_id)
        } else {
            state.events.iter().any(|e| e.id == event_id)
        }
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
        let key = match req.method {
            Method::Post => header(req, "Idempotency-Key").filter(|k| !k.is_empty()),
            _ => None,
        };
        let dispatch = self.dispatch(req, &request_id, key);
        // Built once the request is done, so the id moves into its header without a copy.
        let mut headers = Vec::with_capacity(6);
        headers.push(("Request-Id".to_string(), request_id));
        headers.push(("Content-Type".to_string(), "application/json".to_string()));
        headers.push((
            "Stripe-Version".to_string(),
            header(req, "Stripe-Version").unwrap_or(crate::API_VERSION).to_string(),
        ));
        // A key that breaks the rule is refused below, and not echoed: it may not be a valid
        // header value.
        if let Some(k) = key.filter(|k| idempotency::check_key(k).is_ok()) {
            headers.push(("Idempotency-Key".into(), k.to_string()));
        }
        let (status, body) = match dispatch {
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
        let Some((op, id)) = api::route(req.method, &req.path) else {
            return Dispatch::Fresh(Err(errors::unrecognized_url(req.method.as_str(), &req.path)));
        };
        let params = match wire::decode(&req.params, &self.limits) {
            Ok(p) => p,
            Err(e) => return Dispatch::Fresh(Err(e.into())),
        };
        // The router matched the path's template, so an operation with an id has one.
        let id = id.map(unescape).unwrap_or_default();
        match op {
            Operation::List => Dispatch::Fresh(read(&self.state.read(), op, &params, ops::list)),
            Operation::Retrieve => {
                Dispatch::Fresh(read(&self.state.read(), op, &params, |s, p| ops::retrieve(s, &id, p)))
            }
            Operation::RetrieveReport => {
                Dispatch::Fresh(read(&self.state.read(), op, &params, |s, p| reports::retrieve(s, &id, p)))
            }
            Operation::ListReports => Dispatch::Fresh(read(&self.state.read(), op, &params, reports::list)),
            Operation::RetrieveEvent => {
                Dispatch::Fresh(read(&self.state.read(), op, &params, |s, p| events::retrieve(s, &id, p)))
            }
            Operation::ListEvents => Dispatch::Fresh(read(&self.state.read(), op, &params, events::list)),
            Operation::RetrieveWebhookEndpoint => {
                Dispatch::Fresh(read(&self.state.read(), op, &params, |s, p| {
                    webhook_endpoints::retrieve(s, &id, p)
                }))
            }
            Operation::ListWebhookEndpoints => {
                Dispatch::Fresh(read(&self.state.read(), op, &params, webhook_endpoints::list))
            }
            _ => {
                let mut state = self.state.write();
                self.begin(&mut state);
                let dispatch = self.write_locked(&mut state, req, request_id, key, (op, &id), params);
                let dispatch = self.finish(&mut state, dispatch);
                let outbox = std::mem::take(&mut state.outbox);
                drop(state);
                self.notify(outbox);
                dispatch
            }
        }
    }

    /// Hands committed events to the listeners.
    fn notify(&self, outbox: Vec<(StoredEvent, Vec<WebhookTarget>)>) {
        if outbox.is_empty() {
            return;
        }
        let listeners = self.listeners.read().clone();
        let deliverers = self.deliverers.read().clone();
        for (stored, targets) in outbox {
            if listeners.is_empty() && targets.is_empty() {
                continue;
            }
            let event = stored.to_event();
            for listener in &listeners {
                listener(&event);
            }
            if !targets.is_empty() {
                for deliver in &deliverers {
                    deliver(&event, &targets);
                }
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
        (op, id): (Operation, &str),
        mut params: Node,
    ) -> Dispatch {
        // Time is read under the lock, so `created` never decreases along creation order.
        let now = self.clock.now();
        let ctx = Ctx { now, request_id, idempotency_key: key };
        if let Some(key) = key {
            if let Err(refused) = idempotency::check_key(key) {
                return Dispatch::Fresh(Err(refused));
            }
            state.prune_idempotency(now);
            let scope = (header(req, "Stripe-Account").map(String::from), key.to_string());
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
            // With a key, the operations leave `params` as they are (see `ops::params_kept`):
            // they are kept for replays below.
            let result = write(state, &ctx, op, id, &mut params);
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
            Dispatch::Fresh(write(state, &ctx, op, id, &mut params))
        }
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

enum Dispatch {
    Fresh(Result<Vec<u8>, Failure>),
    Replayed(Response),
}

/// A read, under the read lock, after its parameters pass the operation's schema.
fn read(
    state: &State,
    op: Operation,
    p: &Node,
    run: impl FnOnce(&State, &Node) -> Result<Vec<u8>, Failure>,
) -> Result<Vec<u8>, Failure> {
    schema::check(p, op.desc().params)?;
    run(state, p)
}

/// A write, under the write lock (and after the idempotency check), after its parameters pass
/// the operation's schema.
fn write(
    state: &mut State,
    ctx: &Ctx<'_>,
    op: Operation,
    id: &str,
    p: &mut Node,
) -> Result<Vec<u8>, Failure> {
    schema::check(p, op.desc().params)?;
    match op {
        Operation::Create => ops::create(state, ctx, p),
        Operation::Update => ops::update(state, ctx, id, p),
        Operation::Cancel => ops::cancel(state, ctx, id, p),
        Operation::Redact => ops::redact(state, ctx, id, p),
        Operation::Submit => lifecycle::submit(state, ctx, id, p),
        Operation::Verify => lifecycle::verify(state, ctx, id, p),
        Operation::Fail => lifecycle::fail(state, ctx, id, p),
        Operation::CompleteRedaction => lifecycle::complete_redaction(state, ctx, id, p),
        Operation::CreateWebhookEndpoint => webhook_endpoints::create(state, ctx, p),
        Operation::UpdateWebhookEndpoint => webhook_endpoints::update(state, id, p),
        Operation::DeleteWebhookEndpoint => webhook_endpoints::delete(state, id),
        Operation::List
        | Operation::Retrieve
        | Operation::RetrieveReport
        | Operation::ListReports
        | Operation::RetrieveEvent
        | Operation::ListEvents
        | Operation::RetrieveWebhookEndpoint
        | Operation::ListWebhookEndpoints => {
            unreachable!("reads are answered under the read lock")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_are_unescaped() {
        assert_eq!(unescape("vs_a%2Fb"), "vs_a/b");
    }
}
