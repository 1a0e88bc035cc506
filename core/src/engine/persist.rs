//! Persistence: how a store outside the simulator (identity-mock's `--data` SQLite file) keeps
//! the simulator's state across restarts, while core knows nothing of how it is stored.
//!
//! - **Writing.** After each write that changed anything, still under the simulator's lock and
//!   before the answer leaves, the simulator hands its [`Store`] the [`Changes`] of that write:
//!   rows to put and keys to delete, for the session, reports, events and idempotency record it
//!   touched. The store makes them durable as one transaction. If it cannot, the write answers
//!   `500 api_error` and is undone in memory, so the simulator never shows what the store does
//!   not hold, and the request can be retried.
//! - **Reading.** At start, [`Simulator::with_store`] rebuilds the state from the rows the store
//!   kept: sessions in creation order (new ones continue the sequence), reports, the event log in
//!   its order, and the idempotency cache with each key's storage time, so keys still expire 24
//!   hours after first use.
//!
//! A [`Row`] is opaque to the store: a [`Kind`], a key unique within the kind, a position that
//! orders rows within the kind, and a JSON body that only this module reads.
//!
//! Without a store nothing here runs: no journal is kept, and the in-memory path does what it
//! did before, at the same speed.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use stripe_identity::engine::persist::{Changes, Row, Store, StoreError};
//! use stripe_identity::engine::Simulator;
//! use stripe_identity::model::RequestedVerificationType;
//! use stripe_identity::params::CreateVerificationSession;
//! use stripe_identity::Client;
//!
//! /// Keeps the rows in memory; identity-mock's store keeps them in SQLite.
//! #[derive(Debug, Default)]
//! struct Rows(Mutex<Vec<Row>>);
//!
//! impl Store for Rows {
//!     fn commit(&self, changes: &Changes) -> Result<(), StoreError> {
//!         let mut rows = self.0.lock().unwrap();
//!         let gone = |r: &Row| {
//!             changes.delete.iter().any(|(kind, key)| *kind == r.kind && *key == r.key)
//!                 || changes.put.iter().any(|p| p.kind == r.kind && p.key == r.key)
//!         };
//!         rows.retain(|r| !gone(r));
//!         rows.extend(changes.put.iter().cloned());
//!         Ok(())
//!     }
//! }
//!
//! let store = Arc::new(Rows::default());
//! let client = Client::local_with(Arc::new(Simulator::new().with_store(store.clone(), Vec::new())?));
//! let params = CreateVerificationSession { r#type: Some(RequestedVerificationType::Document), ..Default::default() };
//! let id = client.verification_sessions().create(&params)?.id;
//!
//! // A "restart": a new simulator from the rows kept.
//! let saved = store.0.lock().unwrap().clone();
//! let again = Client::local_with(Arc::new(Simulator::new().with_store(store.clone(), saved)?));
//! assert_eq!(again.verification_sessions().retrieve(&id, &Default::default())?.id, id);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::errors::Failure;
use super::state::{Draft, IdempotentEntry, Link, Record, Scope, State, StoredEvent};
use super::webhook_endpoints::Stored as StoredEndpoint;
use super::{Dispatch, Simulator};
use crate::backend::{Method, Response};
use crate::error::ErrorObject;
use crate::model::{ProvidedDetails, VerificationReport, VerificationSession, VerifiedOutputs};
use crate::wire::Node;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;
use std::sync::Arc;

/// What a [`Row`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A VerificationSession with its hidden parts. Key: its id; position: creation order.
    Session,
    /// A VerificationReport. Key: its id; position: creation order.
    Report,
    /// An event of the log. Key: its id; position: its number in the log (consecutive).
    Event,
    /// What a request with an idempotency key did. Key: `[Stripe-Account or null, key]` as
    /// JSON; position: when it was stored (unix seconds).
    Idempotency,
    /// A webhook endpoint with its secret. Key: its id; position: creation order.
    WebhookEndpoint,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] =
        [Kind::Session, Kind::Report, Kind::Event, Kind::Idempotency, Kind::WebhookEndpoint];

    /// A lower-case name: `session`, `report`, `event`, `idempotency`, `webhook_endpoint`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Session => "session",
            Kind::Report => "report",
            Kind::Event => "event",
            Kind::Idempotency => "idempotency",
            Kind::WebhookEndpoint => "webhook_endpoint",
        }
    }
}

