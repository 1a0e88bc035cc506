//! Clients that hold connections without doing their part: pipelining requests and never
//! reading the answers, sitting idle, sending a head or a body a byte at a time. With every
//! slot taken by them, a new client must still be answered, long before their 30 s timeouts;
//! and a client that never reads is closed after the write timeout even when nobody waits.
//!
//! The outcomes are asserted (an answer, a closed connection, counts); the 20 s read timeouts
//! are only guards against a hang, and are below the server's 30 s head and body timeouts, so a
//! hog closed in time was closed to make room, not by those timeouts.

mod common;

use common::*;
use identity_mock::{Config, Server};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use stripe_identity::backend::{Method, Request};

const GUARD: Duration = Duration::from_secs(20);

/// Fills the simulator with `n` sessions of maximal metadata, so that one list answer of 100 is
/// about 2.7 MB and a few of them fill any socket buffer.
fn fill(server: &Server, n: usize) {
    let value = "v".repeat(500);
    let metadata: String = (0..50).map(|k| format!("&metadata[key_{k:02}]={value}")).collect();
    for _ in 0..n {
        let response = server.simulator().handle(&Request::new(
            Method::Post,
            SESSIONS,
            format!("type=document{metadata}"),
        ));
        assert_eq!(response.status, 200);
    }
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.local_addr()).expect("connect");
    stream.set_read_timeout(Some(GUARD)).unwrap();
    stream
}

fn list_request(limit: u32) -> String {
    format!("GET {SESSIONS}?limit={limit} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\r\n")
}

/// The kinds of connection that hold a slot without letting it go.
#[derive(Debug, Clone, Copy)]
enum Hog {
    /// Twenty big list requests pipelined in one write; no answer is ever read.
    Pipeliner,
    /// One request made and answered, then nothing (a keep-alive connection at rest).
    IdleKeepAlive,
    /// Connected, nothing sent.
    Silent,
    /// Half a request head.
    Slowloris,
    /// A whole head announcing 100 bytes of body, and 8 of them.
    SlowBody,
}

impl Hog {
    const ALL: [Hog; 5] = [Hog::Pipeliner, Hog::IdleKeepAlive, Hog::Silent, Hog::Slowloris, Hog::SlowBody];

    fn open(self, server: &Server) -> TcpStream {
        let mut stream = connect(server);
        match self {
            Hog::Pipeliner => stream.write_all(list_request(100).repeat(20).as_bytes()).unwrap(),
            Hog::IdleKeepAlive => {
                stream.write_all(list_request(1).as_bytes()).unwrap();
                read_one_answer(&mut stream);
            }
            Hog::Silent => {}
            Hog::Slowloris => {
                stream.write_all(format!("GET {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuth").as_bytes()).unwrap()
            }
            Hog::SlowBody => stream
                .write_all(
                    format!(
                        "POST {SESSIONS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\
                         Content-Length: 100\r\n\r\ntype=doc"
                    )
                    .as_bytes(),
                )
                .unwrap(),
        }
        stream
    }
}

/// Reads one answer (head and `Content-Length` body) and nothing more.
fn read_one_answer(stream: &mut TcpStream) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).expect("an answer");
        assert!(n > 0, "closed before the answer");
        got.extend_from_slice(&buf[..n]);
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .unwrap_or(0);
            if got.len() >= end + 4 + length {
                return;
            }
        }
    }
}

