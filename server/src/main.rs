//! `identity-mock`: the stripe-identity simulator over HTTP on loopback.
//!
//! ```text
//! identity-mock                      # http://127.0.0.1:12111
//! identity-mock --port 0             # a free port, printed on the first line
//! identity-mock --fault-rate 0.1 --fault-seed 7 --faults drop_after,500
//! identity-mock --data state.db      # state kept in an SQLite file across restarts
//! identity-mock --tls-cert cert.pem --tls-key key.pem   # https://127.0.0.1:12111
//! identity-mock --forward-to http://127.0.0.1:4242/webhook   # an endpoint for every event
//! identity-mock --public-url http://mock:12111   # where sessions' `url`s point (hosted page)
//! ```

use clap::Parser;
use identity_mock::faults::{parse_list, FaultConfig};
use identity_mock::{Config, Server, Tls, WebhookConfig, DEFAULT_HOST, DEFAULT_PORT};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use stripe_identity::backend::{Method, Request};

/// The stripe-identity simulator served over HTTP, shaped like the Stripe API.
#[derive(Debug, Parser)]
#[command(name = "identity-mock", version, about)]
struct Args {
    /// Host to bind (loopback only, unless --allow-non-loopback).
    #[arg(long, default_value = DEFAULT_HOST)]
    host: String,

    /// Port to bind; 0 picks a free port (printed on the first line).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    port: u16,

    /// Bind an address that is not loopback. The simulator has no real authentication.
    #[arg(long)]
    allow_non_loopback: bool,

    /// Share of requests (0..1) that get an injected fault.
    #[arg(long, default_value_t = 0.0, value_name = "F")]
    fault_rate: f64,

    /// Seed of the fault draw (random when absent; printed when faults are on).
    #[arg(long, value_name = "N")]
    fault_seed: Option<u64>,

    /// Faults to pick from: drop_before, drop_after, 500, 503, 429.
    #[arg(long, default_value = "drop_before,drop_after,500,503,429", value_name = "LIST")]
    faults: String,

    /// Largest request body, in bytes (larger: 413).
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    max_body_bytes: usize,

    /// Milliseconds allowed for a request head, and for an idle keep-alive connection.
    #[arg(long, default_value_t = 30_000, value_name = "MS")]
    header_timeout_ms: u64,

    /// Milliseconds allowed for a request body (slower: 408).
    #[arg(long, default_value_t = 30_000, value_name = "MS")]
    body_timeout_ms: u64,

    /// Milliseconds an answer may wait for the client to read it (then the connection closes).
    #[arg(long, default_value_t = 30_000, value_name = "MS")]
    write_timeout_ms: u64,

    /// Connections served at once (further ones wait and make room).
    #[arg(long, default_value_t = 512, value_name = "N")]
    max_connections: usize,

    /// While every connection is taken and another waits: milliseconds a connection may spend
    /// receiving one request or sending one answer before it is closed (idle ones: a tenth).
    #[arg(long, default_value_t = 1_000, value_name = "MS")]
    pressure_timeout_ms: u64,

    /// Requests served on one connection before it is closed.
    #[arg(long, default_value_t = 1_000, value_name = "N")]
    max_requests_per_connection: u32,

    /// Log one line per request to stderr.
    #[arg(long, short)]
    verbose: bool,

    /// Keep sessions, reports, events, idempotency keys and webhook endpoints in this SQLite
    /// file (created if absent), so a restart finds them; without it, state lives in memory.
    #[arg(long, value_name = "PATH")]
    data: Option<PathBuf>,

    /// Serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,

    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,

    /// Create a webhook endpoint for every event (`*`) posting to URL at start, and print its
    /// signing secret, as `stripe listen --forward-to` does.
    #[arg(long, value_name = "URL")]
    forward_to: Option<String>,

    /// Milliseconds before the first retry of a failed webhook delivery; each further retry
    /// waits twice as long (at most 64 times this).
    #[arg(long, default_value_t = 500, value_name = "MS")]
    webhook_retry_ms: u64,

    /// Attempts per webhook delivery, the first included; then it is given up (and logged).
    #[arg(long, default_value_t = 8, value_name = "N")]
    webhook_max_attempts: u32,

