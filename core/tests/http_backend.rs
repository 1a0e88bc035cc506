//! The HTTP backend against a loopback server scripted by each test (tiny_http on
//! 127.0.0.1:0), which records every request it gets. Waits are injected through the builder's
//! sleeper, so no test sleeps for a backoff and none asserts on timing.

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;
use stripe_identity::backend::Method;
use stripe_identity::http::AttemptLog;
use stripe_identity::model::{DocumentType, RequestedVerificationType, VerificationSession};
use stripe_identity::params::{
    to_form, CreateVerificationSession, DocumentOptionsParams, Emptyable, ExpandParams,
    ListVerificationSessions, Metadata, OptionsParams, Range, RangeQuery, UpdateVerificationSession,
};
use stripe_identity::{Client, ClientBuilder, Error, ErrorKind, RequestOptions};

const KEY: &str = "sk_test_51TopSecretValueXYZ7890abcd";
const SECRET_PART: &str = "TopSecretValue";
const MASKED: &str = "sk_test_****abcd";

// ---------------------------------------------------------------------------------------------
// The scripted server.

/// One answer the server gives.
#[derive(Clone)]
enum Reply {
    /// Status, extra headers, body.
    Answer(u16, Vec<(&'static str, String)>, String),
    /// Answer only after this long (a stalled server).
    Stall(Duration),
}

fn answer(status: u16, body: &str) -> Reply {
    Reply::Answer(status, vec![], body.to_string())
}

fn answer_with(status: u16, headers: &[(&'static str, &str)], body: &str) -> Reply {
    Reply::Answer(status, headers.iter().map(|(k, v)| (*k, v.to_string())).collect(), body.to_string())
}

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
    peer: Option<SocketAddr>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn headers_named(&self, name: &str) -> usize {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).count()
    }
}

struct TestServer {
    url: String,
    server: Arc<tiny_http::Server>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    /// A server that gives the scripted replies in order, then `200` with a session.
    fn start(script: Vec<Reply>) -> TestServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind loopback"));
        let port = server.server_addr().to_ip().expect("an IP listener").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let (srv, log) = (server.clone(), seen.clone());
        thread::spawn(move || {
            let mut n = 0;
            while let Ok(mut request) = srv.recv() {
                n += 1;
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                log.lock().unwrap().push(Seen {
                    method: request.method().to_string(),
                    url: request.url().to_string(),
                    headers: request
                        .headers()
                        .iter()
                        .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
                        .collect(),
                    body,
                    peer: request.remote_addr().copied(),
                });
                let reply = script.lock().unwrap().pop_front();
                let (status, headers, body) = match reply {
                    Some(Reply::Answer(status, headers, body)) => (status, headers, body),
                    Some(Reply::Stall(d)) => {
                        thread::sleep(d);
                        (200, vec![], session_json().to_string())
                    }
                    None => (200, vec![], session_json().to_string()),
                };
                let mut response = tiny_http::Response::from_string(body).with_status_code(status);
                response.add_header(header("Content-Type", "application/json"));
                if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("Request-Id")) {
                    response.add_header(header("Request-Id", &format!("req_test{n}")));
                }
                for (k, v) in headers {
                    response.add_header(header(k, &v));
                }
                let _ = request.respond(response);
            }
        });
        TestServer { url: format!("http://127.0.0.1:{port}"), server, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// A builder aimed at this server, recording its waits instead of sleeping.
    fn builder(&self) -> (ClientBuilder, Arc<Mutex<Vec<Duration>>>) {
        let waits = Arc::new(Mutex::new(Vec::new()));
        let w = waits.clone();
        let b = Client::builder(KEY).base_url(&self.url).sleeper(move |d| w.lock().unwrap().push(d));
        (b, waits)
    }

    fn client(&self) -> (Client, Arc<Mutex<Vec<Duration>>>) {
        let (b, waits) = self.builder();
        (b.build().expect("client"), waits)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header")
}

fn recorded(w: &Arc<Mutex<Vec<Duration>>>) -> Vec<Duration> {
    w.lock().unwrap().clone()
}

/// A session with every field, nested objects and optional keys included.
fn session_json() -> Value {
    json!({
        "id": "vs_1NuN3kLkdIwHu7ixk5OvTq3b",
        "object": "identity.verification_session",
        "client_reference_id": "user_42",
        "client_secret": "vs_1NuN3kLkdIwHu7ixk5OvTq3b_secret_abc",
        "created": 1_700_000_000,
        "last_error": {"code": "document_expired", "reason": "The document is expired."},
        "last_verification_report": "vr_1",
        "livemode": false,
        "metadata": {"order": "42"},
        "options": {"document": {"allowed_types": ["passport", "id_card"], "require_id_number": true,
                                 "require_live_capture": false, "require_matching_selfie": true},
                    "email": {"require_verification": true}, "id_number": {},
                    "matching": {"dob": "similar", "name": "none"}, "phone": {"require_verification": false}},
        "provided_details": {"email": "jenny@example.com", "phone": "+15555550100"},
        "redaction": null,
        "related_customer": "cus_1",
        "related_customer_account": null,
        "related_person": {"account": "acct_1", "person": "person_1"},
        "status": "requires_input",
        "type": "document",
        "url": "https://verify.stripe.com/start/test_abc",
        "verification_flow": "vf_1",
        "verified_outputs": {
            "address": {"city": "SF", "country": "US", "line1": "1 Main", "line2": null,
                        "postal_code": "94111", "state": "CA"},
            "dob": {"day": 1, "month": 2, "year": 1990},
            "email": null, "first_name": "Jenny", "id_number": "1234", "id_number_type": "us_ssn",
            "last_name": "Rosen", "phone": null, "sex": "female",
            "unparsed_place_of_birth": null, "unparsed_sex": null
        },
        "a_future_field": {"kept": [1, 2, 3]}
    })
}

fn list_json() -> Value {
    json!({"object": "list", "url": "/v1/identity/verification_sessions", "has_more": false,
           "data": [session_json()]})
}

fn create_params() -> CreateVerificationSession {
    CreateVerificationSession {
        r#type: Some(RequestedVerificationType::Document),
        client_reference_id: Some("user 42&co".into()),
        metadata: Some([("order", "42"), ("note", "a b")].into_iter().collect()),
        options: Some(OptionsParams {
            document: Some(Emptyable::Set(DocumentOptionsParams {
                allowed_types: Some(vec![DocumentType::Passport, DocumentType::IdCard]),
                require_matching_selfie: Some(true),
                ..Default::default()
            })),
            ..Default::default()
        }),
        expand: vec!["verified_outputs".into()],
        ..Default::default()
    }
}

fn create(client: &Client) -> Result<VerificationSession, Error> {
    client.verification_sessions().create(&create_params())
}

// ---------------------------------------------------------------------------------------------
// Headers and encoding.

#[test]
fn a_post_carries_auth_version_agent_content_type_and_a_generated_idempotency_key() {
    let server = TestServer::start(vec![]);
    let (client, _) = server.client();
    create(&client).unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "/v1/identity/verification_sessions");
    assert_eq!(r.header("Authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(r.header("Stripe-Version"), Some(stripe_identity::API_VERSION));
    assert_eq!(r.header("Stripe-Account"), None);
    assert_eq!(r.header("Content-Type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        r.header("User-Agent"),
        Some(format!("Stripe/v1 stripe-identity/{} rust", stripe_identity::VERSION).as_str())
    );
    let client_ua: Value = serde_json::from_str(r.header("X-Stripe-Client-User-Agent").unwrap()).unwrap();
    assert_eq!(client_ua["lang"], "rust");
    assert_eq!(client_ua["bindings_version"], stripe_identity::VERSION);
    let key = r.header("Idempotency-Key").expect("a generated idempotency key");
    let uuid = key.strip_prefix("stripe-identity-retry-").expect("the library's prefix");
    let uuid = uuid::Uuid::parse_str(uuid).expect("a UUID");
    assert_eq!(uuid.get_version_num(), 4);
    for name in ["Authorization", "Idempotency-Key", "Stripe-Version", "User-Agent", "Content-Type"] {
        assert_eq!(r.headers_named(name), 1, "{name} sent once");
    }
    // The body is exactly the form encoding of the parameters.
    assert_eq!(r.body, to_form(&create_params()).unwrap());
    assert_eq!(
        r.body,
        "client_reference_id=user+42%26co&expand[0]=verified_outputs&metadata[note]=a+b&metadata[order]=42\
         &options[document][allowed_types][0]=passport&options[document][allowed_types][1]=id_card\
         &options[document][require_matching_selfie]=true&type=document"
    );
}

#[test]
fn every_post_gets_a_fresh_generated_key_and_gets_have_none() {
    let server = TestServer::start(vec![]);
    let (client, _) = server.client();
    create(&client).unwrap();
    create(&client).unwrap();
    let vs = client.verification_sessions();
    vs.retrieve("vs_1", &ExpandParams::default()).unwrap();
    let seen = server.seen();
    let (a, b) = (seen[0].header("Idempotency-Key").unwrap(), seen[1].header("Idempotency-Key").unwrap());
    assert_ne!(a, b, "two calls, two keys");
    assert_eq!(seen[2].method, "GET");
    assert_eq!(seen[2].header("Idempotency-Key"), None);
    assert_eq!(seen[2].header("Content-Type"), None);
    assert_eq!(seen[2].body, "");
}

#[test]
fn the_callers_idempotency_key_wins() {
    let server = TestServer::start(vec![]);
    let (client, _) = server.client();
    let opts = RequestOptions { idempotency_key: Some("order-42-verify".into()), ..Default::default() };
    client.verification_sessions().with_options(opts).create(&create_params()).unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].header("Idempotency-Key"), Some("order-42-verify"));
    assert_eq!(seen[0].headers_named("Idempotency-Key"), 1);
}

#[test]
fn version_and_account_per_client_and_per_request() {
    let server = TestServer::start(vec![]);
    let (b, _) = server.builder();
    let client = b.stripe_version("2024-06-20").stripe_account("acct_client").build().unwrap();
    let vs = client.verification_sessions();
    vs.retrieve("vs_1", &ExpandParams::default()).unwrap();
    let opts = RequestOptions {
        stripe_version: Some("2025-01-27.acacia".into()),
        stripe_account: Some("acct_request".into()),
        ..Default::default()
    };
    vs.with_options(opts).retrieve("vs_1", &ExpandParams::default()).unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].header("Stripe-Version"), Some("2024-06-20"));
    assert_eq!(seen[0].header("Stripe-Account"), Some("acct_client"));
    assert_eq!(seen[1].header("Stripe-Version"), Some("2025-01-27.acacia"));
    assert_eq!(seen[1].header("Stripe-Account"), Some("acct_request"));
}

#[test]
fn the_user_agent_names_the_front_end() {
    let server = TestServer::start(vec![]);
    let (b, _) = server.builder();
    let client = b.front_end("python", "3.11.7").build().unwrap();
    client.verification_sessions().retrieve("vs_1", &ExpandParams::default()).unwrap();
    let r = &server.seen()[0];
    assert_eq!(
        r.header("User-Agent"),
        Some(format!("Stripe/v1 stripe-identity/{} python/3.11.7", stripe_identity::VERSION).as_str())
    );
    let client_ua: Value = serde_json::from_str(r.header("X-Stripe-Client-User-Agent").unwrap()).unwrap();
    assert_eq!(client_ua["lang"], "python");
    assert_eq!(client_ua["lang_version"], "3.11.7");
}

#[test]
fn get_parameters_travel_in_the_query_string() {
    let server = TestServer::start(vec![answer(200, &list_json().to_string())]);
    let (client, _) = server.client();
    let params = ListVerificationSessions {
        limit: Some(3),
        created: Some(RangeQuery::Range(Range {
            gte: Some(1_700_000_000),
            lt: Some(1_800_000_000),
            ..Default::default()
        })),
        client_reference_id: Some("a b/c".into()),
        expand: vec!["data.verified_outputs".into()],
        ..Default::default()
    };
    let page = client.verification_sessions().list(&params).unwrap();
    assert_eq!(page.data.len(), 1);
    let r = &server.seen()[0];
    assert_eq!(r.method, "GET");
    assert_eq!(
        r.url,
        "/v1/identity/verification_sessions?client_reference_id=a+b%2Fc&created[gte]=1700000000\
         &created[lt]=1800000000&expand[0]=data.verified_outputs&limit=3"
    );
}

#[test]
fn update_encodes_unsets_and_ids_are_escaped_in_the_path() {
    let server = TestServer::start(vec![]);
    let (client, _) = server.client();
    let vs = client.verification_sessions();
    let params = UpdateVerificationSession {
        metadata: Some([("gone", ""), ("kept", "1")].into_iter().collect::<Metadata>()),
        options: Some(OptionsParams { document: Some(Emptyable::Unset), ..Default::default() }),
        ..Default::default()
    };
    vs.update("vs_ab/c d?", &params).unwrap();
    vs.cancel("vs_1", &ExpandParams::default()).unwrap();
    vs.redact("vs_1", &ExpandParams::default()).unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].url, "/v1/identity/verification_sessions/vs_ab%2Fc%20d%3F");
    assert_eq!(seen[0].body, "metadata[gone]=&metadata[kept]=1&options[document]=");
    assert_eq!(seen[1].url, "/v1/identity/verification_sessions/vs_1/cancel");
    assert_eq!(seen[1].body, "");
    assert_eq!(seen[1].header("Content-Type"), Some("application/x-www-form-urlencoded"));
    assert!(seen[1].header("Idempotency-Key").is_some(), "a POST without parameters still gets a key");
    assert_eq!(seen[2].url, "/v1/identity/verification_sessions/vs_1/redact");
}

