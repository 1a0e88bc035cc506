//! The `identity-mock` binary: prints where it listens, serves, stops on SIGTERM and SIGINT,
//! refuses bad arguments and non-loopback addresses.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_identity-mock");

struct Running {
    child: Child,
    port: u16,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str]) -> Running {
    let mut child =
        Command::new(BIN).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawns");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let prefix = "identity-mock listening on http://127.0.0.1:";
    let port = line.trim().strip_prefix(prefix).unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    Running { port: port.parse().unwrap(), child }
}

fn signal(running: &mut Running, name: &str) -> std::process::ExitStatus {
    let status =
        Command::new("kill").args([&format!("-{name}"), &running.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(status) = running.child.try_wait().unwrap() {
            return status;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "did not stop on {name}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn get(port: u16) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let response = agent
        .get(&format!("http://127.0.0.1:{port}/v1/identity/verification_sessions"))
        .header("Authorization", "Bearer sk_test_123")
        .call()
        .unwrap();
    response.status().as_u16()
}

#[test]
fn prints_the_port_serves_and_stops_on_sigterm() {
    let mut running = spawn(&["--port", "0"]);
    assert_ne!(running.port, 0);
    assert_eq!(get(running.port), 200);
    let status = signal(&mut running, "TERM");
    assert!(status.success(), "{status:?}");
}

#[test]
fn stops_on_sigint() {
    let mut running = spawn(&["--port", "0", "--fault-rate", "0"]);
    assert_eq!(get(running.port), 200);
    assert!(signal(&mut running, "INT").success());
}

#[test]
fn refuses_bad_arguments_and_non_loopback_hosts() {
    for args in [
        &["--port", "0", "--fault-rate", "2"][..],
        &["--port", "0", "--faults", "404"],
        &["--port", "0", "--host", "0.0.0.0"],
        &["--port", "not-a-port"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?} was accepted");
        assert!(!out.stderr.is_empty());
    }
}
