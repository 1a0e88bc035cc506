//! Calls over HTTP in a loop, for instruction counts of the client's own work per call:
//! `valgrind --tool=callgrind target/release/examples/http_calls URL OP N` at two values of N,
//! the difference over the difference in calls (so start-up and the first connection do not
//! count). OP: `retrieve`, `create`, `list` (limit 10), `retrieve-json` (`call_json`, the tree
//! the C binding reads) or `retrieve-text` (`call_json_text`, what Node gets).
//!
//! Usage: `cargo run --release -p stripe-identity --example http_calls -- http://127.0.0.1:PORT retrieve 1000`

use serde_json::json;
use stripe_identity::client::Operation;
use stripe_identity::model::RequestedVerificationType;
use stripe_identity::params::{CreateVerificationSession, ListVerificationSessions};
use stripe_identity::{Client, RequestOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (url, op, n) = match args.as_slice() {
        [_, url, op, n] => (url.clone(), op.clone(), n.parse::<usize>().expect("N: a count")),
        _ => {
            eprintln!("usage: http_calls URL retrieve|create|list|retrieve-json|retrieve-text N");
            std::process::exit(2);
        }
    };
    let client = Client::builder("sk_test_123").base_url(&url).max_network_retries(0).build().unwrap();
    let sessions = client.verification_sessions();
    let create =
        CreateVerificationSession { r#type: Some(RequestedVerificationType::Document), ..Default::default() };
    let list = ListVerificationSessions { limit: Some(10), ..Default::default() };
    let opts = RequestOptions::default();
    let call = |_: usize| match op.as_str() {
        "retrieve" => drop(sessions.retrieve("vs_1", &Default::default()).unwrap()),
        "create" => drop(sessions.create(&create).unwrap()),
        "list" => drop(sessions.list(&list).unwrap()),
        "retrieve-json" => {
            drop(client.call_json(Operation::Retrieve, Some("vs_1"), json!({}), &opts).unwrap())
        }
        "retrieve-text" => {
            drop(client.call_json_text(Operation::Retrieve, Some("vs_1"), json!({}), &opts).unwrap())
        }
        other => panic!("unknown OP {other:?}"),
    };
    (0..n).for_each(call);
}
