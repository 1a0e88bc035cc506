//! `json_params`: the JSON front door every binding uses (`Client::call_json`, in
//! `core/src/client/json.rs`), so JSON → typed parameters (`core/src/params.rs`) → form
//! encoding → the simulator, on a local client. Input: a call script ([`crate::script`]).
//!
//! Checked beyond "no panic": a local client answers every call with the object its operation
//! returns (a session, a report, an event, a webhook endpoint, or a list of one of them), each
//! session meeting `engine::check_session`, or with an error of the kinds a local call can
//! give (refused before sending, or the API's 400/404 answers); never a decoding error, a
//! connection error or another status.

use crate::script::{self, Call, Line};
use identity::api::Returns;
use identity::client::Operation;
use identity::engine::{Clock, ManualClock, Simulator};
use identity::{Client, Error, ErrorKind, RequestOptions};
use serde_json::Value;
use std::sync::Arc;

/// Runs one input.
pub fn run(data: &[u8]) {
    let clock = ManualClock::new(crate::START).expect("a time in range");
    let client = Client::local_with(Arc::new(Simulator::with_clock(Arc::new(clock.clone()))));
    let mut created = Vec::new();
    for line in script::parse(data) {
        match line {
            Line::Advance(seconds) => {
                // Refused past the year 9999, which many steps can reach; the time stays.
                let _ = clock.advance(seconds);
            }
            Line::NewClient { .. } => {}
            Line::Call(call) => {
                let Some((op, id, params, opts)) = prepare(&call, &created) else { continue };
                let answer = client.call_json(op, id.as_deref(), params, &opts);
                check(op, &answer, clock.now());
                if let (Operation::Create, Ok(session)) = (op, &answer) {
                    created.push(session["id"].as_str().expect("checked").to_string());
                }
            }
        }
    }
}

/// A call's arguments as a Rust binding has them: text, and parameters already parsed as JSON.
fn prepare(
    call: &Call<'_>,
    created: &[String],
) -> Option<(Operation, Option<String>, Value, RequestOptions)> {
    let op = Operation::parse(script::text(call.op)?)?;
    let id = match call.id.resolve(created) {
        Some(bytes) => Some(String::from_utf8(bytes).ok()?),
        None => None,
    };
    let params = match call.params {
        // serde_json refuses nesting past 128 levels, as every binding's JSON reader does.
        Some(text) => serde_json::from_slice(&script::substitute(text, created)).ok()?,
        None => Value::Null,
    };
    let mut opts = RequestOptions::default();
    if let Some([key, account, version]) = call.options {
        let owned = |b: Option<&[u8]>| b.and_then(script::text).map(String::from);
        opts.idempotency_key = owned(key);
        opts.stripe_account = owned(account);
        opts.stripe_version = owned(version);
    }
    Some((op, id, params, opts))
}

/// The answer of a local call has the API's shape: the object its operation's description
/// says it returns (`OperationDesc::returns`), sessions checked field by field.
pub fn check(op: Operation, answer: &Result<Value, Error>, now: i64) {
    let context = || format!("{} -> {answer:?}", op.as_str());
    match answer {
        Ok(value) => {
            let (object, listed) = returned(op.desc().returns);
            let items = match listed {
                true => {
                    assert_eq!(value["object"], "list", "{}", context());
                    assert!(value["has_more"].is_boolean(), "{}", context());
                    value["data"].as_array().unwrap_or_else(|| panic!("{}", context())).iter().collect()
                }
                false => vec![value],
            };
            for item in items {
                assert_eq!(item["object"], object, "{}", context());
                assert!(item["id"].is_string(), "{}", context());
                if object == "identity.verification_session" {
                    crate::engine::check_session(item, now, &context);
                }
            }
            if op.desc().returns == Returns::DeletedWebhookEndpoint {
                assert_eq!(value["deleted"], true, "{}", context());
            }
        }
        Err(e) => {
            let kind = e.kind();
            assert!(
                matches!(
                    kind,
                    ErrorKind::InvalidArgument
                        | ErrorKind::InvalidType
                        | ErrorKind::InvalidRequest
                        | ErrorKind::Idempotency
                ),
                "a local call failed as {kind:?}: {e}"
            );
            assert!(!e.message().is_empty(), "an error without a message: {e:?}");
            if !e.is_refused_argument() {
                assert!(matches!(e.http_status(), Some(400 | 404)), "status {:?}: {e}", e.http_status());
            }
        }
    }
}

/// The `object` of what an operation returns, and whether it comes as a list of them.
fn returned(returns: Returns) -> (&'static str, bool) {
    match returns {
        Returns::Session => ("identity.verification_session", false),
        Returns::SessionList => ("identity.verification_session", true),
        Returns::Report => ("identity.verification_report", false),
        Returns::ReportList => ("identity.verification_report", true),
        Returns::Event => ("event", false),
        Returns::EventList => ("event", true),
        Returns::WebhookEndpoint | Returns::DeletedWebhookEndpoint => ("webhook_endpoint", false),
        Returns::WebhookEndpointList => ("webhook_endpoint", true),
    }
}