#[test]
fn an_empty_id_is_refused_before_sending() {
    let server = TestServer::start(vec![]);
    let (client, _) = server.client();
    let e = client.verification_sessions().retrieve("", &ExpandParams::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(server.seen().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Retries.

fn error_body(kind: &str) -> String {
    json!({"error": {"type": kind, "message": "boom"}}).to_string()
}

#[test]
fn server_errors_and_conflicts_are_retried_up_to_the_maximum_with_one_key() {
    for status in [500, 503, 409] {
        let server = TestServer::start(vec![answer(status, &error_body("api_error")); 5]);
        let (client, waits) = server.client();
        let e = create(&client).unwrap_err();
        assert_eq!(e.http_status(), Some(status));
        assert_eq!(e.request_id(), Some("req_test3"), "the last answer's request id");
        let seen = server.seen();
        assert_eq!(seen.len(), 3, "{status}: 1 attempt + 2 retries");
        let keys: Vec<_> = seen.iter().map(|r| r.header("Idempotency-Key").unwrap().to_string()).collect();
        assert!(keys.iter().all(|k| k == &keys[0]), "{status}: one key on every retry: {keys:?}");
        assert_eq!(recorded(&waits).len(), 2);
    }
}

#[test]
fn a_retry_that_succeeds_returns_the_answer_and_the_callers_key_is_reused() {
    let server = TestServer::start(vec![answer(500, &error_body("api_error")), answer(503, "")]);
    let (client, _) = server.client();
    let opts = RequestOptions { idempotency_key: Some("mine".into()), ..Default::default() };
    let s = client.verification_sessions().with_options(opts).create(&create_params()).unwrap();
    assert_eq!(s.id, "vs_1NuN3kLkdIwHu7ixk5OvTq3b");
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|r| r.header("Idempotency-Key") == Some("mine")));
    assert!(seen.iter().all(|r| r.body == seen[0].body));
}

#[test]
fn client_errors_are_not_retried() {
    for status in [400, 401, 402, 403, 404] {
        let server = TestServer::start(vec![answer(status, &error_body("invalid_request_error")); 3]);
        let (client, waits) = server.client();
        let e = create(&client).unwrap_err();
        assert_eq!(e.http_status(), Some(status));
        assert_eq!(server.seen().len(), 1, "{status}");
        assert!(recorded(&waits).is_empty());
    }
}

#[test]
fn rate_limits_are_retried_only_when_the_server_says_so() {
    let server = TestServer::start(vec![answer(429, &error_body("invalid_request_error")); 3]);
    let (client, _) = server.client();
    let e = create(&client).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimit);
    assert_eq!(server.seen().len(), 1);

    let yes = answer_with(429, &[("Stripe-Should-Retry", "true")], &error_body("invalid_request_error"));
    let server = TestServer::start(vec![yes; 3]);
    let (client, waits) = server.client();
    assert_eq!(create(&client).unwrap_err().kind(), ErrorKind::RateLimit);
    assert_eq!(server.seen().len(), 3);
    assert_eq!(recorded(&waits).len(), 2);
}

