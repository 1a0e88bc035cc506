//! Core errors as JavaScript values, in one place.
//!
//! Rust never picks an error class: it gathers the raw fields of a core [`Error`] into a plain
//! object and hands it to `generate(raw)` from `errors.js` (registered by `index.js` through
//! [`set_error_factory`]), which returns the `StripeError` subclass, or a `TypeError` for an
//! argument refused before sending. The promise is then rejected (or the call throws) with
//! exactly that value, so napi's own `GenericFailure` never reaches a user.

use napi::bindgen_prelude::{FnArgs, Function, FunctionRef, Object, Unknown};
use napi::{Env, JsValue, Status};
use napi_derive::napi;
use stripe_identity::Error;

/// What went wrong in a call: a core error, or a panic (a bug) caught before it could cross
/// into Node.
#[derive(Debug)]
pub enum Failure {
    /// An error of the core, with every field the API sent.
    Core(Error),
    /// A panic inside the core or this binding, caught on the thread that ran the call.
    Panic(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

type Factory = FunctionRef<FnArgs<(Object<'static>,)>, Unknown<'static>>;

/// `answer(text, meta)` of `index.js`: an answer's JSON text parsed, with its `lastResponse`.
pub(crate) type AnswerFactory = FunctionRef<AnswerArgs, Unknown<'static>>;
/// What `answer` is called with: the answer's text and its `lastResponse` as JSON text.
pub(crate) type AnswerArgs = FnArgs<(crate::convert::Text<String>, crate::convert::Text<String>)>;

/// Per-environment state (each worker thread has its own): the functions `index.js` registers.
#[derive(Default)]
pub(crate) struct Registry {
    generate: Option<Factory>,
    pub(crate) answer: Option<AnswerFactory>,
    /// `JSON.stringify`, looked up once: two property lookups per call cost more than it.
    pub(crate) stringify: Option<FunctionRef<Object<'static>, String>>,
}

/// This environment's registry, made on first use.
pub(crate) fn registry(env: &Env) -> napi::Result<&mut Registry> {
    if env.get_instance_data::<Registry>()?.is_none() {
        env.set_instance_data(Registry::default(), (), |_| {})?;
    }
    env.get_instance_data::<Registry>()?
        .ok_or_else(|| napi::Error::new(Status::GenericFailure, "no instance data"))
}

/// Registers `errors.js`'s `generate(raw)`, the one place that turns raw error fields into an
/// error class instance. Called once by `index.js`; not part of the public API.
#[napi(js_name = "__setErrorFactory", catch_unwind)]
// Under `cargo test` napi-derive registers nothing, so nothing calls this there.
#[cfg_attr(test, allow(dead_code))]
pub fn set_error_factory(
    env: Env,
    generate: Function<FnArgs<(Object<'static>,)>, Unknown<'static>>,
) -> napi::Result<()> {
    registry(&env)?.generate = Some(generate.create_ref()?);
    Ok(())
}

/// The JavaScript value a failure becomes: what `generate(raw)` returns for its raw fields.
pub(crate) fn to_js_error(env: &Env, failure: &Failure) -> napi::Error {
    match build(env, failure) {
        Ok(value) => napi::Error::from(value),
        // Building the error itself failed (no memory, a broken factory): still say what
        // happened, with a code that is not napi's catch-all.
        Err(e) => napi::Error::new(Status::GenericFailure, format!("{} ({e})", message(failure))),
    }
}

fn message(failure: &Failure) -> String {
    match failure {
        Failure::Core(e) => e.message(),
        Failure::Panic(m) => format!("stripe-identity: internal error (a bug, please report it): {m}"),
    }
}

fn build<'env>(env: &'env Env, failure: &Failure) -> napi::Result<Unknown<'env>> {
    let raw = raw_fields(env, failure)?;
    match env.get_instance_data::<Registry>()?.and_then(|r| r.generate.as_ref()) {
        Some(generate) => generate.borrow_back(env)?.call(FnArgs::from((raw,))),
        // The native module used on its own, without index.js: a plain Error that still
        // carries every field.
        None => {
            let mut error = env.create_error(napi::Error::new(Status::GenericFailure, message(failure)))?;
            error.set("raw", raw)?;
            Ok(error.to_unknown())
        }
    }
}

/// The raw fields, named as stripe-node names them (`statusCode`, `requestId`, `doc_url`),
/// plus `kind`, the core's classification that `generate` keys on.
fn raw_fields(env: &Env, failure: &Failure) -> napi::Result<Object<'static>> {
    let mut raw = Object::new(env)?;
    raw.set("message", message(failure))?;
    let e = match failure {
        Failure::Core(e) => e,
        Failure::Panic(_) => {
            raw.set("kind", "internal")?;
            return Ok(raw);
        }
    };
    raw.set("kind", e.kind().as_str())?;
    if let Some(t) = e.error_type() {
        raw.set("type", t)?;
    }
    if let Some(code) = e.code() {
        raw.set("code", code)?;
    }
    if let Some(param) = e.param() {
        raw.set("param", param)?;
    }
    if let Some(url) = e.doc_url() {
        raw.set("doc_url", url)?;
    }
    if let Some(status) = e.http_status() {
        raw.set("statusCode", u32::from(status))?;
    }
    if let Some(id) = e.request_id() {
        raw.set("requestId", id)?;
    }
    if let Error::Api(api) = e {
        if !api.headers.is_empty() {
            // Lower-case names, as Node gives headers (and stripe-node's `error.headers`).
            let mut headers = Object::new(env)?;
            for (name, value) in &api.headers {
                headers.set(name.to_ascii_lowercase(), value.as_str())?;
            }
            raw.set("headers", headers)?;
        }
    }
    if let Error::SignatureVerification { sig_header, .. } = e {
        raw.set("header", sig_header.as_str())?;
    }
    if let Some(body) = e.json_body() {
        // The whole `{"error": {...}}` body, so nothing the API sent is lost.
        raw.set("body", crate::convert::parse_json(env, &body.to_string())?)?;
    }
    Ok(raw)
}
