//! Reliability figures for identity-mock: throughput and latency under a bounded load while idle
//! and slow connections hold slots, and the server's memory over many creates and retrieves.
//!
//! ```text
//! make reliability
//! cargo run --release -p stripe-identity-mock --example load -- [--connections 16] [--requests 60000]
//! ```
//!
//! It runs the release `identity-mock` binary (next to this example in `target/release/`, or
//! `--bin PATH`) as a child process on a free loopback port, four times:
//!
//! 0. **Baseline**: the same load with nothing else connected.
//! 1. **Held slots**: `--max-connections 64`; 16 connections that sent nothing, 8 keep-alive
//!    connections at rest and 8 sending a head a byte at a time hold 32 slots while N load
//!    connections make a bounded number of requests (70% retrieve, 20% create with an
//!    `Idempotency-Key`, 10% list of 10).
//! 2. **Full server**: `--max-connections` = N + 16; the same kinds of hog hold every free slot
//!    first and reconnect as soon as they are closed, so the server stays full and the load
//!    connections (new connections, then keep-alive) must be given room.
//! 3. **Memory**: the resident set of the server process (`VmRSS`) when started, after 100,000
//!    creates (each with its `Idempotency-Key`, as the SDKs send), and after 200,000 retrieves.
//!
//! The load runs on this machine beside the server, so both share its cores; figures are for
//! comparison between runs, not an absolute capacity. Everything is bounded by counts, and every
//! connection is to 127.0.0.1.

use clap::Parser;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const KEY: &str = "sk_test_load4242";
const SESSIONS: &str = "/v1/identity/verification_sessions";

#[derive(Debug, Parser)]
#[command(about = "identity-mock reliability figures")]
struct Args {
    /// Load connections (one thread each).
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Requests made by the load in each of the first two runs.
    #[arg(long, default_value_t = 60_000)]
    requests: usize,
    /// Creates, then retrieves are twice as many, in the memory run.
    #[arg(long, default_value_t = 100_000)]
    creates: usize,
    /// The identity-mock binary (default: next to this example).
    #[arg(long)]
    bin: Option<PathBuf>,
}

fn main() {
    let args = Args::parse();
    let bin = args.bin.clone().unwrap_or_else(default_bin);
    assert!(bin.exists(), "no identity-mock at {} (build it with --release, or pass --bin)", bin.display());
    println!("identity-mock: {}", bin.display());
    println!(
        "load: {} connections, {} requests per run, ureq keep-alive clients\n",
        args.connections, args.requests
    );

    let baseline = no_hogs(&bin, &args);
    let held = held_slots(&bin, &args);
    let full = full_server(&bin, &args);
    println!("| run | requests | errors | req/s | p50 | p99 | max | hog connections closed by the server |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (name, run) in [
        ("no hogs (baseline)", &baseline),
        ("held slots (32 of 64)", &held),
        ("full server, hogs reconnecting", &full),
    ] {
        println!(
            "| {name} | {} | {} | {:.0} | {} | {} | {} | {} |",
            run.requests,
            run.errors,
            run.per_second(),
            ms(run.percentile(0.50)),
            ms(run.percentile(0.99)),
            ms(run.percentile(1.0)),
            run.shed.map_or("-".to_string(), |n| n.to_string()),
        );
    }
    println!();
    memory(&bin, &args);
}

fn default_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("this program's path");
    // target/<profile>/examples/load -> target/<profile>/identity-mock
    let dir = exe.parent().and_then(|p| p.parent()).expect("target directory");
    dir.join(format!("identity-mock{}", std::env::consts::EXE_SUFFIX))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// identity-mock as a child process.
struct Mock {
    child: Child,
    addr: SocketAddr,
}

