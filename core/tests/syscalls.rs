//! System calls per call on a kept-alive connection, counted by `strace` attached to the
//! calling thread alone (the loopback server's threads are not traced). A count, not a time:
//! a retrieve or a create makes one liveness peek, one send and one receive, and this test
//! fails above three per call (a create's generated idempotency key takes none).
//!
//! Linux only, and only where `strace` can attach (`make tools` installs it when it is
//! missing); elsewhere the test says why it did not count and passes.

#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;
use stripe_identity::{model::RequestedVerificationType, params::CreateVerificationSession, Client};

const CALLS: usize = 500;
const BOUND_PER_CALL: usize = 3;
/// The thread's CSPRNG (idempotency keys) seeds itself from the kernel on first use and reseeds
/// now and then: a few `getrandom` calls over the whole run, not one per call.
const SLACK: usize = CALLS / 100;

/// A loopback server that answers every request with the same session.
fn fixed_answer_server() -> (String, Arc<tiny_http::Server>) {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind loopback"));
    let port = server.server_addr().to_ip().expect("an IP listener").port();
    let srv = server.clone();
    let body = r#"{"id":"vs_1","object":"identity.verification_session","client_reference_id":null,
        "client_secret":null,"created":1700000000,"last_error":null,"last_verification_report":null,
        "livemode":false,"metadata":{},"options":{},"redaction":null,"status":"requires_input",
        "type":"document","url":null}"#;
    thread::spawn(move || {
        while let Ok(mut request) = srv.recv() {
            let mut sink = Vec::new();
            let _ = request.as_reader().read_to_end(&mut sink);
            let json = tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..]).unwrap();
            let _ = request.respond(tiny_http::Response::from_string(body).with_header(json));
        }
    });
    (format!("http://127.0.0.1:{port}"), server)
}

/// The names of the system calls in an strace log, between two marker calls.
fn calls_between_markers(log: &str, begin: &str, end: &str) -> Vec<String> {
    let mut inside = false;
    let mut names = Vec::new();
    for line in log.lines() {
        if line.contains(begin) {
            inside = true;
            continue;
        }
        if line.contains(end) {
            break;
        }
        // Lines such as "--- SIGCHLD ..." or "<... read resumed>" are not calls of their own.
        if inside && !line.starts_with("---") && !line.starts_with("<...") {
            if let Some((name, _)) = line.split_once('(') {
                names.push(name.trim().to_string());
            }
        }
    }
    names
}

#[test]
fn a_kept_alive_retrieve_or_create_makes_at_most_three_system_calls() {
    let (url, server) = fixed_answer_server();
    let client = Client::builder("sk_test_123").base_url(&url).build().unwrap();
    let sessions = client.verification_sessions();
    // The connection is opened and pooled before counting.
    for _ in 0..3 {
        sessions.retrieve("vs_1", &Default::default()).unwrap();
    }

    let tid = std::fs::read_link("/proc/thread-self").unwrap();
    let tid = tid.file_name().unwrap().to_string_lossy().into_owned();
    let log = std::env::temp_dir().join(format!("stripe-identity-syscalls-{tid}.log"));
    let strace = Command::new("strace")
        .args(["-qq", "-s", "8", "-e", "trace=all", "-o"])
        .arg(&log)
        .args(["-p", &tid])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut strace) = strace else {
        eprintln!("SKIPPED: strace is not installed (`make tools` installs it); nothing was counted");
        return;
    };
    // `-qq` keeps strace silent once it is attached; an attach it cannot make ends it, with the
    // reason on stderr. This thread makes a marker call until another thread, not traced, sees
    // it in the log (reading the log from a traced thread would feed the log).
    let seen = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (seen, log) = (seen.clone(), log.clone());
        thread::spawn(move || {
            for _ in 0..500 {
                if std::fs::read_to_string(&log).is_ok_and(|l| l.contains("syscalls-probe")) {
                    seen.store(true, std::sync::atomic::Ordering::SeqCst);
                    return;
                }
                thread::sleep(std::time::Duration::from_millis(10));
            }
        })
    };
    while !watcher.is_finished() && !seen.load(std::sync::atomic::Ordering::SeqCst) {
        let _ = std::fs::metadata("/stripe-identity-syscalls-probe");
        thread::sleep(std::time::Duration::from_millis(10));
    }
    let attached = seen.load(std::sync::atomic::Ordering::SeqCst);
    if !attached || strace.try_wait().unwrap().is_some() {
        let _ = strace.kill();
        let _ = strace.wait();
        let mut why = String::new();
        if let Some(err) = strace.stderr.take() {
            BufReader::new(err).lines().map_while(Result::ok).for_each(|l| why.push_str(&l));
        }
        eprintln!("SKIPPED: strace could not attach to this thread ({why}); nothing was counted");
        let _ = std::fs::remove_file(&log);
        return;
    }

    let _ = std::fs::metadata("/stripe-identity-syscalls-begin");
    for _ in 0..CALLS {
        sessions.retrieve("vs_1", &Default::default()).unwrap();
    }
    let _ = std::fs::metadata("/stripe-identity-syscalls-end");
    let params =
        CreateVerificationSession { r#type: Some(RequestedVerificationType::Document), ..Default::default() };
    let _ = std::fs::metadata("/stripe-identity-syscalls-create-begin");
    for _ in 0..CALLS {
        sessions.create(&params).unwrap();
    }
    let _ = std::fs::metadata("/stripe-identity-syscalls-create-end");
    // SIGINT makes strace detach and flush its log; SIGKILL could lose the end of it.
    let _ = Command::new("kill").args(["-INT", &strace.id().to_string()]).status();
    let _ = strace.wait();
    server.unblock();

    let text = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    for (what, begin, end) in [
        ("retrieves", "syscalls-begin", "syscalls-end"),
        ("creates", "syscalls-create-begin", "syscalls-create-end"),
    ] {
        let calls = calls_between_markers(&text, begin, end);
        let mut by_name = std::collections::BTreeMap::<&str, usize>::new();
        for name in &calls {
            *by_name.entry(name.as_str()).or_default() += 1;
        }
        eprintln!("{CALLS} {what} on one kept-alive connection: {} system calls {by_name:?}", calls.len());
        assert!(calls.len() >= CALLS * 2, "every call sends and receives: was the log read? {by_name:?}");
        assert!(
            calls.len() <= CALLS * BOUND_PER_CALL + SLACK,
            "{} system calls for {CALLS} {what}, more than {BOUND_PER_CALL} per call: {by_name:?}",
            calls.len()
        );
    }
}