#[test]
fn stripe_should_retry_false_stops_a_server_error() {
    let no = answer_with(500, &[("Stripe-Should-Retry", "false")], &error_body("api_error"));
    let server = TestServer::start(vec![no; 3]);
    let (client, waits) = server.client();
    assert_eq!(create(&client).unwrap_err().http_status(), Some(500));
    assert_eq!(server.seen().len(), 1);
    assert!(recorded(&waits).is_empty());
}

#[test]
fn zero_retries_means_one_attempt() {
    let server = TestServer::start(vec![answer(503, &error_body("api_error")); 3]);
    let (b, waits) = server.builder();
    let client = b.max_network_retries(0).build().unwrap();
    assert_eq!(create(&client).unwrap_err().http_status(), Some(503));
    assert_eq!(server.seen().len(), 1);
    assert!(recorded(&waits).is_empty());
}

#[test]
fn backoff_doubles_from_half_a_second_with_jitter() {
    let server = TestServer::start(vec![answer(500, &error_body("api_error")); 6]);
    let (b, waits) = server.builder();
    let client = b.max_network_retries(5).build().unwrap();
    create(&client).unwrap_err();
    let w = recorded(&waits);
    assert_eq!(w.len(), 5);
    // min(0.5 s × 2^(n-1), 5 s) × 0.5 × (1 + U[0,1)), never under 0.5 s.
    let ranges = [(500, 500), (500, 1000), (1000, 2000), (2000, 4000), (2500, 5000)];
    for (i, (d, (lo, hi))) in w.iter().zip(ranges).enumerate() {
        let ms = d.as_secs_f64() * 1000.0;
        assert!(ms >= lo as f64 && ms <= hi as f64, "retry {}: {ms} ms not in [{lo}, {hi}]", i + 1);
    }
}