impl Mock {
    fn start(bin: &PathBuf, extra: &[&str]) -> Mock {
        let mut child = Command::new(bin)
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("identity-mock starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
        let url = line.trim().rsplit(' ').next().expect("a URL");
        let addr = url.trim_start_matches("http://").parse().expect("an address");
        Mock { child, addr }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Resident set size in KiB (Linux).
    fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .new_agent()
}

/// One request of the mix, by its number. Returns whether the answer was a 200.
fn request(agent: &ureq::Agent, base: &str, ids: &[String], n: usize, tag: &str) -> bool {
    let auth = format!("Bearer {KEY}");
    let result = match n % 10 {
        0 | 1 => agent
            .post(format!("{base}{SESSIONS}"))
            .header("Authorization", &auth)
            .header("Idempotency-Key", &format!("load-{tag}-{n}"))
            .content_type("application/x-www-form-urlencoded")
            .send(format!("type=document&metadata[n]={n}").as_bytes()),
        2 => agent.get(format!("{base}{SESSIONS}?limit=10")).header("Authorization", &auth).call(),
        _ => agent
            .get(format!("{base}{SESSIONS}/{}", ids[n % ids.len()]))
            .header("Authorization", &auth)
            .call(),
    };
    match result {
        Ok(mut answer) => {
            let ok = answer.status() == 200;
            ok && answer.body_mut().read_to_vec().is_ok()
        }
        Err(_) => false,
    }
}

/// Creates `n` sessions and returns their ids.
fn seed(base: &str, n: usize) -> Vec<String> {
    let agent = agent();
    (0..n)
        .map(|i| {
            let mut answer = agent
                .post(format!("{base}{SESSIONS}"))
                .header("Authorization", &format!("Bearer {KEY}"))
                .content_type("application/x-www-form-urlencoded")
                .send(format!("type=document&metadata[seed]={i}").as_bytes())
                .expect("seed create");
            let body: serde_json::Value =
                serde_json::from_reader(answer.body_mut().as_reader()).expect("JSON");
            body["id"].as_str().expect("an id").to_string()
        })
        .collect()
}

/// What one run measured.
struct Run {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    shed: Option<usize>,
}

impl Run {
    fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[i]
    }
}

/// `connections` threads sharing `requests`, each on its own keep-alive connection.
fn load(base: &str, ids: &[String], connections: usize, requests: usize, tag: &str) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(requests)));
    let started = Instant::now();
    thread::scope(|scope| {
        for _ in 0..connections {
            let (next, errors, latencies) = (next.clone(), errors.clone(), latencies.clone());
            scope.spawn(move || {
                let agent = agent();
                let mut mine = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= requests {
                        break;
                    }
                    let t = Instant::now();
                    if !request(&agent, base, ids, n, tag) {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    mine.push(t.elapsed());
                }
                latencies.lock().unwrap().extend(mine);
            });
        }
    });
    let elapsed = started.elapsed();
    let mut latencies = std::mem::take(&mut *latencies.lock().unwrap());
    latencies.sort();
    Run { requests, errors: errors.load(Ordering::Relaxed), elapsed, latencies, shed: None }
}

/// The kinds of connection that hold a slot.
#[derive(Clone, Copy)]
enum Hog {
    Silent,
    AtRest,
    Slowloris,
}

impl Hog {
    fn open(self, addr: SocketAddr) -> Option<TcpStream> {
        let mut stream = TcpStream::connect(addr).ok()?;
        match self {
            Hog::Silent => {}
            Hog::AtRest => {
                let request = format!(
                    "GET {SESSIONS}?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\r\n"
                );
                stream.write_all(request.as_bytes()).ok()?;
                stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
                let mut buf = [0u8; 4096];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = stream.read(&mut buf).ok()?;
                    if n == 0 {
                        return None;
                    }
                    got.extend_from_slice(&buf[..n]);
                }
            }
            Hog::Slowloris => {
                stream.write_all(format!("GET {SESSIONS} HTTP/1.1\r\nHost: x\r\nX-Slow: ").as_bytes()).ok()?
            }
        }
        stream.set_nonblocking(true).ok()?;
        Some(stream)
    }
}

/// Keeps `kinds.len()` hogs connected (reopening any the server closes, when `reopen`), and
/// sends each slowloris one more byte a second, until `stop`.
fn hogs(addr: SocketAddr, kinds: Vec<Hog>, reopen: bool, stop: Arc<AtomicBool>) -> thread::JoinHandle<usize> {
    thread::spawn(move || {
        let mut held: Vec<(Hog, Option<TcpStream>, Instant)> =
            kinds.iter().map(|&k| (k, k.open(addr), Instant::now())).collect();
        let mut reopened = 0;
        while !stop.load(Ordering::Relaxed) {
            for (kind, stream, last) in &mut held {
                let closed = match stream {
                    None => true,
                    Some(s) => {
                        let mut buf = [0u8; 4096];
                        match s.read(&mut buf) {
                            Ok(0) => true,
                            Ok(_) => false,
                            Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
                        }
                    }
                };
                if closed && reopen {
                    *stream = kind.open(addr);
                    reopened += 1;
                } else if let (Hog::Slowloris, Some(s)) = (kind, stream.as_mut()) {
                    if last.elapsed() >= Duration::from_secs(1) {
                        let _ = s.write_all(b"x");
                        *last = Instant::now();
                    }
                }
            }
            thread::sleep(Duration::from_millis(20));
        }
        reopened
    })
}

