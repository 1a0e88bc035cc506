//! This library's webhook signing and verification as a command, for the peer suites
//! (tests/sdk-python, tests/sdk-node) to hold against the official SDKs:
//!
//! ```text
//! webhook_interop sign SECRET TIMESTAMP      < payload   prints the Stripe-Signature header
//! webhook_interop verify SECRET HEADER TOL   < payload   exit 0, or 1 with the error message
//! ```
//!
//! The payload is read from stdin as raw bytes, so what is signed is exactly what was sent.

use std::io::Read;
use std::process::ExitCode;
use stripe_identity::Webhook;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut payload = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut payload) {
        eprintln!("cannot read the payload: {e}");
        return ExitCode::from(2);
    }
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["sign", secret, timestamp] => match timestamp.parse::<i64>() {
            Ok(t) => {
                println!("{}", Webhook::sign(&payload, secret, Some(t)));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("bad timestamp: {e}");
                ExitCode::from(2)
            }
        },
        ["verify", secret, header, tolerance] => {
            let tolerance = tolerance.parse::<u64>().ok();
            match Webhook::verify_header(&payload, header, secret, tolerance) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    println!("{}", e.message());
                    ExitCode::from(1)
                }
            }
        }
        _ => {
            eprintln!("usage: webhook_interop sign SECRET TIMESTAMP | verify SECRET HEADER TOLERANCE (payload on stdin)");
            ExitCode::from(2)
        }
    }
}
