//! Runs the language-neutral scenario files in `tests/scenarios/*.json` (repository root)
//! against the embedded simulator, through the typed Rust API.
//!
//! The format, its checks and the comparisons are the shared runner's
//! (`tests/scenario-runner`, crate `stripe-identity-scenarios`); this file only carries out a
//! step with the typed API: typed parameters from the step's JSON, the typed call, the typed
//! result back to JSON. `SCENARIO=<text>` runs only the scenarios whose file or scenario name
//! contains `<text>`.

use serde_json::Value;
use std::sync::Arc;
use stripe_identity::backend::Method;
use stripe_identity::engine::{ManualClock, Simulator};
use stripe_identity::params::{
    from_json, CancelVerificationSession, CreateVerificationSession, CreateWebhookEndpoint,
    DeleteWebhookEndpoint, FailParams, ListEvents, ListVerificationReports, ListVerificationSessions,
    ListWebhookEndpoints, RedactVerificationSession, RetrieveEvent, RetrieveVerificationReport,
    RetrieveVerificationSession, RetrieveWebhookEndpoint, UpdateVerificationSession, UpdateWebhookEndpoint,
};
use stripe_identity::{Client, Error, RequestOptions};
use stripe_identity_scenarios::{
    run_all, scenario_dir, Answer, Driver, Failure, Operation, Options, Outcome, START,
};

/// A fresh simulator with a manual clock, driven through the typed API.
struct Typed {
    client: Client,
    clock: ManualClock,
}

impl Typed {
    fn new() -> Typed {
        let clock = ManualClock::new(START).expect("a valid start");
        let client = Client::local_with(Arc::new(Simulator::with_clock(Arc::new(clock.clone()))));
        Typed { client, clock }
    }
}

fn options(o: &Options) -> RequestOptions {
    RequestOptions {
        idempotency_key: o.idempotency_key.clone(),
        stripe_account: o.stripe_account.clone(),
        stripe_version: o.stripe_version.clone(),
    }
}

fn failure(e: Error) -> Box<Failure> {
    Box::new(Failure {
        kind: e.kind().as_str().to_string(),
        http_status: e.http_status(),
        error_type: e.error_type().map(String::from),
        code: e.code().map(String::from),
        param: e.param().map(String::from),
        message: e.message(),
        detail: None,
    })
}

fn to_json<T: serde::Serialize>(value: Result<T, Error>) -> Outcome {
    let value = value.map_err(failure)?;
    Ok(Answer::json(serde_json::to_value(value).expect("a typed result serializes")))
}

impl Driver for Typed {
    fn call(&mut self, op: Operation, id: &str, params: Value, o: &Options) -> Outcome {
        let vs = self.client.verification_sessions().with_options(options(o));
        let reports = self.client.verification_reports().with_options(options(o));
        let events = self.client.events().with_options(options(o));
        let helpers = self.client.test_helpers();
        let endpoints = self.client.webhook_endpoints().with_options(options(o));
        // A parameter of the wrong JSON type is refused by from_json, as a binding's would be.
        match op {
            Operation::Create => {
                to_json(vs.create(&from_json::<CreateVerificationSession>(params).map_err(failure)?))
            }
            Operation::Retrieve => {
                to_json(vs.retrieve(id, &from_json::<RetrieveVerificationSession>(params).map_err(failure)?))
            }
            Operation::Update => {
                to_json(vs.update(id, &from_json::<UpdateVerificationSession>(params).map_err(failure)?))
            }
            Operation::List => {
                to_json(vs.list(&from_json::<ListVerificationSessions>(params).map_err(failure)?))
            }
            Operation::Cancel => {
                to_json(vs.cancel(id, &from_json::<CancelVerificationSession>(params).map_err(failure)?))
            }
            Operation::Redact => {
                to_json(vs.redact(id, &from_json::<RedactVerificationSession>(params).map_err(failure)?))
            }
            Operation::Submit => to_json(helpers.submit(id)),
            Operation::Verify => to_json(helpers.verify(id)),
            Operation::Fail => {
                let f = from_json::<FailParams>(params).map_err(failure)?;
                to_json(helpers.fail(id, f.code, f.reason.as_deref()))
            }
            Operation::CompleteRedaction => to_json(helpers.complete_redaction(id)),
            Operation::ListReports => {
                to_json(reports.list(&from_json::<ListVerificationReports>(params).map_err(failure)?))
            }
            Operation::RetrieveReport => to_json(
                reports.retrieve(id, &from_json::<RetrieveVerificationReport>(params).map_err(failure)?),
            ),
            Operation::RetrieveEvent => {
                to_json(events.retrieve(id, &from_json::<RetrieveEvent>(params).map_err(failure)?))
            }
            Operation::ListEvents => to_json(events.list(&from_json::<ListEvents>(params).map_err(failure)?)),
            Operation::CreateWebhookEndpoint => {
                to_json(endpoints.create(&from_json::<CreateWebhookEndpoint>(params).map_err(failure)?))
            }
            Operation::RetrieveWebhookEndpoint => to_json(
                endpoints.retrieve(id, &from_json::<RetrieveWebhookEndpoint>(params).map_err(failure)?),
            ),
            Operation::UpdateWebhookEndpoint => {
                to_json(endpoints.update(id, &from_json::<UpdateWebhookEndpoint>(params).map_err(failure)?))
            }
            Operation::ListWebhookEndpoints => {
                to_json(endpoints.list(&from_json::<ListWebhookEndpoints>(params).map_err(failure)?))
            }
            Operation::DeleteWebhookEndpoint => {
                to_json(endpoints.delete(id, &from_json::<DeleteWebhookEndpoint>(params).map_err(failure)?))
            }
        }
    }

    fn raw(&mut self, method: &str, path: &str, body: String, o: &Options) -> Outcome {
        let method = Method::parse(method).expect("checked when the file was loaded");
        let response = self.client.send(method, path, body, &options(o)).map_err(failure)?;
        let body = serde_json::from_slice(&response.body).map_err(|e| {
            failure(Error::Decode {
                message: format!("the answer is not JSON: {e}"),
                status: response.status,
                request_id: None,
            })
        })?;
        Ok(Answer { body, headers: response.headers })
    }

    fn advance_clock(&mut self, seconds: i64) {
        self.clock.advance(seconds).expect("a valid step");
    }
}

#[test]
fn scenarios() {
    let summary = run_all(&scenario_dir(), Typed::new);
    assert!(summary.scenarios > 0 && summary.steps >= summary.scenarios, "{summary:?}");
}
