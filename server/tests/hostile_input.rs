//! Hostile values over HTTP: idempotency keys outside printable ASCII, bodies that are too large
//! or not UTF-8, and huge values an error would otherwise echo. Each gets a clear error from
//! identity-mock, with nothing done, and answers stay small.

mod common;

use common::*;
use identity_mock::{Config, Server};
use serde_json::Value;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;
use stripe_identity::backend::Method;
use stripe_identity::model::RequestedVerificationType;
use stripe_identity::params::CreateVerificationSession;
use stripe_identity::{Client, ErrorKind, RequestOptions};

/// One answer read from raw bytes: status, lower-cased head, JSON body.
struct Raw {
    status: u16,
    head: String,
    body: Value,
}

fn raw_post(server: &Server, extra_headers: &[u8], body: &[u8]) -> Raw {
    let mut request = format!(
        "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(extra_headers);
    request.extend_from_slice(b"\r\n");
    request.extend_from_slice(body);
    let text = raw_exchange(server, &request, Duration::from_secs(20));
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no answer: {text:?}"));
    let status = head[9..12].parse().expect("a status");
    Raw { status, head: head.to_ascii_lowercase(), body: serde_json::from_str(body).unwrap_or(Value::Null) }
}

// ---- D2: idempotency keys --------------------------------------------------------------------

#[test]
fn a_raw_utf8_idempotency_key_is_refused_and_creates_nothing() {
    let server = start_default();
    for key in [&b"commande-\xc3\xa9t\xc3\xa9-42"[..], b"order-\xff-42", b"\xe6\xb3\xa8\xe6\x96\x87"] {
        let mut header = b"Idempotency-Key: ".to_vec();
        header.extend_from_slice(key);
        header.extend_from_slice(b"\r\n");
        // A retry with the same key meets the same refusal: nothing was stored or done.
        for _ in 0..2 {
            let answer = raw_post(&server, &header, b"type=document");
            assert_eq!(answer.status, 400, "{:?}: {}", String::from_utf8_lossy(key), answer.body);
            assert_eq!(answer.body["error"]["type"], "invalid_request_error");
            assert_eq!(answer.body["error"]["param"], "Idempotency-Key");
            let message = answer.body["error"]["message"].as_str().unwrap();
            assert!(message.contains("printable ASCII"), "{message}");
            assert!(!answer.head.contains("idempotency-key:"), "the bad key is not echoed: {}", answer.head);
        }
    }
    assert_eq!(server.simulator().session_count(), 0);
}

#[test]
fn a_key_of_255_printable_ascii_characters_is_honoured() {
    let server = start_default();
    // Every printable character, in a value that does not start or end with a space (HTTP
    // trims those).
    let printable: String = ('!'..='~').chain(std::iter::once(' ')).collect();
    let key: String = printable.chars().cycle().take(254).chain(std::iter::once('k')).collect();
    assert_eq!(key.len(), 255);
    let agent = agent();
    let first =
        call(&agent, &server, "POST", SESSIONS, "type=document", &[("Idempotency-Key", &key)]).unwrap();
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.header("Idempotency-Key"), Some(key.as_str()));
    let again =
        call(&agent, &server, "POST", SESSIONS, "type=document", &[("Idempotency-Key", &key)]).unwrap();
    assert_eq!(again.header("Idempotent-Replayed"), Some("true"));
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(server.simulator().session_count(), 1);
    // One more character is one too many.
    let long = format!("{key}k");
    let refused =
        call(&agent, &server, "POST", SESSIONS, "type=document", &[("Idempotency-Key", &long)]).unwrap();
    assert_eq!(refused.status, 400);
    assert_eq!(refused.error("param"), "Idempotency-Key");
    assert_eq!(server.simulator().session_count(), 1);
}

// ---- D5: an oversized body -------------------------------------------------------------------

/// A client counting its attempts, with retries on and no waiting between them.
fn counting_client(server: &Server) -> (Client, Arc<AtomicU32>) {
    let attempts = Arc::new(AtomicU32::new(0));
    let counter = attempts.clone();
    let client = Client::builder("sk_test_bodies1234")
        .base_url(server.url())
        .max_network_retries(2)
        .sleeper(|_| {})
        .log_hook(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        })
        .build()
        .unwrap();
    (client, attempts)
}

/// The API's answer arrived: 413, `invalid_request_error`, with the kind the SDKs give a 413
/// (`APIError`: they name only 400 and 404 invalid requests), not a connection error.
#[track_caller]
fn assert_answered_413(err: &stripe_identity::Error) {
    assert_eq!(err.http_status(), Some(413), "{err:?}");
    assert_eq!(err.error_type(), Some("invalid_request_error"), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::classify(413, "invalid_request_error", None));
    assert_ne!(err.kind(), ErrorKind::ApiConnection);
}