/// One stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// What it holds.
    pub kind: Kind,
    /// Unique within its kind.
    pub key: String,
    /// Orders rows within its kind.
    pub pos: i64,
    /// The record as JSON text, read only by the simulator.
    pub body: String,
}

/// What one write changed: the final state of every row it touched. Order does not matter: a
/// key appears in at most one of the two lists (possibly more than once, with the same content).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Rows to insert or replace.
    pub put: Vec<Row>,
    /// Rows to delete, by kind and key (deleting a missing row is not an error).
    pub delete: Vec<(Kind, String)>,
}

impl Changes {
    /// Whether the write changed nothing.
    pub fn is_empty(&self) -> bool {
        self.put.is_empty() && self.delete.is_empty()
    }
}

/// A store's failure, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// Where the simulator keeps its state beyond the process.
pub trait Store: Send + Sync + fmt::Debug {
    /// Makes `changes` durable, all or nothing, before returning. Called under the simulator's
    /// write lock (so calls never overlap and arrive in the order the writes happened), once per
    /// write that changed anything. An error undoes the write in memory and answers `500`.
    fn commit(&self, changes: &Changes) -> Result<(), StoreError>;
}

/// Every change of the write in progress, with what it replaced: enough to tell the store the
/// final state of each touched row, or to put everything back if the store fails.
#[derive(Debug)]
pub struct Journal {
    steps: Vec<Step>,
    next_seq: u64,
    event_bytes: usize,
    events_dropped: u64,
}

#[derive(Debug)]
enum Step {
    /// A session saved, and the record it replaced.
    Session(String, Option<Record>),
    /// A report saved or changed, and the one it replaced (boxed: reports are large).
    Report(String, Option<Box<VerificationReport>>),
    /// An event appended at this position.
    EventAdded(u64),
    /// An event dropped from the front.
    EventDropped(StoredEvent),
    /// The snapshot of the event at this position rewritten; the one it replaced.
    Snapshot(u64, String),
    /// An idempotency record stored, and the one it replaced.
    Remembered(Scope, Option<IdempotentEntry>),
    /// An expired key taken off the front of the order, and its record if that was removed.
    Forgotten((i64, Scope), Option<IdempotentEntry>),
    /// The webhook endpoints changed; what they were (at most 16, so all of them).
    Endpoints(Vec<StoredEndpoint>),
}

impl Journal {
    fn start(state: &State) -> Journal {
        Journal {
            steps: Vec::new(),
            next_seq: state.next_seq,
            event_bytes: state.event_bytes,
            events_dropped: state.events_dropped,
        }
    }

    pub(super) fn session(&mut self, id: String, before: Option<Record>) {
        self.steps.push(Step::Session(id, before));
    }

    pub(super) fn report(&mut self, id: String, before: Option<VerificationReport>) {
        self.steps.push(Step::Report(id, before.map(Box::new)));
    }

    pub(super) fn event_added(&mut self, pos: u64) {
        self.steps.push(Step::EventAdded(pos));
    }

    pub(super) fn event_dropped(&mut self, event: StoredEvent) {
        self.steps.push(Step::EventDropped(event));
    }

    pub(super) fn snapshot(&mut self, pos: u64, before: String) {
        self.steps.push(Step::Snapshot(pos, before));
    }

    pub(super) fn remembered(&mut self, scope: Scope, before: Option<IdempotentEntry>) {
        self.steps.push(Step::Remembered(scope, before));
    }

    pub(super) fn forgotten(&mut self, front: (i64, Scope), removed: Option<IdempotentEntry>) {
        self.steps.push(Step::Forgotten(front, removed));
    }

    pub(super) fn endpoints(&mut self, before: Vec<StoredEndpoint>) {
        self.steps.push(Step::Endpoints(before));
    }

