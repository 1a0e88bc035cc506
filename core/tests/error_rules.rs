//! One test per error rule of the API, through the typed Rust API wherever it can express the
//! request (and `Client::send` for what only a raw request can say). Each asserts the HTTP
//! status, `error.type`, `error.code`, `error.param` and the [`ErrorKind`] exactly.
//!
//! The answers follow `STRIPE_API_FACTS.md` section 5; where it marks a code UNCONFIRMED, the
//! simulator's documented choice (`core/src/engine/errors.rs`) is what is expected.

use serde_json::json;
use std::sync::Arc;
use stripe_identity::backend::Method;
use stripe_identity::engine::{ManualClock, Simulator};
use stripe_identity::model::{
    DocumentType, LastErrorCode, RequestedVerificationType, VerificationSession, VerificationStatus,
};
use stripe_identity::params::{
    from_json, CreateVerificationSession, DocumentOptionsParams, Emptyable, ExpandParams,
    ListVerificationSessions, Metadata, OptionsParams, RangeQuery, UpdateVerificationSession,
};
use stripe_identity::{Client, Error, ErrorKind, RequestOptions};

const SESSIONS: &str = "/v1/identity/verification_sessions";
const UNEXPECTED_STATE: &str = "verification_session_unexpected_state";

fn client() -> Client {
    let clock = ManualClock::new(1_700_000_000).expect("a valid start");
    Client::local_with(Arc::new(Simulator::with_clock(Arc::new(clock))))
}

fn document() -> CreateVerificationSession {
    CreateVerificationSession { r#type: Some(RequestedVerificationType::Document), ..Default::default() }
}

fn create(c: &Client) -> VerificationSession {
    c.verification_sessions().create(&document()).expect("create")
}

/// A session moved to `status` through the controls.
fn session_in(c: &Client, status: &str) -> VerificationSession {
    let s = create(c);
    let h = c.test_helpers();
    match status {
        "requires_input" => s,
        "processing" => h.submit(&s.id).unwrap(),
        "verified" => {
            h.submit(&s.id).unwrap();
            h.verify(&s.id).unwrap()
        }
        "canceled" => c.verification_sessions().cancel(&s.id, &Default::default()).unwrap(),
        other => panic!("no way to reach {other}"),
    }
}

fn extra(pairs: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    pairs.as_object().cloned().expect("an object")
}

/// Asserts every field of an API error.
#[track_caller]
fn assert_api(
    err: &Error,
    status: u16,
    kind: ErrorKind,
    error_type: &str,
    code: Option<&str>,
    param: Option<&str>,
) {
    let got = (err.http_status(), err.kind(), err.error_type(), err.code(), err.param());
    assert_eq!(got, (Some(status), kind, Some(error_type), code, param), "the whole error: {err:?}");
}

/// A 400 `invalid_request_error`.
#[track_caller]
fn assert_bad_request(err: &Error, code: Option<&str>, param: Option<&str>) {
    assert_api(err, 400, ErrorKind::InvalidRequest, "invalid_request_error", code, param);
}

/// The 400 every refused transition answers.
#[track_caller]
fn assert_unexpected_state(err: &Error, status_word: &str) {
    assert_bad_request(err, Some(UNEXPECTED_STATE), None);
    assert!(err.message().contains(status_word), "{:?} should mention {status_word}", err.message());
}

/// The 404 for an id that names no session.
#[track_caller]
fn assert_missing(err: &Error, id: &str, param: &str) {
    assert_api(
        err,
        404,
        ErrorKind::InvalidRequest,
        "invalid_request_error",
        Some("resource_missing"),
        Some(param),
    );
    assert_eq!(err.message(), format!("No such verification_session: '{id}'"));
}

/// A refusal of a wrong type before any request was sent.
#[track_caller]
fn assert_invalid_type(err: &Error, param: Option<&str>) {
    assert_eq!(err.kind(), ErrorKind::InvalidType, "{err:?}");
    assert!(matches!(err, Error::InvalidType { .. }), "{err:?}");
    assert_eq!((err.http_status(), err.error_type(), err.code()), (None, None, None));
    assert_eq!(err.param(), param, "{err:?}");
}

/// A refusal of a bad value before any request was sent.
#[track_caller]
fn assert_invalid_argument(err: &Error, param: Option<&str>) {
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err:?}");
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
    assert_eq!((err.http_status(), err.error_type(), err.code()), (None, None, None));
    assert_eq!(err.param(), param, "{err:?}");
}

