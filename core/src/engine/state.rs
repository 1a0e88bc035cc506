//! The simulator's stored data: sessions with their ordered index, reports, the event log and
//! the idempotency cache. Everything here sits behind the simulator's one lock.

use crate::backend::{Method, Response};
use crate::model::{
    Event, EventData, EventRequest, ProvidedDetails, VerificationReport, VerificationSession,
    VerificationStatus, VerifiedOutputs,
};
use crate::wire::Node;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::Bound;

/// One stored session: its default answer as JSON text (what retrieve and list send, and what
/// events snapshot) and the few fields lists filter on. Far smaller than the typed object, and
/// answering needs no serialization. Writes go through a [`Draft`].
#[derive(Debug, Clone)]
pub struct Record {
    /// Creation order; breaks ties between sessions created in the same second.
    pub seq: u64,
    /// `created`.
    pub created: i64,
    /// `status`.
    pub status: VerificationStatus,
    /// `client_reference_id`.
    pub client_reference_id: Option<Box<str>>,
    /// `related_customer`.
    pub related_customer: Option<Box<str>>,
    /// `related_customer_account`.
    pub related_customer_account: Option<Box<str>>,
    /// The session as answered without `expand` (no `provided_details`, no
    /// `verified_outputs`, the report as an id).
    pub json: Box<RawValue>,
    /// `provided_details`, shown when expanded.
    pub provided: Option<Box<ProvidedDetails>>,
    /// Every verified output, sensitive keys included; filtered when rendered.
    pub outputs: Option<Box<VerifiedOutputs>>,
}

/// A session being changed: the typed object and its hidden parts. Nothing is stored until
/// [`State::save`], so an operation that fails half-way changes nothing.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Creation order.
    pub seq: u64,
    /// The session as answered without `expand`.
    pub session: VerificationSession,
    /// `provided_details`.
    pub provided: Option<ProvidedDetails>,
    /// Verified outputs.
    pub outputs: Option<Box<VerifiedOutputs>>,
}

impl Record {
    /// Position in list order.
    pub fn key(&self) -> (i64, u64) {
        (self.created, self.seq)
    }

    /// The typed session, to change or to render with expansions.
    pub fn load(&self) -> Draft {
        Draft {
            seq: self.seq,
            // The text was written by `save` from this same type, so it reads back.
            session: serde_json::from_str(self.json.get()).expect("stored session JSON reads back"),
            provided: self.provided.as_deref().cloned(),
            outputs: self.outputs.clone(),
        }
    }

    fn from_draft(d: Draft) -> Record {
        let s = &d.session;
        Record {
            seq: d.seq,
            created: s.created,
            status: s.status.clone(),
            client_reference_id: s.client_reference_id.as_deref().map(Into::into),
            related_customer: s.related_customer.as_deref().map(Into::into),
            related_customer_account: s.related_customer_account.as_deref().map(Into::into),
            json: serde_json::value::to_raw_value(s).expect("a session always serializes"),
            provided: d.provided.map(Box::new),
            outputs: d.outputs,
        }
    }
}

/// Filters of a list call.
#[derive(Debug, Default)]
pub struct ListFilter<'a> {
    /// Lower bound on `created`, inclusive.
    pub created_min: Option<i64>,
    /// Upper bound on `created`, inclusive.
    pub created_max: Option<i64>,
    /// `status`.
    pub status: Option<&'a str>,
    /// `client_reference_id`.
    pub client_reference_id: Option<&'a str>,
    /// `related_customer`.
    pub related_customer: Option<&'a str>,
    /// `related_customer_account`.
    pub related_customer_account: Option<&'a str>,
}

impl ListFilter<'_> {
    fn matches(&self, r: &Record) -> bool {
        self.status.is_none_or(|v| r.status.as_str() == v)
            && self.client_reference_id.is_none_or(|v| r.client_reference_id.as_deref() == Some(v))
            && self.related_customer.is_none_or(|v| r.related_customer.as_deref() == Some(v))
            && self.related_customer_account.is_none_or(|v| r.related_customer_account.as_deref() == Some(v))
    }
}

/// Where a page starts.
#[derive(Debug, Clone, Copy)]
pub enum Cursor {
    /// The newest sessions.
    Start,
    /// Sessions older than this position.
    After((i64, u64)),
    /// Sessions newer than this position.
    Before((i64, u64)),
}

/// An event as stored: the snapshot is kept as JSON text, which is far smaller than a tree.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// `evt_...`.
    pub id: String,
    /// `identity.verification_session.*`.
    pub r#type: &'static str,
    /// Unix seconds.
    pub created: i64,
    /// The session the event is about.
    pub session_id: String,
    /// The session as it was, as JSON.
    pub snapshot: String,
    /// The request that caused it.
    pub request_id: Option<String>,
    /// That request's idempotency key.
    pub idempotency_key: Option<String>,
}

impl StoredEvent {
    /// The API's event object.
    pub fn to_event(&self) -> Event {
        Event {
            id: self.id.clone(),
            object: "event".into(),
            api_version: Some(crate::API_VERSION.into()),
            created: self.created,
            data: EventData {
                object: serde_json::from_str(&self.snapshot).unwrap_or_default(),
                previous_attributes: None,
            },
            livemode: false,
            pending_webhooks: 0,
            request: EventRequest { id: self.request_id.clone(), idempotency_key: self.idempotency_key.clone() },
            r#type: self.r#type.to_string(),
            extra: Default::default(),
        }
    }
}

