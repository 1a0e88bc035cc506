//! Eight threads hammer one shared local client with every operation at once: creates (some
//! with idempotency keys, including one key sent by all threads at the same moment), updates,
//! cancels, submits, verifies, fails, redactions and paginated lists. Each thread checks every
//! answer on its own and records what it did; afterwards the whole store must be consistent
//! with those records: one session per successful create (one per shared key), each listed
//! exactly once and in order, no session both canceled and verified, status counts and the
//! event log in agreement. A watchdog aborts the run if anything hangs.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use stripe_identity::engine::{ManualClock, Simulator};
use stripe_identity::model::{
    LastErrorCode, RedactionStatus, RequestedVerificationType, VerificationSession, VerificationStatus,
};
use stripe_identity::params::{
    CreateVerificationSession, ListVerificationSessions, Metadata, UpdateVerificationSession,
};
use stripe_identity::{Client, Error, RequestOptions};

const THREADS: usize = 8;
const OPS_PER_THREAD: usize = 2_000;
/// Every this many operations all threads meet and create with one shared idempotency key.
const SHARED_EVERY: usize = 250;
const WATCHDOG: Duration = Duration::from_secs(60);
const UNEXPECTED_STATE: &str = "verification_session_unexpected_state";
const STATUSES: [VerificationStatus; 4] = [
    VerificationStatus::RequiresInput,
    VerificationStatus::Processing,
    VerificationStatus::Verified,
    VerificationStatus::Canceled,
];

/// What one thread last saw of a session; its later sightings may only move forward.
#[derive(Debug, Clone)]
struct Seen {
    status: VerificationStatus,
    redaction: Option<RedactionStatus>,
}

/// What one thread did and saw.
#[derive(Debug, Default)]
struct Log {
    /// Sessions this thread created itself (no shared key), in order, with `created`.
    own: Vec<(String, i64)>,
    /// The session each shared-key round answered this thread.
    shared: Vec<(usize, String)>,
    /// Successful operations by name.
    ok: BTreeMap<&'static str, usize>,
    /// Last sighting of each session.
    seen: HashMap<String, Seen>,
    /// Sessions seen canceled, and seen verified.
    canceled: HashSet<String>,
    verified: HashSet<String>,
    /// Broken expectations (kept rather than panicking, so no thread leaves the others
    /// waiting at the barrier).
    errors: Vec<String>,
}

impl Log {
    fn error(&mut self, msg: String) {
        if self.errors.len() < 50 {
            self.errors.push(msg);
        }
    }

    /// Invariants of any session answer, and of this thread's sightings over time.
    fn observe(&mut self, s: &VerificationSession, what: &str) {
        let open = s.status == VerificationStatus::RequiresInput;
        if s.client_secret.is_some() != open || s.url.is_some() != open {
            self.error(format!(
                "{what}: {} is {} with secret/url {:?}/{:?}",
                s.id, s.status, s.client_secret, s.url
            ));
        }
        if s.redaction.is_some() && !s.metadata.is_empty() {
            self.error(format!("{what}: redacted {} keeps metadata {:?}", s.id, s.metadata));
        }
        let redaction = s.redaction.as_ref().map(|r| r.status.clone());
        if redaction.is_some()
            && !matches!(s.status, VerificationStatus::Canceled | VerificationStatus::Verified)
        {
            self.error(format!("{what}: {} is redacted but {}", s.id, s.status));
        }
        if s.status == VerificationStatus::Verified && s.last_error.is_some() {
            self.error(format!("{what}: verified {} has last_error", s.id));
        }
        match s.status {
            VerificationStatus::Canceled => {
                self.canceled.insert(s.id.clone());
            }
            VerificationStatus::Verified => {
                self.verified.insert(s.id.clone());
            }
            _ => {}
        }
        if let Some(prev) = self.seen.get(&s.id).cloned() {
            let terminal = matches!(prev.status, VerificationStatus::Canceled | VerificationStatus::Verified);
            if terminal && prev.status != s.status {
                self.error(format!("{what}: {} went from {} to {}", s.id, prev.status, s.status));
            }
            let regress = match (&prev.redaction, &redaction) {
                (Some(RedactionStatus::Redacted), Some(RedactionStatus::Redacted)) => false,
                (Some(RedactionStatus::Redacted), _) => true,
                (Some(_), None) => true,
                _ => false,
            };
            if regress {
                self.error(format!(
                    "{what}: {} redaction went {:?} -> {:?}",
                    s.id, prev.redaction, redaction
                ));
            }
        }
        self.seen.insert(s.id.clone(), Seen { status: s.status.clone(), redaction });
    }