fn raw(c: &Client, method: Method, path: &str, body: &str) -> Result<serde_json::Value, Error> {
    let r = c.send(method, path, body.to_string(), &RequestOptions::default())?;
    Ok(serde_json::from_slice(&r.body).expect("JSON"))
}

// ---- parameter names -------------------------------------------------------------------------

#[test]
fn unknown_parameter() {
    let c = client();
    let p = CreateVerificationSession { extra: extra(json!({"colour": "blue"})), ..document() };
    let err = c.verification_sessions().create(&p).unwrap_err();
    assert_bad_request(&err, Some("parameter_unknown"), Some("colour"));
    assert_eq!(err.message(), "Received unknown parameter: colour");
    assert_eq!(err.doc_url(), Some("https://stripe.com/docs/error-codes/parameter-unknown"));
    assert_eq!(c.simulator().unwrap().session_count(), 0);

    // Every operation checks its names.
    let s = create(&c);
    let vs = c.verification_sessions();
    let bad = ExpandParams { extra: extra(json!({"colour": "blue"})), ..Default::default() };
    for err in [
        vs.retrieve(&s.id, &bad).unwrap_err(),
        vs.cancel(&s.id, &bad).unwrap_err(),
        vs.redact(&s.id, &bad).unwrap_err(),
        vs.update(&s.id, &UpdateVerificationSession { extra: bad.extra.clone(), ..Default::default() })
            .unwrap_err(),
        vs.list(&ListVerificationSessions { extra: bad.extra.clone(), ..Default::default() }).unwrap_err(),
    ] {
        assert_bad_request(&err, Some("parameter_unknown"), Some("colour"));
    }
    // Update takes none of create's other parameters.
    for name in [
        "client_reference_id",
        "related_customer",
        "related_customer_account",
        "return_url",
        "verification_flow",
    ] {
        let unknown = [(name.to_string(), json!("x"))].into_iter().collect();
        let p = UpdateVerificationSession { extra: unknown, ..Default::default() };
        let err = vs.update(&s.id, &p).unwrap_err();
        assert_bad_request(&err, Some("parameter_unknown"), Some(name));
    }
}

#[test]
fn several_unknown_parameters() {
    let c = client();
    let p = CreateVerificationSession { extra: extra(json!({"colour": "blue", "size": "xl"})), ..document() };
    let err = c.verification_sessions().create(&p).unwrap_err();
    assert_bad_request(&err, Some("parameter_unknown"), Some("colour"));
    assert_eq!(err.message(), "Received unknown parameters: colour, size");
}

#[test]
fn nested_unknown_parameter() {
    let c = client();
    let options = OptionsParams {
        document: Some(Emptyable::Set(DocumentOptionsParams {
            extra: extra(json!({"require_x": true})),
            ..Default::default()
        })),
        ..Default::default()
    };
    let p = CreateVerificationSession { options: Some(options), ..document() };
    let err = c.verification_sessions().create(&p).unwrap_err();
    assert_bad_request(&err, Some("parameter_unknown"), Some("options[document][require_x]"));
    assert_eq!(err.message(), "Received unknown parameter: options[document][require_x]");

    let options = OptionsParams { extra: extra(json!({"selfie": {"required": true}})), ..Default::default() };
    let err = c
        .verification_sessions()
        .create(&CreateVerificationSession { options: Some(options), ..document() })
        .unwrap_err();
    assert_bad_request(&err, Some("parameter_unknown"), Some("options[selfie]"));
}

