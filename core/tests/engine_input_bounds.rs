//! The simulator against hostile input it must refuse or quote safely: idempotency keys outside
//! the rule (1 to 255 printable ASCII characters), and huge values that an error message would
//! otherwise echo whole.

use serde_json::Value;
use stripe_identity::backend::{Method, Request, Response};
use stripe_identity::engine::errors::ECHO_MAX_CHARS;
use stripe_identity::engine::Simulator;

const SESSIONS: &str = "/v1/identity/verification_sessions";

fn post(sim: &Simulator, path: &str, params: &str, key: Option<&str>) -> Response {
    let mut req = Request::new(Method::Post, path, params);
    if let Some(key) = key {
        req.headers.push(("Idempotency-Key".into(), key.into()));
    }
    sim.handle(&req)
}

fn get(sim: &Simulator, path: &str, params: &str) -> Response {
    sim.handle(&Request::new(Method::Get, path, params))
}

fn error(response: &Response) -> Value {
    let body: Value = serde_json::from_slice(&response.body).expect("a JSON body");
    body["error"].clone()
}

/// The answer is a 400 `invalid_request_error` naming `Idempotency-Key`, which says what the
/// rule is, and the key is not echoed back as a header.
#[track_caller]
fn assert_key_refused(response: &Response) {
    assert_eq!(response.status, 400, "{}", String::from_utf8_lossy(&response.body));
    let e = error(response);
    assert_eq!(e["type"], "invalid_request_error");
    assert_eq!(e["param"], "Idempotency-Key");
    assert!(response.header("Idempotency-Key").is_none());
}

#[test]
fn a_key_outside_printable_ascii_is_refused_and_acts_on_nothing() {
    let sim = Simulator::new();
    // What identity-mock hands over for raw UTF-8 (decoded) and for bytes that are not UTF-8
    // (decoded lossily), and control characters a header may carry.
    for key in ["clé-42", "注文-42", "order\u{fffd}42", "tab\tkey", "del\u{7f}"] {
        let response = post(&sim, SESSIONS, "type=document", Some(key));
        assert_key_refused(&response);
        let message = error(&response)["message"].as_str().unwrap().to_string();
        assert!(message.contains("printable ASCII"), "{message}");
        assert_eq!(sim.session_count(), 0, "{key:?} created a session");
    }
    // Controls and updates are refused the same way.
    let s = post(&sim, SESSIONS, "type=document", None);
    let id = serde_json::from_slice::<Value>(&s.body).unwrap()["id"].as_str().unwrap().to_string();
    let submit = format!("/v1/test_helpers/identity/verification_sessions/{id}/submit");
    assert_key_refused(&post(&sim, &submit, "", Some("é")));
    let retrieved = get(&sim, &format!("{SESSIONS}/{id}"), "");
    assert_eq!(serde_json::from_slice::<Value>(&retrieved.body).unwrap()["status"], "requires_input");
    // The refusal is not stored: the same call with a good key acts.
    assert_eq!(post(&sim, &submit, "", Some("submit-1")).status, 200);
}

#[test]
fn a_key_of_255_printable_ascii_characters_works_and_replays() {
    let sim = Simulator::new();
    let printable: String = (0x20u8..=0x7e).map(char::from).collect();
    let key: String = printable.chars().cycle().take(255).collect();
    let first = post(&sim, SESSIONS, "type=document", Some(&key));
    assert_eq!(first.status, 200);
    assert_eq!(first.header("Idempotency-Key"), Some(key.as_str()));
    let again = post(&sim, SESSIONS, "type=document", Some(&key));
    assert_eq!(again.header("Idempotent-Replayed"), Some("true"));
    assert_eq!(again.body, first.body);
    assert_eq!(sim.session_count(), 1);

    let too_long = format!("{key}x");
    let response = post(&sim, SESSIONS, "type=document", Some(&too_long));
    assert_key_refused(&response);
    assert!(error(&response)["message"].as_str().unwrap().contains("at most 255"));
    assert_eq!(sim.session_count(), 1);
    // A key with an invalid character refused whatever its length.
    assert_key_refused(&post(&sim, SESSIONS, "type=document", Some(&"é".repeat(300))));
}