#[test]
fn an_oversized_body_reaches_the_client_as_a_413_after_one_attempt() {
    // Bodies a few times the limit, and far beyond it, sent by this library's client.
    let server = start(Config { max_body_bytes: 4096, ..Config::default() });
    let (client, attempts) = counting_client(&server);
    for size in [8 * 1024, 256 * 1024, 4 << 20] {
        attempts.store(0, Ordering::Relaxed);
        let body = format!("type=document&metadata[k]={}", "x".repeat(size));
        let err = client.send(Method::Post, SESSIONS, body, &RequestOptions::default()).unwrap_err();
        assert_answered_413(&err);
        assert!(err.message().contains("Request body too large"), "{err:?}");
        assert_eq!(attempts.load(Ordering::Relaxed), 1, "{size}: the 413 is not retried");
    }
    // The typed API too: 50 keys of 500 characters are over this server's 4 KiB.
    attempts.store(0, Ordering::Relaxed);
    let value = "v".repeat(500);
    let params = CreateVerificationSession {
        r#type: Some(RequestedVerificationType::Document),
        metadata: Some((0..50).map(|k| (format!("k{k}"), value.clone())).collect()),
        ..Default::default()
    };
    let err = client.verification_sessions().create(&params).unwrap_err();
    assert_answered_413(&err);
    assert_eq!(attempts.load(Ordering::Relaxed), 1);
    assert_eq!(server.simulator().session_count(), 0);
    // And the server is fine.
    let small =
        CreateVerificationSession { r#type: Some(RequestedVerificationType::Document), ..Default::default() };
    assert!(client.verification_sessions().create(&small).is_ok());
}

#[test]
fn a_chunked_oversized_body_gets_the_413_too() {
    let server = start(Config { max_body_bytes: 1024, ..Config::default() });
    let mut request = format!(
        "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nTransfer-Encoding: chunked\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..64 {
        request.extend_from_slice(format!("400\r\n{}\r\n", "a".repeat(0x400)).as_bytes());
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let out = raw_exchange(&server, &request, Duration::from_secs(20));
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    assert!(out.contains("Request body too large"), "{out}");
    assert_eq!(server.simulator().session_count(), 0);
}

// ---- D6: raw invalid UTF-8 in a form body ----------------------------------------------------

#[test]
fn raw_invalid_utf8_in_a_form_body_is_refused_like_an_escaped_one() {
    let server = start_default();
    let raw = raw_post(&server, b"", b"type=document&metadata[name]=\xff\xfe");
    assert_eq!(raw.status, 400, "{}", raw.body);
    let escaped = raw_post(&server, b"", b"type=document&metadata[name]=%FF%FE");
    assert_eq!(escaped.status, 400);
    assert_eq!(raw.body, escaped.body);
    assert_eq!(raw.body["error"]["type"], "invalid_request_error");
    assert_eq!(raw.body["error"]["message"], "Invalid UTF-8 in parameters");
    assert_eq!(server.simulator().session_count(), 0);
    // Raw UTF-8 that is valid is taken as it is.
    let fine = raw_post(&server, b"", "type=document&metadata[name]=José".as_bytes());
    assert_eq!(fine.status, 200, "{}", fine.body);
    assert_eq!(fine.body["metadata"]["name"], "José");
}

// ---- D11: huge values in errors --------------------------------------------------------------

#[test]
fn errors_stay_small_whatever_the_request_held() {
    let server = start_default();
    let agent = agent();
    let huge = "x".repeat(300_000);
    // A huge key (raw: it is more than an HTTP client sends): refused, masked.
    let request =
        format!("GET {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_{huge}-\r\nConnection: close\r\n\r\n");
    let out = raw_exchange(&server, request.as_bytes(), Duration::from_secs(20));
    assert!(out.starts_with("HTTP/1.1 401"), "{}", &out[..out.len().min(300)]);
    assert!(out.len() < 1_000, "{} bytes", out.len());
    assert!(out.contains("Invalid API Key provided: sk_test_****xxx-"), "{out}");
    // A huge id, parameter name, metadata key, idempotency key.
    let cases = [
        call(&agent, &server, "GET", &format!("{SESSIONS}/vs_{}", &huge[..60_000]), "", &[]),
        call(&agent, &server, "POST", SESSIONS, &format!("type=document&{huge}=1"), &[]),
        call(&agent, &server, "POST", SESSIONS, &format!("type=document&metadata[{huge}]=1"), &[]),
        call(&agent, &server, "POST", SESSIONS, "type=document", &[("Idempotency-Key", &huge[..60_000])]),
    ];
    for answer in cases {
        let answer = answer.unwrap();
        assert!((400..500).contains(&answer.status), "{}", answer.status);
        let shown = answer.body.to_string();
        assert!(shown.len() < 1_000, "{} bytes: {}...", shown.len(), &shown[..200]);
        assert!(answer.header("Idempotency-Key").is_none_or(|k| k.len() <= 255));
    }
    assert_eq!(server.simulator().session_count(), 0);
}