#[test]
fn unknown_range_key_of_created() {
    let c = client();
    let err = raw(&c, Method::Get, SESSIONS, "created[after]=5").unwrap_err();
    assert_bad_request(&err, Some("parameter_unknown"), Some("created[after]"));
    // The typed range has no such key: refused before sending.
    let err = from_json::<ListVerificationSessions>(json!({"created": {"after": 5}})).unwrap_err();
    assert_invalid_argument(&err, Some("created"));
}

// ---- required and empty values ---------------------------------------------------------------

#[test]
fn missing_type() {
    let c = client();
    let err = c.verification_sessions().create(&Default::default()).unwrap_err();
    assert_bad_request(&err, Some("parameter_missing"), Some("type"));
    assert_eq!(err.message(), "Missing required param: type.");
    assert_eq!(c.simulator().unwrap().session_count(), 0);
}

#[test]
fn empty_type() {
    let c = client();
    let p = CreateVerificationSession {
        r#type: Some(RequestedVerificationType::parse("")),
        ..Default::default()
    };
    let err = c.verification_sessions().create(&p).unwrap_err();
    assert_bad_request(&err, Some("parameter_invalid_empty"), Some("type"));
}

#[test]
fn empty_string_parameter() {
    let c = client();
    let p = CreateVerificationSession { client_reference_id: Some(String::new()), ..document() };
    let err = c.verification_sessions().create(&p).unwrap_err();
    assert_bad_request(&err, Some("parameter_invalid_empty"), Some("client_reference_id"));
}

#[test]
fn string_too_long() {
    let c = client();
    let p = CreateVerificationSession { client_reference_id: Some("r".repeat(5001)), ..document() };
    let err = c.verification_sessions().create(&p).unwrap_err();
    assert_bad_request(&err, Some("string_length_exceeds_maximum"), Some("client_reference_id"));
    let p = CreateVerificationSession { client_reference_id: Some("r".repeat(5000)), ..document() };
    c.verification_sessions().create(&p).unwrap();
}

#[test]
fn related_person_without_person() {
    let c = client();
    let err = raw(&c, Method::Post, SESSIONS, "type=document&related_person[account]=acct_1").unwrap_err();
    assert_bad_request(&err, Some("parameter_missing"), Some("related_person[person]"));
}

// ---- enums, booleans, integers ---------------------------------------------------------------

#[test]
fn bad_type_enum() {
    let c = client();
    for value in ["passport", "verification_flow", "Document"] {
        let p = CreateVerificationSession {
            r#type: Some(RequestedVerificationType::parse(value)),
            ..Default::default()
        };
        let err = c.verification_sessions().create(&p).unwrap_err();
        assert_bad_request(&err, None, Some("type"));
        assert_eq!(err.message(), "Invalid type: must be one of document or id_number");
    }
    let s = create(&c);
    let p = UpdateVerificationSession {
        r#type: Some(RequestedVerificationType::parse("selfie")),
        ..Default::default()
    };
    let err = c.verification_sessions().update(&s.id, &p).unwrap_err();
    assert_bad_request(&err, None, Some("type"));
}

#[test]
fn type_and_verification_flow_together() {
    let c = client();
    let p = CreateVerificationSession { verification_flow: Some("vf_1".into()), ..document() };
    let err = c.verification_sessions().create(&p).unwrap_err();
    assert_bad_request(&err, Some("parameters_exclusive"), Some("verification_flow"));
}

#[test]
fn bad_status_enum() {
    let c = client();
    let p =
        ListVerificationSessions { status: Some(VerificationStatus::parse("done")), ..Default::default() };
    let err = c.verification_sessions().list(&p).unwrap_err();
    assert_bad_request(&err, None, Some("status"));
}

