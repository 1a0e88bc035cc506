//! The hosted verification page over HTTP: the `url` identity-mock gives a session opens it,
//! its choices move the session as the test helpers do and go back to `return_url`, spent,
//! expired and unknown tokens get their statuses, and nothing is echoed unescaped.

mod common;

use common::{agent, ok, start, SESSIONS};
use identity_mock::{Config, Server};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use stripe_identity::engine::{ManualClock, Simulator};

/// A page answer: status, `Location`, `Content-Type`, body text.
struct Page {
    status: u16,
    location: Option<String>,
    content_type: String,
    text: String,
}

/// A browser-like agent that does not follow redirects, so the `303` itself is seen.
fn browser() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .new_agent()
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> Page {
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    let (location, content_type) = (header("location"), header("content-type").unwrap_or_default());
    Page {
        status: response.status().as_u16(),
        location,
        content_type,
        text: response.body_mut().read_to_string().unwrap(),
    }
}

fn open(url: &str) -> Page {
    read(browser().get(url).call().unwrap())
}

fn choose(url: &str, form: &str) -> Page {
    read(browser().post(url).content_type("application/x-www-form-urlencoded").send(form.as_bytes()).unwrap())
}

/// Creates a session and returns it as JSON.
fn create(server: &Server, params: &str) -> Value {
    let answer = ok(&agent(), server, "POST", SESSIONS, params);
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

fn retrieve(server: &Server, id: &str) -> Value {
    ok(&agent(), server, "GET", &format!("{SESSIONS}/{id}"), "").body
}

fn event_types(server: &Server) -> Vec<String> {
    let page = ok(&agent(), server, "GET", "/v1/events", "limit=100").body;
    let mut types: Vec<String> =
        page["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_string()).collect();
    types.reverse();
    types
}

const BACK: &str = "return_url=http%3A%2F%2F127.0.0.1%3A9%2Fdone%3Forder%3D42";

#[test]
fn the_url_opens_the_page_on_the_mock_and_reloading_spends_nothing() {
    let server = start(Config::default());
    let s = create(&server, &format!("type=document&options[document][require_matching_selfie]=true&{BACK}"));
    let url = s["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/start/test_", server.url())), "{url}");
    for _ in 0..2 {
        let page = open(url);
        assert_eq!(page.status, 200);
        assert_eq!(page.content_type, "text/html; charset=utf-8");
        for shown in
            ["Verify your identity", "document", "<dt>Selfie</dt><dd>required</dd>", "selfie_face_mismatch"]
        {
            assert!(page.text.contains(shown), "{shown} missing");
        }
        assert!(page.text.contains("<label for=\"code\">") && page.text.contains("<form method=\"post\">"));
        assert!(!page.text.contains("<script") && !page.text.contains("http-equiv"), "no script, no refresh");
        assert!(!page.text.contains("id_number_mismatch"), "a check the session does not ask for");
    }
    let head = read(browser().head(url).call().unwrap());
    assert_eq!((head.status, head.text.as_str()), (200, ""));
    assert_eq!(retrieve(&server, s["id"].as_str().unwrap())["status"], "requires_input");
}

#[test]
fn verify_goes_back_to_return_url_and_spends_the_token() {
    let server = start(Config::default());
    let s = create(&server, &format!("type=document&{BACK}"));
    let (id, url) = (s["id"].as_str().unwrap(), s["url"].as_str().unwrap());
    let page = choose(url, "outcome=verify");
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("http://127.0.0.1:9/done?order=42"));
    let after = retrieve(&server, id);
    assert_eq!(after["status"], "verified");
    assert!(after["url"].is_null() && after["client_secret"].is_null());
    assert_eq!(
        event_types(&server),
        [
            "identity.verification_session.created",
            "identity.verification_session.processing",
            "identity.verification_session.verified"
        ]
    );
    for page in [open(url), choose(url, "outcome=verify"), choose(url, "outcome=abandon")] {
        assert_eq!(page.status, 410);
        assert!(page.text.contains("already been used"), "{}", page.text);
    }
    assert_eq!(event_types(&server).len(), 3);
}

#[test]
fn a_failure_code_leaves_requires_input_with_last_error_and_a_new_url() {
    let server = start(Config::default());
    let s = create(&server, &format!("type=id_number&{BACK}"));
    let (id, url) = (s["id"].as_str().unwrap(), s["url"].as_str().unwrap());
    let page = choose(url, "outcome=fail&code=id_number_mismatch");
    assert_eq!(page.status, 303);
    let after = retrieve(&server, id);
    assert_eq!(after["status"], "requires_input");
    assert_eq!(after["last_error"]["code"], "id_number_mismatch");
    let next = after["url"].as_str().unwrap();
    assert_ne!(next, url);
    assert_eq!(open(url).status, 410);
    let again = open(next);
    assert_eq!(again.status, 200);
    assert!(again.text.contains("The last attempt failed: <code>id_number_mismatch</code>"));
    // A code that does not fit this session, or none, changes nothing.
    assert_eq!(choose(next, "outcome=fail&code=selfie_face_mismatch").status, 400);
    assert_eq!(choose(next, "outcome=fail").status, 400);
    assert_eq!(choose(next, "outcome=fail&code=%3Cb%3E").status, 400);
    assert_eq!(choose(next, "outcome=dance").status, 400);
    assert_eq!(choose(next, "").status, 400);
    assert_eq!(choose(next, "outcome=%FF").status, 400);
    assert_eq!(retrieve(&server, id)["url"], next);
}

