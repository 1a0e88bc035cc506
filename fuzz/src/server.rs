//! `server_http`: identity-mock's HTTP parsing and service (hyper, `server/src/service.rs`) on
//! any bytes a client could send on one connection, through the same connection settings as a
//! TCP connection (`identity_mock::serve_connection`) over an in-memory pipe.
//!
//! Input: the raw bytes of the connection (`\n` line ends are sent as they are; seeds use
//! `\r\n`). They are written in full and everything the server sends back is read until it
//! closes the connection, which it must do on its own once its idle or body timeout passes.
//!
//! Checked beyond "no panic": the server closes the connection within a bound (no hang); what
//! it sends is a sequence of HTTP/1.1 responses, each whole, and every JSON one is a JSON object
//! (an error object with a type and a message when its status is not 200).

use identity::engine::{ManualClock, Simulator};
use identity_mock::slots::Tracked;
use identity_mock::{serve_connection, App, Config};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Longest an exchange may take, in the runtime's paused time, before it counts as a hang:
/// far more than a connection can last once its input is all sent (its idle or body timeout).
const HANG: Duration = Duration::from_secs(60);

/// The server's settings, with a small body limit so inputs of a few KB can cross it.
fn config() -> Config {
    Config {
        max_body_bytes: 2048,
        header_timeout: Duration::from_secs(2),
        body_timeout: Duration::from_secs(2),
        ..Config::default()
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let config = config();
    let simulator =
        Arc::new(Simulator::with_clock(Arc::new(ManualClock::new(crate::START).expect("a time in range"))));
    let app = Arc::new(App {
        simulator,
        faults: None,
        max_body_bytes: config.max_body_bytes,
        body_timeout: config.body_timeout,
        max_requests_per_connection: config.max_requests_per_connection,
        verbose: false,
    });
    // Paused time: once the server waits for more input, the clock jumps to its next timeout,
    // so a run ends as soon as the server gives up on the connection, and always the same way.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a runtime");
    let output = runtime.block_on(async {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let tracked = Arc::new(Tracked::new(std::time::Instant::now()));
        let connection = serve_connection(server, app, tracked, &config);
        let exchange = async {
            // The write side stays open, as most clients keep it: hyper drops a request still in
            // flight when it reads the end of the input (`half_close(false)`), so closing it
            // would leave the last request unserved. The server closes the connection itself,
            // when the idle or body timeout passes.
            let (mut reader, mut writer) = tokio::io::split(client);
            let write = async {
                let _ = writer.write_all(data).await;
                writer
            };
            let mut output = Vec::new();
            let read = reader.read_to_end(&mut output);
            let (_, _writer, _) = tokio::join!(connection, write, read);
            output
        };
        tokio::time::timeout(HANG, exchange).await
    });
    let output = output.unwrap_or_else(|_| panic!("the connection was still open after {HANG:?}"));
    check(&output);
}

/// What the server sent is whole HTTP/1.1 responses with JSON bodies of the API's shape.
fn check(mut output: &[u8]) {
    while !output.is_empty() {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        let head_len = match response.parse(output) {
            Ok(httparse::Status::Complete(n)) => n,
            other => panic!("not an HTTP response ({other:?}): {:?}", String::from_utf8_lossy(output)),
        };
        let status = response.code.expect("a complete head has a status");
        let header =
            |name: &str| response.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value);
        // Interim answers (`100 Continue`) have no body.
        let length: usize = if status < 200 {
            0
        } else {
            header("content-length")
                .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
                .unwrap_or_else(|| panic!("a {status} without Content-Length"))
        };
        let body = output
            .get(head_len..head_len + length)
            .unwrap_or_else(|| panic!("a {status} cut short: {:?}", String::from_utf8_lossy(output)));
        if header("content-type") == Some(b"application/json") {
            let json: Value = serde_json::from_slice(body)
                .unwrap_or_else(|e| panic!("a {status} whose body is not JSON ({e}): {body:?}"));
            assert!(json.is_object(), "a {status} whose body is not an object: {json}");
            if status != 200 {
                let error = &json["error"];
                assert!(error["type"].is_string(), "a {status} without an error type: {json}");
                assert!(error["message"].is_string(), "a {status} without a message: {json}");
            }
        }
        output = &output[head_len + length..];
    }
}
