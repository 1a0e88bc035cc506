//! The client: turns operations into [`Request`]s for its backend and answers into the model.
//! Local and remote use go through this one path.

mod events;
mod json;
mod local;
mod pager;
mod reports;
mod service;
mod sessions;
pub mod settings;
mod test_helpers;
mod webhook_endpoints;

pub use events::Events;
pub use json::{decode_answer, Operation};
pub use local::LocalBackend;
pub use pager::{ListAuto, ListPages, NextPage, PageCursor};
pub use reports::VerificationReports;
pub use sessions::VerificationSessions;
pub use test_helpers::TestHelpers;
pub use webhook_endpoints::WebhookEndpoints;

use crate::backend::{Backend, Method, Request, Response};
use crate::engine::Simulator;
// Where keys are validated and sent; re-exported here, where it has always been.
use crate::error::{ApiError, Error};
pub use crate::http::mask_key;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// Options of one request, beside its parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// `Idempotency-Key`: the same key with the same parameters replays the first answer.
    pub idempotency_key: Option<String>,
    /// `Stripe-Account`: act on a connected account.
    pub stripe_account: Option<String>,
    /// `Stripe-Version`: overrides the client's API version for this request.
    pub stripe_version: Option<String>,
}

/// A Stripe Identity client. Cheap to clone; clones share the backend. `Send + Sync`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Arc<dyn Backend>,
    simulator: Option<Arc<Simulator>>,
    stripe_version: String,
    stripe_account: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("backend", &self.inner.backend)
            .field("stripe_version", &self.inner.stripe_version)
            .field("stripe_account", &self.inner.stripe_account)
            .finish()
    }
}

impl Client {
    /// A client on a fresh embedded simulator: no network, no key.
    pub fn local() -> Client {
        Client::local_with(Arc::new(Simulator::new()))
    }

    /// A client on a given simulator (to share it, or to use a [`crate::engine::ManualClock`]).
    pub fn local_with(simulator: Arc<Simulator>) -> Client {
        let backend = Arc::new(LocalBackend::new(simulator.clone()));
        Client::from_parts(backend, Some(simulator), ClientBuilder::default())
    }

