//! identity-mock under abuse: oversized bodies, garbage, slow and vanished clients, floods,
//! shutdown. Each gets an answer or a closed connection, and everyone else keeps being served.

mod common;

use common::*;
use identity_mock::{resolve, Config, Server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The server still answers a normal request.
fn still_serves(server: &Server) {
    let answer = ok(&agent(), server, "GET", SESSIONS, "limit=1");
    assert_eq!(answer.status, 200, "{:?}", answer.body);
}

#[test]
fn an_oversized_body_gets_413() {
    let server = start(Config { max_body_bytes: 1024, ..Config::default() });
    let agent = agent();
    // Declared too large: read and thrown away, then refused.
    let big = format!("type=document&metadata[k]={}", "x".repeat(4000));
    let answer = call(&agent, &server, "POST", SESSIONS, &big, &[]).expect("the 413, not a reset");
    assert_eq!(answer.status, 413);
    assert_eq!(answer.error("type"), "invalid_request_error");
    assert!(answer.error("message").as_str().unwrap().contains("too large"));
    // Chunked, so the size is only known while reading.
    let head = format!(
        "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nTransfer-Encoding: chunked\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    );
    let mut request = head.into_bytes();
    for _ in 0..4 {
        request.extend_from_slice(format!("400\r\n{}\r\n", "a".repeat(0x400)).as_bytes());
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let out = raw_exchange(&server, &request, Duration::from_secs(5));
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    assert_eq!(server.simulator().session_count(), 0);
    // A body just under the limit is fine.
    let answer =
        ok(&agent, &server, "POST", SESSIONS, &format!("type=document&metadata[k]={}", "x".repeat(400)));
    assert_eq!(answer.status, 200);
    still_serves(&server);
}

#[test]
fn a_malformed_request_gets_400() {
    let server = start_default();
    for garbage in [
        &b"THIS IS NOT HTTP\r\n\r\n"[..],
        b"GET /v1/identity/verification_sessions HTTP/9.9\r\n\r\n",
        b"\x00\x01\x02\x03\xff\xfe\r\n\r\n",
        b"GET  HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v1/identity/verification_sessions HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
    ] {
        let out = raw_exchange(&server, garbage, Duration::from_secs(5));
        assert!(out.starts_with("HTTP/1.1 400"), "{garbage:?} -> {out}");
        assert!(out.contains("\r\ncontent-type: application/json\r\n"), "{garbage:?} -> {out}");
        still_serves(&server);
    }
}

#[test]
fn a_slow_client_is_closed_after_the_header_timeout_while_others_are_served() {
    let server = start(Config { header_timeout: Duration::from_millis(1500), ..Config::default() });
    let mut slow = TcpStream::connect(server.local_addr()).unwrap();
    slow.write_all(b"GET /v1/identity/verification_sessions HTTP/1.1\r\nHost: x\r\nAuthor").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = Instant::now();
    // Meanwhile another client is served at once.
    still_serves(&server);
    assert!(started.elapsed() < Duration::from_millis(1500), "others waited for the slow client");
    let mut out = Vec::new();
    let _ = slow.read_to_end(&mut out);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(1000), "closed too early: {waited:?}");
    assert!(waited < Duration::from_secs(8), "not closed: {waited:?}");
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains("200 OK"), "{text}");
    still_serves(&server);
}

#[test]
fn a_slow_body_gets_408() {
    let server = start(Config { body_timeout: Duration::from_millis(500), ..Config::default() });
    let mut slow = TcpStream::connect(server.local_addr()).unwrap();
    write!(
        slow,
        "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Length: 100\r\n\r\ntype=doc"
    )
    .unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut out = Vec::new();
    let _ = slow.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert_eq!(server.simulator().session_count(), 0);
    still_serves(&server);
}

#[test]
fn a_vanished_client_does_not_disturb_the_server() {
    let server = start_default();
    for _ in 0..20 {
        // Half a body, then gone.
        let mut gone = TcpStream::connect(server.local_addr()).unwrap();
        write!(gone, "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Length: 50\r\n\r\ntype=")
            .unwrap();
        drop(gone);
        // A whole request, then gone before the answer.
        let mut gone = TcpStream::connect(server.local_addr()).unwrap();
        write!(gone, "GET {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\r\n").unwrap();
        drop(gone);
        // Connected and gone.
        drop(TcpStream::connect(server.local_addr()).unwrap());
    }
    still_serves(&server);
    assert_eq!(server.simulator().session_count(), 0);
}

#[test]
fn many_concurrent_connections_are_all_served() {
    let server = Arc::new(start_default());
    let served = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..64)
        .map(|i| {
            let server = server.clone();
            let served = served.clone();
            std::thread::spawn(move || {
                let agent = agent();
                for j in 0..5 {
                    let answer =
                        ok(&agent, &server, "POST", SESSIONS, &format!("type=document&metadata[n]={i}-{j}"));
                    assert_eq!(answer.status, 200);
                    served.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(served.load(Ordering::Relaxed), 320);
    assert_eq!(server.simulator().session_count(), 320);
}

#[test]
fn connections_beyond_the_bound_wait_their_turn() {
    // Four connections at once: the fifth waits until one closes, then is served.
    let server =
        start(Config { max_connections: 4, header_timeout: Duration::from_millis(800), ..Config::default() });
    let idle: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(server.local_addr()).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    // The idle ones are closed by the header timeout (or, the server being full, to make room),
    // which frees their slots.
    let answer = ok(&agent(), &server, "GET", SESSIONS, "");
    assert_eq!(answer.status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "served before a slot was free: {:?}",
        started.elapsed()
    );
    drop(idle);
    // A flood far beyond the bound is still served, a few at a time.
    let threads: Vec<_> = (0..40)
        .map(|_| {
            let addr = server.local_addr();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                write!(stream, "GET {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nConnection: close\r\n\r\n")
                    .unwrap();
                let mut out = String::new();
                let _ = stream.read_to_string(&mut out);
                out.starts_with("HTTP/1.1 200")
            })
        })
        .collect();
    let ok_count = threads.into_iter().map(|t| t.join().unwrap()).filter(|ok| *ok).count();
    assert_eq!(ok_count, 40);
}

#[test]
fn shutdown_through_the_handle_stops_serving() {
    let server = start_default();
    let addr = server.local_addr();
    still_serves(&server);
    // An idle keep-alive connection does not hold shutdown up.
    let idle = TcpStream::connect(addr).unwrap();
    let started = Instant::now();
    server.shutdown();
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    drop(idle);
    assert!(TcpStream::connect(addr).is_err(), "still listening after shutdown");
}

#[test]
fn dropping_the_server_stops_it_too() {
    let server = start_default();
    let addr = server.local_addr();
    drop(server);
    assert!(TcpStream::connect(addr).is_err());
}

#[test]
fn only_loopback_is_bound_unless_asked() {
    assert!(resolve("127.0.0.1", 0, false).unwrap().ip().is_loopback());
    assert!(resolve("localhost", 0, false).unwrap().ip().is_loopback());
    let err = resolve("0.0.0.0", 0, false).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
    assert!(Server::start(Config { host: "0.0.0.0".into(), port: 0, ..Config::default() }).is_err());
    // Asked explicitly: allowed (only resolved here; nothing is bound).
    assert!(!resolve("0.0.0.0", 0, true).unwrap().ip().is_loopback());
}

#[test]
fn the_default_address_is_the_documented_one() {
    let config = Config::default();
    assert_eq!((config.host.as_str(), config.port), ("127.0.0.1", 12111));
}
