//! VerificationReports through the typed client and the JSON front door: retrieve, list with
//! every filter, cursors both ways, auto-paging, and the expandable fields of the spec.

use serde_json::{json, Value};
use std::sync::Arc;
use stripe_identity::client::Operation;
use stripe_identity::engine::{ManualClock, Simulator};
use stripe_identity::model::{LastErrorCode, RequestedVerificationType, VerificationReport};
use stripe_identity::params::{
    CreateVerificationSession, ListVerificationReports, RangeQuery, RetrieveVerificationReport,
};
use stripe_identity::{Client, ErrorKind, RequestOptions};

const START: i64 = 1_700_000_000;

/// A client whose simulator holds, oldest first: two failed and one verified attempt of a
/// document session (reference `ref_a`), and one verified id_number session, each report a
/// minute after the one before. Returns the report ids oldest first, and the two sessions.
fn with_reports() -> (Client, Vec<String>, [String; 2]) {
    let clock = ManualClock::new(START).unwrap();
    let client = Client::local_with(Arc::new(Simulator::with_clock(Arc::new(clock.clone()))));
    let vs = client.verification_sessions();
    let helpers = client.test_helpers();
    let doc = vs
        .create(&CreateVerificationSession {
            r#type: Some(RequestedVerificationType::Document),
            client_reference_id: Some("ref_a".into()),
            ..Default::default()
        })
        .unwrap();
    let idn = vs
        .create(&CreateVerificationSession {
            r#type: Some(RequestedVerificationType::IdNumber),
            ..Default::default()
        })
        .unwrap();
    let mut reports = Vec::new();
    let mut step = |id: &str, fail: Option<LastErrorCode>| {
        clock.advance(60).unwrap();
        helpers.submit(id).unwrap();
        let s = match fail {
            Some(code) => helpers.fail(id, code, None).unwrap(),
            None => helpers.verify(id).unwrap(),
        };
        reports.push(s.last_verification_report.unwrap().id().to_string());
    };
    step(&doc.id, Some(LastErrorCode::DocumentExpired));
    step(&doc.id, Some(LastErrorCode::DocumentUnverifiedOther));
    step(&doc.id, None);
    step(&idn.id, None);
    (client, reports, [doc.id, idn.id])
}

fn ids(list: &[VerificationReport]) -> Vec<String> {
    list.iter().map(|r| r.id.clone()).collect()
}

fn newest_first(ids: &[String]) -> Vec<String> {
    ids.iter().rev().cloned().collect()
}

#[test]
fn retrieve_gives_the_report_a_session_points_at() {
    let (client, reports, [doc, _]) = with_reports();
    let r = client.verification_reports().retrieve(&reports[2], &Default::default()).unwrap();
    assert_eq!(r.id, reports[2]);
    assert_eq!(r.verification_session.as_deref(), Some(doc.as_str()));
    assert_eq!(r.client_reference_id.as_deref(), Some("ref_a"));
    assert_eq!(r.created, START + 180);
    let e = client.verification_reports().retrieve("vr_missing", &Default::default()).unwrap_err();
    assert_eq!((e.http_status(), e.code(), e.param()), (Some(404), Some("resource_missing"), Some("report")));
    let e = client.verification_reports().retrieve("", &Default::default()).unwrap_err();
    assert_eq!((e.kind(), e.param()), (ErrorKind::InvalidArgument, Some("report")));
}

