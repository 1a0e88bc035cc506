//! identity-mock over HTTP: keys, routing, parameters, headers, the lifecycle, idempotency.

mod common;

use base64::Engine as _;
use common::*;

#[test]
fn bearer_and_basic_keys_are_accepted() {
    let server = start_default();
    let agent = agent();
    for key in ["sk_test_abc123", "sk_live_abc123", "rk_test_abc123", "rk_live_abc123"] {
        let bearer = format!("Bearer {key}");
        let answer = raw_call(&agent, &server, "GET", SESSIONS, "", &[("Authorization", &bearer)]).unwrap();
        assert_eq!(answer.status, 200, "{key}: {:?}", answer.body);
        // curl -u sk_test_...: sends Basic with the key as user name and an empty password.
        let basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{key}:")));
        let answer = raw_call(&agent, &server, "GET", SESSIONS, "", &[("Authorization", &basic)]).unwrap();
        assert_eq!(answer.status, 200, "{key} (basic): {:?}", answer.body);
    }
}

#[test]
fn missing_malformed_and_publishable_keys_get_401() {
    let server = start_default();
    let agent = agent();

    let answer = raw_call(&agent, &server, "GET", SESSIONS, "", &[]).unwrap();
    assert_eq!(answer.status, 401);
    assert_eq!(answer.error("type"), "invalid_request_error");
    assert!(answer.error("message").as_str().unwrap().starts_with("You did not provide an API key."));
    assert!(answer.header("request-id").unwrap().starts_with("req_"));
    assert_eq!(answer.header("content-type"), Some("application/json"));

    let answer = raw_call(
        &agent,
        &server,
        "POST",
        SESSIONS,
        "type=document",
        &[("Authorization", "Bearer sk_test_bad-key-abcd")],
    )
    .unwrap();
    assert_eq!(answer.status, 401);
    assert_eq!(answer.error("type"), "invalid_request_error");
    assert_eq!(answer.error("message"), "Invalid API Key provided: sk_test_****abcd");

    let answer =
        raw_call(&agent, &server, "GET", SESSIONS, "", &[("Authorization", "Bearer pk_test_abcdef123")])
            .unwrap();
    assert_eq!(answer.status, 401);
    assert_eq!(answer.error("code"), "secret_key_required");

    // Nothing was created by the refused POST.
    assert_eq!(server.simulator().session_count(), 0);
}

#[test]
fn unknown_urls_and_methods_get_the_api_404() {
    let server = start_default();
    let agent = agent();
    let answer = ok(&agent, &server, "GET", "/v1/customers", "");
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error("type"), "invalid_request_error");
    assert!(answer
        .error("message")
        .as_str()
        .unwrap()
        .starts_with("Unrecognized request URL (GET: /v1/customers)."));
    let answer = ok(&agent, &server, "DELETE", &format!("{SESSIONS}/vs_123"), "");
    assert_eq!(answer.status, 404);
    // A method the API serves nowhere.
    let url = format!("{}{SESSIONS}", server.url());
    let response = agent
        .put(&url)
        .header("Authorization", format!("Bearer {KEY}"))
        .send("type=document")
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 404);
    let answer = ok(&agent, &server, "GET", &format!("{SESSIONS}/vs_missing"), "");
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error("code"), "resource_missing");
}

#[test]
fn get_reads_the_query_and_post_the_body() {
    let server = start_default();
    let agent = agent();
    // Literal and percent-encoded brackets, `+` and `%20` for spaces, Rack-style `[]` arrays.
    let id = create(
        &agent,
        &server,
        "type=document&metadata[order]=42&metadata%5Bnote%5D=two+words%20here\
         &options[document][allowed_types][]=passport&options[document][allowed_types][]=id_card",
    );
    let answer = ok(&agent, &server, "GET", &format!("{SESSIONS}/{id}"), "");
    assert_eq!(answer.body["metadata"]["order"], "42");
    assert_eq!(answer.body["metadata"]["note"], "two words here");
    assert_eq!(
        answer.body["options"]["document"]["allowed_types"],
        serde_json::json!(["passport", "id_card"])
    );

    for _ in 0..4 {
        create(&agent, &server, "type=id_number&client_reference_id=ref-9");
    }
    let answer = ok(&agent, &server, "GET", SESSIONS, "limit=3&client_reference_id=ref-9");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["object"], "list");
    assert_eq!(answer.body["url"], SESSIONS);
    assert_eq!(answer.body["data"].as_array().unwrap().len(), 3);
    assert_eq!(answer.body["has_more"], true);
    let answer = ok(&agent, &server, "GET", SESSIONS, "expand%5B0%5D=data.verified_outputs&limit=100");
    assert_eq!(answer.body["data"].as_array().unwrap().len(), 5);

    // Bad input gets the API's error bodies.
    let answer = ok(&agent, &server, "GET", SESSIONS, "limit=abc");
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error("param"), "limit");
    let answer = ok(&agent, &server, "POST", SESSIONS, "type=document&bogus=1");
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error("code"), "parameter_unknown");
    assert_eq!(answer.error("param"), "bogus");
}

