//! The HTTP backend: the Stripe API (or any server that speaks it) over HTTPS or HTTP.
//!
//! It speaks the [`Backend`] interface like the local backend does, so the client does not know
//! which one it has. On top of sending the request it does what the official SDKs do:
//!
//! - **Headers.** `Authorization: Bearer <key>`, `Content-Type: application/x-www-form-urlencoded`
//!   on POST, a `User-Agent` and `X-Stripe-Client-User-Agent` naming this library, its version
//!   and the language front end, and an `Idempotency-Key` on every POST: the caller's, or a
//!   generated `stripe-identity-retry-<uuid v4>`. `Stripe-Version`, `Stripe-Account` and a
//!   caller's `Idempotency-Key` come from the client in [`Request::headers`].
//! - **Retries** (default 2): connection errors and timeouts, 409 and 5xx; 429 and other 4xx only
//!   when the answer says `Stripe-Should-Retry: true`; `Stripe-Should-Retry: false` stops any
//!   retry. Every retry of a POST sends the same idempotency key, so a retried POST cannot act
//!   twice. The wait is the SDKs' backoff ([`retry::backoff`]), or `Retry-After` when that asks
//!   for longer, capped at [`HttpConfig::max_retry_after`] (default
//!   [`retry::MAX_RETRY_AFTER`], 60 s).
//! - **Timeouts**: [`HttpConfig::timeout`] (default 80 s) bounds each attempt, answer included;
//!   [`HttpConfig::connect_timeout`] (default 30 s) bounds connection set-up, TLS included.
//! - **Connections**: one pool per backend (so per client and its clones) and per process, kept
//!   alive: a child made by `fork` never uses the pool it inherited (see `fork.rs`); HTTPS is
//!   verified against the Mozilla web roots (rustls + webpki-roots), or against the PEM bundle
//!   given instead ([`HttpConfig::ca_bundle`], see [`trust`]); proxies come from
//!   `ALL_PROXY`/`HTTPS_PROXY`/`HTTP_PROXY` (and `NO_PROXY`), except for a loopback base URL,
//!   which no proxy could reach. Redirects are not followed: the API sends none, and a 3xx
//!   comes back as an answer. Host names are looked up at most every 5 s and IP literals not at
//!   all (see `resolve.rs`): ureq would otherwise look up, on a thread of its own, before every
//!   request. A request leaves in one write, head and body together
//!   (`coalesce.rs`), so the server is not woken up twice for it.
//! - **Interruption**: every wait (connecting, sending, the answer, the sleep before a retry)
//!   lasts at most 50 ms at a time, and between two the caller's [`interrupt`] check may stop
//!   the call with [`Error::Interrupted`] (Python's Ctrl-C). A call stopped that way is not
//!   retried, and its connection is closed, not pooled.
//! - **Answers**: every status comes back as a [`Response`] with all its headers
//!   (`Request-Id` included); the client turns error statuses into [`Error::Api`]. Only a
//!   request that got no answer at all is an [`Error::Connection`], which says how many
//!   attempts were made.
//! - **Secrets**: the API key never appears in `Debug`, errors or logs, only masked
//!   (`sk_test_****abcd`).
//!
//! The simulator controls (`/v1/test_helpers/identity/verification_sessions/...`) are sent like
//! any request; the real API has no such paths and answers them with its 404
//! (`Unrecognized request URL`), which arrives as an [`Error::Api`]. They work against
//! `identity-mock`.
//!
//! # Example
//!
//! ```no_run
//! use std::time::Duration;
//! use stripe_identity::Client;
//!
//! let client = Client::builder("sk_test_...")
//!     .base_url("http://127.0.0.1:12111") // an identity-mock; the default is api.stripe.com
//!     .max_network_retries(2)
//!     .timeout(Duration::from_secs(30))
//!     .build()?;
//! let page = client.verification_sessions().list(&Default::default())?;
//! # Ok::<(), stripe_identity::Error>(())
//! ```

mod coalesce;
mod fork;
pub use fork::generation as process_generation;
pub mod interrupt;
pub mod log;
mod resolve;
pub mod retry;
#[cfg(all(unix, feature = "suspend"))]
pub mod suspend;
mod tcp;
pub mod trust;

pub use log::{AttemptLog, LogHook};

use crate::backend::{Backend, Method, Request, Response};
use crate::error::Error;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use ureq::http::header::{self, HeaderName, HeaderValue};