    /// A refusal must be the state error; anything else is a bug.
    fn refused(&mut self, e: &Error, what: &str) {
        if e.http_status() != Some(400) || e.code() != Some(UNEXPECTED_STATE) {
            self.error(format!("{what}: unexpected error {:?} {:?}: {e}", e.http_status(), e.code()));
        }
    }

    fn count(&mut self, op: &'static str) {
        *self.ok.entry(op).or_default() += 1;
    }
}

fn create_params(r#type: RequestedVerificationType, reference: Option<String>) -> CreateVerificationSession {
    CreateVerificationSession {
        r#type: Some(r#type),
        client_reference_id: reference,
        metadata: Some([("origin", "concurrency")].into_iter().collect()),
        ..Default::default()
    }
}

struct Shared {
    client: Client,
    clock: ManualClock,
    /// Every session id created so far, for other threads to act on.
    pool: Mutex<Vec<String>>,
    barrier: Barrier,
}

fn pick(shared: &Shared, log: &Log, rng: &mut SmallRng) -> Option<String> {
    if !log.own.is_empty() && rng.random_bool(0.5) {
        // Mostly recent own sessions, so that sequences of transitions get through.
        let n = log.own.len();
        let i = n - 1 - rng.random_range(0..n.min(8));
        return Some(log.own[i].0.clone());
    }
    let pool = shared.pool.lock().unwrap();
    (!pool.is_empty()).then(|| pool[rng.random_range(0..pool.len())].clone())
}

