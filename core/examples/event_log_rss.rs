//! The event log's memory under the workload that once pinned about 300 MB: one session with
//! the largest metadata the API allows (50 keys of 40 characters, values of 500 characters),
//! cycled through submit and fail through `Client::local()`. Prints the process's resident
//! memory before and after, and what the event log holds.
//!
//! ```text
//! cargo run --release -p stripe-identity --example event_log_rss -- [cycles] [--unbounded] [--code CODE]
//! ```
//!
//! `--unbounded` lifts the byte budget (the count bound alone, as before it existed). `--code`
//! is the failure code (default `document_expired`, which also writes a report per failure, as
//! the API keeps them; `abandoned` writes none, leaving the event log alone).

use std::sync::Arc;
use stripe_identity::engine::{Simulator, DEFAULT_EVENT_BYTES};
use stripe_identity::model::{LastErrorCode, RequestedVerificationType};
use stripe_identity::params::CreateVerificationSession;
use stripe_identity::{Client, Error};

/// Resident set size in MB, from `/proc/self/status` (Linux).
fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn show(label: &str) {
    match rss_mb() {
        Some(mb) => println!("{label:<28} RSS {mb:>8.1} MB"),
        None => println!("{label:<28} RSS unavailable (no /proc/self/status)"),
    }
}

fn main() -> Result<(), Error> {
    let mut cycles = 10_000usize;
    let mut unbounded = false;
    let mut code = "document_expired".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--unbounded" => unbounded = true,
            "--code" => code = args.next().unwrap_or(code),
            n => cycles = n.parse().unwrap_or(cycles),
        }
    }
    let budget = if unbounded { usize::MAX } else { DEFAULT_EVENT_BYTES };
    let simulator = Arc::new(Simulator::new().with_event_byte_budget(budget));
    let client = Client::local_with(simulator.clone());
    println!(
        "{cycles} submit/fail cycles ({code}) of one session with maximal metadata, event byte budget {}",
        if unbounded { "none".to_string() } else { format!("{} MiB", DEFAULT_EVENT_BYTES >> 20) }
    );
    show("before");

    let metadata = (0..50).map(|i| (format!("{i:0>40}"), "v".repeat(500))).collect();
    let params = CreateVerificationSession {
        r#type: Some(RequestedVerificationType::Document),
        metadata: Some(metadata),
        ..Default::default()
    };
    let id = client.verification_sessions().create(&params)?.id;
    let helpers = client.test_helpers();
    for _ in 0..cycles {
        helpers.submit(&id)?;
        helpers.fail(&id, LastErrorCode::parse(&code), None)?;
    }
    show("after");
    println!(
        "event log: {} events, {:.1} MB counted",
        simulator.events().len(),
        simulator.event_log_bytes() as f64 / 1e6
    );
    Ok(())
}