    /// A client for the Stripe API with this secret or restricted key and default settings.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::builder(api_key).build()
    }

    /// Settings for a client of the Stripe API (or of any server that speaks it).
    pub fn builder(api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder { api_key: Some(api_key.into()), ..Default::default() }
    }

    /// A client on any backend.
    pub fn with_backend(backend: Arc<dyn Backend>) -> Client {
        Client::from_parts(backend, None, ClientBuilder::default())
    }

    fn from_parts(backend: Arc<dyn Backend>, simulator: Option<Arc<Simulator>>, b: ClientBuilder) -> Client {
        Client {
            inner: Arc::new(Inner {
                backend,
                simulator,
                stripe_version: b.stripe_version.unwrap_or_else(|| crate::API_VERSION.to_string()),
                stripe_account: b.stripe_account,
            }),
        }
    }

    /// The VerificationSession operations.
    pub fn verification_sessions(&self) -> VerificationSessions<'_> {
        VerificationSessions::new(self)
    }

    /// The VerificationReport operations.
    pub fn verification_reports(&self) -> VerificationReports<'_> {
        VerificationReports::new(self)
    }

    /// The Event operations.
    pub fn events(&self) -> Events<'_> {
        Events::new(self)
    }

    /// The webhook endpoint operations.
    pub fn webhook_endpoints(&self) -> WebhookEndpoints<'_> {
        WebhookEndpoints::new(self)
    }

    /// The simulator's controls (`submit`, `verify`, `fail`, `complete_redaction`).
    pub fn test_helpers(&self) -> TestHelpers<'_> {
        TestHelpers::new(self)
    }

    /// The embedded simulator, for a local client.
    pub fn simulator(&self) -> Option<&Arc<Simulator>> {
        self.inner.simulator.as_ref()
    }

    /// Whether this client runs on the embedded simulator.
    pub fn is_local(&self) -> bool {
        self.inner.backend.is_local()
    }

    /// Sends one request and returns the answer when it is a success; an error status becomes
    /// [`Error::Api`]. `params` is already form-encoded.
    pub fn send(
        &self,
        method: Method,
        path: &str,
        params: String,
        opts: &RequestOptions,
    ) -> Result<Response, Error> {
        self.send_owned(method, path.to_string(), params, opts)
    }

    /// [`send`](Self::send) with the path already owned, as a typed call builds it: the
    /// request takes it as it is.
    fn send_owned(
        &self,
        method: Method,
        path: String,
        params: String,
        opts: &RequestOptions,
    ) -> Result<Response, Error> {
        let mut headers = Vec::with_capacity(3);
        let version = opts.stripe_version.as_deref().unwrap_or(&self.inner.stripe_version);
        headers.push(("Stripe-Version".to_string(), version.to_string()));
        if let Some(account) = opts.stripe_account.as_ref().or(self.inner.stripe_account.as_ref()) {
            headers.push(("Stripe-Account".to_string(), account.clone()));
        }
        if let Some(key) = &opts.idempotency_key {
            if method == Method::Post {
                if !crate::backend::idempotency_key_is_sendable(key) {
                    // The key is not echoed: it is malformed, and may be long.
                    return Err(Error::invalid_argument(
                        Some("idempotency_key"),
                        "idempotency_key must hold only printable ASCII characters (space to '~'); \
                         nothing was sent",
                    ));
                }
                headers.push(("Idempotency-Key".to_string(), key.clone()));
            }
        }
        let request = Request { method, path, params, headers };
        let response = self.inner.backend.send(&request)?;
        if (200..300).contains(&response.status) {
            Ok(response)
        } else {
            let request_id = response.request_id().map(String::from);
            let mut error = ApiError::from_response(response.status, &response.body, request_id);
            error.headers = response.headers;
            Err(error.into())
        }
    }

    /// Sends one request and decodes a successful answer.
    pub fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        params: String,
        opts: &RequestOptions,
    ) -> Result<T, Error> {
        self.send_and_decode(method, path.to_string(), params, opts, |text| serde_json::from_str(text))
    }

    /// [`call`](Self::call) with the path already owned.
    pub(crate) fn call_owned<T: DeserializeOwned>(
        &self,
        method: Method,
        path: String,
        params: String,
        opts: &RequestOptions,
    ) -> Result<T, Error> {
        self.send_and_decode(method, path, params, opts, |text| serde_json::from_str(text))
    }

    /// [`call`](Self::call) for an answer as a JSON [`Value`], whatever its shape, parsed no
    /// deeper than [`crate::nesting::MAX_DEPTH`] so that no binding's conversion of it can
    /// exhaust a small stack.
    pub fn call_value(
        &self,
        method: Method,
        path: &str,
        params: String,
        opts: &RequestOptions,
    ) -> Result<Value, Error> {
        self.send_and_decode(method, path.to_string(), params, opts, crate::nesting::parse)
    }

    /// Sends one request and decodes a successful answer's text with `decode`.
    fn send_and_decode<T, E: std::fmt::Display>(
        &self,
        method: Method,
        path: String,
        params: String,
        opts: &RequestOptions,
        decode: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, Error> {
        let response = self.send_owned(method, path, params, opts)?;
        decode_body(&response, decode)
    }
}

/// Decodes a successful answer's text with `decode`; a body that is not UTF-8 or that `decode`
/// refuses is [`Error::Decode`].
pub(crate) fn decode_body<T, E: std::fmt::Display>(
    response: &Response,
    decode: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, Error> {
    let decode_error = |message: String| Error::Decode {
        message,
        status: response.status,
        request_id: response.request_id().map(String::from),
    };
    // Validating UTF-8 once for the whole body, then decoding from `&str`, spares serde_json
    // a check per string (a sixth of the decoding work).
    let text = std::str::from_utf8(&response.body)
        .map_err(|e| decode_error(format!("the answer is not UTF-8: {e}")))?;
    decode(text).map_err(|e| decode_error(format!("the answer could not be decoded: {e}")))
}

/// Settings of a client of the API. Built by [`Client::builder`].
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use stripe_identity::Client;
///
/// let client = Client::builder("sk_test_123")
///     .base_url("http://127.0.0.1:12111")
///     .max_network_retries(3)
///     .timeout(Duration::from_secs(30))
///     .connect_timeout(Duration::from_secs(5))
///     .stripe_version("2026-10-28.endive")
///     .front_end("python", "3.11.7")
///     .build()?;
/// assert!(!client.is_local());
/// assert!(Client::builder(" ").build().is_err());
/// # Ok::<(), stripe_identity::Error>(())
/// ```
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    stripe_version: Option<String>,
    stripe_account: Option<String>,
    max_network_retries: Option<u32>,
    timeout: Option<std::time::Duration>,
    connect_timeout: Option<std::time::Duration>,
    max_retry_after: Option<std::time::Duration>,
    front_end: Option<crate::http::FrontEnd>,
    sleeper: Option<crate::http::Sleeper>,
    log_hook: Option<crate::http::LogHook>,
    log_to_stderr: Option<bool>,
    ca_bundle: Option<CaBundle>,
}

