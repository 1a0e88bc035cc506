//! Webhook endpoints over HTTP and identity-mock's deliveries: signed posts, retries with
//! backoff, the bounded queue, a hung receiver, the secret shown once, `pending_webhooks`.
//!
//! Waits are for counts to be reached (bounded so a bug fails rather than hangs), never
//! assertions on how long something took, but for lower bounds a sleep guarantees.

mod common;

use common::{agent, create, ok, start, SESSIONS};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use identity_mock::{Config, Server, WebhookConfig};
use parking_lot::Mutex;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use stripe_identity::webhook::compute_signature;

/// What the receiver does with its n-th request (0-based).
#[derive(Clone, Copy)]
enum Reply {
    Status(u16),
    Hang,
}

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Got {
    at: Instant,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Got {
    fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
    fn event(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }
}

/// A webhook receiver on a loopback port, served by hyper on its own runtime.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Receiver {
    fn start(reply: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Receiver {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let url = format!("http://{}/webhook", listener.local_addr().unwrap());
        let got = Arc::new(Mutex::new(Vec::new()));
        let (seen, reply) = (got.clone(), Arc::new(reply));
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (seen, reply) = (seen.clone(), reply.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let (seen, reply) = (seen.clone(), reply.clone());
                        async move {
                            let headers = req
                                .headers()
                                .iter()
                                .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
                                .collect();
                            let body = req.into_body().collect().await.map(|b| b.to_bytes().to_vec());
                            let n = {
                                let mut seen = seen.lock();
                                seen.push(Got {
                                    at: Instant::now(),
                                    headers,
                                    body: body.unwrap_or_default(),
                                });
                                seen.len() - 1
                            };
                            let status = match reply(n) {
                                Reply::Status(s) => s,
                                Reply::Hang => {
                                    tokio::time::sleep(Duration::from_secs(3600)).await;
                                    200
                                }
                            };
                            let mut answer = hyper::Response::new(Full::new(Bytes::from_static(b"{}")));
                            *answer.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                            Ok::<_, hyper::Error>(answer)
                        }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Receiver { url, got, _runtime: runtime }
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        // Hung handlers never finish: do not wait for them.
        let runtime = std::mem::replace(
            &mut self._runtime,
            tokio::runtime::Builder::new_current_thread().build().unwrap(),
        );
        runtime.shutdown_background();
    }
}

/// Waits until `done` holds, for at most 20 s; whether it held.
fn wait_for(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    done()
}

fn server(webhooks: WebhookConfig) -> Server {
    start(Config { webhooks, ..Config::default() })
}

fn fast(max_attempts: u32) -> WebhookConfig {
    WebhookConfig {
        retry: Duration::from_millis(20),
        max_attempts,
        timeout: Duration::from_secs(2),
        queue: 100,
    }
}

/// Creates an endpoint for `events` posting to `url`; its id and secret.
fn endpoint(server: &Server, url: &str, events: &[&str]) -> (String, String) {
    let mut params = format!("url={url}");
    for e in events {
        params.push_str(&format!("&enabled_events[]={e}"));
    }
    let a = ok(&agent(), server, "POST", "/v1/webhook_endpoints", &params);
    assert_eq!(a.status, 200, "{:?}", a.body);
    (a.body["id"].as_str().unwrap().to_string(), a.body["secret"].as_str().unwrap().to_string())
}

fn pending(server: &Server, event_id: &str) -> Option<i64> {
    server.simulator().events().into_iter().find(|e| e.id == event_id).map(|e| e.pending_webhooks)
}

#[test]
fn the_secret_is_shown_only_on_create_and_delete_answers_the_deleted_shape() {
    let server = server(fast(1));
    let agent = agent();
    let (id, secret) = endpoint(&server, "http://127.0.0.1:9/hook", &["*"]);
    assert!(secret.starts_with("whsec_") && secret.len() > 20, "{secret}");
    let path = format!("/v1/webhook_endpoints/{id}");
    let got = ok(&agent, &server, "GET", &path, "");
    assert_eq!((got.status, got.body["object"].as_str()), (200, Some("webhook_endpoint")));
    assert_eq!(got.body["status"], "enabled");
    assert!(got.body.get("secret").is_none(), "{:?}", got.body);
    let updated = ok(&agent, &server, "POST", &path, "disabled=true&description=x");
    assert_eq!(
        (updated.body["status"].as_str(), updated.body["description"].as_str()),
        (Some("disabled"), Some("x"))
    );
    assert!(updated.body.get("secret").is_none());
    let list = ok(&agent, &server, "GET", "/v1/webhook_endpoints", "");
    assert_eq!(list.body["data"].as_array().map(Vec::len), Some(1));
    assert!(list.body["data"][0].get("secret").is_none());
    let deleted = ok(&agent, &server, "DELETE", &path, "");
    assert_eq!(deleted.body, serde_json::json!({"id": id, "object": "webhook_endpoint", "deleted": true}));
    let gone = ok(&agent, &server, "GET", &path, "");
    assert_eq!((gone.status, gone.body["error"]["code"].as_str()), (404, Some("resource_missing")));
    // Event types the simulator never sends, and bad URLs, are refused naming the parameter.
    let bad = ok(
        &agent,
        &server,
        "POST",
        "/v1/webhook_endpoints",
        "url=http://x/&enabled_events[]=charge.succeeded",
    );
    assert_eq!((bad.status, bad.body["error"]["param"].as_str()), (400, Some("enabled_events")));
    let bad = ok(&agent, &server, "POST", "/v1/webhook_endpoints", "url=ftp://x/&enabled_events[]=*");
    assert_eq!((bad.status, bad.body["error"]["param"].as_str()), (400, Some("url")));
    let bad = ok(&agent, &server, "POST", "/v1/webhook_endpoints", "enabled_events[]=*");
    assert_eq!((bad.status, bad.body["error"]["param"].as_str()), (400, Some("url")));
}

#[test]
fn failed_deliveries_are_retried_with_backoff_until_acknowledged() {
    // 500, 503, then 200.
    let receiver = Receiver::start(|n| Reply::Status(if n < 2 { 500 + 3 * n as u16 } else { 200 }));
    let server = server(fast(5));
    let (_, secret) = endpoint(&server, &receiver.url, &["identity.verification_session.created"]);
    create(&agent(), &server, "type=document");
    assert!(wait_for(|| server.deliveries().delivered.load(std::sync::atomic::Ordering::SeqCst) == 1));
    let got = receiver.got();
    assert_eq!(got.len(), 3);
    let event = got[0].event();
    assert_eq!(event["type"], "identity.verification_session.created");
    // The payload carries the count owed when it was recorded.
    assert_eq!(event["pending_webhooks"], 1);
    for g in &got {
        assert_eq!(g.event()["id"], event["id"], "every attempt carries the same event");
        assert_eq!(g.header("content-type"), "application/json; charset=utf-8");
        assert_eq!(g.header("user-agent"), "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        let header = g.header("stripe-signature");
        let t: i64 = header.split(',').find_map(|kv| kv.strip_prefix("t=")).unwrap().parse().unwrap();
        let v1 = header.split(',').find_map(|kv| kv.strip_prefix("v1=")).unwrap();
        assert_eq!(v1, compute_signature(&g.body, &secret, t), "signed with the endpoint's secret");
    }
    // Backoff: 20 ms, then 40 ms (lower bounds: a sleep is never shorter).
    assert!(got[1].at - got[0].at >= Duration::from_millis(20));
    assert!(got[2].at - got[1].at >= Duration::from_millis(40));
    let stats = server.deliveries();
    assert_eq!(stats.retries.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(stats.attempts.load(std::sync::atomic::Ordering::SeqCst), 3);
    // Acknowledged: nothing is owed any more.
    assert!(wait_for(|| pending(&server, event["id"].as_str().unwrap()) == Some(0)));
}

#[test]
fn pending_webhooks_counts_each_matching_endpoint_down_to_zero() {
    let receiver = Receiver::start(|_| Reply::Status(200));
    let server = server(fast(3));
    endpoint(&server, &receiver.url, &["*"]);
    endpoint(&server, &receiver.url, &["identity.verification_session.created"]);
    endpoint(&server, &receiver.url, &["identity.verification_session.verified"]);
    let (disabled, _) = endpoint(&server, &receiver.url, &["*"]);
    ok(&agent(), &server, "POST", &format!("/v1/webhook_endpoints/{disabled}"), "disabled=true");
    let id = create(&agent(), &server, "type=document");
    ok(
        &agent(),
        &server,
        "POST",
        &format!("/v1/test_helpers/identity/verification_sessions/{id}/submit"),
        "",
    );
    let events = server.simulator().events();
    assert_eq!(events.len(), 2);
    // created: `*` and `created`; processing: `*` only. The disabled endpoint is owed nothing.
    assert!(wait_for(|| receiver.got().len() == 3));
    assert!(wait_for(|| events.iter().all(|e| pending(&server, &e.id) == Some(0))));
    let got = receiver.got();
    let created = got.iter().filter(|g| g.event()["type"] == "identity.verification_session.created").count();
    assert_eq!(created, 2);
    assert!(got
        .iter()
        .filter(|g| g.event()["type"] == "identity.verification_session.created")
        .all(|g| g.event()["pending_webhooks"] == 2));
}

#[test]
fn a_full_queue_drops_new_deliveries_and_keeps_them_pending() {
    let receiver = Receiver::start(|_| Reply::Hang);
    let server =
        server(WebhookConfig { queue: 1, max_attempts: 1, timeout: Duration::from_secs(30), ..fast(1) });
    endpoint(&server, &receiver.url, &["*"]);
    for _ in 0..3 {
        create(&agent(), &server, "type=document");
    }
    let stats = server.deliveries();
    use std::sync::atomic::Ordering::SeqCst;
    assert_eq!((stats.queued.load(SeqCst), stats.dropped.load(SeqCst)), (1, 2));
    assert_eq!(stats.owed.load(SeqCst), 1);
    // The dropped ones stay owed in the log, as undelivered events do.
    let events = server.simulator().events();
    assert!(events.iter().all(|e| e.pending_webhooks == 1));
}

#[test]
fn a_hung_receiver_never_stalls_the_api() {
    let receiver = Receiver::start(|_| Reply::Hang);
    let server = server(WebhookConfig { queue: 1000, timeout: Duration::from_secs(60), ..fast(3) });
    endpoint(&server, &receiver.url, &["*"]);
    let agent = agent();
    let mut answered = 0;
    for _ in 0..50 {
        let id = create(&agent, &server, "type=document");
        let a = ok(
            &agent,
            &server,
            "POST",
            &format!("/v1/test_helpers/identity/verification_sessions/{id}/submit"),
            "",
        );
        answered += usize::from(a.status == 200);
    }
    assert_eq!(answered, 50);
    let list = ok(&agent, &server, "GET", SESSIONS, "limit=100");
    assert_eq!(list.body["data"].as_array().map(Vec::len), Some(50));
    // 100 deliveries owed; at most IN_FLIGHT of them are held by the hung receiver.
    assert_eq!(server.deliveries().owed.load(std::sync::atomic::Ordering::SeqCst), 100);
    assert!(wait_for(|| receiver.got().len() == identity_mock::delivery::IN_FLIGHT));
}

#[test]
fn a_refused_connection_is_retried_then_given_up_and_left_pending() {
    // Nothing listens on a port just closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = server(fast(3));
    endpoint(&server, &format!("http://127.0.0.1:{port}/hook"), &["*"]);
    create(&agent(), &server, "type=document");
    use std::sync::atomic::Ordering::SeqCst;
    assert!(wait_for(|| server.deliveries().given_up.load(SeqCst) == 1));
    assert_eq!(server.deliveries().attempts.load(SeqCst), 3);
    assert_eq!(server.simulator().events()[0].pending_webhooks, 1);
}

#[test]
fn with_data_endpoints_and_their_secrets_survive_a_restart() {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("webhooks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = || Config { data: Some(dir.join("state.db")), webhooks: fast(3), ..Config::default() };
    let receiver = Receiver::start(|_| Reply::Status(200));
    let server = start(config());
    let (kept, secret) = endpoint(&server, &receiver.url, &["*"]);
    let (gone, _) = endpoint(&server, &receiver.url, &["*"]);
    ok(&agent(), &server, "POST", &format!("/v1/webhook_endpoints/{kept}"), "description=kept");
    ok(&agent(), &server, "DELETE", &format!("/v1/webhook_endpoints/{gone}"), "");
    server.shutdown();

    let server = start(config());
    let list = ok(&agent(), &server, "GET", "/v1/webhook_endpoints", "");
    let ids: Vec<&str> =
        list.body["data"].as_array().unwrap().iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(ids, [kept.as_str()]);
    assert_eq!(list.body["data"][0]["description"], "kept");
    assert!(list.body["data"][0].get("secret").is_none());
    // Deliveries after the restart are signed with the secret shown before it.
    create(&agent(), &server, "type=document");
    assert!(wait_for(|| receiver.got().len() == 1));
    let g = &receiver.got()[0];
    let header = g.header("stripe-signature");
    let t: i64 = header.split(',').find_map(|kv| kv.strip_prefix("t=")).unwrap().parse().unwrap();
    let v1 = header.split(',').find_map(|kv| kv.strip_prefix("v1=")).unwrap();
    assert_eq!(v1, compute_signature(&g.body, &secret, t));
}

#[test]
fn under_receiver_faults_no_event_is_lost_and_only_failed_deliveries_come_again() {
    use std::collections::HashMap;
    use std::sync::atomic::Ordering::SeqCst;
    // The receiver fails 30% of deliveries (a seeded draw: the same run every time).
    let draw = Mutex::new(<rand::rngs::SmallRng as rand::SeedableRng>::seed_from_u64(15));
    let receiver = Receiver::start(move |_| {
        Reply::Status(if rand::Rng::random_bool(&mut *draw.lock(), 0.3) { 500 } else { 200 })
    });
    let server = server(WebhookConfig { retry: Duration::from_millis(5), max_attempts: 40, ..fast(40) });
    endpoint(&server, &receiver.url, &["*"]);
    let agent = agent();
    let runs = 100;
    for _ in 0..runs {
        let id = create(&agent, &server, "type=document");
        for step in ["submit", "fail", "submit", "verify"] {
            let params = if step == "fail" { "code=document_expired" } else { "" };
            let a = ok(
                &agent,
                &server,
                "POST",
                &format!("/v1/test_helpers/identity/verification_sessions/{id}/{step}"),
                params,
            );
            assert_eq!(a.status, 200);
        }
        ok(&agent, &server, "POST", &format!("{SESSIONS}/{id}/redact"), "");
        ok(
            &agent,
            &server,
            "POST",
            &format!("/v1/test_helpers/identity/verification_sessions/{id}/complete_redaction"),
            "",
        );
    }
    let want = runs * 6;
    let stats = server.deliveries();
    assert!(wait_for(|| stats.delivered.load(SeqCst) == want as u64));
    let got = receiver.got();
    // One endpoint, so one delivery per event, which ends at its first 2xx: with every event
    // delivered, each was acknowledged exactly once, and every other post of it was a retry
    // after a 500.
    let mut per_event: HashMap<String, usize> = HashMap::new();
    for g in &got {
        *per_event.entry(g.event()["id"].as_str().unwrap().to_string()).or_default() += 1;
    }
    assert_eq!(per_event.len(), want, "every event arrived");
    assert_eq!(stats.given_up.load(SeqCst) + stats.dropped.load(SeqCst), 0);
    let redeliveries = got.len() - want;
    assert_eq!(redeliveries as u64, stats.retries.load(SeqCst));
    assert!(server.simulator().events().iter().all(|e| e.pending_webhooks == 0));
    println!(
        "webhooks under 30% receiver faults: {want} events, {} deliveries, {redeliveries} retries, 0 lost, \
         0 acknowledged twice",
        got.len()
    );
}
