//! `Simulator::subscribe`: every committed event reaches the listeners, in order, outside the
//! lock, whether or not the event log keeps it.

use parking_lot::Mutex;
use std::sync::Arc;
use stripe_identity::engine::Simulator;
use stripe_identity::model::{LastErrorCode, RequestedVerificationType};
use stripe_identity::params::CreateVerificationSession;
use stripe_identity::Client;

fn lifecycle(client: &Client) -> String {
    let vs = client.verification_sessions();
    let helpers = client.test_helpers();
    let s = vs
        .create(&CreateVerificationSession {
            r#type: Some(RequestedVerificationType::Document),
            ..Default::default()
        })
        .unwrap();
    helpers.submit(&s.id).unwrap();
    helpers.fail(&s.id, LastErrorCode::DocumentExpired, None).unwrap();
    helpers.submit(&s.id).unwrap();
    helpers.verify(&s.id).unwrap();
    s.id
}

const EXPECTED: [&str; 5] = [
    "identity.verification_session.created",
    "identity.verification_session.processing",
    "identity.verification_session.requires_input",
    "identity.verification_session.processing",
    "identity.verification_session.verified",
];

#[test]
fn listeners_hear_each_event_in_order() {
    let sim = Arc::new(Simulator::new());
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = heard.clone();
    sim.subscribe(Arc::new(move |e| sink.lock().push((e.r#type.clone(), e.data.object["status"].clone()))));
    let client = Client::local_with(sim);
    lifecycle(&client);
    let heard = heard.lock();
    let types: Vec<&str> = heard.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(types, EXPECTED);
    assert_eq!(heard[4].1, "verified", "data.object is the session as it was");
}

#[test]
fn listeners_run_outside_the_lock_and_without_an_event_log() {
    let sim = Arc::new(Simulator::new().with_event_capacity(0));
    let client = Client::local_with(sim.clone());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (sink, inner) = (seen.clone(), client.clone());
    // A listener that calls back into the simulator would deadlock if it ran under the lock.
    sim.subscribe(Arc::new(move |e| {
        let id = e.data.object["id"].as_str().unwrap().to_string();
        let now = inner.verification_sessions().retrieve(&id, &Default::default()).unwrap();
        sink.lock().push(now.id);
    }));
    let id = lifecycle(&client);
    assert_eq!(seen.lock().len(), EXPECTED.len());
    assert!(seen.lock().iter().all(|s| *s == id));
}