#[test]
fn abandoning_changes_nothing_and_goes_back() {
    let server = start(Config::default());
    let s = create(&server, &format!("type=document&{BACK}"));
    let url = s["url"].as_str().unwrap();
    let page = choose(url, "outcome=abandon");
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("http://127.0.0.1:9/done?order=42"));
    assert_eq!(retrieve(&server, s["id"].as_str().unwrap())["status"], "requires_input");
    assert_eq!(open(url).status, 200);
    assert_eq!(event_types(&server).len(), 1);
}

#[test]
fn without_a_followable_return_url_the_outcome_is_shown() {
    let server = start(Config::default());
    let s = create(&server, "type=document");
    let page = choose(s["url"].as_str().unwrap(), "outcome=verify");
    assert_eq!((page.status, page.location), (200, None));
    assert!(page.text.contains("<dd id=\"status\">verified</dd>"));
    let s = create(&server, "type=document&return_url=javascript%3Aalert(1)%22%3E%3Cscript%3E");
    let page = choose(s["url"].as_str().unwrap(), "outcome=verify");
    assert_eq!((page.status, page.location), (200, None), "only http and https are followed");
    assert!(page.text.contains("<code>javascript:alert(1)\"&gt;&lt;script&gt;</code>"), "{}", page.text);
    assert!(!page.text.contains("<script>"));
}

#[test]
fn nothing_from_the_request_is_echoed_unescaped() {
    let server = start(Config::default());
    let evil = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27%26";
    let s = create(
        &server,
        &format!("type=document&client_reference_id={evil}&return_url=http%3A%2F%2Fa.test%2F{evil}"),
    );
    let page = open(s["url"].as_str().unwrap());
    assert_eq!(page.status, 200);
    assert!(!page.text.contains("<script>"), "{}", page.text);
    assert!(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for path in ["/start/%3Cscript%3E", "/start/", "/start/a/b", "/start/test_%00"] {
        let page = open(&format!("{}{path}", server.url()));
        assert_eq!(page.status, 404, "{path}");
        assert!(!page.text.contains("<script>"));
        assert!(page.text.contains("does not exist"));
    }
    let put = read(browser().put(s["url"].as_str().unwrap()).send("").unwrap());
    assert_eq!(put.status, 405);
}

#[test]
fn tokens_expire_after_48_hours_on_the_simulators_clock() {
    let clock = ManualClock::new(1_800_000_000).unwrap();
    let simulator = Arc::new(Simulator::with_clock(Arc::new(clock.clone())));
    let server =
        Server::start_with(Config { host: "127.0.0.1".into(), port: 0, ..Config::default() }, simulator)
            .unwrap();
    let s = create(&server, "type=document");
    let url = s["url"].as_str().unwrap();
    clock.advance(48 * 3600 - 1).unwrap();
    assert_eq!(open(url).status, 200);
    clock.advance(1).unwrap();
    let page = open(url);
    assert_eq!(page.status, 410);
    assert!(page.text.contains("expired"));
    assert_eq!(choose(url, "outcome=verify").status, 410);
    assert_eq!(retrieve(&server, s["id"].as_str().unwrap())["status"], "requires_input");
}

#[test]
fn url_is_null_once_canceled_and_the_page_is_gone() {
    let server = start(Config::default());
    let s = create(&server, "type=document");
    let id = s["id"].as_str().unwrap();
    ok(&agent(), &server, "POST", &format!("{SESSIONS}/{id}/cancel"), "");
    assert!(retrieve(&server, id)["url"].is_null());
    assert_eq!(open(s["url"].as_str().unwrap()).status, 410);
    // Submitted through the test helpers: processing, url null, the page gone too.
    let s = create(&server, "type=document");
    let id = s["id"].as_str().unwrap();
    ok(
        &agent(),
        &server,
        "POST",
        &format!("/v1/test_helpers/identity/verification_sessions/{id}/submit"),
        "",
    );
    assert!(retrieve(&server, id)["url"].is_null());
    assert_eq!(open(s["url"].as_str().unwrap()).status, 410);
}

#[test]
fn public_url_sets_where_urls_point() {
    let server =
        start(Config { public_url: Some("http://mock.internal:12111/".into()), ..Config::default() });
    let s = create(&server, "type=document");
    assert!(s["url"].as_str().unwrap().starts_with("http://mock.internal:12111/start/test_"));
    // The page is still served here, whatever name the app used.
    let token = s["url"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    assert_eq!(open(&format!("{}/start/{token}", server.url())).status, 200);
    for bad in ["mock:12111", "ftp://mock", "http://", "http://a.test/?x=1"] {
        let refused = Server::start(Config { port: 0, public_url: Some(bad.into()), ..Config::default() });
        assert!(refused.is_err(), "{bad}");
    }
}

#[test]
fn the_stripe_js_stand_in_leads_from_client_secret_to_the_page() {
    let server = start(Config::default());
    let script = open(&format!("{}/stripe.js", server.url()));
    assert_eq!((script.status, script.content_type.as_str()), (200, "text/javascript; charset=utf-8"));
    assert!(script.text.contains("verifyIdentity") && script.text.contains("/verify-identity/"));
    let s = create(&server, &format!("type=document&{BACK}"));
    let via = format!("{}/verify-identity/{}", server.url(), s["client_secret"].as_str().unwrap());
    for _ in 0..2 {
        let page = open(&via);
        assert_eq!(page.status, 303);
        assert_eq!(page.location.as_deref(), s["url"].as_str());
    }
    assert_eq!(choose(s["url"].as_str().unwrap(), "outcome=verify").status, 303);
    assert_eq!(open(&via).status, 410, "the choice spent the secret too");
    assert_eq!(open(&format!("{}/verify-identity/vs_nope_secret_x", server.url())).status, 404);
    assert_eq!(choose(&via, "outcome=verify").status, 405);
    assert_eq!(choose(&format!("{}/stripe.js", server.url()), "").status, 405);
}
