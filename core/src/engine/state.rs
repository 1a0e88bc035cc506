//! The simulator's stored data: sessions with their ordered index, reports, the event log and
//! the idempotency cache. Everything here sits behind the simulator's one lock.
//!
//! Operations read the fields directly but change them only through the methods here, so that
//! a [`Journal`] (present while a store is attached, see [`persist`](super::persist)) sees every
//! change of a write.

use super::persist::Journal;
use super::sessions::Sessions;
use super::webhook_endpoints::{Endpoints, WebhookTarget};
use super::{DEFAULT_EVENT_BYTES, DEFAULT_EVENT_CAPACITY};
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
    /// Ids of every report written for the session, oldest first.
    pub reports: Vec<String>,
    /// Where its hosted page sends the user back, and when its `url` was issued.
    pub link: Link,
}

/// The hidden parts of a session's hosted page (see [`hosted`](super::hosted)): the
/// `return_url` given at creation (the API does not echo it) and when the current `url` was
/// issued, from which it expires.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Link {
    /// `return_url`, as given at creation.
    #[serde(default)]
    pub return_url: Option<Box<str>>,
    /// Unix seconds when the current `url` was issued.
    #[serde(default)]
    pub issued: i64,
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
    /// Ids of every report written for the session.
    pub reports: Vec<String>,
    /// Its hosted page's hidden parts.
    pub link: Link,
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
            reports: self.reports.clone(),
            link: self.link.clone(),
        }
    }

    /// The record of a draft, and its id.
    fn from_draft(mut d: Draft) -> (String, Record) {
        let json = serde_json::value::to_raw_value(&d.session).expect("a session always serializes");
        let s = &mut d.session;
        let record = Record {
            seq: d.seq,
            created: s.created,
            status: s.status.clone(),
            // Taken, not copied: the typed session is dropped once written.
            client_reference_id: s.client_reference_id.take().map(String::into_boxed_str),
            related_customer: s.related_customer.take().map(String::into_boxed_str),
            related_customer_account: s.related_customer_account.take().map(String::into_boxed_str),
            json,
            provided: d.provided.map(Box::new),
            outputs: d.outputs,
            reports: d.reports,
            link: d.link,
        };
        (std::mem::take(&mut s.id), record)
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
    /// Webhook deliveries still owed (the event's `pending_webhooks`).
    pub pending_webhooks: u32,
    /// Whether every webhook delivery of this event succeeded, for `GET /v1/events`'s
    /// `delivery_success` filter: `Some(false)` while a delivery is pending or has failed,
    /// `Some(true)` once all succeeded, `None` when no endpoint was owed one.
    pub delivery_success: Option<bool>,
}

