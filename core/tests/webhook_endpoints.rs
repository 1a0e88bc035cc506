//! Webhook endpoints through the typed client on the embedded simulator: the resource's
//! operations, the secret shown once, paging, refusals, and the deliveries each event is owed
//! once a delivery worker listens.

use parking_lot::Mutex;
use std::sync::Arc;
use stripe_identity::engine::{Simulator, WebhookTarget, MAX_WEBHOOK_ENDPOINTS};
use stripe_identity::model::Event;
use stripe_identity::params::{
    from_json, CreateVerificationSession, CreateWebhookEndpoint, ListWebhookEndpoints, UpdateWebhookEndpoint,
};
use stripe_identity::{Client, Error};

/// What a delivery worker was handed: each event and the endpoints owed it.
type Heard = Vec<(Event, Vec<WebhookTarget>)>;

fn endpoint(url: &str, events: &[&str]) -> CreateWebhookEndpoint {
    CreateWebhookEndpoint {
        url: url.into(),
        enabled_events: events.iter().map(|e| e.to_string()).collect(),
        ..Default::default()
    }
}

/// `type=document`, read from JSON so the test does not name the type's Rust enum.
fn session() -> CreateVerificationSession {
    from_json(serde_json::json!({"type": "document"})).unwrap()
}

fn param_of(e: Error) -> Option<String> {
    assert_eq!(e.http_status(), Some(400), "{e:?}");
    e.param().map(String::from)
}