    /// The final state of every row the write touched.
    fn changes(&self, state: &State) -> Changes {
        let mut out = Changes::default();
        for step in &self.steps {
            match step {
                Step::Session(id, _) => match state.sessions.get(id) {
                    Some(record) => out.put.push(session_row(id, record)),
                    None => out.delete.push((Kind::Session, id.clone())),
                },
                Step::Report(id, _) => match (state.reports.get(id), state.report_seqs.get(id)) {
                    (Some(report), Some(seq)) => out.put.push(report_row(*seq, report)),
                    _ => out.delete.push((Kind::Report, id.clone())),
                },
                // An event added then dropped in the same write has its own `EventDropped`.
                Step::EventAdded(pos) | Step::Snapshot(pos, _) => {
                    if let Some(event) = event_at(state, *pos) {
                        out.put.push(event_row(*pos, event));
                    }
                }
                Step::EventDropped(event) => out.delete.push((Kind::Event, event.id.clone())),
                Step::Remembered(scope, _) | Step::Forgotten((_, scope), Some(_)) => {
                    match state.idempotency.get(scope) {
                        Some(entry) => out.put.push(idempotency_row(scope, entry)),
                        None => out.delete.push((Kind::Idempotency, scope_key(scope))),
                    }
                }
                Step::Forgotten(_, None) => {}
                Step::Endpoints(before) => {
                    let now = state.webhooks.all();
                    out.put.extend(now.iter().map(endpoint_row));
                    for gone in before.iter().filter(|b| !now.iter().any(|n| n.endpoint.id == b.endpoint.id))
                    {
                        out.delete.push((Kind::WebhookEndpoint, gone.endpoint.id.clone()));
                    }
                }
            }
        }
        out
    }

    /// Puts back everything the write changed, newest change first.
    fn undo(self, state: &mut State) {
        for step in self.steps.into_iter().rev() {
            match step {
                Step::Session(id, before) => {
                    state.sessions.remove(&id);
                    if let Some(before) = before {
                        state.sessions.insert(id, before);
                    }
                }
                Step::Report(id, before) => match before {
                    Some(report) => {
                        state.reports.insert(id, *report);
                    }
                    None => state.remove_report(&id),
                },
                Step::EventAdded(_) => {
                    state.events.pop_back();
                }
                Step::EventDropped(event) => {
                    state.events.push_front(event);
                    state.events_dropped -= 1;
                }
                Step::Snapshot(pos, before) => {
                    let i = pos.checked_sub(state.events_dropped).and_then(|i| usize::try_from(i).ok());
                    if let Some(event) = i.and_then(|i| state.events.get_mut(i)) {
                        event.snapshot = before;
                    }
                }
                Step::Remembered(scope, before) => {
                    state.idempotency_order.pop_back();
                    match before {
                        Some(entry) => {
                            state.idempotency.insert(scope, entry);
                        }
                        None => {
                            state.idempotency.remove(&scope);
                        }
                    }
                }
                Step::Forgotten(front, removed) => {
                    if let Some(entry) = removed {
                        state.idempotency.insert(front.1.clone(), entry);
                    }
                    state.idempotency_order.push_front(front);
                }
                Step::Endpoints(before) => state.webhooks.replace(before),
            }
        }
        state.next_seq = self.next_seq;
        state.event_bytes = self.event_bytes;
        state.events_dropped = self.events_dropped;
    }
}

fn event_at(state: &State, pos: u64) -> Option<&StoredEvent> {
    let i = usize::try_from(pos.checked_sub(state.events_dropped)?).ok()?;
    state.events.get(i)
}

impl Simulator {
    /// Attaches `store` and rebuilds the state from `rows`, the records it kept. Every later
    /// write is committed to the store before it is answered.
    ///
    /// Call it on a fresh simulator, after its event bounds are set: events beyond them are
    /// dropped now, and the store is told. Rows that do not read back (a damaged or foreign
    /// file) are an error that names the row; nothing is half-restored.
    pub fn with_store(mut self, store: Arc<dyn Store>, rows: Vec<Row>) -> Result<Simulator, StoreError> {
        let state = self.state.get_mut();
        if !state.sessions.is_empty() || !state.events.is_empty() || !state.idempotency.is_empty() {
            return Err(StoreError("a store can only be attached to an empty simulator".into()));
        }
        restore(state, rows)?;
        // Trim with the journal on, so the store drops what memory drops.
        state.journal = Some(Journal::start(state));
        let (count, bytes) = (state.event_capacity, state.event_byte_budget);
        state.trim_events(count, bytes);
        if let Some(journal) = state.journal.take() {
            let changes = journal.changes(state);
            if !changes.is_empty() {
                store.commit(&changes)?;
            }
        }
        self.store = Some(store);
        Ok(self)
    }

