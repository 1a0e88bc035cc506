//! Defects an audit against Stripe's OpenAPI spec found, each held here: what the simulator
//! writes into reports, what `expand[]` accepts, and what the model and parameters keep.

use serde_json::{json, Value};
use stripe_identity::api::enums::{
    DOCUMENT_ERROR_CODES, EMAIL_ERROR_CODES, ID_NUMBER_ERROR_CODES, PHONE_ERROR_CODES, SELFIE_ERROR_CODES,
};
use stripe_identity::client::Operation;
use stripe_identity::model::{CheckStatus, ContactReport, LastErrorCode, VerificationReport};
use stripe_identity::params::{from_json, CreateVerificationSession, RelatedPersonParams};
use stripe_identity::{Client, RequestOptions};

fn call(c: &Client, op: Operation, id: Option<&str>, params: Value) -> Value {
    c.call_json(op, id, params, &RequestOptions::default()).unwrap()
}

/// Fails a fresh session created with `params` with `code`; returns its report as JSON.
fn failed_report(c: &Client, params: Value, code: &str) -> Value {
    let s = call(c, Operation::Create, None, params);
    let id = s["id"].as_str().unwrap();
    call(c, Operation::Submit, Some(id), Value::Null);
    let s = call(c, Operation::Fail, Some(id), json!({ "code": code }));
    assert_eq!(s["last_error"]["code"], code);
    let report = s["last_verification_report"].as_str().expect("a check failed, so a report was written");
    call(c, Operation::RetrieveReport, Some(report), Value::Null)
}

#[test]
fn report_error_codes_stay_inside_the_specs_enum_of_their_check() {
    let c = Client::local();
    let everything = json!({
        "type": "document",
        "options": {"document": {"require_matching_selfie": true, "require_id_number": true}},
        "provided_details": {"email": "jenny@example.com", "phone": "+15555550100"},
    });
    let checks = [
        ("document", DOCUMENT_ERROR_CODES),
        ("selfie", SELFIE_ERROR_CODES),
        ("id_number", ID_NUMBER_ERROR_CODES),
        ("email", EMAIL_ERROR_CODES),
        ("phone", PHONE_ERROR_CODES),
    ];
    let mut unverified_codes = 0;
    for code in LastErrorCode::KNOWN {
        if ["abandoned", "consent_declined", "device_not_supported"].contains(code) {
            continue; // no check ran: no report
        }
        let r = failed_report(&c, everything.clone(), code);
        for (check, allowed) in checks {
            let error = &r[check]["error"];
            if r[check]["status"] == "unverified" {
                unverified_codes += 1;
                let shown = error["code"].as_str().unwrap();
                assert!(
                    allowed.contains(&shown),
                    "{code}: {check}.error.code {shown} is not in the spec's enum"
                );
            } else {
                assert!(error.is_null(), "{code}: a verified {check} carries an error");
            }
        }
    }
    assert_eq!(unverified_codes, LastErrorCode::KNOWN.len() - 3, "each failure fails exactly one check");
    // The two codes without a check of their own show on the document.
    for code in ["country_not_supported", "under_supported_age"] {
        let r = failed_report(&c, json!({"type": "document"}), code);
        assert_eq!(r["document"]["status"], "unverified");
        assert_eq!(r["document"]["error"]["code"], "document_unverified_other");
        assert!(r["document"]["error"]["reason"].as_str().is_some_and(|s| !s.is_empty()));
    }
}

#[test]
fn a_failed_check_the_session_did_not_ask_for_shows_in_the_report() {
    let c = Client::local();
    let plain = json!({"type": "document"});
    for (code, check, value_key) in [
        ("selfie_face_mismatch", "selfie", None),
        ("email_unverified_other", "email", Some("email")),
        ("phone_verification_declined", "phone", Some("phone")),
        ("id_number_mismatch", "id_number", None),
    ] {
        let r = failed_report(&c, plain.clone(), code);
        assert_eq!(r[check]["status"], "unverified", "{code}: {r}");
        assert_eq!(r[check]["error"]["code"], code);
        if let Some(key) = value_key {
            // The check's own key is there, null: nothing was provided to check.
            assert_eq!(r[check].get(key), Some(&Value::Null), "{code}: {r}");
        }
        // The other checks passed, and the report no longer says everything did.
        assert_eq!(r["document"]["status"], "verified");
    }
    let r = failed_report(&c, json!({"type": "id_number"}), "document_expired");
    assert_eq!(
        (&r["document"]["status"], &r["id_number"]["status"]),
        (&json!("unverified"), &json!("verified"))
    );
}

#[test]
fn related_person_is_expandable_on_a_session() {
    let c = Client::local();
    let s = call(
        &c,
        Operation::Create,
        None,
        json!({"type": "document", "related_person": {"account": "acct_1", "person": "person_1"}}),
    );
    let id = s["id"].as_str().unwrap();
    let e = call(
        &c,
        Operation::Retrieve,
        Some(id),
        json!({"expand": ["related_person", "options", "last_error"]}),
    );
    assert_eq!(e["related_person"], json!({"account": "acct_1", "person": "person_1"}));
    let page = call(&c, Operation::List, None, json!({"expand": ["data.related_person"]}));
    assert_eq!(page["data"][0]["related_person"]["person"], "person_1");
    let err = c
        .call_json(Operation::Retrieve, Some(id), json!({"expand": ["url"]}), &RequestOptions::default())
        .unwrap_err();
    assert_eq!((err.http_status(), err.param()), (Some(400), Some("expand")));
}

#[test]
fn a_contact_reports_null_value_survives_a_round_trip() {
    let email = json!({"email": null, "error": null, "status": "verified"});
    let r: ContactReport = serde_json::from_value(email.clone()).unwrap();
    assert_eq!(
        (r.email.clone(), r.phone.clone(), r.status.clone()),
        (Some(None), None, CheckStatus::Verified)
    );
    assert_eq!(serde_json::to_value(&r).unwrap(), email);
    let phone = json!({"error": null, "phone": "+15555550100", "status": "unverified"});
    let r: ContactReport = serde_json::from_value(phone.clone()).unwrap();
    assert_eq!(serde_json::to_value(&r).unwrap(), phone);

    // And through a whole report the simulator wrote.
    let c = Client::local();
    let report = failed_report(&c, json!({"type": "document"}), "email_unverified_other");
    let typed: VerificationReport = serde_json::from_value(report.clone()).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), report);
}

#[test]
fn related_person_params_keep_unknown_keys_like_every_other_params_type() {
    let p: RelatedPersonParams =
        from_json(json!({"account": "acct_1", "person": "person_1", "relationship": "owner"})).unwrap();
    assert_eq!(p.extra["relationship"], "owner");
    let create: CreateVerificationSession =
        from_json(json!({"related_person": {"account": "acct_1", "person": "person_1", "colour": "blue"}}))
            .unwrap();
    // Sent as given, for the API (here the simulator) to judge.
    let e = Client::local()
        .verification_sessions()
        .create(&CreateVerificationSession { r#type: Some("document".into()), ..create })
        .unwrap_err();
    assert_eq!(e.param(), Some("related_person[colour]"));
}