#[test]
fn list_is_newest_first_and_filters_as_the_api_does() {
    let (client, reports, [doc, idn]) = with_reports();
    let vr = client.verification_reports();
    let all = vr.list(&Default::default()).unwrap();
    assert_eq!(ids(&all.data), newest_first(&reports));
    assert_eq!((all.url.as_str(), all.has_more), ("/v1/identity/verification_reports", false));

    let by = |p: ListVerificationReports| ids(&vr.list(&p).unwrap().data);
    let session =
        |id: &str| ListVerificationReports { verification_session: Some(id.into()), ..Default::default() };
    assert_eq!(by(session(&doc)), newest_first(&reports[..3]));
    assert_eq!(by(session(&idn)), vec![reports[3].clone()]);
    let of_type = |t| ListVerificationReports { r#type: Some(t), ..Default::default() };
    assert_eq!(by(of_type(RequestedVerificationType::IdNumber)), vec![reports[3].clone()]);
    assert_eq!(by(of_type(RequestedVerificationType::Document)), newest_first(&reports[..3]));
    let reference =
        ListVerificationReports { client_reference_id: Some("ref_a".into()), ..Default::default() };
    assert_eq!(by(reference), newest_first(&reports[..3]));
    let exact =
        ListVerificationReports { created: Some(RangeQuery::Exact(START + 120)), ..Default::default() };
    assert_eq!(by(exact), vec![reports[1].clone()]);
    let range: ListVerificationReports =
        stripe_identity::params::from_json(json!({"created": {"gt": START + 60, "lte": START + 180}}))
            .unwrap();
    assert_eq!(by(range), newest_first(&reports[1..3]));

    // The API refuses a type it does not list, with its own error.
    let e = client
        .call_json(
            Operation::ListReports,
            None,
            json!({"type": "verification_flow"}),
            &RequestOptions::default(),
        )
        .unwrap_err();
    assert_eq!((e.http_status(), e.param()), (Some(400), Some("type")));
}

#[test]
fn cursors_move_both_ways_and_auto_paging_walks_every_report() {
    let (client, reports, _) = with_reports();
    let vr = client.verification_reports();
    let page = vr.list(&ListVerificationReports { limit: Some(2), ..Default::default() }).unwrap();
    assert_eq!((ids(&page.data), page.has_more), (newest_first(&reports[2..]), true));
    let next = vr
        .list(&ListVerificationReports {
            limit: Some(2),
            starting_after: Some(reports[2].clone()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((ids(&next.data), next.has_more), (newest_first(&reports[..2]), false));
    let back = vr
        .list(&ListVerificationReports {
            limit: Some(2),
            ending_before: Some(reports[0].clone()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((ids(&back.data), back.has_more), (newest_first(&reports[1..3]), true));

    let walked: Vec<String> = vr
        .list_auto(&ListVerificationReports { limit: Some(1), ..Default::default() })
        .map(|r| r.unwrap().id)
        .collect();
    assert_eq!(walked, newest_first(&reports));
    // Backwards from the oldest: the newer ones, oldest first, as the SDKs give them.
    let walked: Vec<String> = vr
        .list_auto(&ListVerificationReports {
            limit: Some(1),
            ending_before: Some(reports[0].clone()),
            ..Default::default()
        })
        .map(|r| r.unwrap().id)
        .collect();
    assert_eq!(walked, reports[1..]);

    let e = vr
        .list(&ListVerificationReports { starting_after: Some("vr_missing".into()), ..Default::default() })
        .unwrap_err();
    assert_eq!((e.http_status(), e.param()), (Some(404), Some("starting_after")));

    // The JSON pager of bindings walks the same list.
    let pages = client
        .list_pages_json_of(Operation::ListReports, json!({"limit": 3}), RequestOptions::default())
        .unwrap();
    let walked: Vec<Value> =
        pages.flat_map(|p| p.unwrap()["data"].as_array().unwrap().clone()).map(|r| r["id"].clone()).collect();
    assert_eq!(walked, newest_first(&reports).into_iter().map(Value::from).collect::<Vec<_>>());
}

#[test]
fn the_specs_expandable_fields_are_accepted_and_sensitive_keys_show_only_when_named() {
    let (client, reports, _) = with_reports();
    let vr = client.verification_reports();
    let expand = |paths: &[&str]| RetrieveVerificationReport {
        expand: paths.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    };
    // Every sub-object the spec lists as expandable is accepted.
    let plain = vr.retrieve(&reports[2], &Default::default()).unwrap();
    let all = ["document", "selfie", "id_number", "email", "phone", "options"];
    let expanded = vr.retrieve(&reports[2], &expand(&all)).unwrap();
    assert_eq!(serde_json::to_value(&plain).unwrap(), serde_json::to_value(&expanded).unwrap());
    assert!(plain.document.as_ref().unwrap().dob.is_none());
    let with_dob = vr.retrieve(&reports[2], &expand(&["document.dob"])).unwrap();
    assert!(with_dob.document.unwrap().dob.flatten().is_some());
    let e = vr.retrieve(&reports[2], &expand(&["verification_session"])).unwrap_err();
    assert_eq!((e.http_status(), e.param()), (Some(400), Some("expand")));

    // In a list, with `data.`.
    let list = vr
        .list(&ListVerificationReports { expand: vec!["data.document.dob".into()], ..Default::default() })
        .unwrap();
    let verified = list.data.iter().find(|r| r.id == reports[2]).unwrap();
    assert!(verified.document.as_ref().unwrap().dob.clone().flatten().is_some());
    let e = vr
        .list(&ListVerificationReports { expand: vec!["document.dob".into()], ..Default::default() })
        .unwrap_err();
    assert_eq!(e.param(), Some("expand"));
}

#[test]
fn list_pages_json_takes_null_as_no_parameters() {
    let (client, reports, _) = with_reports();
    for op in [Operation::List, Operation::ListReports] {
        let pages = client.list_pages_json_of(op, Value::Null, RequestOptions::default()).unwrap();
        let n: usize = pages.map(|p| p.unwrap()["data"].as_array().unwrap().len()).sum();
        assert_eq!(n, if op == Operation::List { 2 } else { reports.len() });
    }
    let pages = client.list_pages_json(Value::Null, RequestOptions::default()).unwrap();
    assert_eq!(pages.count(), 1);
    let e = client.list_pages_json(json!([1]), RequestOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidType);
    let e = client.list_pages_json_of(Operation::Create, Value::Null, RequestOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}