    /// Starts the journal of a write, when a store is attached.
    pub(super) fn begin(&self, state: &mut State) {
        if self.store.is_some() {
            state.journal = Some(Journal::start(state));
        }
    }

    /// Ends a write: commits what it changed to the store, or undoes it and answers `500` when
    /// the store fails.
    pub(super) fn finish(&self, state: &mut State, dispatch: Dispatch) -> Dispatch {
        let (Some(store), Some(journal)) = (self.store.as_ref(), state.journal.take()) else {
            return dispatch;
        };
        let changes = journal.changes(state);
        if changes.is_empty() {
            return dispatch;
        }
        match store.commit(&changes) {
            Ok(()) => dispatch,
            Err(e) => {
                journal.undo(state);
                // Nothing happened, so nobody hears of it.
                state.outbox.clear();
                Dispatch::Fresh(Err(store_failure(&e)))
            }
        }
    }
}

/// The answer to a write the store could not keep. Not stored for idempotent replay: nothing
/// happened, so a retry with the same key acts afresh.
fn store_failure(e: &StoreError) -> Failure {
    Failure {
        status: 500,
        error: Box::new(ErrorObject {
            error_type: "api_error".into(),
            code: None,
            message: Some(format!(
                "The simulator could not store this change ({e}). Nothing was changed; the request can be retried."
            )),
            param: None,
            doc_url: None,
            request_log_url: None,
        }),
        executed: false,
    }
}

// ---- Row bodies ----

#[derive(Serialize)]
struct SessionOut<'a> {
    seq: u64,
    session: &'a RawValue,
    provided: Option<&'a ProvidedDetails>,
    outputs: Option<&'a VerifiedOutputs>,
    reports: &'a [String],
    link: &'a Link,
}

#[derive(Deserialize)]
struct SessionIn {
    seq: u64,
    session: VerificationSession,
    provided: Option<ProvidedDetails>,
    outputs: Option<Box<VerifiedOutputs>>,
    reports: Vec<String>,
    // Absent from rows written before hosted pages existed.
    #[serde(default)]
    link: Link,
}