#[test]
fn the_whole_lifecycle_over_http() {
    let server = start_default();
    let agent = agent();
    let id = create(&agent, &server, "type=document&metadata[a]=1&metadata[b]=2");
    let session = format!("{SESSIONS}/{id}");
    let helpers = format!("/v1/test_helpers/identity/verification_sessions/{id}");

    let answer = ok(&agent, &server, "POST", &session, "metadata[a]=");
    assert_eq!(answer.body["metadata"], serde_json::json!({"b": "2"}));

    assert_eq!(ok(&agent, &server, "POST", &format!("{helpers}/submit"), "").body["status"], "processing");
    let answer = ok(&agent, &server, "POST", &format!("{helpers}/fail"), "code=document_expired");
    assert_eq!(answer.body["status"], "requires_input");
    assert_eq!(answer.body["last_error"]["code"], "document_expired");
    ok(&agent, &server, "POST", &format!("{helpers}/submit"), "");
    assert_eq!(ok(&agent, &server, "POST", &format!("{helpers}/verify"), "").body["status"], "verified");

    let answer =
        ok(&agent, &server, "GET", &session, "expand[]=verified_outputs&expand[]=last_verification_report");
    assert!(answer.body["verified_outputs"].is_object(), "{:?}", answer.body);
    assert_eq!(answer.body["last_verification_report"]["object"], "identity.verification_report");

    let answer = ok(&agent, &server, "POST", &format!("{session}/cancel"), "");
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error("type"), "invalid_request_error");

    let answer = ok(&agent, &server, "POST", &format!("{session}/redact"), "");
    assert_eq!(answer.body["redaction"]["status"], "processing");
    let answer = ok(&agent, &server, "POST", &format!("{helpers}/complete_redaction"), "");
    assert_eq!(answer.body["redaction"]["status"], "redacted");

    let other = create(&agent, &server, "type=id_number");
    let answer = ok(&agent, &server, "POST", &format!("{SESSIONS}/{other}/cancel"), "");
    assert_eq!(answer.body["status"], "canceled");
    assert!(answer.body["url"].is_null());
}

#[test]
fn response_headers_and_idempotency() {
    let server = start_default();
    let agent = agent();
    let headers = [("Idempotency-Key", "order-42"), ("Stripe-Version", "2026-10-28.endive")];
    let first = call(&agent, &server, "POST", SESSIONS, "type=document", &headers).unwrap();
    assert_eq!(first.status, 200);
    assert!(first.header("Request-Id").unwrap().starts_with("req_"));
    assert_eq!(first.header("Idempotency-Key"), Some("order-42"));
    assert_eq!(first.header("Idempotent-Replayed"), None);
    assert_eq!(first.header("Content-Type"), Some("application/json"));

    let again = call(&agent, &server, "POST", SESSIONS, "type=document", &headers).unwrap();
    assert_eq!(again.status, 200);
    assert_eq!(again.header("Idempotent-Replayed"), Some("true"));
    assert_eq!(again.body["id"], first.body["id"]);
    assert_ne!(again.header("Request-Id"), first.header("Request-Id"));

    let other = call(&agent, &server, "POST", SESSIONS, "type=id_number", &headers).unwrap();
    assert_eq!(other.status, 400);
    assert_eq!(other.error("type"), "idempotency_error");
    assert_eq!(server.simulator().session_count(), 1);

    // The key is scoped by Stripe-Account, and the version asked for is echoed: the headers
    // identity-mock hands the simulator (`HEADERS_READ`) reach it.
    let scoped = [
        ("Idempotency-Key", "order-42"),
        ("Stripe-Account", "acct_1Other"),
        ("Stripe-Version", "2024-06-20"),
    ];
    let elsewhere = call(&agent, &server, "POST", SESSIONS, "type=id_number", &scoped).unwrap();
    assert_eq!(elsewhere.status, 200, "{:?}", elsewhere.body);
    assert_ne!(elsewhere.body["id"], first.body["id"]);
    assert_eq!(elsewhere.header("Stripe-Version"), Some("2024-06-20"));
    assert_eq!(server.simulator().session_count(), 2);

    // Each request gets its own id, GETs included.
    let a = ok(&agent, &server, "GET", SESSIONS, "");
    let b = ok(&agent, &server, "GET", SESSIONS, "");
    assert_ne!(a.header("request-id"), b.header("request-id"));
}

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    use std::io::{BufRead, BufReader, Read, Write};
    let server = start_default();
    let mut stream = std::net::TcpStream::connect(server.local_addr()).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for i in 0..5 {
        let body = format!("type=document&metadata[i]={i}");
        write!(
            stream,
            "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["metadata"]["i"], i.to_string());
    }
    assert_eq!(server.simulator().session_count(), 5);
}
