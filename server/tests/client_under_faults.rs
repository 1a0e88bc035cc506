//! This library's HTTP client against identity-mock under injected faults: 10,000 creates with
//! a 20% fault rate (dropped connections before and after acting, 500, 503, 429 lock_timeout),
//! retries on. Every create carries its own idempotency key and its index in metadata. It must
//! end with exactly 10,000 sessions, one per index, and every failed call must be a typed error
//! that says why (the caller then repeats it with the same key, as an application would).

use identity_mock::{Config, Fault, FaultConfig, Server};
use parking_lot::Mutex;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use stripe_identity::model::RequestedVerificationType;
use stripe_identity::params::{CreateVerificationSession, ListVerificationSessions};
use stripe_identity::{Client, ErrorKind, RequestOptions};

const CREATES: usize = 10_000;

#[test]
fn ten_thousand_creates_under_twenty_percent_faults_make_exactly_ten_thousand_sessions() {
    let config = Config {
        port: 0,
        faults: FaultConfig { rate: 0.2, seed: 42, kinds: Fault::ALL.to_vec() },
        ..Config::default()
    };
    let server = Server::start(config).expect("identity-mock starts");
    // What the client saw on every attempt: status or connection error.
    let seen: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let log = seen.clone();
    let client = Client::builder("sk_test_faults1234")
        .base_url(server.url())
        .max_network_retries(2)
        // Backoff is the retry policy's business (tested in core); here it would only add minutes.
        .sleeper(|_| {})
        .log_hook(move |a| {
            let outcome = match (a.status, &a.error) {
                (Some(s), _) => s.to_string(),
                (None, Some(_)) => "connection error".into(),
                (None, None) => "none".into(),
            };
            *log.lock().entry(outcome).or_default() += 1;
        })
        .build()
        .expect("client builds");

    let vs = client.verification_sessions();
    let mut ids: HashMap<usize, String> = HashMap::new();
    let mut typed_errors: BTreeMap<&'static str, usize> = BTreeMap::new();
    for i in 0..CREATES {
        let params = CreateVerificationSession {
            r#type: Some(RequestedVerificationType::Document),
            metadata: Some([("n", i.to_string())].into_iter().collect()),
            ..Default::default()
        };
        let opts = RequestOptions { idempotency_key: Some(format!("fault-test-{i}")), ..Default::default() };
        let mut tries = 0;
        let session = loop {
            tries += 1;
            match vs.with_options(opts.clone()).create(&params) {
                Ok(s) => break s,
                Err(e) => {
                    // Only the injected faults may fail a call, each with a typed error that says why.
                    let why = match (e.kind(), e.http_status()) {
                        (ErrorKind::ApiConnection, _) => "connection",
                        (ErrorKind::Api, Some(500)) => "api 500",
                        (ErrorKind::Api, Some(503)) => "api 503",
                        (ErrorKind::RateLimit, Some(429)) => "rate limit 429",
                        _ => panic!("create {i}: unexpected error {e:?}"),
                    };
                    assert!(!e.message().is_empty(), "create {i}: an error without a message: {e:?}");
                    *typed_errors.entry(why).or_default() += 1;
                    assert!(tries < 20, "create {i} failed {tries} times in a row");
                }
            }
        };
        assert_eq!(session.metadata.get("n"), Some(&i.to_string()), "create {i} answered another session");
        ids.insert(i, session.id);
    }

    // Exactly one session per create, none lost, none duplicated.
    let distinct: HashSet<&String> = ids.values().collect();
    assert_eq!(distinct.len(), CREATES, "every create has its own session");
    let simulator = server.simulator().clone();
    assert_eq!(simulator.session_count(), CREATES, "the server stores exactly {CREATES} sessions");
    let local = Client::local_with(simulator);
    let mut per_index: HashMap<String, usize> = HashMap::new();
    for s in local
        .verification_sessions()
        .list_auto(&ListVerificationSessions { limit: Some(100), ..Default::default() })
    {
        let s = s.expect("listing succeeds");
        assert!(distinct.contains(&s.id), "stored session {} was never answered to a caller", s.id);
        *per_index.entry(s.metadata["n"].clone()).or_default() += 1;
    }
    assert_eq!(per_index.len(), CREATES);
    assert!(per_index.values().all(|&n| n == 1), "an index has more than one session");

    let seen = seen.lock().clone();
    println!("attempt outcomes seen by the client: {seen:?}");
    println!("calls that failed after their retries (then repeated with the same key): {typed_errors:?}");
    // The faults really happened, of every kind the client can tell apart.
    for outcome in ["500", "503", "429", "connection error"] {
        assert!(seen.get(outcome).copied().unwrap_or(0) > 100, "too few '{outcome}' attempts: {seen:?}");
    }
    server.shutdown();
}
