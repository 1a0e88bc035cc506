//! identity-mock over HTTPS and clients of it, for the HTTPS and proxy tests.

use super::certs::TestCa;
use identity_mock::{Config, Server, Tls};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use stripe_identity::model::RequestedVerificationType;
use stripe_identity::params::CreateVerificationSession;
use stripe_identity::Client;

pub const KEY: &str = "sk_test_https1234";

pub fn document() -> CreateVerificationSession {
    CreateVerificationSession { r#type: Some(RequestedVerificationType::Document), ..Default::default() }
}

/// identity-mock over HTTPS with a certificate for these names, signed by `ca`.
pub fn https_server(ca: &TestCa, names: &[&str]) -> Server {
    let cert = ca.server_cert(names);
    let tls = Tls::from_pem(cert.cert_pem.as_bytes(), cert.key_pem.as_bytes()).expect("TLS config");
    Server::start(Config { port: 0, tls: Some(tls), ..Config::default() }).expect("identity-mock starts")
}

/// A client of `url` that counts its attempts and never waits before a retry.
pub fn client(url: &str, ca: Option<&TestCa>, attempts: &Arc<AtomicUsize>) -> Client {
    let counter = attempts.clone();
    let mut builder =
        Client::builder(KEY).base_url(url).max_network_retries(2).sleeper(|_| {}).log_hook(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
    if let Some(ca) = ca {
        builder = builder.ca_bundle(ca.pem());
    }
    builder.build().expect("client")
}