#[test]
fn retry_after_is_honoured_and_capped() {
    let server = TestServer::start(vec![
        answer_with(503, &[("Retry-After", "3")], &error_body("api_error")),
        answer_with(503, &[("Retry-After", "3600")], &error_body("api_error")),
        answer_with(503, &[("Retry-After", "0")], &error_body("api_error")),
    ]);
    let (b, waits) = server.builder();
    let client = b.max_network_retries(3).build().unwrap();
    create(&client).unwrap();
    let w = recorded(&waits);
    assert_eq!(w[0], Duration::from_secs(3), "Retry-After longer than the backoff wins");
    assert_eq!(w[1], Duration::from_secs(60), "capped at 60 s by default");
    assert!(
        w[2] >= Duration::from_millis(1000) && w[2] <= Duration::from_millis(2000),
        "backoff when shorter"
    );

    let server =
        TestServer::start(vec![answer_with(500, &[("Retry-After", "30")], &error_body("api_error"))]);
    let (b, waits) = server.builder();
    let client = b.max_retry_after(Duration::from_secs(10)).build().unwrap();
    create(&client).unwrap();
    assert_eq!(recorded(&waits), vec![Duration::from_secs(10)]);

    // Retry-After does not make a 400 retryable.
    let server = TestServer::start(vec![answer_with(
        400,
        &[("Retry-After", "1")],
        &error_body("invalid_request_error"),
    )]);
    let (client, waits) = server.client();
    create(&client).unwrap_err();
    assert!(recorded(&waits).is_empty());
}

