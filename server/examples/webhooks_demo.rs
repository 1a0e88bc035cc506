//! `make demo` (webhooks): identity-mock in process posts the events of one session's lifecycle
//! to a local endpoint, which verifies each signature and prints it. The endpoint answers its
//! first delivery 500, to show the retry. Each delivery is verified as an application would:
//! `Webhook::construct_event` (header parsing, tolerance, constant-time comparison), which
//! gives the typed event.

use identity_mock::{Config, Server, WebhookConfig};
use std::sync::mpsc;
use std::time::Duration;
use stripe_identity::model::LastErrorCode;
use stripe_identity::params::{from_json, CreateVerificationSession, CreateWebhookEndpoint};
use stripe_identity::webhook::Webhook;
use stripe_identity::{Client, Error};

const LIFECYCLE_EVENTS: usize = 6;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let webhooks = WebhookConfig { retry: Duration::from_millis(100), ..WebhookConfig::default() };
    let server = Server::start(Config { port: 0, webhooks, ..Config::default() })?;
    let receiver = tiny_http::Server::http("127.0.0.1:0").map_err(|e| e.to_string())?;
    let endpoint_url = format!("http://{}/webhook", receiver.server_addr());
    println!("== webhooks: identity-mock on {}, endpoint on {endpoint_url}", server.url());

    let client = Client::builder("sk_test_demo").base_url(server.url()).build()?;
    let endpoint = client.webhook_endpoints().create(&CreateWebhookEndpoint {
        url: endpoint_url,
        enabled_events: vec!["*".into()],
        ..Default::default()
    })?;
    let secret = endpoint.secret.clone().unwrap_or_default();
    println!("{:<28} {} secret={}…", "endpoint created", endpoint.id, &secret[..12.min(secret.len())]);

    let (done, received) = mpsc::channel();
    let listener = std::thread::spawn(move || receive(receiver, &secret, done));
    lifecycle(&client)?;
    // The deliveries are bounded by count; the wait only keeps a broken run from hanging.
    let got = received.recv_timeout(Duration::from_secs(30)).unwrap_or(0);
    let _ = listener.join();
    println!("{:<28} {got} of {LIFECYCLE_EVENTS} events received and verified", "done");
    server.shutdown();
    if got == LIFECYCLE_EVENTS {
        Ok(())
    } else {
        Err("events were missing".into())
    }
}

fn lifecycle(client: &Client) -> Result<(), Error> {
    let vs = client.verification_sessions();
    let helpers = client.test_helpers();
    let s = vs.create(&from_json::<CreateVerificationSession>(serde_json::json!({"type": "document"}))?)?;
    helpers.submit(&s.id)?;
    helpers.fail(&s.id, LastErrorCode::DocumentExpired, None)?;
    helpers.submit(&s.id)?;
    helpers.verify(&s.id)?;
    vs.redact(&s.id, &Default::default())?;
    helpers.complete_redaction(&s.id)?;
    Ok(())
}

/// Serves the endpoint until every lifecycle event was acknowledged; sends how many were.
fn receive(server: tiny_http::Server, secret: &str, done: mpsc::Sender<usize>) {
    let mut seen = std::collections::BTreeSet::new();
    let mut deliveries = 0;
    while seen.len() < LIFECYCLE_EVENTS {
        let Ok(Some(mut request)) = server.recv_timeout(Duration::from_secs(30)) else { break };
        deliveries += 1;
        let mut body = Vec::new();
        let _ = request.as_reader().read_to_end(&mut body);
        let header = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Stripe-Signature"))
            .map(|h| h.value.as_str().to_string())
            .unwrap_or_default();
        let event = Webhook::construct_event(&body, &header, secret);
        let (id, kind) = match &event {
            Ok(e) => (e.id.clone(), e.r#type.clone()),
            Err(_) => ("?".to_string(), "?".to_string()),
        };
        let status = if event.is_err() {
            400
        } else if deliveries == 1 {
            500
        } else {
            seen.insert(id.clone());
            200
        };
        let note = match status {
            400 => "signature REFUSED",
            500 => "verified; answered 500 (identity-mock will retry)",
            _ => "verified",
        };
        println!("{:<28} {id} {kind} ({note})", "webhook received");
        let _ = request.respond(tiny_http::Response::empty(status));
    }
    let _ = done.send(seen.len());
}
