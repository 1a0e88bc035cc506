//! The simulator with a store attached (`engine::persist`), through an in-memory store that
//! applies each commit as identity-mock's SQLite store would:
//!
//! - after every operation, the store holds exactly what a restart needs: a simulator rebuilt
//!   from its rows answers every retrieve, list, report, event and idempotent replay byte for
//!   byte as the first one did, and continues the creation order;
//! - one write is one commit;
//! - when the store fails, the write answers `500 api_error`, nothing changes in memory or in
//!   the store, and a retry with the same idempotency key acts afresh;
//! - the event log is bounded by bytes as well as by count (D8), in memory and in the store.

use parking_lot::Mutex;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use stripe_identity::backend::{Method, Request};
use stripe_identity::engine::persist::{Changes, Kind, Row, Store, StoreError};
use stripe_identity::engine::{ManualClock, Simulator, DEFAULT_EVENT_BYTES, DEFAULT_EVENT_CAPACITY};

const SESSIONS: &str = "/v1/identity/verification_sessions";
const HELPERS: &str = "/v1/test_helpers/identity/verification_sessions";
const T0: i64 = 1_700_000_000;
const DAY: i64 = 24 * 3600;

/// A store in memory: rows by kind and key, one commit applied at a time, all or nothing.
#[derive(Debug, Default)]
struct MemoryStore {
    rows: Mutex<BTreeMap<(Kind, String), Row>>,
    fail: AtomicBool,
    commits: AtomicUsize,
}

impl Store for MemoryStore {
    fn commit(&self, changes: &Changes) -> Result<(), StoreError> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(StoreError("disk full (injected)".into()));
        }
        let mut rows = self.rows.lock();
        for (kind, key) in &changes.delete {
            rows.remove(&(*kind, key.clone()));
        }
        for row in &changes.put {
            rows.insert((row.kind, row.key.clone()), row.clone());
        }
        self.commits.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl MemoryStore {
    fn rows(&self) -> Vec<Row> {
        self.rows.lock().values().cloned().collect()
    }

    fn keys(&self, kind: Kind) -> Vec<String> {
        self.rows.lock().keys().filter(|(k, _)| *k == kind).map(|(_, key)| key.clone()).collect()
    }
}

/// A simulator on `clock` with `store` attached, restored from what the store holds.
fn attach(clock: &ManualClock, store: &Arc<MemoryStore>, events: usize) -> Simulator {
    Simulator::with_clock(Arc::new(clock.clone()))
        .with_event_capacity(events)
        .with_store(store.clone(), store.rows())
        .expect("the store's rows read back")
}

#[derive(Debug, Clone, PartialEq)]
struct Answer {
    status: u16,
    body: String,
    replayed: bool,
}

fn call(sim: &Simulator, method: Method, path: &str, params: &str, headers: &[(&str, &str)]) -> Answer {
    let request = Request {
        method,
        path: path.to_string(),
        params: params.to_string(),
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    };
    let response = sim.handle(&request);
    Answer {
        status: response.status,
        replayed: response.headers.iter().any(|(k, v)| k == "Idempotent-Replayed" && v == "true"),
        body: String::from_utf8(response.body).expect("UTF-8 answer"),
    }
}

fn post(sim: &Simulator, path: &str, params: &str, headers: &[(&str, &str)]) -> Answer {
    call(sim, Method::Post, path, params, headers)
}

fn get(sim: &Simulator, path: &str, params: &str) -> Answer {
    call(sim, Method::Get, path, params, &[])
}