#[test]
fn bad_allowed_types_enum() {
    let c = client();
    let options = OptionsParams {
        document: Some(Emptyable::Set(DocumentOptionsParams {
            allowed_types: Some(vec![DocumentType::Passport, DocumentType::parse("library_card")]),
            ..Default::default()
        })),
        ..Default::default()
    };
    let err = c
        .verification_sessions()
        .create(&CreateVerificationSession { options: Some(options), ..document() })
        .unwrap_err();
    assert_bad_request(&err, None, Some("options[document][allowed_types][1]"));
}

#[test]
fn bad_fail_code() {
    let c = client();
    let s = session_in(&c, "processing");
    let err = c.test_helpers().fail(&s.id, LastErrorCode::parse("document_lost"), None).unwrap_err();
    assert_bad_request(&err, None, Some("code"));
    let err =
        raw(&c, Method::Post, &format!("/v1/test_helpers/identity/verification_sessions/{}/fail", s.id), "")
            .unwrap_err();
    assert_bad_request(&err, Some("parameter_missing"), Some("code"));
}

#[test]
fn bad_boolean() {
    let c = client();
    let err = raw(&c, Method::Post, SESSIONS, "type=document&options[document][require_id_number]=yes")
        .unwrap_err();
    assert_bad_request(&err, None, Some("options[document][require_id_number]"));
    assert_eq!(err.message(), "Invalid boolean: yes");
    // From JSON, a string where a boolean belongs never reaches the API.
    let err = from_json::<CreateVerificationSession>(
        json!({"type": "document", "options": {"document": {"require_id_number": "yes"}}}),
    )
    .unwrap_err();
    assert_invalid_type(&err, Some("options[document][require_id_number]"));
}

#[test]
fn limit_zero() {
    let c = client();
    let p = ListVerificationSessions { limit: Some(0), ..Default::default() };
    let err = c.verification_sessions().list(&p).unwrap_err();
    assert_bad_request(&err, Some("parameter_invalid_integer"), Some("limit"));
}

#[test]
fn limit_101() {
    let c = client();
    let p = ListVerificationSessions { limit: Some(101), ..Default::default() };
    let err = c.verification_sessions().list(&p).unwrap_err();
    assert_bad_request(&err, Some("parameter_invalid_integer"), Some("limit"));
    for ok in [1, 100] {
        c.verification_sessions()
            .list(&ListVerificationSessions { limit: Some(ok), ..Default::default() })
            .unwrap();
    }
}

#[test]
fn limit_not_an_integer() {
    let c = client();
    for body in ["limit=abc", "limit=2.5", "limit="] {
        let err = raw(&c, Method::Get, SESSIONS, body).unwrap_err();
        let code = if body == "limit=" { "parameter_invalid_empty" } else { "parameter_invalid_integer" };
        assert_bad_request(&err, Some(code), Some("limit"));
    }
    let err = from_json::<ListVerificationSessions>(json!({"limit": "abc"})).unwrap_err();
    assert_invalid_type(&err, Some("limit"));
}

#[test]
fn created_not_an_integer() {
    let c = client();
    let err = raw(&c, Method::Get, SESSIONS, "created=yesterday").unwrap_err();
    assert_bad_request(&err, Some("parameter_invalid_integer"), Some("created"));
    let err = raw(&c, Method::Get, SESSIONS, "created[lt]=soon").unwrap_err();
    assert_bad_request(&err, Some("parameter_invalid_integer"), Some("created[lt]"));
    let p =
        ListVerificationSessions { created: Some(RangeQuery::Exact(1_700_000_000)), ..Default::default() };
    c.verification_sessions().list(&p).unwrap();
}

#[test]
fn wrong_shape() {
    let c = client();
    for (body, param) in [
        ("options=x", "options"),
        ("options[document]=x", "options[document]"),
        ("expand=x", "expand"),
        ("metadata=x", "metadata"),
    ] {
        let err = raw(&c, Method::Post, SESSIONS, &format!("type=document&{body}")).unwrap_err();
        assert_bad_request(&err, None, Some(param));
    }
}

