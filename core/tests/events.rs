//! `GET /v1/events[/:id]` on the simulator: newest first, the filters, both cursors, the
//! auto-pager, the typed `data.object`, what the bounded log answers once events fall out, and
//! `Client::on_event`.

use parking_lot::Mutex;
use std::sync::Arc;
use stripe_identity::engine::Simulator;
use stripe_identity::model::{LastErrorCode, RequestedVerificationType, VerificationStatus};
use stripe_identity::params::{CreateVerificationSession, ListEvents, Range, RangeQuery};
use stripe_identity::{Client, ErrorKind};

const VERIFIED: &str = "identity.verification_session.verified";

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

fn types(page: &[stripe_identity::model::Event]) -> Vec<&str> {
    page.iter().map(|e| e.r#type.strip_prefix("identity.verification_session.").unwrap()).collect()
}

#[test]
fn list_is_newest_first_and_retrieve_gives_the_same_event() {
    let client = Client::local();
    let id = lifecycle(&client);
    let events = client.events();
    let page = events.list(&ListEvents::default()).unwrap();
    assert_eq!(types(&page.data), ["verified", "processing", "requires_input", "processing", "created"]);
    assert!(!page.has_more);
    assert_eq!(page.url, "/v1/events");
    for e in &page.data {
        assert_eq!(events.retrieve(&e.id, &Default::default()).unwrap(), *e);
        assert_eq!(e.object, "event");
        assert!(e.request.id.as_deref().is_some_and(|r| r.starts_with("req_")));
        assert!(e.data.previous_attributes.is_none(), "only *.updated events carry previous_attributes");
        let session = e.session().unwrap();
        assert_eq!(session.id, id);
    }
    assert_eq!(page.data[0].session().unwrap().status, VerificationStatus::Verified);
    assert_eq!(page.data[4].session().unwrap().status, VerificationStatus::RequiresInput);
    let missing = events.retrieve("evt_nope", &Default::default()).unwrap_err();
    assert_eq!(
        (missing.http_status(), missing.code(), missing.param()),
        (Some(404), Some("resource_missing"), Some("id"))
    );
}

#[test]
fn filters_by_type_types_and_created() {
    let client = Client::local();
    lifecycle(&client);
    let events = client.events();
    let only = |p: ListEvents| types(&events.list(&p).unwrap().data).join(",");
    assert_eq!(only(ListEvents { r#type: Some(VERIFIED.into()), ..Default::default() }), "verified");
    assert_eq!(
        only(ListEvents { r#type: Some("identity.verification_session.*".into()), ..Default::default() }),
        "verified,processing,requires_input,processing,created"
    );
    assert_eq!(
        only(ListEvents { r#type: Some("*.processing".into()), ..Default::default() }),
        "processing,processing"
    );
    assert_eq!(only(ListEvents { r#type: Some("charge.succeeded".into()), ..Default::default() }), "");
    assert_eq!(
        only(ListEvents {
            types: vec![VERIFIED.into(), "identity.verification_session.created".into()],
            ..Default::default()
        }),
        "verified,created"
    );
    let both =
        ListEvents { r#type: Some(VERIFIED.into()), types: vec![VERIFIED.into()], ..Default::default() };
    let err = events.list(&both).unwrap_err();
    assert_eq!((err.kind(), err.param()), (ErrorKind::InvalidRequest, Some("types")));
    let created = events.list(&Default::default()).unwrap().data[0].created;
    assert_eq!(
        only(ListEvents { created: Some(RangeQuery::Exact(created)), ..Default::default() })
            .split(',')
            .count(),
        5
    );
    let later = Range { gt: Some(created), ..Default::default() };
    assert_eq!(only(ListEvents { created: Some(RangeQuery::Range(later)), ..Default::default() }), "");
    // Nothing was owed a webhook delivery here, so neither value of the filter matches.
    assert_eq!(only(ListEvents { delivery_success: Some(true), ..Default::default() }), "");
    assert_eq!(only(ListEvents { delivery_success: Some(false), ..Default::default() }), "");
    let expand = ListEvents { expand: vec!["data.object".into()], ..Default::default() };
    assert_eq!(events.list(&expand).unwrap_err().param(), Some("expand"));
}

#[test]
fn cursors_and_auto_paging_walk_every_event_once() {
    let client = Client::local();
    for _ in 0..3 {
        lifecycle(&client);
    }
    let events = client.events();
    let all: Vec<String> = events
        .list_auto(&ListEvents { limit: Some(4), ..Default::default() })
        .map(|e| e.unwrap().id)
        .collect();
    assert_eq!(all.len(), 15);
    let newest = events.list(&ListEvents { limit: Some(100), ..Default::default() }).unwrap();
    assert_eq!(newest.data.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), all);
    let after = events
        .list(&ListEvents { limit: Some(2), starting_after: Some(all[5].clone()), ..Default::default() })
        .unwrap();
    assert_eq!(after.data.iter().map(|e| &e.id).collect::<Vec<_>>(), [&all[6], &all[7]]);
    assert!(after.has_more);
    let before = events
        .list(&ListEvents { limit: Some(2), ending_before: Some(all[5].clone()), ..Default::default() })
        .unwrap();
    assert_eq!(before.data.iter().map(|e| &e.id).collect::<Vec<_>>(), [&all[3], &all[4]]);
    assert!(before.has_more);
    let backward: Vec<String> = events
        .list_auto(&ListEvents { limit: Some(4), ending_before: Some(all[14].clone()), ..Default::default() })
        .map(|e| e.unwrap().id)
        .collect();
    let mut oldest_first: Vec<String> = all[..14].to_vec();
    oldest_first.reverse();
    assert_eq!(backward, oldest_first);
}

#[test]
fn events_that_fell_out_of_the_bounded_log_are_gone() {
    let client = Client::local_with(Arc::new(Simulator::new().with_event_capacity(3)));
    let events = client.events();
    lifecycle(&client);
    let first = events.list(&Default::default()).unwrap();
    assert_eq!(types(&first.data), ["verified", "processing", "requires_input"]);
    assert!(!first.has_more, "the list ends at the oldest event still held");
    let oldest = first.data[2].id.clone();
    lifecycle(&client);
    let err = events.retrieve(&oldest, &Default::default()).unwrap_err();
    assert_eq!((err.http_status(), err.code()), (Some(404), Some("resource_missing")));
    let cursor = ListEvents { starting_after: Some(oldest), ..Default::default() };
    let err = events.list(&cursor).unwrap_err();
    assert_eq!((err.http_status(), err.param()), (Some(404), Some("starting_after")));
}

#[test]
fn on_event_hears_each_new_event_and_http_clients_refuse_it() {
    let client = Client::local();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = heard.clone();
    let again = client.clone();
    client
        .on_event(move |e| {
            // The callback may use the client: the simulator's lock is not held.
            let listed = again.events().retrieve(&e.id, &Default::default()).map(|got| got.id == e.id);
            sink.lock().push((e.r#type.clone(), listed.unwrap_or(false)));
        })
        .unwrap();
    lifecycle(&client);
    let heard = heard.lock();
    assert_eq!(heard.len(), 5);
    assert!(heard.iter().all(|(_, ok)| *ok));
    assert_eq!(heard[4].0, VERIFIED);
    let http = Client::builder("sk_test_x").base_url("http://127.0.0.1:9").build().unwrap();
    assert_eq!(http.on_event(|_| {}).unwrap_err().kind(), ErrorKind::InvalidArgument);
}