fn ok(answer: Answer) -> Value {
    assert_eq!(answer.status, 200, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

fn id_of(answer: Answer) -> String {
    ok(answer)["id"].as_str().unwrap().to_string()
}

/// Every answer a client could read: each session retrieved plain and fully expanded, every
/// page of the list both ways and filtered, each report, and the event log.
fn view(sim: &Simulator, ids: &[String], reports: &[String]) -> Vec<Answer> {
    let expand = "expand[]=provided_details&expand[]=verified_outputs&expand[]=verified_outputs.dob\
                  &expand[]=verified_outputs.id_number&expand[]=last_verification_report";
    let mut out = Vec::new();
    for id in ids {
        out.push(get(sim, &format!("{SESSIONS}/{id}"), ""));
        out.push(get(sim, &format!("{SESSIONS}/{id}"), expand));
    }
    let mut after = String::new();
    loop {
        let page = get(sim, SESSIONS, &format!("limit=2{after}"));
        let body = ok(page.clone());
        out.push(page);
        let Some(last) = body["data"].as_array().unwrap().last() else { break };
        if !body["has_more"].as_bool().unwrap() {
            break;
        }
        after = format!("&starting_after={}", last["id"].as_str().unwrap());
    }
    if let Some(oldest) = ids.first() {
        out.push(get(sim, SESSIONS, &format!("limit=3&ending_before={oldest}")));
    }
    out.push(get(sim, SESSIONS, "status=verified&expand[]=data.last_verification_report"));
    for id in reports {
        out.push(get(sim, &format!("/v1/identity/verification_reports/{id}"), "expand[]=document.dob"));
    }
    let events = serde_json::to_string(&sim.events()).unwrap();
    out.push(Answer { status: 0, body: events, replayed: false });
    out
}

/// Requests with idempotency keys, and what they first answered.
type Keyed = Vec<((String, String, Vec<(&'static str, &'static str)>), Answer)>;

fn keyed(
    sim: &Simulator,
    log: &mut Keyed,
    path: &str,
    params: &str,
    headers: Vec<(&'static str, &'static str)>,
) -> Answer {
    let answer = post(sim, path, params, &headers);
    log.push(((path.to_string(), params.to_string(), headers), answer.clone()));
    answer
}

/// Every operation, with keys scoped to two accounts, stored failures and reports.
fn scenario(sim: &Simulator, clock: &ManualClock) -> (Vec<String>, Keyed) {
    let mut log = Keyed::new();
    let k = |key: &'static str| vec![("Idempotency-Key", key)];
    let c1 = id_of(keyed(
        sim,
        &mut log,
        SESSIONS,
        "type=document&metadata[order]=1&options[document][require_id_number]=true\
         &options[document][require_matching_selfie]=true&provided_details[email]=a@example.com",
        k("k1"),
    ));
    // The same key on another account is another key.
    let c2 = id_of(keyed(
        sim,
        &mut log,
        SESSIONS,
        "type=id_number",
        vec![("Idempotency-Key", "k1"), ("Stripe-Account", "acct_1")],
    ));
    clock.advance(1).unwrap();
    let c3 = id_of(post(sim, SESSIONS, "type=document&client_reference_id=u3", &[]));
    let c4 = id_of(post(sim, SESSIONS, "type=document", &[]));
    ok(keyed(sim, &mut log, &format!("{SESSIONS}/{c1}"), "metadata[step]=2&metadata[order]=", k("k-upd")));
    for (id, action, params) in [
        (&c1, "submit", ""),
        (&c1, "fail", "code=document_expired"),
        (&c1, "submit", ""),
        (&c1, "verify", ""),
        (&c2, "submit", ""),
        (&c2, "verify", ""),
        (&c3, "submit", ""),
        (&c3, "fail", "code=abandoned"),
    ] {
        ok(post(sim, &format!("{HELPERS}/{id}/{action}"), params, &[]));
    }
    clock.advance(1).unwrap();
    ok(post(sim, &format!("{SESSIONS}/{c2}/redact"), "", &[]));
    ok(post(sim, &format!("{HELPERS}/{c2}/complete_redaction"), "", &[]));
    ok(keyed(sim, &mut log, &format!("{SESSIONS}/{c4}/cancel"), "", k("k-cancel")));
    // A refusal after the endpoint began to act is stored and replayed too.
    let refused = keyed(sim, &mut log, &format!("{SESSIONS}/{c4}/cancel"), "", k("k-cancel-again"));
    assert_eq!(refused.status, 400);
    // A validation failure is not stored: the key stays free.
    assert_eq!(post(sim, SESSIONS, "metadata[a]=1", &[("Idempotency-Key", "k-invalid")]).status, 400);
    (vec![c1, c2, c3, c4], log)
}

fn report_ids(store: &MemoryStore) -> Vec<String> {
    store.keys(Kind::Report)
}

#[test]
fn a_simulator_rebuilt_from_the_store_answers_everything_as_before() {
    let clock = ManualClock::new(T0).unwrap();
    let store = Arc::new(MemoryStore::default());
    let first = attach(&clock, &store, 6);
    let (ids, keyed) = scenario(&first, &clock);
    let reports = report_ids(&store);
    assert_eq!(reports.len(), 3, "two verifications and one failed document check");
    let before = view(&first, &ids, &reports);

    // The store holds exactly the memory's event log (capacity 6 dropped the oldest).
    let events: Vec<String> = first.events().into_iter().map(|e| e.id).collect();
    assert_eq!(events.len(), 6);
    let mut stored = store.keys(Kind::Event);
    stored.sort();
    let mut sorted = events.clone();
    sorted.sort();
    assert_eq!(stored, sorted);

    let second = attach(&clock, &store, 6);
    let after = view(&second, &ids, &reports);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a);
    }

    // Creation order continues: a session created in the same second as the newest one lists
    // first.
    let latest = ok(get(&second, SESSIONS, "limit=1"));
    clock.set(latest["data"][0]["created"].as_i64().unwrap()).unwrap();
    let newest = id_of(post(&second, SESSIONS, "type=document", &[]));
    let page = ok(get(&second, SESSIONS, "limit=1"));
    assert_eq!(page["data"][0]["id"], newest.as_str());

    // Every keyed request replays its first answer; the same key with other parameters is
    // refused; the key of a validation failure is free.
    for ((path, params, headers), first_answer) in &keyed {
        let replay = post(&second, path, params, headers);
        assert!(replay.replayed, "{path} {params} {headers:?} was not replayed");
        assert_eq!((replay.status, &replay.body), (first_answer.status, &first_answer.body));
    }
    let mismatch = post(&second, SESSIONS, "type=id_number", &[("Idempotency-Key", "k1")]);
    assert_eq!(mismatch.status, 400);
    assert!(mismatch.body.contains("idempotent"), "{}", mismatch.body);
    assert!(!post(&second, SESSIONS, "type=document", &[("Idempotency-Key", "k-invalid")]).replayed);
}

