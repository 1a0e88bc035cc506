//! The real path: this library's client against identity-mock over HTTPS on loopback, with a
//! throwaway CA made at run time (`common/certs.rs`). Nothing is timed: connections, attempts
//! and TLS records are counted.
//!
//! - a whole lifecycle over HTTPS, trusting the test CA;
//! - without the CA, or with a certificate for another name, the call fails at once with a
//!   connection error that names the certificate problem, and is not retried;
//! - N calls on one client make one connection (so one handshake);
//! - a POST leaves in one TLS record, as it leaves in one write over plain TCP;
//!
//! The proxy variables are tested in `https_proxy.rs`, a binary of its own: they are the
//! process's, and no other test should run while they change.

mod common;

use common::certs::TestCa;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use stripe_identity::model::{LastErrorCode, RequestedVerificationType, VerificationStatus};
use stripe_identity::params::{
    CreateVerificationSession, ListVerificationSessions, UpdateVerificationSession,
};
use stripe_identity::{Client, ErrorKind};

use common::https::{client, document, https_server, KEY};

#[test]
fn a_whole_lifecycle_over_https_trusting_the_test_ca() {
    let ca = TestCa::new("lifecycle CA");
    let server = https_server(&ca, &["localhost", "127.0.0.1"]);
    assert!(server.url().starts_with("https://"), "{}", server.url());
    let attempts = Arc::new(AtomicUsize::new(0));
    for url in [server.url(), format!("https://localhost:{}", server.local_addr().port())] {
        let client = client(&url, Some(&ca), &attempts);
        let vs = client.verification_sessions();
        let created = vs
            .create(&CreateVerificationSession {
                r#type: Some(RequestedVerificationType::Document),
                metadata: Some([("order", "42")].into_iter().collect()),
                ..Default::default()
            })
            .expect("create over HTTPS");
        assert_eq!(created.status, VerificationStatus::RequiresInput);
        let updated = vs
            .update(
                &created.id,
                &UpdateVerificationSession {
                    metadata: Some([("order", "43")].into_iter().collect()),
                    ..Default::default()
                },
            )
            .expect("update");
        assert_eq!(updated.metadata.get("order").map(String::as_str), Some("43"));
        let helpers = client.test_helpers();
        helpers.submit(&created.id).expect("submit");
        helpers.fail(&created.id, LastErrorCode::DocumentExpired, None).expect("fail");
        helpers.submit(&created.id).expect("submit again");
        let verified = helpers.verify(&created.id).expect("verify");
        assert_eq!(verified.status, VerificationStatus::Verified);
        let redacting = vs.redact(&created.id, &Default::default()).expect("redact");
        assert!(redacting.redaction.is_some());
        helpers.complete_redaction(&created.id).expect("complete redaction");
        let page =
            vs.list(&ListVerificationSessions { limit: Some(10), ..Default::default() }).expect("list");
        assert!(page.data.iter().any(|s| s.id == created.id));
        let other = vs.create(&document()).expect("create");
        let canceled = vs.cancel(&other.id, &Default::default()).expect("cancel");
        assert_eq!(canceled.status, VerificationStatus::Canceled);
        let retrieved = vs.retrieve(&created.id, &Default::default()).expect("retrieve");
        assert_eq!(retrieved.status, VerificationStatus::Verified);
    }
    // Twelve calls per client, none retried.
    assert_eq!(attempts.load(Ordering::Relaxed), 24);
}

#[test]
fn an_untrusted_certificate_fails_at_once_names_the_problem_and_is_not_retried() {
    let ca = TestCa::new("untrusted CA");
    let server = https_server(&ca, &["localhost", "127.0.0.1"]);
    let attempts = Arc::new(AtomicUsize::new(0));
    // The bundled Mozilla roots do not know the test CA.
    let e =
        client(&server.url(), None, &attempts).verification_sessions().list(&Default::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ApiConnection, "{e}");
    let message = e.to_string();
    assert!(message.contains("certificate") && message.contains("UnknownIssuer"), "{message}");
    assert!(message.contains("1 attempt made"), "{message}");
    assert_eq!(attempts.load(Ordering::Relaxed), 1);
    // Another CA is no better.
    let stranger = TestCa::new("another CA");
    let e = client(&server.url(), Some(&stranger), &attempts).verification_sessions().create(&document());
    let e = e.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ApiConnection, "{e}");
    assert!(e.to_string().contains("UnknownIssuer"), "{e}");
    assert_eq!(attempts.load(Ordering::Relaxed), 2);
    assert_eq!(server.accepted_connections(), 2, "one connection per refused call");
    assert_eq!(server.simulator().session_count(), 0);
}

#[test]
fn a_certificate_for_another_name_is_refused() {
    let ca = TestCa::new("hostname CA");
    let server = https_server(&ca, &["other.invalid"]);
    let attempts = Arc::new(AtomicUsize::new(0));
    for url in [server.url(), format!("https://localhost:{}", server.local_addr().port())] {
        let e =
            client(&url, Some(&ca), &attempts).verification_sessions().list(&Default::default()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ApiConnection, "{e}");
        assert!(e.to_string().contains("certificate not valid for name"), "{e}");
    }
    assert_eq!(attempts.load(Ordering::Relaxed), 2, "neither was retried");
}

