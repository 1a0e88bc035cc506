//! One call = one napi `AsyncTask`: the core's blocking call runs on libuv's thread pool and
//! the answer comes back to the JavaScript thread as a settled Promise.
//!
//! Every outcome, argument errors found before the call included, goes through this task, so
//! an operation always returns a Promise and never throws synchronously.

use crate::convert::parse_json;
use crate::errors::{to_js_error, Failure};
use napi::bindgen_prelude::{Null, ToNapiValue, Unknown};
use napi::{Env, ScopedTask};
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use stripe_identity::client::{ListPages, Operation};
use stripe_identity::{backend::Method, Client, Error, RequestOptions};

/// Pages of an auto-paging list, shared by the iterator object and its in-flight task.
pub(crate) type SharedPages = Arc<Mutex<Option<ListPages>>>;

/// What a task does on the pool.
pub(crate) enum Job {
    /// An operation or control through [`Client::call_json`]; `params` is JSON text.
    Call { op: Operation, id: Option<String>, params: Option<String> },
    /// The next page of an auto-paging list (`null` once there is none).
    NextPage(SharedPages),
    /// One request as it goes on the wire (the shared scenarios' `raw` step).
    Raw { method: String, path: String, body: String },
    /// An argument refused on the JavaScript thread: rejects with it.
    Refused(Error),
}

/// A call of the core, run on libuv's thread pool.
pub struct Call {
    client: Client,
    opts: RequestOptions,
    job: Option<Job>,
}

impl Call {
    pub(crate) fn new(client: &Client, opts: RequestOptions, job: Job) -> Call {
        Call { client: client.clone(), opts, job: Some(job) }
    }

    /// A task that only rejects with `error`.
    pub(crate) fn refused(client: &Client, error: Error) -> Call {
        Call::new(client, RequestOptions::default(), Job::Refused(error))
    }

    /// Runs the job; `None` is JavaScript `null`, text is JSON.
    fn run(&mut self, job: Job) -> Result<Option<String>, Failure> {
        match job {
            Job::Call { op, id, params } => {
                let params = crate::convert::params_value(params.as_deref())?;
                // The answer's text as sent, for JSON.parse (faster than building objects
                // through napi, and it keeps the API's key order).
                Ok(Some(self.client.call_json_text(op, id.as_deref(), params, &self.opts)?))
            }
            Job::NextPage(pages) => {
                // A poisoned lock means an earlier page panicked: report that bug again.
                let mut guard = pages
                    .lock()
                    .map_err(|_| Failure::Panic("an earlier page of this list panicked".into()))?;
                match guard.as_mut().and_then(Iterator::next) {
                    Some(page) => Ok(Some(page?.to_string())),
                    None => {
                        *guard = None;
                        Ok(None)
                    }
                }
            }
            Job::Raw { method, path, body } => {
                let method = Method::parse(&method).ok_or_else(|| {
                    Error::invalid_argument(
                        Some("method"),
                        format!("method must be GET, POST or DELETE, got {method:?}"),
                    )
                })?;
                let response = self.client.send(method, &path, body, &self.opts)?;
                let body: Value = serde_json::from_slice(&response.body).map_err(|e| Error::Decode {
                    message: format!("the answer is not JSON: {e}"),
                    status: response.status,
                    request_id: response.request_id().map(String::from),
                })?;
                let headers: serde_json::Map<String, Value> = response
                    .headers
                    .into_iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), Value::String(v)))
                    .collect();
                let answer = serde_json::json!({
                    "statusCode": response.status,
                    "headers": headers,
                    "body": body,
                });
                Ok(Some(answer.to_string()))
            }
            Job::Refused(e) => Err(e.into()),
        }
    }
}

impl<'env> ScopedTask<'env> for Call {
    type Output = Result<Option<String>, Failure>;
    type JsValue = Unknown<'env>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let Some(job) = self.job.take() else {
            return Ok(Err(Failure::Panic("the task ran twice".into())));
        };
        // A panic must not unwind into libuv (that aborts Node): it becomes a rejection.
        Ok(match catch_unwind(AssertUnwindSafe(|| self.run(job))) {
            Ok(outcome) => outcome,
            Err(panic) => {
                let text = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic without a message".into());
                Err(Failure::Panic(text))
            }
        })
    }

    fn resolve(&mut self, env: &'env Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(Some(text)) => parse_json(env, &text),
            Ok(None) => Null.into_unknown(env),
            Err(failure) => Err(to_js_error(env, &failure)),
        }
    }
}