/// The API's address, used when no base URL is given.
pub const DEFAULT_BASE_URL: &str = "https://api.stripe.com";
/// Retries of a request, after the first attempt, when none are configured.
pub const DEFAULT_MAX_NETWORK_RETRIES: u32 = 2;
/// Overall timeout of one attempt when none is configured (the SDKs' 80 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(80);
/// Connect timeout (DNS, TCP, TLS) of one attempt when none is configured.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Prefix of generated idempotency keys; the rest is a v4 UUID.
pub const IDEMPOTENCY_KEY_PREFIX: &str = "stripe-identity-retry-";

/// Waits before a retry. The default sleeps, ending early when the call is
/// [interrupted](interrupt); tests inject one that records the delays instead of waiting.
pub type Sleeper = Arc<dyn Fn(Duration) + Send + Sync>;

/// The language front end that drives the core, named in `User-Agent` (`python 3.11.7`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontEnd {
    /// `rust`, `python`, `node`, `c`, ….
    pub lang: String,
    /// The language's version, when known.
    pub lang_version: Option<String>,
}

impl Default for FrontEnd {
    fn default() -> Self {
        FrontEnd { lang: "rust".into(), lang_version: None }
    }
}

/// Everything the HTTP backend needs. [`HttpConfig::new`] gives the defaults; the client
/// builder fills it from its settings.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpConfig {
    /// The secret or restricted key (`sk_...`, `rk_...`).
    pub api_key: String,
    /// Scheme, host and port, without a trailing path (default [`DEFAULT_BASE_URL`]).
    pub base_url: String,
    /// Retries after the first attempt (default 2).
    pub max_network_retries: u32,
    /// Overall timeout of one attempt, answer body included (default 80 s).
    pub timeout: Duration,
    /// Connect timeout of one attempt, TLS included (default 30 s).
    pub connect_timeout: Duration,
    /// The longest wait a `Retry-After` header may impose (default 60 s).
    pub max_retry_after: Duration,
    /// The language front end named in `User-Agent`.
    pub front_end: FrontEnd,
    /// How to wait before a retry (default: a sleep that ends early when the call's
    /// [interrupt check](interrupt) says stop).
    pub sleeper: Sleeper,
    /// Receives a record of every attempt.
    pub log_hook: Option<LogHook>,
    /// Print a line per attempt on stderr (default: whether `STRIPE_IDENTITY_LOG=debug`).
    pub log_to_stderr: bool,
    /// PEM certificates to trust for HTTPS instead of the bundled Mozilla roots (a corporate
    /// or test CA); `None` (the default) trusts the Mozilla roots. See [`trust`].
    pub ca_bundle: Option<Vec<u8>>,
}

impl HttpConfig {
    /// Defaults for this key.
    pub fn new(api_key: impl Into<String>) -> HttpConfig {
        HttpConfig {
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.into(),
            max_network_retries: DEFAULT_MAX_NETWORK_RETRIES,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retry_after: retry::MAX_RETRY_AFTER,
            front_end: FrontEnd::default(),
            sleeper: Arc::new(interrupt::sleep),
            log_hook: None,
            log_to_stderr: log::env_wants_stderr(),
            ca_bundle: None,
        }
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("api_key", &mask_key(&self.api_key))
            .field("base_url", &self.base_url)
            .field("max_network_retries", &self.max_network_retries)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retry_after", &self.max_retry_after)
            .field("front_end", &self.front_end)
            .field("log_hook", &self.log_hook.is_some())
            .field("log_to_stderr", &self.log_to_stderr)
            .field("ca_bundle", &self.ca_bundle.as_ref().map(|pem| pem.len()))
            .finish_non_exhaustive()
    }
}

/// Sends requests to the Stripe API, or any server that speaks it, over HTTP(S).
pub struct HttpBackend {
    /// The agent (connection pool, resolver cache) of the process that built the backend.
    agent: ureq::Agent,
    /// The roots HTTPS is verified against, parsed once.
    roots: ureq::tls::RootCerts,
    /// The process generation `agent` belongs to (see `fork.rs`).
    generation: u64,
    /// In a forked child: the child's own agent and the generation it was built in.
    forked: parking_lot::Mutex<Option<(u64, ureq::Agent)>>,
    config: HttpConfig,
    /// `Bearer <key>` and `X-Stripe-Client-User-Agent`, built once: a `HeaderValue` is shared,
    /// not copied, by every request.
    authorization: HeaderValue,
    client_user_agent: HeaderValue,
    masked_key: String,
}