impl StoredEvent {
    /// What the event costs the log's byte budget: its text plus the fixed size of the record.
    pub fn weight(&self) -> usize {
        std::mem::size_of::<StoredEvent>()
            + self.id.len()
            + self.session_id.len()
            + self.snapshot.len()
            + self.request_id.as_ref().map_or(0, String::len)
            + self.idempotency_key.as_ref().map_or(0, String::len)
    }

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
            pending_webhooks: i64::from(self.pending_webhooks),
            request: EventRequest {
                id: self.request_id.clone(),
                idempotency_key: self.idempotency_key.clone(),
            },
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

/// An idempotency key with the `Stripe-Account` it is scoped to.
pub type Scope = (Option<String>, String);

/// Everything the simulator stores.
#[derive(Debug)]
pub struct State {
    /// Sessions by id and in list order.
    pub sessions: Sessions,
    /// Reports by id.
    pub reports: HashMap<String, VerificationReport>,
    /// Report ids in list order (oldest first), keyed like `order`.
    pub report_order: BTreeMap<(i64, u64), String>,
    /// Each report's creation sequence number: its place in `report_order`.
    pub report_seqs: HashMap<String, u64>,
    /// The most recent events, oldest first, bounded by `event_capacity` and
    /// `event_byte_budget`.
    pub events: VecDeque<StoredEvent>,
    /// Largest number of events kept.
    pub event_capacity: usize,
    /// Largest number of bytes (summed [`StoredEvent::weight`]) the event log holds.
    pub event_byte_budget: usize,
    /// Bytes the event log holds now.
    pub event_bytes: usize,
    /// Events recorded by the write under way, for [`crate::engine::Simulator::subscribe`]'s
    /// listeners, each with the webhook endpoints owed its delivery: every event when
    /// `outbox_enabled`, else only those owed a delivery.
    pub outbox: Vec<(StoredEvent, Vec<WebhookTarget>)>,
    /// Webhook endpoints.
    pub webhooks: Endpoints,
    /// Whether anyone listens for every new event ([`crate::engine::Simulator::subscribe`]).
    pub outbox_enabled: bool,
    /// Events dropped from the front of the log so far: `events[i]` is the log's event number
    /// `events_dropped + i`, which orders events in a store.
    pub events_dropped: u64,
    /// Idempotency cache by (Stripe-Account, key).
    pub idempotency: HashMap<Scope, IdempotentEntry>,
    /// Keys in the order stored, for pruning after 24 hours.
    pub idempotency_order: VecDeque<(i64, Scope)>,
    /// Next creation sequence number.
    pub next_seq: u64,
    /// What the write in progress changed; only while a store is attached.
    pub journal: Option<Journal>,
    /// Where hosted pages are served: a session's `url` is `{hosted_base}/start/{token}`.
    pub hosted_base: String,
}

impl Default for State {
    fn default() -> Self {
        State {
            sessions: Sessions::default(),
            reports: HashMap::new(),
            report_order: BTreeMap::new(),
            report_seqs: HashMap::new(),
            events: VecDeque::new(),
            event_capacity: DEFAULT_EVENT_CAPACITY,
            event_byte_budget: DEFAULT_EVENT_BYTES,
            event_bytes: 0,
            events_dropped: 0,
            outbox: Vec::new(),
            webhooks: Endpoints::default(),
            outbox_enabled: false,
            idempotency: HashMap::new(),
            idempotency_order: VecDeque::new(),
            next_seq: 0,
            journal: None,
            hosted_base: super::hosted::DEFAULT_BASE.to_string(),
        }
    }
}

/// How long idempotency keys are kept (facts §8: at least 24 hours).
pub const IDEMPOTENCY_TTL: i64 = 24 * 3600;

impl State {
    /// Stores a session, new or changed.
    pub fn save(&mut self, draft: Draft) {
        let (id, record) = Record::from_draft(draft);
        match self.journal.as_mut() {
            None => {
                self.sessions.insert(id, record);
            }
            Some(journal) => {
                let before = self.sessions.insert(id.clone(), record);
                journal.session(id, before);
            }
        }
    }

    /// Stores a report, new or changed.
    pub fn save_report(&mut self, report: VerificationReport) {
        let id = report.id.clone();
        if !self.reports.contains_key(&id) {
            // A new report takes its place in list order after every report before it.
            let seq = self.next_seq;
            self.next_seq += 1;
            self.report_order.insert((report.created, seq), id.clone());
            self.report_seqs.insert(id.clone(), seq);
        }
        match self.journal.as_mut() {
            None => {
                self.reports.insert(id, report);
            }
            Some(journal) => {
                let before = self.reports.insert(id.clone(), report);
                journal.report(id, before);
            }
        }
    }

    /// Forgets a report (a write undone), with its place in list order.
    pub fn remove_report(&mut self, id: &str) {
        if let (Some(report), Some(seq)) = (self.reports.remove(id), self.report_seqs.remove(id)) {
            self.report_order.remove(&(report.created, seq));
        }
    }