#[test]
fn wrong_json_type_is_refused_before_sending() {
    let err =
        from_json::<CreateVerificationSession>(json!({"type": "document", "metadata": 42})).unwrap_err();
    assert_invalid_type(&err, Some("metadata"));
    let err = from_json::<CreateVerificationSession>(json!({"type": 5})).unwrap_err();
    assert_invalid_type(&err, Some("type"));
    let err = from_json::<CreateVerificationSession>(json!([1])).unwrap_err();
    assert_invalid_type(&err, None);
}

#[test]
fn an_unusable_value_is_told_from_a_wrong_type() {
    let err = from_json::<ListVerificationSessions>(json!({"created": {"after": 1}})).unwrap_err();
    assert_invalid_argument(&err, Some("created"));
    let err = client().verification_sessions().retrieve("", &Default::default()).unwrap_err();
    assert_invalid_argument(&err, Some("session"));
}

// ---- cursors ---------------------------------------------------------------------------------

#[test]
fn both_cursors() {
    let c = client();
    let (a, b) = (create(&c), create(&c));
    let p = ListVerificationSessions {
        starting_after: Some(a.id),
        ending_before: Some(b.id),
        ..Default::default()
    };
    let err = c.verification_sessions().list(&p).unwrap_err();
    assert_bad_request(&err, Some("parameters_exclusive"), Some("ending_before"));
}

#[test]
fn unknown_cursor() {
    let c = client();
    create(&c);
    let vs = c.verification_sessions();
    let err = vs
        .list(&ListVerificationSessions { starting_after: Some("vs_nope".into()), ..Default::default() })
        .unwrap_err();
    assert_missing(&err, "vs_nope", "starting_after");
    let err = vs
        .list(&ListVerificationSessions { ending_before: Some("vs_nope".into()), ..Default::default() })
        .unwrap_err();
    assert_missing(&err, "vs_nope", "ending_before");
}

// ---- the state machine -----------------------------------------------------------------------

#[test]
fn update_in_a_wrong_state() {
    let c = client();
    let p = UpdateVerificationSession {
        metadata: Some([("a", "b")].into_iter().collect()),
        ..Default::default()
    };
    for status in ["processing", "verified", "canceled"] {
        let s = session_in(&c, status);
        let err = c.verification_sessions().update(&s.id, &p).unwrap_err();
        assert_unexpected_state(&err, status);
        let now = c.verification_sessions().retrieve(&s.id, &Default::default()).unwrap();
        assert!(now.metadata.is_empty(), "a refused update changed nothing");
    }
}

#[test]
fn cancel_in_a_wrong_state() {
    let c = client();
    for status in ["processing", "verified", "canceled"] {
        let s = session_in(&c, status);
        let err = c.verification_sessions().cancel(&s.id, &Default::default()).unwrap_err();
        assert_unexpected_state(&err, status);
        let now = c.verification_sessions().retrieve(&s.id, &Default::default()).unwrap();
        assert_eq!(now.status.as_str(), status);
    }
}

#[test]
fn redact_in_a_wrong_state() {
    let c = client();
    for status in ["processing", "canceled"] {
        let s = session_in(&c, status);
        let err = c.verification_sessions().redact(&s.id, &Default::default()).unwrap_err();
        assert_unexpected_state(&err, status);
        let now = c.verification_sessions().retrieve(&s.id, &Default::default()).unwrap();
        assert_eq!(now.redaction, None);
    }
}

#[test]
fn submit_in_a_wrong_state() {
    let c = client();
    for status in ["processing", "verified", "canceled"] {
        let s = session_in(&c, status);
        let err = c.test_helpers().submit(&s.id).unwrap_err();
        assert_unexpected_state(&err, status);
    }
}