/// What a POST with an idempotency key did, kept for replay.
#[derive(Debug, Clone)]
pub struct IdempotentEntry {
    /// Method and path of the first request.
    pub method: Method,
    /// Path of the first request.
    pub path: String,
    /// Its decoded parameters.
    pub params: Node,
    /// Its answer.
    pub response: Response,
    /// When it was stored.
    pub created: i64,
}

/// Everything the simulator stores.
#[derive(Debug, Default)]
pub struct State {
    /// Sessions by id.
    pub sessions: HashMap<String, Record>,
    /// Ids in list order (oldest first).
    pub order: BTreeMap<(i64, u64), String>,
    /// Reports by id.
    pub reports: HashMap<String, VerificationReport>,
    /// The most recent events, oldest first, bounded by `event_capacity`.
    pub events: VecDeque<StoredEvent>,
    /// Largest number of events kept.
    pub event_capacity: usize,
    /// Idempotency cache by (Stripe-Account, key).
    pub idempotency: HashMap<(Option<String>, String), IdempotentEntry>,
    /// Keys in the order stored, for pruning after 24 hours.
    pub idempotency_order: VecDeque<(i64, (Option<String>, String))>,
    /// Next creation sequence number.
    pub next_seq: u64,
}

/// How long idempotency keys are kept (facts §8: at least 24 hours).
pub const IDEMPOTENCY_TTL: i64 = 24 * 3600;

impl State {
    /// Stores a session, new or changed.
    pub fn save(&mut self, draft: Draft) {
        let id = draft.session.id.clone();
        let record = Record::from_draft(draft);
        if !self.sessions.contains_key(&id) {
            self.order.insert(record.key(), id.clone());
        }
        self.sessions.insert(id, record);
    }

    /// One page of sessions, newest first, and whether more lie beyond it in the direction
    /// of travel.
    pub fn page(&self, filter: &ListFilter<'_>, cursor: Cursor, limit: usize) -> (Vec<&Record>, bool) {
        let lo = filter.created_min.map_or(Bound::Unbounded, |t| Bound::Included((t, 0)));
        let hi = filter.created_max.map_or(Bound::Unbounded, |t| Bound::Included((t, u64::MAX)));
        let (lo, hi) = match cursor {
            Cursor::Start => (lo, hi),
            Cursor::After(k) => (lo, tighter_upper(hi, Bound::Excluded(k))),
            Cursor::Before(k) => (tighter_lower(lo, Bound::Excluded(k)), hi),
        };
        if bounds_empty(&lo, &hi) {
            return (Vec::new(), false);
        }
        let range = self.order.range((lo, hi));
        let records = range.filter_map(|(_, id)| self.sessions.get(id)).filter(|r| filter.matches(r));
        let mut page: Vec<&Record> = match cursor {
            Cursor::Before(_) => records.take(limit + 1).collect(),
            _ => records.rev().take(limit + 1).collect(),
        };
        let has_more = page.len() > limit;
        page.truncate(limit);
        if let Cursor::Before(_) = cursor {
            page.reverse();
        }
        (page, has_more)
    }

    /// Appends an event, dropping the oldest beyond capacity.
    pub fn record_event(&mut self, event: StoredEvent) {
        if self.event_capacity == 0 {
            return;
        }
        while self.events.len() >= self.event_capacity {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    /// Forgets idempotency keys older than [`IDEMPOTENCY_TTL`].
    pub fn prune_idempotency(&mut self, now: i64) {
        while let Some((t, _)) = self.idempotency_order.front() {
            if now - *t < IDEMPOTENCY_TTL {
                break;
            }
            if let Some((_, key)) = self.idempotency_order.pop_front() {
                if self.idempotency.get(&key).is_some_and(|e| now - e.created >= IDEMPOTENCY_TTL) {
                    self.idempotency.remove(&key);
                }
            }
        }
    }

    /// Number of sessions per status, for invariants and tests.
    pub fn count_status(&self, status: &VerificationStatus) -> usize {
        self.sessions.values().filter(|r| &r.status == status).count()
    }
}

fn tighter_upper(a: Bound<(i64, u64)>, b: Bound<(i64, u64)>) -> Bound<(i64, u64)> {
    match (&a, &b) {
        (Bound::Unbounded, _) => b,
        (_, Bound::Unbounded) => a,
        (Bound::Included(x) | Bound::Excluded(x), Bound::Included(y) | Bound::Excluded(y)) => {
            if y <= x {
                b
            } else {
                a
            }
        }
    }
}

fn tighter_lower(a: Bound<(i64, u64)>, b: Bound<(i64, u64)>) -> Bound<(i64, u64)> {
    match (&a, &b) {
        (Bound::Unbounded, _) => b,
        (_, Bound::Unbounded) => a,
        (Bound::Included(x) | Bound::Excluded(x), Bound::Included(y) | Bound::Excluded(y)) => {
            if y >= x {
                b
            } else {
                a
            }
        }
    }
}

/// `BTreeMap::range` panics on an inverted range; such a range simply holds nothing.
fn bounds_empty(lo: &Bound<(i64, u64)>, hi: &Bound<(i64, u64)>) -> bool {
    match (lo, hi) {
        (Bound::Included(a), Bound::Included(b)) => a > b,
        (Bound::Included(a), Bound::Excluded(b))
        | (Bound::Excluded(a), Bound::Included(b))
        | (Bound::Excluded(a), Bound::Excluded(b)) => a >= b,
        _ => false,
    }
}
