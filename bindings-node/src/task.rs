//! One call = one Promise. A call over HTTP under Node runs on the JavaScript thread, its waits
//! on the event loop (`on_loop.rs`); any other (the simulator's, a page of an auto-paging list,
//! every call where Node's libuv is not there) is a napi `AsyncTask`: the core's blocking call
//! runs on libuv's thread pool and the answer comes back to the JavaScript thread.
//!
//! Every outcome, argument errors found before the call included, goes through this task, so
//! an operation always returns a Promise and never throws synchronously.

use crate::convert::{json_parse, parse_json, Text};
use crate::errors::{to_js_error, Failure};
use napi::bindgen_prelude::{AsyncTask, FnArgs, Function, JsObjectValue, Null, Object, ToNapiValue, Unknown};
use napi::{Env, Property, PropertyAttributes, ScopedTask, ValueType};
use napi_derive::napi;
use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use stripe_identity::backend::{Method, Response};
use stripe_identity::client::{path_id, ListPages, Operation};
use stripe_identity::{Client, Error, RequestOptions};

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

/// What a task resolves to, built on the pool and turned into JavaScript values on the
/// JavaScript thread.
pub enum Answer {
    /// JSON text, parsed as it is (a page of an auto-paging list).
    Json(String),
    /// An answer of the API: its JSON text, and `lastResponse` as JSON text (see
    /// [`last_response`]); the status and request id name it if the text is not JSON.
    WithMeta { text: String, meta: String, status: u16, request_id: Option<String> },
    /// JavaScript `null`.
    Null,
}

/// `lastResponse`, as stripe-node sets it on every result: `requestId`, `statusCode`, the
/// headers (lower-case names), and `apiVersion`, `idempotencyKey`, `stripeAccount` from the
/// headers of the answer, else from what was sent. Absent values are left out (`undefined`).
/// Written straight to JSON text from borrowed fields (it is on every call's path).
fn last_response(response: &Response, opts: &RequestOptions, method: Method) -> String {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Meta<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        request_id: Option<&'a str>,
        status_code: u16,
        headers: Headers<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        api_version: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        idempotency_key: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        stripe_account: Option<&'a str>,
    }
    /// The headers as an object with lower-case names, as Node gives them.
    struct Headers<'a>(&'a [(String, String)]);
    impl serde::Serialize for Headers<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(Some(self.0.len()))?;
            for (k, v) in self.0 {
                if k.bytes().any(|b| b.is_ascii_uppercase()) {
                    map.serialize_entry(&k.to_ascii_lowercase(), v)?;
                } else {
                    map.serialize_entry(k, v)?;
                }
            }
            map.end()
        }
    }
    let header = |name: &str| response.header(name);
    // The core sends an idempotency key on POST only.
    let sent_key = opts.idempotency_key.as_deref().filter(|_| method == Method::Post);
    let meta = Meta {
        request_id: response.request_id(),
        status_code: response.status,
        headers: Headers(&response.headers),
        api_version: header("stripe-version").or(opts.stripe_version.as_deref()),
        idempotency_key: header("idempotency-key").or(sent_key),
        stripe_account: header("stripe-account").or(opts.stripe_account.as_deref()),
    };
    serde_json::to_string(&meta).unwrap_or_else(|_| "{}".into())
}

/// A call of the core, run on the event loop or on libuv's thread pool (see [`Pending`]).
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

    /// Runs one operation: its answer's text as sent, for JSON.parse (faster than building
    /// objects through napi, and it keeps the API's key order), and its `lastResponse`.
    fn operation(&self, op: Operation, id: Option<&str>, params: Option<&str>) -> Result<Answer, Failure> {
        let params = crate::convert::params_value(params)?;
        let desc = op.desc();
        // The path as the core's JSON front door makes it (`call_json_text`), kept here because
        // that door gives the body only, and `lastResponse` needs the status and headers too.
        let path = match desc.id {
            Some(name) => op.path(&path_id(id.unwrap_or_default(), name)?),
            None => op.path(""),
        };
        let form = op.encode(params)?;
        let mut response = self.client.send(desc.method, &path, form, &self.opts)?;
        let meta = last_response(&response, &self.opts, desc.method);
        let body = std::mem::take(&mut response.body);
        let decode_error = |message: String| Error::Decode {
            message,
            status: response.status,
            request_id: response.request_id().map(String::from),
        };
        let text =
            String::from_utf8(body).map_err(|e| decode_error(format!("the answer is not UTF-8: {e}")))?;
        // Whether it is JSON is JSON.parse's to find (a second parse here cost a tenth of a
        // call); its SyntaxError becomes the Decode error in `resolve`.
        let (status, request_id) = (response.status, response.request_id().map(String::from));
        Ok(Answer::WithMeta { text, meta, status, request_id })
    }

    /// Runs the job.
    fn run(&mut self, job: Job) -> Result<Answer, Failure> {
        match job {
            Job::Call { op, id, params } => self.operation(op, id.as_deref(), params.as_deref()),
            Job::NextPage(pages) => {
                // A poisoned lock means an earlier page panicked: report that bug again.
                let mut guard = pages
                    .lock()
                    .map_err(|_| Failure::Panic("an earlier page of this list panicked".into()))?;
                match guard.as_mut().and_then(Iterator::next) {
                    Some(page) => Ok(Answer::Json(page?.to_string())),
                    None => {
                        *guard = None;
                        Ok(Answer::Null)
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
                Ok(Answer::Json(answer.to_string()))
            }
            Job::Refused(e) => Err(e.into()),
        }
    }
}

/// What a call ends with, before it becomes JavaScript values.
pub(crate) type Output = Result<Answer, Failure>;

impl Call {
    /// Runs the call to its end. A panic must not unwind into libuv (that aborts Node): it
    /// becomes a rejection.
    pub(crate) fn output(&mut self) -> Output {
        let Some(job) = self.job.take() else {
            return Err(Failure::Panic("the task ran twice".into()));
        };
        match catch_unwind(AssertUnwindSafe(|| self.run(job))) {
            Ok(outcome) => outcome,
            Err(panic) => {
                let text = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic without a message".into());
                Err(Failure::Panic(text))
            }
        }
    }

    /// Whether the call can run on the JavaScript thread, its waits on the event loop
    /// (`on_loop.rs`): an operation over HTTP. The simulator's calls never wait, and a page of
    /// an auto-paging list holds its pager's lock across the call.
    #[cfg(target_os = "linux")]
    fn on_loop(&self) -> bool {
        matches!(self.job, Some(Job::Call { .. })) && !self.client.is_local() && crate::on_loop::enabled()
    }
}

/// The Promise of one call: made on the event loop where it can be (`on_loop.rs`), else an
/// `AsyncTask` on libuv's pool.
///
/// Every call over HTTP goes on the loop, however many are in flight: on the pool a call holds
/// one of libuv's threads (four by default) for its whole round trip, so against a server that
/// takes 50 ms to answer, sixteen calls at once went out four at a time (79 calls/s against
/// stripe-node's 307), and the process's file, DNS and crypto work queued behind them. On the
/// loop all sixteen are on the wire together, as stripe-node's are (BENCHMARKS.md, "Node: one
/// call in flight, designs tried").
pub struct Pending(pub(crate) Call);

impl ToNapiValue for Pending {
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> napi::Result<napi::sys::napi_value> {
        let Pending(call) = val;
        #[cfg(target_os = "linux")]
        if call.on_loop() {
            return crate::on_loop::run(env, call);
        }
        ToNapiValue::to_napi_value(env, AsyncTask::new(call))
    }
}

impl<'env> ScopedTask<'env> for Call {
    type Output = Output;
    type JsValue = Unknown<'env>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(self.output())
    }

    fn resolve(&mut self, env: &'env Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        settle(env, output)
    }
}