#[test]
fn endpoints_are_created_listed_updated_and_deleted_with_the_secret_shown_once() {
    let client = Client::local();
    let we = client.webhook_endpoints();
    let made = we.create(&endpoint("http://127.0.0.1:4242/hook", &["*"])).unwrap();
    assert!(made.id.starts_with("we_"));
    assert!(made.secret.as_deref().is_some_and(|s| s.starts_with("whsec_")));
    assert_eq!((made.status.as_str(), made.livemode), ("enabled", false));
    let got = we.retrieve(&made.id, &Default::default()).unwrap();
    assert_eq!(got.secret, None);
    assert_eq!(got.url, made.url);

    let changed = we
        .update(
            &made.id,
            &UpdateWebhookEndpoint {
                disabled: Some(true),
                description: Some("orders".into()),
                enabled_events: Some(vec!["identity.verification_session.verified".into()]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(changed.status, "disabled");
    assert_eq!(changed.description.as_deref(), Some("orders"));
    assert_eq!(changed.enabled_events, ["identity.verification_session.verified"]);
    assert_eq!(changed.secret, None);

    let deleted = we.delete(&made.id, &Default::default()).unwrap();
    assert_eq!(
        (deleted.id.as_str(), deleted.object.as_str(), deleted.deleted),
        (made.id.as_str(), "webhook_endpoint", true)
    );
    let gone = we.retrieve(&made.id, &Default::default()).unwrap_err();
    assert_eq!((gone.http_status(), gone.code()), (Some(404), Some("resource_missing")));
}

#[test]
fn lists_page_newest_first_and_the_count_is_bounded() {
    let client = Client::local();
    let we = client.webhook_endpoints();
    let ids: Vec<String> = (0..5)
        .map(|i| we.create(&endpoint(&format!("http://127.0.0.1:{}/h", 4000 + i), &["*"])).unwrap().id)
        .collect();
    let page = we.list(&ListWebhookEndpoints { limit: Some(2), ..Default::default() }).unwrap();
    assert!(page.has_more);
    assert_eq!(page.data.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [&ids[4], &ids[3]]);
    let next =
        ListWebhookEndpoints { limit: Some(2), starting_after: Some(ids[3].clone()), ..Default::default() };
    assert_eq!(
        we.list(&next).unwrap().data.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        [&ids[2], &ids[1]]
    );
    let back =
        ListWebhookEndpoints { limit: Some(2), ending_before: Some(ids[1].clone()), ..Default::default() };
    let page = we.list(&back).unwrap();
    assert_eq!(page.data.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [&ids[3], &ids[2]]);
    assert!(page.has_more);
    let all: Vec<String> = we.list_auto(&Default::default()).map(|e| e.unwrap().id).collect();
    assert_eq!(all, ids.iter().rev().cloned().collect::<Vec<_>>());
    for i in 5..MAX_WEBHOOK_ENDPOINTS {
        we.create(&endpoint(&format!("http://127.0.0.1:{}/h", 5000 + i), &["*"])).unwrap();
    }
    let over = we.create(&endpoint("http://127.0.0.1:1/h", &["*"])).unwrap_err();
    assert_eq!(param_of(over).as_deref(), Some("url"));
}

#[test]
fn bad_urls_and_event_types_are_refused_naming_the_parameter() {
    let client = Client::local();
    let we = client.webhook_endpoints();
    for (url, events, param) in [
        ("not a url", &["*"][..], "url"),
        ("ftp://127.0.0.1/h", &["*"], "url"),
        ("http:///nohost", &["*"], "url"),
        ("http://127.0.0.1/h", &["charge.succeeded"], "enabled_events"),
        ("http://127.0.0.1/h", &[], "enabled_events"),
    ] {
        let e = we.create(&endpoint(url, events)).unwrap_err();
        assert_eq!(param_of(e).as_deref(), Some(param), "{url} {events:?}");
    }
    assert!(we.list(&Default::default()).unwrap().data.is_empty());
}

#[test]
fn events_owe_a_delivery_to_each_matching_enabled_endpoint_once_a_worker_listens() {
    let simulator = Arc::new(Simulator::new());
    let client = Client::local_with(simulator.clone());
    let we = client.webhook_endpoints();
    // Without a worker no delivery is owed.
    we.create(&endpoint("http://127.0.0.1:1/all", &["*"])).unwrap();
    client.verification_sessions().create(&session()).unwrap();
    assert_eq!(simulator.events()[0].pending_webhooks, 0);

    let heard: Arc<Mutex<Heard>> = Arc::default();
    let sink = heard.clone();
    simulator.deliver_webhooks(Arc::new(move |e: &Event, t: &[WebhookTarget]| {
        sink.lock().push((e.clone(), t.to_vec()))
    }));
    let verified = we
        .create(&endpoint("http://127.0.0.1:1/verified", &["identity.verification_session.verified"]))
        .unwrap();
    let s = client.verification_sessions().create(&session()).unwrap();
    client.test_helpers().submit(&s.id).unwrap();
    client.test_helpers().verify(&s.id).unwrap();
    let heard = heard.lock().clone();
    let owed: Vec<(String, usize)> = heard.iter().map(|(e, t)| (e.r#type.clone(), t.len())).collect();
    assert_eq!(
        owed,
        [
            ("identity.verification_session.created".to_string(), 1),
            ("identity.verification_session.processing".to_string(), 1),
            ("identity.verification_session.verified".to_string(), 2),
        ]
    );
    let (event, targets) = &heard[2];
    assert_eq!(event.pending_webhooks, 2);
    assert!(targets.iter().any(|t| t.endpoint == verified.id && Some(&t.secret) == verified.secret.as_ref()));
    // Each success takes one off; a delivery given up stays owed.
    assert!(simulator.webhook_delivery_done(&event.id, true));
    assert!(simulator.webhook_delivery_done(&event.id, false));
    let pending = |id: &str| simulator.events().into_iter().find(|e| e.id == id).unwrap().pending_webhooks;
    assert_eq!(pending(&event.id), 1);
    assert!(simulator.webhook_delivery_done(&event.id, true));
    assert_eq!(pending(&event.id), 0);
    assert!(!simulator.webhook_delivery_done("evt_unknown", true));
}

#[test]
fn a_worker_hears_the_events_owed_a_delivery_even_when_the_log_keeps_none() {
    // The event log is off, and no listener takes every event: only the deliveries owed make
    // events, and only for the endpoints matching them.
    let simulator = Arc::new(Simulator::new().with_event_capacity(0));
    let client = Client::local_with(simulator.clone());
    let heard: Arc<Mutex<Heard>> = Arc::default();
    let sink = heard.clone();
    simulator.deliver_webhooks(Arc::new(move |e: &Event, t: &[WebhookTarget]| {
        sink.lock().push((e.clone(), t.to_vec()))
    }));
    let s = client.verification_sessions().create(&session()).unwrap();
    assert!(heard.lock().is_empty(), "no endpoint, no delivery");
    client
        .webhook_endpoints()
        .create(&endpoint("http://127.0.0.1:1/verified", &["identity.verification_session.verified"]))
        .unwrap();
    client.test_helpers().submit(&s.id).unwrap();
    client.test_helpers().verify(&s.id).unwrap();
    let heard = heard.lock().clone();
    let owed: Vec<(&str, &str)> =
        heard.iter().map(|(e, _)| (e.r#type.as_str(), e.data.object["id"].as_str().unwrap())).collect();
    assert_eq!(owed, [("identity.verification_session.verified", s.id.as_str())]);
    assert_eq!(heard[0].0.pending_webhooks, 1);
    assert!(simulator.events().is_empty());
}
