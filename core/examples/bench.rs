//! `make bench`: operations per second through `Client::local()` with 100,000 sessions stored,
//! and the memory held per stored session (measured by a counting allocator). One thread.
//!
//! Usage: `cargo run --release -p stripe-identity --example bench [sessions] [ops-divisor]`
//!
//! `ops-divisor` (default 1) divides the number of retrieves, updates and lists, so a run under
//! `valgrind --tool=callgrind` stays short: `bench 10000 100` stores 10,000 sessions and makes
//! 2,000 retrieves, 1,000 updates and 50 lists.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use stripe_identity::backend::{Method, Request};
use stripe_identity::engine::Simulator;
use stripe_identity::model::RequestedVerificationType;
use stripe_identity::params::{
    CreateVerificationSession, ListVerificationSessions, UpdateVerificationSession,
};
use stripe_identity::{Client, Error};

/// Counts live heap bytes, so memory per session is measured rather than estimated.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn rate(label: &str, n: usize, start: Instant) {
    let secs = start.elapsed().as_secs_f64();
    println!("{label:<34} {:>10.0} ops/s   ({n} ops in {secs:.2} s)", n as f64 / secs);
}

/// A small deterministic generator, so runs pick the same ids.
fn next(seed: &mut u64) -> usize {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed as usize
}

fn main() -> Result<(), Error> {
    let arg =
        |i: usize, default: usize| std::env::args().nth(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let stored = arg(1, 100_000);
    let divisor = arg(2, 1).max(1);
    let simulator = Arc::new(Simulator::new());
    let client = Client::local_with(simulator.clone());
    let vs = client.verification_sessions();
    let create = CreateVerificationSession {
        r#type: Some(RequestedVerificationType::Document),
        metadata: Some([("order", "42")].into_iter().collect()),
        client_reference_id: Some("user_42".into()),
        ..Default::default()
    };
    println!(
        "stripe-identity {} local backend, one thread, {stored} sessions stored",
        stripe_identity::VERSION
    );

    let before = LIVE.load(Ordering::Relaxed);
    let start = Instant::now();
    let mut ids = Vec::with_capacity(stored);
    for _ in 0..stored {
        ids.push(vs.create(&create)?.id);
    }
    rate("create", stored, start);
    let ids_bytes =
        ids.capacity() * std::mem::size_of::<String>() + ids.iter().map(|s| s.capacity()).sum::<usize>();
    let held = (LIVE.load(Ordering::Relaxed) - before) as usize - ids_bytes;
    println!(
        "{:<34} {:>10.0} bytes/session (incl. the bounded event log of {} events)",
        "memory held",
        held as f64 / stored as f64,
        stripe_identity::engine::DEFAULT_EVENT_CAPACITY
    );

    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let n = 200_000 / divisor;
    let start = Instant::now();
    for _ in 0..n {
        let id = &ids[next(&mut seed) % ids.len()];
        std::hint::black_box(vs.retrieve(id, &Default::default())?);
    }
    rate("retrieve", n, start);

    let n = 100_000 / divisor;
    let update = UpdateVerificationSession {
        metadata: Some([("step", "2")].into_iter().collect()),
        ..Default::default()
    };
    let start = Instant::now();
    for _ in 0..n {
        let id = &ids[next(&mut seed) % ids.len()];
        std::hint::black_box(vs.update(id, &update)?);
    }
    rate("update", n, start);

    let n = (5_000 / divisor).max(1);
    let start = Instant::now();
    for _ in 0..n {
        // Start each page at a random session, as a paging client would.
        let after = ids[next(&mut seed) % ids.len()].clone();
        let params =
            ListVerificationSessions { limit: Some(100), starting_after: Some(after), ..Default::default() };
        std::hint::black_box(vs.list(&params)?);
    }
    rate("list(limit=100)", n, start);

    // The simulator alone, as identity-mock runs it for each request: the request as it comes
    // off the wire, the answer as JSON text, no client encoding or decoding.
    println!("the simulator alone (Simulator::handle, as identity-mock serves a request):");
    let n = (5_000 / divisor).max(1);
    let start = Instant::now();
    for _ in 0..n {
        let after = &ids[next(&mut seed) % ids.len()];
        let request = Request::new(
            Method::Get,
            "/v1/identity/verification_sessions",
            format!("limit=100&starting_after={after}"),
        );
        let answer = std::hint::black_box(simulator.handle(&request));
        assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
    }
    rate("  list(limit=100)", n, start);
    let n = (100_000 / divisor).max(1);
    let start = Instant::now();
    for _ in 0..n {
        let request = Request::new(
            Method::Post,
            "/v1/identity/verification_sessions",
            "type=document&metadata[order]=42&client_reference_id=user_42",
        );
        let answer = std::hint::black_box(simulator.handle(&request));
        assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
    }
    rate("  create", n, start);
    Ok(())
}
