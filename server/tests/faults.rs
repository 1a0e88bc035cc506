//! Fault injection: the share asked for is faulted, every kind shows up, and a request dropped
//! after acting really acted (its retry with the same Idempotency-Key replays).

mod common;

use common::*;
use identity_mock::{Config, Fault, FaultConfig};
use std::collections::BTreeMap;

fn faulty(rate: f64, seed: u64, kinds: &[Fault]) -> identity_mock::Server {
    start(Config { faults: FaultConfig { rate, seed, kinds: kinds.to_vec() }, ..Config::default() })
}

/// What a client sees: a status, or `drop` when the connection closed without an answer.
fn outcome(result: &Result<Answer, ureq::Error>) -> String {
    match result {
        Ok(answer) => answer.status.to_string(),
        Err(_) => "drop".to_string(),
    }
}

#[test]
fn the_share_asked_for_is_faulted_with_every_kind() {
    let server = faulty(0.2, 42, &Fault::ALL);
    let agent = agent();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut created = 0;
    for i in 0..1000 {
        // A fresh key per request: a retry is not what is measured here.
        let key = format!("share-{i}");
        let result = call(&agent, &server, "POST", SESSIONS, "type=document", &[("Idempotency-Key", &key)]);
        let outcome = outcome(&result);
        if let Ok(answer) = &result {
            match answer.status {
                200 => created += 1,
                429 => {
                    assert_eq!(answer.error("code"), "lock_timeout");
                    assert_eq!(answer.header("Stripe-Should-Retry"), Some("true"));
                    assert!(answer.header("request-id").is_some());
                }
                500 | 503 => assert_eq!(answer.error("type"), "api_error"),
                other => panic!("unexpected status {other}: {:?}", answer.body),
            }
        }
        *seen.entry(outcome).or_default() += 1;
    }
    eprintln!("outcomes over 1000 requests at 20%: {seen:?}");
    let faulted = 1000 - seen.get("200").copied().unwrap_or(0);
    assert!((140..=260).contains(&faulted), "{faulted} faulted: {seen:?}");
    for kind in ["drop", "500", "503", "429"] {
        assert!(seen.get(kind).copied().unwrap_or(0) >= 10, "{kind} too rare: {seen:?}");
    }
    // drop_before acts on nothing, drop_after acts: more sessions exist than 200s were seen,
    // and fewer than 200s plus drops.
    let sessions = server.simulator().session_count();
    assert!(sessions > created, "drop_after never acted: {sessions} sessions, {created} answered");
    assert!(sessions < created + seen["drop"], "drop_before acted: {sessions} sessions");
}

#[test]
fn a_request_dropped_after_acting_replays_on_retry() {
    let server = faulty(1.0, 7, &[Fault::DropAfter]);
    let agent = agent();
    for i in 0..20 {
        let key = format!("order-{i}");
        let result = call(&agent, &server, "POST", SESSIONS, "type=document", &[("Idempotency-Key", &key)]);
        assert!(result.is_err(), "an answer came back: {:?}", result.map(|a| a.status));
        assert_eq!(server.simulator().session_count(), i + 1, "the dropped request did not act");
    }
    // The same server without faults would answer; here a second server shares the simulator
    // to show the retry replays instead of creating again.
    let calm = identity_mock::Server::start_with(
        Config { host: "127.0.0.1".into(), port: 0, ..Config::default() },
        server.simulator().clone(),
    )
    .unwrap();
    for i in 0..20 {
        let key = format!("order-{i}");
        let answer =
            call(&agent, &calm, "POST", SESSIONS, "type=document", &[("Idempotency-Key", &key)]).unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("Idempotent-Replayed"), Some("true"));
    }
    assert_eq!(calm.simulator().session_count(), 20);
}

#[test]
fn faults_before_acting_do_not_act() {
    let server =
        faulty(1.0, 3, &[Fault::DropBefore, Fault::Status500, Fault::Status503, Fault::LockTimeout429]);
    let agent = agent();
    for i in 0..100 {
        let _ = call(
            &agent,
            &server,
            "POST",
            SESSIONS,
            "type=document",
            &[("Idempotency-Key", &format!("k{i}"))],
        );
    }
    assert_eq!(server.simulator().session_count(), 0);
}

#[test]
fn a_retrying_client_gets_through_with_each_thing_created_once() {
    // What an SDK with retries does: the same key until an answer other than a fault.
    let server = faulty(0.3, 11, &Fault::ALL);
    let agent = agent();
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..200 {
        let key = format!("retry-{i}");
        let mut attempts = 0;
        let answer = loop {
            attempts += 1;
            assert!(attempts < 50, "never got through");
            match call(&agent, &server, "POST", SESSIONS, "type=document", &[("Idempotency-Key", &key)]) {
                Ok(answer) if answer.status == 200 => break answer,
                _ => continue,
            }
        };
        ids.insert(answer.body["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 200);
    assert_eq!(server.simulator().session_count(), 200);
}