impl fmt::Debug for HttpBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpBackend").field("config", &self.config).finish_non_exhaustive()
    }
}

impl HttpBackend {
    /// A backend with this configuration. Refuses, with [`Error::InvalidArgument`], a key that
    /// is empty or holds whitespace or control characters, and a base URL that is not
    /// `http://` or `https://`.
    pub fn new(mut config: HttpConfig) -> Result<HttpBackend, Error> {
        validate_key(&config.api_key)?;
        config.base_url = normalize_base_url(&config.base_url)?;
        if config.timeout.is_zero() {
            return Err(Error::invalid_argument(Some("timeout"), "timeout must be longer than zero"));
        }
        if config.connect_timeout.is_zero() {
            return Err(Error::invalid_argument(
                Some("connect_timeout"),
                "connect_timeout must be longer than zero",
            ));
        }
        let roots = match &config.ca_bundle {
            Some(pem) => trust::roots_from_pem(pem)?,
            None => ureq::tls::RootCerts::WebPki,
        };
        let agent = build_agent(&config, &roots);
        // `validate_key` refused what a header cannot carry; the key is marked sensitive so
        // that no debug output of a request shows it.
        let mut authorization =
            HeaderValue::try_from(format!("Bearer {}", config.api_key)).map_err(|_| {
                Error::invalid_argument(Some("api_key"), "the API key cannot be sent in a header")
            })?;
        authorization.set_sensitive(true);
        let client_user_agent = HeaderValue::try_from(client_user_agent(&config.front_end))
            .map_err(|e| Error::invalid_argument(None, format!("X-Stripe-Client-User-Agent: {e}")))?;
        Ok(HttpBackend {
            roots,
            authorization,
            client_user_agent,
            masked_key: mask_key(&config.api_key),
            agent,
            generation: fork::generation(),
            forked: parking_lot::Mutex::new(None),
            config,
        })
    }

    /// The agent this process may use: never a pool inherited through `fork` (see `fork.rs`).
    fn agent(&self) -> Cow<'_, ureq::Agent> {
        let now = fork::generation();
        if now == self.generation {
            return Cow::Borrowed(&self.agent);
        }
        // A lock still held at the fork by a thread the child does not have would block for
        // ever; a busy lock costs this one call its pooling instead.
        let Some(mut slot) = self.forked.try_lock() else {
            return Cow::Owned(build_agent(&self.config, &self.roots));
        };
        match &*slot {
            Some((generation, agent)) if *generation == now => Cow::Owned(agent.clone()),
            _ => {
                let agent = build_agent(&self.config, &self.roots);
                *slot = Some((now, agent.clone()));
                Cow::Owned(agent)
            }
        }
    }

    /// The configuration in use (its `Debug` masks the key).
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// One attempt: the request on the wire, the answer read whole.
    fn attempt(
        &self,
        url: &str,
        request: &Request,
        idempotency_key: Option<&str>,
    ) -> Result<Response, AttemptError> {
        // Names are static and values shared where they can be: building a request then makes
        // no copy of a header the client sends every time.
        let mut builder = ureq::http::Request::builder()
            .method(request.method.as_str())
            .uri(url)
            .header(header::AUTHORIZATION, self.authorization.clone())
            .header(header::ACCEPT, HeaderValue::from_static("application/json"))
            .header(X_STRIPE_CLIENT_USER_AGENT, self.client_user_agent.clone());
        for (name, value) in &request.headers {
            // These are the backend's to set; a caller's copy would be a second, conflicting value.
            if ["authorization", "user-agent", "content-type", "idempotency-key"]
                .iter()
                .any(|own| name.eq_ignore_ascii_case(own))
            {
                continue;
            }
            builder = match known_header(name) {
                Some(name) => builder.header(name, value.as_str()),
                None => builder.header(name.as_str(), value.as_str()),
            };
        }
        if let Some(key) = idempotency_key {
            builder = builder.header(HeaderName::from_static("idempotency-key"), key);
        }
        let agent = self.agent();
        let result = if request.method == Method::Post {
            let builder = builder
                .header(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
            let http_request = builder.body(request.params.as_bytes()).map_err(AttemptError::Build)?;
            agent.run(http_request)
        } else {
            let http_request = builder.body(()).map_err(AttemptError::Build)?;
            agent.run(http_request)
        };
        let mut answer = result.map_err(AttemptError::Transport)?;
        let status = answer.status().as_u16();
        let headers = answer
            .headers()
            .iter()
            .map(|(name, value)| {
                (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned())
            })
            .collect();
        let body = read_body(answer.body_mut()).map_err(AttemptError::Transport)?;
        Ok(Response { status, headers, body })
    }

    fn log(&self, record: &AttemptLog) {
        if let Some(hook) = &self.config.log_hook {
            hook(record);
        }
        if self.config.log_to_stderr {
            eprintln!("{record}");
        }
    }

    fn url(&self, request: &Request) -> String {
        let mut url =
            String::with_capacity(self.config.base_url.len() + request.path.len() + request.params.len() + 1);
        url.push_str(&self.config.base_url);
        url.push_str(&request.path);
        if request.method != Method::Post && !request.params.is_empty() {
            url.push(if request.path.contains('?') { '&' } else { '?' });
            url.push_str(&request.params);
        }
        url
    }

    fn interrupted(&self, request: &Request, attempts: u32, idempotency_key: Option<&str>) -> Error {
        let plural = if attempts == 1 { "" } else { "s" };
        let retry = match idempotency_key {
            Some(key) => format!("; a retry with its Idempotency-Key {key:?} cannot act twice"),
            None => String::new(),
        };
        Error::Interrupted {
            message: format!(
                "{} {} was interrupted after {attempts} attempt{plural}: the server may still act on a \
                 request already sent{retry}",
                request.method, request.path
            ),
            idempotency_key: idempotency_key.map(String::from),
        }
    }

    fn connection_error(&self, request: &Request, attempts: u32, cause: &ureq::Error) -> Error {
        let plural = if attempts == 1 { "" } else { "s" };
        Error::Connection {
            message: format!(
                "could not get an answer from {} for {} {} ({attempts} attempt{plural} made): {}",
                self.config.base_url,
                request.method,
                request.path,
                describe(cause, self.config.timeout)
            ),
        }
    }
}

