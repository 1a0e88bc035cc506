//! A loopback HTTP/1.1 server that answers every request with the same VerificationSession
//! JSON (or, for a list path, a page of ten of them), so a benchmark measures the clients and
//! not the server: every client measured against it pays the same, near-zero, server cost.
//! Keep-alive, one thread per connection, std only. The Python and Node benchmarks use it.
//!
//! `cargo run --release -p stripe-identity-mock --example fixed-server -- [--port N]
//! [--delay-ms MS]` (port 0, the default: a free port) prints `fixed-server listening on
//! http://127.0.0.1:PORT` and serves until killed. `--delay-ms` holds each answer that long, as
//! a remote API's round trip would, so that a benchmark sees how many calls a client keeps on
//! the wire at once.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

const SESSION: &str = r#"{"id":"vs_1NuN4jGhDmbCGbKJVWxMCR4x","object":"identity.verification_session","client_reference_id":null,"client_secret":"vs_1NuN4jGhDmbCGbKJVWxMCR4x_secret_live_YWNjdF8xTnVOMnNHaERtYkNHYktK","created":1700000000,"last_error":null,"last_verification_report":null,"livemode":false,"metadata":{"order":"42"},"options":{"document":{"require_matching_selfie":true}},"redaction":null,"related_customer":null,"related_customer_account":null,"status":"requires_input","type":"document","url":"https://verify.stripe.com/start/test_YWNjdF8xTnVOMnNHaERtYkNHYktK"}"#;

fn main() {
    let mut port = 0u16;
    let mut delay = Duration::ZERO;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--port", Some(p)) => port = p.parse().expect("--port takes a number"),
            ("--delay-ms", Some(ms)) => {
                delay = Duration::from_millis(ms.parse().expect("--delay-ms takes a number"))
            }
            _ => panic!("usage: fixed-server [--port N] [--delay-ms MS]"),
        }
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    println!("fixed-server listening on http://{addr}");
    let list = format!(
        r#"{{"object":"list","url":"/v1/identity/verification_sessions","has_more":true,"data":[{}]}}"#,
        [SESSION; 10].join(",")
    );
    let session: &'static [u8] = response(SESSION).leak();
    let list: &'static [u8] = response(&list).leak();
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || serve(stream, session, list, delay));
    }
}

fn response(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Request-Id: req_fixed\r\nStripe-Version: 2026-10-28.endive\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads requests (headers, then `Content-Length` bytes of body) and answers each, `delay`
/// after it came.
fn serve(stream: TcpStream, session: &[u8], list: &[u8], delay: Duration) {
    let _ = stream.set_nodelay(true);
    let mut out = match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        // `GET /v1/identity/verification_sessions?limit=10 HTTP/1.1`: a list has no id.
        let path = line.split_whitespace().nth(1).unwrap_or("");
        let path = path.split('?').next().unwrap_or("");
        let is_list =
            line.starts_with("GET ") && path.trim_end_matches('/').ends_with("verification_sessions");
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            match reader.read_line(&mut header) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if header == "\r\n" || header == "\n" {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        if out.write_all(if is_list { list } else { session }).is_err() {
            return;
        }
    }
}