#[test]
fn verify_in_a_wrong_state() {
    let c = client();
    for status in ["requires_input", "verified", "canceled"] {
        let s = session_in(&c, status);
        let err = c.test_helpers().verify(&s.id).unwrap_err();
        assert_unexpected_state(&err, status);
    }
}

#[test]
fn fail_in_a_wrong_state() {
    let c = client();
    for status in ["requires_input", "verified", "canceled"] {
        let s = session_in(&c, status);
        let err = c.test_helpers().fail(&s.id, LastErrorCode::DocumentExpired, None).unwrap_err();
        assert_unexpected_state(&err, status);
    }
}

#[test]
fn complete_redaction_in_a_wrong_state() {
    let c = client();
    let s = session_in(&c, "verified");
    let err = c.test_helpers().complete_redaction(&s.id).unwrap_err();
    assert_bad_request(&err, Some(UNEXPECTED_STATE), None);
    c.verification_sessions().redact(&s.id, &Default::default()).unwrap();
    c.test_helpers().complete_redaction(&s.id).unwrap();
    let err = c.test_helpers().complete_redaction(&s.id).unwrap_err();
    assert_bad_request(&err, Some(UNEXPECTED_STATE), None);
}

#[test]
fn update_of_a_redacted_session() {
    let c = client();
    let s = session_in(&c, "verified");
    let vs = c.verification_sessions();
    vs.redact(&s.id, &Default::default()).unwrap();
    let p = UpdateVerificationSession {
        metadata: Some([("a", "b")].into_iter().collect()),
        ..Default::default()
    };
    let err = vs.update(&s.id, &p).unwrap_err();
    assert_unexpected_state(&err, "redacted");
    let err = vs.cancel(&s.id, &Default::default()).unwrap_err();
    assert_unexpected_state(&err, "redacted");
    // Also one redacted from requires_input (and so canceled).
    let s = create(&c);
    vs.redact(&s.id, &Default::default()).unwrap();
    let err = vs.update(&s.id, &p).unwrap_err();
    assert_unexpected_state(&err, "redacted");
}

// ---- ids -------------------------------------------------------------------------------------

#[test]
fn unknown_id_for_every_operation() {
    let c = client();
    let vs = c.verification_sessions();
    let h = c.test_helpers();
    for id in ["vs_nope", "vs_a/b", "vs a", "../../v1/customers"] {
        let answers = [
            vs.retrieve(id, &Default::default()).unwrap_err(),
            vs.update(id, &Default::default()).unwrap_err(),
            vs.cancel(id, &Default::default()).unwrap_err(),
            vs.redact(id, &Default::default()).unwrap_err(),
            h.submit(id).unwrap_err(),
            h.verify(id).unwrap_err(),
            h.fail(id, LastErrorCode::Abandoned, None).unwrap_err(),
            h.complete_redaction(id).unwrap_err(),
        ];
        for err in &answers {
            assert_missing(err, id, "session");
        }
    }
}

#[test]
fn empty_id_is_refused_before_sending() {
    let c = client();
    let vs = c.verification_sessions();
    let h = c.test_helpers();
    for id in ["", "  "] {
        let answers = [
            vs.retrieve(id, &Default::default()).unwrap_err(),
            vs.update(id, &Default::default()).unwrap_err(),
            vs.cancel(id, &Default::default()).unwrap_err(),
            vs.redact(id, &Default::default()).unwrap_err(),
            h.submit(id).unwrap_err(),
            h.verify(id).unwrap_err(),
            h.fail(id, LastErrorCode::Abandoned, None).unwrap_err(),
            h.complete_redaction(id).unwrap_err(),
        ];
        for err in &answers {
            assert_invalid_argument(err, Some("session"));
        }
    }
    // Nothing reached the simulator: an empty id would otherwise have listed or created.
    assert_eq!(c.simulator().unwrap().session_count(), 0);
    assert!(c.simulator().unwrap().events().is_empty());
}

// ---- metadata --------------------------------------------------------------------------------