impl Backend for HttpBackend {
    fn send(&self, request: &Request) -> Result<Response, Error> {
        if !request.path.starts_with('/') {
            return Err(Error::invalid_argument(
                None,
                format!("the path must start with '/': {:?}", request.path),
            ));
        }
        let url = self.url(request);
        // One key for the whole call, whatever the number of attempts: the server replays the
        // first answer to a retry instead of acting twice.
        let idempotency_key = match request.header("Idempotency-Key") {
            Some(key) => Some(key.to_string()),
            None if request.method == Method::Post => {
                Some(format!("{IDEMPOTENCY_KEY_PREFIX}{}", idempotency_uuid()))
            }
            None => None,
        };
        let max_attempts = self.config.max_network_retries.saturating_add(1);
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let outcome = self.attempt(&url, request, idempotency_key.as_deref());
            let duration = started.elapsed();
            let retry_in = match &outcome {
                // An interrupted call is given up, not retried.
                _ if attempt >= max_attempts || interrupt::stopped() => None,
                Ok(answer)
                    if retry::should_retry_status(answer.status, answer.header("Stripe-Should-Retry")) =>
                {
                    let retry_after = answer
                        .header("Retry-After")
                        .and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
                    Some(retry::delay(
                        attempt,
                        rand::random::<f64>(),
                        retry_after,
                        self.config.max_retry_after,
                    ))
                }
                Err(AttemptError::Transport(e)) if is_retryable(e) => {
                    Some(retry::delay(attempt, rand::random::<f64>(), None, self.config.max_retry_after))
                }
                _ => None,
            };
            if self.config.log_hook.is_some() || self.config.log_to_stderr {
                self.log(&AttemptLog {
                    method: request.method,
                    path: request.path.clone(),
                    status: outcome.as_ref().ok().map(|a| a.status),
                    request_id: outcome.as_ref().ok().and_then(|a| a.request_id()).map(String::from),
                    attempt,
                    max_attempts,
                    duration,
                    error: outcome.as_ref().err().map(|e| match e {
                        AttemptError::Transport(e) => describe(e, self.config.timeout),
                        AttemptError::Build(e) => e.to_string(),
                    }),
                    retry_in,
                    idempotency_key: idempotency_key.clone(),
                    api_key: self.masked_key.clone(),
                });
            }
            if interrupt::stopped() {
                return Err(self.interrupted(request, attempt, idempotency_key.as_deref()));
            }
            match (outcome, retry_in) {
                (_, Some(wait)) => {
                    (self.config.sleeper)(wait);
                    if interrupt::stopped() {
                        return Err(self.interrupted(request, attempt, idempotency_key.as_deref()));
                    }
                    attempt += 1;
                }
                (Ok(answer), None) => return Ok(answer),
                (Err(AttemptError::Transport(e)), None) => {
                    return Err(self.connection_error(request, attempt, &e))
                }
                (Err(AttemptError::Build(e)), None) => {
                    // Only a header value can be malformed here (the URL was checked at build
                    // time and the path is ours); say which without echoing secrets.
                    return Err(Error::invalid_argument(
                        None,
                        format!("the request could not be built: {e}"),
                    ));
                }
            }
        }
    }
}