/// Whether the server has closed `stream`: reads what is left without waiting. (A connection
/// shed to make room is closed before the waiting client is served, so by the time that client
/// has its answer, the close is there to be read.)
fn closed_by_server(stream: &mut TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut sink = vec![0u8; 1 << 16];
    let closed = loop {
        match stream.read(&mut sink) {
            Ok(0) => break true,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => break false,
            Err(_) => break true,
        }
    };
    stream.set_nonblocking(false).unwrap();
    closed
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < GUARD, "still waiting for: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A fresh client's request is answered.
fn fresh_client_is_served(server: &Server) {
    let answer =
        call(&agent(), server, "GET", SESSIONS, "limit=1", &[]).expect("a fresh client gets an answer");
    assert_eq!(answer.status, 200, "{:?}", answer.body);
}

#[test]
fn pipeliners_that_never_read_do_not_lock_a_new_client_out() {
    // The probe: every slot held by a connection pipelining list requests it never reads, with
    // short head and body timeouts that do not help. Before the write bound and shedding, a new
    // client waited forever.
    let slots = 4;
    let server = start(Config {
        max_connections: slots,
        header_timeout: Duration::from_secs(2),
        body_timeout: Duration::from_secs(2),
        ..Config::default()
    });
    fill(&server, 100);
    let _hogs: Vec<TcpStream> = (0..slots).map(|_| Hog::Pipeliner.open(&server)).collect();
    wait_until("every slot taken", || server.open_connections() == slots);

    fresh_client_is_served(&server);
    assert!(server.shed_connections() >= 1);
    // And again, with the room the first one left behind taken back by another pipeliner.
    let _more = Hog::Pipeliner.open(&server);
    fresh_client_is_served(&server);
}

#[test]
fn every_kind_of_hog_makes_room_when_the_server_is_full() {
    for hog in Hog::ALL {
        let slots = 3;
        let server = start(Config { max_connections: slots, ..Config::default() });
        if matches!(hog, Hog::Pipeliner) {
            fill(&server, 100);
        }
        let mut hogs: Vec<TcpStream> = (0..slots).map(|_| hog.open(&server)).collect();
        wait_until("every slot taken", || server.open_connections() == slots);

        fresh_client_is_served(&server);
        assert_eq!(server.shed_connections(), 1, "{hog:?}: one connection makes room for one");
        // One hog was closed to make room, well before its own 30 s timeout.
        let closed = hogs.iter_mut().map(closed_by_server).filter(|closed| *closed).count();
        assert_eq!(closed, 1, "{hog:?}: one hog was closed");
    }
}

#[test]
fn idle_connections_are_closed_before_stuck_ones() {
    // A long pressure timeout, so only the idle one (after a tenth of it) can be picked.
    let server =
        start(Config { max_connections: 4, pressure_timeout: Duration::from_secs(5), ..Config::default() });
    let mut slowloris = Hog::Slowloris.open(&server);
    let mut slow_body = Hog::SlowBody.open(&server);
    let mut silent = Hog::Silent.open(&server);
    let mut idle = Hog::IdleKeepAlive.open(&server);
    wait_until("every slot taken", || server.open_connections() == 4);

    fresh_client_is_served(&server);
    assert_eq!(server.shed_connections(), 1);
    assert!(closed_by_server(&mut idle), "the idle keep-alive connection goes first");
    for stream in [&mut slowloris, &mut slow_body, &mut silent] {
        assert!(!closed_by_server(stream), "a stuck connection was closed although an idle one made room");
    }
}

#[test]
fn a_client_that_never_reads_is_closed_after_the_write_timeout() {
    // Nobody waits for a slot here: only the write bound closes it.
    let server = start(Config { write_timeout: Duration::from_millis(300), ..Config::default() });
    fill(&server, 100);
    let mut hog = Hog::Pipeliner.open(&server);
    wait_until("the connection is served", || server.open_connections() == 1);
    wait_until("the connection is closed", || server.open_connections() == 0);
    assert_eq!(server.shed_connections(), 0);
    // Reading drains what was written before the close, then meets it (not the guard).
    let mut sink = vec![0u8; 1 << 16];
    let closed = loop {
        match hog.read(&mut sink) {
            Ok(0) => break true,
            Ok(_) => {}
            Err(e) => break e.kind() != ErrorKind::WouldBlock && e.kind() != ErrorKind::TimedOut,
        }
    };
    assert!(closed);
    fresh_client_is_served(&server);
}

#[test]
fn a_connection_serves_a_bounded_number_of_requests() {
    let server = start(Config { max_requests_per_connection: 3, ..Config::default() });
    let mut stream = connect(&server);
    stream.write_all(list_request(1).repeat(5).as_bytes()).unwrap();
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3, "{text}");
    let last = text.rsplit("HTTP/1.1 200 OK").next().unwrap().to_ascii_lowercase();
    assert!(last.contains("connection: close"), "{last}");
}