/// A raw server that drops the first `drops` connections after reading the request (no
/// answer: the client sees the connection closed), then answers properly. Counts connections.
fn dropping_server(drops: usize) -> (String, Arc<Mutex<usize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(Mutex::new(0));
    let c = count.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let n = {
                let mut c = c.lock().unwrap();
                *c += 1;
                *c
            };
            let mut buf = [0u8; 8192];
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = stream.read(&mut buf);
            if n <= drops {
                drop(stream);
                continue;
            }
            let body = session_json().to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nRequest-Id: req_raw{n}\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, count)
}

#[test]
fn a_closed_connection_is_retried() {
    let (url, count) = dropping_server(2);
    let waits = Arc::new(Mutex::new(Vec::new()));
    let w = waits.clone();
    let client =
        Client::builder(KEY).base_url(url).sleeper(move |d| w.lock().unwrap().push(d)).build().unwrap();
    let s = create(&client).unwrap();
    assert_eq!(s.object, "identity.verification_session");
    assert_eq!(*count.lock().unwrap(), 3);
    assert_eq!(waits.lock().unwrap().len(), 2);
}

#[test]
fn a_connection_error_says_how_many_attempts_were_made() {
    let (url, count) = dropping_server(usize::MAX);
    let client = Client::builder(KEY).base_url(&url).sleeper(|_| {}).build().unwrap();
    let e = create(&client).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ApiConnection);
    assert!(matches!(e, Error::Connection { .. }));
    assert!(e.message().contains("3 attempts"), "{e}");
    assert!(e.message().contains("/v1/identity/verification_sessions"), "{e}");
    assert_eq!(*count.lock().unwrap(), 3);

    // Nothing listening at all: refused, retried, reported.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_network_retries(1)
        .sleeper(|_| {})
        .build()
        .unwrap();
    let e = create(&client).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ApiConnection);
    assert!(e.message().contains("2 attempts"), "{e}");
    assert!(!format!("{e} {e:?}").contains(SECRET_PART));
}