/// Idle connections the pool keeps (ureq's default is 10, and 3 per host). A client serving 16
/// calls at once holds 16 connections; with room for 3 idle, every burst of answers settled
/// together closed the connections beyond 3, and the next burst opened (and for HTTPS
/// handshook) them again. Every call of this client goes to one host, so one bound serves both.
const MAX_IDLE_CONNECTIONS: usize = 64;

/// An agent for this configuration: its own connection pool and resolver cache.
fn build_agent(config: &HttpConfig, roots: &ureq::tls::RootCerts) -> ureq::Agent {
    let proxy = if is_loopback(&config.base_url) { None } else { ureq::Proxy::try_from_env() };
    let agent_config = ureq::Agent::config_builder()
        // Every status is an answer for the client to judge, not a transport error.
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(MAX_IDLE_CONNECTIONS)
        .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS)
        .timeout_global(Some(config.timeout))
        .timeout_connect(Some(config.connect_timeout))
        .user_agent(user_agent(&config.front_end))
        .proxy(proxy)
        .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots.clone()).build())
        .build();
    ureq::Agent::with_parts(agent_config, connector(), resolve::CachingResolver::default())
}

/// ureq's default chain (a CONNECT proxy when one is set, TCP, rustls) with this crate's TCP,
/// whose waits can be interrupted (`tcp.rs`), and one write per request (`coalesce.rs`) last.
fn connector() -> impl ureq::unversioned::transport::Connector {
    use ureq::unversioned::transport::{ConnectProxyConnector, Connector, RustlsConnector};
    ().chain(ConnectProxyConnector::default())
        .chain(tcp::TcpConnector)
        .chain(RustlsConnector::default())
        .chain(coalesce::Coalesce)
}

/// Why one attempt produced no answer.
enum AttemptError {
    /// The request itself was malformed (a header value with a newline, …): never retried.
    Build(ureq::http::Error),
    /// The network, TLS or the answer's framing failed.
    Transport(ureq::Error),
}

/// Whether a failed attempt may be tried again: network failures and timeouts, as the SDKs
/// retry them; not TLS failures (a bad certificate stays bad) nor local configuration errors.
fn is_retryable(e: &ureq::Error) -> bool {
    if let ureq::Error::Io(io) = e {
        // rustls reports a refused certificate or a broken handshake as `InvalidData`; the
        // same peer would be refused again.
        return io.kind() != std::io::ErrorKind::InvalidData;
    }
    matches!(
        e,
        ureq::Error::Timeout(_)
            | ureq::Error::HostNotFound
            | ureq::Error::ConnectionFailed
            | ureq::Error::Protocol(_)
            | ureq::Error::BodyStalled
            | ureq::Error::ConnectProxyFailed(_)
    )
}

/// A transport error in words; a timeout is phrased like the SDKs phrase it.
fn describe(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(ureq::Timeout::Connect) => "timed out while connecting".to_string(),
        ureq::Error::Timeout(_) => {
            format!("Request aborted due to timeout being reached ({}ms)", timeout.as_millis())
        }
        other => other.to_string(),
    }
}