fn hog_mix(n: usize) -> Vec<Hog> {
    (0..n).map(|i| [Hog::Silent, Hog::Silent, Hog::AtRest, Hog::Slowloris][i % 4]).collect()
}

fn no_hogs(bin: &PathBuf, args: &Args) -> Run {
    let mock = Mock::start(bin, &["--max-connections", "64"]);
    let ids = seed(&mock.url(), 1000);
    load(&mock.url(), &ids, args.connections, args.requests, "baseline")
}

fn held_slots(bin: &PathBuf, args: &Args) -> Run {
    let mock = Mock::start(bin, &["--max-connections", "64"]);
    let ids = seed(&mock.url(), 1000);
    let stop = Arc::new(AtomicBool::new(false));
    let hogs = hogs(mock.addr, hog_mix(32), false, stop.clone());
    thread::sleep(Duration::from_millis(300));
    let run = load(&mock.url(), &ids, args.connections, args.requests, "held");
    stop.store(true, Ordering::Relaxed);
    let _ = hogs.join();
    run
}

fn full_server(bin: &PathBuf, args: &Args) -> Run {
    let hog_count = 16;
    let max = (args.connections + hog_count).to_string();
    let mock = Mock::start(bin, &["--max-connections", &max]);
    let ids = seed(&mock.url(), 1000);
    // Every slot is taken by a hog before the load comes.
    let stop = Arc::new(AtomicBool::new(false));
    let hogs = hogs(mock.addr, hog_mix(args.connections + hog_count), true, stop.clone());
    thread::sleep(Duration::from_millis(500));
    let mut run = load(&mock.url(), &ids, args.connections, args.requests, "full");
    stop.store(true, Ordering::Relaxed);
    run.shed = hogs.join().ok();
    run
}

fn memory(bin: &PathBuf, args: &Args) {
    let mock = Mock::start(bin, &[]);
    let base = mock.url();
    let before = mock.rss_kib();
    let threads = 8;
    let started = Instant::now();
    let ids: Vec<String> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let base = base.clone();
                scope.spawn(move || {
                    let agent = agent();
                    let auth = format!("Bearer {KEY}");
                    (t..args.creates)
                        .step_by(threads)
                        .map(|i| {
                            let mut answer = agent
                                .post(format!("{base}{SESSIONS}"))
                                .header("Authorization", &auth)
                                .header("Idempotency-Key", &format!("mem-{i}"))
                                .content_type("application/x-www-form-urlencoded")
                                .send(format!("type=document&metadata[order]=order-{i}").as_bytes())
                                .expect("create");
                            let body: serde_json::Value =
                                serde_json::from_reader(answer.body_mut().as_reader()).expect("JSON");
                            body["id"].as_str().expect("an id").to_string()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("creates")).collect()
    });
    let create_time = started.elapsed();
    let after_creates = mock.rss_kib();
    let retrieves = args.creates * 2;
    let started = Instant::now();
    thread::scope(|scope| {
        for t in 0..threads {
            let (base, ids) = (base.clone(), &ids);
            scope.spawn(move || {
                let agent = agent();
                let auth = format!("Bearer {KEY}");
                for i in (t..retrieves).step_by(threads) {
                    let mut answer = agent
                        .get(format!("{base}{SESSIONS}/{}", ids[i % ids.len()]))
                        .header("Authorization", &auth)
                        .call()
                        .expect("retrieve");
                    assert_eq!(answer.status(), 200);
                    let _ = answer.body_mut().read_to_vec();
                }
            });
        }
    });
    let retrieve_time = started.elapsed();
    let after_retrieves = mock.rss_kib();
    let mib = |k: Option<u64>| k.map_or("n/a".to_string(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
    println!("| identity-mock memory (VmRSS) | value | rate |");
    println!("| --- | ---: | ---: |");
    println!("| at start | {} | |", mib(before));
    println!(
        "| after {} creates ({threads} connections, one Idempotency-Key each) | {} | {:.0} creates/s |",
        args.creates,
        mib(after_creates),
        args.creates as f64 / create_time.as_secs_f64()
    );
    println!(
        "| after {retrieves} retrieves more | {} | {:.0} retrieves/s |",
        mib(after_retrieves),
        retrieves as f64 / retrieve_time.as_secs_f64()
    );
    if let (Some(b), Some(a)) = (before, after_creates) {
        println!(
            "\nper session (sessions, events and idempotency records): {:.2} KiB",
            (a.saturating_sub(b)) as f64 / args.creates as f64
        );
    }
}