#[test]
fn idempotency_keys_keep_their_age_across_a_restart() {
    let clock = ManualClock::new(T0).unwrap();
    let store = Arc::new(MemoryStore::default());
    let first = attach(&clock, &store, 100);
    let original = post(&first, SESSIONS, "type=document", &[("Idempotency-Key", "day")]);
    ok(post(&first, SESSIONS, "type=document", &[("Idempotency-Key", "gone")]));
    clock.advance(DAY - 1).unwrap();
    let second = attach(&clock, &store, 100);
    let replay = post(&second, SESSIONS, "type=document", &[("Idempotency-Key", "day")]);
    assert!(replay.replayed);
    assert_eq!(replay.body, original.body);
    clock.advance(1).unwrap();
    let third = attach(&clock, &store, 100);
    let fresh = post(&third, SESSIONS, "type=document", &[("Idempotency-Key", "day")]);
    assert!(!fresh.replayed);
    assert_ne!(id_of(fresh), id_of(original));
    // The expired records were deleted from the store, and the new one stored.
    assert_eq!(store.keys(Kind::Idempotency), [r#"[null,"day"]"#]);
    assert_eq!(third.session_count(), 3);
}

#[test]
fn each_write_is_one_commit_and_reads_commit_nothing() {
    let clock = ManualClock::new(T0).unwrap();
    let store = Arc::new(MemoryStore::default());
    let sim = attach(&clock, &store, 100);
    let id = id_of(post(&sim, SESSIONS, "type=document", &[("Idempotency-Key", "a")]));
    assert_eq!(store.commits.load(Ordering::SeqCst), 1);
    // One commit held the session, its event and the idempotency record.
    assert_eq!(store.rows().len(), 3);
    ok(get(&sim, &format!("{SESSIONS}/{id}"), ""));
    ok(get(&sim, SESSIONS, ""));
    assert!(post(&sim, SESSIONS, "type=document", &[("Idempotency-Key", "a")]).replayed);
    assert_eq!(post(&sim, &format!("{SESSIONS}/nope/cancel"), "", &[]).status, 404);
    assert_eq!(store.commits.load(Ordering::SeqCst), 1, "reads, replays and refusals commit nothing");
    ok(post(&sim, &format!("{HELPERS}/{id}/submit"), "", &[]));
    assert_eq!(store.commits.load(Ordering::SeqCst), 2);
}

#[test]
fn a_failing_store_undoes_the_write_and_answers_500() {
    let clock = ManualClock::new(T0).unwrap();
    let store = Arc::new(MemoryStore::default());
    // Two events kept, so the failing writes also drop events; an expired key, so they prune.
    let sim = attach(&clock, &store, 2);
    let old = id_of(post(&sim, SESSIONS, "type=document", &[("Idempotency-Key", "old")]));
    clock.advance(DAY / 2).unwrap();
    let half = id_of(post(&sim, SESSIONS, "type=id_number", &[("Idempotency-Key", "half")]));
    clock.advance(DAY / 2).unwrap();
    let id = id_of(post(&sim, SESSIONS, "type=document&metadata[a]=1", &[]));
    for action in ["submit", "verify"] {
        ok(post(&sim, &format!("{HELPERS}/{id}/{action}"), "", &[]));
    }
    let reports = report_ids(&store);
    let ids = vec![old.clone(), half, id.clone()];
    let before = view(&sim, &ids, &reports);
    let rows = store.rows();

    store.fail.store(true, Ordering::SeqCst);
    let writes = [
        (SESSIONS.to_string(), "type=document".to_string(), Some("new")),
        (format!("{SESSIONS}/{old}"), "metadata[b]=2".to_string(), Some("upd")),
        (format!("{SESSIONS}/{id}/redact"), String::new(), None),
        (format!("{SESSIONS}/{old}/cancel"), String::new(), Some("cancel")),
    ];
    for (path, params, key) in &writes {
        let headers: Vec<(&str, &str)> = key.iter().map(|k| ("Idempotency-Key", *k)).collect();
        let answer = post(&sim, path, params, &headers);
        assert_eq!(answer.status, 500, "{path}: {}", answer.body);
        let error = &serde_json::from_str::<Value>(&answer.body).unwrap()["error"];
        assert_eq!(error["type"], "api_error");
        assert!(error["message"].as_str().unwrap().contains("disk full (injected)"));
        assert_eq!(view(&sim, &ids, &reports), before, "{path} left a change in memory");
        assert_eq!(store.rows(), rows);
    }
    assert_eq!(sim.session_count(), 3);

    // Once the store works again, the same keys act afresh (nothing was stored for them).
    store.fail.store(false, Ordering::SeqCst);
    for (path, params, key) in &writes {
        let headers: Vec<(&str, &str)> = key.iter().map(|k| ("Idempotency-Key", *k)).collect();
        let answer = post(&sim, path, params, &headers);
        assert_eq!((answer.status, answer.replayed), (200, false), "{path}: {}", answer.body);
    }
    // The expired key was forgotten (the undone prunes kept the cache in order); the other
    // is still replayed.
    assert!(!post(&sim, SESSIONS, "type=document", &[("Idempotency-Key", "old")]).replayed);
    assert!(post(&sim, SESSIONS, "type=id_number", &[("Idempotency-Key", "half")]).replayed);
    // Memory and store agree.
    let restored = attach(&clock, &store, 2);
    let ids: Vec<String> = ok(get(&sim, SESSIONS, "limit=100"))["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 5);
    assert_eq!(view(&restored, &ids, &report_ids(&store)), view(&sim, &ids, &report_ids(&store)));
}

#[test]
fn webhook_endpoints_are_kept_and_a_failed_commit_undoes_their_change() {
    let clock = ManualClock::new(T0).unwrap();
    let store = Arc::new(MemoryStore::default());
    let sim = attach(&clock, &store, 10);
    const ENDPOINTS: &str = "/v1/webhook_endpoints";
    let a = ok(post(&sim, ENDPOINTS, "url=http://127.0.0.1:1/a&enabled_events[]=*", &[]));
    let b = id_of(post(&sim, ENDPOINTS, "url=http://127.0.0.1:1/b&enabled_events[]=*", &[]));
    let a_id = a["id"].as_str().unwrap().to_string();
    assert_eq!(store.keys(Kind::WebhookEndpoint).len(), 2);
    let listed = || ok(get(&sim, ENDPOINTS, ""));
    let before = listed();

    store.fail.store(true, Ordering::SeqCst);
    for (method, path, params) in [
        (Method::Post, ENDPOINTS.to_string(), "url=http://127.0.0.1:1/c&enabled_events[]=*"),
        (Method::Post, format!("{ENDPOINTS}/{a_id}"), "disabled=true"),
        (Method::Delete, format!("{ENDPOINTS}/{b}"), ""),
    ] {
        let answer = call(&sim, method, &path, params, &[]);
        assert_eq!(answer.status, 500, "{path}");
        assert_eq!(listed(), before, "{path} left a change in memory");
    }
    store.fail.store(false, Ordering::SeqCst);
    ok(call(&sim, Method::Delete, &format!("{ENDPOINTS}/{b}"), "", &[]));
    assert_eq!(store.keys(Kind::WebhookEndpoint), std::slice::from_ref(&a_id));

    // A restart keeps the endpoint, and new ones continue the creation order after it.
    let restored = attach(&clock, &store, 10);
    let kept = ok(get(&restored, &format!("{ENDPOINTS}/{a_id}"), ""));
    assert_eq!((kept["url"].as_str(), kept.get("secret")), (Some("http://127.0.0.1:1/a"), None));
    let c = id_of(post(&restored, ENDPOINTS, "url=http://127.0.0.1:1/c&enabled_events[]=*", &[]));
    let order: Vec<String> = ok(get(&restored, ENDPOINTS, ""))["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(order, [c, a_id]);
}

#[test]
fn a_store_is_attached_to_an_empty_simulator_only() {
    let sim = Simulator::new();
    ok(post(&sim, SESSIONS, "type=document", &[]));
    let err = sim.with_store(Arc::new(MemoryStore::default()), Vec::new()).unwrap_err();
    assert!(err.to_string().contains("empty simulator"), "{err}");
}

#[test]
fn a_smaller_event_log_at_restart_drops_the_oldest_in_the_store_too() {
    let clock = ManualClock::new(T0).unwrap();
    let store = Arc::new(MemoryStore::default());
    let sim = attach(&clock, &store, 100);
    for _ in 0..5 {
        ok(post(&sim, SESSIONS, "type=document", &[]));
    }
    let kept: Vec<String> = sim.events().into_iter().skip(3).map(|e| e.id).collect();
    let smaller = attach(&clock, &store, 2);
    let now: Vec<String> = smaller.events().into_iter().map(|e| e.id).collect();
    assert_eq!(now, kept);
    let mut stored = store.keys(Kind::Event);
    stored.sort();
    let mut kept = kept;
    kept.sort();
    assert_eq!(stored, kept);
}

/// Metadata as large as the API allows: 50 keys of 40 characters, values of 500.
fn maximal_metadata() -> String {
    (0..50).map(|i| format!("metadata[{i:0>40}]={}", "v".repeat(500))).collect::<Vec<_>>().join("&")
}

/// D8: one session with maximal metadata, cycled through submit and fail, used to pin about
/// 300 MB in 10,000 events. The byte budget now bounds the log, well below the count bound.
#[test]
fn the_event_log_is_bounded_by_bytes_as_well_as_by_count() {
    let budget = 2 << 20;
    let sim = Simulator::with_clock(Arc::new(ManualClock::new(T0).unwrap())).with_event_byte_budget(budget);
    let id = id_of(post(&sim, SESSIONS, &format!("type=document&{}", maximal_metadata()), &[]));
    let one_event = sim.event_log_bytes();
    assert!(one_event > 27_000, "a snapshot with maximal metadata is about 27 kB, got {one_event}");
    let cycles = 2 * budget / one_event;
    for _ in 0..cycles {
        ok(post(&sim, &format!("{HELPERS}/{id}/submit"), "", &[]));
        ok(post(&sim, &format!("{HELPERS}/{id}/fail"), "code=document_expired", &[]));
    }
    let events = sim.events();
    let held = sim.event_log_bytes();
    // Within budget, and full to within one event: the oldest were dropped, not the newest.
    assert!(held <= budget, "{held} bytes held, budget {budget}");
    assert!(held + one_event + 1_000 > budget, "{held} bytes held: the log should be nearly full");
    assert!(events.len() < DEFAULT_EVENT_CAPACITY);
    assert_eq!(events.last().unwrap().r#type, "identity.verification_session.requires_input");
    assert!(events.len() < 2 * cycles, "{} events: some must have been dropped", events.len());

    // The default budget is what the constant says.
    assert_eq!(Simulator::new().event_log_bytes(), 0);
    assert_eq!(DEFAULT_EVENT_BYTES, 32 << 20);
}

#[test]
fn an_event_larger_than_the_whole_budget_is_not_kept() {
    let sim = Simulator::new().with_event_byte_budget(10_000);
    ok(post(&sim, SESSIONS, "type=document", &[]));
    let small = sim.event_log_bytes();
    assert!(small > 0);
    ok(post(&sim, SESSIONS, &format!("type=document&{}", maximal_metadata()), &[]));
    assert_eq!(sim.event_log_bytes(), small);
    assert_eq!(sim.events().len(), 1);
}

#[test]
fn redaction_shrinks_the_event_log_and_its_byte_count_follows() {
    let sim = Simulator::new();
    let id = id_of(post(&sim, SESSIONS, &format!("type=document&{}", maximal_metadata()), &[]));
    let before = sim.event_log_bytes();
    ok(post(&sim, &format!("{SESSIONS}/{id}/redact"), "", &[]));
    assert_eq!(sim.events().len(), 2, "created, then canceled by the redaction");
    let held = sim.event_log_bytes();
    // The created event's snapshot lost its 27 kB of metadata; the new event is small.
    assert!(held < before / 4, "{held} bytes held, {before} before");
}

/// A hosted page's hidden parts (its `return_url`, when its `url` was issued) are kept, so a
/// restart opens the same page with the same expiry; a choice made after it is kept too.
#[test]
fn hosted_links_survive_a_restart() {
    use stripe_identity::engine::hosted::{token_of, Choice, Refusal, URL_LIFETIME};

    let clock = ManualClock::new(T0).unwrap();
    let store = Arc::new(MemoryStore::default());
    let sim = attach(&clock, &store, 100);
    let s = ok(post(&sim, SESSIONS, "type=document&return_url=http%3A%2F%2Fapp.test%2Fback", &[]));
    let token = token_of(s["url"].as_str().unwrap()).unwrap().to_string();
    drop(sim);
    let sim = attach(&clock, &store, 100);
    let page = sim.hosted_session(&token).unwrap();
    assert_eq!(
        (page.return_url.as_deref(), page.expires_at),
        (Some("http://app.test/back"), T0 + URL_LIFETIME)
    );
    sim.hosted_choose(&token, &Choice::Verify).unwrap();
    drop(sim);
    let sim = attach(&clock, &store, 100);
    let s = ok(get(&sim, &format!("{SESSIONS}/{}", s["id"].as_str().unwrap()), ""));
    assert_eq!(s["status"], "verified");
    // The token names its session, so it reads as spent after a restart too.
    assert_eq!(sim.hosted_session(&token).unwrap_err(), Refusal::Spent);
}
