//! What `--data` costs: creates per second through this library's HTTP client against
//! identity-mock in process, state in memory and then in an SQLite file, from a few threads,
//! each create with its own idempotency key. Prints the rate of each and the file's size.
//!
//! ```text
//! cargo run --release -p stripe-identity-mock --example data_load -- [creates] [threads]
//! ```

use identity_mock::{Config, Server};
use std::time::Instant;
use stripe_identity::model::RequestedVerificationType;
use stripe_identity::params::CreateVerificationSession;
use stripe_identity::{Client, RequestOptions};

fn run(label: &str, config: Config, creates: usize, threads: usize) -> std::io::Result<()> {
    let server = Server::start(config)?;
    let url = server.url();
    let start = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let client = Client::builder("sk_test_dataload1234").base_url(url.as_str()).build();
            std::thread::spawn(move || {
                let client = client.expect("client builds");
                let vs = client.verification_sessions();
                let params = CreateVerificationSession {
                    r#type: Some(RequestedVerificationType::Document),
                    metadata: Some([("order", "42")].into_iter().collect()),
                    ..Default::default()
                };
                for i in (t..creates).step_by(threads) {
                    let opts =
                        RequestOptions { idempotency_key: Some(format!("load-{i}")), ..Default::default() };
                    vs.with_options(opts).create(&params).expect("create");
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("a load thread panicked");
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(server.simulator().session_count(), creates);
    println!(
        "{label:<10} {:>8.0} creates/s  ({creates} in {secs:.2} s, {threads} threads)",
        creates as f64 / secs
    );
    server.shutdown();
    Ok(())
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().ok());
    let creates = args.next().flatten().unwrap_or(20_000);
    let threads = args.next().flatten().unwrap_or(4).max(1);
    let base = Config { port: 0, ..Config::default() };
    run("memory", base.clone(), creates, threads)?;
    let dir = std::env::temp_dir().join(format!("identity-mock-data-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("state.db");
    run("--data", Config { data: Some(file.clone()), ..base }, creates, threads)?;
    let size = std::fs::metadata(&file)?.len();
    println!("data file  {:.1} MB for {creates} sessions with their events and keys", size as f64 / 1e6);
    std::fs::remove_dir_all(&dir)
}
