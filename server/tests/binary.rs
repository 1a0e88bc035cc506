//! The `identity-mock` binary: prints where it listens, serves, stops on SIGTERM and SIGINT,
//! refuses bad arguments and non-loopback addresses; `--forward-to` makes an endpoint and
//! delivers to it.

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

#[test]
fn forward_to_makes_an_endpoint_prints_its_secret_and_delivers_signed_events() {
    let receiver = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/webhook", receiver.server_addr());
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--forward-to", &url, "--webhook-retry-ms", "10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).unwrap();
    out.read_line(&mut second).unwrap();
    let port: u16 = first.trim().rsplit(':').next().unwrap().parse().unwrap();
    let mut running = Running { child, port };
    assert!(second.starts_with(&format!("identity-mock forwarding every event to {url} (we_")), "{second:?}");
    let secret = second.trim().rsplit(' ').next().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{second:?}");

    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let created = agent
        .post(&format!("http://127.0.0.1:{port}/v1/identity/verification_sessions"))
        .header("Authorization", "Bearer sk_test_123")
        .content_type("application/x-www-form-urlencoded")
        .send("type=document")
        .unwrap();
    assert_eq!(created.status().as_u16(), 200);
    let mut request = receiver.recv_timeout(Duration::from_secs(20)).unwrap().expect("a delivery");
    let mut body = Vec::new();
    request.as_reader().read_to_end(&mut body).unwrap();
    let signature = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Stripe-Signature"))
        .map(|h| h.value.as_str().to_string())
        .expect("signed");
    let t: i64 = signature.split(',').find_map(|kv| kv.strip_prefix("t=")).unwrap().parse().unwrap();
    let v1 = signature.split(',').find_map(|kv| kv.strip_prefix("v1=")).unwrap();
    assert_eq!(v1, stripe_identity::webhook::compute_signature(&body, &secret, t));
    let event: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(event["type"], "identity.verification_session.created");
    request.respond(tiny_http::Response::empty(200)).unwrap();
    // Keep stdout open until the end: the binary may print more.
    drop(out);
    assert!(signal(&mut running, "TERM").success());
}