    /// Milliseconds one webhook attempt may take (a slower receiver counts as failed).
    #[arg(long, default_value_t = 5_000, value_name = "MS")]
    webhook_timeout_ms: u64,

    /// Webhook deliveries owed at once; beyond it new ones are dropped and logged.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    webhook_queue: usize,

    /// Base URL under which apps and browsers reach this server (e.g. http://mock:12111 in
    /// docker-compose): sessions' `url`s open the hosted page there. Default: the bound address.
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let kinds = match parse_list(&args.faults) {
        Ok(kinds) => kinds,
        Err(e) => return fail(&format!("--faults: {e}")),
    };
    if !(0.0..=1.0).contains(&args.fault_rate) {
        return fail(&format!("--fault-rate must be between 0 and 1, got {}", args.fault_rate));
    }
    let seed = args.fault_seed.unwrap_or_else(rand::random);
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => match Tls::from_files(cert, key) {
            Ok(tls) => Some(tls),
            Err(e) => return fail(&e.to_string()),
        },
        _ => None,
    };
    let config = Config {
        host: args.host,
        port: args.port,
        allow_non_loopback: args.allow_non_loopback,
        max_body_bytes: args.max_body_bytes,
        header_timeout: Duration::from_millis(args.header_timeout_ms.max(1)),
        body_timeout: Duration::from_millis(args.body_timeout_ms.max(1)),
        write_timeout: Duration::from_millis(args.write_timeout_ms.max(1)),
        max_connections: args.max_connections,
        pressure_timeout: Duration::from_millis(args.pressure_timeout_ms.max(1)),
        max_requests_per_connection: args.max_requests_per_connection,
        faults: FaultConfig { rate: args.fault_rate, seed, kinds: kinds.clone() },
        verbose: args.verbose,
        data: args.data.clone(),
        tls,
        webhooks: WebhookConfig {
            retry: Duration::from_millis(args.webhook_retry_ms),
            max_attempts: args.webhook_max_attempts.max(1),
            timeout: Duration::from_millis(args.webhook_timeout_ms.max(1)),
            queue: args.webhook_queue,
        },
        public_url: args.public_url.clone(),
        ..Config::default()
    };
    let server = match Server::start(config) {
        Ok(server) => server,
        Err(e) => return fail(&e.to_string()),
    };
    if args.fault_rate > 0.0 {
        let names: Vec<String> = kinds.iter().map(ToString::to_string).collect();
        eprintln!(
            "identity-mock: injecting faults into {}% of requests ({}), seed {seed}",
            args.fault_rate * 100.0,
            names.join(", ")
        );
    }
    if let Some(path) = &args.data {
        let sessions = server.simulator().session_count();
        let plural = if sessions == 1 { "" } else { "s" };
        eprintln!("identity-mock: state kept in {} ({sessions} session{plural} restored)", path.display());
    }
    println!("identity-mock listening on {}", server.url());
    if let Some(url) = &args.forward_to {
        match forward_to(&server, url) {
            Ok((id, secret)) => println!(
                "identity-mock forwarding every event to {url} ({id}); its webhook signing secret is {secret}"
            ),
            Err(e) => return fail(&format!("--forward-to: {e}")),
        }
    }
    let _ = std::io::stdout().flush();
    match server.wait_for_signal() {
        Ok(signal) => eprintln!("identity-mock: {signal} received, stopping"),
        Err(e) => eprintln!("identity-mock: cannot wait for signals ({e}), stopping"),
    }
    server.shutdown();
    ExitCode::SUCCESS
}

/// Creates the `--forward-to` endpoint through the API, and returns its id and secret.
fn forward_to(server: &Server, url: &str) -> Result<(String, String), String> {
    let params: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("url", url)
        .append_pair("enabled_events[]", "*")
        .append_pair("description", "identity-mock --forward-to")
        .finish();
    let answer = server.simulator().handle(&Request::new(Method::Post, "/v1/webhook_endpoints", params));
    let body: serde_json::Value = serde_json::from_slice(&answer.body).map_err(|e| e.to_string())?;
    match (answer.status, body["id"].as_str(), body["secret"].as_str()) {
        (200, Some(id), Some(secret)) => Ok((id.to_string(), secret.to_string())),
        _ => Err(body["error"]["message"].as_str().unwrap_or("the endpoint was not created").to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("identity-mock: {message}");
    ExitCode::from(2)
}
