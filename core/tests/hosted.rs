//! The hosted page's rules in the engine: which token opens which session, when it is spent or
//! expired, and what each choice does (engine/hosted.rs).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use stripe_identity::backend::{Method, Request};
use stripe_identity::engine::hosted::{token_of, Choice, ChoiceError, Refusal, DEFAULT_BASE, URL_LIFETIME};
use stripe_identity::engine::{ManualClock, Simulator};
use stripe_identity::model::LastErrorCode;

const T0: i64 = 1_800_000_000;

fn sim() -> (Simulator, ManualClock) {
    let clock = ManualClock::new(T0).unwrap();
    (Simulator::with_clock(Arc::new(clock.clone())), clock)
}

fn call(sim: &Simulator, method: Method, path: &str, params: &str) -> serde_json::Value {
    let answer = sim.handle(&Request::new(method, path, params));
    let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(answer.status, 200, "{path}: {body}");
    body
}

fn create(sim: &Simulator, params: &str) -> (String, String) {
    let s = call(sim, Method::Post, "/v1/identity/verification_sessions", params);
    let url = s["url"].as_str().unwrap().to_string();
    (s["id"].as_str().unwrap().to_string(), token_of(&url).unwrap().to_string())
}

fn event_types(sim: &Simulator) -> Vec<String> {
    sim.events().into_iter().map(|e| e.r#type).collect()
}

#[test]
fn local_sessions_keep_stripes_url_and_a_base_can_be_set() {
    let (sim, _) = sim();
    let s = call(&sim, Method::Post, "/v1/identity/verification_sessions", "type=document");
    assert!(s["url"].as_str().unwrap().starts_with(&format!("{DEFAULT_BASE}/start/test_")));
    sim.set_hosted_base("http://127.0.0.1:4000/");
    assert_eq!(sim.hosted_base(), "http://127.0.0.1:4000");
    let s = call(&sim, Method::Post, "/v1/identity/verification_sessions", "type=document");
    let url = s["url"].as_str().unwrap();
    let id = s["id"].as_str().unwrap();
    assert!(url.starts_with(&format!("http://127.0.0.1:4000/start/test_{}_", &id[3..])), "{url}");
    assert_eq!(token_of(url).unwrap().len(), "test_".len() + 24 + 1 + 24);
}

#[test]
fn opening_spends_nothing_and_verify_spends_the_token() {
    let (sim, _) = sim();
    let (id, token) = create(&sim, "type=document&return_url=http%3A%2F%2Fapp.test%2Fdone%3Fo%3D1");
    for _ in 0..2 {
        let page = sim.hosted_session(&token).unwrap();
        assert_eq!(page.session.id, id);
        assert_eq!(page.return_url.as_deref(), Some("http://app.test/done?o=1"));
        assert_eq!(page.expires_at, T0 + URL_LIFETIME);
    }
    let after = sim.hosted_choose(&token, &Choice::Verify).unwrap();
    assert_eq!(after.session.status.as_str(), "verified");
    assert_eq!(after.session.url, None);
    assert_eq!(after.return_url.as_deref(), Some("http://app.test/done?o=1"));
    assert_eq!(
        event_types(&sim),
        [
            "identity.verification_session.created",
            "identity.verification_session.processing",
            "identity.verification_session.verified"
        ]
    );
    let s = call(&sim, Method::Get, &format!("/v1/identity/verification_sessions/{id}"), "");
    assert_eq!(s["status"], "verified");
    assert!(s["url"].is_null() && s["client_secret"].is_null());
    assert!(s.get("return_url").is_none(), "the API does not echo return_url");
    assert_eq!(sim.hosted_session(&token).unwrap_err(), Refusal::Spent);
    assert_eq!(sim.hosted_choose(&token, &Choice::Verify).unwrap_err(), ChoiceError::Refused(Refusal::Spent));
    assert_eq!(event_types(&sim).len(), 3, "a spent token acts no more");
}

#[test]
fn a_failure_leaves_requires_input_with_a_fresh_url() {
    let (sim, clock) = sim();
    let (id, token) = create(&sim, "type=document");
    clock.advance(60).unwrap();
    let code = LastErrorCode::DocumentExpired;
    let after = sim.hosted_choose(&token, &Choice::Fail(code)).unwrap();
    assert_eq!(after.session.status.as_str(), "requires_input");
    let err = after.session.last_error.clone().unwrap();
    assert_eq!(err.code, Some(LastErrorCode::DocumentExpired));
    let next = token_of(after.session.url.as_deref().unwrap()).unwrap().to_string();
    assert_ne!(next, token);
    assert_eq!(sim.hosted_session(&token).unwrap_err(), Refusal::Spent);
    let again = sim.hosted_session(&next).unwrap();
    assert_eq!(again.session.id, id);
    assert_eq!(again.expires_at, T0 + 60 + URL_LIFETIME, "a new url lasts 48 hours from its issue");
    assert_eq!(
        event_types(&sim)[1..],
        ["identity.verification_session.processing", "identity.verification_session.requires_input"]
    );
}

#[test]
fn tokens_expire_after_48_hours_by_the_simulators_clock() {
    let (sim, clock) = sim();
    let (_, token) = create(&sim, "type=id_number");
    clock.set(T0 + URL_LIFETIME - 1).unwrap();
    assert!(sim.hosted_session(&token).is_ok());
    clock.set(T0 + URL_LIFETIME).unwrap();
    assert_eq!(sim.hosted_session(&token).unwrap_err(), Refusal::Expired);
    assert_eq!(
        sim.hosted_choose(&token, &Choice::Verify).unwrap_err(),
        ChoiceError::Refused(Refusal::Expired)
    );
    assert_eq!(event_types(&sim).len(), 1);
    assert_eq!(
        (Refusal::Expired.status(), Refusal::Spent.status(), Refusal::Unknown.status()),
        (410, 410, 404)
    );
}

#[test]
fn canceled_and_redacted_sessions_spend_their_token_and_unknown_ones_are_404() {
    let (sim, _) = sim();
    let (id, token) = create(&sim, "type=document");
    call(&sim, Method::Post, &format!("/v1/identity/verification_sessions/{id}/cancel"), "");
    assert_eq!(sim.hosted_session(&token).unwrap_err(), Refusal::Spent);
    let (id, token) = create(&sim, "type=document");
    call(&sim, Method::Post, &format!("/v1/identity/verification_sessions/{id}/redact"), "");
    assert_eq!(sim.hosted_session(&token).unwrap_err(), Refusal::Spent);
    let other = format!("test_{}_x", &"vs_doesNotExist000000000000"[3..]);
    for unknown in
        ["test_nope", "", "../../etc/passwd", "<script>", "test__x", "test_a_", "test_a/b_c", &other]
    {
        assert_eq!(sim.hosted_session(unknown).unwrap_err(), Refusal::Unknown);
    }
}

#[test]
fn offered_codes_fit_the_sessions_checks() {
    let (sim, _) = sim();
    let (_, plain) = create(&sim, "type=document");
    let codes: Vec<String> =
        sim.hosted_session(&plain).unwrap().failure_codes().iter().map(|c| c.as_str().to_string()).collect();
    assert!(codes.contains(&"document_expired".into()));
    assert!(!codes
        .iter()
        .any(|c| c.starts_with("selfie_") || c.starts_with("id_number_") || c == "abandoned"));
    let (_, full) = create(
        &sim,
        "type=document&options[document][require_matching_selfie]=true&options[document][require_id_number]=true\
         &provided_details[email]=a%40b.test",
    );
    let codes = sim.hosted_session(&full).unwrap().failure_codes();
    for code in [
        LastErrorCode::SelfieFaceMismatch,
        LastErrorCode::IdNumberMismatch,
        LastErrorCode::EmailUnverifiedOther,
    ] {
        assert!(codes.contains(&code), "{code:?}");
    }
    assert!(!codes.contains(&LastErrorCode::PhoneUnverifiedOther));
    let (_, id_number) = create(&sim, "type=id_number");
    let codes = sim.hosted_session(&id_number).unwrap().failure_codes();
    assert!(
        codes.contains(&LastErrorCode::IdNumberMismatch) && !codes.contains(&LastErrorCode::DocumentExpired)
    );
    // A code the page does not offer for this session is refused, and nothing happens.
    let refused = sim.hosted_choose(&plain, &Choice::Fail(LastErrorCode::SelfieFaceMismatch)).unwrap_err();
    assert_eq!(refused, ChoiceError::Code("selfie_face_mismatch".into()));
    assert_eq!(
        sim.hosted_choose(&plain, &Choice::Fail(LastErrorCode::Unknown("x".into()))).unwrap_err(),
        ChoiceError::Code("x".into())
    );
    assert!(sim.hosted_session(&plain).is_ok());
}

#[test]
fn choices_reach_event_listeners_as_the_test_helpers_do() {
    let (sim, _) = sim();
    let heard = Arc::new(AtomicUsize::new(0));
    let h = heard.clone();
    sim.subscribe(Arc::new(move |_| {
        h.fetch_add(1, Ordering::SeqCst);
    }));
    let (_, token) = create(&sim, "type=document");
    sim.hosted_choose(&token, &Choice::Verify).unwrap();
    assert_eq!(heard.load(Ordering::SeqCst), 3);
}

#[test]
fn a_client_secret_leads_to_the_page_for_24_hours() {
    use stripe_identity::engine::hosted::SECRET_LIFETIME;

    let (sim, clock) = sim();
    let s = call(&sim, Method::Post, "/v1/identity/verification_sessions", "type=document");
    let secret = s["client_secret"].as_str().unwrap();
    assert_eq!(sim.hosted_url_for_secret(secret).unwrap(), s["url"].as_str().unwrap());
    for unknown in ["", "nope", "vs_nope_secret_x"] {
        assert_eq!(sim.hosted_url_for_secret(unknown).unwrap_err(), Refusal::Unknown);
    }
    let forged = format!("{}_secret_forged", s["id"].as_str().unwrap());
    assert_eq!(sim.hosted_url_for_secret(&forged).unwrap_err(), Refusal::Spent);
    clock.set(T0 + SECRET_LIFETIME).unwrap();
    assert_eq!(sim.hosted_url_for_secret(secret).unwrap_err(), Refusal::Expired);
    // The url itself lasts 48 hours; the choice spends both.
    let token = token_of(s["url"].as_str().unwrap()).unwrap();
    sim.hosted_choose(token, &Choice::Verify).unwrap();
    assert_eq!(sim.hosted_url_for_secret(secret).unwrap_err(), Refusal::Spent);
}
