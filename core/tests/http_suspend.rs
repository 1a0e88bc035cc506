//! Calls of the HTTP backend run suspended (`http::suspend`), driven by a small event loop of
//! this test's (a `poll` per wait, as Node's libuv does for the binding), against tiny_http on
//! loopback. The checks are on what the calls wait for and what the server saw, not on time.
//! Built with the core's `suspend` feature (the workspace's builds have it: the Node binding
//! turns it on); without it this file is empty, so a package of the core without its tests
//! still builds.
#![cfg(all(unix, feature = "suspend"))]

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use stripe_identity::http::suspend::{start, Step, Wait};
use stripe_identity::{Client, Error};

const KEY: &str = "sk_test_suspend1234";

/// What a driven call waited for, in order: `R` readable, `W` writable, `S` sleep, `O` offload.
type Waits = String;

/// Runs a call to its end: polls the socket it waits on (giving up at its deadline), sleeps,
/// runs offloaded work on a thread. Like libuv, it leaves a watched socket non-blocking.
fn drive<T>(step: Step<T>) -> (T, Waits) {
    drive_seeing(step, |_| {})
}

/// [`drive`], showing `see` each wait before it is waited out.
fn drive_seeing<T>(mut step: Step<T>, mut see: impl FnMut(&Wait)) -> (T, Waits) {
    let mut waits = String::new();
    loop {
        match step {
            Step::Done(value) => return (value, waits),
            Step::Waiting(call, wait) => {
                see(&wait);
                waits.push(settle(wait));
                step = call.resume();
            }
        }
    }
}

/// Waits out one wait; its letter.
fn settle(wait: Wait) -> char {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    use std::os::fd::BorrowedFd;
    let (fd, until, flags, letter) = match wait {
        Wait::Readable { fd, until, .. } => (fd, until, PollFlags::IN, 'R'),
        Wait::Writable { fd, until } => (fd, until, PollFlags::OUT, 'W'),
        Wait::Sleep(d) => {
            thread::sleep(d);
            return 'S';
        }
        Wait::Offload(work) => {
            thread::spawn(work).join().unwrap();
            return 'O';
        }
    };
    // SAFETY: the suspended call owns the socket and keeps it open while it waits.
    let fd = unsafe { BorrowedFd::borrow_raw(fd) };
    rustix::io::ioctl_fionbio(fd, true).unwrap();
    let left = until.map(|u| u.saturating_duration_since(Instant::now()));
    let ts = left.map(|d| Timespec { tv_sec: d.as_secs() as _, tv_nsec: d.subsec_nanos() as _ });
    let mut fds = [PollFd::new(&fd, flags)];
    poll(&mut fds, ts.as_ref()).unwrap();
    letter
}

/// tiny_http on loopback answering every request with a session named by its path, after
/// `gather` requests have arrived (answered together), or at once when `gather` is 1. The
/// first `fail_first` requests get a 500.
fn server(gather: usize, fail_first: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let srv = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", srv.server_addr().to_ip().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    thread::spawn(move || {
        let mut n = 0;
        loop {
            let mut batch = Vec::new();
            while batch.len() < gather {
                // A call that never comes ends the batch: the test then fails on its count.
                match srv.recv_timeout(Duration::from_secs(10)) {
                    Ok(Some(request)) => batch.push(request),
                    _ => break,
                }
            }
            if batch.is_empty() {
                return;
            }
            let together = batch.len();
            for request in batch {
                n += 1;
                let id = request.url().rsplit('/').next().unwrap_or_default().to_string();
                log.lock().unwrap().push(format!("{} {} (batch of {together})", request.method(), id));
                let status = if n <= fail_first { 500 } else { 200 };
                let body = format!(
                    r#"{{"id":"{id}","object":"identity.verification_session","created":1,"livemode":false,"status":"requires_input","type":"document","metadata":{{}}}}"#
                );
                let _ = request.respond(tiny_http::Response::from_string(body).with_status_code(status));
            }
        }
    });
    (url, seen)
}

fn client(url: &str) -> Client {
    Client::builder(KEY).base_url(url).build().unwrap()
}

fn retrieve(client: &Client, id: &str) -> Step<Result<String, Error>> {
    let (client, id) = (client.clone(), id.to_string());
    start(move || client.verification_sessions().retrieve(&id, &Default::default()).map(|s| s.id))
}