fn keys(n: usize) -> Metadata {
    (1..=n).map(|i| (format!("k{i:02}"), format!("v{i}"))).collect()
}

#[test]
fn metadata_51_keys() {
    let c = client();
    let vs = c.verification_sessions();
    let err = vs.create(&CreateVerificationSession { metadata: Some(keys(51)), ..document() }).unwrap_err();
    assert_bad_request(&err, None, Some("metadata"));
    assert!(
        err.message().starts_with("Metadata can have up to 50 keys, but you've set 51."),
        "{}",
        err.message()
    );

    // Counted after the merge of an update.
    let s = vs.create(&CreateVerificationSession { metadata: Some(keys(50)), ..document() }).unwrap();
    let add = UpdateVerificationSession {
        metadata: Some([("k51", "v")].into_iter().collect()),
        ..Default::default()
    };
    let err = vs.update(&s.id, &add).unwrap_err();
    assert_bad_request(&err, None, Some("metadata"));
    assert_eq!(vs.retrieve(&s.id, &Default::default()).unwrap().metadata.len(), 50);
    let swap = UpdateVerificationSession {
        metadata: Some([("k01", ""), ("k51", "v")].into_iter().collect()),
        ..Default::default()
    };
    assert_eq!(vs.update(&s.id, &swap).unwrap().metadata.len(), 50);
}

#[test]
fn metadata_key_too_long() {
    let c = client();
    let vs = c.verification_sessions();
    let long = "k".repeat(41);
    let p = CreateVerificationSession {
        metadata: Some([(long.as_str(), "v")].into_iter().collect()),
        ..document()
    };
    let err = vs.create(&p).unwrap_err();
    assert_bad_request(&err, None, Some("metadata"));
    assert!(err.message().contains(&long));
    let p = CreateVerificationSession {
        metadata: Some([("k".repeat(40), "v")].into_iter().collect()),
        ..document()
    };
    vs.create(&p).unwrap();
}

#[test]
fn metadata_value_too_long() {
    let c = client();
    let vs = c.verification_sessions();
    let p = CreateVerificationSession {
        metadata: Some([("k", "v".repeat(501))].into_iter().collect()),
        ..document()
    };
    let err = vs.create(&p).unwrap_err();
    assert_bad_request(&err, None, Some("metadata"));
    let s = create(&c);
    let p = UpdateVerificationSession {
        metadata: Some([("k", "v".repeat(501))].into_iter().collect()),
        ..Default::default()
    };
    let err = vs.update(&s.id, &p).unwrap_err();
    assert_bad_request(&err, None, Some("metadata"));
    let p = CreateVerificationSession {
        metadata: Some([("k", "v".repeat(500))].into_iter().collect()),
        ..document()
    };
    vs.create(&p).unwrap();
}

// ---- expand ----------------------------------------------------------------------------------

#[test]
fn bad_expand_path() {
    let c = client();
    let s = create(&c);
    let vs = c.verification_sessions();
    for path in ["colour", "verified_outputs.shoe_size", "data.verified_outputs", "a.b.c.d.e"] {
        let p = ExpandParams { expand: vec![path.into()], ..Default::default() };
        let err = vs.retrieve(&s.id, &p).unwrap_err();
        assert_bad_request(&err, None, Some("expand"));
    }
    // A list's paths start with `data.`.
    let p = ListVerificationSessions { expand: vec!["verified_outputs".into()], ..Default::default() };
    let err = vs.list(&p).unwrap_err();
    assert_bad_request(&err, None, Some("expand"));
}

// ---- idempotency -----------------------------------------------------------------------------