/// `sk_test_****abcd`: the prefix and the last four characters, the rest masked.
pub fn mask_key(key: &str) -> String {
    let prefix_len = ["sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_"]
        .iter()
        .find(|p| key.starts_with(**p))
        .map_or(0, |p| p.len());
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= prefix_len + 4 {
        return format!("{}****", &key[..prefix_len]);
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{}****{tail}", &key[..prefix_len])
}

fn validate_key(key: &str) -> Result<(), Error> {
    if key.is_empty() {
        return Err(Error::invalid_argument(Some("api_key"), "an API key is required"));
    }
    // Keys are printable ASCII; anything else cannot travel in an `Authorization` header, and
    // would fail every call later as a connection error. The key itself stays out of the
    // message, even masked: it is malformed, and its visible tail might be the part that matters.
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid_argument(
            Some("api_key"),
            "the API key must not contain whitespace or control characters",
        ));
    }
    if !key.is_ascii() {
        return Err(Error::invalid_argument(
            Some("api_key"),
            "the API key must hold only ASCII characters (sk_..., rk_...)",
        ));
    }
    Ok(())
}

/// `https://host:port` with no trailing `/`. A path after the host is kept (a server mounted
/// under a prefix), but credentials, a query or a fragment are refused.
fn normalize_base_url(url: &str) -> Result<String, Error> {
    let url = url.trim().trim_end_matches('/');
    let refuse =
        |why: &str| Error::invalid_argument(Some("base_url"), format!("{why}, got {:?}", shown_url(url)));
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return Err(refuse("base_url must start with http:// or https://"));
    };
    if rest.split(['/', '?', '#']).next().is_some_and(|authority| authority.contains('@')) {
        return Err(refuse(
            "base_url must not hold credentials (user:password@); the API key is the credential",
        ));
    }
    if rest.is_empty() || rest.starts_with('/') || rest.contains(['?', '#', ' ', '@']) {
        return Err(refuse("base_url is not a usable URL"));
    }
    if url.parse::<ureq::http::Uri>().is_err() {
        return Err(refuse("base_url is not a valid URL"));
    }
    Ok(url.to_string())
}

/// A URL as it may appear in a message: credentials masked, and cut to a readable length.
fn shown_url(url: &str) -> String {
    const MAX_CHARS: usize = 100;
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let masked = match rest[..authority_end].rfind('@') {
        Some(at) if scheme.is_empty() => format!("****@{}", &rest[at + 1..]),
        Some(at) => format!("{scheme}://****@{}", &rest[at + 1..]),
        None => url.to_string(),
    };
    if masked.chars().count() <= MAX_CHARS {
        return masked;
    }
    let mut cut: String = masked.chars().take(MAX_CHARS).collect();
    cut.push_str("...");
    cut
}