fn worker(t: usize, shared: &Shared) -> Log {
    let mut log = Log::default();
    let mut rng = SmallRng::seed_from_u64(0x5eed_0000 + t as u64);
    let client = &shared.client;
    let vs = client.verification_sessions();
    let helpers = client.test_helpers();
    for i in 0..OPS_PER_THREAD {
        if i % SHARED_EVERY == 0 {
            shared_round(t, i / SHARED_EVERY, shared, &mut log);
            continue;
        }
        if rng.random_bool(0.01) {
            shared.clock.advance(1).expect("a valid step");
        }
        let roll = rng.random_range(0..100);
        if roll < 20 {
            // Plain create, or (one in four) a keyed create sent twice, as a retry would.
            let r#type = if rng.random_bool(0.5) {
                RequestedVerificationType::Document
            } else {
                RequestedVerificationType::IdNumber
            };
            let params = create_params(r#type, Some(format!("t{t}")));
            let res = if rng.random_bool(0.25) {
                let opts =
                    RequestOptions { idempotency_key: Some(format!("t{t}-op{i}")), ..Default::default() };
                let keyed = vs.with_options(opts);
                match (keyed.create(&params), keyed.create(&params)) {
                    (Ok(a), Ok(b)) => {
                        if a != b {
                            log.error(format!(
                                "keyed create t{t}-op{i}: replay differs: {} vs {}",
                                a.id, b.id
                            ));
                        }
                        Ok(a)
                    }
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            } else {
                vs.create(&params)
            };
            match res {
                Ok(s) => {
                    if s.status != VerificationStatus::RequiresInput || !s.metadata.contains_key("origin") {
                        log.error(format!("create: {s:?}"));
                    }
                    log.observe(&s, "create");
                    log.count("create");
                    log.own.push((s.id.clone(), s.created));
                    shared.pool.lock().unwrap().push(s.id);
                }
                Err(e) => log.error(format!("create failed: {e}")),
            }
            continue;
        }
        if roll >= 95 {
            list_walk(t, shared, &mut log, &mut rng);
            continue;
        }
        let Some(id) = pick(shared, &log, &mut rng) else { continue };
        let (op, res): (&'static str, Result<VerificationSession, Error>) = match roll {
            20..=29 => {
                let value = format!("t{t}-{i}");
                let metadata: Metadata =
                    [(format!("k{}", rng.random_range(0..3)), value)].into_iter().collect();
                let res = vs.update(
                    &id,
                    &UpdateVerificationSession { metadata: Some(metadata.clone()), ..Default::default() },
                );
                if let Ok(s) = &res {
                    let (k, v) = metadata.0.iter().next().unwrap();
                    if s.metadata.get(k) != Some(v) || s.status != VerificationStatus::RequiresInput {
                        log.error(format!("update of {id} answered {:?} {:?}", s.status, s.metadata));
                    }
                }
                ("update", res)
            }
            30..=37 => ("cancel", vs.cancel(&id, &Default::default())),
            38..=54 => ("submit", helpers.submit(&id)),
            55..=66 => ("verify", helpers.verify(&id)),
            67..=76 => {
                let code = LastErrorCode::parse(
                    LastErrorCode::KNOWN[rng.random_range(0..LastErrorCode::KNOWN.len())],
                );
                let res = helpers.fail(&id, code.clone(), None);
                if let Ok(s) = &res {
                    if s.last_error.as_ref().and_then(|e| e.code.as_ref()) != Some(&code) {
                        log.error(format!("fail of {id} answered last_error {:?}", s.last_error));
                    }
                }
                ("fail", res)
            }
            77..=84 => ("redact", vs.redact(&id, &Default::default())),
            85..=89 => ("complete_redaction", helpers.complete_redaction(&id)),
            _ => ("retrieve", vs.retrieve(&id, &Default::default())),
        };
        match res {
            Ok(s) => {
                let expected = match op {
                    "cancel" => Some(s.status == VerificationStatus::Canceled && s.redaction.is_none()),
                    "submit" => Some(s.status == VerificationStatus::Processing),
                    "verify" => Some(s.status == VerificationStatus::Verified),
                    "fail" => Some(s.status == VerificationStatus::RequiresInput),
                    "redact" => Some(s.redaction.is_some()),
                    "complete_redaction" => {
                        Some(s.redaction.as_ref().map(|r| &r.status) == Some(&RedactionStatus::Redacted))
                    }
                    _ => None,
                };
                if expected == Some(false) || s.id != id {
                    log.error(format!("{op} of {id} answered {s:?}"));
                }
                log.observe(&s, op);
                log.count(op);
            }
            Err(e) => log.refused(&e, &format!("{op} {id}")),
        }
    }
    log
}

/// All threads meet, then create with the same key and parameters at once: one session.
fn shared_round(t: usize, round: usize, shared: &Shared, log: &mut Log) {
    let key = format!("shared-{round}");
    let params = create_params(RequestedVerificationType::Document, Some(key.clone()));
    let opts = RequestOptions { idempotency_key: Some(key.clone()), ..Default::default() };
    let vs = shared.client.verification_sessions();
    shared.barrier.wait();
    match vs.with_options(opts.clone()).create(&params) {
        Ok(s) => {
            log.shared.push((round, s.id.clone()));
            shared.pool.lock().unwrap().push(s.id);
        }
        Err(e) => log.error(format!("shared create {key}: {e}")),
    }
    if t == 0 {
        // The same key with other parameters is an idempotency error, never a second session.
        let other = create_params(RequestedVerificationType::IdNumber, Some(key.clone()));
        match vs.with_options(opts).create(&other) {
            Ok(s) => log.error(format!("{key} reused with other params made {}", s.id)),
            Err(e) => {
                if e.http_status() != Some(400) || e.error_type() != Some("idempotency_error") {
                    log.error(format!("{key} reused with other params: {e}"));
                }
            }
        }
    }
}

/// Up to three pages, forwards from the newest or backwards from a known session, optionally
/// filtered by status. Each page must be in order and no session may appear twice.
fn list_walk(t: usize, shared: &Shared, log: &mut Log, rng: &mut SmallRng) {
    let vs = shared.client.verification_sessions();
    let limit = if rng.random_bool(0.5) { rng.random_range(1..=5) } else { rng.random_range(1..=100) };
    let status = rng.random_bool(0.3).then(|| STATUSES[rng.random_range(0..STATUSES.len())].clone());
    let backward = rng.random_bool(0.3);
    let mut params =
        ListVerificationSessions { limit: Some(limit), status: status.clone(), ..Default::default() };
    if backward {
        let Some(anchor) = pick(shared, log, rng) else { return };
        params.ending_before = Some(anchor);
    }
    let mut ids = HashSet::new();
    // `created` of the last item handed out, to check the walk's direction.
    let mut last: Option<i64> = None;
    for _ in 0..3 {
        let page = match vs.list(&params) {
            Ok(p) => p,
            Err(e) => {
                log.error(format!("t{t} list {params:?}: {e}"));
                return;
            }
        };
        if page.data.len() > limit as usize {
            log.error(format!("list: {} items for limit {limit}", page.data.len()));
        }
        if page.data.windows(2).any(|w| w[0].created < w[1].created) {
            log.error("list: page not newest first".to_string());
        }
        let (first, last_of_page) = match (page.data.first(), page.data.last()) {
            (Some(a), Some(b)) => (a.clone(), b.clone()),
            _ => return,
        };
        // Forwards each page is older than the previous one; backwards, newer.
        let step_ok = match last {
            None => true,
            Some(prev) if backward => last_of_page.created >= prev,
            Some(prev) => first.created <= prev,
        };
        if !step_ok {
            log.error(format!("list walk went the wrong way at {}", first.id));
        }
        for s in &page.data {
            if !ids.insert(s.id.clone()) {
                log.error(format!("list walk returned {} twice", s.id));
            }
            if status.as_ref().is_some_and(|st| &s.status != st) {
                log.error(format!("list status={status:?} returned {} in {}", s.id, s.status));
            }
            log.observe(s, "list");
        }
        if !page.has_more {
            return;
        }
        if backward {
            last = Some(first.created);
            params.ending_before = Some(first.id);
        } else {
            last = Some(last_of_page.created);
            params.starting_after = Some(last_of_page.id);
        }
    }
}

#[test]
fn eight_threads_keep_the_store_consistent() {
    let started = Instant::now();
    let (done, watch) = mpsc::channel::<()>();
    thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = watch.recv_timeout(WATCHDOG) {
            // Straight to stderr: the test harness's capture would die with the process.
            let _ = writeln!(
                std::io::stderr(),
                "concurrency test still running after {WATCHDOG:?}: deadlock or livelock; aborting"
            );
            std::process::abort();
        }
    });

    let clock = ManualClock::new(1_700_000_000).expect("a valid start");
    let sim = Simulator::with_clock(Arc::new(clock.clone())).with_event_capacity(1_000_000);
    let shared = Arc::new(Shared {
        client: Client::local_with(Arc::new(sim)),
        clock,
        pool: Mutex::new(Vec::new()),
        barrier: Barrier::new(THREADS),
    });
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let shared = Arc::clone(&shared);
            thread::spawn(move || worker(t, &shared))
        })
        .collect();
    let logs: Vec<Log> =
        handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect();
    let hammered = started.elapsed();

    let errors: Vec<String> = logs
        .iter()
        .enumerate()
        .flat_map(|(t, l)| l.errors.iter().map(move |e| format!("thread {t}: {e}")))
        .collect();
    assert!(errors.is_empty(), "{} broken expectations:\n{}", errors.len(), errors.join("\n"));

    let client = &shared.client;
    let sim = client.simulator().expect("local client").clone();
    let vs = client.verification_sessions();

    // Shared keys: every thread got the same session, one per round.
    let rounds = OPS_PER_THREAD.div_ceil(SHARED_EVERY);
    let mut shared_ids: BTreeMap<usize, HashSet<String>> = BTreeMap::new();
    for log in &logs {
        assert_eq!(log.shared.len(), rounds);
        for (round, id) in &log.shared {
            shared_ids.entry(*round).or_default().insert(id.clone());
        }
    }
    for (round, ids) in &shared_ids {
        assert_eq!(ids.len(), 1, "shared key round {round} made {} sessions: {ids:?}", ids.len());
        let params = ListVerificationSessions {
            client_reference_id: Some(format!("shared-{round}")),
            limit: Some(100),
            ..Default::default()
        };
        let listed = vs.list(&params).unwrap();
        assert_eq!(listed.data.len(), 1, "sessions with reference shared-{round}");
    }

    // One session per successful distinct create.
    let mut created_at: HashMap<String, i64> = HashMap::new();
    for log in &logs {
        for (id, created) in &log.own {
            assert!(created_at.insert(id.clone(), *created).is_none(), "{id} created twice");
        }
    }
    let own_count = created_at.len();
    let mut expected: HashSet<String> = created_at.keys().cloned().collect();
    for ids in shared_ids.values() {
        expected.extend(ids.iter().cloned());
    }
    assert_eq!(expected.len(), own_count + rounds);
    assert_eq!(sim.session_count(), expected.len(), "stored sessions vs successful distinct creates");

    // The full list: every session exactly once, newest first.
    let all: Vec<VerificationSession> = vs
        .list_auto(&ListVerificationSessions { limit: Some(100), ..Default::default() })
        .collect::<Result<_, _>>()
        .unwrap();
    let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "a session listed twice");
    assert_eq!(unique, expected.iter().map(String::as_str).collect::<HashSet<_>>(), "listed vs created");
    assert!(all.windows(2).all(|w| w[0].created >= w[1].created), "list not ordered by created desc");
    let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    for s in &all {
        if let Some(c) = created_at.get(&s.id) {
            assert_eq!(s.created, *c, "created of {} changed", s.id);
        }
    }
    // Within a thread, later creates come earlier in the list (created, then creation order).
    for (t, log) in logs.iter().enumerate() {
        for w in log.own.windows(2) {
            assert!(w[0].1 <= w[1].1, "thread {t}: clock went backwards between its creates");
            assert!(
                position[w[0].0.as_str()] > position[w[1].0.as_str()],
                "thread {t}: {} (created {}) listed after {} (created {}), though created before it",
                w[0].0,
                w[0].1,
                w[1].0,
                w[1].1
            );
        }
    }
    // The same walk backwards, from the oldest, in pages of an odd size.
    let oldest = all.last().expect("sessions exist").id.clone();
    let mut back: Vec<String> = vs
        .list_auto(&ListVerificationSessions {
            limit: Some(37),
            ending_before: Some(oldest.clone()),
            ..Default::default()
        })
        .map(|s| s.map(|s| s.id))
        .collect::<Result<_, _>>()
        .unwrap();
    back.insert(0, oldest);
    back.reverse();
    assert_eq!(back, ids, "backward walk differs from forward walk");

    // Final states: invariants, and nothing both canceled and verified.
    let mut seen_canceled = HashSet::new();
    let mut seen_verified = HashSet::new();
    for log in &logs {
        seen_canceled.extend(log.canceled.iter().cloned());
        seen_verified.extend(log.verified.iter().cloned());
    }
    let mut check = Log::default();
    for s in &all {
        check.observe(s, "final");
        match s.status {
            VerificationStatus::Canceled => seen_canceled.insert(s.id.clone()),
            VerificationStatus::Verified => seen_verified.insert(s.id.clone()),
            _ => false,
        };
    }
    assert!(check.errors.is_empty(), "{:?}", check.errors);
    let both: Vec<_> = seen_canceled.intersection(&seen_verified).collect();
    assert!(both.is_empty(), "sessions seen both canceled and verified: {both:?}");

    // Status counts: the simulator's, the full listing's and each filtered listing agree.
    let mut by_status: HashMap<String, Vec<&str>> = HashMap::new();
    for s in &all {
        by_status.entry(s.status.to_string()).or_default().push(&s.id);
    }
    for status in &STATUSES {
        let listed = by_status.get(status.as_str()).cloned().unwrap_or_default();
        assert_eq!(sim.count_status(status), listed.len(), "count_status({status})");
        let filtered: Vec<String> = vs
            .list_auto(&ListVerificationSessions {
                limit: Some(100),
                status: Some(status.clone()),
                ..Default::default()
            })
            .map(|s| s.map(|s| s.id))
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(filtered, listed, "list status={status}");
    }

    // Successful operations against the store and the event log.
    let ok = |op: &str| logs.iter().map(|l| l.ok.get(op).copied().unwrap_or(0)).sum::<usize>();
    let events = sim.events();
    let of_type = |kind: &str| -> Vec<String> {
        let kind = format!("identity.verification_session.{kind}");
        events
            .iter()
            .filter(|e| e.r#type == kind)
            .map(|e| e.data.object["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let mut created_events = of_type("created");
    created_events.sort();
    let mut want: Vec<String> = expected.iter().cloned().collect();
    want.sort();
    assert_eq!(created_events, want, "one created event per session");
    let keyed_shared: Vec<_> = events
        .iter()
        .filter(|e| e.request.idempotency_key.as_deref().is_some_and(|k| k.starts_with("shared-")))
        .collect();
    assert_eq!(keyed_shared.len(), rounds, "events caused by shared-key creates");
    let verified = sim.count_status(&VerificationStatus::Verified);
    let canceled = sim.count_status(&VerificationStatus::Canceled);
    assert_eq!(verified, ok("verify"), "verified sessions vs successful verifies");
    assert_eq!(of_type("verified").len(), ok("verify"), "verified events");
    assert_eq!(of_type("processing").len(), ok("submit"), "processing events");
    assert_eq!(of_type("requires_input").len(), ok("fail"), "requires_input events");
    let mut canceled_events = of_type("canceled");
    canceled_events.sort();
    let mut canceled_ids: Vec<String> =
        by_status.get("canceled").into_iter().flatten().map(|s| s.to_string()).collect();
    canceled_ids.sort();
    assert_eq!(canceled_events, canceled_ids, "one canceled event per canceled session");
    assert!(ok("cancel") <= canceled);
    let redacted =
        all.iter().filter(|s| s.redaction.as_ref().is_some_and(|r| r.status == RedactionStatus::Redacted));
    assert_eq!(of_type("redacted").len(), ok("complete_redaction"), "redacted events");
    assert_eq!(redacted.count(), ok("complete_redaction"), "redacted sessions");
    assert_eq!(
        events.len(),
        expected.len() + ok("submit") + ok("verify") + ok("fail") + canceled + ok("complete_redaction"),
        "events in total"
    );

    drop(done);
    eprintln!(
        "{} sessions, {} events; ok: {:?}; hammering took {hammered:?}, all {:?}",
        expected.len(),
        events.len(),
        [
            "create",
            "update",
            "cancel",
            "submit",
            "verify",
            "fail",
            "redact",
            "complete_redaction",
            "retrieve"
        ]
        .map(|op| (op, ok(op))),
        started.elapsed()
    );
}