#[test]
fn calls_wait_for_their_socket_instead_of_blocking() {
    let (url, seen) = server(1, 0);
    let c = client(&url);
    let (first, waits) = drive(retrieve(&c, "vs_a"));
    assert_eq!(first.unwrap(), "vs_a");
    assert!(waits.ends_with('R'), "the answer was waited for, not blocked on: {waits}");
    for id in ["vs_b", "vs_c"] {
        let (answer, waits) = drive(retrieve(&c, id));
        assert_eq!(answer.unwrap(), id);
        // A kept-alive connection: no connection to wait for, one wait for the answer.
        assert_eq!(waits, "R");
    }
    // The socket the driver made non-blocking still serves a blocking call.
    assert_eq!(c.verification_sessions().retrieve("vs_d", &Default::default()).unwrap().id, "vs_d");
    assert_eq!(seen.lock().unwrap().len(), 4);
}

#[test]
fn calls_suspended_on_one_thread_are_in_flight_together() {
    // The server answers only once it holds four requests: four blocking calls on one thread
    // could never get there.
    let (url, seen) = server(4, 0);
    let c = client(&url);
    let mut pending: Vec<_> = ["vs_1", "vs_2", "vs_3", "vs_4"].iter().map(|id| retrieve(&c, id)).collect();
    let mut answers = Vec::new();
    while !pending.is_empty() {
        let mut still = Vec::new();
        for step in pending {
            match step {
                Step::Done(answer) => answers.push(answer.unwrap()),
                Step::Waiting(call, wait) => {
                    settle_briefly(wait);
                    still.push(call.resume());
                }
            }
        }
        pending = still;
    }
    answers.sort();
    assert_eq!(answers, ["vs_1", "vs_2", "vs_3", "vs_4"]);
    let seen = seen.lock().unwrap();
    assert!(seen.iter().all(|s| s.ends_with("(batch of 4)")), "{seen:?}");
}

/// A round-robin driver's wait: a short poll, so one call's wait does not hold up the others.
fn settle_briefly(wait: Wait) {
    match wait {
        Wait::Readable { fd, .. } | Wait::Writable { fd, .. } => {
            settle(Wait::Readable { fd, socket: 0, until: Some(Instant::now() + Duration::from_millis(5)) });
        }
        other => {
            settle(other);
        }
    }
}

#[test]
fn a_retry_waits_for_its_backoff_through_the_caller() {
    let (url, seen) = server(1, 1);
    let c = client(&url);
    let (answer, waits) = drive(retrieve(&c, "vs_retry"));
    assert_eq!(answer.unwrap(), "vs_retry");
    assert!(waits.contains('S'), "the pause before the retry was the caller's: {waits}");
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[test]
fn a_deadline_ends_a_wait_that_the_server_never_answers() {
    // Accepts, reads, never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let c = Client::builder(KEY)
        .base_url(&url)
        .timeout(Duration::from_millis(200))
        .max_network_retries(0)
        .build()
        .unwrap();
    let (answer, waits) = drive(retrieve(&c, "vs_never"));
    let e = answer.unwrap_err();
    assert!(e.to_string().contains("timeout"), "{e}");
    assert!(waits.contains('R'), "{waits}");
}

#[test]
fn a_host_name_is_looked_up_off_the_calling_thread() {
    let (url, _) = server(1, 0);
    let port = url.rsplit(':').next().unwrap();
    let c = client(&format!("http://localhost:{port}"));
    let (answer, waits) = drive(retrieve(&c, "vs_named"));
    assert_eq!(answer.unwrap(), "vs_named");
    assert!(waits.starts_with('O'), "the lookup ran elsewhere: {waits}");
}

/// The sockets a call's reads waited on, as (descriptor, name).
fn read_sockets<T>(step: Step<T>) -> (T, Vec<(i32, u64)>) {
    let mut sockets = Vec::new();
    let (value, _) = drive_seeing(step, |wait| {
        if let Wait::Readable { fd, socket, .. } = wait {
            sockets.push((*fd, *socket));
        }
    });
    (value, sockets)
}

#[test]
fn a_kept_alive_connection_keeps_its_socket_name_and_another_has_its_own() {
    let (url, _) = server(1, 0);
    let c = client(&url);
    let (answer, first) = read_sockets(retrieve(&c, "vs_a"));
    assert_eq!(answer.unwrap(), "vs_a");
    let (answer, second) = read_sockets(retrieve(&c, "vs_b"));
    assert_eq!(answer.unwrap(), "vs_b");
    assert!(!first.is_empty() && !second.is_empty(), "{first:?} {second:?}");
    // One connection, kept alive: one descriptor and one name across both calls.
    let all: std::collections::BTreeSet<_> = first.iter().chain(&second).collect();
    assert_eq!(all.len(), 1, "{first:?} {second:?}");
    // Another client's connection (another pool) is named apart, whatever its descriptor.
    let (answer, other) = read_sockets(retrieve(&client(&url), "vs_c"));
    assert_eq!(answer.unwrap(), "vs_c");
    assert!(other.iter().all(|(_, socket)| *socket != first[0].1), "{first:?} {other:?}");
}
