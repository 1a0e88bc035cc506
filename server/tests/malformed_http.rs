//! Malformed HTTP over raw TCP: every case gets its status with the API's JSON error body
//! (`{"error":{"type":"invalid_request_error","message":...}}`, `Content-Type:
//! application/json`) and a closed connection, never an empty body or no answer; answers to good
//! requests around them keep their framing.

mod common;

use common::*;
use identity_mock::Server;
use serde_json::Value;
use std::time::Duration;

/// One parsed answer from raw bytes.
#[derive(Debug)]
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Splits `text` into the answers it holds (each framed by its `Content-Length`, none chunked).
fn answers(text: &[u8]) -> Vec<Raw> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        let Ok(httparse::Status::Complete(head_len)) = response.parse(rest) else {
            panic!("not an HTTP answer: {:?}", String::from_utf8_lossy(rest));
        };
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned()))
            .collect();
        // (Only the answer to a HEAD goes without; it has no body.)
        let length: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().expect("a length"));
        let status = response.code.expect("a status");
        let body = rest[head_len..head_len + length].to_vec();
        rest = &rest[head_len + length..];
        out.push(Raw { status, headers, body });
    }
    out
}

/// Sends `bytes` on a fresh connection and reads until the server closes it.
fn exchange(server: &Server, bytes: &[u8]) -> Vec<Raw> {
    let text = raw_exchange(server, bytes, Duration::from_secs(20));
    answers(text.as_bytes())
}

/// The answer is the API's JSON error with that status, and closes the connection.
#[track_caller]
fn assert_json_error(answer: &Raw, status: u16, words: &str) {
    assert_eq!(answer.status, status, "{answer:?}");
    assert_eq!(answer.header("content-type"), Some("application/json"), "{answer:?}");
    assert_eq!(answer.header("content-length"), Some(answer.body.len().to_string().as_str()), "{answer:?}");
    assert_eq!(answer.header("connection"), Some("close"), "{answer:?}");
    assert!(answer.header("request-id").is_some_and(|id| id.starts_with("req_")), "{answer:?}");
    let body: Value = serde_json::from_slice(&answer.body).expect("a JSON body");
    assert_eq!(body["error"]["type"], "invalid_request_error", "{body}");
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(message.contains(words), "{message:?} should say {words:?}");
}

fn still_serves(server: &Server) {
    let answer = ok(&agent(), server, "GET", SESSIONS, "limit=1");
    assert_eq!(answer.status, 200, "{:?}", answer.body);
}

const GOOD: &str = "GET /v1/identity/verification_sessions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \
                    sk_test_4eC39HqLyjWDarjtT1zdp7dc\r\n\r\n";

#[test]
fn each_malformed_request_gets_its_status_with_a_json_error() {
    let server = start_default();
    let many_headers: String = (0..101).map(|i| format!("X-H{i}: v\r\n")).collect();
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("bad request line", b"THIS IS NOT HTTP\r\n\r\n".to_vec(), 400, "Malformed HTTP request"),
        ("binary garbage", b"\x00\x01\x02\x03\xff\xfe\r\n\r\n".to_vec(), 400, "Malformed HTTP request"),
        ("no path", b"GET  HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), 400, "Malformed HTTP request"),
        (
            "bad header syntax",
            format!("GET {SESSIONS} HTTP/1.1\r\nBad Header Without Colon\r\n\r\n").into_bytes(),
            400,
            "Malformed HTTP request",
        ),
        (
            "over 100 headers",
            format!("GET {SESSIONS} HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n").into_bytes(),
            431,
            "at most 100 headers",
        ),
        (
            "URL too long (414)",
            format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000)).into_bytes(),
            414,
            "URL is too long",
        ),
        (
            "head too large (431)",
            format!("GET {SESSIONS} HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "a".repeat(500_000))
                .into_bytes(),
            431,
            "too large",
        ),
        (
            "bad Content-Length",
            format!("POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n").into_bytes(),
            400,
            "Content-Length",
        ),
        (
            "two Content-Lengths that differ",
            format!(
                "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"
            )
            .into_bytes(),
            400,
            "Content-Length",
        ),
        (
            "broken chunked body",
            format!(
                "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\
                 Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"
            )
            .into_bytes(),
            400,
            "chunked encoding is broken",
        ),
    ];
    for (name, bytes, status, words) in cases {
        let got = exchange(&server, &bytes);
        assert_eq!(got.len(), 1, "{name}: {got:?}");
        assert_json_error(&got[0], status, words);
        still_serves(&server);
    }
    assert_eq!(server.simulator().session_count(), 0);
}

#[test]
fn good_answers_before_a_malformed_request_keep_their_framing() {
    let server = start_default();
    // Two good requests, then garbage, pipelined in one write.
    let bytes = format!("{GOOD}{GOOD}GARBAGE\r\n\r\n");
    let got = exchange(&server, bytes.as_bytes());
    assert_eq!(got.len(), 3, "{got:?}");
    for answer in &got[..2] {
        assert_eq!(answer.status, 200);
        let body: Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(body["object"], "list");
    }
    assert_json_error(&got[2], 400, "Malformed HTTP request");
}

#[test]
fn head_and_expect_continue_answers_keep_the_stream_in_step() {
    let server = start_default();
    // A HEAD answer has no body; the answer after it must still be read right.
    let head = format!("HEAD {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\r\n");
    let mut stream = std::net::TcpStream::connect(server.local_addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    use std::io::{Read, Write};
    stream.write_all(format!("{head}{GOOD}BROKEN\r\n\r\n").as_bytes()).unwrap();
    let mut text = Vec::new();
    let _ = stream.read_to_end(&mut text);
    let got = answers(&text);
    assert_eq!(got.len(), 3, "{}", String::from_utf8_lossy(&text));
    assert!(got[0].body.is_empty());
    assert_eq!(got[1].status, 200);
    assert_json_error(&got[2], 400, "Malformed HTTP request");

    // `Expect: 100-continue` gets an interim `100 Continue`, then the answer.
    let body = "type=document";
    let request = format!(
        "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nExpect: 100-continue\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}GARBAGE\r\n\r\n",
        body.len()
    );
    let text = raw_exchange(&server, request.as_bytes(), Duration::from_secs(20));
    let rest = text.strip_prefix("HTTP/1.1 100 Continue\r\n\r\n").unwrap_or(&text);
    let got = answers(rest.as_bytes());
    assert_eq!(got.len(), 2, "{text}");
    assert_eq!(got[0].status, 200);
    assert_json_error(&got[1], 400, "Malformed HTTP request");
    assert_eq!(server.simulator().session_count(), 1);
}