/// Where the builder's CA bundle comes from.
#[derive(Debug, Clone)]
enum CaBundle {
    Pem(Vec<u8>),
    Path(std::path::PathBuf),
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_deref().map(mask_key))
            .field("base_url", &self.base_url)
            .field("stripe_version", &self.stripe_version)
            .field("stripe_account", &self.stripe_account)
            .field("max_network_retries", &self.max_network_retries)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retry_after", &self.max_retry_after)
            .field("front_end", &self.front_end)
            .field("sleeper", &self.sleeper.is_some())
            .field("log_hook", &self.log_hook.is_some())
            .field("log_to_stderr", &self.log_to_stderr)
            .field(
                "ca_bundle",
                &self.ca_bundle.as_ref().map(|b| match b {
                    CaBundle::Pem(pem) => format!("{} bytes of PEM", pem.len()),
                    CaBundle::Path(path) => path.display().to_string(),
                }),
            )
            .finish()
    }
}

impl ClientBuilder {
    /// Base URL of the API (default `https://api.stripe.com`), e.g. an `identity-mock` at
    /// `http://127.0.0.1:12111`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// `Stripe-Version` of every request (default [`crate::API_VERSION`]); a request can still
    /// override it with [`RequestOptions::stripe_version`].
    pub fn stripe_version(mut self, version: impl Into<String>) -> Self {
        self.stripe_version = Some(version.into());
        self
    }

    /// `Stripe-Account` of every request.
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.stripe_account = Some(account.into());
        self
    }

    /// Retries of a request that failed on the network, timed out, or got 409 or 5xx (or any
    /// answer with `Stripe-Should-Retry: true`); default 2, 0 for none.
    pub fn max_network_retries(mut self, retries: u32) -> Self {
        self.max_network_retries = Some(retries);
        self
    }

    /// Overall timeout of one attempt, answer included (default 80 s).
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Connect timeout of one attempt, TLS included (default 30 s).
    pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The longest wait a `Retry-After` header may impose before a retry (default 60 s); a
    /// longer ask is cut to this.
    pub fn max_retry_after(mut self, max: std::time::Duration) -> Self {
        self.max_retry_after = Some(max);
        self
    }

    /// The language front end driving this client, named in `User-Agent`
    /// (`.front_end("python", "3.11.7")`; default `rust`). An empty version is left out.
    pub fn front_end(mut self, lang: impl Into<String>, lang_version: impl Into<String>) -> Self {
        let version = lang_version.into();
        self.front_end = Some(crate::http::FrontEnd {
            lang: lang.into(),
            lang_version: (!version.is_empty()).then_some(version),
        });
        self
    }

    /// How to wait before a retry (default: a sleep that ends early when the call is
    /// [interrupted](crate::http::interrupt)). Tests pass one that records the delays instead
    /// of waiting.
    pub fn sleeper(mut self, sleeper: impl Fn(std::time::Duration) + Send + Sync + 'static) -> Self {
        self.sleeper = Some(std::sync::Arc::new(sleeper));
        self
    }

    /// Called with a record of every attempt (method, path, status, request id, attempt,
    /// duration; the key only masked). See [`crate::http::log`].
    pub fn log_hook(mut self, hook: impl Fn(&crate::http::AttemptLog) + Send + Sync + 'static) -> Self {
        self.log_hook = Some(std::sync::Arc::new(hook));
        self
    }

    /// Print one line per attempt on stderr (default: on when `STRIPE_IDENTITY_LOG=debug`).
    pub fn log_to_stderr(mut self, on: bool) -> Self {
        self.log_to_stderr = Some(on);
        self
    }

    /// Applies settings given as one JSON object, as bindings receive them: see
    /// [`settings`] for the keys and how wrong types and bad values are refused.
    pub fn settings(self, settings: &Value) -> Result<Self, Error> {
        settings::apply(self, settings)
    }

    /// Trust these PEM certificates for HTTPS instead of the bundled Mozilla roots: a
    /// corporate proxy's CA, or a test CA (see [`crate::http::trust`]). The bundle is checked
    /// by [`ClientBuilder::build`].
    pub fn ca_bundle(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_bundle = Some(CaBundle::Pem(pem.into()));
        self
    }

    /// Like [`ClientBuilder::ca_bundle`], from a PEM file (stripe-python's `ca_bundle_path`),
    /// read once by [`ClientBuilder::build`].
    pub fn ca_bundle_path(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_bundle = Some(CaBundle::Path(path.into()));
        self
    }

    /// Builds a client on the HTTP backend ([`crate::http::HttpBackend`]).
    ///
    /// Fails with [`Error::InvalidArgument`] when the key is missing, empty or holds
    /// whitespace, when the base URL is not `http(s)://host[:port]`, when a timeout is zero, or
    /// when the CA bundle cannot be read or holds no certificate. Nothing is sent.
    pub fn build(mut self) -> Result<Client, Error> {
        let mut config = crate::http::HttpConfig::new(self.api_key.take().unwrap_or_default());
        if let Some(url) = self.base_url.take() {
            config.base_url = url;
        }
        if let Some(retries) = self.max_network_retries {
            config.max_network_retries = retries;
        }
        if let Some(timeout) = self.timeout {
            config.timeout = timeout;
        }
        if let Some(timeout) = self.connect_timeout {
            config.connect_timeout = timeout;
        }
        if let Some(max) = self.max_retry_after {
            config.max_retry_after = max;
        }
        if let Some(front_end) = self.front_end.take() {
            config.front_end = front_end;
        }
        if let Some(sleeper) = self.sleeper.take() {
            config.sleeper = sleeper;
        }
        config.log_hook = self.log_hook.take();
        if let Some(on) = self.log_to_stderr {
            config.log_to_stderr = on;
        }
        config.ca_bundle = match self.ca_bundle.take() {
            Some(CaBundle::Pem(pem)) => Some(pem),
            Some(CaBundle::Path(path)) => {
                let refuse = |why: String| {
                    Error::invalid_argument(Some("ca_bundle_path"), format!("{}: {why}", path.display()))
                };
                let pem =
                    std::fs::read(&path).map_err(|e| refuse(format!("cannot read the CA bundle: {e}")))?;
                // Checked here too, so that the error names the setting the caller used.
                crate::http::trust::roots_from_pem(&pem).map_err(|e| refuse(e.message()))?;
                Some(pem)
            }
            None => None,
        };
        let backend = Arc::new(crate::http::HttpBackend::new(config)?);
        Ok(Client::from_parts(backend, None, self))
    }
}