#[derive(Serialize, Deserialize)]
struct EventBody {
    id: String,
    r#type: String,
    created: i64,
    session_id: String,
    snapshot: String,
    request_id: Option<String>,
    idempotency_key: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct IdempotencyBody {
    method: String,
    path: String,
    params: serde_json::Value,
    created: i64,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

/// Event types as `&'static str`, the way the log keeps them. A type missing here cannot be
/// restored, which the round-trip test of every transition would show.
const EVENT_TYPES: [&str; 6] = [
    "identity.verification_session.created",
    "identity.verification_session.processing",
    "identity.verification_session.verified",
    "identity.verification_session.requires_input",
    "identity.verification_session.canceled",
    "identity.verification_session.redacted",
];

fn to_json<T: Serialize>(value: &T) -> String {
    // Every body here is plain data with string keys, so serializing cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn session_row(id: &str, r: &Record) -> Row {
    let body = SessionOut {
        seq: r.seq,
        session: &r.json,
        provided: r.provided.as_deref(),
        outputs: r.outputs.as_deref(),
        reports: &r.reports,
        link: &r.link,
    };
    Row { kind: Kind::Session, key: id.to_string(), pos: r.seq as i64, body: to_json(&body) }
}

fn report_row(seq: u64, r: &VerificationReport) -> Row {
    Row { kind: Kind::Report, key: r.id.clone(), pos: seq as i64, body: to_json(r) }
}

fn event_row(pos: u64, e: &StoredEvent) -> Row {
    let body = EventBody {
        id: e.id.clone(),
        r#type: e.r#type.to_string(),
        created: e.created,
        session_id: e.session_id.clone(),
        snapshot: e.snapshot.clone(),
        request_id: e.request_id.clone(),
        idempotency_key: e.idempotency_key.clone(),
    };
    Row { kind: Kind::Event, key: e.id.clone(), pos: pos as i64, body: to_json(&body) }
}

fn endpoint_row(e: &StoredEndpoint) -> Row {
    Row { kind: Kind::WebhookEndpoint, key: e.endpoint.id.clone(), pos: e.seq as i64, body: to_json(e) }
}

fn scope_key(scope: &Scope) -> String {
    to_json(scope)
}

fn idempotency_row(scope: &Scope, e: &IdempotentEntry) -> Row {
    let body = IdempotencyBody {
        method: e.method.as_str().to_string(),
        path: e.path.clone(),
        params: node_to_json(&e.params),
        created: e.created,
        status: e.response.status,
        headers: e.response.headers.clone(),
        // Answers are JSON, which is UTF-8.
        body: String::from_utf8_lossy(&e.response.body).into_owned(),
    };
    Row { kind: Kind::Idempotency, key: scope_key(scope), pos: e.created, body: to_json(&body) }
}

/// A parameter tree as JSON: a string, `{"map": [[key, node], ...]}` (order and repeated keys
/// kept) or `{"list": [node, ...]}`. Depth is bounded by the decoder's limits.
fn node_to_json(node: &Node) -> serde_json::Value {
    use serde_json::{json, Value};
    match node {
        Node::Str(s) => Value::String(s.clone()),
        Node::Map(entries) => {
            json!({ "map": entries.iter().map(|(k, v)| json!([k, node_to_json(v)])).collect::<Vec<_>>() })
        }
        Node::List(items) => json!({ "list": items.iter().map(node_to_json).collect::<Vec<_>>() }),
    }
}

fn node_from_json(value: &serde_json::Value) -> Option<Node> {
    use serde_json::Value;
    match value {
        Value::String(s) => Some(Node::Str(s.clone())),
        Value::Object(o) if o.len() == 1 => {
            if let Some(Value::Array(entries)) = o.get("map") {
                let mut out = Vec::with_capacity(entries.len());
                for pair in entries {
                    let [Value::String(k), v] = pair.as_array()?.as_slice() else { return None };
                    out.push((k.clone(), node_from_json(v)?));
                }
                Some(Node::Map(out))
            } else if let Some(Value::Array(items)) = o.get("list") {
                items.iter().map(node_from_json).collect::<Option<Vec<_>>>().map(Node::List)
            } else {
                None
            }
        }
        _ => None,
    }
}

// ---- Restoring ----

fn bad(row: &Row, why: impl fmt::Display) -> StoreError {
    StoreError(format!("stored {} {:?} does not read back: {why}", row.kind.as_str(), row.key))
}

fn restore(state: &mut State, mut rows: Vec<Row>) -> Result<(), StoreError> {
    rows.sort_by_key(|r| (r.kind, r.pos));
    let mut next_event: Option<u64> = None;
    for row in &rows {
        match row.kind {
            Kind::Session => {
                let s: SessionIn = serde_json::from_str(&row.body).map_err(|e| bad(row, e))?;
                if s.session.id != row.key {
                    return Err(bad(row, format!("it holds session {:?}", s.session.id)));
                }
                state.next_seq = state.next_seq.max(s.seq + 1);
                state.save(Draft {
                    seq: s.seq,
                    session: s.session,
                    provided: s.provided,
                    outputs: s.outputs,
                    reports: s.reports,
                    link: s.link,
                });
            }
            Kind::Report => {
                let r: VerificationReport = serde_json::from_str(&row.body).map_err(|e| bad(row, e))?;
                if r.id != row.key {
                    return Err(bad(row, format!("it holds report {:?}", r.id)));
                }
                let seq = u64::try_from(row.pos).map_err(|_| bad(row, "negative position"))?;
                state.next_seq = state.next_seq.max(seq + 1);
                state.report_order.insert((r.created, seq), r.id.clone());
                state.report_seqs.insert(r.id.clone(), seq);
                state.reports.insert(r.id.clone(), r);
            }
            Kind::Event => {
                let e: EventBody = serde_json::from_str(&row.body).map_err(|e| bad(row, e))?;
                let r#type = EVENT_TYPES
                    .into_iter()
                    .find(|t| *t == e.r#type)
                    .ok_or_else(|| bad(row, format!("unknown event type {:?}", e.r#type)))?;
                let pos = u64::try_from(row.pos).map_err(|_| bad(row, "negative position"))?;
                match next_event {
                    None => state.events_dropped = pos,
                    Some(expected) if expected == pos => {}
                    Some(expected) => {
                        return Err(bad(row, format!("the event log skips from {} to {pos}", expected - 1)))
                    }
                }
                next_event = Some(pos + 1);
                let event = StoredEvent {
                    id: e.id,
                    r#type,
                    created: e.created,
                    session_id: e.session_id,
                    snapshot: e.snapshot,
                    request_id: e.request_id,
                    idempotency_key: e.idempotency_key,
                    pending_webhooks: 0,
                    delivery_success: None,
                };
                state.event_bytes += event.weight();
                state.events.push_back(event);
            }
            Kind::Idempotency => {
                let scope: Scope = serde_json::from_str(&row.key).map_err(|e| bad(row, e))?;
                let b: IdempotencyBody = serde_json::from_str(&row.body).map_err(|e| bad(row, e))?;
                let method = Method::parse(&b.method)
                    .ok_or_else(|| bad(row, format!("unknown method {:?}", b.method)))?;
                let params = node_from_json(&b.params).ok_or_else(|| bad(row, "malformed parameters"))?;
                let entry = IdempotentEntry {
                    method,
                    path: b.path,
                    params,
                    response: Response { status: b.status, headers: b.headers, body: b.body.into_bytes() },
                    created: b.created,
                };
                state.idempotency_order.push_back((entry.created, scope.clone()));
                state.idempotency.insert(scope, entry);
            }
            Kind::WebhookEndpoint => {
                let e: StoredEndpoint = serde_json::from_str(&row.body).map_err(|e| bad(row, e))?;
                if e.endpoint.id != row.key {
                    return Err(bad(row, format!("it holds endpoint {:?}", e.endpoint.id)));
                }
                state.next_seq = state.next_seq.max(e.seq + 1);
                let mut all = state.webhooks.all().to_vec();
                all.push(e);
                state.webhooks.replace(all);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_trees_read_back_as_they_were() {
        let node = Node::Map(vec![
            ("type".into(), Node::Str("document".into())),
            (
                "metadata".into(),
                Node::Map(vec![("a".into(), Node::Str("1".into())), ("a".into(), Node::Str("".into()))]),
            ),
            ("expand".into(), Node::List(vec![Node::Str("x".into()), Node::Map(vec![])])),
        ]);
        let json = node_to_json(&node);
        assert_eq!(node_from_json(&json), Some(node));
        assert_eq!(node_from_json(&serde_json::json!({"map": [["k"]]})), None);
        assert_eq!(node_from_json(&serde_json::json!(7)), None);
        assert_eq!(node_from_json(&serde_json::json!({"map": [], "list": []})), None);
    }

    #[test]
    fn rows_that_do_not_read_back_are_named() {
        let row = |kind, key: &str, pos, body: &str| Row { kind, key: key.into(), pos, body: body.into() };
        for (rows, says) in [
            (vec![row(Kind::Session, "vs_1", 0, "{")], "stored session \"vs_1\""),
            (vec![row(Kind::Report, "vr_1", 0, "[]")], "stored report \"vr_1\""),
            (
                vec![row(
                    Kind::Event,
                    "evt_1",
                    0,
                    r#"{"id":"evt_1","type":"x","created":0,"session_id":"vs_1","snapshot":"{}","request_id":null,"idempotency_key":null}"#,
                )],
                "unknown event type \"x\"",
            ),
            (vec![row(Kind::Idempotency, "not json", 0, "{}")], "stored idempotency \"not json\""),
        ] {
            let err = Simulator::new().with_store(Arc::new(Refuse), rows).unwrap_err();
            assert!(err.0.contains(says), "{err} should mention {says}");
        }
    }

    #[derive(Debug)]
    struct Refuse;

    impl Store for Refuse {
        fn commit(&self, _: &Changes) -> Result<(), StoreError> {
            Err(StoreError("refused".into()))
        }
    }
}