#[test]
fn a_stalled_server_times_out_as_a_connection_error() {
    let server = TestServer::start(vec![Reply::Stall(Duration::from_secs(3))]);
    let (b, _) = server.builder();
    let client = b.timeout(Duration::from_millis(300)).max_network_retries(0).build().unwrap();
    let e = create(&client).unwrap_err();
    assert!(matches!(e, Error::Connection { .. }), "{e:?}");
    assert!(e.message().contains("timeout"), "{e}");
    assert!(e.message().contains("1 attempt made"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Answers and errors.

#[test]
fn a_body_that_is_not_json_is_an_api_error_with_status_and_request_id() {
    let html = answer_with(502, &[("Request-Id", "req_gateway")], "<html>Bad gateway</html>");
    let server = TestServer::start(vec![html]);
    let (b, _) = server.builder();
    let client = b.max_network_retries(0).build().unwrap();
    let e = create(&client).unwrap_err();
    let Error::Api(api) = &e else { panic!("{e:?}") };
    assert_eq!(api.error_type, "api_error");
    assert_eq!(api.status, 502);
    assert_eq!(api.request_id.as_deref(), Some("req_gateway"));
    assert!(e.message().contains("Invalid response body from API"), "{e}");
    assert!(e.message().contains("502"), "{e}");
    assert_eq!(e.kind(), ErrorKind::Api);
}

#[test]
fn an_error_body_is_parsed_with_every_field_and_the_request_id() {
    let body = json!({"error": {
        "type": "invalid_request_error", "code": "resource_missing",
        "message": "No such verification_session: 'vs_nope'", "param": "session",
        "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
        "request_log_url": "https://dashboard.stripe.com/test/logs/req_404"
    }});
    let server = TestServer::start(vec![answer_with(404, &[("Request-Id", "req_404")], &body.to_string())]);
    let (client, _) = server.client();
    let e = client.verification_sessions().retrieve("vs_nope", &ExpandParams::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(e.error_type(), Some("invalid_request_error"));
    assert_eq!(e.code(), Some("resource_missing"));
    assert_eq!(e.param(), Some("session"));
    assert_eq!(e.doc_url(), Some("https://stripe.com/docs/error-codes/resource-missing"));
    assert_eq!(e.request_id(), Some("req_404"));
    assert_eq!(e.json_body(), Some(&body));
    assert_eq!(e.to_string(), "Request req_404: No such verification_session: 'vs_nope' (param: session)");
}

#[test]
fn a_session_answer_decodes_without_losing_a_field() {
    let server = TestServer::start(vec![]);
    let (client, _) = server.client();
    let s = client.verification_sessions().retrieve("vs_1", &ExpandParams::default()).unwrap();
    assert_eq!(s.status.as_str(), "requires_input");
    assert_eq!(s.related_person.as_ref().unwrap().account, "acct_1");
    assert_eq!(serde_json::to_value(&s).unwrap(), session_json());
}

#[test]
fn every_answer_carries_its_request_id_to_the_caller() {
    let server =
        TestServer::start(vec![answer_with(200, &[("Request-Id", "req_ok")], &session_json().to_string())]);
    let (client, _) = server.client();
    let response = client
        .send(
            Method::Get,
            "/v1/identity/verification_sessions/vs_1",
            String::new(),
            &RequestOptions::default(),
        )
        .unwrap();
    assert_eq!(response.request_id(), Some("req_ok"));
    assert_eq!(response.status, 200);
}

#[test]
fn test_helpers_go_over_http_like_any_request() {
    let missing = json!({"error": {"type": "invalid_request_error",
        "message": "Unrecognized request URL (POST: /v1/test_helpers/identity/verification_sessions/vs_1/submit)."}});
    let server = TestServer::start(vec![answer(404, &missing.to_string())]);
    let (client, _) = server.client();
    let e = client.test_helpers().submit("vs_1").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(server.seen()[0].url, "/v1/test_helpers/identity/verification_sessions/vs_1/submit");
}

#[test]
fn connections_are_kept_alive_and_reused() {
    let server = TestServer::start(vec![]);
    let (client, _) = server.client();
    for _ in 0..3 {
        client.verification_sessions().retrieve("vs_1", &ExpandParams::default()).unwrap();
    }
    let peers: Vec<_> = server.seen().iter().map(|r| r.peer).collect();
    assert!(peers[0].is_some());
    assert!(peers.iter().all(|p| p == &peers[0]), "one pooled connection: {peers:?}");
}

/// A raw keep-alive server, a thread per connection (tiny_http's pool can leave a new
/// connection unserved while its threads hold kept-alive ones), answering every GET (no body)
/// with a session. Counts connections and requests.
fn keep_alive_server() -> (String, Arc<Mutex<(usize, usize)>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let counts = Arc::new(Mutex::new((0, 0)));
    let c = counts.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            c.lock().unwrap().0 += 1;
            let c = c.clone();
            thread::spawn(move || {
                let body = session_json().to_string();
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    head.extend_from_slice(&buf[..n]);
                    while let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        head.drain(..end + 4);
                        c.lock().unwrap().1 += 1;
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                             Content-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                    }
                }
            });
        }
    });
    (url, counts)
}