#[test]
fn a_bad_ca_bundle_is_a_typed_error_before_any_call() {
    let e = Client::builder(KEY).ca_bundle("not a certificate").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(e.param(), Some("ca_bundle"));
    let e = Client::builder(KEY).ca_bundle_path("/nonexistent/ca.pem").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(e.param(), Some("ca_bundle_path"));
    assert!(e.to_string().contains("/nonexistent/ca.pem"), "{e}");
    // A file that is there but holds no certificate: named by the setting the caller used.
    let path = std::env::temp_dir().join(format!("not-a-ca-{}.pem", std::process::id()));
    std::fs::write(&path, "not a certificate").unwrap();
    let e = Client::builder(KEY).ca_bundle_path(&path).build().unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(e.param(), Some("ca_bundle_path"));
    assert!(e.to_string().contains("holds no certificate"), "{e}");
}

#[test]
fn many_calls_on_one_client_make_one_connection_and_one_handshake() {
    const CALLS: usize = 50;
    let ca = TestCa::new("keep-alive CA");
    let server = https_server(&ca, &["127.0.0.1"]);
    let attempts = Arc::new(AtomicUsize::new(0));
    let client = client(&server.url(), Some(&ca), &attempts);
    let vs = client.verification_sessions();
    for i in 0..CALLS {
        if i % 2 == 0 {
            vs.create(&document()).expect("create");
        } else {
            vs.list(&Default::default()).expect("list");
        }
    }
    assert_eq!(attempts.load(Ordering::Relaxed), CALLS);
    assert_eq!(server.accepted_connections(), 1);
}

/// A TCP relay in front of `target` that counts the TLS records the client sends (it reads
/// the 5-byte record headers: type, version, length) and passes everything through.
struct RecordCounter {
    addr: SocketAddr,
    /// Records seen so far, of any type (after the handshake, TLS 1.3 sends everything as
    /// application data).
    records: Arc<AtomicUsize>,
}

impl RecordCounter {
    fn start(target: SocketAddr) -> RecordCounter {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let records = Arc::new(AtomicUsize::new(0));
        let counter = records.clone();
        thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(target) else { return };
                let (mut from_server, mut to_client) =
                    (server.try_clone().unwrap(), client.try_clone().unwrap());
                thread::spawn(move || {
                    let _ = std::io::copy(&mut from_server, &mut to_client);
                    let _ = to_client.shutdown(Shutdown::Write);
                });
                let counter = counter.clone();
                thread::spawn(move || count_records(client, server, &counter));
            }
        });
        RecordCounter { addr, records }
    }

    fn count(&self) -> usize {
        self.records.load(Ordering::SeqCst)
    }
}

/// Copies `from` into `to`, counting each record header before its bytes go on, so the count
/// is complete by the time the server can answer.
fn count_records(mut from: TcpStream, mut to: TcpStream, records: &AtomicUsize) {
    let mut header = [0u8; 5];
    loop {
        if from.read_exact(&mut header).is_err() {
            let _ = to.shutdown(Shutdown::Write);
            return;
        }
        records.fetch_add(1, Ordering::SeqCst);
        let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
        let mut body = vec![0u8; len];
        if from.read_exact(&mut body).is_err()
            || to.write_all(&header).is_err()
            || to.write_all(&body).is_err()
        {
            return;
        }
    }
}

#[test]
fn a_post_leaves_in_one_tls_record() {
    let ca = TestCa::new("one-write CA");
    let server = https_server(&ca, &["127.0.0.1"]);
    let relay = RecordCounter::start(server.local_addr());
    let attempts = Arc::new(AtomicUsize::new(0));
    let client = client(&format!("https://{}", relay.addr), Some(&ca), &attempts);
    let vs = client.verification_sessions();
    // The handshake and a first request on the connection; what follows is requests only.
    vs.list(&Default::default()).expect("list");
    let create = CreateVerificationSession {
        r#type: Some(RequestedVerificationType::Document),
        metadata: Some([("note", "x".repeat(400))].into_iter().collect()),
        ..Default::default()
    };
    for _ in 0..5 {
        let before = relay.count();
        vs.create(&create).expect("create");
        assert_eq!(relay.count() - before, 1, "a POST, head and body, in one record");
        let before = relay.count();
        vs.list(&Default::default()).expect("list");
        assert_eq!(relay.count() - before, 1, "a GET in one record");
    }
    assert_eq!(server.accepted_connections(), 1);

    // The control: ureq alone hands the head and the body to TLS separately, two records, which
    // is what `coalesce.rs` is for. If this changes, the count above proves nothing any more.
    let root = ureq::tls::Certificate::from_pem(ca.pem().as_bytes()).unwrap();
    let tls =
        ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&[root])).build();
    // No proxy: plain ureq would use one set in the environment.
    let agent: ureq::Agent = ureq::Agent::config_builder().tls_config(tls).proxy(None).build().into();
    let url = format!("https://{}/v1/identity/verification_sessions", relay.addr);
    let auth = format!("Bearer {KEY}");
    // Read whole, so that the connection goes back to the pool and the POST reuses it.
    let mut first = agent.get(&url).header("Authorization", &auth).call().expect("plain ureq GET");
    first.body_mut().read_to_vec().unwrap();
    let before = relay.count();
    agent
        .post(&url)
        .header("Authorization", &auth)
        .send_form([("type", "document")])
        .expect("plain ureq POST");
    assert_eq!(relay.count() - before, 2);
}
