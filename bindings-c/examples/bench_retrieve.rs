//! The Rust side of `make -C bindings-c bench`: the same retrieves as `bench/bench_retrieve.c`,
//! through `Client::local()` directly, typed and as JSON (the path the C API takes), so the C
//! API's own overhead is the difference.
//!
//! Usage: `cargo run --release -p stripe-identity-c --example bench_retrieve [retrieves per round]
//! [stored] [only: typed | json]`

use identity::client::Operation;
use identity::model::RequestedVerificationType;
use identity::params::{CreateVerificationSession, RetrieveVerificationSession};
use identity::{Client, Error, RequestOptions};
use serde_json::Value;
use std::hint::black_box;
use std::time::Instant;

/// The same deterministic generator as the C side, so both read the same ids.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Best of [`ROUNDS`] rounds of `n` operations: the machine is shared, and the fastest round is
/// the least disturbed.
const ROUNDS: usize = 5;

fn time(
    label: &str,
    n: u64,
    mut op: impl FnMut(&str) -> Result<usize, Error>,
    ids: &[String],
) -> Result<(), Error> {
    let mut best = f64::MAX;
    let mut sink = 0usize;
    for _ in 0..ROUNDS {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let start = Instant::now();
        for _ in 0..n {
            sink += op(&ids[(next(&mut seed) % ids.len() as u64) as usize])?;
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    black_box(sink);
    println!(
        "{label:<36} {:>8.0} ns/op  {:>10.0} ops/s   (best of {ROUNDS} x {n})",
        best * 1e9 / n as f64,
        n as f64 / best
    );
    Ok(())
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n = args.first().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let stored = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let only = args.get(2).map(String::as_str);
    let client = Client::local();
    let vs = client.verification_sessions();
    let create = CreateVerificationSession {
        r#type: Some(RequestedVerificationType::Document),
        metadata: Some([("order", "42")].into_iter().collect()),
        client_reference_id: Some("user_42".into()),
        ..Default::default()
    };
    let ids: Vec<String> = (0..stored).map(|_| vs.create(&create).map(|s| s.id)).collect::<Result<_, _>>()?;

    let params = RetrieveVerificationSession::default();
    if only != Some("json") {
        time("Rust retrieve (typed)", n, |id| Ok(vs.retrieve(id, &params)?.status.as_str().len()), &ids)?;
    }
    let opts = RequestOptions::default();
    if only == Some("typed") {
        return Ok(());
    }
    time(
        "Rust call_json(Retrieve)",
        n,
        |id| {
            let s = client.call_json(Operation::Retrieve, Some(id), Value::Null, &opts)?;
            Ok(s["status"].as_str().map_or(0, str::len))
        },
        &ids,
    )?;
    Ok(())
}