/// Whether the base URL's host is this machine's loopback.
fn is_loopback(base_url: &str) -> bool {
    let Some(authority) = base_url.split("://").nth(1).and_then(|rest| rest.split('/').next()) else {
        return false;
    };
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `Stripe/v1 stripe-identity/0.1.0 python/3.11.7`.
fn user_agent(front_end: &FrontEnd) -> String {
    let mut ua = format!("Stripe/v1 stripe-identity/{} {}", crate::VERSION, front_end.lang);
    if let Some(version) = &front_end.lang_version {
        ua.push('/');
        ua.push_str(version);
    }
    ua
}

/// The JSON of `X-Stripe-Client-User-Agent`, with the SDKs' keys.
/// A v4 UUID for a generated idempotency key, from a CSPRNG held by the thread, not
/// `Uuid::new_v4`, which asks the kernel for fresh bytes (one system call more per POST). The
/// generator is seeded from the OS again after a fork: a forked child would otherwise draw the
/// parent's very keys, and the API would replay the parent's answers to the child's creates.
/// (`rand`'s own thread generator does not watch for forks.)
fn idempotency_uuid() -> uuid::Uuid {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    use std::cell::RefCell;
    thread_local! {
        static KEYS: RefCell<Option<(u64, StdRng)>> = const { RefCell::new(None) };
    }
    let generation = fork::generation();
    KEYS.with(|slot| {
        let mut slot = slot.borrow_mut();
        let rng = match &mut *slot {
            Some((seeded_in, rng)) if *seeded_in == generation => rng,
            other => &mut other.insert((generation, StdRng::from_os_rng())).1,
        };
        uuid::Builder::from_random_bytes(rng.random()).into_uuid()
    })
}

const X_STRIPE_CLIENT_USER_AGENT: HeaderName = HeaderName::from_static("x-stripe-client-user-agent");

/// The static name of a header the client adds to most calls (a name built from a string is
/// copied to the heap each time).
fn known_header(name: &str) -> Option<HeaderName> {
    [HeaderName::from_static("stripe-version"), HeaderName::from_static("stripe-account"), header::USER_AGENT]
        .into_iter()
        .find(|known| name.eq_ignore_ascii_case(known.as_str()))
}

/// The whole body, up to ureq's limit for `read_to_vec` (10 MiB), read into a buffer sized by
/// `Content-Length`: growing from empty read a 1 KiB answer in eight reads and six copies.
fn read_body(body: &mut ureq::Body) -> Result<Vec<u8>, ureq::Error> {
    use std::io::Read;
    const LIMIT: u64 = 10 * 1024 * 1024;
    // The few bytes more let the read that finds the end need no growth.
    let expected = body.content_length().unwrap_or(0).min(LIMIT) as usize + 32;
    let mut buf = Vec::with_capacity(expected);
    body.with_config().limit(LIMIT).reader().read_to_end(&mut buf)?;
    Ok(buf)
}

fn client_user_agent(front_end: &FrontEnd) -> String {
    serde_json::json!({
        "bindings_version": crate::VERSION,
        "lang": front_end.lang,
        "lang_version": front_end.lang_version.as_deref().unwrap_or(""),
        "publisher": "stripe-identity",
        "httplib": "ureq",
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked_and_never_shown() {
        assert!(HttpBackend::new(HttpConfig::new("")).is_err());
        let e = HttpBackend::new(HttpConfig::new("sk_test_abc def")).unwrap_err();
        assert_eq!(e.param(), Some("api_key"));
        assert!(!e.to_string().contains("abc"));
        assert!(HttpBackend::new(HttpConfig::new("sk_test_abc\n")).is_err());
        let e = HttpBackend::new(HttpConfig::new("sk_test_caf\u{e9}1234")).unwrap_err();
        assert_eq!(e.param(), Some("api_key"));
        assert!(e.to_string().contains("ASCII") && !e.to_string().contains("caf"), "{e}");
        let b = HttpBackend::new(HttpConfig::new("sk_test_verysecretvalue1234")).unwrap();
        let shown = format!("{b:?}");
        assert!(shown.contains("sk_test_****1234"), "{shown}");
        assert!(!shown.contains("verysecret"), "{shown}");
    }

    #[test]
    fn base_urls() {
        assert_eq!(normalize_base_url("https://api.stripe.com/").unwrap(), "https://api.stripe.com");
        assert_eq!(normalize_base_url("http://127.0.0.1:12111").unwrap(), "http://127.0.0.1:12111");
        assert_eq!(normalize_base_url("http://h:1/prefix/").unwrap(), "http://h:1/prefix");
        for bad in ["api.stripe.com", "ftp://x", "https://", "https:///x", "http://h?x=1", "http://u:p@h"] {
            assert!(normalize_base_url(bad).is_err(), "{bad}");
        }
        assert!(is_loopback("http://127.0.0.1:12111"));
        assert!(is_loopback("http://localhost"));
        assert!(is_loopback("http://[::1]:80/x"));
        assert!(!is_loopback("https://api.stripe.com"));
        assert!(!is_loopback("http://10.0.0.1"));
    }

    #[test]
    fn base_url_errors_hide_credentials_and_stay_short() {
        for url in ["http://user:hunter2@127.0.0.1:1", "https://user:hunter2@h/x?y", "ftp://user:hunter2@h"] {
            let e = normalize_base_url(url).unwrap_err();
            assert_eq!(e.param(), Some("base_url"));
            assert!(!e.to_string().contains("hunter2"), "{e}");
            assert!(e.to_string().contains("****@"), "{e}");
        }
        let long = format!("ftp://{}", "a".repeat(600_000));
        let e = normalize_base_url(&long).unwrap_err();
        assert!(e.to_string().len() < 400, "{} bytes", e.to_string().len());
    }

    #[test]
    fn user_agents_name_the_front_end() {
        assert_eq!(
            user_agent(&FrontEnd::default()),
            format!("Stripe/v1 stripe-identity/{} rust", crate::VERSION)
        );
        let py = FrontEnd { lang: "python".into(), lang_version: Some("3.11.7".into()) };
        assert_eq!(user_agent(&py), format!("Stripe/v1 stripe-identity/{} python/3.11.7", crate::VERSION));
        let json: serde_json::Value = serde_json::from_str(&client_user_agent(&py)).unwrap();
        assert_eq!(json["lang"], "python");
        assert_eq!(json["lang_version"], "3.11.7");
    }

    #[test]
    fn backend_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<HttpBackend>();
    }
}