/// A call's outcome as the value its Promise resolves to, or the error it rejects with.
pub(crate) fn settle(env: &Env, output: Output) -> napi::Result<Unknown<'_>> {
    {
        match output {
            Ok(Answer::Json(text)) => parse_json(env, &text),
            Ok(Answer::WithMeta { text, meta, status, request_id }) => {
                let registry = crate::errors::registry(env)?;
                let decoded = match registry.answer.as_ref() {
                    // index.js's `answer`: one call into JavaScript, which parses the answer
                    // and its `lastResponse`.
                    Some(answer) => answer.borrow_back(env)?.call(FnArgs::from((Text(text), Text(meta)))),
                    None => with_meta(env, &text, &meta),
                };
                decoded.map_err(|e| {
                    let message = format!("the answer could not be decoded: {}", e.reason);
                    to_js_error(env, &Failure::Core(Error::Decode { message, status, request_id }))
                })
            }
            Ok(Answer::Null) => Null.into_unknown(env),
            Err(failure) => Err(to_js_error(env, &failure)),
        }
    }
}

/// Registers `answer(text, meta)` of `index.js`, which parses an answer and gives it its
/// `lastResponse`. Called once by `index.js`; not part of the public API.
#[napi(
    js_name = "__setAnswerFactory",
    catch_unwind,
    ts_args_type = "answer: (arg0: string, arg1: string) => unknown"
)]
// Under `cargo test` napi-derive registers nothing, so nothing calls this there.
#[cfg_attr(test, allow(dead_code))]
pub fn set_answer_factory(
    env: Env,
    answer: Function<crate::errors::AnswerArgs, Unknown<'static>>,
) -> napi::Result<()> {
    crate::errors::registry(&env)?.answer = Some(answer.create_ref()?);
    Ok(())
}

/// The answer parsed, with `lastResponse` parsed at once: the native module used without
/// index.js.
fn with_meta<'env>(env: &'env Env, text: &str, meta: &str) -> napi::Result<Unknown<'env>> {
    let parse = json_parse(env)?;
    let value = parse.call(Text(text))?;
    if value.get_type()? == ValueType::Object {
        // Not enumerable, not writable, as stripe-node defines it: spreading or
        // JSON.stringify of a result gives the API's object only.
        let meta = parse.call(Text(meta))?;
        // SAFETY of the cast: checked to be an object just above.
        let mut object = unsafe { value.cast::<Object>() }?;
        let last = Property::new()
            .with_utf8_name("lastResponse")?
            .with_value(&meta)
            // napi-rs's default is writable, enumerable and configurable.
            .with_property_attributes(PropertyAttributes::Default);
        object.define_properties(&[last])?;
    }
    Ok(value)
}

/// Seeds an auto-paging list with the page its caller already has (the answer of `list()`, as
/// JSON text), so that `for await` over `list()` starts from it without fetching it again
/// ([`ListPages::start_from`]).
pub(crate) fn start_from(env: &Env, pages: &SharedPages, page: &str) -> napi::Result<()> {
    let seeded = stripe_identity::nesting::parse(page)
        .map_err(|e| Error::invalid_argument(Some("page"), format!("page is not JSON: {e}")))
        .map_err(Failure::Core)
        .and_then(|page| {
            let mut guard =
                pages.lock().map_err(|_| Failure::Panic("an earlier page of this list panicked".into()))?;
            if let Some(pages) = guard.as_mut() {
                pages.start_from(page);
            }
            Ok(())
        });
    seeded.map_err(|f| to_js_error(env, &f))
}