#[test]
fn connections_of_calls_made_at_once_are_all_kept_for_the_next_ones() {
    // Eight threads call together, wait for each other, and call again: every round finds the
    // eight connections of the round before idle in the pool, and opens none (ureq's default
    // pool keeps 3 idle per host, and would open 5 again every round).
    const THREADS: usize = 8;
    const ROUNDS: usize = 10;
    let (url, counts) = keep_alive_server();
    let client = Client::builder(KEY).base_url(url).build().unwrap();
    let barrier = Arc::new(std::sync::Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let (c, barrier) = (client.clone(), barrier.clone());
            thread::spawn(move || {
                for _ in 0..ROUNDS {
                    let answer = c.verification_sessions().retrieve("vs_1", &ExpandParams::default());
                    barrier.wait();
                    answer.unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let (connections, requests) = *counts.lock().unwrap();
    assert_eq!(requests, THREADS * ROUNDS);
    assert!(connections <= THREADS, "{connections} connections for {THREADS} threads");
}

#[test]
fn a_clone_of_the_client_works_from_other_threads() {
    let server = TestServer::start(vec![]);
    let (client, _) = server.client();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let c = client.clone();
            thread::spawn(move || {
                c.verification_sessions().retrieve("vs_1", &ExpandParams::default()).map(|s| s.id)
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), "vs_1NuN3kLkdIwHu7ixk5OvTq3b");
    }
    assert_eq!(server.seen().len(), 4);
}

// ---------------------------------------------------------------------------------------------
// Keys and secrets.

#[test]
fn bad_keys_and_base_urls_are_refused_at_build_time() {
    for key in ["", " ", "sk_test_abc def", "sk_test_abc\n", "\tsk_test_abc"] {
        let e = Client::builder(key).build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{key:?}");
        assert_eq!(e.param(), Some("api_key"), "{key:?}");
    }
    let e = Client::builder(KEY).base_url("api.stripe.com").build().unwrap_err();
    assert_eq!(e.param(), Some("base_url"));
    let e = Client::builder(KEY).timeout(Duration::ZERO).build().unwrap_err();
    assert_eq!(e.param(), Some("timeout"));
    assert!(Client::new(KEY).is_ok(), "the default client builds without any network");
}

#[test]
fn the_key_is_masked_in_debug_errors_and_logs() {
    let builder = Client::builder(KEY).base_url("http://127.0.0.1:9");
    let shown = format!("{builder:?}");
    assert!(shown.contains(MASKED) && !shown.contains(SECRET_PART), "{shown}");
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(shown.contains(MASKED) && !shown.contains(SECRET_PART), "{shown}");

    let unauthorized = json!({"error": {"type": "invalid_request_error",
        "message": format!("Invalid API Key provided: {MASKED}")}});
    let server =
        TestServer::start(vec![answer(401, &unauthorized.to_string()), answer(500, ""), answer(500, "")]);
    let records = Arc::new(Mutex::new(Vec::<AttemptLog>::new()));
    let r = records.clone();
    let (b, _) = server.builder();
    let client = b.log_hook(move |rec| r.lock().unwrap().push(rec.clone())).build().unwrap();
    let e = create(&client).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    for shown in [format!("{e}"), format!("{e:?}")] {
        assert!(!shown.contains(SECRET_PART), "{shown}");
    }
    client.verification_sessions().retrieve("vs_1", &ExpandParams::default()).unwrap();

    let records = records.lock().unwrap().clone();
    assert_eq!(records.len(), 4, "one record per attempt: 401, then 500, 500, 200");
    assert_eq!(records[0].status, Some(401));
    assert_eq!(records[0].attempt, 1);
    assert_eq!(records[0].max_attempts, 3);
    assert_eq!(records[0].request_id.as_deref(), Some("req_test1"));
    assert_eq!(records[0].method, Method::Post);
    assert!(records[0].idempotency_key.is_some());
    assert_eq!(records[1].status, Some(500));
    assert!(records[1].retry_in.is_some());
    assert_eq!(records[3].attempt, 3);
    assert_eq!(records[3].status, Some(200));
    assert_eq!(records[3].path, "/v1/identity/verification_sessions/vs_1");
    for rec in &records {
        let line = rec.to_string();
        assert!(line.contains(MASKED), "{line}");
        assert!(!line.contains(SECRET_PART), "{line}");
        assert!(!format!("{rec:?}").contains(SECRET_PART));
    }
    let line = records[0].to_string();
    assert!(line.starts_with("stripe-identity: POST /v1/identity/verification_sessions status=401 request_id=req_test1 attempt=1/3 duration_ms="), "{line}");
}

#[test]
fn the_client_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<stripe_identity::http::HttpBackend>();
}

#[test]
fn stripe_identity_log_debug_prints_one_masked_line_per_attempt() {
    const CHILD: &str = "HTTP_BACKEND_TEST_LOG_CHILD";
    const NAME: &str = "stripe_identity_log_debug_prints_one_masked_line_per_attempt";
    if std::env::var_os(CHILD).is_some() {
        // In the child process, where STRIPE_IDENTITY_LOG=debug was set before the client was built.
        let server = TestServer::start(vec![answer(500, &error_body("api_error"))]);
        let (client, _) = server.client();
        create(&client).unwrap();
        return;
    }
    // The variable is read from the process environment, so the check runs in a child process
    // (this same test binary) rather than changing the environment of parallel tests.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", NAME, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("STRIPE_IDENTITY_LOG", "debug")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("stripe-identity: ")).collect();
    assert_eq!(lines.len(), 2, "one line per attempt: {stderr}");
    assert!(lines[0]
        .contains("POST /v1/identity/verification_sessions status=500 request_id=req_test1 attempt=1/3"));
    assert!(lines[0].contains("retry_in_ms="));
    assert!(lines[1].contains("status=200 request_id=req_test2 attempt=2/3"));
    for line in lines {
        assert!(line.contains(MASKED) && !line.contains(SECRET_PART), "{line}");
    }
    assert!(!stderr.contains(SECRET_PART));
}