/// Escapes an id for a path segment: everything but `A-Z a-z 0-9 - . _ ~`, so no id can reach
/// another endpoint. An empty id is refused before any request is sent.
pub fn path_id(id: &str, param: &str) -> Result<String, Error> {
    const ESCAPE: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    if id.trim().is_empty() {
        return Err(Error::invalid_argument(Some(param), format!("{param} must be a non-empty id")));
    }
    Ok(percent_encoding::utf8_percent_encode(id, ESCAPE).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_masked() {
        assert_eq!(mask_key("sk_test_51abcdefghijklmnop1234"), "sk_test_****1234");
        assert_eq!(mask_key("rk_live_xyzw9876"), "rk_live_****9876");
        assert_eq!(mask_key("sk_test_ab"), "sk_test_****");
        let b = Client::builder("sk_test_supersecretvalue9999");
        assert!(!format!("{b:?}").contains("supersecret"));
    }

    #[test]
    fn api_errors_carry_the_headers_of_their_answer() {
        let client = Client::local();
        let e = client.send(
            Method::Get,
            "/v1/identity/verification_sessions/vs_missing",
            String::new(),
            &Default::default(),
        );
        let Err(Error::Api(e)) = e else { panic!("expected an API error, got {e:?}") };
        assert_eq!(e.status, 404);
        let header = e.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("request-id"));
        assert_eq!(header.map(|(_, v)| v.as_str()), e.request_id.as_deref());
        assert!(e.request_id.is_some_and(|id| id.starts_with("req_")));
    }

    #[test]
    fn ids_cannot_escape_their_segment() {
        assert_eq!(path_id("vs_ab/c d?", "session").unwrap(), "vs_ab%2Fc%20d%3F");
        assert_eq!(path_id("../../v1/customers", "session").unwrap(), "..%2F..%2Fv1%2Fcustomers");
        assert!(path_id("", "session").is_err());
        assert!(path_id("  ", "session").is_err());
    }

    #[test]
    fn idempotency_keys_that_cannot_travel_are_refused_before_sending() {
        let client = Client::local();
        let vs = client.verification_sessions();
        let params = crate::params::CreateVerificationSession {
            r#type: Some(crate::model::RequestedVerificationType::Document),
            ..Default::default()
        };
        for bad in ["caf\u{e9}", "line\nbreak", "tab\tkey", "\u{1F600}"] {
            let opts = RequestOptions { idempotency_key: Some(bad.into()), ..Default::default() };
            let e = vs.with_options(opts).create(&params).unwrap_err();
            assert_eq!((e.kind(), e.param()), (crate::ErrorKind::InvalidArgument, Some("idempotency_key")));
        }
        assert_eq!(vs.list(&Default::default()).unwrap().data.len(), 0, "nothing was created");
        let opts = RequestOptions { idempotency_key: Some("order 42 ~!".into()), ..Default::default() };
        let first = vs.with_options(opts.clone()).create(&params).unwrap();
        assert_eq!(vs.with_options(opts).create(&params).unwrap().id, first.id);
    }

    #[test]
    fn client_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Client>();
        assert_send_sync::<Simulator>();
    }
}