#[test]
fn an_empty_key_counts_as_none() {
    let sim = Simulator::new();
    let response = post(&sim, SESSIONS, "type=document", Some(""));
    assert_eq!(response.status, 200);
    assert_eq!(sim.session_count(), 1);
}

/// Every string in the error object is at most the echo bound plus its fixed wording.
#[track_caller]
fn assert_small(response: &Response, huge: usize) {
    assert!(response.status >= 400, "{}", response.status);
    assert!(response.body.len() < 2_000, "{} bytes for a {huge}-byte value", response.body.len());
    let e = error(response);
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("..."), "{message}");
    if let Some(param) = e["param"].as_str() {
        assert!(param.chars().count() <= ECHO_MAX_CHARS + 3, "{param}");
    }
}

#[test]
fn errors_quote_at_most_a_bounded_part_of_a_huge_value() {
    let sim = Simulator::new();
    let huge = "x".repeat(600_000);
    // Two of them would pass the decoder's 1 MiB bound.
    let half = &huge[..400_000];
    // An id in `No such ...`, on every route that takes one.
    assert_small(&get(&sim, &format!("{SESSIONS}/vs_{huge}"), ""), huge.len());
    assert_small(&post(&sim, &format!("{SESSIONS}/vs_{huge}/cancel"), "", None), huge.len());
    assert_small(&get(&sim, &format!("/v1/identity/verification_reports/vr_{huge}"), ""), huge.len());
    // An unknown URL.
    assert_small(&get(&sim, &format!("/v1/{huge}"), ""), huge.len());
    // Parameter names and values.
    assert_small(&post(&sim, SESSIONS, &format!("type=document&{huge}=1"), None), huge.len());
    assert_small(&post(&sim, SESSIONS, &format!("type=document&a{half}=1&b{half}=2"), None), half.len());
    assert_small(&post(&sim, SESSIONS, &format!("type=document&metadata[{huge}]=1"), None), huge.len());
    assert_small(&get(&sim, SESSIONS, &format!("created[gte]={huge}")), huge.len());
    // (Longer expand paths are refused by length, without a quote.)
    assert_small(&get(&sim, SESSIONS, &format!("expand[]={}", &huge[..4_000])), 4_000);
    // Malformed names, refused by the form decoder.
    assert_small(&post(&sim, SESSIONS, &format!("{huge}[a"), None), huge.len());
    assert_small(&post(&sim, SESSIONS, &format!("{half}=1&{half}[b]=2"), None), half.len());
    assert_eq!(sim.session_count(), 0);
}

#[test]
fn the_mismatch_message_quotes_a_bounded_key() {
    let sim = Simulator::new();
    let key = "k".repeat(255);
    assert_eq!(post(&sim, SESSIONS, "type=document", Some(&key)).status, 200);
    let response = post(&sim, SESSIONS, "type=id_number", Some(&key));
    assert_eq!(response.status, 400);
    let e = error(&response);
    assert_eq!(e["type"], "idempotency_error");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains(&format!("'{}...'", "k".repeat(ECHO_MAX_CHARS))), "{message}");
    assert!(!message.contains(&key), "{message}");
}

#[test]
fn short_values_are_quoted_whole() {
    let sim = Simulator::new();
    let response = get(&sim, &format!("{SESSIONS}/vs_missing"), "");
    assert_eq!(error(&response)["message"], "No such verification_session: 'vs_missing'");
    let exact = "y".repeat(ECHO_MAX_CHARS);
    let response = post(&sim, SESSIONS, &format!("type=document&{exact}=1"), None);
    assert_eq!(error(&response)["message"], format!("Received unknown parameter: {exact}"));
    assert_eq!(error(&response)["param"], exact.as_str());
}
