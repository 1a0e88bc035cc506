//! VerificationReports over HTTP: this library's HTTP backend retrieves and lists the reports
//! identity-mock's simulator wrote, with filters, expand and auto-paging.

mod common;

use common::*;
use stripe_identity::model::{LastErrorCode, RequestedVerificationType};
use stripe_identity::params::{
    CreateVerificationSession, ListVerificationReports, RetrieveVerificationReport,
};
use stripe_identity::Client;

#[test]
fn reports_are_retrieved_and_listed_over_http() {
    let server = start_default();
    let client = Client::builder(KEY).base_url(server.url()).build().unwrap();
    let vs = client.verification_sessions();
    let helpers = client.test_helpers();
    let create =
        CreateVerificationSession { r#type: Some(RequestedVerificationType::Document), ..Default::default() };
    let s = vs.create(&create).unwrap();
    helpers.submit(&s.id).unwrap();
    let failed = helpers.fail(&s.id, LastErrorCode::DocumentExpired, None).unwrap();
    helpers.submit(&s.id).unwrap();
    let verified = helpers.verify(&s.id).unwrap();
    let other = vs.create(&create).unwrap();
    helpers.submit(&other.id).unwrap();
    helpers.verify(&other.id).unwrap();

    let vr = client.verification_reports();
    let first = failed.last_verification_report.unwrap().id().to_string();
    let second = verified.last_verification_report.unwrap().id().to_string();
    let report = vr.retrieve(&first, &Default::default()).unwrap();
    assert_eq!(report.verification_session.as_deref(), Some(s.id.as_str()));
    assert_eq!(report.document.unwrap().error.unwrap().code, Some(LastErrorCode::DocumentExpired));
    let expanded = vr
        .retrieve(
            &second,
            &RetrieveVerificationReport { expand: vec!["document.dob".into()], ..Default::default() },
        )
        .unwrap();
    assert!(expanded.document.unwrap().dob.flatten().is_some());

    let of_session =
        ListVerificationReports { verification_session: Some(s.id.clone()), ..Default::default() };
    let page = vr.list(&of_session).unwrap();
    let ids: Vec<&str> = page.data.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, [second.as_str(), first.as_str()]);
    let all: Vec<String> = vr
        .list_auto(&ListVerificationReports { limit: Some(1), ..Default::default() })
        .map(|r| r.unwrap().id)
        .collect();
    assert_eq!(all.len(), 3);
    assert_eq!(&all[1..], [second, first]);

    let e = vr.retrieve("vr_nope", &Default::default()).unwrap_err();
    assert_eq!((e.http_status(), e.param()), (Some(404), Some("report")));
}