    /// Changes a stored report in place; nothing when there is no such report.
    pub fn update_report(&mut self, id: &str, change: impl FnOnce(&mut VerificationReport)) {
        let Some(report) = self.reports.get_mut(id) else { return };
        if let Some(journal) = self.journal.as_mut() {
            journal.report(id.to_string(), Some(report.clone()));
        }
        change(report);
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
        let records = self.sessions.range((lo, hi)).filter(|r| filter.matches(r));
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

    /// Records an event in the log and, when someone listens, in the outbox, with the webhook
    /// deliveries it is owed (its `pending_webhooks`).
    pub fn record_and_announce(&mut self, mut event: StoredEvent) {
        let targets = self.webhooks.targets(event.r#type);
        if !targets.is_empty() {
            event.pending_webhooks = u32::try_from(targets.len()).unwrap_or(u32::MAX);
            event.delivery_success = Some(false);
        }
        if self.outbox_enabled || !targets.is_empty() {
            self.outbox.push((event.clone(), targets));
        }
        self.record_event(event);
    }

    /// One webhook delivery of event `id` succeeded: one fewer is pending, and once none is,
    /// `delivery_success` turns true. Whether the event was still in the log.
    pub fn webhook_delivered(&mut self, id: &str) -> bool {
        // Deliveries end soon after the event, so it is near the back.
        let Some(e) = self.events.iter_mut().rev().find(|e| e.id == id) else { return false };
        e.pending_webhooks = e.pending_webhooks.saturating_sub(1);
        if e.pending_webhooks == 0 {
            e.delivery_success = Some(true);
        }
        true
    }

    /// Appends an event, dropping the oldest while the log would hold more than
    /// `event_capacity` events or `event_byte_budget` bytes. An event larger than the whole
    /// budget is not kept, so the log never holds more than its budget.
    pub fn record_event(&mut self, event: StoredEvent) {
        let weight = event.weight();
        if self.event_capacity == 0 || weight > self.event_byte_budget {
            return;
        }
        self.trim_events(self.event_capacity - 1, self.event_byte_budget - weight);
        if let Some(journal) = self.journal.as_mut() {
            journal.event_added(self.events_dropped + self.events.len() as u64);
        }
        self.event_bytes += weight;
        self.events.push_back(event);
    }

    /// Drops the oldest events until the log holds at most `count` events and `bytes` bytes.
    pub fn trim_events(&mut self, count: usize, bytes: usize) {
        while self.events.len() > count || self.event_bytes > bytes {
            let Some(oldest) = self.events.pop_front() else { break };
            self.event_bytes -= oldest.weight();
            self.events_dropped += 1;
            if let Some(journal) = self.journal.as_mut() {
                journal.event_dropped(oldest);
            }
        }
    }

    /// Rewrites the snapshot of every event about `session_id` (redaction).
    pub fn rewrite_snapshots(&mut self, session_id: &str, rewrite: impl Fn(&str) -> String) {
        for (i, e) in self.events.iter_mut().enumerate() {
            if e.session_id != session_id {
                continue;
            }
            let after = rewrite(&e.snapshot);
            let before = std::mem::replace(&mut e.snapshot, after);
            self.event_bytes = self.event_bytes - before.len() + e.snapshot.len();
            if let Some(journal) = self.journal.as_mut() {
                journal.snapshot(self.events_dropped + i as u64, before);
            }
        }
    }

    /// Keeps what a request with an idempotency key did, for replay.
    pub fn remember(&mut self, scope: Scope, entry: IdempotentEntry) {
        self.idempotency_order.push_back((entry.created, scope.clone()));
        match self.journal.as_mut() {
            None => {
                self.idempotency.insert(scope, entry);
            }
            Some(journal) => {
                let before = self.idempotency.insert(scope.clone(), entry);
                journal.remembered(scope, before);
            }
        }
    }

    /// Forgets idempotency keys older than [`IDEMPOTENCY_TTL`].
    pub fn prune_idempotency(&mut self, now: i64) {
        while let Some((t, _)) = self.idempotency_order.front() {
            if now - *t < IDEMPOTENCY_TTL {
                break;
            }
            if let Some((t, key)) = self.idempotency_order.pop_front() {
                let removed = match self.idempotency.get(&key) {
                    Some(e) if now - e.created >= IDEMPOTENCY_TTL => self.idempotency.remove(&key),
                    _ => None,
                };
                if let Some(journal) = self.journal.as_mut() {
                    journal.forgotten((t, key), removed);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{VerificationType, SESSION_OBJECT};

    fn session(id: &str, created: i64, status: VerificationStatus) -> VerificationSession {
        VerificationSession {
            id: id.into(),
            object: SESSION_OBJECT.into(),
            client_reference_id: None,
            client_secret: None,
            created,
            last_error: None,
            last_verification_report: None,
            livemode: false,
            metadata: Default::default(),
            options: None,
            provided_details: None,
            redaction: None,
            related_customer: None,
            related_customer_account: None,
            related_person: None,
            status,
            r#type: VerificationType::Document,
            url: None,
            verification_flow: None,
            verified_outputs: None,
            extra: Default::default(),
        }
    }

    /// Ten sessions: two per second over five seconds, every third one verified.
    fn state() -> State {
        let mut st = State::default();
        for i in 0..10u64 {
            let status =
                if i % 3 == 0 { VerificationStatus::Verified } else { VerificationStatus::RequiresInput };
            st.save(Draft {
                seq: i,
                session: session(&format!("vs_{i}"), 100 + (i / 2) as i64, status),
                provided: None,
                outputs: None,
                reports: Vec::new(),
                link: Default::default(),
            });
        }
        st
    }

    fn ids(page: &[&Record]) -> Vec<u64> {
        page.iter().map(|r| r.seq).collect()
    }

    #[test]
    fn pages_are_newest_first_and_cursors_move_both_ways() {
        let st = state();
        let all = ListFilter::default();
        let (p, more) = st.page(&all, Cursor::Start, 4);
        assert_eq!((ids(&p), more), (vec![9, 8, 7, 6], true));
        let (p, more) = st.page(&all, Cursor::After(p[3].key()), 4);
        assert_eq!((ids(&p), more), (vec![5, 4, 3, 2], true));
        let (p, more) = st.page(&all, Cursor::After(p[3].key()), 4);
        assert_eq!((ids(&p), more), (vec![1, 0], false));
        // Backwards from the oldest: the next newer ones, still newest first.
        let (p, more) = st.page(&all, Cursor::Before(p[1].key()), 3);
        assert_eq!((ids(&p), more), (vec![3, 2, 1], true));
    }

    #[test]
    fn created_bounds_and_filters_narrow_the_range() {
        let st = state();
        let f = ListFilter { created_min: Some(101), created_max: Some(102), ..Default::default() };
        assert_eq!(ids(&st.page(&f, Cursor::Start, 10).0), vec![5, 4, 3, 2]);
        let f = ListFilter { status: Some("verified"), ..Default::default() };
        assert_eq!(ids(&st.page(&f, Cursor::Start, 10).0), vec![9, 6, 3, 0]);
        // An empty or inverted range holds nothing instead of panicking.
        let f = ListFilter { created_min: Some(103), created_max: Some(101), ..Default::default() };
        let (page, more) = st.page(&f, Cursor::Start, 10);
        assert!(page.is_empty() && !more);
        let f = ListFilter { created_min: Some(104), ..Default::default() };
        assert_eq!(ids(&st.page(&f, Cursor::After(st.sessions["vs_9"].key()), 10).0), vec![8]);
        assert!(st.page(&f, Cursor::After(st.sessions["vs_8"].key()), 10).0.is_empty());
    }

    #[test]
    fn idempotency_keys_expire_after_a_day() {
        let mut st = State::default();
        let key = (None, "k".to_string());
        let response = Response { status: 200, headers: vec![], body: b"{}".to_vec() };
        let entry = IdempotentEntry {
            method: Method::Post,
            path: "/".into(),
            params: Node::empty(),
            response,
            created: 0,
        };
        st.idempotency.insert(key.clone(), entry);
        st.idempotency_order.push_back((0, key.clone()));
        st.prune_idempotency(IDEMPOTENCY_TTL - 1);
        assert!(st.idempotency.contains_key(&key));
        st.prune_idempotency(IDEMPOTENCY_TTL);
        assert!(st.idempotency.is_empty() && st.idempotency_order.is_empty());
    }

    #[test]
    fn the_event_log_is_bounded() {
        let mut st = State { event_capacity: 2, ..Default::default() };
        for i in 0..3 {
            st.record_event(StoredEvent {
                id: format!("evt_{i}"),
                r#type: "identity.verification_session.created",
                created: 0,
                session_id: "vs_1".into(),
                snapshot: "{}".into(),
                request_id: None,
                idempotency_key: None,
                pending_webhooks: 0,
                delivery_success: None,
            });
        }
        let kept: Vec<_> = st.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(kept, ["evt_1", "evt_2"]);
    }
}