#[test]
fn idempotency_mismatch() {
    let c = client();
    let opts = RequestOptions { idempotency_key: Some("k1".into()), ..Default::default() };
    let vs = c.verification_sessions().with_options(opts);
    let s = vs.create(&document()).unwrap();
    let other =
        CreateVerificationSession { r#type: Some(RequestedVerificationType::IdNumber), ..Default::default() };
    let err = vs.create(&other).unwrap_err();
    assert_api(&err, 400, ErrorKind::Idempotency, "idempotency_error", None, None);
    assert!(err.message().contains("Try using a key other than 'k1'"), "{}", err.message());
    // Another endpoint with the same key is a mismatch too.
    let err = vs.cancel(&s.id, &Default::default()).unwrap_err();
    assert_api(&err, 400, ErrorKind::Idempotency, "idempotency_error", None, None);
    assert_eq!(c.simulator().unwrap().session_count(), 1);
}

#[test]
fn idempotency_key_too_long() {
    let c = client();
    let opts = RequestOptions { idempotency_key: Some("k".repeat(256)), ..Default::default() };
    let err = c.verification_sessions().with_options(opts).create(&document()).unwrap_err();
    assert_bad_request(&err, None, Some("Idempotency-Key"));
    let opts = RequestOptions { idempotency_key: Some("k".repeat(255)), ..Default::default() };
    c.verification_sessions().with_options(opts).create(&document()).unwrap();
}

// ---- the wire --------------------------------------------------------------------------------

#[test]
fn unknown_url() {
    let c = client();
    for (method, path) in [
        (Method::Get, "/v1/customers"),
        (Method::Post, "/v1/identity/verification_session"),
        (Method::Delete, "/v1/identity/verification_sessions/vs_1"),
        (Method::Get, "/v1/identity/verification_sessions/vs_1/cancel"),
        (Method::Post, "/v1/identity/verification_sessions/vs_1/approve"),
        (Method::Post, "/v1/test_helpers/identity/verification_sessions/vs_1/approve"),
    ] {
        let err = raw(&c, method, path, "").unwrap_err();
        assert_api(&err, 404, ErrorKind::InvalidRequest, "invalid_request_error", None, None);
        assert!(
            err.message().starts_with(&format!("Unrecognized request URL ({}: {path}).", method.as_str())),
            "{}",
            err.message()
        );
        // Keys the API leaves out stay out of the body.
        let body = err.json_body().unwrap()["error"].as_object().unwrap().clone();
        assert!(!body.contains_key("code") && !body.contains_key("param"), "{body:?}");
    }
}

#[test]
fn malformed_body() {
    let c = client();
    for (body, param) in [
        ("type=document&metadata=1&metadata[k]=v", Some("metadata")),
        ("type=document&metadata[k]=v&metadata=1", Some("metadata")),
        ("type=document&metadata[k]=v&metadata[]=x", Some("metadata")),
        ("type=document&metadata[k=v", Some("metadata")),
        ("type=document&=v", None),
        ("type=document&[a]=v", None),
        ("type=document&metadata[k]=%FF", None),
    ] {
        let err = raw(&c, Method::Post, SESSIONS, body).unwrap_err();
        assert_bad_request(&err, None, param);
    }
    assert_eq!(c.simulator().unwrap().session_count(), 0);
}

/// `verification_flow` is an answer-only type: the typed parameter has no variant for it, and
/// sent anyway (as an unknown value of the open enum) it is refused as the API refuses it.
#[test]
fn verification_flow_is_not_a_type_parameter() {
    assert!(!RequestedVerificationType::KNOWN.contains(&"verification_flow"));
    let sneaked = RequestedVerificationType::parse("verification_flow");
    assert!(!sneaked.is_known());
    let c = client();
    let err = c
        .verification_sessions()
        .create(&CreateVerificationSession { r#type: Some(sneaked.clone()), ..Default::default() })
        .unwrap_err();
    assert_bad_request(&err, None, Some("type"));
    let s = create(&c);
    let err = c
        .verification_sessions()
        .update(&s.id, &UpdateVerificationSession { r#type: Some(sneaked), ..Default::default() })
        .unwrap_err();
    assert_bad_request(&err, None, Some("type"));
}
